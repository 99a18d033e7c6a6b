//go:build !unix

package store

import "os"

// tryLock is a no-op where flock is missing: one serve per database is
// then the operator's to keep.
func tryLock(*os.File) (bool, error) { return false, nil }
