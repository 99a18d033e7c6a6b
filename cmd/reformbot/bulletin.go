package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/luohu/reformbot/digest"
	"github.com/luohu/reformbot/store"
)

func init() {
	commands["bulletin"] = command{summary: "write a period's bulletin (通报) as a Word document in official format", run: runBulletin}
}

func runBulletin(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "bulletin", "--period YYYY-MM [-o FILE.docx] [--number N] [--text]")
	c := addCommon(fs, env)
	sf := addScheduleFlags(fs, env)
	periodFlag := fs.String("period", "", "reporting period, e.g. 2026-11 (or 2026-Q4 for a quarterly plan)")
	out := fs.String("o", "", "the .docx file to write (default 改革进展通报-YYYY年第N期.docx)")
	number := fs.Int("number", 0, "the bulletin's number (期号) in its year; default: the period's number if issued, else the next; giving one renumbers the period")
	text := fs.Bool("text", false, "also print the bulletin's text to standard output")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("bulletin takes no arguments besides flags")
	}
	period, err := c.periodFlag(*periodFlag)
	if err != nil {
		return err
	}
	if *number < 0 {
		return usagef("--number must be positive")
	}
	if *out == "-" {
		return usagef("a bulletin is a Word document: give -o FILE.docx, not standard output")
	}
	s, db, err := scheduler(ctx, c, sf, period)
	if err != nil {
		return err
	}
	defer db.Close()
	var b *digest.Bulletin
	var data []byte
	err = db.Update(ctx, func(tx *store.Tx) error {
		var err error
		b, data, err = s.Bulletin(ctx, tx, period, *number)
		return err
	})
	if errors.Is(err, store.ErrBulletinNumberTaken) {
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	path := *out
	if path == "" {
		path = b.FileName()
	}
	if err := writeOutput(env, path, data); err != nil {
		return err
	}
	if *text {
		fmt.Fprint(env.Stdout, b.PlainText())
	}
	fmt.Fprintf(env.Stderr, "wrote %s: %s, %d年第%d期 (%d bytes)\n", path, b.Period, b.Period.Year(), b.Number, len(data))
	return nil
}
