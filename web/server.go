// Package web is the reform office's dashboard in a browser and inside
// Telegram (a Mini App): the year at a glance, one measure's or one unit's
// record, the attachments behind a report, and the period's digest as JSON
// and XLSX.
//
// It reads the store and builds digests with the bot's own rules
// (digest.Build through a Digester), so a page never disagrees with the
// digest the office receives. Every page, style and script is embedded in
// the binary; nothing is fetched from elsewhere at run time.
//
// Who sees what: a request without a session gets the login page (pages)
// or 401 (API). A session starts from a one-time link printed by
// `reformbot web-login` or from Telegram's Mini App initData; an office
// contact sees everything, a unit contact its own unit's measures and
// reports only. The contact is looked up on every request, so revoking it
// ends its sessions at once.
//
// The web side imports store, digest and plan; the bot never imports it.
package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/luohu/reformbot/digest"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Store is what the dashboard reads from the database, and the two small
// values it keeps there (the session key and one-time logins).
type Store interface {
	Contact(ctx context.Context, userID int64) (store.Contact, error)
	// YearReports and YearReturns read the year's pages: the current
	// reports of some periods, grouped by period, and the returns among
	// them (退回补充: 需补充 is not reported).
	YearReports(ctx context.Context, planYear int, periods ...plan.Period) ([]store.Report, error)
	YearReturns(ctx context.Context, planYear int, periods ...plan.Period) ([]store.Review, error)
	// The office's loop (loop.go): a period's 督办 for its digest, the
	// latest review of report versions, a measure's reviews and 督办.
	PeriodUrges(ctx context.Context, planYear int, period plan.Period) ([]store.Urge, error)
	LatestReviews(ctx context.Context, reportIDs ...int64) (map[int64]store.Review, error)
	MeasureReviews(ctx context.Context, planYear int, measureID string) ([]store.Review, error)
	MeasureUrges(ctx context.Context, planYear int, measureID string) ([]store.Urge, error)
	// Plans are the plans in force, one per year (?year= shows another
	// year's); PlansStamp changes when a plan is activated.
	Plans(ctx context.Context) (*plan.Years, error)
	PlansStamp(ctx context.Context) (int64, error)
	History(ctx context.Context, planYear int, measureID, unit string, period plan.Period) ([]store.Report, error)
	MeasureReports(ctx context.Context, planYear int, measureID string, limit int) ([]store.Report, error)
	Meta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, key, value string) error
	// LastUpdateID and AuditLog tell the year cache whether anything
	// changed: see yearCache.
	LastUpdateID(ctx context.Context) (int64, error)
	AuditLog(ctx context.Context, limit int) ([]store.AuditEntry, error)
}

// Digester builds a period's digest from the store by the bot's rules;
// *schedule.Scheduler is one. The JSON the dashboard serves is this
// digest's, so it is what `reformbot digest --format json` prints.
type Digester interface {
	BuildDigest(ctx context.Context, period plan.Period) (*digest.Digest, error)
}

// Config is what the dashboard needs.
type Config struct {
	// Plan is the plan in force at start; SetPlan replaces it.
	Plan     *plan.Plan
	Store    Store
	Digests  Digester
	Location *time.Location
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Files fetches attachments from Telegram; attachments are not served
	// when nil.
	Files FileSource
	// BotToken checks Mini App initData; Mini App sign-in is off when empty.
	BotToken string
	// PublicURL, when it starts with https://, marks cookies Secure.
	PublicURL string
	Log       *slog.Logger
	// Home, when set, serves "/" instead of the overview (which stays at
	// /overview): the demo puts its chat there.
	Home http.Handler
}

// Server is the dashboard. Its Handler serves the pages; Handle adds other
// handlers (health checks, the demo) on the same listener.
type Server struct {
	cfg   Config
	mux   *http.ServeMux
	pages map[string]*template.Template
	key   []byte // signs sessions and CSRF tokens

	plan      atomic.Pointer[plan.Plan] // the plan in force
	loginMu   sync.Mutex                // one redemption of a one-time link at a time
	years     yearCache
	planYears planYears
	warmed    chan struct{} // closed when the year's build at start is done
}

// SetPlan makes p the plan the pages show: serve calls it when the office
// activates a plan. Pages in progress keep the plan they started with.
func (s *Server) SetPlan(p *plan.Plan) { s.plan.Store(p) }

// inForce is the plan the pages show.
func (s *Server) inForce() *plan.Plan { return s.plan.Load() }

// New builds the dashboard. It loads (or creates, on first start) the key
// that signs sessions, kept in the database so sessions survive a restart.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Plan == nil || cfg.Store == nil || cfg.Digests == nil {
		return nil, errors.New("web: plan, store and digester are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	key, err := sessionKey(ctx, cfg.Store)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), key: key}
	if s.pages, err = parsePages(cfg.Location, s.fileURL); err != nil {
		return nil, err
	}
	s.plan.Store(cfg.Plan)
	s.routes()
	s.warm()
	return s, nil
}

func (s *Server) routes() {
	static, _ := fs.Sub(staticFiles, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(http.FileServerFS(static), time.Hour)))

	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("GET /login/{token}", s.linkPage)
	s.mux.HandleFunc("POST /login/{token}", s.redeemLink)
	s.mux.HandleFunc("POST /auth/tma", s.signInMiniApp)
	s.mux.Handle("POST /logout", s.page(s.logout))

	s.mux.Handle("GET /overview", s.page(s.overview))
	if s.cfg.Home != nil {
		s.mux.Handle("GET /{$}", s.cfg.Home)
	} else {
		s.mux.Handle("GET /{$}", s.page(s.overview))
	}
	s.mux.Handle("GET /grid", s.page(s.grid))
	s.mux.Handle("GET /measure/{id}", s.page(s.measure))
	s.mux.Handle("GET /unit/{name}", s.page(s.unit))
	s.mux.Handle("GET /file/{id}", s.apiAs(s.fileViewer, s.file))
	s.mux.Handle("GET /api/digest", s.api(s.apiDigest))
	s.mux.Handle("GET /export.xlsx", s.api(s.exportXLSX))
	// Any other path: a page saying so, in Chinese, not the mux's English
	// "404 page not found".
	s.mux.Handle("/", s.page(func(http.ResponseWriter, *http.Request, *viewer) error {
		return notFound("没有这个页面。")
	}))
}

// Handle adds a handler to the listener the dashboard is served on, outside
// the dashboard's sign-in (e.g. /healthz, /metrics, the demo's chat).
// Patterns are http.ServeMux patterns.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// Handler is the dashboard with its security headers.
func (s *Server) Handler() http.Handler { return securityHeaders(s.mux) }

// securityHeaders: no inline script or style, nothing loaded from
// elsewhere, framed only by Telegram's web clients (the Mini App).
func securityHeaders(next http.Handler) http.Handler {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"object-src 'none'; base-uri 'none'; form-action 'self'; " +
		"frame-ancestors 'self' https://web.telegram.org https://webk.telegram.org https://webz.telegram.org"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		// One-time login links are in URLs: never send them on.
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

func cacheFor(next http.Handler, d time.Duration) http.Handler {
	v := "public, max-age=" + itoa(int(d.Seconds()))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", v)
		next.ServeHTTP(w, r)
	})
}

// secure reports whether cookies must be Secure: served over https
// directly, behind a proxy that says so, or with an https public URL.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") ||
		strings.HasPrefix(s.cfg.PublicURL, "https://")
}
