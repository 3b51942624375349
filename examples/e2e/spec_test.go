//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dgen-dev/dgen/examples/e2e/harness"
)

// spec is what every engine needs of one example, read once: the
// committed files, dgen's plan, the part of the Dockerfile this machine can
// build, and the checks that need no engine.
type spec struct {
	name   string
	dir    string // examples/<name>
	golden []byte
	ignore []byte
	plan   *harness.Plan
	// shared holds the engine-independent checks (the committed files
	// are what dgen writes); each engine's result starts from it.
	shared harness.Result
	// partial says why only part of the Dockerfile is built (empty: all
	// of it); prefix is that part and upto the line it stops before.
	partial []string
	prefix  []byte
	upto    int
	// refs are the base images the buildable part names.
	refs []string
	// ready is false when the example cannot be built at all (its
	// Dockerfile cannot be read or a base image has no stand-in).
	ready bool
}

// result is a fresh result for one engine, with the shared checks.
func (s *spec) result() harness.Result {
	r := s.shared
	r.Checks = slices.Clone(r.Checks)
	r.Failures = slices.Clone(r.Failures)
	return r
}

// prepareAll reads every example and makes its base images available to
// every engine before the engines start side by side.
func prepareAll(t *testing.T) []*spec {
	var specs []*spec
	for _, name := range exampleNames(t) {
		if !wanted(name) {
			continue
		}
		s := &spec{name: name, dir: filepath.Join(examplesDir, name)}
		s.shared.Name = name
		s.prepare()
		specs = append(specs, s)
	}
	if !wanted("broken") {
		return specs
	}
	// The broken copies are built from these examples' Dockerfiles.
	for _, name := range brokenExamples() {
		if wanted(name) {
			continue // prepared above
		}
		var r harness.Result
		data, err := os.ReadFile(filepath.Join(examplesDir, name, "Dockerfile"))
		if err != nil {
			t.Fatalf("the broken copies need examples/%s: %v", name, err)
		}
		uses, err := harness.ExternalImages(harness.ParseDockerfile(data))
		if err != nil {
			t.Fatalf("read examples/%s/Dockerfile: %v", name, err)
		}
		var refs []string
		for _, u := range uses {
			refs = append(refs, u.Ref)
		}
		if !ensureBaseImages(&r, refs) {
			t.Fatalf("the broken copies' base images: %s", r.Failures[0])
		}
	}
	return specs
}

func (s *spec) prepare() {
	if s.examine() {
		s.ready = ensureBaseImages(&s.shared, s.refs)
	}
}

// examine does all that prepare does but make the base images: it checks the
// committed files, reads the plan, finds the part of the Dockerfile that
// can be built here and the images it names. It returns false when the
// example cannot be built at all.
func (s *spec) examine() bool {
	r := &s.shared
	if !s.checkGenerated() {
		return false
	}
	s.readPlan()
	ins := harness.ParseDockerfile(s.golden)
	uses, err := harness.ExternalImages(ins)
	if err != nil {
		r.Failf("read %s/Dockerfile: %v", s.name, err)
		return false
	}
	for _, u := range uses {
		if reason := unobtainable(u.Ref); reason != "" {
			s.partial = append(s.partial, fmt.Sprintf("line %d needs %s, which cannot be had here (%s)", u.Line, u.Ref, reason))
		}
	}
	stop := 0
	if s.plan != nil && s.plan.Language == "python" {
		if reason := harness.NeedsPyPI(os.DirFS(s.dir), ins, s.plan.PackageManager); reason != "" {
			if in, ok := harness.FirstInstall(ins); ok {
				stop = in.Line
				s.partial = append(s.partial, "its dependencies come from PyPI, which this machine cannot reach ("+reason+")")
			}
		}
	}
	s.prefix, s.upto, err = harness.Prefix(s.golden, func(ref string) bool { return unobtainable(ref) != "" }, stop)
	if err != nil {
		r.Failf("examples/%s/Dockerfile: %v", s.name, err)
		return false
	}
	r.Partial = strings.Join(s.partial, "; and ")
	if r.Partial != "" {
		r.Upto = s.upto
		r.NaiveSkipped = "the app cannot be installed here"
	}
	uses, err = harness.ExternalImages(harness.ParseDockerfile(s.prefix))
	if err != nil {
		r.Failf("read %s/Dockerfile: %v", s.name, err)
		return false
	}
	for _, u := range uses {
		s.refs = append(s.refs, u.Ref)
	}
	if r.Partial == "" && s.plan != nil {
		// The naive baseline's base is dgen's build stage image.
		if nv, err := harness.NaiveFor(s.plan, os.DirFS(s.dir)); err == nil && !slices.Contains(s.refs, nv.Args["BASE"]) {
			s.refs = append(s.refs, nv.Args["BASE"])
		}
	}
	return true
}

// unobtainable says why an image cannot be had on this machine, or "".
func unobtainable(ref string) string {
	if strings.HasPrefix(ref, "ghcr.io/astral-sh/uv:") || strings.HasPrefix(ref, "ghcr.io/astral-sh/uv@") {
		return "uv comes only from its image registry and PyPI"
	}
	return ""
}

// checkGenerated regenerates the files with dgen and compares them with
// the committed ones.
func (s *spec) checkGenerated() bool {
	r := &s.shared
	var err error
	if s.golden, err = os.ReadFile(filepath.Join(s.dir, "Dockerfile")); err != nil {
		r.Failf("no committed Dockerfile (%v): run make golden", err)
		return false
	}
	if s.ignore, err = os.ReadFile(filepath.Join(s.dir, ".dockerignore")); err != nil {
		r.Failf("no committed .dockerignore (%v): run make golden", err)
		return false
	}
	stdout, stderr, err := dgen("init", "--dry-run", "--yes", "--dir", s.dir)
	if err != nil {
		r.Failf("dgen init --dry-run --yes --dir examples/%s: %v\n%s", s.name, err, tail(stderr, 15))
		return true
	}
	files, err := harness.ParseDryRun(stdout)
	if err != nil {
		r.Failf("%v", err)
		return true
	}
	ok := true
	for name, want := range map[string][]byte{"Dockerfile": s.golden, ".dockerignore": s.ignore} {
		got, found := files[name]
		switch {
		case !found:
			r.Failf("dgen init --dry-run printed no %s", name)
			ok = false
		case !bytes.Equal(got, want):
			r.Failf("examples/%s/%s differs from what dgen writes now (%s): run make golden and review the diff",
				s.name, name, harness.FirstDifference(want, got))
			ok = false
		}
	}
	if ok {
		r.Okf("`dgen init --dry-run --yes` writes the committed Dockerfile and .dockerignore")
	}
	return true
}

func (s *spec) readPlan() {
	stdout, stderr, err := dgen("plan", "--json", "--dir", s.dir)
	if err != nil {
		s.shared.Failf("dgen plan --json: %v\n%s", err, tail(stderr, 15))
		return
	}
	p, err := harness.ParsePlan(stdout)
	if err != nil {
		s.shared.Failf("%v", err)
		return
	}
	s.plan = p
	s.shared.Language = p.Language
	if p.Template != "" && p.Template != p.Language {
		s.shared.Language += " (" + p.Template + " template)"
	}
	if p.Port != nil {
		s.shared.Kind = fmt.Sprintf("web app on port %d", *p.Port)
	} else {
		s.shared.Kind = "worker (no port)"
	}
}

// dgen runs the dgen binary as CI would: no terminal, CI=true.
func dgen(args ...string) (stdout, stderr []byte, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, dgenBin, args...)
	cmd.Env = append(os.Environ(), "CI=true")
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.Bytes(), e.Bytes(), err
}

// ensureBaseImages builds the stand-ins of the images the Dockerfile
// names (standins.sh skips those already built, and fails at once on a
// name it has no stand-in for), then hands them to the Docker daemon.
func ensureBaseImages(r *harness.Result, refs []string) bool {
	if len(refs) == 0 {
		return true
	}
	out, err := run(20*time.Minute, "bash", append([]string{filepath.Join(repoRoot, "examples", "e2e", "standins.sh")}, refs...)...)
	if err != nil {
		r.Failf("base images %s: %v\n%s", strings.Join(refs, ", "), err, tail(out, 15))
		return false
	}
	if slices.Contains(engines, "docker") {
		if err := loadIntoDocker(refs); err != nil {
			r.Failf("base images %s for Docker: %v", strings.Join(refs, ", "), err)
			return false
		}
	}
	return true
}

// loadIntoDocker copies the stand-ins from Podman's store into the Docker
// daemon's (podman save | docker load), skipping those it holds already:
// the image ID is the digest of the image's config, the same in both.
func loadIntoDocker(refs []string) error {
	var missing []string
	for _, ref := range refs {
		want, err := run(time.Minute, "podman", "image", "inspect", "--format", "{{.Id}}", ref)
		if err != nil {
			return fmt.Errorf("podman image inspect %s: %v", ref, err)
		}
		have, _ := run(time.Minute, dockerBin, "image", "inspect", "--format", "{{.Id}}", ref)
		if strings.TrimPrefix(strings.TrimSpace(string(have)), "sha256:") != strings.TrimSpace(string(want)) {
			missing = append(missing, ref)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	script := `podman save -m "$@" | "$DGEN_E2E_DOCKER" load`
	cmd := exec.CommandContext(ctx, "bash", append([]string{"-o", "pipefail", "-c", script, "load"}, missing...)...)
	cmd.Env = append(os.Environ(), "DGEN_E2E_DOCKER="+dockerBin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("podman save | docker load: %v\n%s", err, tail(out, 10))
	}
	return nil
}
