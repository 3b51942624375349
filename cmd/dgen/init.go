package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dgen-dev/dgen/detectors/shellwords"
	"github.com/dgen-dev/dgen/generator"
)

type initFlags struct {
	common
	yes, force, replace, dryRun, diff, saveConfig bool
	verify                                        bool
}

func newInitCmd(e *env) *cobra.Command {
	var f initFlags
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a Dockerfile and .dockerignore for this repository",
		Long: `init detects the stack, settles open choices and writes Dockerfile and
.dockerignore into the repository folder.

On a terminal it shows what it detected and asks only where detection left a
gap or a real choice (Enter accepts the detected default). With --yes, with
CI set, or when stdin or stdout is not a terminal it never asks: defaults are
reported one per line on stderr, and a choice with no safe default stops with
exit code 2 naming the flag to pass.

An existing file is never overwritten silently: on a terminal dgen shows the
diff and asks (for .dockerignore it offers to merge); otherwise it refuses
with exit code 3 unless --force is given. --force merges dgen's lines into a
hand-written .dockerignore (--replace replaces it). Writes are atomic and
all-or-nothing. --diff exits 4 when the files on disk differ from what dgen
would write, so CI can use it as a drift check.

` + exitCodesHelp,
		Example: `  dgen init
  dgen init --yes --dir ./service
  dgen init --dry-run | less
  dgen init --diff                       # what would change; exit 4 on drift
  dgen init --yes --port 9090 --main ./cmd/api --save-config
  dgen init --templates ./my-templates --dry-run   # your own templates, by file name
  dgen init --pin --ci github            # FROM tags pinned to digests, and the CI workflow`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runInit(cmd, e, &f) },
	}
	f.register(cmd.Flags())
	f.registerCompose(cmd.Flags())
	f.registerPipeline(cmd.Flags())
	registerPipelineCompletions(cmd)
	f.registerCompletions(cmd)
	fl := cmd.Flags()
	fl.BoolVarP(&f.yes, "yes", "y", false, "never prompt; take detected values and documented defaults")
	fl.BoolVar(&f.force, "force", false, "overwrite existing files that differ (a hand-written .dockerignore is merged: see --replace)")
	fl.BoolVar(&f.replace, "replace", false, "with --force, replace a hand-written .dockerignore instead of merging dgen's lines into it")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the files to stdout and write nothing")
	fl.BoolVar(&f.diff, "diff", false, "print a unified diff against the existing files and write nothing")
	fl.BoolVar(&f.saveConfig, "save-config", false, "also write dgen.yaml with every answer, so a re-run reproduces the files")
	fl.BoolVar(&f.verify, "verify", false, "then build, run and check the image as dgen verify does")
	cmd.MarkFlagsMutuallyExclusive("dry-run", "diff")
	cmd.MarkFlagsMutuallyExclusive("dry-run", "verify")
	cmd.MarkFlagsMutuallyExclusive("diff", "verify")
	cmd.MarkFlagsMutuallyExclusive("replace", "dry-run")
	cmd.MarkFlagsMutuallyExclusive("replace", "diff")
	return cmd
}

func runInit(cmd *cobra.Command, e *env, f *initFlags) error {
	ctx := cmd.Context()
	interactive := e.terminal && !f.yes && e.getenv("CI") == ""
	var pr generator.Prompter
	if interactive {
		pr = e.prompter(e)
	}
	p, cfg, dir, err := resolvePlan(ctx, e, &f.common, pr)
	if err != nil {
		return err
	}
	if interactive {
		var changed bool
		if p, changed, err = review(cmd, e, f, pr, p); err != nil {
			return err
		}
		if changed {
			if err := offerSave(f, pr); err != nil {
				return err
			}
		}
	}
	files, err := generator.Render(p, f.templatesDir(cfg, dir))
	if err != nil {
		return err
	}
	if files, err = pipelineFiles(ctx, e, p, files, f.templatesDir(cfg, dir)); err != nil {
		return err
	}
	if p.Compose != nil {
		// .env holds compose.yaml's secrets: git must never see it.
		gi, err := generator.GitignoreEnv(dir)
		if err != nil {
			return err
		}
		if gi != nil {
			files = append(files, *gi)
		}
	}
	if f.saveConfig {
		tdir := f.templates
		if tdir == "" && cfg != nil {
			tdir = cfg.Templates
		}
		data, err := generator.ConfigFromPlan(p, tdir).Marshal()
		if err != nil {
			return err
		}
		files = append(files, generator.File{Name: generator.ConfigFile, Data: data})
	}
	if f.dryRun {
		for i, file := range files {
			if i > 0 {
				fmt.Fprintln(e.stdout)
			}
			fmt.Fprintf(e.stdout, "# ===== %s =====\n%s", file.Name, file.Data)
		}
		return nil
	}
	changes, err := generator.Changes(dir, files)
	if err != nil {
		return err
	}
	if f.diff {
		return printDiff(e, changes)
	}
	if f.replace && !f.force {
		return usagef("--replace only applies with --force")
	}
	settled, kept, err := settleConflicts(e, f, pr, changes)
	if err != nil {
		return err
	}
	written, err := generator.Commit(dir, settled)
	if err != nil {
		return err
	}
	report(e, p, dir, changes, written, kept)
	if f.verify {
		// The folder written is verified against the plan just written.
		_, err = verifyPlan(ctx, e, &verifyFlags{common: f.common}, p, dir)
		return err
	}
	return nil
}

// printDiff prints the diff of every change (--diff) and returns errDrift
// when there is one.
func printDiff(e *env, changes []generator.Change) error {
	same := true
	for _, c := range changes {
		if d := c.Diff(); d != "" {
			same = false
			fmt.Fprint(e.stdout, d)
		}
	}
	if same {
		fmt.Fprintln(e.stderr, "dgen: no changes: the files already hold what dgen would write")
		return nil
	}
	return errDrift
}

// review shows the detected plan on a terminal and lets the user accept it
// with Enter or change the values most often corrected. After a change the
// summary is shown again, until the user accepts it; changed is true when
// the accepted plan is not the detected one.
func review(cmd *cobra.Command, e *env, f *initFlags, pr generator.Prompter, p *generator.Plan) (_ *generator.Plan, changed bool, _ error) {
	title := "dgen detected:"
	for {
		fmt.Fprintln(e.stderr, bold(e.colour, title))
		printSummary(e.stderr, p, e.colour, e.errWidth)
		ok, err := pr.Confirm(generator.Question{Key: "accept", Message: "Write " + writtenNames(p) + " with these settings?",
			Help: "Enter accepts; answer n to change the port, version or start command."}, true)
		if err != nil || ok {
			return p, changed, err
		}
		np, err := change(cmd, e, f, pr, p)
		if err != nil {
			return nil, false, err
		}
		p, changed, title = np, true, "dgen will write, with your answers:"
	}
}

// change asks for the port, version and start command, with the plan's
// values as defaults, and resolves the plan again with the answers. The
// answers become the flags of this run, so a later round starts from them.
func change(cmd *cobra.Command, e *env, f *initFlags, pr generator.Prompter, p *generator.Plan) (*generator.Plan, error) {
	port := "none"
	if p.Port != nil {
		port = strconv.Itoa(*p.Port)
	}
	port, err := pr.Input(generator.Question{Key: "port", Message: `Port ("none" for a worker)`, Help: evidenceHelp(p, "port"),
		Validate: generator.ValidPortAnswer}, port)
	if err != nil {
		return nil, err
	}
	ver, err := pr.Input(generator.Question{Key: "languageVersion", Message: p.Language + " version", Help: evidenceHelp(p, "languageVersion"),
		Validate: p.CheckLanguageVersion}, p.LanguageVersion)
	if err != nil {
		return nil, err
	}
	start, err := pr.Input(generator.Question{Key: "start", Message: "Start command", Help: evidenceHelp(p, "start"),
		Validate: func(s string) error { _, err := shellwords.Split(s); return err }}, shellJoin(p.Start))
	if err != nil {
		return nil, err
	}
	compose, err := pr.Confirm(generator.Question{Key: "compose", Message: "Also write compose.yaml (the app with its database, cache and workers)?",
		Help: "Written by default when backing services or workers are found; the same as --compose / --no-compose."}, p.Compose != nil)
	if err != nil {
		return nil, err
	}
	c := &f.common
	c.port, c.languageVersion = port, ver
	if compose != (p.Compose != nil) {
		c.compose, c.noCompose = compose, !compose
	}
	if start != shellJoin(p.Start) {
		c.start = start
	}
	for k, v := range p.Answers {
		switch k {
		case "main":
			c.main = v
		case "packageManager":
			c.packageManager = v
		case "app":
			c.app = v
		case "language":
			c.language = v
		}
	}
	np, _, _, err := resolvePlan(cmd.Context(), e, c, pr)
	return np, err
}

// offerSave asks, after the user changed answers, whether to keep them in
// dgen.yaml: without it a later `dgen init --yes` (or CI) would write the
// detected values, not the ones chosen here.
func offerSave(f *initFlags, pr generator.Prompter) error {
	if f.saveConfig {
		return nil
	}
	ok, err := pr.Confirm(generator.Question{Key: "saveConfig", Message: "Save these answers to " + generator.ConfigFile + "?",
		Help: "A re-run (dgen init --yes, or CI) then writes these same files instead of the detected values; the same as --save-config."}, true)
	f.saveConfig = ok
	return err
}

func evidenceHelp(p *generator.Plan, field string) string {
	if ev, ok := p.Evidence[field]; ok {
		return "Detected from " + ev.String()
	}
	return ""
}

// settleConflicts decides, for each existing file that differs, whether to
// overwrite, keep or merge it: --force overwrites (and merges into a
// hand-written .dockerignore unless --replace); a terminal asks after
// showing the diff; otherwise dgen refuses and writes nothing. kept are the
// files left as they were, by the user's choice.
func settleConflicts(e *env, f *initFlags, pr generator.Prompter, changes []generator.Change) (out []generator.Change, kept []string, _ error) {
	var refused []string
	for _, c := range changes {
		switch {
		case !c.Conflict():
			out = append(out, c)
			continue
		case c.Name == generator.GitignoreFile && c.AppendOnly():
			// Only .env is added; every line of the user's stays.
			out = append(out, c)
			continue
		case f.force:
			if c.Name == ".dockerignore" && !f.replace && !generator.WrittenByDgen(c.Old) {
				c.New = generator.MergeIgnore(c.Old, c.New)
				fmt.Fprintf(e.stderr, "dgen: .dockerignore is your own: merged dgen's missing lines into it (pass --replace with --force to replace it)\n")
			} else if c.Name == ".dockerignore" && !generator.WrittenByDgen(c.Old) {
				fmt.Fprintf(e.stderr, "dgen: .dockerignore replaced (--replace)\n")
			}
			out = append(out, c)
			continue
		case pr == nil:
			refused = append(refused, c.Name)
			continue
		}
		fmt.Fprintf(e.stderr, "\n%s exists and differs from what dgen would write:\n%s\n", c.Name, c.Diff())
		opts := []string{"keep mine", "overwrite"}
		def := "keep mine"
		if c.Name == ".dockerignore" {
			opts = []string{"merge: keep my lines, add the missing ones", "keep mine", "overwrite"}
			def = opts[0]
		}
		ans, err := pr.Select(generator.Question{Key: "overwrite:" + c.Name, Message: c.Name + " exists. What should dgen do?"}, opts, def)
		if err != nil {
			return nil, nil, err
		}
		switch {
		case ans == "overwrite":
			out = append(out, c)
		case strings.HasPrefix(ans, "merge"):
			c.New = generator.MergeIgnore(c.Old, c.New)
			out = append(out, c)
		default:
			kept = append(kept, c.Name)
		}
	}
	if len(refused) > 0 {
		verb := "exists and differs"
		if len(refused) > 1 {
			verb = "exist and differ"
		}
		return nil, nil, fmt.Errorf("%w: %s already %s from what dgen would write; nothing was written. Pass --force to overwrite, or --diff to see the changes", generator.ErrExists, strings.Join(refused, " and "), verb)
	}
	return out, kept, nil
}

var nameRe = regexp.MustCompile(`[^a-z0-9._-]+`)

// report tells the user what was written, what was kept and how to use
// it. The docker run line publishes the port of the Dockerfile on disk,
// which is the user's own when they kept it.
func report(e *env, p *generator.Plan, dir string, changes []generator.Change, written, kept []string) {
	w := e.stderr
	reportWritten(e, dir, changes, written, kept)
	name := strings.Trim(nameRe.ReplaceAllString(strings.ToLower(filepath.Base(dir)), "-"), "-._")
	if name == "" {
		name = "app"
	}
	port := p.PortNumber()
	if slices.Contains(kept, "Dockerfile") {
		port = exposedPort(changes)
	}
	fmt.Fprintf(w, "\n%s\n  docker build -t %s %s\n", bold(e.colour, "Next steps:"), name, shellJoin([]string{dir}))
	if port != 0 {
		fmt.Fprintf(w, "  docker run --rm -p %d:%d%s %s\n", port, port, runEnvFlags(p), name)
	} else {
		fmt.Fprintf(w, "  docker run --rm%s %s\n", runEnvFlags(p), name)
	}
	printRequiredEnv(w, p)
	for _, s := range p.Secrets {
		fmt.Fprintf(w, "  the build needs a secret: docker build --secret id=%s,src=%s …  (%s)\n", s.ID, s.Source, s.Why)
	}
	if p.Compose != nil && !slices.Contains(kept, generator.ComposeFile) {
		fmt.Fprintf(w, "\n%s\n", bold(e.colour, "With compose.yaml:"))
		if len(p.Compose.EnvFile) > 0 {
			fmt.Fprintf(w, "  cp %s %s  # then set the passwords in .env (never committed)\n",
				shellJoin([]string{filepath.Join(dir, generator.EnvExampleFile)}), shellJoin([]string{filepath.Join(dir, ".env")}))
		}
		fmt.Fprintf(w, "  docker compose --project-directory %s up --build\n", shellJoin([]string{dir}))
	}
	if p.CI != nil && !slices.Contains(kept, generator.WorkflowFile) {
		reportCI(w, e.colour, p.CI, dir)
	}
}

// reportWritten lists the files written, kept and unchanged.
func reportWritten(e *env, dir string, changes []generator.Change, written, kept []string) {
	w := e.stderr
	if len(written) == 0 && len(kept) == 0 {
		fmt.Fprintln(w, "dgen: nothing to write: the files already hold what dgen would write")
	}
	for _, name := range written {
		fmt.Fprintf(w, "%s %s\n", bold(e.colour, "wrote"), filepath.Join(dir, name))
	}
	for _, name := range kept {
		fmt.Fprintf(w, "kept your %s (it differs from what dgen would write; dgen init --diff shows how)\n", filepath.Join(dir, name))
	}
	for _, c := range changes {
		if c.Unchanged() {
			fmt.Fprintf(w, "unchanged %s\n", filepath.Join(dir, c.Name))
		}
	}
}

// writtenNames names the files init writes, for the accept question.
func writtenNames(p *generator.Plan) string {
	names := []string{"Dockerfile", ".dockerignore"}
	if p.Compose != nil {
		names = append(names, "compose.yaml")
	}
	if p.CI != nil {
		names = append(names, p.CI.Files...)
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// exposedPort is the first TCP port the Dockerfile on disk EXPOSEs, or 0.
func exposedPort(changes []generator.Change) int {
	for _, c := range changes {
		if c.Name != "Dockerfile" {
			continue
		}
		for _, line := range strings.Split(string(c.Old), "\n") {
			fields := strings.Fields(line)
			if len(fields) < 2 || !strings.EqualFold(fields[0], "EXPOSE") {
				continue
			}
			port, proto, _ := strings.Cut(fields[1], "/")
			if n, err := strconv.Atoi(port); err == nil && n > 0 && n < 65536 && (proto == "" || strings.EqualFold(proto, "tcp")) {
				return n
			}
		}
	}
	return 0
}

// shellJoin quotes argv for display as one shell command line.
func shellJoin(argv []string) string {
	var parts []string
	for _, a := range argv {
		q, err := generator.ShellQuote(a)
		if err != nil {
			q = strconv.Quote(a)
		}
		parts = append(parts, q)
	}
	return strings.Join(parts, " ")
}
