package fakeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// maxPollTimeout caps getUpdates' timeout, as the real server does.
const maxPollTimeout = 50

// updateQueue holds the updates Telegram keeps for the bot until it
// confirms them.
type updateQueue struct {
	nextID    int64
	pending   []storedUpdate
	confirmed int64           // highest offset the bot has sent
	allowed   map[string]bool // nil: all but the opt-in kinds
	pollGen   uint64          // counts getUpdates calls; a newer one ends an older long poll
	dropped   int             // updates not created because of allowed_updates
	messageOf map[int64]int   // update id -> message id, for MessageIDOf
}

type storedUpdate struct {
	id   int64
	kind string
	raw  json.RawMessage
}

// optInKinds are update kinds Telegram sends only when asked by name.
var optInKinds = map[string]bool{"chat_member": true, "message_reaction": true, "message_reaction_count": true}

func (q *updateQueue) wants(kind string) bool {
	if q.allowed == nil {
		return !optInKinds[kind]
	}
	return q.allowed[kind]
}

// confirm forgets the updates offset confirms: all with a smaller id, or,
// for a negative offset, all but the last -offset.
func (q *updateQueue) confirm(offset int64) {
	if offset < 0 {
		keep := min(int(-offset), len(q.pending))
		q.pending = q.pending[len(q.pending)-keep:]
		if len(q.pending) > 0 {
			offset = q.pending[0].id
		} else {
			offset = q.nextID
		}
	}
	if offset <= 0 {
		return
	}
	i := 0
	for i < len(q.pending) && q.pending[i].id < offset {
		i++
	}
	q.pending = q.pending[i:]
	q.confirmed = max(q.confirmed, offset)
}

// pushLocked creates an update of kind with body (marshalled to JSON) and
// returns its update_id, or 0 when the bot's allowed_updates exclude kind:
// Telegram then never creates the update at all.
func (s *Server) pushLocked(kind string, body any) int64 {
	q := &s.updates
	if !q.wants(kind) {
		q.dropped++
		return 0
	}
	payload, err := json.Marshal(body)
	if err != nil {
		panic("fakeapi: marshal update: " + err.Error())
	}
	id := q.nextID
	q.nextID++
	raw := fmt.Appendf(nil, `{"update_id":%d,%q:%s}`, id, kind, payload)
	q.pending = append(q.pending, storedUpdate{id: id, kind: kind, raw: raw})
	if s.limits.window != nil {
		s.limits.window.noteUpdate(raw, s.now())
	}
	if m, ok := body.(map[string]any); ok {
		if mid, ok := m["message_id"].(int); ok {
			if q.messageOf == nil {
				q.messageOf = make(map[int64]int)
			}
			q.messageOf[id] = mid
		}
	}
	s.notifyLocked()
	return id
}

// PushRaw queues an update given as JSON, for updates the helpers do not
// build and for fuzzing. raw must be a JSON object; its update_id, if any,
// is replaced by the next one, which PushRaw returns. The update's kind is
// its first field other than update_id; allowed_updates applies to it.
func (s *Server) PushRaw(raw json.RawMessage) int64 {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		panic(fmt.Sprintf("fakeapi: PushRaw wants a JSON object, got %q", raw))
	}
	delete(fields, "update_id")
	kind := ""
	dec := json.NewDecoder(bytes.NewReader(raw))
	_, _ = dec.Token() // {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if name, _ := tok.(string); name != "update_id" && kind == "" {
			kind = name
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			break
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q := &s.updates
	if kind != "" && !q.wants(kind) {
		q.dropped++
		return 0
	}
	id := q.nextID
	q.nextID++
	fields["update_id"] = json.RawMessage(strconv.FormatInt(id, 10))
	body, _ := json.Marshal(fields)
	q.pending = append(q.pending, storedUpdate{id: id, kind: kind, raw: body})
	s.notifyLocked()
	return id
}

// getUpdates confirms what offset confirms, then answers with up to limit
// updates, waiting up to timeout seconds for one to arrive.
func (s *Server) getUpdates(ctx context.Context, p *params) (any, *apiError) {
	offset := p.int("offset", 0)
	limit := int(min(max(p.int("limit", 100), 1), 100))
	timeout := min(max(p.int("timeout", 0), 0), maxPollTimeout)

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook.url != "" {
		return nil, &apiError{code: http.StatusConflict, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	q := &s.updates
	if raw := p.str("allowed_updates"); raw != "" {
		var kinds []string
		if json.Unmarshal([]byte(raw), &kinds) == nil {
			q.allowed = nil
			if len(kinds) > 0 {
				q.allowed = make(map[string]bool, len(kinds))
				for _, k := range kinds {
					q.allowed[k] = true
				}
			}
		}
	}
	q.pollGen++
	gen := q.pollGen
	q.confirm(offset)
	s.notifyLocked() // ends an older long poll, wakes Wait helpers

	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		expired = t.C
	}
	for {
		switch {
		case s.closed:
			return []json.RawMessage{}, nil
		case s.faults.down:
			return nil, errAbort
		case q.pollGen != gen:
			return nil, &apiError{code: http.StatusConflict, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		case s.webhook.url != "":
			return nil, &apiError{code: http.StatusConflict, description: "Conflict: terminated by setWebhook request"}
		}
		n := min(limit, len(q.pending))
		if n > 0 || expired == nil {
			batch := make([]json.RawMessage, n)
			for i := range batch {
				batch[i] = q.pending[i].raw
			}
			return batch, nil
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			s.mu.Lock()
			return nil, errGone
		case <-expired:
			expired = nil
		case <-changed:
		}
		s.mu.Lock()
	}
}

// Confirmed returns the highest offset the bot has passed to getUpdates:
// Telegram has forgotten every update with a smaller id. 0 until then.
func (s *Server) Confirmed() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updates.confirmed
}

// IsConfirmed reports whether the bot has confirmed update updateID.
func (s *Server) IsConfirmed(updateID int64) bool {
	return updateID < s.Confirmed()
}

// Pending returns how many updates wait for the bot to confirm them.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates.pending)
}

// Dropped returns how many updates were never created because the bot's
// allowed_updates excluded their kind.
func (s *Server) Dropped() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updates.dropped
}

// MessageIDOf returns the message_id of the message update updateID
// carried (a message or edited_message update from the helpers), or 0.
func (s *Server) MessageIDOf(updateID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updates.messageOf[updateID]
}
