package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// Statements are prepared once and kept: SQLite parses and plans a
// statement on each prepare, and on the intake's path (a dozen statements
// an update) that was a third of an update's CPU. They are prepared on the
// pool and run in the writer's transactions (DB.w): database/sql prepares
// a kept statement once on that connection and reuses it there. (One
// prepared on the Conn itself would be prepared again in every Tx.)

// stmtCache holds the prepared statements of one DB by their text.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// maxStmts bounds the cache; queries built at run time (none today) must
// not grow it forever.
const maxStmts = 500

// stmt returns the kept statement for query, preparing it the first time.
// ok is false when it cannot be kept; the caller then runs query directly.
func (db *DB) stmt(ctx context.Context, query string) (*sql.Stmt, bool) {
	c := &db.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		return st, true
	}
	if len(c.stmts) >= maxStmts {
		return nil, false
	}
	st, err := db.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, false // the direct call reports the error
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = st
	return st, true
}

// closeStmts closes the kept statements.
func (db *DB) closeStmts() {
	c := &db.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}

// stmtTx is a transaction that runs its statements from the DB's kept ones,
// each to its end whatever becomes of ctx (see Update). A kept statement is
// bound to the transaction once (database/sql's Tx.StmtContext makes a new
// *sql.Stmt each call, ~40% of a short query's cost) and reused for the
// rest of it: a batch of 100 updates runs the same dozen statements 100
// times. (Should binding fail, the failed binding is kept with the rest:
// the update that met it fails, and the intake settles it alone in a
// transaction of its own and goes on with the batch in a new one.)
type stmtTx struct {
	*sql.Tx
	db    *DB
	bound map[*sql.Stmt]*sql.Stmt // nil: bind each time
}

func newStmtTx(tx *sql.Tx, db *DB) stmtTx {
	return stmtTx{Tx: tx, db: db, bound: map[*sql.Stmt]*sql.Stmt{}}
}

// kept returns query's kept statement bound to the transaction.
func (t stmtTx) kept(ctx context.Context, query string) (*sql.Stmt, bool) {
	st, ok := t.db.stmt(ctx, query)
	if !ok {
		return nil, false
	}
	if t.bound == nil {
		return t.Tx.StmtContext(ctx, st), true
	}
	b, ok := t.bound[st]
	if !ok {
		b = t.Tx.StmtContext(ctx, st)
		t.bound[st] = b
	}
	return b, true
}

func (t stmtTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = context.WithoutCancel(ctx)
	if st, ok := t.kept(ctx, query); ok {
		return st.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t stmtTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = context.WithoutCancel(ctx)
	if st, ok := t.kept(ctx, query); ok {
		return st.QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t stmtTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = context.WithoutCancel(ctx)
	if st, ok := t.kept(ctx, query); ok {
		return st.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

// keptReads runs reads outside a transaction from the kept statements, on
// whichever pooled connection is free: for the reads that run again and
// again (the sender's look at the outbox after every commit), where
// parsing the query cost more than running it.
type keptReads struct{ db *DB }

func (k keptReads) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return nil, errors.New("store: keptReads is for reads")
}

func (k keptReads) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st, ok := k.db.stmt(ctx, query); ok {
		return st.QueryContext(ctx, args...)
	}
	return k.db.db.QueryContext(ctx, query, args...)
}

func (k keptReads) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st, ok := k.db.stmt(ctx, query); ok {
		return st.QueryRowContext(ctx, args...)
	}
	return k.db.db.QueryRowContext(ctx, query, args...)
}
