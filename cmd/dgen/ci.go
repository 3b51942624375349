package main

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator"
)

type ciFlags struct {
	dir, image, branch, templates string
	force, dryRun, diff           bool
}

func newCICmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ci",
		Short: "Write a CI workflow that builds, scans, pushes and signs the image",
		Long: `ci writes the pipeline that takes the repository's Dockerfile to a registry:
dgen ci github writes a GitHub Actions workflow and a Dependabot
configuration (docs/ci.md). GitHub Actions is the one CI dgen writes for.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("dgen ci %s: dgen writes GitHub Actions workflows only: dgen ci github (docs/ci.md says why)", args[0])
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(newCIGitHubCmd(e))
	return cmd
}

func newCIGitHubCmd(e *env) *cobra.Command {
	var f ciFlags
	cmd := &cobra.Command{
		Use:   "github",
		Short: "Write .github/workflows/docker.yml and .github/dependabot.yml",
		Long: `github writes .github/workflows/docker.yml, which builds the Dockerfile in the
repository folder with BuildKit (GitHub Actions cache), scans the image with
Trivy (failing on HIGH or CRITICAL vulnerabilities that have a fix, results
in code scanning), pushes it from the default branch and v* tags only (pull
requests build without pushing) with provenance and an SBOM, and signs the
pushed digest with cosign, keyless. .github/dependabot.yml keeps the actions
and the base images current.

It builds linux/amd64 and linux/arm64 when the Dockerfile cross-compiles
(FROM --platform=$BUILDPLATFORM with ARG TARGETOS TARGETARCH) or runs an
interpreted runtime, linux/amd64 otherwise. Run it in the repository's root
folder, where GitHub reads .github. Existing files are never overwritten
silently: the same rules as dgen init (--force, --diff, --dry-run).

` + exitCodesHelp,
		Example: `  dgen ci github
  dgen ci github --image docker.io/acme/api   # Docker Hub: secrets DOCKERHUB_USERNAME, DOCKERHUB_TOKEN
  dgen ci github --dry-run`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runCIGitHub(cmd, e, &f) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.dir, "dir", "C", ".", "repository folder to read the Dockerfile from and write into")
	registerCIFlags(fl, &f.image, &f.branch, "")
	fl.StringVar(&f.templates, "templates", "", "folder of templates overriding the embedded ones by file name")
	fl.BoolVar(&f.force, "force", false, "overwrite existing files that differ")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the files to stdout and write nothing")
	fl.BoolVar(&f.diff, "diff", false, "print a unified diff against the existing files and write nothing")
	cmd.MarkFlagsMutuallyExclusive("dry-run", "diff")
	return cmd
}

func runCIGitHub(cmd *cobra.Command, e *env, f *ciFlags) error {
	r, err := generator.OpenRepository(f.dir, false)
	if err != nil {
		return usagef("--dir %s: %v", f.dir, err)
	}
	defer r.Root.Close()
	cfg, err := generator.LoadConfig(r.Root.FS())
	if err != nil {
		return fmt.Errorf("%s: %w", r.Dir, err)
	}
	o := generator.CIOptions{Provider: generator.CIGitHub, Image: f.image, Branch: f.branch}
	if cfg != nil && cfg.CI != nil {
		if !cmd.Flags().Changed("image") {
			o.Image = cfg.CI.Image
		}
		if !cmd.Flags().Changed("branch") && cfg.CI.Branch != "" {
			o.Branch = cfg.CI.Branch
		}
	}
	df, err := repo.ReadFile(r.Root.FS(), "Dockerfile")
	if errors.Is(err, fs.ErrNotExist) {
		return usagef("no Dockerfile in %s: the workflow builds it; run dgen init first (or dgen init --ci github)", r.Dir)
	}
	if err != nil {
		return fmt.Errorf("read %s/Dockerfile: %w", r.Dir, err)
	}
	platforms, why := generator.Platforms(df)
	ci, err := generator.NewCIPlan(o, platforms, why)
	if err != nil {
		return usageError{err}
	}
	tdir := f.templates
	if tdir == "" && cfg != nil && cfg.Templates != "" {
		tdir = (&common{}).templatesDir(cfg, r.Dir)
	}
	files, err := generator.RenderCI(ci, tdir)
	if err != nil {
		return err
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
	changes, err := generator.Changes(r.Dir, files)
	if err != nil {
		return err
	}
	if f.diff {
		return printDiff(e, changes)
	}
	settled, _, err := settleConflicts(e, &initFlags{force: f.force}, nil, changes)
	if err != nil {
		return err
	}
	written, err := generator.Commit(r.Dir, settled)
	if err != nil {
		return err
	}
	reportWritten(e, r.Dir, changes, written, nil)
	reportCI(e.stderr, e.colour, ci, r.Dir)
	return nil
}
