package bot

import (
	"context"

	tgbot "github.com/go-telegram/bot"
)

// RefreshCommands publishes the command menu again, e.g. after the office
// activated a plan whose examples differ.
func (b *Bot) RefreshCommands(ctx context.Context) error {
	return redact(b.setCommands(ctx), b.cfg.Token)
}

// setCommands publishes the command menu Telegram shows next to the input,
// with examples from the plan in force, from the route table.
func (b *Bot) setCommands(ctx context.Context) error {
	_, err := b.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{
		Commands: b.handlers.Menu(b.db.Now()),
	})
	return err
}
