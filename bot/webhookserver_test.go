package bot

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// serveTestWebhook serves handler like serveWebhook, with lim, on a local
// port, and returns its address.
func serveTestWebhook(t *testing.T, handler http.Handler, lim webhookLimits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, ln := newWebhookServer(handler, ln, lim)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// rawRequest opens a connection and writes head (and nothing more).
func rawRequest(t *testing.T, addr, secret string, contentLength int, body string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	head := "POST /telegram HTTP/1.1\r\nHost: bot.example.org\r\nContent-Type: application/json\r\n" +
		"X-Telegram-Bot-Api-Secret-Token: " + secret + "\r\n" +
		"Content-Length: " + itoa(int64(contentLength)) + "\r\n\r\n" + body
	if _, err := io.WriteString(c, head); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWebhookServerDeadlines(t *testing.T) {
	if d := defaultWebhookLimits; d.read <= 0 || d.read > 30*time.Second || d.header > d.read ||
		d.write <= 0 || d.idle <= 0 || d.conns <= 0 {
		t.Fatalf("the webhook's limits do not close a stalled request within 30 s: %+v", d)
	}
	h := newHarness(t)
	lim := defaultWebhookLimits
	lim.header, lim.read = 200*time.Millisecond, 300*time.Millisecond
	addr := serveTestWebhook(t, h.bot.WebhookHandler("s3cret"), lim)
	update := `{"update_id":800001,"message":{"message_id":1,"date":1492653600,"chat":{"id":1001,"type":"private"},"from":{"id":1001,"is_bot":false,"first_name":"x"},"text":"/help"}}`

	// Proved nothing unless a whole request goes through this server.
	c := rawRequest(t, addr, "s3cret", len(update), update)
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("proved nothing: a good update got %v, %v", resp, err)
	}

	t.Run("stalled body is cut off", func(t *testing.T) {
		c := rawRequest(t, addr, "s3cret", len(update), update[:10])
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		_, err := io.ReadAll(c) // the answer, if any, then EOF when closed
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("a stalled request still held its connection after 20 s (read timeout 300 ms)")
		}
	})
	t.Run("wrong secret is refused before the body", func(t *testing.T) {
		// The body is announced but never sent: the answer must come anyway.
		c := rawRequest(t, addr, "guess", 1000, "")
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("no answer to a wrong secret without its body: %v", err)
		}
		if resp.StatusCode != http.StatusForbidden || !resp.Close {
			t.Errorf("wrong secret: %d, close %v; want 403 and the connection closed", resp.StatusCode, resp.Close)
		}
	})
	t.Run("announced oversize body is refused unread", func(t *testing.T) {
		c := rawRequest(t, addr, "s3cret", 50<<20, "")
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("a 50 MB body announced: %v, %v; want 413", resp, err)
		}
	})
}

func TestWebhookServerBoundsConnections(t *testing.T) {
	lim := defaultWebhookLimits
	lim.conns = 2
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, limited := newWebhookServer(http.NotFoundHandler(), ln, lim)
	defer limited.Close()
	accepted := make(chan net.Conn, 3)
	go func() {
		for {
			c, err := limited.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	for i := 0; i < 3; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	first, second := <-accepted, <-accepted
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted while two were open (limit 2)")
	case <-time.After(200 * time.Millisecond):
		// Not a timing assertion: the third must not come while two are open.
	}
	first.Close()
	select {
	case c := <-accepted:
		c.Close()
	case <-time.After(20 * time.Second):
		t.Fatal("the third connection was not accepted after one closed")
	}
	second.Close()
}
