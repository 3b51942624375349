package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dgen-dev/dgen/detectors/shellwords"
	"github.com/dgen-dev/dgen/generator"
)

// run executes the dgen command line and returns the exit code.
func run(ctx context.Context, args []string, e *env) int {
	root := newRootCmd(e)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if generator.IsCancelled(err) || ctx.Err() != nil {
		fmt.Fprintln(e.stderr, "dgen: cancelled; nothing was written")
		return exitCancelled
	}
	// Cobra reports an unknown command and exclusive flags given together
	// with plain errors; both are usage mistakes (exit 2).
	if strings.HasPrefix(err.Error(), "unknown command") || strings.HasPrefix(err.Error(), "if any flags in the group") {
		err = usageError{err}
	}
	fmt.Fprintf(e.stderr, "dgen: %s\n", sanitize(err.Error()))
	return exitCode(err)
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "dgen",
		Short: "Write the Dockerfile a senior platform engineer would write for this repository",
		Long: `dgen reads a Go, Python or Node repository — versions, package manager,
framework, start command, port, native needs — and writes a multi-stage
Dockerfile and a .dockerignore: dependencies cached before source, a slim or
distroless non-root runtime, a health check that works in that image, pinned
tags. Every decision shows where it came from (dgen plan) and can be
overridden by a flag or dgen.yaml.

Documentation (getting started, what is detected per ecosystem, templates):
https://github.com/dgen-dev/dgen/tree/main/docs

` + exitCodesHelp,
		Example: `  dgen plan                 # what dgen detects here, with evidence
  dgen init                 # write Dockerfile and .dockerignore (asks on a terminal)
  dgen init --yes --dir ./service   # no questions; defaults are reported on stderr
  dgen verify               # build, run and check the image (docker or podman)`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w\nRun '%s --help' for usage", err, c.CommandPath())}
	})
	root.AddCommand(newPlanCmd(e), newInitCmd(e), newVerifyCmd(e), newCheckCmd(e), newCICmd(e), newVersionCmd(e))
	// dgen --version prints what dgen version prints.
	v, c, g := buildVersion()
	root.Version = v
	root.SetVersionTemplate(fmt.Sprintf("dgen %s (commit %s, %s)\n", v, c, g))
	root.CompletionOptions.HiddenDefaultCmd = false
	root.SuggestionsMinimumDistance = 2
	return root
}

// common holds the flags shared by plan and init: where the repository is
// and every override of a detected value.
type common struct {
	dir             string
	language        string
	languageVersion string
	main            string
	packageManager  string
	app             string
	port            string
	start           string
	healthPath      string
	templates       string
	compose         bool
	noCompose       bool
	// pin, mirrors, ci, image and branch: digest pinning and the CI
	// workflow (init and plan).
	pin     bool
	mirrors []string
	ci      string
	image   string
	branch  string

	// stderr receives notes about how --dir was read.
	stderr io.Writer
}

func (c *common) register(fs *pflag.FlagSet) {
	fs.StringVarP(&c.dir, "dir", "C", ".", "repository folder to read (and write into, for init)")
	fs.StringVar(&c.language, "language", "", "force the ecosystem: go, python or node")
	fs.StringVar(&c.languageVersion, "language-version", "", `language version: "1.24" (Go), "3.12" (Python), "22" (Node)`)
	fs.StringVar(&c.main, "main", "", "what to run when there are several: Go package (./cmd/api), Python module or Node entry file")
	fs.StringVar(&c.packageManager, "package-manager", "", "package manager when several lockfiles are present (uv, poetry, pipenv, pdm, pip, npm, yarn, yarn-berry, pnpm, bun)")
	fs.StringVar(&c.app, "app", "", "workspace app to build in a monorepo (e.g. apps/web)")
	fs.StringVar(&c.port, "port", "", `port the app listens on, or "none" for a worker`)
	fs.StringVar(&c.start, "start", "", `start command, split like a shell would ("node dist/main.js")`)
	fs.StringVar(&c.healthPath, "health-path", "", "HTTP path the health check requests (e.g. /healthz)")
	fs.StringVar(&c.templates, "templates", "", "folder of templates overriding the embedded ones by file name")
}

// registerCompose adds --compose and --no-compose (init and plan).
func (c *common) registerCompose(fs *pflag.FlagSet) {
	fs.BoolVar(&c.compose, "compose", false, "also write compose.yaml (and .env.example) even when no backing service or worker was found")
	fs.BoolVar(&c.noCompose, "no-compose", false, "do not write compose.yaml, even when backing services or workers were found")
}

// registerPipeline adds --pin, --registry-mirror, --ci, --image and
// --branch (init and plan).
func (c *common) registerPipeline(fs *pflag.FlagSet) {
	fs.BoolVar(&c.pin, "pin", false, "resolve every FROM tag to its digest (image:tag@sha256:…) through the registry; needs the network")
	fs.StringArrayVar(&c.mirrors, "registry-mirror", nil, `with --pin, ask this registry instead: "host[:port]" for Docker Hub, "registry=host[:port]" for another (repeatable)`)
	fs.StringVar(&c.ci, "ci", "", "also write a CI workflow that builds, scans, pushes and signs the image: github")
	registerCIFlags(fs, &c.image, &c.branch, "with --ci, ")
}

// registerPipelineCompletions completes --ci with the one provider.
func registerPipelineCompletions(cmd *cobra.Command) {
	_ = cmd.RegisterFlagCompletionFunc("ci", cobra.FixedCompletions([]string{generator.CIGitHub}, cobra.ShellCompDirectiveNoFileComp))
}

// registerCIFlags adds the workflow's --image and --branch; when is what
// their help starts with ("with --ci, " on init and plan).
func registerCIFlags(fs *pflag.FlagSet, image, branch *string, when string) {
	fs.StringVar(image, "image", "", when+"the repository to push to (default ghcr.io/<owner>/<repo>; docker.io/acme/api or registry.example.com/team/api)")
	fs.StringVar(branch, "branch", "", when+`the default branch: pushes to it and v* tags publish the image (default "main")`)
}

// repo opens the repository folder (generator.OpenRepository: os.Root's
// FS never follows a symlink out of the folder, so a hostile link cannot
// make dgen read /etc). A --dir inside a Node workspace app or a uv
// workspace member opens the workspace root, where the lockfile and
// sibling packages are.
func (c *common) repo() (*os.Root, string, error) {
	findWorkspace := c.app == "" && c.language != "go"
	r, err := generator.OpenRepository(c.dir, findWorkspace)
	if err != nil {
		return nil, "", usagef("--dir %s: %v", c.dir, err)
	}
	if r.App != "" {
		c.app = r.App
		fmt.Fprintf(c.stderr, "dgen: %s is app %s of the workspace at %s: the build context is the workspace root, so dgen reads and writes there (pass --app to choose another app)\n", filepath.Join(r.Dir, filepath.FromSlash(r.App)), r.App, r.Dir)
	}
	return r.Root, r.Dir, nil
}

// options merges flags over dgen.yaml (cfg may be nil).
func (c *common) options(cfg *generator.Config) (generator.Options, error) {
	opts := generator.Options{Answers: map[string]string{}}
	for k, v := range map[string]string{"language": c.language, "main": c.main, "packageManager": c.packageManager, "app": c.app} {
		if v != "" {
			opts.Answers[k] = v
		}
	}
	switch c.language {
	case "", "go", "python", "node":
	default:
		return opts, usagef("--language %q: use go, python or node", c.language)
	}
	opts.LanguageVersion = c.languageVersion
	if c.port != "" {
		if strings.EqualFold(c.port, "none") {
			opts.NoPort = true
		} else {
			n, err := generator.ParsePort(c.port)
			if err != nil {
				return opts, usagef("--port %s: a number from 1 to 65535, or none for a worker", c.port)
			}
			opts.Port = n
		}
	}
	if c.start != "" {
		argv, err := shellwords.Split(c.start)
		if err != nil {
			return opts, usagef("--start %q: %v", c.start, err)
		}
		opts.Start = argv
	}
	opts.HealthPath = c.healthPath
	switch {
	case c.compose && c.noCompose:
		return opts, usagef("--compose and --no-compose: pass one of them")
	case c.compose:
		opts.Compose = generator.ComposeAlways
	case c.noCompose:
		opts.Compose = generator.ComposeNever
	}
	if err := c.pipelineOptions(&opts); err != nil {
		return opts, err
	}
	cfg.Apply(&opts)
	if c.ci == "" && (c.image != "" || c.branch != "") {
		// --image and --branch change the workflow dgen.yaml asks for.
		if opts.CI == nil {
			return opts, usagef("--image and --branch apply with --ci github (or a ci key in dgen.yaml)")
		}
		ci := *opts.CI
		if c.image != "" {
			ci.Image = c.image
		}
		if c.branch != "" {
			ci.Branch = c.branch
		}
		if _, err := generator.NewCIPlan(ci, nil, ""); err != nil {
			return opts, usageError{err}
		}
		opts.CI = &ci
	}
	return opts, nil
}

// pipelineOptions reads --pin, --registry-mirror, --ci, --image and
// --branch.
func (c *common) pipelineOptions(opts *generator.Options) error {
	opts.Pin = c.pin
	m, err := generator.ParseMirrors(c.mirrors)
	if err != nil {
		return usageError{err}
	}
	opts.Mirrors = m
	if c.ci != "" {
		o := generator.CIOptions{Provider: c.ci, Image: c.image, Branch: c.branch}
		if _, err := generator.NewCIPlan(o, nil, ""); err != nil {
			return usageError{fmt.Errorf("--ci %s: %w", c.ci, err)}
		}
		opts.CI = &o
	}
	return nil
}

// templatesDir is the override folder: the flag, else dgen.yaml's
// (relative to the repository).
func (c *common) templatesDir(cfg *generator.Config, repoDir string) string {
	if c.templates != "" {
		return c.templates
	}
	if cfg != nil && cfg.Templates != "" {
		if filepath.IsAbs(cfg.Templates) {
			return cfg.Templates
		}
		return filepath.Join(repoDir, cfg.Templates)
	}
	return ""
}
