package bot

import (
	"strings"

	"github.com/luohu/reformbot/store"
)

// Greetings and thanks are answered as such, with the menu, rather than
// searched for: "未找到与「谢谢」相关的任务" reads as a machine that did not
// listen.

// greetings are short messages people send to be polite, compared after
// trimming punctuation, with the word the answer opens with.
var greetings = func() map[string]string {
	m := map[string]string{}
	for opener, words := range map[string][]string{
		"您好！":  {"你好", "您好", "hi", "hello", "在吗", "在么", "早", "早上好", "下午好"},
		"不客气！": {"谢谢", "谢谢你", "谢谢您", "多谢", "感谢", "辛苦了", "辛苦"},
		"好的。":  {"好的", "好", "ok", "嗯", "嗯嗯", "行", "明白", "知道了", "收到", "已收到", "收到了"},
	} {
		for _, w := range words {
			m[w] = opener
		}
	}
	return m
}()

// greeting is the opener of the answer to a greeting or thanks, "" when
// text is anything else.
func greeting(text string) string {
	return greetings[strings.ToLower(strings.TrimRight(strings.TrimSpace(text), "!！。.~～ 👍🙏"))]
}

// answerGreeting answers politely and shows the way on. Someone in the
// middle of a report is reminded that the bot waits for their text.
func (h *Handlers) answerGreeting(r *request, opener string) error {
	conv, err := r.conversation()
	if err != nil {
		return err
	}
	switch {
	case conv != nil && conv.State == store.WritingText:
		r.reply(opener+"请直接输入本期进展（几句话即可），或发送「取消」。", nil)
	case r.contact.IsOffice():
		r.reply(opener+"可点击下方「本期总览」「未填报单位」，或发送「帮助」查看用法。", keyboardFor(r.contact))
	default:
		r.reply(opener+"点击下方「我的任务」查看和填报本单位任务，发送「帮助」查看用法。", keyboardFor(r.contact))
	}
	return nil
}
