//go:build unix

package store

import (
	"os"
	"syscall"
)

// sameOwner gives path the owner of the file described by like, when this
// process may (it is root); otherwise it leaves path as it is.
func sameOwner(like os.FileInfo, path string) {
	if st, ok := like.Sys().(*syscall.Stat_t); ok && os.Geteuid() == 0 {
		os.Chown(path, int(st.Uid), int(st.Gid))
	}
}
