package main

// Failure drills against the real binary: it is built once, run as a child
// process against the fake Bot API in the test process, killed with SIGKILL
// at random points, starved of its database, cut off from Telegram and
// backed up mid-burst. The drills assert correctness (nothing lost, nothing
// applied twice), never speed. docs/PERFORMANCE.md lists the knobs:
//
//	REFORMBOT_DRILL_TRIALS  kill trials in the intake drill (default 20)
//	REFORMBOT_DRILL_OUTAGE  how long the Bot API is down (default 3s; 60s is the real drill)
//	REFORMBOT_DRILL_LOCK    how long another process holds the write lock (default 7s)
//	REFORMBOT_DRILL_LOG     set to show the child processes' logs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/luohu/reformbot/fakeapi"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if drillBin.dir != "" {
		os.RemoveAll(drillBin.dir)
	}
	os.Exit(code)
}

// drillBin is the reformbot binary the drills run, built on first use.
var drillBin struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// binary builds reformbot (without the race detector: the drills are about
// the real process, and a plain build is quick) and returns its path.
func binary(tb testing.TB) string {
	tb.Helper()
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		tb.Skip("the drills need SIGKILL")
	}
	drillBin.once.Do(func() {
		drillBin.dir, drillBin.err = os.MkdirTemp("", "reformbot-drill-")
		if drillBin.err != nil {
			return
		}
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		path := filepath.Join(drillBin.dir, "reformbot")
		out, err := exec.Command(goTool, "build", "-o", path, ".").CombinedOutput()
		if err != nil {
			drillBin.err = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		drillBin.path = path
	})
	if drillBin.err != nil {
		tb.Fatal(drillBin.err)
	}
	return drillBin.path
}

// envDuration reads a duration knob, or returns def.
func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil && d > 0 {
		return d
	}
	return def
}

// drill is one database and one fake Bot API, on which reformbot processes
// are started, killed and restarted.
type drill struct {
	tb  testing.TB
	api *fakeapi.Server
	dir string
	db  string
	bin string

	procs []*proc
}

func newDrill(tb testing.TB, opts ...fakeapi.Option) *drill {
	tb.Helper()
	d := &drill{tb: tb, api: fakeapi.NewServer(tb, opts...), dir: tb.TempDir(), bin: binary(tb)}
	d.db = filepath.Join(d.dir, "reformbot.db")
	tb.Cleanup(func() {
		// Only the processes this drill started, and only if still running.
		for _, p := range d.procs {
			p.kill()
		}
	})
	return d
}

// env is the child processes' environment: this one's, less any
// reformbot or Telegram settings of the machine, plus the drill's.
func (d *drill) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "REFORMBOT_") && !strings.HasPrefix(kv, "TELEGRAM_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"TELEGRAM_BOT_TOKEN="+d.api.Token(),
		"TELEGRAM_API_URL="+d.api.URL(),
		"REFORMBOT_DB="+d.db,
	)
}

// proc is a running reformbot process.
type proc struct {
	cmd  *exec.Cmd
	log  *syncBuffer
	done chan struct{}
	err  error
}

// serve starts `reformbot serve` with fast polling, a quick sender and no
// catch-up of scheduled runs (the drills trigger what they send).
func (d *drill) serve(extra ...string) *proc {
	d.tb.Helper()
	args := append([]string{"serve", "--poll-timeout", "1s", "--rate", "1000", "--catch-up", "1s"}, extra...)
	return d.start(args...)
}

func (d *drill) start(args ...string) *proc {
	d.tb.Helper()
	p := &proc{cmd: exec.Command(d.bin, args...), log: &syncBuffer{}, done: make(chan struct{})}
	p.cmd.Env = d.env()
	var out io.Writer = p.log
	if os.Getenv("REFORMBOT_DRILL_LOG") != "" {
		out = io.MultiWriter(p.log, os.Stderr)
	}
	p.cmd.Stdout, p.cmd.Stderr = out, out
	if err := p.cmd.Start(); err != nil {
		d.tb.Fatal(err)
	}
	d.procs = append(d.procs, p)
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	return p
}

// run runs a reformbot command to completion and returns its output.
func (d *drill) run(args ...string) string {
	d.tb.Helper()
	cmd := exec.Command(d.bin, args...)
	cmd.Env = d.env()
	out, err := cmd.CombinedOutput()
	if err != nil {
		d.tb.Fatalf("reformbot %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *proc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop asks the process to shut down as an operator would (SIGTERM) and
// fails tb unless it exits cleanly within 15 s.
func (p *proc) stop(tb testing.TB) {
	tb.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if p.err != nil {
			tb.Errorf("serve exited with %v:\n%s", p.err, p.log.String())
		}
	case <-time.After(15 * time.Second):
		p.kill()
		tb.Errorf("serve did not stop within 15s of SIGTERM:\n%s", p.log.String())
	}
}

// alive reports whether the process is still running.
func (p *proc) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// waitPolling waits until n getUpdates calls in all (counting every
// process of the drill) have been answered: the process is up and taking
// updates. (The fake counts a long poll when it ends.)
func (d *drill) waitPolling(p *proc, n int) {
	d.tb.Helper()
	d.waitRequests(p, "getUpdates", n)
}

// waitRequests waits until n calls of method have been answered.
func (d *drill) waitRequests(p *proc, method string, n int) {
	d.tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for d.api.RequestCount(method) < n {
		if !p.alive() {
			d.tb.Fatalf("serve exited: %v\n%s", p.err, p.log.String())
		}
		if time.Now().After(deadline) {
			d.tb.Fatalf("serve made no %d %s calls within 30s:\n%s", n, method, p.log.String())
		}
		time.Sleep(time.Millisecond)
	}
}

// waitFor polls cond every few milliseconds for up to timeout.
func (d *drill) waitFor(timeout time.Duration, what string, cond func() bool) {
	d.tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			d.tb.Fatalf("after %v: %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// open opens the drill's database from the test process.
func (d *drill) open() *store.DB {
	d.tb.Helper()
	db, err := store.Open(context.Background(), d.db, store.Options{})
	if err != nil {
		d.tb.Fatal(err)
	}
	d.tb.Cleanup(func() { db.Close() })
	return db
}

// writer is a contact in the middle of writing a report: the next text
// they send is stored as the report.
type writer struct {
	user fakeapi.User
	plan.Assignment
}

// writers binds n contacts of the default plan's units, round-robin over
// its assignments, and puts each in the middle of writing its report for
// the current period; their user ids count up from firstWriter. The
// database is copied from a template made once per size: under the race
// detector, making 3,000 contacts takes seconds.
func (d *drill) writers(n int) []writer {
	d.tb.Helper()
	src := writerTemplate(d.tb, n)
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(src + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			d.tb.Fatal(err)
		}
		if err := os.WriteFile(d.db+suffix, data, 0o600); err != nil {
			d.tb.Fatal(err)
		}
	}
	pairs := reportablePairs()
	out := make([]writer, n)
	for i := range out {
		out[i] = writer{user: fakeapi.User{ID: firstWriter + int64(i)}, Assignment: pairs[i%len(pairs)]}
	}
	return out
}

// firstWriter is the user id of the first writer.
const firstWriter = 10000

// reportablePairs are the default plan's assignments to units that can be
// invited (not groups).
func reportablePairs() []plan.Assignment {
	p := plan.Default()
	var pairs []plan.Assignment
	for _, a := range p.Assignments() {
		if u, ok := p.Unit(a.Unit); ok && !u.Group {
			pairs = append(pairs, a)
		}
	}
	return pairs
}

var templates struct {
	sync.Mutex
	paths map[int]string
}

// writerTemplate returns a database with n writers, making it on first use.
func writerTemplate(tb testing.TB, n int) string {
	tb.Helper()
	templates.Lock()
	defer templates.Unlock()
	if path, ok := templates.paths[n]; ok {
		return path
	}
	path := filepath.Join(drillBin.dir, fmt.Sprintf("writers-%d.db", n))
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	// The sample, as serve puts in force on an empty database: its periods
	// follow the calendar.
	sample := plan.Default()
	sample.Sample = true
	if _, err := db.Activate(ctx, sample); err != nil {
		tb.Fatal(err)
	}
	pairs := reportablePairs()
	codes := make([]string, n)
	for i := range codes {
		code, _, err := db.CreateInvite(ctx, store.RoleContact, pairs[i%len(pairs)].Unit, 24*time.Hour)
		if err != nil {
			tb.Fatal(err)
		}
		codes[i] = code
	}
	period := plan.PeriodOf(time.Now().In(shanghai), plan.Monthly)
	err = db.Update(ctx, func(tx *store.Tx) error {
		for i := range n {
			id, a := firstWriter+int64(i), pairs[i%len(pairs)]
			c := store.Contact{UserID: id, ChatID: id, Name: fmt.Sprintf("联络人%d", i)}
			if _, err := tx.RedeemInvite(ctx, codes[i], c, store.AttemptLimit{}); err != nil {
				return err
			}
			err := tx.SetConversation(ctx, store.Conversation{
				UserID: id, State: store.WritingText, MeasureID: a.MeasureID,
				Unit: a.Unit, Period: period, Status: plan.OnTrack,
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	if templates.paths == nil {
		templates.paths = map[int]string{}
	}
	templates.paths[n] = path
	return path
}

// checkReports checks that every text in sent (update id → text) is stored
// exactly once as a report version of its writer's measure, and that no
// other report exists for them.
func (d *drill) checkReports(db *store.DB, ws []writer, texts map[string]int) {
	d.tb.Helper()
	ctx := context.Background()
	period := plan.PeriodOf(time.Now().In(shanghai), plan.Monthly)
	stored := map[string]int{}
	seen := map[plan.Assignment]bool{}
	for _, w := range ws {
		if seen[w.Assignment] {
			continue
		}
		seen[w.Assignment] = true
		hist, err := db.History(ctx, plan.SampleYear, w.MeasureID, w.Unit, period)
		if err != nil {
			d.tb.Fatal(err)
		}
		for _, r := range hist {
			stored[r.Text]++
		}
	}
	lost, twice, unknown := 0, 0, 0
	for text := range texts {
		switch stored[text] {
		case 0:
			lost++
		case 1:
		default:
			twice++
		}
	}
	for text := range stored {
		if _, ok := texts[text]; !ok {
			unknown++
		}
	}
	if lost > 0 || twice > 0 || unknown > 0 {
		d.tb.Errorf("of %d reports sent: %d lost, %d stored more than once; %d stored that nobody sent", len(texts), lost, twice, unknown)
	}
}

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// jitter is a random duration in [0, max).
func jitter(rng *rand.Rand, max time.Duration) time.Duration {
	return time.Duration(rng.Int64N(int64(max)))
}
