//go:build e2e

// Package e2e is dgen's real-build test (make e2e): every example's
// Dockerfile is regenerated and compared with the committed one, built with
// Buildah, run with Podman and checked from outside the way an operator
// would (non-root user, HTTP answer, health check that turns healthy and can
// turn unhealthy, no compilers or caches in the image), then rebuilt after a
// one-file edit and compared with a naive single-stage Dockerfile.
// docs/benchmarks.md is written from the measurements.
//
// Run it through examples/e2e/run.sh, which installs Podman and Buildah,
// configures them and gives the test an image store of its own; the test
// builds the stand-in base images it needs with standins.sh. It needs root. DGEN_E2E_ONLY=name,name limits the run to some examples, and
// DGEN_E2E_EXAMPLES=folder takes the examples from another folder; either
// leaves docs/benchmarks.md alone. DGEN=path runs another dgen binary than
// bin/dgen.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dgen-dev/dgen/examples/e2e/harness"
)

const (
	// buildTimeout bounds one buildah bud; the slowest cold build here
	// takes about a minute.
	buildTimeout = 15 * time.Minute
	// answerTimeout bounds the wait for an app to answer HTTP and for its
	// health check to pass.
	answerTimeout = 60 * time.Second
	// workerSettle is how long a worker must stay up.
	workerSettle = 5 * time.Second
	// reserve is the time an example may need at most on a busy machine:
	// no example starts with less than this left before go test's
	// -timeout.
	reserve = 8 * time.Minute
)

var (
	repoRoot string
	// examplesDir holds the examples: examples/, or DGEN_E2E_EXAMPLES.
	examplesDir string
	dgenBin     string
	stateDir    string
	logDir      string
	results     []harness.Result
	started     = time.Now()
	loadStart   = loadAverage()
)

func TestMain(m *testing.M) {
	code := m.Run()
	passed, failed := 0, 0
	for i := range results {
		r := &results[i]
		if r.Passed() {
			passed++
			var partial string
			if r.Partial != "" {
				partial = " (partial: " + r.Partial + ")"
			}
			fmt.Printf("e2e: PASS %s%s\n", r.Name, partial)
			continue
		}
		failed++
		fmt.Printf("e2e: FAIL %s: %s\n", r.Name, firstLine(r.Failures[0]))
	}
	if os.Getenv("DGEN_E2E_ONLY") == "" && os.Getenv("DGEN_E2E_EXAMPLES") == "" && len(results) > 0 {
		if err := writeBenchmarks(); err != nil {
			fmt.Printf("e2e: write docs/benchmarks.md: %v\n", err)
			code = 1
		} else {
			fmt.Printf("e2e: wrote docs/benchmarks.md (run took %s)\n", time.Since(started).Round(time.Second))
		}
	}
	if len(results) == 0 && code != 0 {
		// The test stopped before any example (no engine, no dgen binary).
		failed = 1
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 && code == 0 {
		code = 1
	}
	os.Exit(code)
}

func TestExamples(t *testing.T) {
	setup(t)
	names := exampleNames(t)
	var only []string
	if s := os.Getenv("DGEN_E2E_ONLY"); s != "" {
		only = strings.Split(s, ",")
	}
	deadline, hasDeadline := t.Deadline()
	for _, name := range names {
		if only != nil && !slices.Contains(only, name) {
			continue
		}
		// Stop starting examples well before go test's -timeout, which
		// would kill the run with no summary and no benchmarks.md.
		if hasDeadline && time.Until(deadline) < reserve {
			r := harness.Result{Name: name}
			r.Failf("not run: less than %s of the test's -timeout was left (the machine is slow or busy: see the load average in docs/benchmarks.md)", reserve)
			results = append(results, r)
			t.Errorf("%s: %s", name, r.Failures[0])
			continue
		}
		t.Run(name, func(t *testing.T) {
			r := runExample(t, name)
			results = append(results, r)
			for _, c := range r.Checks {
				t.Log("ok: " + c)
			}
			for _, f := range r.Failures {
				t.Error(f)
			}
			if r.NaiveSkipped != "" {
				t.Log("no naive baseline: " + r.NaiveSkipped)
			}
			switch {
			case !r.Passed():
			case r.Partial != "":
				t.Logf("PASS %s (partial): the part that can be built here built in %.1fs", name, r.Dgen.Cold.Seconds())
			default:
				t.Logf("PASS %s: cold %.1fs, rebuild %.1fs, deps cached %s, image %.1f MB", name,
					r.Dgen.Cold.Seconds(), r.Dgen.Rebuild.Seconds(), r.Dgen.DepsCached, float64(r.Dgen.Bytes)/1e6)
			}
		})
	}
}

func setup(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("the real-build test runs Buildah and Podman as root: run it with examples/e2e/run.sh as root")
	}
	for _, tool := range []string{"buildah", "podman", "debootstrap"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed: examples/e2e/run.sh installs it", tool)
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	repoRoot = filepath.Clean(filepath.Join(wd, "..", ".."))
	examplesDir = os.Getenv("DGEN_E2E_EXAMPLES")
	if examplesDir == "" {
		examplesDir = filepath.Join(repoRoot, "examples")
	}
	dgenBin = os.Getenv("DGEN")
	if dgenBin == "" {
		dgenBin = filepath.Join(repoRoot, "bin", "dgen")
	}
	if _, err := os.Stat(dgenBin); err != nil {
		t.Fatalf("%v: run make build first (make e2e does)", err)
	}
	stateDir = os.Getenv("DGEN_E2E_STATE")
	if stateDir == "" {
		stateDir = "/var/tmp/dgen-e2e"
	}
	logDir = filepath.Join(stateDir, "logs")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		t.Fatal(err)
	}
	// The OCI image format drops HEALTHCHECK; Docker format keeps it.
	os.Setenv("BUILDAH_FORMAT", "docker")
	// The stand-ins carry official images' names, and the test prunes
	// images and empties cache mounts: run.sh gives it a storage and a
	// temporary folder of its own, so none of that touches anyone else's.
	if os.Getenv("CONTAINERS_STORAGE_CONF") == "" || os.Getenv("TMPDIR") == "" {
		t.Fatal("CONTAINERS_STORAGE_CONF and TMPDIR are not set: run the test with examples/e2e/run.sh, which keeps its images in their own storage")
	}
	// A run that was killed may have left containers behind.
	if out, err := run(time.Minute, "podman", "ps", "-a", "--filter", "name=^dgen-e2e-", "--format", "{{.Names}}"); err == nil {
		for _, name := range strings.Fields(string(out)) {
			removeContainer(name)
		}
	}
}

// exampleNames lists the folders under examples/ that are examples.
func exampleNames(t *testing.T) []string {
	ents, err := os.ReadDir(examplesDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		if e.IsDir() && e.Name() != "e2e" && e.Name() != "testdata" && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		t.Fatalf("no examples under %s", examplesDir)
	}
	return names
}

// unobtainable says why an image cannot be had on this machine, or "".
func unobtainable(ref string) string {
	if strings.HasPrefix(ref, "ghcr.io/astral-sh/uv:") || strings.HasPrefix(ref, "ghcr.io/astral-sh/uv@") {
		return "uv comes only from its image registry and PyPI"
	}
	return ""
}

// example is the state of one example's run.
type example struct {
	t      *testing.T
	r      *harness.Result
	name   string
	dir    string // examples/<name>
	ctx    string // the build context: a copy of dir, edited by the rebuild test
	naive  string // a copy of dir without Dockerfile and .dockerignore
	image  string
	plan   *harness.Plan
	golden []byte
	ignore []byte
	cfg    imageConfig
	tools  runtimeTools
	// brokenCmd is what the broken variant runs instead of the app, and
	// brokenStarted when it started.
	brokenCmd     string
	brokenStarted time.Time
	// naiveFile and naiveArgs are the naive build's Dockerfile and
	// arguments, for its rebuild.
	naiveFile string
	naiveArgs []string
	// ids are the image IDs built, removed at the end.
	ids []string
}

func runExample(t *testing.T, name string) harness.Result {
	r := harness.Result{Name: name}
	ex := &example{t: t, r: &r, name: name, dir: filepath.Join(examplesDir, name),
		image: "localhost/dgen-e2e-example/" + name + ":e2e"}
	defer ex.cleanup()
	if !ex.checkGenerated() {
		return r
	}
	ex.readPlan()
	ins := harness.ParseDockerfile(ex.golden)
	uses, err := harness.ExternalImages(ins)
	if err != nil {
		r.Failf("read %s/Dockerfile: %v", name, err)
		return r
	}
	prefix, upto, why, err := ex.buildablePart(ins, uses)
	if err != nil {
		r.Failf("examples/%s/Dockerfile: %v", name, err)
		return r
	}
	partial := len(why) > 0
	r.Partial = strings.Join(why, "; and ")
	uses, err = harness.ExternalImages(harness.ParseDockerfile(prefix))
	if err != nil {
		r.Failf("read %s/Dockerfile: %v", name, err)
		return r
	}
	var refs []string
	for _, u := range uses {
		refs = append(refs, u.Ref)
	}
	if !ex.ensureBaseImages(refs) || !ex.copyContexts() {
		return r
	}
	if partial {
		r.Upto = upto
		r.NaiveSkipped = "the app cannot be installed here"
		ex.buildPartial(prefix, upto)
		return r
	}
	if !ex.coldBuild() {
		return r
	}
	ex.inspectImage()
	ex.checkFiles()
	ex.startBroken()
	if ex.portNumber() > 0 {
		ex.runWeb()
	} else {
		ex.runWorker()
	}
	ex.checkBrokenVariant()
	ex.buildNaive()
	ex.rebuild()
	return r
}

// buildablePart decides how much of the Dockerfile this machine can build:
// not the stages and steps that need an image no registry here serves, and
// for a Python app with packages from PyPI, nothing from the install on.
// why says what was left out and why (empty: nothing was); upto is the line
// the part stops before (0: the end).
func (ex *example) buildablePart(ins []harness.Instruction, uses []harness.ImageUse) (prefix []byte, upto int, why []string, err error) {
	for _, u := range uses {
		if reason := unobtainable(u.Ref); reason != "" {
			why = append(why, fmt.Sprintf("line %d needs %s, which cannot be had here (%s)", u.Line, u.Ref, reason))
		}
	}
	stop := 0
	if ex.plan != nil && ex.plan.Language == "python" {
		if reason := harness.NeedsPyPI(os.DirFS(ex.dir), ins, ex.plan.PackageManager); reason != "" {
			if in, ok := harness.FirstInstall(ins); ok {
				stop = in.Line
				why = append(why, "its dependencies come from PyPI, which this machine cannot reach ("+reason+")")
			}
		}
	}
	prefix, upto, err = harness.Prefix(ex.golden, func(ref string) bool { return unobtainable(ref) != "" }, stop)
	return prefix, upto, why, err
}

// checkGenerated regenerates the files with dgen and compares them with
// the committed ones.
func (ex *example) checkGenerated() bool {
	r := ex.r
	var err error
	if ex.golden, err = os.ReadFile(filepath.Join(ex.dir, "Dockerfile")); err != nil {
		r.Failf("no committed Dockerfile (%v): run go test ./generator -run TestGolden -update", err)
		return false
	}
	if ex.ignore, err = os.ReadFile(filepath.Join(ex.dir, ".dockerignore")); err != nil {
		r.Failf("no committed .dockerignore (%v): run go test ./generator -run TestGolden -update", err)
		return false
	}
	stdout, stderr, err := ex.dgen("init", "--dry-run", "--yes", "--dir", ex.dir)
	if err != nil {
		r.Failf("dgen init --dry-run --yes --dir examples/%s: %v\n%s", ex.name, err, tail(stderr, 15))
		return true
	}
	files, err := harness.ParseDryRun(stdout)
	if err != nil {
		r.Failf("%v", err)
		return true
	}
	ok := true
	for name, want := range map[string][]byte{"Dockerfile": ex.golden, ".dockerignore": ex.ignore} {
		got, found := files[name]
		switch {
		case !found:
			r.Failf("dgen init --dry-run printed no %s", name)
			ok = false
		case !bytes.Equal(got, want):
			r.Failf("examples/%s/%s differs from what dgen writes now (%s): run go test ./generator -run TestGolden -update and review the diff",
				ex.name, name, harness.FirstDifference(want, got))
			ok = false
		}
	}
	if ok {
		r.Okf("`dgen init --dry-run --yes` writes the committed Dockerfile and .dockerignore")
	}
	return true
}

func (ex *example) readPlan() {
	stdout, stderr, err := ex.dgen("plan", "--json", "--dir", ex.dir)
	if err != nil {
		ex.r.Failf("dgen plan --json: %v\n%s", err, tail(stderr, 15))
		return
	}
	p, err := harness.ParsePlan(stdout)
	if err != nil {
		ex.r.Failf("%v", err)
		return
	}
	ex.plan = p
	ex.r.Language = p.Language
	if p.Template != "" && p.Template != p.Language {
		ex.r.Language += " (" + p.Template + " template)"
	}
	if p.Port != nil {
		ex.r.Kind = fmt.Sprintf("web app on port %d", *p.Port)
	} else {
		ex.r.Kind = "worker (no port)"
	}
}

// dgen runs the dgen binary as CI would: no terminal, CI=true.
func (ex *example) dgen(args ...string) (stdout, stderr []byte, err error) {
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
// names (standins.sh skips those already built, and fails at once on a name
// it has no stand-in for).
func (ex *example) ensureBaseImages(refs []string) bool {
	if len(refs) == 0 {
		return true
	}
	out, err := run(20*time.Minute, "bash", append([]string{filepath.Join(repoRoot, "examples", "e2e", "standins.sh")}, refs...)...)
	if err != nil {
		ex.r.Failf("base images %s: %v\n%s", strings.Join(refs, ", "), err, tail(out, 15))
		return false
	}
	return true
}

// copyContexts copies the example twice: the build context for dgen's
// Dockerfile, and one without Dockerfile and .dockerignore for the naive
// build. The rebuild test edits the copies, never examples/.
func (ex *example) copyContexts() bool {
	tmp := ex.t.TempDir()
	ex.ctx, ex.naive = filepath.Join(tmp, "ctx"), filepath.Join(tmp, "naive")
	for _, dst := range []string{ex.ctx, ex.naive} {
		if err := os.CopyFS(dst, os.DirFS(ex.dir)); err != nil {
			ex.r.Failf("copy examples/%s: %v", ex.name, err)
			return false
		}
	}
	os.Remove(filepath.Join(ex.naive, "Dockerfile"))
	os.Remove(filepath.Join(ex.naive, ".dockerignore"))
	return true
}

// bud runs buildah bud and returns its output and how long it took.
func (ex *example) bud(step, tag, dockerfile, context string, extra ...string) ([]byte, time.Duration, error) {
	args := []string{"bud", "--pull=never", "--format", "docker", "--layers", "--force-rm", "-t", tag, "-f", dockerfile}
	args = append(args, extra...)
	args = append(args, context)
	start := time.Now()
	out, err := run(buildTimeout, "buildah", args...)
	took := time.Since(start)
	logFile := filepath.Join(logDir, ex.name+"-"+step+".log")
	_ = os.WriteFile(logFile, out, 0o644)
	if err != nil {
		return out, took, fmt.Errorf("%s build failed: %v (full log: %s)\n%s", step, err, logFile, tail(out, 25))
	}
	if id, err := run(time.Minute, "podman", "image", "inspect", "--format", "{{.Id}}", tag); err == nil {
		ex.ids = append(ex.ids, strings.TrimSpace(string(id)))
	}
	return out, took, nil
}

// buildPartial builds the part of the Dockerfile this machine can build
// (harness.Prefix): lines before upto, or all but some stages when upto is
// 0.
func (ex *example) buildPartial(prefix []byte, upto int) {
	df := filepath.Join(filepath.Dir(ex.ctx), "Dockerfile.partial")
	if err := os.WriteFile(df, prefix, 0o644); err != nil {
		ex.r.Failf("%v", err)
		return
	}
	forgetBuilds()
	_, took, err := ex.bud("partial", ex.image, df, ex.ctx)
	ex.r.Dgen.Cold = took
	if err != nil {
		ex.r.Failf("%v", err)
		return
	}
	what := "everything but the stages that need an image that cannot be had"
	if upto > 0 {
		what = fmt.Sprintf("lines 1–%d", upto-1)
	}
	ex.r.Okf("%s of the Dockerfile build with Buildah in %.1fs", what, took.Seconds())
}

func (ex *example) coldBuild() bool {
	forgetBuilds()
	_, took, err := ex.bud("cold", ex.image, filepath.Join(ex.ctx, "Dockerfile"), ex.ctx)
	ex.r.Dgen.Cold = took
	if err != nil {
		ex.r.Failf("%v", err)
		return false
	}
	ex.r.Okf("builds cold (no cached layers, empty cache mounts) with `buildah bud --pull=never --format docker --layers` in %.1fs", took.Seconds())
	return true
}

// forgetBuilds makes the next build cold: it removes every layer earlier
// builds left in the test's storage (the stand-ins are tagged and stay) and
// empties Buildah's RUN --mount=type=cache folders, so modules and packages
// are downloaded as on a fresh machine. (buildah bud --no-cache would not
// do: Buildah 1.28 never reuses the layers of a --no-cache build, so the
// rebuild after it would be cold as well.)
func forgetBuilds() {
	run(time.Minute, "buildah", "rm", "--all")
	// Each pass removes the untagged images that nothing builds on, so a
	// chain of intermediate layers takes one pass per layer.
	for range 50 {
		out, err := run(time.Minute, "podman", "image", "prune", "--force")
		if err != nil || strings.TrimSpace(string(out)) == "" {
			break
		}
	}
	dirs, _ := filepath.Glob(filepath.Join(os.Getenv("TMPDIR"), "buildah-cache*"))
	for _, d := range dirs {
		if base := filepath.Base(d); base == "buildah-cache" || regexp.MustCompile(`^buildah-cache-\d+$`).MatchString(base) {
			os.RemoveAll(d)
		}
	}
}

// imageConfig is the part of `podman image inspect` the checks read.
// (Podman reports the Docker-format HEALTHCHECK beside the OCI config,
// which has no field for it.)
type imageConfig struct {
	Size   int64
	Config struct {
		User         string
		ExposedPorts map[string]struct{}
		Entrypoint   []string
		Cmd          []string
	}
	Healthcheck *struct {
		Test        []string
		StartPeriod time.Duration
		Timeout     time.Duration
		Retries     int
	}
}

func (ex *example) inspectImage() {
	out, err := run(time.Minute, "podman", "image", "inspect", ex.image)
	if err != nil {
		ex.r.Failf("podman image inspect: %v\n%s", err, tail(out, 5))
		return
	}
	var cfgs []imageConfig
	if err := json.Unmarshal(out, &cfgs); err != nil || len(cfgs) != 1 {
		ex.r.Failf("podman image inspect: unexpected output (%v)", err)
		return
	}
	ex.cfg = cfgs[0]
	ex.r.Dgen.Bytes = ex.cfg.Size
	user := ex.cfg.Config.User
	uid, _, _ := strings.Cut(user, ":")
	n, err := strconv.Atoi(uid)
	switch {
	case user == "":
		ex.r.Failf("image config has no USER: the container would run as root")
	case err != nil:
		ex.r.Failf("image USER is %q: a numeric UID is needed so runtimes can tell it is not root", user)
	case n == 0:
		ex.r.Failf("image USER is %q: root", user)
	case ex.plan != nil && ex.plan.User.UID != 0 && n != ex.plan.User.UID:
		ex.r.Failf("image USER is %q but dgen plan says uid %d", user, ex.plan.User.UID)
	default:
		ex.r.Okf("image config `User` is %s (numeric, not root)", user)
	}
}

func (ex *example) portNumber() int {
	var ports []int
	for p := range ex.cfg.Config.ExposedPorts {
		num, _, _ := strings.Cut(p, "/")
		if n, err := strconv.Atoi(num); err == nil {
			ports = append(ports, n)
		}
	}
	sort.Ints(ports)
	if ex.plan != nil && ex.plan.Port != nil {
		if !slices.Contains(ports, *ex.plan.Port) {
			ex.r.Failf("dgen plan says port %d but the image exposes %v", *ex.plan.Port, ports)
		}
		return *ex.plan.Port
	}
	if len(ports) > 0 {
		return ports[0]
	}
	return 0
}

// runtimeTools is what the runtime image offers to run instead of the app
// (for the broken variant).
type runtimeTools struct {
	busybox, sleep bool
}

// checkFiles mounts the image and looks for compilers and package caches.
func (ex *example) checkFiles() {
	out, err := run(time.Minute, "podman", "image", "mount", ex.image)
	if err != nil {
		ex.r.Failf("podman image mount: %v\n%s", err, tail(out, 5))
		return
	}
	defer run(time.Minute, "podman", "image", "unmount", ex.image)
	root := strings.TrimSpace(string(out))
	left, err := harness.Leftovers(os.DirFS(root))
	switch {
	case err != nil:
		ex.r.Failf("scan the image's files: %v", err)
	case len(left) > 0:
		ex.r.Failf("the runtime image holds build leftovers: %s", strings.Join(left, ", "))
	default:
		ex.r.Okf("the runtime image holds no compiler (go, gcc, cc…) and no package-manager cache (pip, npm, go…)")
	}
	if fi, err := os.Lstat(filepath.Join(root, "usr/local/bin/busybox")); err == nil && fi.Mode().IsRegular() {
		ex.tools.busybox = true
	}
	for _, p := range []string{"bin/sleep", "usr/bin/sleep"} {
		if _, err := os.Lstat(filepath.Join(root, p)); err == nil {
			ex.tools.sleep = true
		}
	}
}

func (ex *example) container(suffix string) string {
	return "dgen-e2e-" + ex.name + suffix
}

// runWeb starts the app with its port published on 127.0.0.1 and checks it
// answers HTTP, runs as non-root and turns healthy.
func (ex *example) runWeb() {
	port := ex.portNumber()
	hostPort, err := freePort()
	if err != nil {
		ex.r.Failf("find a free port: %v", err)
		return
	}
	name := ex.container("")
	removeContainer(name)
	out, err := run(time.Minute, "podman", "run", "-d", "--name", name, "-p", fmt.Sprintf("127.0.0.1:%d:%d", hostPort, port), ex.image)
	if err != nil {
		ex.r.Failf("podman run: %v\n%s", err, tail(out, 10))
		return
	}
	path := ex.healthPath()
	url := fmt.Sprintf("http://127.0.0.1:%d%s", hostPort, path)
	code, took, err := waitHTTP(url, path != "/")
	if err != nil {
		ex.r.Failf("no HTTP answer from %s within %s: %v; %s", url, answerTimeout, err, containerState(name))
	} else {
		ex.r.Okf("answers HTTP %d on %s after %.1fs", code, path, took.Seconds())
	}
	ex.checkProcesses(name)
	ex.waitHealthy(name)
}

// healthPath is the path the image's HEALTHCHECK requests, or "/".
func (ex *example) healthPath() string {
	if ex.plan != nil && ex.plan.Healthcheck != nil && ex.plan.Healthcheck.Path != "" {
		return ex.plan.Healthcheck.Path
	}
	if hc := ex.cfg.Healthcheck; hc != nil {
		for _, a := range hc.Test {
			if m := regexp.MustCompile(`^https?://[^/]+(/\S*)$`).FindStringSubmatch(a); m != nil {
				return m[1]
			}
		}
	}
	return "/"
}

// runWorker starts a worker and checks it stays up and runs as non-root.
func (ex *example) runWorker() {
	name := ex.container("")
	removeContainer(name)
	out, err := run(time.Minute, "podman", "run", "-d", "--name", name, ex.image)
	if err != nil {
		ex.r.Failf("podman run: %v\n%s", err, tail(out, 10))
		return
	}
	time.Sleep(workerSettle)
	if state, _ := run(time.Minute, "podman", "inspect", "--format", "{{.State.Running}}", name); strings.TrimSpace(string(state)) != "true" {
		ex.r.Failf("the worker stopped within %s: %s", workerSettle, containerState(name))
		return
	}
	ex.r.Okf("the worker is still running after %s", workerSettle)
	ex.checkProcesses(name)
	if ex.hasHealthcheck() {
		ex.waitHealthy(name)
	}
}

func (ex *example) hasHealthcheck() bool {
	hc := ex.cfg.Healthcheck
	return hc != nil && len(hc.Test) > 0 && hc.Test[0] != "NONE"
}

// checkProcesses fails if any process in the container runs as root.
func (ex *example) checkProcesses(name string) {
	out, err := run(time.Minute, "podman", "top", name, "user", "pid", "args")
	if err != nil {
		ex.r.Failf("podman top: %v\n%s", err, tail(out, 5))
		return
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var root, users []string
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if f[0] == "root" || f[0] == "0" {
			root = append(root, strings.TrimSpace(l))
		}
		if !slices.Contains(users, f[0]) {
			users = append(users, f[0])
		}
	}
	if len(root) > 0 {
		ex.r.Failf("processes run as root: %s", strings.Join(root, "; "))
		return
	}
	ex.r.Okf("`podman top`: no process runs as root (%d processes, run by %s)", len(lines)-1, strings.Join(users, ", "))
}

// waitHealthy runs the image's HEALTHCHECK with podman healthcheck run
// (nothing schedules it here: no systemd) until it passes.
func (ex *example) waitHealthy(name string) {
	if !ex.hasHealthcheck() {
		ex.r.Failf("the image has no HEALTHCHECK (is BUILDAH_FORMAT=docker set? the OCI format drops it)")
		return
	}
	start := time.Now()
	var last []byte
	for time.Since(start) < answerTimeout {
		out, err := run(30*time.Second, "podman", "healthcheck", "run", name)
		if err == nil {
			ex.r.Okf("`podman healthcheck run` reports healthy after %.1fs (%s)", time.Since(start).Seconds(), strings.Join(ex.cfg.Healthcheck.Test[1:], " "))
			return
		}
		last = out
		time.Sleep(time.Second)
	}
	ex.r.Failf("the health check did not pass within %s: %s\n%s", answerTimeout, tail(last, 3), healthLog(name))
}

// startBroken starts the image with a command that never listens in place
// of the app (the busybox probe's sleep in distroless images, sleep
// elsewhere), so checkBrokenVariant can show the health check fails. It
// starts early so that its start period runs out while the app is checked.
func (ex *example) startBroken() {
	if !ex.hasHealthcheck() {
		return
	}
	var args []string
	switch {
	case ex.tools.busybox:
		args = []string{"--entrypoint", "/usr/local/bin/busybox", ex.image, "sleep", "600"}
		ex.brokenCmd = "/usr/local/bin/busybox sleep 600"
	case ex.tools.sleep:
		args = []string{"--entrypoint", "sleep", ex.image, "600"}
		ex.brokenCmd = "sleep 600"
	default:
		ex.r.Failf("broken variant: the image has neither sleep nor /usr/local/bin/busybox to run instead of the app")
		return
	}
	name := ex.container("-broken")
	removeContainer(name)
	out, err := run(time.Minute, "podman", append([]string{"run", "-d", "--name", name}, args...)...)
	if err != nil {
		ex.r.Failf("broken variant: podman run %s: %v\n%s", strings.Join(args, " "), err, tail(out, 5))
		ex.brokenCmd = ""
		return
	}
	ex.brokenStarted = time.Now()
}

// checkBrokenVariant checks that the health check notices the app is not
// there: podman healthcheck run must exit 1 with "unhealthy", and once the
// start period is over the container must turn unhealthy.
func (ex *example) checkBrokenVariant() {
	if ex.brokenCmd == "" {
		return
	}
	name := ex.container("-broken")
	defer removeContainer(name)
	hc := ex.cfg.Healthcheck
	// After the start period, Retries failed checks in a row make the
	// container unhealthy: allow for them and a few more.
	after := ex.brokenStarted.Add(hc.StartPeriod)
	if now := time.Now(); now.After(after) {
		after = now
	}
	deadline := after.Add(time.Duration(hc.Retries+2)*(hc.Timeout+time.Second) + 5*time.Second)
	first := true
	for first || time.Now().Before(deadline) {
		out, err := run(time.Minute, "podman", "healthcheck", "run", name)
		var exit *exec.ExitError
		if first {
			first = false
			if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), "unhealthy") {
				ex.r.Failf("broken variant (%s instead of the app): podman healthcheck run should exit 1 with \"unhealthy\", got %v: %s; %s",
					ex.brokenCmd, err, tail(out, 3), containerState(name))
				return
			}
		}
		status, _ := run(time.Minute, "podman", "inspect", "--format", "{{.State.Health.Status}}", name)
		if strings.TrimSpace(string(status)) == "unhealthy" {
			ex.r.Okf("broken variant (`%s` instead of the app): `podman healthcheck run` reports unhealthy, and the container turns unhealthy after the start period", ex.brokenCmd)
			return
		}
		time.Sleep(time.Second)
	}
	ex.r.Failf("broken variant: the container never turned unhealthy: %s", healthLog(name))
}

// buildNaive builds the naive single-stage Dockerfile of the same app.
func (ex *example) buildNaive() {
	if ex.plan == nil {
		ex.r.NaiveSkipped = "no plan from dgen"
		return
	}
	nv, err := harness.NaiveFor(ex.plan, os.DirFS(ex.dir))
	if err != nil {
		ex.r.NaiveSkipped = err.Error()
		return
	}
	var args []string
	keys := make([]string, 0, len(nv.Args))
	for k := range nv.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "--build-arg", k+"="+nv.Args[k])
	}
	// The naive image's base is the same as dgen's build stage.
	if !ex.ensureBaseImages([]string{nv.Args["BASE"]}) {
		return
	}
	_, took, err := ex.bud("naive-cold", ex.naiveImage(), filepath.Join(repoRoot, "examples", "e2e", "naive", nv.File), ex.naive, args...)
	if err != nil {
		ex.r.Failf("the naive baseline (examples/e2e/naive/%s) did not build: %v", nv.File, err)
		ex.r.NaiveSkipped = "its build failed"
		return
	}
	ex.r.Naive.Cold = took
	ex.r.Okf("the naive baseline (examples/e2e/naive/%s) builds cold in %.1fs", nv.File, took.Seconds())
	ex.naiveArgs = args
	ex.naiveFile = nv.File
	if out, err := run(time.Minute, "podman", "image", "inspect", "--format", "{{.Size}}", ex.naiveImage()); err == nil {
		ex.r.Naive.Bytes, _ = strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	}
}

func (ex *example) naiveImage() string {
	return "localhost/dgen-e2e-naive/" + ex.name + ":e2e"
}

// rebuild edits one source file in both copies and rebuilds both images,
// recording whether the dependency install came from the cache.
func (ex *example) rebuild() {
	file, err := harness.PickSourceFile(os.DirFS(ex.ctx), harness.ReadIgnore(ex.ignore))
	if err != nil {
		ex.r.Failf("rebuild: %v", err)
		return
	}
	ex.r.Edited = file
	for _, dir := range []string{ex.ctx, ex.naive} {
		f, err := os.OpenFile(filepath.Join(dir, file), os.O_APPEND|os.O_WRONLY, 0)
		if err == nil {
			_, err = f.WriteString(harness.EditComment(file))
			f.Close()
		}
		if err != nil {
			ex.r.Failf("rebuild: edit %s: %v", file, err)
			return
		}
	}
	out, took, err := ex.bud("rebuild", ex.image, filepath.Join(ex.ctx, "Dockerfile"), ex.ctx)
	if err != nil {
		ex.r.Failf("%v", err)
		return
	}
	ex.r.Dgen.Rebuild = took
	sum := harness.SummarizeRebuild(harness.ParseBuildLog(out))
	ex.r.Dgen.DepsCached = sum.DepsCached()
	switch {
	case sum.Rebuilt == 0:
		ex.r.Failf("rebuild after editing %s reused every step: the edit never reached the build (is the file excluded by .dockerignore?)", file)
	case strings.HasPrefix(sum.DepsCached(), "no"):
		ex.r.Failf("rebuild after editing %s ran the dependency install again (%s): the manifests must be copied and installed before the source", file, sum.DepsCached())
	default:
		ex.r.Okf("rebuild after editing %s takes %.1fs; %d of %d steps ran again; dependency install cached: %s", file, took.Seconds(), sum.Rebuilt, sum.Steps, sum.DepsCached())
	}
	if ex.naiveFile == "" {
		return
	}
	out, took, err = ex.bud("naive-rebuild", ex.naiveImage(), filepath.Join(repoRoot, "examples", "e2e", "naive", ex.naiveFile), ex.naive, ex.naiveArgs...)
	if err != nil {
		ex.r.Failf("the naive baseline did not rebuild: %v", err)
		return
	}
	ex.r.Naive.Rebuild = took
	ex.r.Naive.DepsCached = "n/a"
	for _, s := range harness.ParseBuildLog(out) {
		if s.Cmd() == "RUN" {
			// The naive file's first RUN is its install (or go build,
			// which downloads the modules).
			ex.r.Naive.DepsCached = map[bool]string{true: "yes", false: "no"}[s.Cached]
			break
		}
	}
}

func (ex *example) cleanup() {
	removeContainer(ex.container(""))
	removeContainer(ex.container("-broken"))
	// Removing the images also removes the intermediate layers only they
	// use, so repeated runs do not fill the disk.
	for _, id := range append([]string{ex.image, ex.naiveImage()}, ex.ids...) {
		run(time.Minute, "podman", "rmi", "-f", id)
	}
}

func removeContainer(name string) {
	run(time.Minute, "podman", "rm", "-f", "-t", "0", name)
}

// containerState describes a container that misbehaves: its state and the
// end of its log.
func containerState(name string) string {
	state, _ := run(time.Minute, "podman", "inspect", "--format", "status {{.State.Status}}, exit code {{.State.ExitCode}}", name)
	logs, _ := run(time.Minute, "podman", "logs", "--tail", "15", name)
	return fmt.Sprintf("container %s; its log:\n%s", strings.TrimSpace(string(state)), tail(logs, 15))
}

// healthLog is the output of the container's last health checks.
func healthLog(name string) string {
	out, _ := run(time.Minute, "podman", "inspect", "--format", "{{json .State.Health}}", name)
	return "health state: " + tail(out, 5)
}

// waitHTTP polls url until it answers (with a 2xx status if want2xx).
func waitHTTP(url string, want2xx bool) (int, time.Duration, error) {
	client := &http.Client{Timeout: 3 * time.Second}
	start := time.Now()
	var lastErr error
	for time.Since(start) < answerTimeout {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if !want2xx || resp.StatusCode/100 == 2 {
				return resp.StatusCode, time.Since(start), nil
			}
			lastErr = fmt.Errorf("status %s", resp.Status)
		} else {
			lastErr = err
		}
		time.Sleep(500 * time.Millisecond)
	}
	return 0, 0, lastErr
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// run runs a command with a timeout and returns its combined output.
func run(timeout time.Duration, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = nil
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		err = fmt.Errorf("%s %s: timed out after %s", name, strings.Join(args, " "), timeout)
	}
	return out, err
}

// tail returns the last n lines of out.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// writeBenchmarks writes docs/benchmarks.md from the results.
func writeBenchmarks() error {
	m := harness.Machine{Date: time.Now(), Took: time.Since(started), LoadStart: loadStart, LoadEnd: loadAverage()}
	if out, err := run(time.Minute, "nproc"); err == nil {
		m.CPUs, _ = strconv.Atoi(strings.TrimSpace(string(out)))
	} else {
		m.CPUs = runtime.NumCPU()
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		if f := regexp.MustCompile(`MemTotal:\s+(\d+) kB`).FindSubmatch(data); f != nil {
			kb, _ := strconv.Atoi(string(f[1]))
			m.MemoryMB = kb / 1024
		}
	}
	if data, err := os.ReadFile("/etc/os-release"); err == nil {
		if f := regexp.MustCompile(`(?m)^PRETTY_NAME="?([^"\n]*)`).FindSubmatch(data); f != nil {
			m.OS = string(f[1])
		}
	}
	m.Kernel = cmdLine("uname", "-r")
	m.Buildah = strings.TrimPrefix(cmdLine("buildah", "--version"), "buildah version ")
	m.Podman = strings.TrimPrefix(cmdLine("podman", "--version"), "podman version ")
	m.Suite = cmdLine("podman", "image", "inspect", "--format", `{{index .Labels "dgen.e2e.debian"}}`, "localhost/dgen-e2e/debian-base:trixie")
	m.Go = imageEnv("localhost/dgen-e2e/golang:host", "GOLANG_VERSION")
	m.Node = imageEnv("localhost/dgen-e2e/node:host", "NODE_VERSION")
	return os.WriteFile(filepath.Join(repoRoot, "docs", "benchmarks.md"), harness.Markdown(m, results), 0o644)
}

// loadAverage is the machine's 1-minute load average.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func cmdLine(name string, args ...string) string {
	out, err := run(time.Minute, name, args...)
	if err != nil {
		return ""
	}
	return firstLine(strings.TrimSpace(string(out)))
}

func imageEnv(image, key string) string {
	out, err := run(time.Minute, "podman", "image", "inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", image)
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(l, key+"="); ok {
			return v
		}
	}
	return ""
}
