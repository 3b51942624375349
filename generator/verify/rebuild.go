package verify

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// rebuild copies the build context (what .dockerignore lets through),
// edits one source file in the copy and builds again: the dependency
// install must come from the cache. The repository itself is not touched.
func (v *run) rebuild(ctx context.Context) {
	if v.failed("build") {
		return
	}
	tmp, err := os.MkdirTemp("", "dgen-verify-rebuild-")
	if err != nil {
		v.r.failf("rebuild", "", "%v", err)
		return
	}
	defer os.RemoveAll(tmp)
	file, err := copyContext(v.o.Dir, tmp, v.o.Plan.Language)
	if err != nil {
		v.r.failf("rebuild", "", "copy the build context: %v", err)
		return
	}
	if err := appendComment(filepath.Join(tmp, filepath.FromSlash(file))); err != nil {
		v.r.failf("rebuild", "", "edit %s: %v", file, err)
		return
	}
	v.progress("rebuilding after an edit of %s", file)
	start := v.o.now()
	out, err := v.eng.Build(ctx, tmp, filepath.Join(tmp, "Dockerfile"), v.r.Image)
	took := v.o.now().Sub(start)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		v.r.failf("rebuild", buildHint(out), "the rebuild after editing %s failed at %s:\n%s", file, failingStep(out), indent(tailLines(string(out), 10)))
		return
	}
	if img, err := v.eng.InspectImage(ctx, v.r.Image); err == nil && img.ID != "" {
		v.images = append(v.images, img.ID)
	}
	steps := parseSteps(out)
	rb := summarize(steps)
	rb.Edited, rb.Seconds = file, took.Seconds()
	v.r.Rebuild = &rb
	figures := fmt.Sprintf("rebuild after editing %s: %.1fs, %d of %d steps ran again, dependency layer reused: %s", file, took.Seconds(), rb.Rerun, rb.Steps, rb.DepsReused)
	switch {
	case rb.Steps > 0 && rb.Rerun == 0:
		v.r.failf("rebuild", "is the file left out by .dockerignore, or not copied by the Dockerfile?", "%s: the edit never reached the build", figures)
	case rb.DepsReused == "no":
		v.r.failf("rebuild", "copy only the manifests and lockfile before the install step, and the source after it", "%s", figures)
	default:
		v.r.passf("rebuild", "%s", figures)
	}
}

// step is one build step as the log shows it.
type step struct {
	text   string
	cached bool
}

var (
	buildkitCachedRE = regexp.MustCompile(`^#(\d+) CACHED$`)
	buildkitHeadRE   = regexp.MustCompile(`^#(\d+) \[([^\]]+)\] (.*)$`)
)

// parseSteps reads Buildah's ("STEP n/m: …", then "--> Using cache") or
// BuildKit's plain progress ("#n [stage k/m] …", then "#n CACHED").
func parseSteps(out []byte) []step {
	var steps []step
	byID := map[string]int{}
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimRight(l, "\r")
		if m := buildahStepRE.FindStringSubmatch(l); m != nil {
			steps = append(steps, step{text: m[1]})
		} else if strings.HasPrefix(l, "--> Using cache ") && len(steps) > 0 {
			steps[len(steps)-1].cached = true
		} else if m := buildkitHeadRE.FindStringSubmatch(l); m != nil && !strings.HasPrefix(m[2], "internal") {
			if _, seen := byID[m[1]]; !seen {
				byID[m[1]] = len(steps)
				steps = append(steps, step{text: m[3]})
			}
		} else if m := buildkitCachedRE.FindStringSubmatch(l); m != nil {
			if i, ok := byID[m[1]]; ok {
				steps[i].cached = true
			}
		}
	}
	return steps
}

// installRE matches the RUN steps that install dependencies.
var installRE = regexp.MustCompile(`\b(go mod download|pip3? install|uv sync|uv pip install|poetry install|pipenv (install|sync)|pdm (install|sync)|npm (ci|install)|yarn (install|--frozen-lockfile|--immutable)|yarn$|pnpm (install|fetch)|bun install)\b`)

// summarize counts the steps that ran again and whether the first
// dependency install was reused.
func summarize(steps []step) Rebuild {
	rb := Rebuild{DepsReused: "n/a"}
	for _, s := range steps {
		if strings.HasPrefix(strings.ToUpper(s.text), "FROM ") {
			continue
		}
		rb.Steps++
		if !s.cached {
			rb.Rerun++
		}
		if rb.DepsReused == "n/a" && strings.HasPrefix(strings.ToUpper(s.text), "RUN ") && installRE.MatchString(s.text) {
			rb.DepsReused = map[bool]string{true: "yes", false: "no"}[s.cached]
		}
	}
	return rb
}

// sourceExt are the files an edit of which must rebuild only the app.
var sourceExt = map[string][]string{
	"go":     {".go"},
	"python": {".py"},
	"node":   {".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx"},
}

// copyContext copies dir into dst without what .dockerignore excludes
// (the Dockerfile always) and returns a source file to edit: the
// shallowest one of the language outside tests, by name.
func copyContext(dir, dst, language string) (string, error) {
	var patterns []string
	if f, err := os.Open(filepath.Join(dir, ".dockerignore")); err == nil {
		patterns, err = ignorefile.ReadAll(f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return "", err
	}
	var candidates []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if rel == "." {
			return nil
		}
		slash := filepath.ToSlash(rel)
		if ignored, _ := pm.MatchesOrParentMatches(slash); ignored && slash != "Dockerfile" {
			if d.IsDir() && !pm.Exclusions() {
				return filepath.SkipDir
			}
			return nil
		}
		if isSource(slash, language) {
			candidates = append(candidates, slash)
		}
		return copyEntry(path, filepath.Join(dst, rel), d)
	})
	if err != nil {
		return "", err
	}
	if len(candidates) == 0 {
		return "", fmt.Errorf("no %s source file in the build context to edit", language)
	}
	sort.Slice(candidates, func(i, j int) bool {
		di, dj := strings.Count(candidates[i], "/"), strings.Count(candidates[j], "/")
		if di != dj {
			return di < dj
		}
		return candidates[i] < candidates[j]
	})
	return candidates[0], nil
}

var testFileRE = regexp.MustCompile(`(^|/)(tests?|__tests__|testdata|vendor|node_modules)/|_test\.go$|\.(test|spec)\.[jt]sx?$|(^|/)test_[^/]*\.py$|\.config\.[cm]?[jt]s$`)

func isSource(rel, language string) bool {
	if testFileRE.MatchString(rel) {
		return false
	}
	for _, ext := range sourceExt[language] {
		if strings.HasSuffix(rel, ext) {
			return true
		}
	}
	return false
}

func copyEntry(src, dst string, d fs.DirEntry) error {
	switch {
	case d.IsDir():
		return os.MkdirAll(dst, 0o755)
	case d.Type()&fs.ModeSymlink != 0:
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	case d.Type().IsRegular():
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, info.Mode().Perm())
	}
	return nil
}

// appendComment changes the file's content without changing what it does.
func appendComment(path string) error {
	comment := "\n// dgen verify: rebuild check\n"
	if strings.HasSuffix(path, ".py") {
		comment = "\n# dgen verify: rebuild check\n"
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(comment); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
