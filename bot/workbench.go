package bot

import (
	"bytes"
	"encoding/json"
	"strings"
)

// The dashboard as a Telegram Mini App. With Config.WebAppURL set, the
// office's keyboard gets a 工作台 button; tapping it answers with an inline
// web_app button that opens the dashboard. (An inline button, not a
// web_app button in the reply keyboard: Telegram gives a Mini App opened
// from the reply keyboard no initData, so the dashboard could not tell who
// opened it.)

const labelWorkbench = "工作台"

// webAppButton is an inline button that opens a Mini App.
type webAppButton struct {
	Text   string `json:"text"`
	WebApp struct {
		URL string `json:"url"`
	} `json:"web_app"`
}

// officeKeyboardFor is the office keyboard, with 工作台 when the dashboard
// is published.
func (h *Handlers) officeKeyboardFor(markup json.RawMessage) json.RawMessage {
	if h.webAppURL == "" || !bytes.Equal(markup, officeKeyboard()) {
		return markup
	}
	return replyKeyboardOf(true, true)
}

// workbench answers 工作台 with the button that opens the dashboard.
func (h *Handlers) workbench(r *request) error {
	btn := webAppButton{Text: "打开工作台"}
	btn.WebApp.URL = strings.TrimRight(h.webAppURL, "/") + "/overview"
	markup, err := json.Marshal(map[string]any{"inline_keyboard": [][]webAppButton{{btn}}})
	if err != nil {
		return err
	}
	r.reply("工作台：全年进度、各项目红黄绿灯、措施和单位的填报记录。", markup)
	return nil
}
