package bot

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/sender"
	"github.com/luohu/reformbot/store"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// clock is the injected clock: the store and the bot's periods read it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// harness runs the real bot against the fake Bot API with a real SQLite
// file in a temporary directory.
type harness struct {
	t     testing.TB
	api   *fakeapi.Server
	db    *store.DB
	plan  *plan.Plan
	clock *clock
	cfg   Config
	bot   *Bot
	hook  func(*models.Update)

	stop func()
	done chan error
}

type harnessOption func(*harness)

func withPlan(p *plan.Plan) harnessOption { return func(h *harness) { h.plan = p } }

func withHook(f func(*models.Update)) harnessOption { return func(h *harness) { h.hook = f } }

func withConfig(f func(*Config)) harnessOption { return func(h *harness) { f(&h.cfg) } }

// newHarness starts a bot. The fake refuses buttons with more than one
// action, so every keyboard we send is checked against the strict reading
// of the Bot API.
func newHarness(t testing.TB, opts ...harnessOption) *harness {
	t.Helper()
	h := &harness{
		t:     t,
		api:   fakeapi.NewServer(t, fakeapi.WithOneActionPerButton()),
		plan:  testPlan(),
		clock: &clock{t: time.Date(2017, 4, 20, 10, 0, 0, 0, shanghai)},
	}
	h.cfg = Config{
		Token:       h.api.Token(),
		APIURL:      h.api.URL(),
		Location:    shanghai,
		PollTimeout: time.Second,
		Send:        sender.Config{Global: 1000, PerChat: 1000},
	}
	for _, o := range opts {
		o(h)
	}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "reformbot.db"), store.Options{Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h.db = db
	if _, err := db.Activate(context.Background(), h.plan); err != nil {
		t.Fatal(err)
	}
	h.start()
	t.Cleanup(h.halt)
	return h
}

func quietLog() *slog.Logger {
	if os.Getenv("BOT_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// start runs a new Bot on the harness's database and fake server, as a
// restarted process would.
func (h *harness) start() {
	h.t.Helper()
	b, err := New(h.cfg, h.db, h.plan, quietLog())
	if err != nil {
		h.t.Fatal(err)
	}
	b.beforeHandle = h.hook
	h.bot = b
	ctx, cancel := context.WithCancel(context.Background())
	h.stop = cancel
	h.done = make(chan error, 1)
	go func() { h.done <- b.Run(ctx) }()
}

// halt stops the running bot and waits for it.
func (h *harness) halt() {
	if h.stop == nil {
		return
	}
	h.stop()
	h.stop = nil
	select {
	case err := <-h.done:
		if err != nil && !errors.Is(err, context.Canceled) {
			h.t.Errorf("bot.Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		h.t.Error("bot did not stop within 10s")
	}
}

// invite makes an invite code and has user redeem it.
func (h *harness) bind(u fakeapi.User, role store.Role, unit string) {
	h.t.Helper()
	code, _, err := h.db.CreateInvite(context.Background(), role, unit, 24*time.Hour)
	if err != nil {
		h.t.Fatal(err)
	}
	since := len(h.sentTo(u.ID))
	h.api.SendText(u, "/start "+code)
	h.waitNew(u.ID, since, "绑定成功")
}

// waitText waits until the bot sent chatID a message containing want, and
// returns the newest such message.
func (h *harness) waitText(chatID int64, want string) fakeapi.Message {
	h.t.Helper()
	var found fakeapi.Message
	h.api.WaitFor(h.t, 30*time.Second, func(sent []fakeapi.Message) bool {
		for i := len(sent) - 1; i >= 0; i-- {
			if sent[i].ChatID == chatID && strings.Contains(sent[i].PlainText, want) {
				found = sent[i]
				return true
			}
		}
		return false
	})
	return found
}

// waitNew waits until the bot sent chatID, after its first since messages,
// one containing want, and returns it.
func (h *harness) waitNew(chatID int64, since int, want string) fakeapi.Message {
	h.t.Helper()
	var found fakeapi.Message
	h.api.WaitFor(h.t, 30*time.Second, func([]fakeapi.Message) bool {
		msgs := h.api.SentTo(chatID)
		for i := since; i < len(msgs); i++ {
			if strings.Contains(msgs[i].PlainText, want) {
				found = msgs[i]
				return true
			}
		}
		return false
	})
	return found
}

// say sends text as u and waits for the answer containing want.
func (h *harness) say(u fakeapi.User, text, want string) fakeapi.Message {
	h.t.Helper()
	since := len(h.sentTo(u.ID))
	h.api.SendText(u, text)
	return h.waitNew(u.ID, since, want)
}

// sentTo returns what the bot sent chatID.
func (h *harness) sentTo(chatID int64) []fakeapi.Message { return h.api.SentTo(chatID) }

// waitCount waits until chatID has received n messages.
func (h *harness) waitCount(chatID int64, n int) []fakeapi.Message {
	h.t.Helper()
	h.api.WaitFor(h.t, 30*time.Second, func([]fakeapi.Message) bool { return len(h.api.SentTo(chatID)) >= n })
	return h.api.SentTo(chatID)
}

// settle waits until every update pushed so far is confirmed, i.e. its
// effects are committed, and the outbox has nothing pending.
func (h *harness) settle() {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		// Pending first: once every update is confirmed, its outbox rows
		// are committed, so the count read after it sees them all.
		pending := h.api.Pending()
		counts, err := h.db.OutboxCounts(context.Background())
		if err != nil {
			h.t.Fatal(err)
		}
		if pending == 0 && counts[store.Pending] == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	h.t.Fatalf("not settled: %d updates pending", h.api.Pending())
}

// press presses the button labelled label under message m.
func (h *harness) press(u fakeapi.User, m fakeapi.Message, label string) {
	h.t.Helper()
	if _, err := h.api.PressButton(u, m.MessageID, label); err != nil {
		h.t.Fatalf("press %q: %v\nmessage: %s", label, err, m.PlainText)
	}
}

// testPlan is a small plan shaped like the real one.
func testPlan() *plan.Plan {
	m := func(id, title string, lead, co []string) plan.Measure {
		if co == nil {
			co = []string{}
		}
		return plan.Measure{ID: id, Title: title, Text: title + "。推进有关工作。", LeadUnits: lead, CoUnits: co}
	}
	return &plan.Plan{
		Title:     "深圳市罗湖区2017年改革计划",
		Year:      2017,
		Reporting: plan.Reporting{Cadence: plan.Monthly, Acceptance: true},
		Categories: []plan.Category{
			{Number: 2, Title: "新推重点改革项目", Projects: []plan.Project{
				{Number: 1, Title: "强区放权体制机制改革", Measures: []plan.Measure{
					m("2.1.1", "强区放权“大职能”", []string{"区编办", "区法制办"}, nil),
					m("2.1.2", "区直部门“大科室”", []string{"区编办"}, nil),
				}},
				{Number: 3, Title: "消费型经济综合改革", Measures: []plan.Measure{
					m("2.3.3", "创新政策", []string{"区经济促进局"}, []string{"区财政局", "区编办"}),
				}},
			}},
			{Number: 3, Title: "深化重点改革项目", Projects: []plan.Project{
				{Number: 1, Title: "棚户区改造政策模式及推进机制深化改革", Measures: []plan.Measure{
					m("3.1.1", "推进棚改政策创新", []string{"区财政局"}, nil),
				}},
				{Number: 3, Title: "城市更新工作机制深化改革", Measures: []plan.Measure{
					m("3.3.1", "突出城市更新规划引领", []string{"区城市更新局"}, []string{"各街道办"}),
				}},
			}},
		},
		Units: []plan.Unit{
			{Name: "区编办", Aliases: []string{}},
			{Name: "区法制办", Aliases: []string{}},
			{Name: "区经济促进局", Aliases: []string{}},
			{Name: "区财政局", Aliases: []string{}},
			{Name: "区城市更新局", Aliases: []string{}},
			{Name: "各街道办", Aliases: []string{}, Group: true},
		},
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
