package fakeapi

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestHTMLParseMode(t *testing.T) {
	s := NewServer(t)
	b := newClient(t, s)
	tests := []struct {
		name      string
		text      string
		wantPlain string
		wantErr   string
	}{
		{"plain", "报告已收到", "报告已收到", ""},
		{"nested tags", "<b>粗 <i>斜</i></b> <u>下</u> <s>删</s> <code>x</code>", "粗 斜 下 删 x", ""},
		{"synonyms and attributes", `<strong>a</strong><em>b</em><ins>c</ins><del>d</del><strike>e</strike><tg-spoiler>f</tg-spoiler><span class="tg-spoiler">g</span>`, "abcdefg", ""},
		{"link", `<a href="https://example.org/?a=1&b=2">链接</a>`, "链接", ""},
		{"pre with language", `<pre><code class="language-go">x := 1</code></pre>`, "x := 1", ""},
		{"blockquote", "<blockquote expandable>引用</blockquote>", "引用", ""},
		{"escaped", "a &lt; b &amp;&amp; c &gt; d &quot;e&quot; &#39;f&#39; &#x4e2d;", `a < b && c > d "e" 'f' 中`, ""},
		{"tags are case-insensitive", "<B>x</B>", "x", ""},
		{"anonymous end tag", "<b>x</>", "x", ""},
		{"unsupported tag", "<p>段落</p>", "", `Unsupported start tag "p" at byte offset 0`},
		{"bare less-than", "进度 < 50%", "", `Unsupported start tag "" at byte offset 7`},
		{"unclosed tag", "<b>粗体", "", `Can't find end tag corresponding to start tag "b"`},
		{"crossed tags", "<b><i>x</b></i>", "", `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{"stray end tag", "x</b>", "", "Unexpected end tag at byte offset 1"},
		{"unterminated start tag", "x <b", "", "Unclosed start tag at byte offset 2"},
		{"span without class", "<span>x</span>", "", `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{"bare ampersand (stricter than Telegram)", "研发 & 生产", "", `Unescaped "&" at byte offset 7`},
		{"unknown entity (stricter than Telegram)", "a&nbsp;b", "", `Unescaped "&" at byte offset 1`},
		{"bare greater-than (stricter than Telegram)", "x > y", "", `Unescaped ">" at byte offset 2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := b.SendMessage(context.Background(), &bot.SendMessageParams{ChatID: 9, Text: tt.text, ParseMode: models.ParseModeHTML})
			if tt.wantErr != "" {
				if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "Bad Request: can't parse entities: "+tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if msg.Text != tt.wantPlain {
				t.Errorf("text %q, want %q", msg.Text, tt.wantPlain)
			}
		})
	}
}

func TestHTMLEntitiesCountUTF16(t *testing.T) {
	text, ents, err := parseHTML("👍 <b>好 😀</b> <a href='https://x.org'>y</a>")
	if err != nil {
		t.Fatal(err)
	}
	if text != "👍 好 😀 y" {
		t.Errorf("text %q", text)
	}
	want := []entity{
		{Type: "bold", Offset: 3, Length: 4},
		{Type: "text_link", Offset: 8, Length: 1, URL: "https://x.org"},
	}
	if !reflect.DeepEqual(ents, want) {
		t.Errorf("entities %+v, want %+v", ents, want)
	}
}

func TestTextLimits(t *testing.T) {
	s := NewServer(t)
	tests := []struct {
		name      string
		text      string
		parseMode string
		wantErr   string
	}{
		{"4096 characters", strings.Repeat("字", 4096), "", ""},
		{"4097 characters", strings.Repeat("字", 4097), "", "Bad Request: message is too long"},
		{"2048 emoji: Telegram counts UTF-16 units", strings.Repeat("😀", 2048), "", ""},
		{"2049 emoji: 4098 UTF-16 units", strings.Repeat("😀", 2049), "", "Bad Request: message is too long"},
		{"tags do not count", "<b>" + strings.Repeat("字", 4096) + "</b>", "HTML", ""},
		{"entities count as one", strings.Repeat("&lt;", 4096), "HTML", ""},
		{"surrounding white space does not count", "\n  " + strings.Repeat("字", 4096) + "  \n", "", ""},
		{"empty", "", "", "Bad Request: message text is empty"},
		{"only white space", " \n ", "", "Bad Request: text must be non-empty"},
		{"only tags", "<b></b>", "HTML", "Bad Request: text must be non-empty"},
		{"over 32 KB before parsing", strings.Repeat("<b>字</b>", 3300), "HTML", "Bad Request: text is too long"},
		{"unknown parse mode", "x", "BBCode", "Bad Request: unsupported parse_mode"},
		{"markdown is not checked", "*bold", "MarkdownV2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, s, "sendMessage", map[string]string{"chat_id": "9", "text": tt.text, "parse_mode": tt.parseMode})
			if r.Description != tt.wantErr || r.OK != (tt.wantErr == "") {
				t.Errorf("got ok=%v %q, want %q", r.OK, r.Description, tt.wantErr)
			}
		})
	}
}

func TestTrimmedText(t *testing.T) {
	s := NewServer(t)
	call(t, s, "sendMessage", map[string]string{"chat_id": "9", "text": "\n <b>x</b> \n", "parse_mode": "HTML"})
	if got := s.Sent()[0].PlainText; got != "x" {
		t.Errorf("PlainText %q, want %q", got, "x")
	}
}
