package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dgen-dev/dgen/generator"
	"github.com/dgen-dev/dgen/generator/dockerfilecheck/rules"
)

// checkFlags are dgen check's flags; the plan overrides (--port …) are
// shared with plan, so the lines a fix suggests follow them.
type checkFlags struct {
	common
	file     string
	severity string
	strict   bool
	asJSON   bool
	sarif    bool
}

// errFindings marks a check with findings at or above the chosen
// severity (exit 1).
var errFindings = errors.New("findings")

// docsURL is where each rule's anchor is; findings and SARIF link to it.
const docsURL = "https://github.com/dgen-dev/dgen/blob/main/docs/check.md"

const checkExitCodes = `Exit codes:
  0    no finding at or above --severity
  1    a finding at or above --severity (all findings with --strict)
  2    bad input: flag, no Dockerfile, a Dockerfile that does not parse`

func newCheckCmd(e *env) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Audit an existing Dockerfile against the guide, with the fix for each finding",
		Long: `check reads a Dockerfile with BuildKit's parser, runs BuildKit's
instruction checks and the guide's rules, and prints each finding with its
line, why it matters and the fix. Where dgen can plan the repository, the
fix quotes the lines dgen would write: the HEALTHCHECK that works in that
final image, the numeric USER, the cache mount for that package manager.

Rules (docs/check.md has one section each): RootUser, NumericUser,
MissingHealthcheck, HealthcheckProgram, BuildToolsInImage, PackageCache,
ManifestsBeforeSource, CacheMount, ImageTag, SecretInArgEnv, SecretFile,
ContextSecrets, ContextVCS, ExecForm, AddURL, AddLocal, AptNoRecommends,
AptLists, AptYes, AptCommand, ExposePort, CopyIgnoredFile and BuildKit's
FromAsCasing, StageNameCasing, MaintainerDeprecated, LegacyKeyValueFormat,
NoEmptyContinuation.

Findings below --severity (default warning) are printed but do not fail the
run; --strict counts every finding. --json prints one object, --sarif a
SARIF 2.1.0 log for GitHub code scanning. To see the Dockerfile dgen would
write instead, run dgen init --diff.

` + checkExitCodes,
		Example: `  dgen check
  dgen check --dir ./service -f ./service/docker/Dockerfile
  dgen check --strict --sarif > dgen.sarif`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCheck(cmd.Context(), e, &f)
		},
	}
	f.register(cmd.Flags())
	fl := cmd.Flags()
	fl.StringVarP(&f.file, "file", "f", "", "Dockerfile to check (default: Dockerfile in --dir)")
	fl.StringVar(&f.severity, "severity", "warning", "lowest severity that fails the run: info, warning or error")
	fl.BoolVar(&f.strict, "strict", false, "fail on every finding (same as --severity info)")
	fl.BoolVar(&f.asJSON, "json", false, "print the findings as one JSON object")
	fl.BoolVar(&f.sarif, "sarif", false, "print a SARIF 2.1.0 log (GitHub code scanning)")
	cmd.MarkFlagsMutuallyExclusive("json", "sarif")
	f.registerCompletions(cmd)
	_ = cmd.RegisterFlagCompletionFunc("severity", cobra.FixedCompletions([]string{"info", "warning", "error"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// checkReport is what dgen check --json prints.
type checkReport struct {
	// File is the Dockerfile, relative to --dir where it is inside it.
	File     string         `json:"file"`
	Findings []checkFinding `json:"findings"`
	// Counts are the findings per severity.
	Counts map[string]int `json:"counts"`
	// FailAt is the lowest severity that fails the run.
	FailAt string `json:"failAt"`
	// Planned says whether dgen could plan the repository (and so suggest
	// its own lines).
	Planned bool `json:"planned"`
}

// checkFinding is one finding as printed.
type checkFinding struct {
	rules.Finding
	SeverityName string `json:"severity"`
	Why          string `json:"why"`
	Docs         string `json:"docs"`
}

// runCheck audits the Dockerfile and prints the report; findings at or
// above the severity turn into errFindings after printing.
func runCheck(ctx context.Context, e *env, f *checkFlags) error {
	failAt, err := rules.ParseSeverity(f.severity)
	if err != nil {
		return usagef("--severity: %v", err)
	}
	if f.strict {
		failAt = rules.Info
	}
	in, err := readCheckInput(f)
	if err != nil {
		return err
	}
	defer in.root.Close()
	actx := rules.Context{Dockerignore: in.ignore, HasDockerignore: in.hasIgnore, FS: in.root.FS()}
	planned := planContext(ctx, e, f, &actx)
	findings, err := rules.Audit(in.dockerfile, actx)
	if err != nil {
		return usagef("%s: %v", in.display, err)
	}
	rep := checkReport{File: in.display, Counts: map[string]int{"error": 0, "warning": 0, "info": 0}, FailAt: failAt.String(), Planned: planned}
	failed := 0
	for _, fd := range findings {
		r, _ := rules.RuleByID(fd.Rule)
		rep.Findings = append(rep.Findings, checkFinding{Finding: fd, SeverityName: fd.Severity.String(), Why: r.Why, Docs: ruleDocs(fd.Rule)})
		rep.Counts[fd.Severity.String()]++
		if fd.Severity >= failAt {
			failed++
		}
	}
	switch {
	case f.sarif:
		err = writeSARIF(e.stdout, rep)
	case f.asJSON:
		var data []byte
		if data, err = generator.IndentedJSON(rep); err == nil {
			_, err = e.stdout.Write(data)
		}
	default:
		printCheck(e.stdout, rep, failed)
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%w: %d at or above %s in %s", errFindings, failed, failAt, in.display)
	}
	return nil
}

// maxDockerfileSize bounds what dgen check parses: real Dockerfiles are a
// few kilobytes, and BuildKit's parser holds the whole file.
const maxDockerfileSize = 4 << 20

// checkInput is the Dockerfile and build context dgen check reads.
type checkInput struct {
	root       *os.Root
	dockerfile []byte
	// display is the Dockerfile's path as printed (and as SARIF's
	// artifact URI): relative to --dir when inside it, with slashes.
	display   string
	ignore    []byte
	hasIgnore bool
}

// readCheckInput reads the Dockerfile and its .dockerignore: BuildKit's
// <Dockerfile>.dockerignore beside the Dockerfile first, else the one at
// the top of the build context.
func readCheckInput(f *checkFlags) (checkInput, error) {
	var in checkInput
	root, err := os.OpenRoot(f.dir)
	if err != nil {
		return in, usagef("--dir %s: %v", f.dir, err)
	}
	path := f.file
	if path == "" {
		path = filepath.Join(f.dir, "Dockerfile")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		root.Close()
		if errors.Is(err, fs.ErrNotExist) && f.file == "" {
			return in, usagef("no Dockerfile in %s (pass -f for another file name; dgen init writes one)", f.dir)
		}
		return in, usagef("%v", err)
	}
	if len(data) > maxDockerfileSize {
		root.Close()
		return in, usagef("%s: %d bytes is not a Dockerfile (dgen check reads at most %d)", path, len(data), maxDockerfileSize)
	}
	in.root, in.dockerfile, in.display = root, data, filepath.ToSlash(path)
	absDir, err1 := filepath.Abs(f.dir)
	absFile, err2 := filepath.Abs(path)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absDir, absFile); err == nil && !strings.HasPrefix(rel, "..") {
			in.display = filepath.ToSlash(rel)
		}
	}
	for _, p := range []string{path + ".dockerignore", filepath.Join(f.dir, ".dockerignore")} {
		if b, err := os.ReadFile(p); err == nil {
			in.ignore, in.hasIgnore = b, true
			break
		}
	}
	return in, nil
}

// planContext resolves dgen's plan of the repository and fills in what the
// audit takes from it: the port the code listens on and dgen's own lines.
// A repository dgen cannot plan is still checked, without them.
func planContext(ctx context.Context, e *env, f *checkFlags, actx *rules.Context) bool {
	quiet := *e
	quiet.stderr = io.Discard
	p, cfg, dir, err := resolvePlan(ctx, &quiet, &f.common, nil)
	f.common.stderr = e.stderr
	if err != nil {
		fmt.Fprintf(e.stderr, "dgen: note: no plan of %s, so the fixes quote no lines of dgen's: %s\n", sanitize(f.dir), clip(sanitize(firstLine(err.Error())), 200))
		return false
	}
	if ev, ok := p.Evidence["port"]; ok && ev.File != "" {
		actx.Port = p.PortNumber()
		// process.env.PORT || 3000, os.Getenv("PORT"): 3000 is a fallback.
		actx.PortFromEnv = strings.Contains(strings.ToUpper(ev.Detail), "ENV") || strings.Contains(ev.Detail, "PORT")
	}
	files, err := generator.Render(p, f.templatesDir(cfg, dir))
	if err != nil {
		return false
	}
	for _, file := range files {
		if file.Name == "Dockerfile" {
			if sg, err := rules.PlanLines(file.Data, p.PackageManager); err == nil {
				sg.Port = p.PortNumber()
				actx.Suggest = sg
			}
		}
	}
	return true
}

// firstLine is s up to its first newline.
func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// ruleDocs is the rule's section in docs/check.md.
func ruleDocs(rule string) string { return docsURL + "#" + strings.ToLower(rule) }

// printCheck writes each finding with its why, fix and dgen's lines, then
// one summary line.
func printCheck(w io.Writer, rep checkReport, failed int) {
	for _, fd := range rep.Findings {
		loc := rep.File
		if fd.Line > 0 {
			loc = fmt.Sprintf("%s:%d", rep.File, fd.Line)
		}
		fmt.Fprintf(w, "%s: %s %s: %s\n", sanitize(loc), fd.SeverityName, fd.Rule, sanitize(fd.Message))
		fmt.Fprintf(w, "    why: %s\n", fd.Why)
		fmt.Fprintf(w, "    fix: %s\n", sanitize(fd.Fix))
		if len(fd.Suggested) > 0 {
			fmt.Fprintln(w, "    dgen would write:")
			for _, l := range fd.Suggested {
				fmt.Fprintf(w, "      %s\n", sanitize(l))
			}
		}
		fmt.Fprintf(w, "    docs: %s\n", fd.Docs)
	}
	c := rep.Counts
	summary := fmt.Sprintf("%s: %s, %s, %d info", sanitize(rep.File), plural(c["error"], "error"), plural(c["warning"], "warning"), c["info"])
	switch {
	case len(rep.Findings) == 0:
		fmt.Fprintf(w, "%s: no findings\n", sanitize(rep.File))
	case failed > 0:
		fmt.Fprintf(w, "%s; %d at or above %s (exit 1); dgen init --diff shows the Dockerfile dgen would write\n", summary, failed, rep.FailAt)
	default:
		fmt.Fprintf(w, "%s; none at or above %s\n", summary, rep.FailAt)
	}
}

// plural is "1 warning" or "N warnings".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
