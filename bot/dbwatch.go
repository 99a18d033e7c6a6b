package bot

import (
	"context"
	"time"
)

// dbCheckInterval is how often Run looks at the database file while idle.
// Every commit checks it too (store.DB.Update), so no update is confirmed
// and no reply queued once it is gone; this only makes an idle bot stop.
const dbCheckInterval = 2 * time.Second

// watchDatabase stops the bot, with store.ErrDatabaseGone as the cause,
// when the database file is deleted or replaced under it: everything it
// would go on saving would be lost with the old file.
func (b *Bot) watchDatabase(ctx context.Context, stop context.CancelCauseFunc) {
	t := time.NewTicker(dbCheckInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := b.db.CheckFile(); err != nil {
			b.log.Error("database: the file was deleted or replaced; stopping without confirming anything more", "err", err)
			stop(err)
			return
		}
	}
}
