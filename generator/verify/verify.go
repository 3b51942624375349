// Package verify proves an image dgen wrote: it builds the repository's
// Dockerfile with Docker or Podman, runs the image and checks it the way an
// operator would — numeric non-root user, no root process, a web app that
// turns healthy under its own HEALTHCHECK and answers HTTP from the host,
// a worker that stays up — and, when a check fails, says why in terms the
// user can act on (the port the app really listens on, the path it may not
// write, the variable it misses). `dgen verify` and the real-build test
// both call Verify.
package verify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/dgen-dev/dgen/generator"
)

// Check outcomes.
const (
	Pass = "pass"
	Fail = "fail"
	Skip = "skip"
)

// Check is one verdict with the evidence for it.
type Check struct {
	// ID names the check: env, build, user, processes, healthy, http,
	// running, no-expose, size, rebuild.
	ID string `json:"id"`
	// Status is pass, fail or skip.
	Status string `json:"status"`
	// Evidence is what was seen: times, values, the engine's words.
	Evidence string `json:"evidence"`
	// Hint says what probably caused a failure and what to change.
	Hint string `json:"hint,omitempty"`
}

// Rebuild holds the figures of the one-file rebuild.
type Rebuild struct {
	// Edited is the source file changed, relative to the repository.
	Edited  string  `json:"edited"`
	Seconds float64 `json:"seconds"`
	// Steps and Rerun count the build steps (FROM aside) and those that
	// ran again.
	Steps int `json:"steps"`
	Rerun int `json:"rerun"`
	// DepsReused is "yes", "no" or "n/a" (no install step found).
	DepsReused string `json:"depsReused"`
}

// Report is the result of one verification.
type Report struct {
	Dir    string `json:"dir"`
	Engine string `json:"engine"`
	Image  string `json:"image"`
	// Container is the container's name (kept with --keep).
	Container string `json:"container"`
	// Kind is "web" or "worker", from the plan.
	Kind string `json:"kind"`
	// Port is the container port checked; HostPort where it was
	// published on 127.0.0.1.
	Port     int `json:"port,omitempty"`
	HostPort int `json:"hostPort,omitempty"`
	// EnvFile is the environment file the container got, if any.
	EnvFile      string   `json:"envFile,omitempty"`
	BuildSeconds float64  `json:"buildSeconds"`
	SizeBytes    int64    `json:"sizeBytes,omitempty"`
	Rebuild      *Rebuild `json:"rebuild,omitempty"`
	Checks       []Check  `json:"checks"`
	// Logs are the container's last lines when a check failed.
	Logs []string `json:"logs,omitempty"`
	// Kept is true when the image and container were left for --keep.
	Kept bool `json:"kept,omitempty"`
}

// Passed reports whether no check failed.
func (r *Report) Passed() bool {
	for _, c := range r.Checks {
		if c.Status == Fail {
			return false
		}
	}
	return len(r.Checks) > 0
}

// Failed lists the IDs of the failed checks.
func (r *Report) Failed() []string {
	var ids []string
	for _, c := range r.Checks {
		if c.Status == Fail {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

func (r *Report) add(id, status, evidence, hint string) *Check {
	r.Checks = append(r.Checks, Check{ID: id, Status: status, Evidence: evidence, Hint: hint})
	return &r.Checks[len(r.Checks)-1]
}

func (r *Report) passf(id, format string, args ...any) {
	r.add(id, Pass, fmt.Sprintf(format, args...), "")
}

func (r *Report) failf(id, hint, format string, args ...any) *Check {
	return r.add(id, Fail, fmt.Sprintf(format, args...), hint)
}

// Options says what to verify and how.
type Options struct {
	// Dir is the repository folder: the build context, holding the
	// Dockerfile.
	Dir string
	// Plan is dgen's plan for Dir (generator.Resolve): worker or web
	// app, port, health check path, user.
	Plan *generator.Plan
	// Engine builds and runs (see Choose).
	Engine Engine
	// EnvFile is the environment for the container. Empty: the
	// repository's .env.example or .env.sample when present (never .env).
	EnvFile string
	// Keep leaves the image and container in place.
	Keep bool
	// Rebuild also edits one source file in a copy of the context and
	// rebuilds, to show the dependency layer is reused.
	Rebuild bool
	// Settle is how long a worker must stay up (default 5s).
	Settle time.Duration
	// Progress, when set, receives one line per step as it starts.
	Progress io.Writer

	// Hooks for tests; nil means the real thing.
	now      func() time.Time
	sleep    func(context.Context, time.Duration) error
	readFile func(string) ([]byte, error)
	// socketInodes lists a host process's sockets by inode.
	socketInodes func(pid int) (map[string]bool, error)
	freePort     func() (int, error)
	httpGet      func(ctx context.Context, url string) (int, error)
	suffix       string
}

// pollEvery is how often the health check, the HTTP port and a container's
// state are polled.
const pollEvery = time.Second

// logLines is how many of the container's last log lines a failure shows.
const logLines = 20

func (o *Options) defaults() {
	if o.Settle == 0 {
		o.Settle = 5 * time.Second
	}
	if o.now == nil {
		o.now = time.Now
	}
	if o.sleep == nil {
		o.sleep = sleepCtx
	}
	if o.readFile == nil {
		o.readFile = os.ReadFile
	}
	if o.socketInodes == nil {
		o.socketInodes = socketInodes
	}
	if o.freePort == nil {
		o.freePort = freePort
	}
	if o.httpGet == nil {
		o.httpGet = httpGet
	}
	if o.suffix == "" {
		var b [3]byte
		_, _ = rand.Read(b[:])
		o.suffix = hex.EncodeToString(b[:])
	}
}

// ErrNoDockerfile is returned when the folder has no Dockerfile to verify.
var ErrNoDockerfile = errors.New("no Dockerfile")

// run is one verification in progress.
type run struct {
	o      *Options
	r      *Report
	eng    Engine
	img    ImageInfo
	env    envFile
	images []string
	// started is true once the container was started.
	started bool
}

// Verify builds the Dockerfile in o.Dir, runs the image and returns a
// report of every check. The error is for what stopped verification
// itself (no Dockerfile, a bad env file, an engine that fails to run, a
// cancelled context); a failing image is a report with failed checks.
// Everything it created is removed before it returns, cancelled or not,
// unless o.Keep.
func Verify(ctx context.Context, o Options) (*Report, error) {
	if o.Plan == nil || o.Engine == nil {
		return nil, errors.New("verify: a plan and an engine are required")
	}
	o.defaults()
	df := filepath.Join(o.Dir, "Dockerfile")
	if _, err := os.Stat(df); err != nil {
		return nil, fmt.Errorf("%w in %s: run dgen init first", ErrNoDockerfile, o.Dir)
	}
	name := "dgen-verify-" + slug(o.Dir) + "-" + o.suffix
	r := &Report{Dir: o.Dir, Engine: o.Engine.Name(), Image: name + ":latest", Container: name, Kind: "worker"}
	if o.Plan.Port != nil {
		r.Kind, r.Port = "web", *o.Plan.Port
	}
	v := &run{o: &o, r: r, eng: o.Engine}
	env, err := loadEnv(o.Dir, o.EnvFile)
	if err != nil {
		return nil, err
	}
	v.env = env
	defer v.env.remove()
	r.EnvFile = env.source
	v.checkRequiredEnv()
	defer v.cleanup()
	err = v.steps(ctx)
	if ctx.Err() != nil {
		return r, ctx.Err()
	}
	return r, err
}

func (v *run) steps(ctx context.Context) error {
	if !v.build(ctx) {
		return nil
	}
	if err := v.inspect(ctx); err != nil {
		return err
	}
	if err := v.start(ctx); err != nil || !v.started {
		return err
	}
	if v.r.Kind == "web" {
		v.checkWeb(ctx)
	} else {
		v.checkWorker(ctx)
	}
	v.explain(ctx)
	if v.o.Rebuild {
		v.rebuild(ctx)
	}
	return ctx.Err()
}

func (v *run) progress(format string, args ...any) {
	if v.o.Progress != nil {
		fmt.Fprintf(v.o.Progress, "verify: "+format+"\n", args...)
	}
}

// cleanup removes what verify created, with a context of its own: it
// must run after Ctrl-C too.
func (v *run) cleanup() {
	if v.o.Keep {
		v.r.Kept = true
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if v.started {
		_ = v.eng.RemoveContainer(ctx, v.r.Container)
	}
	for _, id := range append([]string{v.r.Image}, v.images...) {
		_ = v.eng.RemoveImage(ctx, id)
	}
}

func (v *run) build(ctx context.Context) bool {
	v.progress("building %s with %s", v.o.Dir, v.eng.Name())
	start := v.o.now()
	out, err := v.eng.Build(ctx, v.o.Dir, filepath.Join(v.o.Dir, "Dockerfile"), v.r.Image)
	took := v.o.now().Sub(start)
	v.r.BuildSeconds = took.Seconds()
	if ctx.Err() != nil {
		return false
	}
	if err != nil {
		step := failingStep(out)
		if step == "" {
			step = "(no step reached)"
		}
		v.r.failf("build", buildHint(out), "build failed after %.1fs at %s:\n%s", took.Seconds(), step, indent(tailLines(string(out), 15)))
		return false
	}
	v.r.passf("build", "built in %.1fs with %s", took.Seconds(), v.eng.Name())
	return true
}

func (v *run) inspect(ctx context.Context) error {
	img, err := v.eng.InspectImage(ctx, v.r.Image)
	if err != nil {
		return err
	}
	v.img = img
	if img.ID != "" {
		v.images = append(v.images, img.ID)
	}
	v.r.SizeBytes = img.Size
	v.r.passf("size", "image size %.1f MB", float64(img.Size)/1e6)
	v.checkUser()
	return nil
}

var uidRE = regexp.MustCompile(`^\d+$`)

func (v *run) checkUser() {
	user := v.img.User
	uid, _, _ := strings.Cut(user, ":")
	const rule = "end the runtime stage with USER <uid>:<gid> (a number, so a runtime can tell without /etc/passwd that it is not root)"
	switch {
	case user == "":
		v.r.failf("user", rule, "the image config has no USER: the container runs as root")
	case !uidRE.MatchString(uid):
		v.r.failf("user", rule, "the image USER is %q, a name: a runtime cannot tell whether it is root", user)
	case uid == "0" || strings.Trim(uid, "0") == "":
		v.r.failf("user", rule, "the image USER is %q: root", user)
	default:
		v.r.passf("user", "image config User is %s (numeric, not root)", user)
	}
}

// start publishes the port and starts the container.
func (v *run) start(ctx context.Context) error {
	spec := RunSpec{Name: v.r.Container, Image: v.r.Image, EnvFile: v.env.path}
	if v.r.Kind == "web" {
		port, ok := v.webPort()
		if !ok {
			return nil
		}
		host, err := v.hostPort(port)
		if err != nil {
			v.r.failf("http", "", "%v", err)
			return nil
		}
		spec.Port, spec.HostPort = port, host
		v.r.Port, v.r.HostPort = port, host
	}
	v.progress("starting container %s", spec.Name)
	if err := v.eng.Run(ctx, spec); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// A failed start may still have created the container.
		v.started = true
		v.r.failf("running", "", "the container did not start: %v", err)
		return nil
	}
	v.started = true
	return nil
}

// webPort is the port to check: the plan's when the image EXPOSEs it.
func (v *run) webPort() (int, bool) {
	want := v.r.Port
	for _, p := range v.img.Exposed {
		if p == want {
			return want, true
		}
	}
	if len(v.img.Exposed) == 0 {
		v.r.failf("http", fmt.Sprintf("add EXPOSE %d to the runtime stage (dgen init writes it)", want),
			"the plan says a web app on port %d, but the image EXPOSEs no port", want)
		return 0, false
	}
	v.r.failf("http", fmt.Sprintf("the Dockerfile and the plan disagree: regenerate with dgen init, or pass --port %d if the app listens there", v.img.Exposed[0]),
		"the plan says port %d, but the image EXPOSEs %v", want, v.img.Exposed)
	return 0, false
}

// hostPort picks where to publish port on 127.0.0.1: a free port, or the
// port itself when containers share the host's network.
func (v *run) hostPort(port int) (int, error) {
	if !v.eng.HostNetwork() {
		return v.o.freePort()
	}
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return 0, fmt.Errorf("port %d is already in use on this host, and this %s daemon runs containers on the host's network (no bridge), so the app cannot listen there", port, v.eng.Name())
	}
	l.Close()
	return port, nil
}

func slug(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	s := strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(filepath.Base(abs)), "-"), "-")
	if s == "" {
		s = "app"
	}
	if len(s) > 40 {
		s = strings.Trim(s[:40], "-")
	}
	return s
}

func indent(lines []string) string {
	return "    " + strings.Join(lines, "\n    ")
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func httpGet(ctx context.Context, url string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
