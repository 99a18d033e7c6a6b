package digest

import (
	"testing"
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// testPlan is a small plan with every shape the digest meets: two
// categories, a group with members (one member not listed as a unit), lead
// and co units, and a project whose measure names no unit.
//
//	1.1.1 区编办 / co 区法制办     1.1.2 区发改局
//	1.2.1 区财政局 / co 各街道办 → 东门街道, 桂园街道
//	2.1.1 区卫计局                 2.1.2 区卫计局 / co 区编办
//	2.2.1 区住建局                 2.3.1 区法制办 / co 区发改局
//	2.4.1 (no unit)
func testPlan() *plan.Plan {
	m := func(id, title string, lead, co []string) plan.Measure {
		return plan.Measure{ID: id, Title: title, Text: title + "。", LeadUnits: lead, CoUnits: co}
	}
	u := func(names ...string) []string { return names }
	return &plan.Plan{
		Title:     "深圳市罗湖区2017年改革计划",
		Year:      2017,
		Reporting: plan.Reporting{Cadence: plan.Monthly, Acceptance: true},
		Categories: []plan.Category{
			{Number: 1, Title: "一、深化重点领域改革", Projects: []plan.Project{
				{Number: 1, Title: "强区放权改革", Measures: []plan.Measure{
					m("1.1.1", "推进事权下放", u("区编办"), u("区法制办")),
					m("1.1.2", "完善考核机制", u("区发改局"), nil),
				}},
				{Number: 2, Title: "财政体制改革", Measures: []plan.Measure{
					m("1.2.1", "街道财政预算改革", u("区财政局"), u("各街道办")),
				}},
			}},
			{Number: 2, Title: "二、新推重点改革项目", Projects: []plan.Project{
				{Number: 1, Title: "医疗卫生改革", Measures: []plan.Measure{
					m("2.1.1", "推进医联体建设", u("区卫计局"), nil),
					m("2.1.2", "家庭医生签约", u("区卫计局"), u("区编办")),
				}},
				{Number: 2, Title: "城市更新改革", Measures: []plan.Measure{
					m("2.2.1", "棚户区改造", u("区住建局"), nil),
				}},
				{Number: 3, Title: "营商环境改革", Measures: []plan.Measure{
					m("2.3.1", "商事登记便利化", u("区法制办"), u("区发改局")),
				}},
				{Number: 4, Title: "待定项目", Measures: []plan.Measure{
					m("2.4.1", "尚未明确责任单位", nil, nil),
				}},
			}},
		},
		Units: []plan.Unit{
			{Name: "区编办"}, {Name: "区法制办"}, {Name: "区发改局"}, {Name: "区财政局"},
			{Name: "各街道办", Group: true, Members: []string{"东门街道", "桂园街道"}},
			{Name: "区卫计局"}, {Name: "区住建局"}, {Name: "桂园街道"},
		},
	}
}

// at is a time on a day of a period, 10:00 in Shanghai (02:00 UTC).
func at(p plan.Period, day int) time.Time {
	return p.Start(time.UTC).AddDate(0, 0, day-1).Add(2 * time.Hour)
}

var nextID int64

func rep(measure, unit string, p plan.Period, s plan.Status, text string) store.Report {
	nextID++
	return store.Report{
		ID: nextID, MeasureID: measure, Unit: unit, Period: p, Status: s, Text: text,
		ReporterID: 1000 + nextID, ReporterName: unit + "联络员", CreatedAt: at(p, 26),
	}
}

const (
	feb = plan.Period("2017-02")
	mar = plan.Period("2017-03")
	apr = plan.Period("2017-04")
)

// testReports covers each stalled case for the April digest:
//
//	stalled:     1.1.1 区法制办 (按计划推进, same text but for white space),
//	             2.1.1 区卫计局 (进度滞后 three times);
//	not stalled: 1.1.2 区发改局 (new text each month), 1.2.1 区财政局 (March
//	             missing), 2.1.2 区卫计局 (已完成), 2.1.2 区编办 (March differs),
//	             1.1.1 区编办 (difficulty only this month).
func testReports() []store.Report {
	var out []store.Report
	three := func(measure, unit string, s [3]plan.Status, text [3]string) {
		for i, p := range []plan.Period{feb, mar, apr} {
			if s[i] != "" {
				out = append(out, rep(measure, unit, p, s[i], text[i]))
			}
		}
	}
	ot, bh, dn, nh := plan.OnTrack, plan.Behind, plan.Done, plan.NeedsHelp
	same := [3]string{"按计划推进中", "按计划\n推进中", "按计划推进中 "}
	three("1.1.1", "区编办", [3]plan.Status{ot, ot, nh}, [3]string{"a", "b", "编制方案未获批 <急> & 待协调"})
	three("1.1.1", "区法制办", [3]plan.Status{ot, ot, ot}, same)
	three("1.1.2", "区发改局", [3]plan.Status{ot, ot, ot}, [3]string{"一月", "二月", "三月"})
	three("1.2.1", "区财政局", [3]plan.Status{ot, "", ot}, same)
	three("2.1.1", "区卫计局", [3]plan.Status{bh, bh, bh}, [3]string{"x", "y", "z"})
	three("2.1.2", "区卫计局", [3]plan.Status{dn, dn, dn}, same)
	three("2.1.2", "区编办", [3]plan.Status{ot, bh, ot}, same)
	three("2.2.1", "区住建局", [3]plan.Status{"", "", ot}, same)
	three("2.3.1", "区法制办", [3]plan.Status{"", "", ot}, same)

	// What Build must ignore: a superseded version, a pair the plan does not
	// assign, a later period.
	old := rep("2.2.1", "区住建局", apr, nh, "旧版本")
	old.SupersededAt = at(apr, 27)
	out = append(out, old,
		rep("1.1.1", "区住建局", apr, nh, "不是本单位任务"),
		rep("2.3.1", "区发改局", "2017-05", ot, "下个月"))
	out[len(out)-4].Attachments = []store.Attachment{{Kind: store.Photo}, {Kind: store.Document}} // 2.3.1 区法制办
	return out
}

func testContacts() ([]store.Contact, []store.Message) {
	c := func(id int64, unit string, role store.Role, st store.Status) store.Contact {
		return store.Contact{UserID: id, ChatID: id, Unit: unit, Role: role, Status: st, Name: "联络人" + unit}
	}
	contacts := []store.Contact{
		c(101, "区编办", store.RoleContact, store.Active),
		c(102, "区法制办", store.RoleContact, store.Blocked),
		c(103, "", store.RoleOffice, store.Blocked),
		c(104, "区卫计局", store.RoleContact, store.Active),
		c(105, "区住建局", store.RoleContact, store.Revoked),
		c(106, "区财政局", store.RoleContact, store.Active),
	}
	failed := func(user int64, state, msg string) store.Message {
		return store.Message{Kind: "prompt", Period: apr, UserID: user, ChatID: user, State: state, Error: msg}
	}
	messages := []store.Message{
		failed(104, store.Failed, "Bad Request: chat not found"),
		failed(102, store.Failed, "Forbidden: bot was blocked by the user"),
		failed(105, store.Failed, "revoked since"),
		failed(999, store.Failed, "not a contact"),
		failed(106, store.Sent, ""),
	}
	return contacts, messages
}

func testInput(t testing.TB) Input {
	t.Helper()
	contacts, failed := testContacts()
	return Input{
		Plan:        testPlan(),
		Period:      apr,
		Reports:     testReports(),
		Contacts:    contacts,
		Failed:      failed,
		Location:    officeZone(),
		GeneratedAt: time.Date(2017, 5, 2, 1, 0, 0, 0, time.UTC),
	}
}

// testAcceptance are year-end submissions for 2017, with one superseded and
// one of another year.
func testAcceptance() []store.Report {
	y := plan.YearPeriod(2017)
	sub := func(measure, unit, text string, n int) store.Report {
		r := rep(measure, unit, y, plan.Submitted, text)
		r.CreatedAt = time.Date(2018, 1, 5, 1, 0, 0, 0, time.UTC)
		for range n {
			r.Attachments = append(r.Attachments, store.Attachment{Kind: store.Document})
		}
		return r
	}
	old := sub("1.2.1", "区财政局", "撤回", 0)
	old.SupersededAt = old.CreatedAt.Add(time.Hour)
	return []store.Report{
		sub("1.1.1", "区法制办", "法制审核意见", 0),
		sub("1.1.1", "区编办", "事权下放清单", 2),
		sub("2.1.1", "区卫计局", "医联体总结", 1),
		old,
		rep("2.2.1", "区住建局", plan.YearPeriod(2016), plan.Submitted, "去年"),
	}
}
