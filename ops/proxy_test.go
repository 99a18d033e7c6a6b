package ops

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestProxyFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"none", nil, "direct"},
		{"ALL_PROXY, credentials hidden", map[string]string{"ALL_PROXY": "socks5://office:s3cret@10.0.0.2:1080"}, "socks5://10.0.0.2:1080 (ALL_PROXY)"},
		{"HTTPS_PROXY first", map[string]string{"ALL_PROXY": "socks5://10.0.0.2:1080", "https_proxy": "http://10.0.0.3:7890"}, "http://10.0.0.3:7890 (https_proxy)"},
		{"NO_PROXY", map[string]string{"ALL_PROXY": "socks5://10.0.0.2:1080", "NO_PROXY": "api.telegram.org"}, "direct"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ProxyFromEnv(func(k string) string { return tt.env[k] })
			if got := p.Describe("https://api.telegram.org"); got != tt.want {
				t.Errorf("Describe = %q, want %q", got, tt.want)
			}
		})
	}
}

// The doctor's (and serve's) client really goes through ALL_PROXY, which
// Go's own ProxyFromEnvironment ignores.
func TestAPIGoesThroughALLPROXY(t *testing.T) {
	var hosts []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hosts = append(hosts, r.Host)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true,"result":{"username":"via_proxy_bot"}}`)
	}))
	defer proxy.Close()
	p := ProxyFromEnv(func(k string) string {
		if k == "ALL_PROXY" {
			return proxy.URL
		}
		return ""
	})
	api := &API{URL: "http://api.telegram.invalid", Token: "123:secret", Client: p.Client(5 * time.Second)}
	me, _, err := api.GetMe(context.Background())
	if err != nil || me != "via_proxy_bot" {
		t.Fatalf("GetMe through the proxy: %q, %v", me, err)
	}
	if len(hosts) != 1 || hosts[0] != "api.telegram.invalid" {
		t.Errorf("the proxy saw %v", hosts)
	}
	// Errors never carry the token, though net/http puts the URL in them.
	api.Client = ProxyFromEnv(func(string) string { return "" }).Client(5 * time.Second)
	if _, _, err := api.GetMe(context.Background()); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("error without the proxy: %v", err)
	}
}
