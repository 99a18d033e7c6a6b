package bot

import (
	"encoding/json"
	"fmt"

	"github.com/luohu/reformbot/plan"
)

// The year-end acceptance (提交成果材料) stays open in January, under the
// year before's plan. Until December's digest 我的任务 lists that plan and
// a measure's view offers it; after, 我的任务 lists the new year's
// measures, whose IDs may name other measures, or none at all for a unit
// the new plan leaves out. yearEndButton keeps it one tap away from
// 我的任务 then.

// yearEndButton is a 我的任务 button opening the unit's acceptance request
// (the page the acceptance prompt shows), when the acceptance on offer is
// of another plan than shown and the unit leads measures in it.
func (h *Handlers) yearEndButton(r *request, shown planView) (button, bool) {
	year, ok := h.acceptanceYear(r)
	if !ok {
		return button{}, false
	}
	v, ok := h.forPeriod(plan.YearPeriod(year))
	if !ok || v.plan == shown.plan {
		return button{}, false
	}
	for _, t := range v.ix.tasks(r.unitIn(v)) {
		if t.Role == plan.Lead {
			return button{
				Text:         fmt.Sprintf("提交%d年度成果材料", year),
				CallbackData: callback{kind: cbPromptPage, period: plan.YearPeriod(year)}.String(),
			}, true
		}
	}
	return button{}, false
}

// withButtonRow adds a row with b under an inline keyboard.
func withButtonRow(markup json.RawMessage, b button) json.RawMessage {
	var kb inlineKeyboard
	if len(markup) > 0 {
		if err := json.Unmarshal(markup, &kb); err != nil {
			return markup
		}
	}
	kb.InlineKeyboard = append(kb.InlineKeyboard, []button{b})
	return mustJSON(kb)
}
