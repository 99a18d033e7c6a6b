package fakeapi

import (
	"encoding/json"
	"time"
)

// window is flood control as Telegram may count it: messages in any
// trailing second, with no credit for time spent idle. A bot that sends 30
// in 0.9 s and then waits is refused here, where a token bucket would have
// let it through.
type window struct {
	global, perChat int // messages in any one second; 0 = no limit
	interactive     int // to a chat that wrote to the bot in the last interactiveFor
	all             []time.Time
	chats           map[int64][]time.Time
	wrote           map[int64]time.Time // when each chat last sent the bot an update
}

// interactiveFor is how long after a user's last update replies to them
// may burst: Telegram tolerates a few quick answers to someone who is
// tapping through the bot, not bulk sends.
const interactiveFor = 10 * time.Second

// SetWindowLimits turns on strict flood control for sendMessage,
// sendDocument, sendPhoto and editMessageText, instead of SetLimits' token
// buckets: at most global messages in any trailing second over all chats,
// at most perChat in any trailing second to one chat, and at most
// interactive to a chat whose user sent an update within the last 10 s (0
// means perChat). A refused call is answered 429 "retry after N" and not
// recorded. SetWindowLimits(0, 0, 0) turns it off.
func (s *Server) SetWindowLimits(global, perChat, interactive int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if global <= 0 && perChat <= 0 {
		s.limits.window = nil
		return
	}
	s.limits.window = &window{
		global: global, perChat: perChat, interactive: max(interactive, perChat),
		chats: map[int64][]time.Time{}, wrote: map[int64]time.Time{},
	}
	s.notifyLocked()
}

// recent drops the times at least a second before now and returns the rest.
func recent(ts []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= time.Second {
		i++
	}
	return ts[i:]
}

// take admits one message to chatID at now, or says how long until the
// oldest message in the full window leaves it.
func (w *window) take(chatID int64, now time.Time) time.Duration {
	w.all = recent(w.all, now)
	chat := recent(w.chats[chatID], now)
	w.chats[chatID] = chat
	var wait time.Duration
	if w.global > 0 && len(w.all) >= w.global {
		wait = w.all[len(w.all)-w.global].Add(time.Second).Sub(now)
	}
	limit := w.perChat
	if at, ok := w.wrote[chatID]; ok && now.Sub(at) < interactiveFor {
		limit = w.interactive
	}
	if limit > 0 && len(chat) >= limit {
		wait = max(wait, chat[len(chat)-limit].Add(time.Second).Sub(now))
	}
	if wait > 0 {
		return wait
	}
	w.all = append(w.all, now)
	w.chats[chatID] = append(chat, now)
	if len(w.chats) > 100000 {
		for id, ts := range w.chats {
			if len(recent(ts, now)) == 0 {
				delete(w.chats, id)
			}
		}
	}
	return 0
}

// noteUpdate remembers that the chat an update came from is interacting.
func (w *window) noteUpdate(raw []byte, now time.Time) {
	var u struct {
		Message *struct {
			Chat struct {
				ID int64 `json:"id"`
			} `json:"chat"`
		} `json:"message"`
		Callback *struct {
			From struct {
				ID int64 `json:"id"`
			} `json:"from"`
			Message *struct {
				Chat struct {
					ID int64 `json:"id"`
				} `json:"chat"`
			} `json:"message"`
		} `json:"callback_query"`
	}
	if json.Unmarshal(raw, &u) != nil {
		return
	}
	switch {
	case u.Message != nil:
		w.wrote[u.Message.Chat.ID] = now
	case u.Callback != nil && u.Callback.Message != nil:
		w.wrote[u.Callback.Message.Chat.ID] = now
	case u.Callback != nil:
		w.wrote[u.Callback.From.ID] = now
	}
}
