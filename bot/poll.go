package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"
)

// allowedUpdates are the update types the bot acts on; asking only for them
// keeps Telegram from sending the rest.
var allowedUpdates = []string{
	models.AllowedUpdateMessage,
	models.AllowedUpdateEditedMessage,
	models.AllowedUpdateCallbackQuery,
	models.AllowedUpdateMyChatMember,
}

// poll is the long-polling intake. go-telegram/bot's own Start confirms an
// update to Telegram (by advancing the offset) as soon as it is queued,
// before any handler ran, so a crash would lose it. Here the offset only
// moves past an update after its effects are committed: the next getUpdates
// call is what confirms it.
func (b *Bot) poll(ctx context.Context) error {
	// A webhook left set by an earlier deployment makes getUpdates fail.
	if _, err := b.api.DeleteWebhook(ctx, nil); err != nil && ctx.Err() == nil {
		b.log.Warn("telegram: deleteWebhook failed", "err", redact(err, b.cfg.Token))
	}
	last, err := b.db.LastUpdateID(ctx)
	if err != nil {
		return err
	}
	offset := int64(0)
	if last > 0 {
		offset = last + 1
	}
	backoff := newBackoff(100*time.Millisecond, 3*time.Second)
	for ctx.Err() == nil {
		updates, err := b.getUpdates(ctx, offset)
		b.stats.polled(err)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			wait := backoff.next()
			b.log.Warn("telegram: getUpdates failed", "err", redact(err, b.cfg.Token), "retry_in", wait)
			sleep(ctx, wait)
			continue
		}
		backoff.reset()
		last, err := b.ProcessBatch(ctx, updates)
		if err != nil {
			// Only a cancelled context stops processing; what was not
			// committed is fetched again after a restart.
			return err
		}
		if last >= offset {
			offset = last + 1
		}
		if len(updates) > 0 {
			b.sender.Wake()
		}
	}
	return ctx.Err()
}

// getUpdates fetches the updates after offset; it confirms every update
// before offset. Updates come back raw so that one malformed update cannot
// stop the others from being read.
func (b *Bot) getUpdates(ctx context.Context, offset int64) ([]json.RawMessage, error) {
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	allowed, _ := json.Marshal(allowedUpdates)
	fields := [][2]string{
		{"timeout", strconv.Itoa(int(b.cfg.PollTimeout / time.Second))},
		{"limit", "100"},
		{"allowed_updates", string(allowed)},
	}
	if offset != 0 {
		fields = append(fields, [2]string{"offset", strconv.FormatInt(offset, 10)})
	}
	for _, f := range fields {
		if err := form.WriteField(f[0], f[1]); err != nil {
			return nil, err
		}
	}
	if err := form.Close(); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.cfg.APIURL+"/bot"+b.cfg.Token+"/getUpdates", &body)
	if err != nil {
		return nil, redact(err, b.cfg.Token)
	}
	req.Header.Set("Content-Type", form.FormDataContentType())
	resp, err := b.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, redact(err, b.cfg.Token)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	var r struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		ErrorCode   int               `json:"error_code"`
		Description string            `json:"description"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("getUpdates: HTTP %d, undecodable answer: %w", resp.StatusCode, err)
	}
	if !r.OK {
		return nil, fmt.Errorf("getUpdates: %d %s", r.ErrorCode, r.Description)
	}
	return r.Result, nil
}

// backoff doubles a delay up to a ceiling.
type backoff struct {
	first, max, cur time.Duration
}

func newBackoff(first, max time.Duration) *backoff { return &backoff{first: first, max: max} }

func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.first
	} else {
		b.cur = min(2*b.cur, b.max)
	}
	return b.cur
}

func (b *backoff) reset() { b.cur = 0 }

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
