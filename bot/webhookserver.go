package bot

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// webhookLimits bound what clients can hold of the webhook server. Without
// them a client that sends headers and a few bytes of body, then stalls,
// keeps its connection (and a file descriptor) forever.
type webhookLimits struct {
	header time.Duration // to read the request headers
	read   time.Duration // to read the whole request, body included
	write  time.Duration // to handle the request and write the answer
	idle   time.Duration // a kept-alive connection between requests
	conns  int           // connections open at once; more wait to be accepted
	// telegramConns is the max_connections asked of Telegram in setWebhook.
	telegramConns int
}

// defaultWebhookLimits: an update is at most a megabyte and Telegram sends
// it at once, so 20 s to read one is generous, and a stalled request is
// closed within that. Handling may wait for a busy database; past 30 s
// Telegram gets no answer and delivers the update again (the inbox skips
// it if it was applied).
var defaultWebhookLimits = webhookLimits{
	header:        5 * time.Second,
	read:          20 * time.Second,
	write:         30 * time.Second,
	idle:          60 * time.Second,
	conns:         128,
	telegramConns: 40,
}

// newWebhookServer returns the server for the webhook with lim's deadlines,
// and ln bounded to lim.conns connections.
func newWebhookServer(h http.Handler, ln net.Listener, lim webhookLimits) (*http.Server, net.Listener) {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: lim.header,
		ReadTimeout:       lim.read,
		WriteTimeout:      lim.write,
		IdleTimeout:       lim.idle,
		MaxHeaderBytes:    16 << 10,
	}
	return srv, &limitListener{Listener: ln, slots: make(chan struct{}, lim.conns)}
}

// limitListener accepts a connection only while fewer than cap(slots) are
// open; the rest wait in the kernel's backlog.
type limitListener struct {
	net.Listener
	slots chan struct{}
}

func (l *limitListener) Accept() (net.Conn, error) {
	l.slots <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.slots }}, nil
}

// limitedConn gives its slot back once, when closed.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
