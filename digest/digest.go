// Package digest turns one period's reports into the reform office's digest:
// a value computed by a pure function, Build, and its renderings —
// Telegram messages (Messages), the JSON contract (JSON), an Excel workbook
// (XLSX) and a bar chart (PNG).
//
// # Who is counted
//
// Every (measure, responsible unit) pair of the plan counts once, as
// plan.Plan.Assignments lists them: a group whose members the office listed
// stands for each member, a group without members for itself, and a unit
// named both lead and co counts as lead. A pair is reported when there is a
// current report for (measure, unit, period). Superseded versions, and
// reports for pairs the plan does not assign, are ignored.
//
// # Rules
//
// Difficulty (存在困难需协调): a pair whose report for the period has that
// status. The digest lists each with its text.
//
// Stalled (停滞, "no change for 3 periods in a row"): a pair reported in the
// period and in each of the two periods before it, with the same status all
// three times, and that status is not 已完成. When the status is 按计划推进
// the progress text must also be the same in all three, white space aside:
// "on track" month after month with new progress described is normal work,
// not a stall. 进度滞后 or 存在困难需协调 three times running is a stall
// whatever the text says.
//
// Overdue (逾期): a pair whose measure has a Deadline (plan.Measure.Deadline)
// that has passed by the cutoff — the end of the period, or the digest's
// GeneratedAt when that is earlier (a mid-period overview) — and whose
// latest status is not 已完成. The latest status is the period's report,
// or, when the pair has none this period, its report of the period before
// (then the one before that): a unit that finished in March and has
// nothing new to say in April is not overdue. An unreported pair with no
// 已完成 behind it is overdue. A deadline is a whole day: 2017-04-30 passes
// at the start of 1 May.
//
// Light (红/黄/绿) of a project, over its pairs in the period; the first rule
// that matches wins:
//   - red: any pair reports 存在困难需协调, any pair is overdue, or fewer than
//     half of the pairs reported;
//   - yellow: any pair reports 进度滞后, is not reported, or is stalled;
//   - green: every pair reported, none behind, in difficulty or stalled.
//
// A project none of whose measures names a unit has no pairs and no light;
// it is left out of the project list and the chart.
//
// Missing (未填报): the pairs without a report, grouped by unit in the plan's
// unit order (units the plan does not list follow, by first appearance),
// measure IDs in document order.
//
// Unbound (未绑定): the units that must report (every unit of a pair) and
// have never had a contact bound: no contact of Input.Contacts, in any
// status, names the unit, one of its former names (plan.Unit.Formerly) or
// a name a later plan gave it (Input.Renamed).
// Plan order, then first appearance, as for missing. A unit listed here is
// also missing for each of its pairs: unbound says why nobody reported.
//
// Unreachable (无法送达): unit and office contacts whose status is blocked,
// plus contacts whose message of the period failed; one entry per user.
// Revoked contacts, and failed messages for users who are not contacts, are
// left out: the office has nobody to chase there.
//
// Acceptance (成果验收): in the digest of the year's last period (December
// or Q4) when the plan asks for year-end acceptance, and in any digest given
// acceptance submissions: for every measure its lead units, the current
// submissions for the year, and the lead units that have submitted none.
package digest

import (
	"time"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// OfficeName stands for the unit of an office contact, whose Unit is empty.
const OfficeName = "区委改革办"

// Input is everything a digest is computed from. Build reads it and keeps no
// reference to it.
type Input struct {
	Plan *plan.Plan
	// Period is the period the digest is about: a month "2017-04" or a
	// quarter "2017-Q2".
	Period plan.Period
	// Reports are the current reports of Period and of the two periods
	// before it (for stalled pairs). Reports of other periods and
	// superseded versions are ignored, so passing more is harmless.
	Reports []store.Report
	// Acceptance are the current acceptance submissions of the year (their
	// Period is the year, "2017"); the scheduler gives them to the digest
	// of the year's last period.
	Acceptance []store.Report
	// Contacts are all contacts; blocked ones are unreachable.
	Contacts []store.Contact
	// Renamed maps a unit's former name to the name a later plan gave it
	// (plan.Plan.Renames of every plan in force). Contacts move with a
	// rename, so a digest of an earlier year finds the old name's contacts
	// under the new one.
	Renamed map[string]string
	// Failed are the outbox messages of the period that ended failed.
	Failed []store.Message
	// Location is the office's time zone; times are shown in it. Nil means
	// Asia/Shanghai.
	Location *time.Location
	// GeneratedAt is when the digest was made.
	GeneratedAt time.Time
	// Returned are the office's returns (退回补充) of the period's current
	// reports (store.DB.ReturnedReports); Urges the period's 督办. See loop.go.
	Returned []store.Review
	Urges    []store.Urge
}

// Digest is the office's view of one period. Build makes it; the renderers
// read it. Lists are in the order the renderers show them.
type Digest struct {
	PlanTitle   string
	Period      plan.Period
	GeneratedAt time.Time // in Location
	Location    *time.Location
	Totals      Totals
	// Categories hold the projects with their lights, in document order.
	Categories   []Category
	Measures     []Measure
	Missing      []Missing
	Difficulties []Difficulty
	Stalled      []Stalled
	Unreachable  []Unreachable
	// Overdue are the overdue pairs in document order.
	Overdue []Overdue
	// Unbound are the units with pairs and no contact ever bound.
	Unbound []string
	// Acceptance is nil unless the digest has an acceptance section.
	Acceptance *Acceptance
	// Returned are the reports sent back for more (loop.go); Urged the
	// units pressed (督办) in the period, with how often.
	Returned []Returned
	Urged    []Urged
}

// Totals count the pairs of the period.
type Totals struct {
	Pairs        int // (measure, responsible unit) pairs
	Reported     int
	Missing      int
	Difficulties int
	Behind       int
	Done         int
	Stalled      int
	Overdue      int
}

// Percent is the share of pairs reported, as Percent rounds it.
func (t Totals) Percent() int { return Percent(t.Reported, t.Pairs) }

// Category is one of the plan's top sections with its projects.
type Category struct {
	Title    string
	Projects []Project
}

// Light is a project's traffic light.
type Light string

// Lights; see the package doc for the rules.
const (
	Red    Light = "red"
	Yellow Light = "yellow"
	Green  Light = "green"
)

// Label is the light's Chinese name: 红, 黄 or 绿.
func (l Light) Label() string {
	switch l {
	case Red:
		return "红"
	case Yellow:
		return "黄"
	}
	return "绿"
}

// Project is one project's standing in the period.
type Project struct {
	ID       string // e.g. "2.1"
	Title    string
	Category string
	Light    Light
	Total    int // pairs
	Reported int
	Missing  int
	Behind   int
	Hard     int // pairs reporting 存在困难需协调
	Stalled  int
	Overdue  int
}

// Percent is the share of the project's pairs reported, as Percent rounds
// it.
func (p Project) Percent() int { return Percent(p.Reported, p.Total) }

// Measure is one measure with every responsible unit's report.
type Measure struct {
	ID           string
	Title        string
	ProjectID    string
	ProjectTitle string
	Deadline     string       // YYYY-MM-DD from the plan, or ""
	Units        []UnitReport // lead units first, then co units
}

// UnitReport is one responsible unit's report on a measure for the period.
// Reported is false, and the rest zero, when there is none.
type UnitReport struct {
	Unit        string
	Role        plan.Role
	Reported    bool
	Status      plan.Status
	Text        string
	ReportedAt  time.Time // in the digest's Location
	Reporter    string
	Attachments int
	Stalled     bool
}

// Missing is a unit and the measures it has not reported on.
type Missing struct {
	Unit     string
	Measures []string // IDs in document order
}

// Difficulty is a report asking the office for help.
type Difficulty struct {
	MeasureID    string
	MeasureTitle string
	Unit         string
	Text         string
	Attachments  int
	ReportedAt   time.Time
	Reporter     string
}

// Stalled is a pair whose status has not changed for three periods.
type Stalled struct {
	MeasureID    string
	MeasureTitle string
	Unit         string
	Status       plan.Status
	Periods      []plan.Period // oldest first, ending with the digest's
}

// Overdue is a pair past its measure's deadline and not 已完成.
type Overdue struct {
	MeasureID    string
	MeasureTitle string
	Unit         string
	Role         plan.Role
	Deadline     string      // YYYY-MM-DD, as in the plan
	DeadlineText string      // the plan's words, e.g. 2017年6月底前; may be empty
	Status       plan.Status // the latest status seen, "" when none
}

// Unreachable is a contact the bot cannot reach.
type Unreachable struct {
	Unit    string // OfficeName for an office contact
	UserID  int64
	Name    string
	Blocked bool   // the contact is blocked (Telegram answered 403)
	Error   string // why the period's last failed message failed, if one did
}

// Acceptance is the year-end acceptance section.
type Acceptance struct {
	Year      int
	Measures  []AcceptanceMeasure
	Submitted int // measures with at least one submission
}

// AcceptanceMeasure is one measure's result materials.
type AcceptanceMeasure struct {
	ID          string
	Title       string
	LeadUnits   []string
	Submissions []Submission
	Pending     []string // lead units that have submitted nothing
}

// Submission is one unit's result materials for a measure.
type Submission struct {
	Unit        string
	Text        string
	Attachments int
	SubmittedAt time.Time
	Reporter    string
}

// Build computes the digest of in.Period. It does no I/O and reads no clock.
func Build(in Input) *Digest {
	loc := in.Location
	if loc == nil {
		loc = officeZone()
	}
	if in.Plan != nil {
		return newBuilder(in, loc).build()
	}
	d := emptyDigest(in, loc)
	d.Unreachable = unreachable(in)
	return d
}

// emptyDigest is a digest of in's period with nothing in it yet. Lists
// start empty, not nil: the JSON contract has arrays, never null.
func emptyDigest(in Input, loc *time.Location) *Digest {
	return &Digest{
		Period:       in.Period,
		GeneratedAt:  in.GeneratedAt.In(loc),
		Location:     loc,
		Categories:   []Category{},
		Measures:     []Measure{},
		Missing:      []Missing{},
		Difficulties: []Difficulty{},
		Stalled:      []Stalled{},
		Overdue:      []Overdue{},
		Unbound:      []string{},
		Returned:     []Returned{},
		Urged:        []Urged{},
	}
}

// officeZone is Asia/Shanghai, or its fixed offset when the system has no
// zone database (China has kept UTC+8 without daylight saving since 1991).
func officeZone() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
}

// Percent is n of total as a whole percentage, the one every rendering
// shows (text, JSON, chart, workbook, bulletin): rounded to nearest, but
// 100% only when all are in and 0% only when none are, since a leader
// reads 100% as "all done" (199/200 is 99%, 1/300 is 1%). 0 of 0 is 0%.
func Percent(n, total int) int {
	switch {
	case total <= 0 || n <= 0:
		return 0
	case n >= total:
		return 100
	}
	return min(max((n*200+total)/(2*total), 1), 99)
}
