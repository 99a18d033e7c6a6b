package store

import (
	"context"
	"fmt"
)

// Try runs fn inside a savepoint of the transaction and returns fn's error:
// when fn fails, what it wrote is rolled back and the transaction's earlier
// writes stand. Intake applies the updates of one getUpdates answer in one
// transaction, each in its own savepoint, so one failing update does not
// undo the others. err is Try's own: the savepoint could not be kept or
// rolled back, and the transaction must be given up.
func (tx *Tx) Try(ctx context.Context, fn func() error) (fnErr, err error) {
	if _, err := tx.tx.ExecContext(ctx, `SAVEPOINT try`); err != nil {
		return nil, fmt.Errorf("store: savepoint: %w", err)
	}
	if fnErr = fn(); fnErr != nil {
		if _, err := tx.tx.ExecContext(ctx, `ROLLBACK TO try`); err != nil {
			return fnErr, fmt.Errorf("store: rollback to savepoint: %w", err)
		}
	}
	if _, err := tx.tx.ExecContext(ctx, `RELEASE try`); err != nil {
		return fnErr, fmt.Errorf("store: release savepoint: %w", err)
	}
	return fnErr, nil
}
