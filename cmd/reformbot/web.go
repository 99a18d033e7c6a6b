package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/luohu/reformbot/store"
	"github.com/luohu/reformbot/web"
)

func init() {
	commands["web-login"] = command{
		summary: "print a one-time link (valid 10 minutes) that opens the dashboard",
		run:     runWebLogin,
	}
}

// webFlags are the dashboard's settings.
type webFlags struct {
	addr      string // where the dashboard listens; off when empty
	publicURL string // how people reach it, e.g. https://office.example.org
}

func addWebFlags(fs interface {
	StringVar(p *string, name, value, usage string)
}, env *Env) *webFlags {
	f := &webFlags{}
	fs.StringVar(&f.addr, "http", env.Getenv("REFORMBOT_HTTP"), "serve the dashboard on this address, e.g. :8080 (env REFORMBOT_HTTP; off by default)")
	fs.StringVar(&f.publicURL, "public-url", env.Getenv("REFORMBOT_PUBLIC_URL"), "the dashboard's public https URL: login links use it and the office keyboard gets a 工作台 button (env REFORMBOT_PUBLIC_URL)")
	return f
}

// baseURL is where login links point: the public URL, else the local
// address.
func (f *webFlags) baseURL() string {
	if f.publicURL != "" {
		return strings.TrimRight(f.publicURL, "/")
	}
	addr := f.addr
	if addr == "" {
		addr = ":8080"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// webAppURL is the Mini App's URL for the office keyboard: the public URL
// when the dashboard is served and the URL is https (Telegram opens Mini
// Apps over https only).
func (f *webFlags) webAppURL() string {
	if f.addr == "" || !strings.HasPrefix(f.publicURL, "https://") {
		return ""
	}
	return f.publicURL
}

// listenWeb binds the dashboard's address now, so a taken port fails the
// start rather than a goroutine later, and returns a function that serves
// h until ctx ends. Other handlers (health checks) can be mounted on the
// web.Server before it is called.
func listenWeb(addr string, h http.Handler, log *slog.Logger) (func(ctx context.Context), string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("dashboard: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	serve := func(ctx context.Context) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("dashboard stopped", "err", err)
			}
		}()
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
		<-done
	}
	return serve, ln.Addr().String(), nil
}

func runWebLogin(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "web-login", "--office | --user USER_ID")
	c := addCommon(fs, env)
	wf := addWebFlags(fs, env)
	office := fs.Bool("office", false, "a link for the reform office")
	user := fs.String("user", "", "a link for this contact (Telegram user id, see contacts)")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("web-login takes no arguments besides flags")
	}
	if *office == (*user != "") {
		return usagef("web-login needs exactly one of --office or --user USER_ID")
	}
	var userID int64
	if *user != "" {
		id, err := strconv.ParseInt(*user, 10, 64)
		if err != nil || id <= 0 {
			return usagef("bad --user %q: want a Telegram user id", *user)
		}
		userID = id
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if userID != 0 {
		ct, err := db.Contact(ctx, userID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && ct.Status != store.Active) {
			return fmt.Errorf("user %d is not an active contact (see reformbot contacts)", userID)
		}
		if err != nil {
			return err
		}
	}
	now := env.Now()
	token, err := web.CreateLoginLink(ctx, db, userID, *office, now)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s/login/%s\n", wf.baseURL(), token)
	fmt.Fprintf(env.Stdout, "one use, valid until %s\n", now.Add(web.LinkTTL).Format("2006-01-02 15:04:05 MST"))
	return nil
}

// startDashboard builds the dashboard and binds its address when --http is
// set; the returned function serves it until ctx ends (and does nothing
// when the dashboard is off).
func startDashboard(ctx context.Context, wf *webFlags, cfg web.Config, health http.Handler) (func(context.Context), *web.Server, error) {
	if wf.addr == "" {
		return func(context.Context) {}, nil, nil
	}
	cfg.PublicURL = wf.publicURL
	if wf.publicURL != "" && wf.webAppURL() == "" {
		cfg.Log.Warn("--public-url is not https: login links use it, but Telegram opens Mini Apps over https only, so the office keyboard gets no 工作台", "public_url", wf.publicURL)
	}
	ws, err := web.New(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	// /healthz and /metrics answer on the dashboard's listener too, outside
	// the sign-in, as with --metrics.
	ws.Handle("GET /healthz", health)
	ws.Handle("GET /metrics", health)
	serve, addr, err := listenWeb(wf.addr, ws.Handler(), cfg.Log)
	if err != nil {
		return nil, nil, err
	}
	cfg.Log.Info("dashboard listening", "addr", addr, "login", "reformbot web-login --office")
	return serve, ws, nil
}
