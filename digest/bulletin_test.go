package digest

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// longProgress is a report longer than a quote: three sentences, the cut
// falls after the first.
const longProgress = "已完成考核指标体系初稿，征求了12个单位意见。正在根据反馈修改完善，预计5月提交区委审议。后续将结合年度考核同步推行，并组织各单位开展专题培训，确保考核机制落地见效。"

// bulletinInput is April of the fixture with every section populated: a
// deadline passed (2.2.1), a bound unit that did not report (东门街道), units
// never bound (区发改局, 桂园街道), a long report, a difficulty, a unit behind,
// stalled pairs, and March to compare with.
func bulletinInput(t *testing.T) (Input, BulletinInfo) {
	t.Helper()
	in := testInput(t)
	in.Plan = withDeadlines(testPlan(), map[string]string{"2.2.1": "2017-04-01"})
	in.Contacts = append(in.Contacts, store.Contact{UserID: 107, ChatID: 107, Unit: "东门街道", Role: store.RoleContact, Status: store.Active})
	for i, r := range in.Reports {
		if r.MeasureID == "1.1.2" && r.Period == apr {
			in.Reports[i].Text = longProgress
		}
	}
	shanghai := officeZone()
	return in, BulletinInfo{
		Number:     4,
		Issuer:     "中共罗湖区委全面深化改革委员会办公室",
		Date:       time.Date(2017, 5, 3, 10, 0, 0, 0, shanghai),
		NextPrompt: time.Date(2017, 5, 25, 9, 0, 0, 0, shanghai),
	}
}

// wantApril is the bulletin of bulletinInput, written out and checked by
// hand against the fixture: 12 pairs, 9 reported (March 6 of 12); statuses
// 1 done, 6 on track, 1 behind, 1 difficulty (March 1, 3, 2, 0); 2.2.1
// overdue in April but not at the end of March; lights red 1.1 (difficulty),
// 1.2 (1 of 3), 2.2 (overdue), yellow 2.1 and 2.3 (March: green 1.1, yellow
// 2.1, the rest under half reported); 东门街道 bound but silent, 区发改局 and
// 桂园街道 never bound; the long report cut after its first sentence.
const wantApril = `《深圳市罗湖区2017年改革计划》实施进展情况通报
（2017年第4期）
中共罗湖区委全面深化改革委员会办公室　2017年5月3日

一、总体情况
2017年4月，改革计划共有7项任务明确了责任单位，涉及8个单位，应报送进展12项（按任务和责任单位计，下同），已报送9项，填报率75%，比上期（2017年3月）提高25个百分点。
从报送情况看，已完成1项，按计划推进6项，进度滞后1项，存在困难需协调1项（上期分别为1项、3项、2项、0项）；已到完成时限仍未完成的逾期事项1项（上期0项）。
从项目看，5个项目中，红灯3个、黄灯2个、绿灯0个（上期红灯3个、黄灯1个、绿灯1个）。红灯项目为：1.1 强区放权改革（存在困难1项）、1.2 财政体制改革（报送1/3）、2.2 城市更新改革（逾期1项）。

二、各项目进展
（一）强区放权改革（红灯）。本项目2项任务，本期应报送3项、已报送3项。存在困难需协调1项：1.1.1 推进事权下放（区编办）；按计划推进1项：1.1.2。区编办（1.1.1）报告：“编制方案未获批 <急> & 待协调”；区发改局（1.1.2）报告：“已完成考核指标体系初稿，征求了12个单位意见。……”。
（二）财政体制改革（红灯）。本项目1项任务，本期应报送3项、已报送1项。按计划推进1项：1.2.1。区财政局（1.2.1）报告：“按计划推进中”。
（三）医疗卫生改革（黄灯）。本项目2项任务，本期应报送3项、已报送3项。进度滞后1项：2.1.1 推进医联体建设（区卫计局）；已完成1项：2.1.2。区卫计局（2.1.1）报告：“z”；区卫计局（2.1.2）报告：“按计划推进中”。
（四）城市更新改革（红灯）。本项目1项任务，本期应报送1项、已报送1项。按计划推进1项：2.2.1（已逾期）。区住建局（2.2.1）报告：“按计划推进中”。
（五）营商环境改革（黄灯）。本项目1项任务，本期应报送2项、已报送1项。按计划推进1项：2.3.1。区法制办（2.3.1）报告：“按计划推进中”。

三、存在的困难和问题
（一）存在困难需协调的事项。共1项：
1．1.1.1 推进事权下放（区编办）：“编制方案未获批 <急> & 待协调”。
（二）进度滞后的事项。共1项：2.1.1 推进医联体建设（区卫计局）。
（三）连续三期无变化的事项。共2项：1.1.1 推进事权下放（区法制办，连续3期按计划推进且进展说明无变化）；2.1.1 推进医联体建设（区卫计局，连续3期进度滞后）。
（四）逾期未完成的事项。共1项：2.2.1 棚户区改造（区住建局，完成时限2017年4月1日，按计划推进）。

四、未按时报送单位
截至2017年5月3日，以下1个单位有1项任务未按时报送进展情况，予以通报：东门街道（1.2.1）。
以下2个单位至今未明确报送联络人、未接入进展报送，予以点名：区发改局（1项未报送）、桂园街道（1项未报送）。

五、下一步工作
【请根据实际情况修改本部分，定稿前删除此提示】
下一步，中共罗湖区委全面深化改革委员会办公室将于2017年5月25日发出2017年5月进展填报提醒，请各责任单位按时报送。对存在困难需协调的1项任务，提请相关区领导协调解决。对进度滞后和逾期的任务，督促责任单位制定整改措施、限期完成。对未按时报送和未明确联络人的单位，跟踪督促落实。
`

func TestBulletinSimulatedMonth(t *testing.T) {
	in, info := bulletinInput(t)
	b := NewBulletin(in, info)
	if got := b.PlainText(); got != wantApril {
		t.Errorf("bulletin differs from the expectation:\n%s", lineDiff(got, wantApril))
	}
	if b.Number != 4 || b.Period != apr {
		t.Errorf("number %d period %s", b.Number, b.Period)
	}
}

// lineDiff shows the lines of got and want that differ.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var out []string
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			out = append(out, "got:  "+gl, "want: "+wl)
		}
	}
	return strings.Join(out, "\n")
}

// sectionText is the text of the bulletin's section whose heading ends
// with name.
func sectionText(b *Bulletin, name string) string {
	for _, s := range b.Sections {
		if strings.HasSuffix(s.Heading, name) {
			var lines []string
			for _, p := range s.Paras {
				lines = append(lines, p.Lead+p.Text)
			}
			return strings.Join(lines, "\n")
		}
	}
	return ""
}

func headings(b *Bulletin) []string {
	var out []string
	for _, s := range b.Sections {
		out = append(out, s.Heading)
	}
	return out
}

func checkHas(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("lacks %q:\n%s", w, text)
		}
	}
}

func checkHasNot(t *testing.T, text string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(text, w) {
			t.Errorf("has %q:\n%s", w, text)
		}
	}
}

func TestBulletinEmptyMonth(t *testing.T) {
	in := Input{Plan: testPlan(), Period: apr, GeneratedAt: time.Date(2017, 5, 2, 1, 0, 0, 0, time.UTC)}
	b := NewBulletin(in, BulletinInfo{Number: 1})
	want := []string{"一、总体情况", "二、各项目进展", "三、存在的困难和问题", "四、未按时报送单位", "五、下一步工作"}
	if got := headings(b); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("headings = %v", got)
	}
	all := b.PlainText()
	checkHas(t, all, "区委改革办　2017年5月2日", "（2017年第1期）",
		"应报送进展12项（按任务和责任单位计，下同），已报送0项，填报率0%，与上期（2017年3月）持平。",
		"已完成0项，按计划推进0项，进度滞后0项，存在困难需协调0项（上期分别为0项、0项、0项、0项）。",
		"红灯5个、黄灯0个、绿灯0个",
		"（一）强区放权改革（红灯）。本项目2项任务，本期应报送3项、已报送0项。未报送2项：1.1.1、1.1.2。",
		"本期各单位未反映需协调解决的困难",
		"以下8个单位至今未明确报送联络人、未接入进展报送，予以点名：区编办（2项未报送）、区法制办（2项未报送）",
		"将按时发出2017年5月进展填报提醒")
	checkHasNot(t, all, "报告：“", "逾期", "截至2017年5月2日，以下")

	// A plan none of whose measures names a unit.
	bare := &plan.Plan{Title: "某区2030年改革计划", Categories: []plan.Category{{Title: "一", Projects: []plan.Project{{Title: "待定", Measures: []plan.Measure{{ID: "1.1.1", Title: "待定"}}}}}}}
	b = NewBulletin(Input{Plan: bare, Period: "2030-03"}, BulletinInfo{Number: 2})
	checkHas(t, b.PlainText(), "《某区2030年改革计划》实施进展情况通报", "（2030年第2期）",
		"2030年3月，改革计划中没有明确责任单位的任务，本期无应报送事项。", "本期无明确责任单位的改革项目。",
		"各责任单位均已按时报送本期进展情况")
}

func TestBulletinFullMonth(t *testing.T) {
	in := testInput(t)
	in.Reports = nil
	in.Contacts = nil
	for _, m := range Build(testInput(t)).Measures {
		for _, u := range m.Units {
			in.Reports = append(in.Reports, rep(m.ID, u.Unit, apr, plan.OnTrack, "本月完成"+u.Unit+"年度方案。"))
			in.Contacts = append(in.Contacts, store.Contact{UserID: int64(len(in.Contacts) + 1), Unit: u.Unit, Role: store.RoleContact, Status: store.Active})
		}
	}
	b := NewBulletin(in, BulletinInfo{Number: 5})
	all := b.PlainText()
	checkHas(t, all, "已报送12项，填报率100%，比上期（2017年3月）提高100个百分点。",
		"红灯0个、黄灯0个、绿灯5个（上期红灯5个、黄灯0个、绿灯0个）。",
		"（二）财政体制改革（绿灯）。本项目1项任务，本期应报送3项、已报送3项。按计划推进1项：1.2.1。区财政局（1.2.1）报告：“本月完成区财政局年度方案。”。",
		"本期各单位未反映需协调解决的困难，未发现进度滞后或连续三期无变化的任务。",
		"截至2017年5月2日，各责任单位均已按时报送本期进展情况。")
	checkHasNot(t, all, "红灯项目为", "予以点名", "予以通报", "提请相关区领导")
}

func TestBulletinQuarterly(t *testing.T) {
	p := testPlan()
	p.Reporting.Cadence = plan.Quarterly
	q1, q2 := plan.Period("2017-Q1"), plan.Period("2017-Q2")
	in := Input{
		Plan: p, Period: q2, GeneratedAt: time.Date(2017, 7, 3, 1, 0, 0, 0, time.UTC),
		Reports: []store.Report{
			rep("1.1.1", "区编办", q1, plan.OnTrack, "一季度"),
			rep("1.1.1", "区编办", q2, plan.Done, "二季度已完成。"),
			rep("2.2.1", "区住建局", q2, plan.Behind, "拆迁谈判未完成。"),
		},
	}
	b := NewBulletin(in, BulletinInfo{Number: 2, NextPrompt: time.Date(2017, 9, 25, 1, 0, 0, 0, time.UTC)})
	all := b.PlainText()
	checkHas(t, all, "（2017年第2期）", "2017年第2季度，改革计划共有7项任务",
		"已报送2项，填报率17%，比上期（2017年第1季度）提高9个百分点。",
		"本期应报送3项、已报送1项。未报送1项：1.1.2；已完成1项：1.1.1。区编办（1.1.1）报告：“二季度已完成。”。",
		"将于2017年9月25日发出2017年第3季度进展填报提醒", "对进度滞后的任务，督促")
	// The year's first quarter has no previous period of its own plan.
	in.Period = q1
	b = NewBulletin(in, BulletinInfo{Number: 1})
	checkHas(t, b.PlainText(), "2017年第1季度", "填报率8%。")
	checkHasNot(t, b.PlainText(), "上期")
}

func TestBulletinYearEnd(t *testing.T) {
	in := testInput(t)
	in.Period, in.Acceptance = "2017-12", testAcceptance()
	b := NewBulletin(in, BulletinInfo{Number: 12})
	want := []string{"一、总体情况", "二、各项目进展", "三、存在的困难和问题", "四、未按时报送单位", "五、年度成果验收情况", "六、下一步工作"}
	if got := headings(b); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("headings = %v", got)
	}
	acc := sectionText(b, "年度成果验收情况")
	checkHas(t, acc, "2017年度成果验收材料已提交2项，共8项。",
		"1.1.1 推进事权下放：已提交（区编办，附件2个；区法制办）。",
		"1.2.1 街道财政预算改革：未提交：区财政局。",
		"2.4.1 尚未明确责任单位：未提交。")
	checkHas(t, sectionText(b, "下一步工作"), "将按时发出2018年1月进展填报提醒", "做好2017年度改革任务成果验收工作")
	// November of a plan with acceptance does not yet add the section, but
	// its next steps prepare for it; October's do not.
	in.Period, in.Acceptance = "2017-11", nil
	nov := NewBulletin(in, BulletinInfo{Number: 11})
	if h := headings(nov); len(h) != 5 {
		t.Errorf("November headings = %v", h)
	}
	checkHas(t, sectionText(nov, "下一步工作"), "做好2017年度改革任务成果验收工作")
	in.Period = "2017-10"
	checkHasNot(t, sectionText(NewBulletin(in, BulletinInfo{Number: 10}), "下一步工作"), "成果验收")
}

func TestShorten(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"short kept", "按计划推进。", 10, "按计划推进。"},
		{"white space folded", "第一行\n\n第二行  末尾 ", 20, "第一行 第二行 末尾"},
		{"after the last sentence that fits", "甲乙丙丁。戊己庚辛！壬癸子丑寅卯辰巳午未。", 12, "甲乙丙丁。戊己庚辛！……"},
		{"closing quote kept with its sentence", "他说“好。”然后离开了会场继续工作", 8, "他说“好。”……"},
		{"a clause when no sentence fits", "甲乙丙丁戊，己庚辛壬癸子丑寅卯", 9, "甲乙丙丁戊……"},
		{"hard cut without punctuation", strings.Repeat("改", 30), 10, strings.Repeat("改", 10) + "……"},
		{"a sentence too early is not used", "好。甲乙丙丁戊己庚辛壬癸子丑", 10, "好。甲乙丙丁戊己庚辛……"},
		{"combining mark stays with its base", "abcde\u0301fghij", 5, "abcd……"},
		{"emoji sequence kept whole", "进展👨\u200d👩\u200d👧顺利推进中", 4, "进展……"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shorten(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("shorten(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("invalid UTF-8: %q", got)
			}
		})
	}
}

func TestBulletinProjectParagraph(t *testing.T) {
	in := testInput(t)
	in.Plan.Categories[0].Projects[0].Measures[0].LeadUnits = []string{"区法制办", "区编办"}
	in.Plan.Categories[0].Projects[0].Measures[0].CoUnits = nil
	b := NewBulletin(in, BulletinInfo{Number: 4})
	got := strings.Split(sectionText(b, "各项目进展"), "\n")[0]
	// Two lead units that differ: the more urgent status, naming its unit.
	// Three reports: the difficulty and the first on-track one are quoted.
	want := "（一）强区放权改革（红灯）。本项目2项任务，本期应报送3项、已报送3项。" +
		"存在困难需协调1项：1.1.1 推进事权下放（区编办）；按计划推进1项：1.1.2。" +
		"区编办（1.1.1）报告：“编制方案未获批 <急> & 待协调”；区法制办（1.1.1）报告：“按计划推进中”。"
	if got != want {
		t.Errorf("project paragraph =\n%s\nwant\n%s", got, want)
	}
}
