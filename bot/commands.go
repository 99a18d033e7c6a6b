package bot

import (
	"context"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// RefreshCommands publishes the command menu again, e.g. after the office
// activated a plan whose examples differ.
func (b *Bot) RefreshCommands(ctx context.Context) error {
	return redact(b.setCommands(ctx), b.cfg.Token)
}

// setCommands publishes the command menu Telegram shows next to the input,
// with examples from the plan in force.
func (b *Bot) setCommands(ctx context.Context) error {
	w := b.words(b.db.Now().In(b.cfg.Location))
	_, err := b.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{
		Commands: []models.BotCommand{
			{Command: "tasks", Description: "我的任务：本单位任务和本期填报"},
			{Command: "help", Description: "帮助"},
			{Command: "cancel", Description: "取消正在进行的填报"},
			{Command: "search", Description: "搜索任务，如 /search " + w.searchEx},
			{Command: "overview", Description: "（改革办）本期总览"},
			{Command: "missing", Description: "（改革办）未填报单位"},
			{Command: "unit", Description: "（改革办）查询单位，如 /unit " + w.unitEx},
			{Command: "measure", Description: "（改革办）查询任务，如 /measure " + w.measureEx},
			{Command: "notify", Description: "（改革办）发通知，如 /notify 请于周五前填报"},
			{Command: "notices", Description: "（改革办）通知及收到情况"},
			{Command: "urge", Description: "（改革办）督办，如 /urge " + w.measureEx + " " + w.unitEx + " 请于周五前补报"},
			{Command: "bulletin", Description: "（改革办）生成本期通报（Word）"},
		},
	})
	return err
}
