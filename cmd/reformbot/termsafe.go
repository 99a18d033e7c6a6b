package main

import (
	"fmt"
	"io"
	"sync"
	"unicode/utf8"
)

// Much of what the commands print comes from strangers: Telegram names in
// `contacts` and `revoke`, report texts in `digest`, unit names from a
// published document in `plan show`. An escape sequence in any of them
// would drive the operator's terminal (retitle it, clear it, rewrite what
// is shown, or worse), so every byte the commands write goes through
// terminalSafe: control characters and stray bytes are shown escaped.

// terminalSafe returns env with its Stdout and Stderr made safe; run calls
// it once, so every command's output is covered.
func (env *Env) terminalSafe() *Env {
	if _, ok := env.Stdout.(*safeWriter); ok {
		return env
	}
	safe := *env
	safe.Stdout = &safeWriter{w: env.Stdout}
	safe.Stderr = &safeWriter{w: env.Stderr}
	return &safe
}

// safeWriter writes text with control characters escaped: C0 controls but
// newline and tab, DEL, C1 controls, bidirectional overrides (which can
// make a line read other than it is), and bytes that are not UTF-8.
type safeWriter struct {
	mu    sync.Mutex // serve's goroutines log through one writer
	w     io.Writer
	carry []byte // the start of a character cut between two writes
}

func (s *safeWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	buf := p
	if len(s.carry) > 0 {
		buf = append(s.carry, p...)
		s.carry = nil
	}
	out := make([]byte, 0, len(buf))
	for i := 0; i < len(buf); {
		r, size := utf8.DecodeRune(buf[i:])
		switch {
		case r == utf8.RuneError && size <= 1 && !utf8.FullRune(buf[i:]):
			s.carry = append([]byte(nil), buf[i:]...)
			i = len(buf)
			continue
		case r == utf8.RuneError && size <= 1:
			out = fmt.Appendf(out, `\x%02x`, buf[i])
		case unsafeRune(r) && r < 0x100:
			out = fmt.Appendf(out, `\x%02x`, r)
		case unsafeRune(r):
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, buf[i:i+size]...)
		}
		i += size
	}
	if _, err := s.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// unsafeRune reports whether r may change what a terminal shows other than
// by printing itself.
func unsafeRune(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
