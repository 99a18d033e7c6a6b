package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

var cst = time.FixedZone("CST", 8*3600)

// plan2025 is a small real plan of another district and year than the
// embedded sample.
func plan2025() *plan.Plan {
	return &plan.Plan{
		Title:     "示范区2025年改革工作要点",
		Issuers:   []string{"示范区委改革办"},
		Year:      2025,
		Reporting: plan.Reporting{Cadence: plan.Monthly, Acceptance: true},
		Categories: []plan.Category{{Number: 1, Title: "重点改革", Projects: []plan.Project{{
			Number: 1, Title: "营商环境改革", Measures: []plan.Measure{
				{ID: "1.1.1", Title: "推进审批制度改革", Text: "推进审批制度改革。压减审批时限。", LeadUnits: []string{"区数据局"}, CoUnits: []string{"区市场局"}},
				{ID: "1.1.2", Title: "清理涉企收费", Text: "清理涉企收费。", LeadUnits: []string{"区市场局"}, CoUnits: []string{}},
				{ID: "1.1.3", Title: "优化社区卫生服务", Text: "优化社区卫生服务。", LeadUnits: []string{"区卫计局"}, CoUnits: []string{}},
			},
		}}}},
		Units: []plan.Unit{
			{Name: "区数据局", Aliases: []string{}},
			{Name: "区市场局", Aliases: []string{}},
			{Name: "区卫计局", Aliases: []string{}},
		},
	}
}

// plan2026 is the next year's plan: 1.1.2 removed, 1.1.4 added, 1.1.1
// reassigned, 区卫计局 renamed 区卫健局.
func plan2026() *plan.Plan {
	p := plan2025()
	p.Title, p.Year = "示范区2026年改革工作要点", 2026
	ms := &p.Categories[0].Projects[0].Measures
	*ms = []plan.Measure{
		{ID: "1.1.1", Title: "推进审批制度改革", Text: "推进审批制度改革。压减审批时限。", LeadUnits: []string{"区市场局"}, CoUnits: []string{"区数据局"}},
		{ID: "1.1.3", Title: "优化社区卫生服务", Text: "优化社区卫生服务。", LeadUnits: []string{"区卫健局"}, CoUnits: []string{}},
		{ID: "1.1.4", Title: "建设智慧街区", Text: "建设智慧街区。", LeadUnits: []string{"区数据局"}, CoUnits: []string{}, Deadline: "2026-01-10"},
		{ID: "1.1.5", Title: "推行街道综合执法", Text: "推行街道综合执法。", LeadUnits: []string{"区数据局"}, CoUnits: []string{"各街道办"}},
	}
	p.Units = []plan.Unit{
		{Name: "区数据局", Aliases: []string{}},
		{Name: "区市场局", Aliases: []string{}},
		{Name: "区卫健局", Aliases: []string{}, Formerly: []string{"区卫计局"}},
		{Name: "各街道办", Aliases: []string{}, Group: true},
	}
	return p
}

func writePlan(t *testing.T, dir, name string, p *plan.Plan) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := p.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPlanActivateKeepsVersionsAndShowsTheDiff(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"REFORMBOT_DB": filepath.Join(dir, "r.db")}
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, cst)
	y25 := writePlan(t, dir, "2025.yaml", plan2025())

	out, stderr, code := runCmd(t, vars, now, "plan", "activate", y25)
	if code != 0 || !strings.Contains(out, "new year 2025: 示范区2025年改革工作要点, 3 measures") || !strings.Contains(out, "activated 2025 v1") {
		t.Fatalf("first activation: exit %d\n%s%s", code, out, stderr)
	}
	out, _, code = runCmd(t, vars, now, "plan", "activate", y25)
	if code != 0 || !strings.Contains(out, "2025 v1 is already in force") {
		t.Errorf("same file again: exit %d\n%s", code, out)
	}

	amended := plan2025()
	ms := &amended.Categories[0].Projects[0].Measures
	(*ms)[0].LeadUnits = []string{"区卫计局"}
	*ms = append((*ms)[:1], (*ms)[2])
	out, _, code = runCmd(t, vars, now, "plan", "activate", writePlan(t, dir, "2025b.yaml", amended))
	for _, want := range []string{"changes against 2025 v1:", "- 1.1.2 removed", "~ 1.1.1 reassigned: 区数据局 / 协办 区市场局 → 区卫计局 / 协办 区市场局", "activated 2025 v2"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("amendment: exit %d, want %q in\n%s", code, want, out)
		}
	}

	broken := plan2025()
	broken.Categories[0].Projects[0].Measures[0].LeadUnits = nil
	_, stderr, code = runCmd(t, vars, now, "plan", "activate", writePlan(t, dir, "broken.yaml", broken))
	if code == 0 || !strings.Contains(stderr, "broken.yaml:") {
		t.Errorf("a broken plan: exit %d, %s", code, stderr)
	}
	noYear := plan2025()
	noYear.Year = 0
	_, stderr, code = runCmd(t, vars, now, "plan", "activate", writePlan(t, dir, "noyear.yaml", noYear))
	if code == 0 || !strings.Contains(stderr, "has no year") {
		t.Errorf("a plan without a year: exit %d, %s", code, stderr)
	}

	out, _, code = runCmd(t, vars, now, "plan", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[1], "2025   1 ") || !strings.HasPrefix(lines[2], "2025   2* ") ||
		!strings.Contains(lines[2], " 2 ") || strings.Contains(out, "sample") {
		t.Errorf("plan list: exit %d\n%s", code, out)
	}
}

func TestPlanListOnAnEmptyDatabase(t *testing.T) {
	vars := map[string]string{"REFORMBOT_DB": filepath.Join(t.TempDir(), "r.db")}
	out, _, code := runCmd(t, vars, april20, "plan", "list")
	if code != 0 || !strings.Contains(out, "示例计划") || !strings.Contains(out, "plan activate FILE") {
		t.Errorf("plan list: exit %d\n%s", code, out)
	}
}

// storyClock is serve's clock in the story: the test moves it.
type storyClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *storyClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *storyClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// story runs serve, the operator's commands and Telegram users against one
// database, on a clock the test moves.
type story struct {
	t      *testing.T
	api    *fakeapi.Server
	dir    string
	vars   map[string]string
	clock  *storyClock
	stop   func()
	served chan error
	log    *syncBuffer
}

func newStory(t *testing.T, start time.Time) *story {
	api := fakeapi.NewServer(t, fakeapi.WithOneActionPerButton())
	dir := t.TempDir()
	s := &story{t: t, api: api, dir: dir, clock: &storyClock{t: start}, vars: map[string]string{
		"TELEGRAM_BOT_TOKEN": api.Token(),
		"TELEGRAM_API_URL":   api.URL(),
		"REFORMBOT_DB":       filepath.Join(dir, "reformbot.db"),
	}}
	t.Cleanup(s.halt)
	return s
}

// serve starts serve and waits until it polls.
func (s *story) serve(args ...string) {
	s.t.Helper()
	env, _, log := testEnv(s.vars, time.Time{})
	env.Now = s.clock.Now
	s.log = log
	ctx, cancel := context.WithCancel(context.Background())
	s.stop, s.served = cancel, make(chan error, 1)
	// deleteWebhook comes once per start, after getMe: a long poll of the
	// serve before may still be counted after it stopped.
	before := s.api.RequestCount("deleteWebhook")
	go func() {
		s.served <- run(ctx, append([]string{"serve", "--poll-timeout", "1s", "--rate", "1000", "--chat-rate", "1000"}, args...), env)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for s.api.RequestCount("deleteWebhook") == before {
		select {
		case err := <-s.served:
			s.t.Fatalf("serve exited: %v\n%s", err, log.String())
		default:
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("serve did not start:\n%s", log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *story) halt() {
	if s.stop == nil {
		return
	}
	s.stop()
	s.stop = nil
	select {
	case err := <-s.served:
		if err != nil {
			s.t.Errorf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		s.t.Error("serve did not stop")
	}
}

// cli runs an operator's command at the story's time; it must succeed.
func (s *story) cli(args ...string) string {
	s.t.Helper()
	out, stderr, code := runCmd(s.t, s.vars, s.clock.Now(), args...)
	if code != 0 {
		s.t.Fatalf("%v: exit %d\n%s%s", args, code, out, stderr)
	}
	return out
}

// next waits for a message to user after the first n containing want.
func (s *story) next(user fakeapi.User, n int, want string) fakeapi.Message {
	s.t.Helper()
	var found fakeapi.Message
	s.api.WaitFor(s.t, 10*time.Second, func([]fakeapi.Message) bool {
		msgs := s.api.SentTo(user.ID)
		for i := n; i < len(msgs); i++ {
			if strings.Contains(msgs[i].PlainText, want) {
				found = msgs[i]
				return true
			}
		}
		return false
	})
	return found
}

// say sends text and waits for the reply containing want.
func (s *story) say(user fakeapi.User, text, want string) fakeapi.Message {
	s.t.Helper()
	n := len(s.api.SentTo(user.ID))
	s.api.SendText(user, text)
	return s.next(user, n, want)
}

// sayUntil sends text until the answer contains want (a plan activated
// elsewhere reaches serve within 10 s), and returns the last answer.
func (s *story) sayUntil(user fakeapi.User, text, want string) fakeapi.Message {
	s.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; {
		n := len(s.api.SentTo(user.ID))
		s.api.SendText(user, text)
		m := s.next(user, n, "")
		if strings.Contains(m.PlainText, want) || time.Now().After(deadline) {
			return m
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// press presses a button and waits for the reply containing want.
func (s *story) press(user fakeapi.User, m fakeapi.Message, button, want string) fakeapi.Message {
	s.t.Helper()
	n := len(s.api.SentTo(user.ID))
	if _, err := s.api.PressButton(user, m.MessageID, button); err != nil {
		s.t.Fatalf("press %q: %v\n%s", button, err, m.PlainText)
	}
	return s.next(user, n, want)
}

// bind invites user to unit and binds them.
func (s *story) bind(user fakeapi.User, args ...string) {
	s.t.Helper()
	out := s.cli(append([]string{"invite"}, args...)...)
	code := strings.TrimSpace(out[strings.LastIndexByte(strings.TrimSpace(out), '\n')+1:])
	s.say(user, "/start "+code, "绑定成功")
}

// report answers a measure's 填报进展 from 我的任务.
func (s *story) report(user fakeapi.User, measure, status, text string) {
	s.t.Helper()
	tasks := s.say(user, "我的任务", "共 ")
	detail := s.press(user, tasks, buttonFor(s.t, tasks, measure), "任务内容")
	choose := s.press(user, detail, buttonFor(s.t, detail, "填报进展"), "请选择本期进展状态")
	s.press(user, choose, status, "状态："+status)
	s.say(user, text, "已保存")
}

// buttonFor returns the text of m's button starting with prefix.
func buttonFor(t *testing.T, m fakeapi.Message, prefix string) string {
	t.Helper()
	for _, b := range m.Markup.Buttons() {
		if strings.HasPrefix(b.Text, prefix) {
			return b.Text
		}
	}
	t.Fatalf("no button %q in\n%s", prefix, m.PlainText)
	return ""
}

func (s *story) db() *store.DB {
	s.t.Helper()
	db, err := store.Open(context.Background(), s.vars["REFORMBOT_DB"], store.Options{Now: s.clock.Now})
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { db.Close() })
	return db
}

// Two years of an office's life through the documented commands, the real
// client and the fake Bot API.
func TestTwoYears(t *testing.T) {
	s := newStory(t, time.Date(2025, 12, 15, 10, 0, 0, 0, cst))
	y25 := writePlan(t, s.dir, "2025.yaml", plan2025())
	y26 := writePlan(t, s.dir, "2026.yaml", plan2026())

	s.cli("plan", "activate", y25)
	s.serve()
	if strings.Contains(s.log.String(), "示例计划") {
		t.Errorf("serve without --plan replaced the database's plan by the sample:\n%s", s.log.String())
	}
	data := fakeapi.User{ID: 1001, FirstName: "数据局小王"}
	market := fakeapi.User{ID: 1002, FirstName: "市场局小李"}
	health := fakeapi.User{ID: 1003, FirstName: "卫计局小赵"}
	boss := fakeapi.User{ID: 9001, FirstName: "主任"}
	s.bind(data, "区数据局")
	s.bind(market, "区市场局")
	s.bind(health, "区卫计局")
	s.bind(boss, "--office")

	s.report(data, "1.1.1", "按计划推进", "审批时限压减一半。")
	s.report(market, "1.1.2", "已完成", "收费目录已公布。")
	s.report(health, "1.1.3", "按计划推进", "社区医院改造过半。")
	digestAt := time.Date(2026, 1, 5, 9, 0, 0, 0, cst)
	before, _, code := runCmd(t, s.vars, digestAt, "digest", "--period", "2025-12", "--format", "json")
	if code != 0 || !strings.Contains(before, "审批时限压减一半") {
		t.Fatalf("2025-12 digest: exit %d\n%s", code, before)
	}

	// January: the office activates 2026 while serve runs.
	s.clock.Set(time.Date(2026, 1, 20, 10, 0, 0, 0, cst))
	out := s.cli("plan", "activate", y26)
	if !strings.Contains(out, "new year 2026") {
		t.Errorf("activate 2026:\n%s", out)
	}
	tasks := s.sayUntil(data, "我的任务", "1.1.4")
	// The office's command menu's examples follow: 1.1.1 is 区市场局's in 2026.
	s.api.WaitFor(t, 10*time.Second, func([]fakeapi.Message) bool {
		for _, c := range s.api.CommandsFor("chat:9001", "") {
			if strings.Contains(c.Description, "/unit 区市场局") {
				return true
			}
		}
		return false
	})
	if !strings.Contains(tasks.PlainText, "1.1.4 建设智慧街区") || !strings.Contains(tasks.PlainText, "2026年1月") {
		t.Fatalf("我的任务 within 10 s of activating 2026:\n%s", tasks.PlainText)
	}
	// 1.1.4 was due on 10 January.
	if !strings.Contains(tasks.PlainText, "时限：2026年1月10日前（已逾期）") {
		t.Errorf("1.1.4 is not 逾期 on 20 January:\n%s", tasks.PlainText)
	}

	// 区卫计局 is 区卫健局 now: its contact carries on under the new name,
	// the office finds it by the old one.
	if out := s.cli("contacts"); !regexp.MustCompile(`1003\s+contact\s+区卫健局`).MatchString(out) {
		t.Errorf("contacts after the rename:\n%s", out)
	}
	healthTasks := s.say(health, "我的任务", "共 ")
	if !strings.Contains(healthTasks.PlainText, "区卫健局") || !strings.Contains(healthTasks.PlainText, "1.1.3") {
		t.Errorf("我的任务 of the renamed unit:\n%s", healthTasks.PlainText)
	}
	if m := s.say(boss, "/unit 区卫计局", "区卫健局"); !strings.Contains(m.PlainText, "1.1.3") {
		t.Errorf("/unit 区卫计局:\n%s", m.PlainText)
	}

	after, _, _ := runCmd(t, s.vars, digestAt, "digest", "--period", "2025-12", "--format", "json")
	if after != before {
		t.Errorf("the 2025-12 digest changed when 2026 was activated:\nbefore %s\nafter  %s", before, after)
	}

	// 2025's year-end acceptance is still taken in January 2026.
	detail := s.press(data, tasks, buttonFor(t, tasks, "1.1.1"), "任务内容")
	s.press(data, detail, "提交成果材料", "2025年度）成果材料")
	s.say(data, "全年审批时限压减60%。", "已保存")
	db := s.db()
	if rep, err := db.CurrentReport(context.Background(), 2025, "1.1.1", "区数据局", "2025"); err != nil || rep.Text != "全年审批时限压减60%。" {
		t.Errorf("2025 acceptance in January 2026: %+v, %v", rep, err)
	}
	// The renamed unit submits 2025's results under the name it had then.
	detail = s.press(health, healthTasks, buttonFor(t, healthTasks, "1.1.3"), "任务内容")
	s.press(health, detail, "提交成果材料", "2025年度）成果材料")
	s.say(health, "社区医院全部改造完成。", "已保存")
	if rep, err := db.CurrentReport(context.Background(), 2025, "1.1.3", "区卫计局", "2025"); err != nil || rep.Text != "社区医院全部改造完成。" {
		t.Errorf("2025 acceptance of the renamed unit: %+v, %v", rep, err)
	}

	// 各街道办 is two street offices: each is invited, sees the group's
	// measure, reports on its own and is counted on its own; the lead unit
	// sees both.
	out = s.cli("plan", "members", "各街道办", "东门街道办", "桂园街道办")
	if !strings.Contains(out, "changes against 2026 v1:") || !strings.Contains(out, "~ group 各街道办: members 东门街道办、桂园街道办") || !strings.Contains(out, "activated 2026 v2") {
		t.Errorf("plan members:\n%s", out)
	}
	if _, stderr, code := runCmd(t, s.vars, s.clock.Now(), "invite", "各街道办"); code == 0 || !strings.Contains(stderr, "invite a member") {
		t.Errorf("inviting the group itself: exit %d, %s", code, stderr)
	}
	dongmen := fakeapi.User{ID: 2001, FirstName: "东门小陈"}
	guiyuan := fakeapi.User{ID: 2002, FirstName: "桂园小周"}
	s.bind(dongmen, "东门街道办")
	s.bind(guiyuan, "桂园街道办")
	if m := s.sayUntil(dongmen, "我的任务", "1.1.5"); !strings.Contains(m.PlainText, "1.1.5 推行街道综合执法") || !strings.Contains(m.PlainText, "来自各街道办") {
		t.Errorf("a member's 我的任务:\n%s", m.PlainText)
	}
	s.report(dongmen, "1.1.5", "按计划推进", "东门已组建执法队。")
	missing := s.say(boss, "未填报单位", "未填报").PlainText
	if !strings.Contains(missing, "桂园街道办") || strings.Contains(missing, "东门街道办") {
		t.Errorf("/missing does not count the members on their own:\n%s", missing)
	}
	s.report(guiyuan, "1.1.5", "进度滞后", "桂园人员未到位。")
	tasks = s.say(data, "我的任务", "共 ")
	lead := s.press(data, tasks, buttonFor(t, tasks, "1.1.5"), "任务内容").PlainText
	if !strings.Contains(lead, "东门已组建执法队") || !strings.Contains(lead, "桂园人员未到位") {
		t.Errorf("the lead unit does not see every member's input:\n%s", lead)
	}
	jan, _, _ := runCmd(t, s.vars, s.clock.Now(), "digest", "--period", "2026-01", "--format", "json")
	if !strings.Contains(jan, `"status_code": "on_track"`) || !strings.Contains(jan, `"unit": "东门街道办"`) || !strings.Contains(jan, `"unit": "桂园街道办"`) {
		t.Errorf("January's digest lacks the members:\n%s", jan)
	}

	// A restart without --plan keeps 2026.
	s.halt()
	s.serve()
	list := s.cli("plan", "list")
	if strings.Contains(list, "sample") || !strings.Contains(list, "2026   2*") || !strings.Contains(list, "2025   1*") {
		t.Errorf("plan list after a restart without --plan:\n%s", list)
	}
	tasks = s.say(data, "我的任务", "共 ")
	if !strings.Contains(tasks.PlainText, "1.1.4") {
		t.Errorf("我的任务 after a restart:\n%s", tasks.PlainText)
	}

	// An operator's period outside every plan says which years exist.
	_, stderr, code := runCmd(t, s.vars, s.clock.Now(), "prompt", "--period", "2024-05")
	if code == 0 || !strings.Contains(stderr, "2025, 2026") {
		t.Errorf("prompt --period 2024-05: exit %d, %s", code, stderr)
	}
}

func TestServeWarnsPastThePlansYear(t *testing.T) {
	s := newStory(t, time.Date(2026, 2, 10, 10, 0, 0, 0, cst))
	s.cli("plan", "activate", writePlan(t, s.dir, "2025.yaml", plan2025()))
	s.serve()
	s.halt()
	if !strings.Contains(s.log.String(), "past the plan's year") {
		t.Errorf("no warning in February 2026 with only 2025's plan:\n%s", s.log.String())
	}
}

func TestServeOnAnEmptyDatabaseUsesTheSample(t *testing.T) {
	s := newStory(t, time.Date(2026, 2, 10, 10, 0, 0, 0, cst))
	s.serve()
	s.halt()
	if !strings.Contains(s.log.String(), "示例计划") || strings.Contains(s.log.String(), "past the plan's year") {
		t.Errorf("serve's log on an empty database:\n%s", s.log.String())
	}
	list := s.cli("plan", "list")
	if !strings.Contains(list, "sample 1*") || !strings.Contains(list, "示例计划") {
		t.Errorf("plan list:\n%s", list)
	}
	// A restart keeps it, and does not add a version.
	s.serve()
	s.halt()
	if again := s.cli("plan", "list"); again != list {
		t.Errorf("plan list after a restart:\n%s\nwas\n%s", again, list)
	}
}

// An amendment in mid-year: unchanged measures keep their reports, a
// removed measure stays in its periods' digests marked 已调整, a
// reassigned measure's new unit is prompted from the next campaign, and a
// unit the plan no longer names is told once.
func TestMidYearAmendment(t *testing.T) {
	s := newStory(t, time.Date(2025, 4, 20, 10, 0, 0, 0, cst))
	s.cli("plan", "activate", writePlan(t, s.dir, "2025.yaml", plan2025()))
	s.serve()
	data := fakeapi.User{ID: 1001, FirstName: "数据局小王"}
	market := fakeapi.User{ID: 1002, FirstName: "市场局小李"}
	health := fakeapi.User{ID: 1003, FirstName: "卫计局小赵"}
	s.bind(data, "区数据局")
	s.bind(market, "区市场局")
	s.bind(health, "区卫计局")
	s.report(data, "1.1.1", "按计划推进", "四月进展。")
	s.report(market, "1.1.2", "已完成", "收费目录已公布。")
	aprilAt := time.Date(2025, 5, 5, 9, 0, 0, 0, cst)

	// June: 1.1.2 is dropped and 1.1.1 goes to 区卫计局 alone.
	s.clock.Set(time.Date(2025, 6, 5, 10, 0, 0, 0, cst))
	amended := plan2025()
	ms := &amended.Categories[0].Projects[0].Measures
	(*ms)[0].LeadUnits, (*ms)[0].CoUnits = []string{"区卫计局"}, []string{"区数据局"}
	*ms = append((*ms)[:1], (*ms)[2])
	out := s.cli("plan", "activate", writePlan(t, s.dir, "2025b.yaml", amended))
	if !strings.Contains(out, "- 1.1.2 removed") || !strings.Contains(out, "~ 1.1.1 reassigned") {
		t.Errorf("activate the amendment:\n%s", out)
	}
	s.next(market, 0, "暂无任务")

	if rep, err := s.db().CurrentReport(context.Background(), 2025, "1.1.1", "区数据局", "2025-04"); err != nil || rep.Text != "四月进展。" {
		t.Errorf("an unchanged measure lost its report: %+v, %v", rep, err)
	}
	april, _, code := runCmd(t, s.vars, aprilAt, "digest", "--period", "2025-04", "--format", "json")
	if code != 0 || !strings.Contains(april, `"title": "清理涉企收费（已调整）"`) || !strings.Contains(april, "收费目录已公布") {
		t.Errorf("April's digest after the amendment:\n%s", april)
	}
	june, _, _ := runCmd(t, s.vars, time.Date(2025, 7, 2, 9, 0, 0, 0, cst), "digest", "--period", "2025-06", "--format", "json")
	if strings.Contains(june, "清理涉企收费") || !strings.Contains(june, "区卫计局") {
		t.Errorf("June's digest after the amendment:\n%s", june)
	}

	// The next campaign prompts the new lead unit for 1.1.1.
	s.cli("prompt", "--period", "2025-06")
	if m := s.next(health, 0, "2025年6月 改革任务进展填报"); !strings.Contains(m.PlainText, "1.1.1") {
		t.Errorf("区卫计局's prompt lacks 1.1.1:\n%s", m.PlainText)
	}
	if out := s.cli("contacts"); !regexp.MustCompile(`1002\s+contact\s+区市场局.*none in the plan in force`).MatchString(out) {
		t.Errorf("contacts does not show 区市场局 without tasks:\n%s", out)
	}

	// Told once: a restart says nothing more.
	s.halt()
	s.serve()
	s.halt()
	told := 0
	for _, m := range s.api.SentTo(market.ID) {
		if strings.Contains(m.PlainText, "暂无任务") {
			told++
		}
	}
	notices, err := s.db().Messages(context.Background(), "notice", "")
	if told != 1 || err != nil || len(notices) != 1 {
		t.Errorf("区市场局's contact was told %d times (%d notices in the outbox, %v), want once", told, len(notices), err)
	}
}

func TestPlanMembersEditsAFile(t *testing.T) {
	dir := t.TempDir()
	path := writePlan(t, dir, "2026.yaml", plan2026())
	vars := map[string]string{"REFORMBOT_DB": filepath.Join(dir, "r.db")}
	out, stderr, code := runCmd(t, vars, april20, "plan", "members", "--plan", path, "各街道办", "东门街道办", "桂园街道办")
	if code != 0 || !strings.Contains(out, "wrote "+path) {
		t.Fatalf("plan members --plan: exit %d\n%s%s", code, out, stderr)
	}
	p, err := plan.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := p.Unit("各街道办"); strings.Join(g.Members, ",") != "东门街道办,桂园街道办" {
		t.Errorf("members in the file = %v", g.Members)
	}
	if got := p.Tasks("桂园街道办"); len(got) != 1 || got[0].Measure.ID != "1.1.5" || got[0].Via != "各街道办" {
		t.Errorf("桂园街道办's tasks = %+v", got)
	}
	if out, _, code := runCmd(t, vars, april20, "plan", "check", path); code != 0 {
		t.Errorf("plan check after plan members: %s", out)
	}
	for _, tt := range []struct{ args, want string }{
		{"区数据局 东门街道办", "not a group"},
		{"各局 东门街道办", "not a unit"},
		{"各街道办 各街道办", "a group itself"},
	} {
		_, stderr, code := runCmd(t, vars, april20, append([]string{"plan", "members", "--plan", path}, strings.Fields(tt.args)...)...)
		if code == 0 || !strings.Contains(stderr, tt.want) {
			t.Errorf("plan members %s: exit %d, %q; want %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestServePlanFlagActivates(t *testing.T) {
	s := newStory(t, time.Date(2025, 3, 10, 10, 0, 0, 0, cst))
	y25 := writePlan(t, s.dir, "2025.yaml", plan2025())
	s.serve("--plan", y25)
	s.halt()
	amended := plan2025()
	amended.Categories[0].Projects[0].Measures[1].Title = "清理规范涉企收费"
	s.serve("--plan", writePlan(t, s.dir, "2025b.yaml", amended))
	s.halt()
	if !strings.Contains(s.log.String(), "1.1.2 retitled") {
		t.Errorf("serve --plan with a changed file logs no diff:\n%s", s.log.String())
	}
	s.serve("--plan", writePlan(t, s.dir, "2025c.yaml", amended))
	s.halt()
	list := s.cli("plan", "list")
	if !strings.Contains(list, "2025   1 ") || !strings.Contains(list, "2025   2* ") || strings.Contains(list, "2025   3") || strings.Contains(list, "sample") {
		t.Errorf("plan list after serve --plan three times (the last unchanged):\n%s", list)
	}
}
