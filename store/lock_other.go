//go:build !unix

package store

import (
	"errors"
	"os"
)

// ErrServing is returned by LockServe while a reformbot serve is running on
// the database.
var ErrServing = errors.New("store: a reformbot serve is running on this database")

// LockServe is a no-op where flock is not available: the operator must stop
// serve before a restore.
func LockServe(string) (func(), error) { return func() {}, nil }

// sameOwner does nothing where file owners are not numeric ids.
func sameOwner(os.FileInfo, string) {}
