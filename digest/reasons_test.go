package digest

import (
	"regexp"
	"strings"
	"testing"
)

func TestFailureReasonsAreChinese(t *testing.T) {
	tests := []struct {
		name, err, want string
	}{
		{"blocked", "forbidden, Forbidden: bot was blocked by the user", "对方已屏蔽机器人"},
		{"never started", "forbidden, Forbidden: bot can't initiate conversation with a user", "对方尚未与机器人开始对话"},
		{"deleted account", "forbidden, Forbidden: user is deactivated", "对方的 Telegram 账号已注销"},
		{"chat gone", "bad request, Bad Request: chat not found", "找不到对方的对话（可能已删除或从未开始）"},
		{"refused", "bad request, Bad Request: can't parse entities", "消息被 Telegram 拒收"},
		{"429", "429 retry after 5s", "发送过于频繁，多次重试未成功"},
		{"network", `Post "https://api.telegram.org/bot<token>/sendMessage": dial tcp: connection refused`, "网络或 Telegram 服务故障，多次重试未成功"},
		{"5xx", "error response from Telegram: Internal Server Error", "网络或 Telegram 服务故障，多次重试未成功"},
		{"unknown", "something else", "发送失败"},
	}
	english := regexp.MustCompile(`[A-Za-z]{2,}`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := failureReason(tt.err)
			if got != tt.want {
				t.Errorf("failureReason(%q) = %q, want %q", tt.err, got, tt.want)
			}
			if w := english.FindAllString(strings.ReplaceAll(got, "Telegram", ""), -1); len(w) > 0 {
				t.Errorf("%q has English words %v", got, w)
			}
		})
	}
}

func TestUnreachableSectionShowsNoEnglish(t *testing.T) {
	d := Digest{Unreachable: []Unreachable{{Unit: "区编办", Name: "张三", UserID: 7, Blocked: true,
		Error: "forbidden, Forbidden: bot was blocked by the user"}}}
	text := strings.Join(d.unreachableSection(), "\n")
	if strings.Contains(text, "Forbidden") || !strings.Contains(text, "对方已屏蔽机器人") {
		t.Errorf("section:\n%s", text)
	}
	tb := d.unreachableTable()
	if reason := tb.rows[0][3].(string); strings.Contains(reason, "Forbidden") || !strings.Contains(reason, "对方已屏蔽机器人") {
		t.Errorf("workbook reason = %q", reason)
	}
}
