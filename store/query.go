package store

import (
	"context"
	"fmt"
)

// rowScanner is what a row is read with: *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(...any) error }

// queryAll runs query and reads every row with scan; what names the rows
// in errors ("store: urges: …").
func queryAll[T any](ctx context.Context, q querier, what, query string, args []any, scan func(rowScanner) (T, error)) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}
