package verify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dgen-dev/dgen/generator"
)

// fakeEngine is a scripted Engine: each call answers from its fields and
// is recorded, so a test can check what verify asked for and removed.
type fakeEngine struct {
	name     string
	hostNet  bool
	builds   [][]byte // output of each Build call in turn; the last repeats
	buildErr error
	image    ImageInfo
	runErr   error
	// runningFor is how many InspectContainer calls see the container
	// running (0: always running, -1: never).
	runningFor int
	exit       ContainerInfo
	pid        int
	// health are the statuses of successive Health calls; the last
	// repeats.
	health    []string
	healthOut string
	procs     []Process
	logs      string
	exec      map[string]string // argv[0] → output of a command that succeeds
	execFail  map[string]string // argv[0] → output of one that exits 1

	calls    []string
	run      RunSpec
	envSeen  string
	inspects int
	healthN  int
}

func (f *fakeEngine) Name() string {
	if f.name == "" {
		return "podman"
	}
	return f.name
}

func (f *fakeEngine) HostNetwork() bool { return f.hostNet }

func (f *fakeEngine) record(format string, args ...any) {
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

func (f *fakeEngine) Build(ctx context.Context, dir, dockerfile, tag string) ([]byte, error) {
	n := len(f.calls)
	f.record("build %s", tag)
	builds := 0
	for _, c := range f.calls[:n] {
		if strings.HasPrefix(c, "build ") {
			builds++
		}
	}
	out := []byte("STEP 1/1: FROM scratch\n")
	if len(f.builds) > 0 {
		out = f.builds[min(builds, len(f.builds)-1)]
	}
	if builds == 0 && f.buildErr != nil {
		return out, f.buildErr
	}
	return out, ctx.Err()
}

func (f *fakeEngine) InspectImage(_ context.Context, ref string) (ImageInfo, error) {
	f.record("inspect-image %s", ref)
	return f.image, nil
}

func (f *fakeEngine) Run(_ context.Context, r RunSpec) error {
	f.record("run %s", r.Name)
	f.run = r
	if r.EnvFile != "" {
		data, _ := os.ReadFile(r.EnvFile)
		f.envSeen = string(data)
	}
	return f.runErr
}

func (f *fakeEngine) InspectContainer(_ context.Context, name string) (ContainerInfo, error) {
	f.inspects++
	if f.runningFor < 0 || f.runningFor > 0 && f.inspects > f.runningFor {
		return f.exit, nil
	}
	return ContainerInfo{Running: true, Status: "running", Pid: f.pid}, nil
}

func (f *fakeEngine) Health(_ context.Context, name string) (string, string, error) {
	f.healthN++
	if len(f.health) == 0 {
		return "", "", nil
	}
	return f.health[min(f.healthN-1, len(f.health)-1)], f.healthOut, nil
}

func (f *fakeEngine) Processes(_ context.Context, name string) ([]Process, error) {
	f.record("top %s", name)
	return f.procs, nil
}

func (f *fakeEngine) Exec(_ context.Context, name string, argv ...string) ([]byte, error) {
	f.record("exec %s", strings.Join(argv, " "))
	if out, ok := f.exec[argv[0]]; ok {
		return []byte(out), nil
	}
	if out, ok := f.execFail[argv[0]]; ok {
		return []byte(out), errors.New("exit status 1")
	}
	return []byte(fmt.Sprintf("exec failed: unable to start container process: exec: %q: stat %s: no such file or directory", argv[0], argv[0])), errors.New("exit status 127")
}

func (f *fakeEngine) Logs(_ context.Context, name string, n int) (string, error) {
	return f.logs, nil
}

func (f *fakeEngine) RemoveContainer(_ context.Context, name string) error {
	f.record("rm %s", name)
	return nil
}

func (f *fakeEngine) RemoveImage(_ context.Context, ref string) error {
	f.record("rmi %s", ref)
	return nil
}

// fakeClock advances only when verify sleeps, so waits cost no time.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.t = c.t.Add(d)
	return nil
}

// answers scripts httpGet: each call takes the next answer; the last
// repeats. A zero code is a refused connection.
func answers(codes ...int) func(context.Context, string) (int, error) {
	n := 0
	return func(_ context.Context, url string) (int, error) {
		c := codes[min(n, len(codes)-1)]
		n++
		if c == 0 {
			return 0, fmt.Errorf("dial tcp %s: connection refused", strings.TrimPrefix(url, "http://"))
		}
		return c, nil
	}
}

// repo writes a repository with a Dockerfile (and the given files) and
// returns its folder.
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "My App")
	all := map[string]string{"Dockerfile": "FROM scratch\n"}
	for k, v := range files {
		all[k] = v
	}
	for name, data := range all {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func webPlan(port int) *generator.Plan {
	return &generator.Plan{Language: "go", Port: &port,
		Healthcheck: &generator.Healthcheck{Cmd: []string{"/usr/local/bin/busybox", "wget", "http://127.0.0.1:8080/healthz"}, Path: "/healthz"}}
}

func workerPlan() *generator.Plan { return &generator.Plan{Language: "python"} }

// goodImage is a web image as dgen writes it.
func goodImage() ImageInfo {
	return ImageInfo{ID: "sha256:abc", User: "65532:65532", Exposed: []int{8080}, Size: 6_300_000,
		Healthcheck: &ImageHealthcheck{Test: []string{"CMD", "/usr/local/bin/busybox", "wget", "-q", "http://127.0.0.1:8080/healthz"},
			Interval: 30 * time.Second, Timeout: 5 * time.Second, StartPeriod: 10 * time.Second, Retries: 3}}
}

func goodEngine() *fakeEngine {
	return &fakeEngine{image: goodImage(), pid: 4242, health: []string{"starting", "healthy"},
		procs: []Process{{User: "nonroot", PID: "1", Args: "/app"}}}
}

// verifyWith runs Verify on the fake with a fake clock and scripted HTTP.
func verifyWith(t *testing.T, dir string, p *generator.Plan, f *fakeEngine, get func(context.Context, string) (int, error), tweak ...func(*Options)) *Report {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	o := Options{Dir: dir, Plan: p, Engine: f, now: clock.now, sleep: clock.sleep, httpGet: get,
		freePort: func() (int, error) { return 41234, nil }, suffix: "abc123",
		readFile: func(string) ([]byte, error) { return nil, os.ErrNotExist }}
	for _, fn := range tweak {
		fn(&o)
	}
	r, err := Verify(context.Background(), o)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return r
}

// status returns the status of check id, or "absent".
func status(r *Report, id string) string {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status
		}
	}
	return "absent"
}

func check(t *testing.T, r *Report, id string) Check {
	t.Helper()
	for _, c := range r.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no %s check in %+v", id, r.Checks)
	return Check{}
}

func wantStatuses(t *testing.T, r *Report, want map[string]string) {
	t.Helper()
	for id, s := range want {
		if got := status(r, id); got != s {
			t.Errorf("check %s: %s, want %s (%+v)", id, got, s, check(t, r, id))
		}
	}
}

func contains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s %q does not mention %q", what, got, w)
		}
	}
}
