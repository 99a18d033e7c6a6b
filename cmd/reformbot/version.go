package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/luohu/reformbot/store"
)

// version is set at build time: go build -ldflags "-X main.version=v1.2.0".
var version = "dev"

// buildCommit is set at build time where the toolchain cannot see the
// repository (the Dockerfile): -ldflags "-X main.buildCommit=abc1234".
var buildCommit = ""

func init() {
	commands["version"] = command{summary: "print the version, commit and schema version (and the database's)", run: runVersion}
}

// commit is the VCS revision the binary was built from, as the Go toolchain
// recorded it.
func commit() string {
	if buildCommit != "" {
		return buildCommit
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	rev, dirty := "unknown", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}

func runVersion(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "version", "[--db FILE]")
	c := addCommon(fs, env)
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("version takes no arguments")
	}
	fmt.Fprintf(env.Stdout, "reformbot %s\ncommit     %s\ngo         %s\nschema     %d\n", version, commit(), runtime.Version(), store.SchemaVersion())
	v, err := store.ReadSchemaVersion(ctx, c.db)
	switch {
	case err != nil:
		fmt.Fprintf(env.Stdout, "database   %s: not readable (%v)\n", c.db, err)
	case v > store.SchemaVersion():
		fmt.Fprintf(env.Stdout, "database   %s: schema %d, NEWER than this binary: use a newer reformbot\n", c.db, v)
	case v < store.SchemaVersion():
		fmt.Fprintf(env.Stdout, "database   %s: schema %d, migrated forward when serve starts\n", c.db, v)
	default:
		fmt.Fprintf(env.Stdout, "database   %s: schema %d, current\n", c.db, v)
	}
	return nil
}
