//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// ErrServing is returned by LockServe while another process holds the lock:
// a reformbot serve is running on the database.
var ErrServing = errors.New("store: a reformbot serve is running on this database")

// LockServe takes the lock that serve holds for as long as it runs, on the
// file dbPath.lock. restore takes it too, so neither runs while the other
// does, and a second serve on one database is refused. The lock is the
// kernel's (flock): it ends with the process, even after kill -9.
func LockServe(dbPath string) (unlock func(), err error) {
	f, err := os.OpenFile(dbPath+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrServing
		}
		return nil, fmt.Errorf("store: lock: %w", err)
	}
	return func() { f.Close() }, nil
}

// sameOwner gives path the owner of the file described by like, when this
// process may (it is root); otherwise it leaves path as it is.
func sameOwner(like os.FileInfo, path string) {
	if st, ok := like.Sys().(*syscall.Stat_t); ok && os.Geteuid() == 0 {
		os.Chown(path, int(st.Uid), int(st.Gid))
	}
}
