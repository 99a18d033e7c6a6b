package digest

import (
	"fmt"
	"strings"
	"time"

	"github.com/luohu/reformbot/plan"
)

// The bulletin (通报) is the office's monthly report to the district's
// leaders, drafted from the digest: the same value, another rendering. Its
// words are built here (NewBulletin); docx.go lays them out as an official
// document (DOCX) and PlainText reads them back.

// BulletinInfo is what a bulletin needs beyond the digest.
type BulletinInfo struct {
	// Number is the 期号, counted per year by the store.
	Number int
	// Issuer is the issuing office (发文机关); "" means OfficeName.
	Issuer string
	// Date is the bulletin's date; zero means the digest's GeneratedAt.
	Date time.Time
	// NextPrompt is when the next period's prompt goes out; zero when not
	// known, and 五、下一步工作 then names no date.
	NextPrompt time.Time
}

// Bulletin is the text of one 通报, in reading order. Every paragraph is
// Simplified Chinese; Lead is a run-in heading such as （一）…… set in 楷体.
type Bulletin struct {
	Title    string // 《plan》实施进展情况通报
	Issue    string // （2017年第4期）
	Issuer   string
	Date     string // 2017年5月2日
	Sections []BulletinSection
	Period   plan.Period
	Number   int
}

// BulletinSection is a numbered part: 一、总体情况 and so on.
type BulletinSection struct {
	Heading string
	Paras   []BulletinPara
}

// BulletinPara is one body paragraph.
type BulletinPara struct {
	Lead string // run-in heading, e.g. （一）强区放权改革（红灯）。; may be empty
	Text string
	// Editable marks the office's placeholder text, highlighted in the
	// document so it is rewritten before the bulletin goes out.
	Editable bool
}

// Quote lengths, in runes, for what units wrote.
const (
	quoteProgress   = 40
	quoteDifficulty = 120
)

// NewBulletin builds the bulletin of in.Period. in.Reports should hold the
// current reports of the period and the three before it: the bulletin
// compares the period with the previous one, whose own stalled pairs need
// three periods of history. The previous period is not compared when it
// belongs to another year (another plan).
func NewBulletin(in Input, info BulletinInfo) *Bulletin {
	d := Build(in)
	var prev *Digest
	if p, err := plan.ParsePeriod(string(in.Period)); err == nil && p == in.Period && !p.IsYear() && p.Prev().Year() == p.Year() {
		pin := in
		pin.Period, pin.Acceptance, pin.Failed = p.Prev(), nil, nil
		prev = Build(pin)
	}
	// The next steps mention year-end acceptance from the period before the
	// year's last (November, or the third quarter's bulletin sent in
	// October) on: the request goes out on 1 December.
	yearEnd := false
	if in.Plan != nil && in.Plan.Reporting.Acceptance {
		yearEnd = d.Period.Next().Next().Year() != d.Period.Year() || d.Acceptance != nil
	}
	return d.bulletin(prev, info, yearEnd)
}

// bulletin writes the bulletin of d; prev is the previous period's digest
// or nil; yearEnd asks the next steps to mention year-end acceptance.
func (d *Digest) bulletin(prev *Digest, info BulletinInfo, yearEnd bool) *Bulletin {
	issuer := info.Issuer
	if issuer == "" {
		issuer = OfficeName
	}
	date := info.Date
	if date.IsZero() {
		date = d.GeneratedAt
	}
	title := "改革工作进展情况通报"
	if t := strings.Trim(strings.TrimSpace(d.PlanTitle), "《》"); t != "" {
		title = "《" + t + "》实施进展情况通报"
	}
	b := &Bulletin{
		Title:  title,
		Issue:  fmt.Sprintf("（%d年第%d期）", d.Period.Year(), info.Number),
		Issuer: issuer,
		Date:   cnDate(date.In(d.location())),
		Period: d.Period,
		Number: info.Number,
	}
	secs := []BulletinSection{
		{Heading: "总体情况", Paras: d.overall(prev)},
		{Heading: "各项目进展", Paras: d.projectParas()},
		{Heading: "存在的困难和问题", Paras: d.problemParas()},
		{Heading: "未按时报送单位", Paras: d.lateParas(date)},
	}
	if d.Acceptance != nil {
		secs = append(secs, BulletinSection{Heading: "年度成果验收情况", Paras: d.acceptanceParas()})
	}
	secs = append(secs, BulletinSection{Heading: "下一步工作", Paras: d.nextSteps(issuer, info.NextPrompt, yearEnd)})
	for i := range secs {
		secs[i].Heading = cnNumber(i+1) + "、" + secs[i].Heading
	}
	b.Sections = secs
	return b
}

// statusCounts counts the period's reported pairs by status.
func (d *Digest) statusCounts() map[plan.Status]int {
	n := map[plan.Status]int{}
	for _, m := range d.Measures {
		for _, u := range m.Units {
			if u.Reported {
				n[u.Status]++
			}
		}
	}
	return n
}

// lightCounts counts the projects by light.
func (d *Digest) lightCounts() map[Light]int {
	n := map[Light]int{}
	for _, c := range d.Categories {
		for _, p := range c.Projects {
			n[p.Light]++
		}
	}
	return n
}

// hasDeadlines reports whether any measure of the digest has a deadline.
func (d *Digest) hasDeadlines() bool {
	for _, m := range d.Measures {
		if m.Deadline != "" {
			return true
		}
	}
	return false
}

// overall is 一、总体情况.
func (d *Digest) overall(prev *Digest) []BulletinPara {
	t := d.Totals
	units := map[string]bool{}
	measures := 0
	for _, m := range d.Measures {
		if len(m.Units) > 0 {
			measures++
		}
		for _, u := range m.Units {
			units[u.Unit] = true
		}
	}
	label := periodLabel(d.Period)
	if t.Pairs == 0 {
		return []BulletinPara{{Text: label + "，改革计划中没有明确责任单位的任务，本期无应报送事项。"}}
	}
	p1 := fmt.Sprintf("%s，改革计划共有%d项任务明确了责任单位，涉及%d个单位，应报送进展%d项（按任务和责任单位计，下同），已报送%d项，填报率%d%%",
		label, measures, len(units), t.Pairs, t.Reported, t.Percent())
	if prev != nil && prev.Totals.Pairs > 0 {
		p1 += "，" + change(periodLabel(prev.Period), t.Percent()-prev.Totals.Percent())
	}
	p1 += "。"
	n := d.statusCounts()
	p2 := fmt.Sprintf("从报送情况看，已完成%d项，按计划推进%d项，进度滞后%d项，存在困难需协调%d项",
		n[plan.Done], n[plan.OnTrack], n[plan.Behind], n[plan.NeedsHelp])
	if prev != nil && prev.Totals.Pairs > 0 {
		pn := prev.statusCounts()
		p2 += fmt.Sprintf("（上期分别为%d项、%d项、%d项、%d项）", pn[plan.Done], pn[plan.OnTrack], pn[plan.Behind], pn[plan.NeedsHelp])
	}
	if d.hasDeadlines() {
		p2 += fmt.Sprintf("；已到完成时限仍未完成的逾期事项%d项", t.Overdue)
		if prev != nil && prev.Totals.Pairs > 0 {
			p2 += fmt.Sprintf("（上期%d项）", prev.Totals.Overdue)
		}
	}
	p2 += "。"
	l := d.lightCounts()
	p3 := fmt.Sprintf("从项目看，%d个项目中，红灯%d个、黄灯%d个、绿灯%d个", l[Red]+l[Yellow]+l[Green], l[Red], l[Yellow], l[Green])
	if prev != nil && prev.Totals.Pairs > 0 {
		pl := prev.lightCounts()
		p3 += fmt.Sprintf("（上期红灯%d个、黄灯%d个、绿灯%d个）", pl[Red], pl[Yellow], pl[Green])
	}
	var red []string
	for _, c := range d.Categories {
		for _, p := range c.Projects {
			if p.Light == Red {
				red = append(red, fmt.Sprintf("%s %s（%s）", p.ID, p.Title, redReason(p)))
			}
		}
	}
	if len(red) > 0 {
		p3 += "。红灯项目为：" + strings.Join(red, "、")
	}
	p3 += "。"
	return []BulletinPara{{Text: p1}, {Text: p2}, {Text: p3}}
}

// redReason says why a project is red, by the light rule.
func redReason(p Project) string {
	var why []string
	if p.Hard > 0 {
		why = append(why, fmt.Sprintf("存在困难%d项", p.Hard))
	}
	if p.Overdue > 0 {
		why = append(why, fmt.Sprintf("逾期%d项", p.Overdue))
	}
	if p.Reported*2 < p.Total {
		why = append(why, fmt.Sprintf("报送%d/%d", p.Reported, p.Total))
	}
	return strings.Join(why, "，")
}

// change words the change of the reporting rate since the previous period.
func change(prevLabel string, diff int) string {
	switch {
	case diff > 0:
		return fmt.Sprintf("比上期（%s）提高%d个百分点", prevLabel, diff)
	case diff < 0:
		return fmt.Sprintf("比上期（%s）降低%d个百分点", prevLabel, -diff)
	}
	return fmt.Sprintf("与上期（%s）持平", prevLabel)
}

// cnDate is a date as official documents write it: 2017年5月2日.
func cnDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// cnDeadline is an ISO date as cnDate, or as given when malformed.
func cnDeadline(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return cnDate(t)
}

// cnNumber is n in Chinese numerals, 1 to 99: 一, 十, 十一, 二十三.
func cnNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n > 99:
		return fmt.Sprint(n)
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	default:
		return digits[n/10] + "十" + digits[n%10]
	}
}
