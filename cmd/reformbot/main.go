// Command reformbot runs a district reform office's monthly progress loop on
// Telegram: unit contacts report on their measures, a scheduler prompts and
// reminds them, and the office gets digests.
//
// Subcommands are listed by `reformbot help`. Each lives in its own file in
// this package; this file only dispatches.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &Env{
		Getenv: os.Getenv,
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Now:    time.Now,
	}
	env = env.terminalSafe()
	err := run(ctx, os.Args[1:], env)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(env.Stderr, "reformbot:", err)
	}
	os.Exit(exitCode(err))
}

// Env is what a subcommand may touch of the outside world. Tests build their
// own; nothing in this package reads os.Args, os.Getenv or time.Now directly.
type Env struct {
	Getenv func(string) string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Now    func() time.Time
}

// command is one subcommand: a one-line summary for `help` and the function
// that runs it with the arguments after its name.
type command struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// commands is filled by init functions in the subcommands' own files, so
// adding a subcommand touches one file.
var commands = map[string]command{}

// usageError marks a mistake in how the command was called (exit status 2),
// as opposed to a failure while doing the work (exit status 1).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

func exitCode(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		return 2
	default:
		return 1
	}
}

func run(ctx context.Context, args []string, env *Env) error {
	env = env.terminalSafe() // names and texts from strangers cannot drive the terminal
	name := "serve"
	if len(args) > 0 && (len(args[0]) == 0 || args[0][0] != '-') {
		name, args = args[0], args[1:]
	} else if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		name = "help" // the commands, not serve's flags
	}
	switch name {
	case "help", "-h", "--help":
		printUsage(env.Stdout)
		return nil
	}
	cmd, ok := commands[name]
	if !ok {
		return usagef("unknown command %q: 'reformbot help' lists the commands", name)
	}
	return cmd.run(ctx, env, args)
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: reformbot <command> [flags]   (no command means serve)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-10s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'reformbot <command> -h' for a command's flags.")
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints its usage to env.Stderr.
func newFlagSet(env *Env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "usage: reformbot %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning a flag mistake into a usage error.
// Flags may come before or after positional arguments, as operators type them
// both ways ("invite 区编办 --days 7").
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{msg: err.Error()}
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
