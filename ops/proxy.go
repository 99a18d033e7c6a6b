package ops

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// Proxy is how the Bot API is reached: HTTPS_PROXY, or else ALL_PROXY (as
// curl reads it; Go's own ProxyFromEnvironment ignores ALL_PROXY), minus
// NO_PROXY. Both spellings of each variable are read; socks5:// works.
type Proxy struct {
	cfg    httpproxy.Config
	source string // the variable it came from
}

// ProxyFromEnv reads the proxy variables through getenv.
func ProxyFromEnv(getenv func(string) string) Proxy {
	get := func(names ...string) (string, string) {
		for _, n := range names {
			if v := strings.TrimSpace(getenv(n)); v != "" {
				return v, n
			}
		}
		return "", ""
	}
	var p Proxy
	p.cfg.HTTPSProxy, p.source = get("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")
	p.cfg.HTTPProxy, _ = get("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
	p.cfg.NoProxy, _ = get("NO_PROXY", "no_proxy")
	return p
}

// Func is the proxy function for an http.Transport.
func (p Proxy) Func() func(*http.Request) (*url.URL, error) {
	f := p.cfg.ProxyFunc()
	return func(r *http.Request) (*url.URL, error) { return f(r.URL) }
}

// Describe says how target is reached, without the proxy's credentials:
// "direct" or "socks5://127.0.0.1:1080 (ALL_PROXY)".
func (p Proxy) Describe(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return "direct"
	}
	pu, err := p.cfg.ProxyFunc()(u)
	if err != nil {
		return "a proxy that does not parse (" + p.source + "): " + err.Error()
	}
	if pu == nil {
		return "direct"
	}
	pu.User = nil
	return pu.String() + " (" + p.source + ")"
}

// Client is an HTTP client through the proxy, with timeout.
func (p Proxy) Client(timeout time.Duration) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = p.Func()
	return &http.Client{Transport: t, Timeout: timeout}
}
