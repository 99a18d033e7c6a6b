// Package store keeps everything reformbot knows in one SQLite file: the plan
// in force, contacts and invites, reports with their history, the inbox of
// received updates, the outbox of messages to send, campaigns and the audit
// log. One file per concern; this one opens the database and runs
// transactions.
//
// The store imports plan and nothing else of ours.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("store: not found")

// DB is the reformbot database.
type DB struct {
	db   *sql.DB
	path string
	now  func() time.Time
	// ident is the database file as opened, to notice it being deleted or
	// replaced (CheckFile).
	ident os.FileInfo

	// writing admits one writer of this process at a time. SQLite admits
	// one anyway, but a writer it turns away sleeps in its busy handler
	// (1, 2, 5, 10 ms …) and, while intake commits back to back, keeps
	// losing the race for the lock: the sender's "sent" records then lag
	// behind the sends (more messages sent again after a crash) and
	// intake's own transactions stall behind them. Waiting here is first
	// come, first served. Other processes still meet busy_timeout.
	writing chan struct{}

	// w is the connection every write of this process goes through, in
	// turn (writing). One connection, so its page cache stays warm: SQLite
	// throws a connection's cache away whenever another connection wrote,
	// and with writes spread over the pool each transaction began by
	// reading its pages again. Reads go through the pool.
	w *sql.Conn

	stmts stmtCache // prepared statements of w, kept (stmts.go)

	// The background checkpoint (checkpoint.go).
	ckptMu   sync.Mutex
	dirty    chan struct{}
	closing  chan struct{}
	ckptDone chan struct{}
}

// Options tune Open. The zero value is fine.
type Options struct {
	// Now is the clock; time.Now when nil. Tests inject their own.
	Now func() time.Time
	// BusyTimeout is how long a statement waits for another writer's lock
	// before failing with "database is locked". Default 5s.
	BusyTimeout time.Duration
}

// Open opens (creating if needed) the database at path and brings its schema
// up to date.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("store: empty database path")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 5 * time.Second
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	if err := setAutoVacuum(ctx, path); err != nil {
		return nil, err
	}
	sqldb, err := sql.Open("sqlite", dsn(path, opts.BusyTimeout))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db := &DB{db: sqldb, path: path, now: opts.Now, writing: make(chan struct{}, 1)}
	if err := db.check(ctx); err != nil {
		sqldb.Close()
		return nil, err
	}
	// The connection check made above holds the file open, so this is the
	// file SQLite has (short of a swap in these microseconds).
	if db.ident, err = os.Stat(path); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if db.w, err = sqldb.Conn(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.w.Close() // checked out: the pool's Close would leave it open
		sqldb.Close()
		return nil, err
	}
	db.dirty, db.closing, db.ckptDone = make(chan struct{}, 1), make(chan struct{}), make(chan struct{})
	go db.checkpointer()
	return db, nil
}

// dsn builds the connection string. Pragmas go in the DSN so that every
// pooled connection gets them, not just the first. Write transactions begin
// IMMEDIATE: a deferred transaction that reads and then writes would fail at
// once with "database is locked" instead of waiting for busy_timeout.
// synchronous=NORMAL in WAL mode keeps every commit safe from a process crash
// (kill -9); only a power cut can lose the last commits.
func dsn(path string, busy time.Duration) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", walBackstop))
	// After a checkpoint resets the WAL, a -wal file grown by a large
	// campaign is cut back to this (SQLite otherwise keeps it at its
	// high-water mark, up to the backstop's 40 MB).
	q.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", walKeepBytes))
	// The intake runs each update of a batch in a savepoint, and SQLite
	// keeps what a savepoint may have to undo in a statement journal, a
	// temporary file once it passes 64 KB: a write system call for nearly
	// every page an update touched, an eighth of the intake's time. In
	// memory it costs a few pages of RAM, given back at each commit.
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Set("_txlock", "immediate")
	return "file:" + escapePath(path) + "?" + q.Encode()
}

// setAutoVacuum makes a new (empty) database file one that gives back the
// pages pruning frees (PruneBodies runs incremental_vacuum). The mode must
// be set before the WAL mode and the first table, and only once: in the
// DSN it would make every new connection wait for the writer. An older
// database keeps its mode (a VACUUM would change it, too slow for a start);
// new rows reuse the pages pruning frees in it.
func setAutoVacuum(ctx context.Context, path string) error {
	if st, err := os.Stat(path); err != nil || st.Size() > 0 {
		return nil
	}
	q := url.Values{}
	q.Add("_pragma", "auto_vacuum(INCREMENTAL)")
	q.Add("_pragma", "journal_mode(WAL)")
	one, err := sql.Open("sqlite", "file:"+escapePath(path)+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer one.Close()
	if err := one.PingContext(ctx); err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	return nil
}

// escapePath keeps a path with ? or # from being read as a query.
func escapePath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
}

// check verifies the file is a usable SQLite database in WAL mode.
func (db *DB) check(ctx context.Context) error {
	var mode string
	if err := db.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return fmt.Errorf("store: open %s: %w", db.path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("store: open %s: journal mode is %q, want wal", db.path, mode)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	db.stopCheckpointer()
	db.closeStmts()
	if db.w != nil {
		db.w.Close()
	}
	return db.db.Close()
}

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

// Now is the store's clock.
func (db *DB) Now() time.Time { return db.now() }

// Tx is a write transaction. Its methods are the store's writes, and the
// reads that a decision inside the transaction depends on.
type Tx struct {
	tx  stmtTx
	now time.Time
}

// Now is the time the transaction started, by the store's clock. Every row a
// transaction writes carries this one time.
func (tx *Tx) Now() time.Time { return tx.now }

// Update runs fn in a write transaction and commits it if fn returns nil.
// It first waits its turn behind this process's other writers (or until ctx
// ends); the transaction then begins IMMEDIATE, so it waits (up to the busy
// timeout) for another reformbot process writing to the same file. fn must
// not write through db itself: that would wait for its own turn.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error {
	if err := db.acquire(ctx); err != nil {
		return err
	}
	defer db.release()
	// Once begun, a transaction ends by its own commit or rollback, never
	// by ctx: database/sql would roll a cancelled one back later, from
	// another goroutine, onto whichever transaction w holds by then (and a
	// statement SQLite interrupts rolls back the whole transaction, leaving
	// the rest of fn to autocommit). ctx bounds the wait for the turn.
	sqltx, err := db.w.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer sqltx.Rollback()
	if err := fn(&Tx{tx: newStmtTx(sqltx, db), now: db.now()}); err != nil {
		return err
	}
	// A commit to a deleted or replaced file would be lost with it: say so
	// instead, before anyone is told it was saved.
	if err := db.CheckFile(); err != nil {
		return err
	}
	if err := sqltx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	db.committed()
	return nil
}

// acquire waits for this process's turn to write; release ends it.
func (db *DB) acquire(ctx context.Context) error {
	select {
	case db.writing <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (db *DB) release() { <-db.writing }

// exec runs one write statement outside a transaction, in turn with the
// other writers.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := db.acquire(ctx); err != nil {
		return nil, err
	}
	defer db.release()
	if err := db.CheckFile(); err != nil {
		return nil, err
	}
	defer db.committed()
	if strings.HasPrefix(query, "PRAGMA") {
		return db.w.ExecContext(ctx, query, args...) // not in a transaction
	}
	sqltx, err := db.w.BeginTx(context.WithoutCancel(ctx), nil) // as in Update
	if err != nil {
		return nil, fmt.Errorf("store: begin: %w", err)
	}
	defer sqltx.Rollback()
	res, err := newStmtTx(sqltx, db).ExecContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return res, sqltx.Commit()
}

// IsBusy reports whether err is SQLite saying another connection held a lock
// for longer than the busy timeout (SQLITE_BUSY or SQLITE_LOCKED). The work
// was not done; callers retry later.
func IsBusy(err error) bool {
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff {
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return true
		}
	}
	return false
}

// querier is what both *sql.DB and *sql.Tx offer, so one query function
// serves reads inside and outside transactions.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// timeLayout stores times as fixed-width UTC text: readable in the sqlite3
// shell, and sortable as strings.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func parseNullTime(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	return parseTime(s.String)
}
