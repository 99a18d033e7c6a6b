package bot

import (
	"context"
	"fmt"

	"github.com/luohu/reformbot/store"
)

// TellUnitsLeft tells, once per plan year, each active unit contact whose
// unit has no task in the plan in force that it has none now (an amendment
// or a new year's plan left the unit out), so they stop waiting for
// prompts. serve calls it whenever the plans change; the outbox key makes
// a second call send nothing. It returns how many were told.
func (b *Bot) TellUnitsLeft(ctx context.Context) (int, error) {
	n := 0
	err := b.db.Update(ctx, func(tx *store.Tx) error {
		n = 0
		out, err := b.handlers.UnitsLeft(ctx, tx)
		if err != nil {
			return err
		}
		for _, m := range out {
			added, err := tx.Enqueue(ctx, m)
			if err != nil {
				return err
			}
			if added {
				n++
			}
		}
		return nil
	})
	if n > 0 {
		b.sender.Wake()
	}
	return n, err
}

// UnitsLeft are the messages telling active unit contacts whose unit has
// no task in the plan in force that it has none now, keyed
// unit-left:<plan year>:<user> so each is told once per plan year.
//
// A unit the new year's plan leaves out may still owe December: while the
// year before's last period is being collected (collecting), its contacts
// are told both at once — nothing in the new plan, but finish that period
// in 我的任务, which still lists it. Told only after December's digest,
// they would have nobody to tell them (this runs when the plans change),
// and told "无需再填报" now, they would leave December unreported.
func (h *Handlers) UnitsLeft(ctx context.Context, tx *store.Tx) ([]store.Message, error) {
	now := tx.Now().In(h.loc)
	v := h.current(now)
	open, _ := h.collecting(ctx, tx, now)
	was, ok := h.forPeriod(open)
	owing := ok && was.plan != v.plan
	contacts, err := tx.ActiveContacts(ctx, store.RoleContact)
	if err != nil {
		return nil, err
	}
	var out []store.Message
	for _, c := range contacts {
		if len(v.ix.tasks(c.Unit)) > 0 {
			continue
		}
		text := fmt.Sprintf("📋 改革计划已更新：%s\n「%s」在当前计划中暂无任务，无需再填报进展。以往的填报记录均已保存。如有疑问，请联系区委改革办。",
			esc(v.plan.Title), esc(c.Unit))
		if owing && len(was.ix.tasks(h.nameIn(was, c.Unit))) > 0 {
			text = fmt.Sprintf("📋 改革计划已更新：%s\n「%s」在新计划中暂无任务。%s进展仍在收集，请在「我的任务」中报完；此后无需再填报。以往的填报记录均已保存。如有疑问，请联系区委改革办。",
				esc(v.plan.Title), esc(c.Unit), open.Label())
		}
		out = append(out, store.Message{
			Key:  fmt.Sprintf("unit-left:%d:%d", v.plan.Key(), c.UserID),
			Kind: store.KindNotice, ChatID: c.ChatID, UserID: c.UserID, Priority: store.PriorityBulk,
			Method: store.SendMessage, Payload: store.Payload{Text: text, ParseMode: "HTML", NoPreview: true, ReplyMarkup: contactKeyboard()},
		})
	}
	return out, nil
}
