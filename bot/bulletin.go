package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/luohu/reformbot/digest"
	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

// Bulletins issues the office's bulletin (通报) in the update's transaction:
// its number, its words and its Word document. schedule.Scheduler
// implements it; an empty period means the latest prompt's.
type Bulletins interface {
	Bulletin(ctx context.Context, tx *store.Tx, period plan.Period, number int) (*digest.Bulletin, []byte, error)
}

// bulletin answers /bulletin [期次] with the bulletin as a .docx document.
func (h *Handlers) bulletin(r *request, args string) error {
	if !h.requireOffice(r) {
		return nil
	}
	if h.bulletins == nil {
		r.reply("本机器人未启用通报。", officeKeyboard())
		return nil
	}
	var period plan.Period
	if s := strings.TrimSpace(args); s != "" {
		p, err := plan.ParsePeriod(s)
		// A period is written in the cadence of its own year's plan:
		// December of a monthly year stays a month under a quarterly
		// successor.
		v, ok := h.forPeriod(p)
		if err != nil || !ok {
			v = r.view()
		}
		quarterly := v.plan.Reporting.Cadence == plan.Quarterly
		if err != nil || p.IsYear() || p.IsQuarter() != quarterly {
			example := "/bulletin 2026-11"
			if quarterly {
				example = "/bulletin 2026-Q4"
			}
			r.reply("期次格式不对，请写成如："+example+"；不写期次则为最近一期。", nil)
			return nil
		}
		if p.Start(h.loc).After(r.now()) {
			r.reply(fmt.Sprintf("%s尚未开始，还不能生成通报。", p.Label()), nil)
			return nil
		}
		period = p
	}
	bl, data, err := h.bulletins.Bulletin(r.ctx, r.tx, period, 0)
	if err != nil {
		return err
	}
	r.queue(store.Message{
		Kind: store.KindReply, ChatID: r.chatID, UserID: r.userID, Priority: store.PriorityReply,
		Method: store.SendDocument, Payload: store.Payload{Caption: bl.Caption(), ReplyMarkup: officeKeyboard()},
		FileName: bl.FileName(), FileData: data,
	})
	return nil
}
