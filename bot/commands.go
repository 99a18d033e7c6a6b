package bot

import (
	"context"
	"errors"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/luohu/reformbot/store"
)

// RefreshCommands publishes the command menus again, e.g. after the office
// activated a plan whose examples differ.
func (b *Bot) RefreshCommands(ctx context.Context) error {
	return redact(b.setCommands(ctx), b.cfg.Token)
}

// setCommands publishes the command menus Telegram shows next to the
// input, from the route table with examples from the plan in force: the
// units' as every chat's default, and the office's in each office
// contact's chat (one bound later gets it with its welcome, start.go), so
// that a unit's menu holds nothing only the office may use.
func (b *Bot) setCommands(ctx context.Context) error {
	now := b.db.Now()
	_, err := b.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: b.handlers.Menu(now, false)})
	if err != nil {
		return err
	}
	office, err := b.db.ActiveContacts(ctx, store.RoleOffice)
	if err != nil {
		return err
	}
	var errs []error
	for _, c := range office {
		_, err := b.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{
			Commands: b.handlers.Menu(now, true),
			Scope:    &models.BotCommandScopeChat{ChatID: c.ChatID},
		})
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
