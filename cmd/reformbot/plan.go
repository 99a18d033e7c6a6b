package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/luohu/reformbot/plan"
	"github.com/luohu/reformbot/store"
)

func init() {
	commands["plan"] = command{
		summary: "import a published plan, check and activate a plan file, list and show plans",
		run:     runPlan,
	}
}

const planUsage = `usage: reformbot plan <subcommand> [flags]

subcommands:
  import DOC [-o FILE] [--json]   read a plan document: text, Word (.docx) or Excel
                                  (.xlsx), told by content (DOC "-" is stdin); write
                                  the plan file (YAML) to stdout or FILE, or JSON;
                                  FILE ending in .xlsx gets the plan as a workbook;
                                  a plan file (YAML or workbook) reads as itself,
                                  so this converts one into the other
  check FILE                      report the plan file's (YAML or workbook) problems
                                  with their lines
  activate FILE                   check the plan file, show what changes against the plan in
                                  force for its year (or that it starts a new year), and put it
                                  in force; a running serve picks it up within 10 s
  list                            the plans in the database: year, version, measures, activated
  members [--plan FILE] GROUP MEMBER...
                                  list members under a group (各街道办 → 东门街道办 …), each of
                                  which then reports on its own: a new version of the plan in
                                  force, or an edit of FILE
  show [--plan FILE] [--unit NAME]
                                  list the plan (--plan, else the one in force, else the sample),
                                  or one unit's measures, lead ones first
`

func runPlan(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, planUsage)
		return usagef("plan: missing subcommand")
	}
	switch args[0] {
	case "import":
		return runPlanImport(env, args[1:])
	case "check":
		return runPlanCheck(env, args[1:])
	case "show":
		return runPlanShow(ctx, env, args[1:])
	case "activate":
		return runPlanActivate(ctx, env, args[1:])
	case "list":
		return runPlanList(ctx, env, args[1:])
	case "members":
		return runPlanMembers(ctx, env, args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, planUsage)
		return nil
	}
	fmt.Fprint(env.Stderr, planUsage)
	return usagef("plan: unknown subcommand %q", args[0])
}

func runPlanImport(env *Env, args []string) error {
	fs := newFlagSet(env, "plan import", "DOC [-o FILE] [--json]")
	out := fs.String("o", "", "write the plan file to `FILE` (atomically: all or nothing) instead of stdout")
	asJSON := fs.Bool("json", false, "print the plan and its warnings as JSON on stdout")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return usagef("plan import: want one document, got %d", len(rest))
	}
	doc := rest[0]
	p, warnings, err := importDocument(env, doc)
	if err != nil {
		return err
	}
	if !*asJSON {
		for _, w := range warnings {
			if w.Where != "" {
				fmt.Fprintf(env.Stderr, "%s: %s: warning: %s\n", displayName(doc), w.Where, w.Message)
				continue
			}
			fmt.Fprintf(env.Stderr, "%s:%d: warning: %s\n", displayName(doc), w.Line, w.Message)
		}
	}
	if *out != "" {
		if err := p.WriteFile(*out); err != nil {
			return fmt.Errorf("plan import: %w", err)
		}
		fmt.Fprintf(env.Stderr, "wrote %s: %s, %d warnings\n", *out, summary(p), len(warnings))
	}
	switch {
	case *asJSON:
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(plan.NewExport(p, warnings)); err != nil {
			return fmt.Errorf("plan import: %w", err)
		}
	case *out == "":
		if err := p.WriteYAML(env.Stdout); err != nil {
			return fmt.Errorf("plan import: %w", err)
		}
	}
	return nil
}

// importDocument reads DOC, or stdin for "-".
func importDocument(env *Env, doc string) (*plan.Plan, []plan.Warning, error) {
	var r io.Reader = env.Stdin
	if doc != "-" {
		f, err := os.Open(doc)
		if err != nil {
			return nil, nil, fmt.Errorf("plan import: %w", err)
		}
		defer f.Close()
		r = f
	}
	p, warnings, err := plan.Import(r)
	var fe *plan.FileError
	if errors.As(err, &fe) {
		// A plan file (YAML or workbook) with problems: name it at the line.
		fe.Path = displayName(doc)
		return nil, nil, fmt.Errorf("plan import: %w", err)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("plan import %s: %w", displayName(doc), err)
	}
	return p, warnings, nil
}

func displayName(path string) string {
	if path == "-" {
		return "stdin"
	}
	return path
}

// summary counts a plan's parts: "3 categories, 13 projects, 67 measures, 38 units".
func summary(p *plan.Plan) string {
	projects := 0
	for _, c := range p.Categories {
		projects += len(c.Projects)
	}
	return fmt.Sprintf("%d categories, %d projects, %d measures, %d units",
		len(p.Categories), projects, len(p.Measures()), len(p.Units))
}

func runPlanCheck(env *Env, args []string) error {
	fs := newFlagSet(env, "plan check", "FILE")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return usagef("plan check: want one plan file, got %d", len(rest))
	}
	path := rest[0]
	var p *plan.Plan
	if path == "-" {
		var data []byte
		if data, err = io.ReadAll(io.LimitReader(env.Stdin, plan.MaxDocumentSize+1)); err != nil {
			return fmt.Errorf("plan check: %w", err)
		}
		p, err = plan.Parse(data)
	} else {
		p, err = plan.Load(path)
	}
	var problems []plan.Problem
	var fe *plan.FileError
	switch {
	case errors.As(err, &fe):
		problems = fe.Problems
	case err != nil:
		return fmt.Errorf("plan check: %w", err)
	default:
		problems = p.Validate()
	}
	for _, pr := range problems {
		fmt.Fprintf(env.Stdout, "%s:%d: %s\n", displayName(path), pr.Line, pr.Message)
	}
	if len(problems) > 0 {
		return fmt.Errorf("plan check: %s has %d problem(s)", displayName(path), len(problems))
	}
	fmt.Fprintf(env.Stdout, "ok: %s: %s\n", displayName(path), summary(p))
	return nil
}

func runPlanShow(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "plan show", "[--plan FILE | --db FILE] [--unit NAME]")
	c := addCommon(fs, env)
	unit := fs.String("unit", "", "show only the measures of the unit `NAME`, lead ones first")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		fs.Usage()
		return usagef("plan show: unexpected argument %q", rest[0])
	}
	// The --plan file, else the plan in force in the database (when there
	// is one: showing a plan must not create a database), else the sample.
	var db *store.DB
	if _, err := os.Stat(c.db); err == nil && c.planFile == "" {
		if db, err = c.open(ctx); err != nil {
			return err
		}
		defer db.Close()
	}
	p, err := c.loadPlan(ctx, db)
	if err != nil {
		return fmt.Errorf("plan show: %w", err)
	}
	if *unit == "" {
		writeListing(env.Stdout, p)
		return nil
	}
	u, ok := p.Unit(*unit)
	if !ok {
		msg := fmt.Sprintf("plan show: unknown unit %q", *unit)
		if s := p.SuggestUnits(*unit, 5); len(s) > 0 {
			msg += "; did you mean " + strings.Join(s, ", ") + "?"
		}
		return errors.New(msg)
	}
	writeUnit(env.Stdout, p, u)
	return nil
}

// writeListing prints the whole plan, category by category.
func writeListing(w io.Writer, p *plan.Plan) {
	fmt.Fprintln(w, p.Title)
	var about []string
	if p.DocNumber != "" {
		about = append(about, p.DocNumber)
	}
	if p.Published != "" {
		about = append(about, p.Published)
	}
	if len(about) > 0 {
		fmt.Fprintf(w, "（%s）\n", strings.Join(about, "，"))
	}
	fmt.Fprintf(w, "%s\n", reportingLine(p.Reporting))
	fmt.Fprintf(w, "%s\n", summary(p))
	for _, c := range p.Categories {
		fmt.Fprintln(w)
		if c.Number > 0 {
			fmt.Fprintf(w, "%s、%s\n", plan.ChineseNumeral(c.Number), c.Title)
		} else if c.Title != "" {
			fmt.Fprintln(w, c.Title)
		}
		for _, pr := range c.Projects {
			indent := "  "
			if pr.Number > 0 {
				fmt.Fprintf(w, "  （%s）%s\n", plan.ChineseNumeral(pr.Number), pr.Title)
				indent = "    "
			}
			for _, m := range pr.Measures {
				fmt.Fprintf(w, "%s%s %s\n", indent, m.ID, m.Title)
				fmt.Fprintf(w, "%s%s 牵头：%s", indent, strings.Repeat(" ", len(m.ID)), strings.Join(m.LeadUnits, "、"))
				if len(m.CoUnits) > 0 {
					fmt.Fprintf(w, "；协办：%s", strings.Join(m.CoUnits, "、"))
				}
				fmt.Fprintln(w)
			}
		}
	}
}

// writeUnit prints one unit's measures, lead ones first.
func writeUnit(w io.Writer, p *plan.Plan, u plan.Unit) {
	fmt.Fprintln(w, u.Name)
	if len(u.Aliases) > 0 {
		fmt.Fprintf(w, "又称：%s\n", strings.Join(u.Aliases, "、"))
	}
	if u.Group {
		if len(u.Members) > 0 {
			fmt.Fprintf(w, "单位组，成员：%s\n", strings.Join(u.Members, "、"))
		} else {
			fmt.Fprintln(w, "单位组（未列成员）")
		}
	}
	tasks := p.Tasks(u.Name)
	lead := 0
	for _, t := range tasks {
		if t.Role == plan.Lead {
			lead++
		}
	}
	fmt.Fprintf(w, "牵头 %d 项，协办 %d 项\n", lead, len(tasks)-lead)
	var role plan.Role
	for _, t := range tasks {
		if t.Role != role {
			role = t.Role
			fmt.Fprintf(w, "\n%s\n", role.Label())
		}
		fmt.Fprintf(w, "  %s %s（%s）\n", t.Measure.ID, t.Measure.Title, t.Project.Title)
	}
}

func reportingLine(r plan.Reporting) string {
	s := "进度报送：每月"
	if r.Cadence == plan.Quarterly {
		s = "进度报送：每季度"
	}
	if r.Acceptance {
		s += "；年底成果验收"
	}
	return s
}
