package store

import "context"

// The dashboard's reads of the office's loop (package web): what the bot
// reads inside its update's transaction (Tx.LatestReviews, MeasureReviews,
// MeasureUrges), read on the pool, so a page never takes the writer's turn
// (every transaction begins IMMEDIATE).

// LatestReviews is Tx.LatestReviews outside a transaction.
func (db *DB) LatestReviews(ctx context.Context, reportIDs ...int64) (map[int64]Review, error) {
	return latestReviews(ctx, db.db, reportIDs)
}

// MeasureReviews is Tx.MeasureReviews outside a transaction.
func (db *DB) MeasureReviews(ctx context.Context, planYear int, measureID string) ([]Review, error) {
	return measureReviews(ctx, db.db, planYear, measureID)
}

// MeasureUrges is Tx.MeasureUrges outside a transaction.
func (db *DB) MeasureUrges(ctx context.Context, planYear int, measureID string) ([]Urge, error) {
	return measureUrges(ctx, db.db, planYear, measureID)
}
