package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dgen-dev/dgen/generator"
	"github.com/dgen-dev/dgen/generator/verify"
)

// verifyFlags are dgen verify's flags; the plan overrides (--port …) are
// shared with plan and init, so a Dockerfile written with them is checked
// against the same plan.
type verifyFlags struct {
	common
	engine        string
	envFile       string
	asJSON        bool
	keep, rebuild bool
}

// errChecksFailed marks a verify whose report has failed checks (exit 1).
var errChecksFailed = errors.New("verify failed")

const verifyExitCodes = `Exit codes:
  0    every check passed
  1    a check failed (or an unexpected error)
  2    bad input: flag, --env-file, no Dockerfile in the folder
  3    no container engine: neither a Docker daemon nor Podman answers
  130  cancelled (Ctrl-C); the containers and images made are removed`

func newVerifyCmd(e *env) *cobra.Command {
	var f verifyFlags
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Build the Dockerfile, run the image and check it: non-root, healthy, answering",
		Long: `verify builds the repository's Dockerfile with Docker (BuildKit) or Podman,
runs the image and checks it from outside, one line per check with the
evidence:

  build       the build succeeds (time; else the failing step and its last lines)
  size        the image size
  user        the image's USER is numeric and not root
  processes   no process in the running container runs as root
  web app:    healthy   the container turns healthy under its own HEALTHCHECK
                        within its start period and retries
              http      the EXPOSEd port answers HTTP from the host (127.0.0.1)
  worker:     running   still running after a settle time
              no-expose the image EXPOSEs no port
  rebuild     with --rebuild: a one-file edit (in a copy of the context)
              rebuilds without reinstalling the dependencies

Whether the app is a web app or a worker, its port and health path come
from dgen's plan of the folder (the same flags as dgen plan override it).
On a failure verify prints the container's last log lines and a hint: the
port the app really listens on, the path it may not write, the environment
variable it misses.

The container gets the variables of --env-file, else of the repository's
.env.example or .env.sample when present (never .env unless passed).
The engine is docker when a Docker daemon answers, else podman; --engine
forces one. Containers and images are named dgen-verify-* and removed
afterwards, Ctrl-C included, unless --keep.

` + verifyExitCodes,
		Example: `  dgen verify
  dgen verify --dir ./service --engine podman --rebuild
  dgen verify --json --env-file ./ci.env | jq '.checks[] | select(.status=="fail")'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := runVerify(cmd.Context(), e, &f)
			return err
		},
	}
	f.register(cmd.Flags())
	f.registerVerify(cmd)
	f.registerCompletions(cmd)
	_ = cmd.RegisterFlagCompletionFunc("engine", cobra.FixedCompletions(engineValues, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (f *verifyFlags) registerVerify(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.engine, "engine", "", "container engine: docker or podman (default: docker when its daemon answers, else podman)")
	fl.StringVar(&f.envFile, "env-file", "", "NAME=VALUE file for the container (default: the repository's .env.example or .env.sample)")
	fl.BoolVar(&f.asJSON, "json", false, "print the report as one JSON object")
	fl.BoolVar(&f.keep, "keep", false, "keep the image and container afterwards (named dgen-verify-*)")
	fl.BoolVar(&f.rebuild, "rebuild", false, "also rebuild after editing one source file and report whether the dependency layer was reused")
}

// runVerify resolves the plan, picks the engine and verifies; the report
// is printed before a failed check turns into errChecksFailed.
func runVerify(ctx context.Context, e *env, f *verifyFlags) (*verify.Report, error) {
	switch f.engine {
	case "", "docker", "podman":
	default:
		return nil, usagef("--engine %q: use docker or podman", f.engine)
	}
	if f.envFile != "" {
		if fi, err := os.Stat(f.envFile); err != nil || !fi.Mode().IsRegular() {
			return nil, usagef("--env-file %s: not a readable file", f.envFile)
		}
	}
	p, _, dir, err := resolvePlan(ctx, e, &f.common, nil)
	if err != nil {
		return nil, err
	}
	return verifyPlan(ctx, e, f, p, dir)
}

// verifyPlan verifies dir's Dockerfile against a resolved plan (init
// --verify passes the plan it has just written).
func verifyPlan(ctx context.Context, e *env, f *verifyFlags, p *generator.Plan, dir string) (*verify.Report, error) {
	if _, err := os.Stat(filepath.Join(dir, "Dockerfile")); err != nil {
		return nil, usagef("no Dockerfile in %s: run dgen init first (or dgen init --verify)", dir)
	}
	eng, err := verify.Choose(ctx, f.engine, verify.Bins{Docker: e.getenv("DGEN_DOCKER"), Podman: e.getenv("DGEN_PODMAN"),
		BuildFlags: strings.Fields(e.getenv("DGEN_VERIFY_BUILD_FLAGS"))})
	if err != nil {
		return nil, err
	}
	r, err := verify.Verify(ctx, verify.Options{Dir: dir, Plan: p, Engine: eng, EnvFile: f.envFile,
		Keep: f.keep, Rebuild: f.rebuild, Progress: sanitizingWriter{e.stderr}})
	if errors.Is(err, verify.ErrNoDockerfile) {
		return nil, usageError{err}
	}
	if r != nil && ctx.Err() == nil {
		if f.asJSON {
			data, jerr := generator.IndentedJSON(r)
			if jerr == nil {
				_, jerr = e.stdout.Write(data)
			}
			if jerr != nil {
				return r, jerr
			}
		} else {
			printReport(e.stdout, r, e.colour && e.terminal)
		}
	}
	if err != nil {
		return r, err
	}
	if !r.Passed() {
		return r, fmt.Errorf("%w: %s", errChecksFailed, strings.Join(r.Failed(), ", "))
	}
	return r, nil
}

// printReport writes one line per check, PASS or FAIL with the evidence,
// then the hints and the container's last log lines.
func printReport(w io.Writer, r *verify.Report, colour bool) {
	fmt.Fprintf(w, "dgen verify %s (%s, %s", sanitize(r.Dir), r.Engine, r.Kind)
	if r.Port > 0 {
		fmt.Fprintf(w, " on port %d", r.Port)
	}
	if r.EnvFile != "" {
		fmt.Fprintf(w, ", environment from %s", sanitize(r.EnvFile))
	}
	fmt.Fprintln(w, ")")
	for _, c := range r.Checks {
		verdict := map[string]string{verify.Pass: "PASS", verify.Fail: "FAIL", verify.Skip: "SKIP"}[c.Status]
		if colour {
			verdict = map[string]string{verify.Pass: "\x1b[32mPASS\x1b[0m", verify.Fail: "\x1b[31mFAIL\x1b[0m", verify.Skip: "\x1b[2mSKIP\x1b[0m"}[c.Status]
		}
		fmt.Fprintf(w, "%s %-10s %s\n", verdict, c.ID, sanitize(c.Evidence))
		if c.Hint != "" {
			fmt.Fprintf(w, "     %-10s hint: %s\n", "", sanitize(c.Hint))
		}
	}
	if len(r.Logs) > 0 {
		fmt.Fprintf(w, "last %d lines of the container's log:\n", len(r.Logs))
		for _, l := range r.Logs {
			fmt.Fprintf(w, "  | %s\n", sanitize(l))
		}
	}
	if r.Kept {
		fmt.Fprintf(w, "kept image %s and container %s\n", r.Image, r.Container)
	}
	if failed := r.Failed(); len(failed) > 0 {
		fmt.Fprintf(w, "%d of %d checks failed: %s\n", len(failed), len(r.Checks), strings.Join(failed, ", "))
	} else {
		fmt.Fprintf(w, "all %d checks passed\n", len(r.Checks))
	}
}
