package ops

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// API is the little of the Bot API the doctor calls, with the token kept
// out of every error it returns.
type API struct {
	URL    string // https://api.telegram.org by default
	Token  string
	Client *http.Client
}

// APIError is an answer from the Bot API that is not ok.
type APIError struct {
	Code        int
	Description string
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Description) }

// WebhookInfo is getWebhookInfo's answer, the fields the doctor reads.
type WebhookInfo struct {
	URL              string `json:"url"`
	Pending          int    `json:"pending_update_count"`
	LastErrorDate    int64  `json:"last_error_date"`
	LastErrorMessage string `json:"last_error_message"`
}

// GetMe returns the bot's username and the time Telegram's answer was
// dated (its HTTP Date header; zero when absent).
func (a *API) GetMe(ctx context.Context) (string, time.Time, error) {
	var me struct {
		Username string `json:"username"`
	}
	h, err := a.call(ctx, "getMe", &me)
	if err != nil {
		return "", time.Time{}, err
	}
	date, _ := http.ParseTime(h.Get("Date"))
	return me.Username, date, nil
}

// WebhookInfo calls getWebhookInfo.
func (a *API) WebhookInfo(ctx context.Context) (WebhookInfo, error) {
	var info WebhookInfo
	_, err := a.call(ctx, "getWebhookInfo", &info)
	return info, err
}

func (a *API) call(ctx context.Context, method string, result any) (http.Header, error) {
	base := strings.TrimRight(a.URL, "/")
	if base == "" {
		base = "https://api.telegram.org"
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/bot"+a.Token+"/"+method, nil)
	if err != nil {
		return nil, a.redact(err)
	}
	resp, err := a.Client.Do(req)
	if err != nil {
		return nil, a.redact(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, a.redact(err)
	}
	var r struct {
		OK          bool            `json:"ok"`
		Result      json.RawMessage `json:"result"`
		ErrorCode   int             `json:"error_code"`
		Description string          `json:"description"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("%s: HTTP %d, not a Bot API answer", method, resp.StatusCode)
	}
	if !r.OK {
		return nil, &APIError{Code: r.ErrorCode, Description: r.Description}
	}
	return resp.Header, json.Unmarshal(r.Result, result)
}

// redact keeps the token out of an error (net/http puts the URL in it).
func (a *API) redact(err error) error {
	if a.Token == "" || !strings.Contains(err.Error(), a.Token) {
		return err
	}
	return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), a.Token, "<token>"))
}
