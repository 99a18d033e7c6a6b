package fakeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
)

// newClient returns the real go-telegram/bot client pointed at s. bot.New
// calls getMe, so every client also checks that.
func newClient(tb testing.TB, s *Server, opts ...bot.Option) *bot.Bot {
	tb.Helper()
	opts = append([]bot.Option{bot.WithServerURL(s.URL())}, opts...)
	b, err := bot.New(s.Token(), opts...)
	if err != nil {
		tb.Fatalf("bot.New: %v", err)
	}
	return b
}

// apiResponse is a Bot API answer as the tests read it.
type apiResponse struct {
	Status      int
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call posts fields as multipart/form-data, as go-telegram/bot does, and
// decodes the answer.
func call(tb testing.TB, s *Server, method string, fields map[string]string) apiResponse {
	tb.Helper()
	return callCtx(context.Background(), tb, s, method, fields)
}

func callCtx(ctx context.Context, tb testing.TB, s *Server, method string, fields map[string]string) apiResponse {
	tb.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/bot"+s.Token()+"/"+method, &body)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return do(tb, req)
}

func do(tb testing.TB, req *http.Request) apiResponse {
	tb.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s: %v", req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	r := apiResponse{Status: resp.StatusCode}
	if err := json.Unmarshal(raw, &r); err != nil {
		tb.Fatalf("%s: answer is not JSON: %s", req.URL.Path, raw)
	}
	return r
}

// updateIDs decodes a getUpdates result into its update ids.
func updateIDs(tb testing.TB, r apiResponse) []int64 {
	tb.Helper()
	if !r.OK {
		tb.Fatalf("getUpdates: %d %s", r.ErrorCode, r.Description)
	}
	var ups []struct {
		UpdateID int64 `json:"update_id"`
	}
	if err := json.Unmarshal(r.Result, &ups); err != nil {
		tb.Fatal(err)
	}
	ids := []int64{}
	for _, u := range ups {
		ids = append(ids, u.UpdateID)
	}
	return ids
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2024, 4, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func itoa(n int) string { return strconv.Itoa(n) }

// alice is the user most tests talk as.
var alice = User{ID: 1001, FirstName: "Alice", Username: "alice"}

// httpPostForm posts an urlencoded body and returns the decoded answer, or
// the transport error.
func httpPostForm(s *Server, method, body string) (apiResponse, error) {
	resp, err := http.Post(s.URL()+"/bot"+s.Token()+"/"+method, "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		return apiResponse{}, err
	}
	defer resp.Body.Close()
	r := apiResponse{Status: resp.StatusCode}
	err = json.NewDecoder(resp.Body).Decode(&r)
	return r, err
}

// waitPolling waits until the server has taken n getUpdates calls.
func waitPolling(tb testing.TB, s *Server, n uint64) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.WaitUntil(ctx, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.updates.pollGen >= n
	})
	if err != nil {
		tb.Fatalf("getUpdates call %d never arrived", n)
	}
}

func httpGet(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New(resp.Status)
	}
	return io.ReadAll(resp.Body)
}
