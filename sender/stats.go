package sender

import (
	"errors"

	tgbot "github.com/go-telegram/bot"
)

// Result classes a Bot API call's outcome.
type Result int

// Send results, as the metric labels them.
const (
	SentOK          Result = iota // accepted
	SentThrottled                 // 429
	SentForbidden                 // 403 or the chat is gone
	SentRefused                   // another 400: our bug
	SentServerError               // 5xx or network: retried
	numResults
)

// NumResults is how many results there are: Sends has one count each.
const NumResults = int(numResults)

// String is the result's label.
func (r Result) String() string {
	return [...]string{"ok", "429", "403", "400", "5xx"}[r]
}

// resultOf classes a call's error.
func resultOf(err error) Result {
	var tooMany *tgbot.TooManyRequestsError
	switch {
	case err == nil:
		return SentOK
	case errors.As(err, &tooMany):
		return SentThrottled
	case errors.Is(err, tgbot.ErrorForbidden) || isChatGone(err):
		return SentForbidden
	case errors.Is(err, tgbot.ErrorBadRequest):
		return SentRefused
	}
	return SentServerError
}

// count counts a Bot API call's outcome. The counters are atomics: keeping
// them costs a few nanoseconds and reading them takes no lock.
func (s *Sender) count(err error) { s.sends[resultOf(err)].Add(1) }

// Sends are the calls made so far, by result.
func (s *Sender) Sends() [NumResults]int64 {
	var out [NumResults]int64
	for i := range s.sends {
		out[i] = s.sends[i].Load()
	}
	return out
}

// Rate is the overall rate the sender paces at now, messages per second
// (below the configured one after a 429), for /metrics.
func (s *Sender) Rate() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pace.rate
}
