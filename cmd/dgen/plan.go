package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dgen-dev/dgen/generator"
)

func newPlanCmd(e *env) *cobra.Command {
	var c common
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show what dgen detects and decides, with evidence; writes nothing",
		Long: `plan reads the repository and prints every decision dgen would make —
language and version, package manager, framework, port, build and start
commands, base images, user, health check — each with the file and line it
came from. It never prompts and never writes; choices it cannot make alone
are taken by their documented default (one line each on stderr) or, with no
safe default, stop with exit code 2 and the flag to pass; with --json the
plan found so far is still printed, with a "questions" array.

` + exitCodesHelp,
		Example: `  dgen plan
  dgen plan --json --dir ./service | jq .port
  dgen plan --main ./cmd/worker --port none`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, _, _, err := resolvePlan(cmd.Context(), e, &c, nil)
			var open *generator.NeedAnswerError
			if asJSON && errors.As(err, &open) {
				// What was found is printed even though a decision is
				// open: callers keep the language, manager and version
				// and see the questions with the flags that answer them.
				if data, jerr := open.Plan.JSON(); jerr == nil {
					_, _ = e.stdout.Write(data)
				}
				return err
			}
			if err != nil {
				return err
			}
			if asJSON {
				data, err := p.JSON()
				if err != nil {
					return err
				}
				_, err = e.stdout.Write(data)
				return err
			}
			printSummary(e.stdout, p, false, e.outWidth)
			return nil
		},
	}
	c.register(cmd.Flags())
	c.registerCompose(cmd.Flags())
	c.registerPipeline(cmd.Flags())
	registerPipelineCompletions(cmd)
	c.registerCompletions(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the plan as one JSON object")
	return cmd
}

// resolvePlan opens the repository, merges dgen.yaml under the flags and
// resolves the Plan. prompter may be nil (never ask).
func resolvePlan(ctx context.Context, e *env, c *common, pr generator.Prompter) (*generator.Plan, *generator.Config, string, error) {
	c.stderr = e.stderr
	root, dir, err := c.repo()
	if err != nil {
		return nil, nil, "", err
	}
	defer root.Close()
	cfg, err := generator.LoadConfig(root.FS())
	if err != nil {
		return nil, nil, "", fmt.Errorf("%s: %w", dir, err)
	}
	opts, err := c.options(cfg)
	if err != nil {
		return nil, nil, "", err
	}
	opts.Prompter = pr
	opts.Log = sanitizingWriter{e.stderr}
	p, err := generator.Resolve(ctx, root.FS(), opts)
	if err != nil {
		return nil, nil, "", err
	}
	for _, pr := range p.Problems {
		fmt.Fprintf(e.stderr, "dgen: warning: %s\n", clip(sanitize(pr.String()), 300))
	}
	return p, cfg, dir, nil
}

// printSummary writes the plan as a table: name, value and, dimmed, the
// evidence for the value. A value too long to share its line with the
// evidence (a Go build command) gets the evidence on the next line. On a
// terminal (width > 0) evidence is cut to fit the line; --json has it whole.
func printSummary(w io.Writer, p *generator.Plan, colour bool, width int) {
	type row struct{ name, value, evidence string }
	var rows []row
	add := func(name, value, field string) {
		ev := ""
		if e, ok := p.Evidence[field]; ok && field != "" {
			ev = e.String()
		}
		rows = append(rows, row{name, sanitize(value), sanitize(ev)})
	}
	add("language", p.Language+" "+p.LanguageVersion, "languageVersion")
	if f := p.FrameworkName(); f != "" {
		add("framework", f, "framework")
	}
	pm := p.PackageManager
	if p.PackageManagerVersion != "" {
		pm += " " + p.PackageManagerVersion
	}
	add("package manager", pm, "packageManager")
	if p.Port != nil {
		add("port", strconv.Itoa(*p.Port), "port")
	} else {
		add("port", "none (worker)", "port")
	}
	if p.Build != "" {
		add("build", p.Build, "build")
	}
	add("start", shellJoin(p.Start), "start")
	if p.Language == "go" {
		add("cgo", strconv.FormatBool(p.CGO), "cgo")
	}
	add("build image", p.Images.Build, "")
	add("runtime image", p.Images.Runtime, "")
	add("user", fmt.Sprintf("%d:%d", p.User.UID, p.User.GID), "")
	if p.Healthcheck != nil {
		add("health check", shellJoin(p.Healthcheck.Cmd), "")
	} else {
		add("health check", "none (no port)", "")
	}
	for _, f := range p.RuntimeFiles {
		rows = append(rows, row{"runtime file", sanitize(f.Dest), sanitize(f.Evidence.String())})
	}
	for _, d := range p.Writable {
		rows = append(rows, row{"writable", sanitize(d.Path), sanitize(d.Evidence.String())})
	}
	for _, e := range p.RequiredEnv {
		v := e.Name + ", given at run time"
		switch {
		case e.Value != "":
			v = "ENV " + e.Name + "=" + e.Value
		case e.Secret:
			v = e.Name + " (secret), given at run time"
		}
		rows = append(rows, row{"required env", sanitize(v), sanitize(e.Evidence.String())})
	}
	for _, r := range composeRows(p) {
		rows = append(rows, row(r))
	}
	for _, r := range pipelineRows(p) {
		rows = append(rows, row{r[0], r[1], r[2]})
	}
	const long = 48
	col := 0
	for _, r := range rows {
		if n := len(r.value); n <= long && n > col {
			col = n
		}
	}
	// fit cuts evidence that starts at column at to the terminal's width.
	fit := func(s string, at int) string {
		if width <= 0 || width-at < 12 {
			return s
		}
		return clip(s, width-at)
	}
	for _, r := range rows {
		switch {
		case r.evidence == "":
			fmt.Fprintf(w, "  %-16s %s\n", r.name, r.value)
		case len(r.value) > long:
			fmt.Fprintf(w, "  %-16s %s\n  %-16s %s\n", r.name, r.value, "", dim(colour, fit("← "+r.evidence, 19)))
		default:
			fmt.Fprintf(w, "  %-16s %-*s  %s\n", r.name, col, r.value, dim(colour, fit(r.evidence, 21+col)))
		}
	}
	for _, n := range p.Notes {
		fmt.Fprintf(w, "  note: %s\n", sanitize(n))
	}
}

// composeRows are the summary lines of compose.yaml: each backing
// service with its first evidence, the workers and the migration.
func composeRows(p *generator.Plan) []struct{ name, value, evidence string } {
	type row = struct{ name, value, evidence string }
	c := p.Compose
	if c == nil {
		return []row{{"compose.yaml", "not written (no backing service or worker found; --compose writes it)", ""}}
	}
	rows := []row{{"compose.yaml", "written", ""}}
	for _, s := range c.Services {
		rows = append(rows, row{"  service", s.Name + " (" + s.Image + ")", sanitize(s.Why)})
	}
	for _, w := range c.Workers {
		rows = append(rows, row{"  worker", sanitize(w.Name + ": " + shellJoin(w.Command)), sanitize(w.Why)})
	}
	if m := c.Migrate; m != nil {
		rows = append(rows, row{"  migrate", sanitize(shellJoin(m.Command)), sanitize(m.Why)})
	}
	var names []string
	for _, e := range c.Env {
		names = append(names, e.Name)
	}
	if len(names) > 0 {
		rows = append(rows, row{"  app reads", strings.Join(names, ", "), ""})
	}
	return rows
}

func dim(colour bool, s string) string {
	if !colour || s == "" {
		return s
	}
	return "\x1b[2m" + s + "\x1b[0m"
}

func bold(colour bool, s string) string {
	if !colour {
		return s
	}
	return "\x1b[1m" + s + "\x1b[0m"
}
