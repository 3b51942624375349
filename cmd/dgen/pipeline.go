package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dgen-dev/dgen/generator"
)

// pipelineFiles applies the plan's pipeline to what init writes: the
// Dockerfile's FROM tags pinned to digests (p.Pin) and the CI workflow
// added (p.CI), its platforms read from the Dockerfile being written. A
// failed lookup returns an error before anything is written.
func pipelineFiles(ctx context.Context, e *env, p *generator.Plan, files []generator.File, templatesDir string) ([]generator.File, error) {
	if p.Pin != nil {
		df := &files[0]
		data, pinned, err := generator.PinDockerfile(ctx, df.Data, generator.PinOptions{Mirrors: p.Pin.Mirrors})
		if err != nil {
			return nil, fmt.Errorf("%w; nothing was written", err)
		}
		df.Data = data
		reportPinned(e.stderr, pinned)
	}
	if p.CI != nil {
		ci := *p.CI
		ci.Platforms, ci.PlatformsWhy = generator.Platforms(files[0].Data)
		more, err := generator.RenderCI(&ci, templatesDir)
		if err != nil {
			return nil, err
		}
		files = append(files, more...)
	}
	return files, nil
}

// reportPinned says which images were pinned, one line each.
func reportPinned(w io.Writer, pinned []generator.PinnedImage) {
	for _, pi := range pinned {
		kind := "single-platform image"
		if pi.MultiPlatform {
			kind = "multi-platform index"
		}
		fmt.Fprintf(w, "dgen: pinned %s@%s (%s)\n", pi.Ref, pi.Digest, kind)
	}
}

// gitRootAbove is the nearest folder above dir holding .git, or "" when
// dir itself holds it or none does: GitHub reads .github only at the root.
func gitRootAbove(dir string) string {
	if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
		return ""
	}
	for d := filepath.Dir(dir); d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
	}
	return ""
}

// reportCI tells what the workflow needs before its first run and how to
// check a signed image.
func reportCI(w io.Writer, colour bool, ci *generator.CIPlan, dir string) {
	fmt.Fprintf(w, "\n%s\n", bold(colour, "With "+generator.WorkflowFile+":"))
	fmt.Fprintf(w, "  platforms: %s (%s)\n", strings.Join(ci.Platforms, ", "), ci.PlatformsWhy)
	if len(ci.Secrets) > 0 {
		fmt.Fprintf(w, "  set the repository secrets %s (Settings → Secrets and variables → Actions)\n", strings.Join(ci.Secrets, " and "))
	}
	fmt.Fprintf(w, "  commit %s and push to %s or a v* tag: the image is scanned, pushed to %s and signed\n",
		shellJoin([]string{filepath.Join(dir, ".github")}), ci.Branch, strings.Replace(ci.Image, "${{ github.repository }}", "<owner>/<repo>", 1))
	fmt.Fprintln(w, "  verify a pushed image: see docs/ci.md (cosign verify with the workflow's identity)")
	if root := gitRootAbove(dir); root != "" {
		fmt.Fprintf(w, "  note: the git repository's root is %s; GitHub reads workflows only from .github there, so move .github up and set the build context to this folder\n", root)
	}
}

// pipelineRows are the summary's lines for --pin and --ci: name, value,
// evidence.
func pipelineRows(p *generator.Plan) [][3]string {
	var rows [][3]string
	if p.Pin != nil {
		rows = append(rows, [3]string{"pin", sanitize(strings.Join(p.Pin.Images, ", ")), "resolved to digests when init writes the Dockerfile"})
	}
	if p.CI != nil {
		rows = append(rows, [3]string{"ci", sanitize(p.CI.Provider + ": " + strings.Join(p.CI.Files, ", ")), ""},
			[3]string{"ci image", sanitize(p.CI.Image), "pushed from " + sanitize(p.CI.Branch) + " and v* tags"},
			[3]string{"ci platforms", strings.Join(p.CI.Platforms, ", "), sanitize(p.CI.PlatformsWhy)})
	}
	return rows
}
