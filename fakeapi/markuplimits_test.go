package fakeapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// inlineMarkup builds an inline keyboard of n one-button rows whose labels
// are label long.
func inlineMarkup(n, label int) string {
	var rows [][]map[string]string
	for i := range n {
		rows = append(rows, []map[string]string{{"text": strings.Repeat("x", label), "callback_data": fmt.Sprint("b:", i)}})
	}
	raw, _ := json.Marshal(map[string]any{"inline_keyboard": rows})
	return string(raw)
}

func TestMarkupLimits(t *testing.T) {
	tests := []struct {
		name    string
		markup  string
		wantErr string
	}{
		{"100 buttons", inlineMarkup(100, 10), ""},
		{"101 buttons", inlineMarkup(101, 10), "too many inline keyboard buttons (101)"},
		{"just under 10 KB", inlineMarkup(60, 130), ""},
		{"over 10 KB", inlineMarkup(80, 130), "reply markup is too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewServer(t)
			r := call(t, s, "sendMessage", map[string]string{"chat_id": "42", "text": "x", "reply_markup": tt.markup})
			if tt.wantErr == "" {
				if !r.OK {
					t.Fatalf("refused %d bytes: %s", len(tt.markup), r.Description)
				}
				return
			}
			if r.OK || !strings.Contains(r.Description, tt.wantErr) {
				t.Fatalf("%d bytes: got ok=%v %q, want %q", len(tt.markup), r.OK, r.Description, tt.wantErr)
			}
		})
	}
}
