//go:build e2e

// Package e2e is dgen's real-build test (make e2e). Every example is
// checked with `dgen verify` on two engines, Podman/Buildah and a Docker
// daemon with BuildKit: build, numeric non-root user, no root process, a
// web app that turns healthy and answers HTTP, a worker that stays up. The
// test adds what only a test of dgen itself can check: the committed
// Dockerfile is what dgen writes now, the image holds no compiler or
// package cache, its health check can fail as well as pass, deliberately
// broken copies fail verify for the right reason, and dgen's Dockerfile is
// compared with a naive single-stage one when DGEN_E2E_BENCH=1, which also
// writes docs/benchmarks.md from the measurements (CI leaves it off: the
// naive builds are a comparison, not a check, and cost a third of the run).
// Last, the Podman lane runs every example's compose.yaml with
// podman-compose (compose_test.go): up, healthy, data kept across down and
// up.
//
// Run it through examples/e2e/run.sh, which installs Podman, Buildah and
// Docker, configures them, starts the Docker daemon and gives the test an
// image store of its own; the test builds the stand-in base images it needs
// with standins.sh and loads them into the daemon. It needs root.
// DGEN_E2E_ONLY=name,name limits the run to some examples ("broken" names
// the broken copies, "compose" every compose run; an example's name runs
// its compose.yaml too), DGEN_E2E_ENGINES=podman (or docker) to one engine,
// and DGEN_E2E_EXAMPLES=folder takes the examples from another folder; each
// leaves docs/benchmarks.md alone. DGEN=path runs another dgen binary than
// bin/dgen.
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dgen-dev/dgen/examples/e2e/harness"
)

const (
	// buildTimeout bounds one build; the slowest cold build here takes
	// a few minutes on a busy machine.
	buildTimeout = 15 * time.Minute
	// verifyTimeout bounds one `dgen verify`: a build, the health
	// check's own time, and with --rebuild a second build.
	verifyTimeout = 25 * time.Minute
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
	// dockerBin is the Docker client verify and the test run
	// (DGEN_DOCKER, else docker).
	dockerBin string
	stateDir  string
	logDir    string
	engines   []string
	only      []string
	// lanes holds each engine's results, written by that engine's
	// subtest only.
	lanes = map[string]*lane{}
	// deadline is go test's -timeout: commands are cut three minutes
	// before it (within), so a lane that runs late ends with a failure,
	// not a panic that loses the summary.
	deadline  time.Time
	started   = time.Now()
	loadStart = loadAverage()
	load      = &loadWatch{}
)

// loadWatch keeps the highest load average seen while the test runs: the
// machine is shared, and its load explains slow builds.
type loadWatch struct {
	mu   sync.Mutex
	peak float64
	stop chan struct{}
	done chan struct{}
}

func (w *loadWatch) start() {
	w.stop, w.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(w.done)
		tick := time.NewTicker(15 * time.Second)
		defer tick.Stop()
		for {
			if f, err := strconv.ParseFloat(loadAverage(), 64); err == nil {
				w.mu.Lock()
				w.peak = max(w.peak, f)
				w.mu.Unlock()
			}
			select {
			case <-w.stop:
				return
			case <-tick.C:
			}
		}
	}()
}

// end stops watching and returns the peak.
func (w *loadWatch) end() string {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return strconv.FormatFloat(w.peak, 'f', 2, 64)
}

// lane is one engine's run over the examples, then the broken copies.
type lane struct {
	engine  string
	results []harness.Result
	broken  []harness.Result
	// composeRuns are the examples whose compose.yaml this lane runs
	// (Podman's only), compose their results and composeSkipped those
	// not run, with the reason.
	composeRuns    []*spec
	compose        []harness.Result
	composeSkipped []composeSkip
	took           time.Duration
}

func TestMain(m *testing.M) {
	load.start()
	code := m.Run()
	peak := load.end()
	passed, failed := summarize()
	fmt.Printf("e2e: load average %s at the start, %s at the end, %s at the highest (%d CPUs)\n", loadStart, loadAverage(), peak, runtime.NumCPU())
	if full() && benchmarking() && len(examplesOf("podman")) > 0 {
		if err := writeBenchmarks(peak); err != nil {
			fmt.Printf("e2e: write docs/benchmarks.md: %v\n", err)
			code = 1
		} else {
			fmt.Printf("e2e: wrote docs/benchmarks.md (run took %s)\n", time.Since(started).Round(time.Second))
		}
	}
	if passed+failed == 0 && code != 0 {
		// The test stopped before any example (no engine, no dgen binary).
		failed = 1
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 && code == 0 {
		code = 1
	}
	os.Exit(code)
}

// benchmarking reports whether DGEN_E2E_BENCH=1 asks for the naive
// baselines and docs/benchmarks.md.
func benchmarking() bool { return os.Getenv("DGEN_E2E_BENCH") == "1" }

// full reports a run of every example on every engine, the only kind that
// rewrites docs/benchmarks.md (with DGEN_E2E_BENCH=1).
func full() bool {
	return os.Getenv("DGEN_E2E_ONLY") == "" && os.Getenv("DGEN_E2E_EXAMPLES") == "" &&
		slices.Contains(engines, "podman") && slices.Contains(engines, "docker")
}

// summarize prints one line per example and per broken copy, and one per
// engine, and counts the cases: an example or a broken copy passes when it
// passes on every engine that ran it.
func summarize() (passed, failed int) {
	type verdict struct {
		ok       bool
		ran      []string
		failures []string
	}
	var order []string
	cases := map[string]*verdict{}
	for _, eng := range engines {
		l := lanes[eng]
		if l == nil {
			continue
		}
		ok := 0
		all := append(append(slices.Clone(l.results), l.broken...), l.compose...)
		for i := range all {
			r := &all[i]
			v := cases[r.Name]
			if v == nil {
				v = &verdict{ok: true}
				cases[r.Name] = v
				order = append(order, r.Name)
			}
			v.ran = append(v.ran, eng)
			if r.Passed() {
				ok++
				continue
			}
			v.ok = false
			v.failures = append(v.failures, eng+": "+firstLine(r.Failures[0]))
		}
		fmt.Printf("e2e: %s: %d of %d passed (%d examples, %d broken copies, %d compose runs) in %s\n",
			eng, ok, len(all), len(l.results), len(l.broken), len(l.compose), l.took.Round(time.Second))
		for _, sk := range l.composeSkipped {
			fmt.Printf("e2e: SKIP compose/%s: %s\n", sk.name, sk.reason)
		}
	}
	for _, name := range order {
		v := cases[name]
		if v.ok {
			passed++
			fmt.Printf("e2e: PASS %s (%s)\n", name, strings.Join(v.ran, ", "))
			continue
		}
		failed++
		fmt.Printf("e2e: FAIL %s: %s\n", name, strings.Join(v.failures, "; "))
	}
	return passed, failed
}

func examplesOf(engine string) []harness.Result {
	if l := lanes[engine]; l != nil {
		return l.results
	}
	return nil
}

// TestExamples prepares every example once (the golden files, the plan,
// the stand-in base images), then runs the engines side by side: each
// engine's lane verifies the examples one after the other, then the
// broken copies. Podman's lane also measures (cold build, one-file
// rebuild, the naive baseline); Docker's mostly waits for health checks,
// which its daemon runs only every 30 s, so running them together saves
// that time.
func TestExamples(t *testing.T) {
	setup(t)
	if d, ok := t.Deadline(); ok {
		deadline = d
	}
	specs := prepareAll(t)
	composeRuns, composeSkipped := prepareCompose(t, specs)
	for _, sk := range composeSkipped {
		t.Logf("compose/%s not run: %s", sk.name, sk.reason)
	}
	for _, eng := range engines {
		l := &lane{engine: eng}
		if eng == "podman" {
			l.composeRuns, l.composeSkipped = composeRuns, composeSkipped
		}
		lanes[eng] = l
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			defer func() { l.took = time.Since(start) }()
			l.run(t, specs)
		})
	}
}

func (l *lane) run(t *testing.T, specs []*spec) {
	if l.engine == "docker" {
		dockerFresh(t)
	}
	deadline, hasDeadline := t.Deadline()
	for _, s := range specs {
		// Stop starting examples well before go test's -timeout, which
		// would kill the run with no summary and no benchmarks.md.
		if hasDeadline && time.Until(deadline) < reserve {
			r := s.result()
			r.Failf("not run on %s: less than %s of the test's -timeout was left (the machine is slow or busy: see the load average in docs/benchmarks.md)", l.engine, reserve)
			l.results = append(l.results, r)
			t.Errorf("%s: %s", s.name, r.Failures[len(r.Failures)-1])
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			var r harness.Result
			if l.engine == "podman" {
				r = podmanExample(t, s)
			} else {
				r = dockerExample(t, s)
			}
			l.results = append(l.results, r)
			report(t, &r)
		})
	}
	if wanted("broken") {
		l.runBroken(t)
	}
	l.runCompose(t)
}

// runBroken verifies the broken copies.
func (l *lane) runBroken(t *testing.T) {
	deadline, hasDeadline := t.Deadline()
	for _, b := range brokenCopies() {
		if hasDeadline && time.Until(deadline) < reserve {
			r := harness.Result{Name: "broken/" + b.name}
			r.Failf("not run on %s: less than %s of the test's -timeout was left", l.engine, reserve)
			l.broken = append(l.broken, r)
			continue
		}
		t.Run("broken/"+b.name, func(t *testing.T) {
			r := b.check(t, l.engine)
			l.broken = append(l.broken, r)
			report(t, &r)
		})
	}
}

func report(t *testing.T, r *harness.Result) {
	for _, c := range r.Checks {
		t.Log("ok: " + c)
	}
	for _, f := range r.Failures {
		t.Error(f)
	}
	if r.NaiveSkipped != "" {
		t.Log("no naive baseline: " + r.NaiveSkipped)
	}
}

// within caps a command's timeout so that it ends three minutes before the
// test's own deadline: time for an interrupted verify to clean up.
func within(d time.Duration) time.Duration {
	if deadline.IsZero() {
		return d
	}
	return max(min(d, time.Until(deadline)-3*time.Minute), time.Second)
}

// wanted reports whether DGEN_E2E_ONLY lets name run.
func wanted(name string) bool {
	return only == nil || slices.Contains(only, name)
}

func setup(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("the real-build test runs Buildah, Podman and Docker as root: run it with examples/e2e/run.sh as root")
	}
	engines = strings.Split(os.Getenv("DGEN_E2E_ENGINES"), ",")
	if os.Getenv("DGEN_E2E_ENGINES") == "" {
		engines = []string{"podman", "docker"}
	}
	for _, e := range engines {
		if e != "podman" && e != "docker" {
			t.Fatalf("DGEN_E2E_ENGINES=%s: the engines are podman and docker", os.Getenv("DGEN_E2E_ENGINES"))
		}
	}
	if s := os.Getenv("DGEN_E2E_ONLY"); s != "" {
		only = strings.Split(s, ",")
	}
	// Podman stays needed with Docker alone: the stand-ins are built with
	// Buildah and handed to the daemon.
	tools := []string{"buildah", "podman", "debootstrap"}
	dockerBin = os.Getenv("DGEN_DOCKER")
	if dockerBin == "" {
		dockerBin = "docker"
	}
	if slices.Contains(engines, "docker") {
		tools = append(tools, dockerBin)
	}
	for _, tool := range tools {
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
	if slices.Contains(engines, "docker") && os.Getenv("DOCKER_HOST") == "" {
		t.Fatal("DOCKER_HOST is not set: run the test with examples/e2e/run.sh, which starts a Docker daemon of the test's own")
	}
	// A run that was killed may have left containers behind.
	removeLeftovers("podman")
	if slices.Contains(engines, "docker") {
		removeLeftovers(dockerBin)
	}
}

// removeLeftovers removes the containers an interrupted run left: the
// test's own and verify's.
func removeLeftovers(bin string) {
	for _, prefix := range []string{"dgen-e2e-", "dgen-verify-"} {
		out, err := run(time.Minute, bin, "ps", "-a", "--filter", "name=^"+prefix, "--format", "{{.Names}}")
		if err != nil {
			continue
		}
		for _, name := range strings.Fields(string(out)) {
			run(time.Minute, bin, "rm", "-f", name)
		}
	}
}

// exampleNames lists the examples: every folder under examples/ but e2e/
// and the check-* inputs of dgen check, so a new example is tested by being
// added there.
func exampleNames(t *testing.T) []string {
	ents, err := os.ReadDir(examplesDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		if e.IsDir() && e.Name() != "e2e" && e.Name() != "testdata" && !strings.HasPrefix(e.Name(), ".") && !strings.HasPrefix(e.Name(), "check-") {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		t.Fatalf("no examples under %s", examplesDir)
	}
	return names
}
