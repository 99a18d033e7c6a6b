package digest

import "strings"

// Why a message could not be delivered, in words the office reads. The
// outbox keeps Telegram's own description (English, for operators and
// logs); the digest shows its class.

// failureClass is a kind of delivery failure.
type failureClass int

const (
	failUnknown failureClass = iota
	failBlocked
	failNeverStarted
	failDeactivated
	failChatNotFound
	failKicked
	failTooMany
	failRefused
	failNetwork
)

// failureLabels are the classes as the office reads them.
var failureLabels = map[failureClass]string{
	failUnknown:      "发送失败",
	failBlocked:      "对方已屏蔽机器人",
	failNeverStarted: "对方尚未与机器人开始对话",
	failDeactivated:  "对方的 Telegram 账号已注销",
	failChatNotFound: "找不到对方的对话（可能已删除或从未开始）",
	failKicked:       "机器人已被移出该群组",
	failTooMany:      "发送过于频繁，多次重试未成功",
	failRefused:      "消息被 Telegram 拒收",
	failNetwork:      "网络或 Telegram 服务故障，多次重试未成功",
}

// classifyFailure reads the class from an outbox error as the sender
// recorded it (Telegram's description, or a network error).
func classifyFailure(err string) failureClass {
	e := strings.ToLower(err)
	switch {
	case e == "":
		return failUnknown
	case strings.Contains(e, "blocked by the user"):
		return failBlocked
	case strings.Contains(e, "can't initiate conversation"), strings.Contains(e, "cannot initiate conversation"):
		return failNeverStarted
	case strings.Contains(e, "deactivated"):
		return failDeactivated
	case strings.Contains(e, "chat not found"):
		return failChatNotFound
	case strings.Contains(e, "kicked"), strings.Contains(e, "not a member"):
		return failKicked
	case strings.Contains(e, "429"), strings.Contains(e, "too many requests"):
		return failTooMany
	case strings.Contains(e, "bad request"), strings.Contains(e, "forbidden"):
		return failRefused
	case strings.Contains(e, "timeout"), strings.Contains(e, "deadline"), strings.Contains(e, "connection"),
		strings.Contains(e, "eof"), strings.Contains(e, "internal server error"), strings.Contains(e, "bad gateway"),
		strings.Contains(e, "unavailable"):
		return failNetwork
	}
	return failUnknown
}

// failureReason is an outbox error as the office reads it.
func failureReason(err string) string { return failureLabels[classifyFailure(err)] }
