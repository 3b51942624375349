//go:build e2e

package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/dgen-dev/dgen/examples/e2e/harness"
)

// The compose lane runs each example's generated compose.yaml for real on
// Podman with Debian's podman-compose (1.0.3 on Debian 12): up, every
// health check passing, the app answering on its published port and
// storing a value through its database, down with the volumes kept, up
// again with the value still there, then down -v. The Docker daemon here
// has no bridge network (no iptables), so compose's networks cannot exist
// on it: the lane runs on Podman only.
//
// podman-compose 1.0.3 starts the services in dependency order but does
// not wait for `condition: service_healthy`, and Podman without systemd
// runs no health check on a timer: the lane runs the health checks itself
// (`podman healthcheck run`) until each passes, and the examples' apps wait
// for their database themselves, as apps should.
const (
	// composeUpTimeout bounds one `podman-compose up -d`: the first one
	// builds the app's image.
	composeUpTimeout = 15 * time.Minute
	// composeHealthTimeout bounds the wait for every health check to
	// pass after an up: PostgreSQL's first start runs initdb.
	composeHealthTimeout = 3 * time.Minute
	// composeDataTimeout bounds a data check, the worker's part included.
	composeDataTimeout = 90 * time.Second
)

// composeCheck writes a value through an example's app and reads it
// back: write stores it (and may wait for a worker's part) and returns
// what read must find after the restart.
type composeCheck struct {
	what  string
	write func(base string) (string, error)
	read  func(base, token string) error
}

// composeChecks are the data checks of the examples whose compose.yaml
// runs here. A new example with a compose.yaml needs one: the lane fails
// without it.
var composeChecks = map[string]composeCheck{
	"node-postgres-redis": {
		what:  "POST /notes stores a note in PostgreSQL and queues it in Redis; the worker counts its words",
		write: notesWrite,
		read:  notesRead,
	},
}

// composeSkip is a compose.yaml the lane does not run, and why.
type composeSkip struct {
	name, reason string
}

// prepareCompose picks the examples whose compose.yaml the Podman lane
// runs: every one with a compose.yaml that DGEN_E2E_ONLY lets run (its
// name or "compose"), but those whose app cannot be built here (PyPI),
// which are skipped with the reason. Examples not prepared yet (the
// run names only "compose") are prepared here.
func prepareCompose(t *testing.T, specs []*spec) (runs []*spec, skipped []composeSkip) {
	prepared := map[string]*spec{}
	for _, s := range specs {
		prepared[s.name] = s
	}
	for _, name := range exampleNames(t) {
		if !wanted("compose") && !wanted(name) {
			continue
		}
		if _, err := os.Stat(filepath.Join(examplesDir, name, "compose.yaml")); err != nil {
			continue
		}
		if !slices.Contains(engines, "podman") {
			skipped = append(skipped, composeSkip{name, "the compose lane runs on Podman, and DGEN_E2E_ENGINES leaves it out (Docker's daemon here has no bridge network for compose's networks)"})
			continue
		}
		s := prepared[name]
		fresh := s == nil
		if fresh {
			// Base images are made only for an example that will run.
			s = &spec{name: name, dir: filepath.Join(examplesDir, name)}
			s.shared.Name = name
			s.ready = s.examine()
		}
		if s.ready && s.shared.Partial != "" {
			skipped = append(skipped, composeSkip{name, "its app cannot be built here: " + s.shared.Partial})
			continue
		}
		if fresh && s.ready {
			s.ready = ensureBaseImages(&s.shared, s.refs)
		}
		runs = append(runs, s)
	}
	return runs, skipped
}

// runCompose runs the compose lane after the Podman lane's examples.
func (l *lane) runCompose(t *testing.T) {
	for _, s := range l.composeRuns {
		if d, ok := t.Deadline(); ok && time.Until(d) < reserve {
			r := harness.Result{Name: "compose/" + s.name}
			r.Failf("not run: less than %s of the test's -timeout was left", reserve)
			l.compose = append(l.compose, r)
			continue
		}
		t.Run("compose/"+s.name, func(t *testing.T) {
			r := composeExample(t, s)
			l.compose = append(l.compose, r)
			report(t, &r)
		})
	}
}

// composeRun is one example's compose.yaml run.
type composeRun struct {
	t       *testing.T
	s       *spec
	r       *harness.Result
	dir     string // a copy of the example, with .env
	project string
	proj    *types.Project
	// base is the app's URL on this machine (its published port).
	base string
}

func composeExample(t *testing.T, s *spec) harness.Result {
	r := harness.Result{Name: "compose/" + s.name, Language: s.shared.Language, Kind: "compose.yaml"}
	if !s.ready {
		r.Failf("not run: the example could not be prepared (see its own result)")
		return r
	}
	if _, err := exec.LookPath("podman-compose"); err != nil {
		r.Failf("podman-compose is not installed: examples/e2e/run.sh installs it (Debian's podman-compose package)")
		return r
	}
	c := &composeRun{t: t, s: s, r: &r, project: "dgen-e2e-compose-" + s.name}
	start := time.Now()
	c.removeAll() // what an interrupted run left
	defer c.removeAll()
	if !c.setup() || !c.standIns() {
		return r
	}
	token, ok := c.firstRun()
	if ok {
		ok = c.downKeepsVolumes()
	}
	if ok {
		c.secondRun(token)
	}
	c.downVolumes()
	if r.Passed() {
		r.Okf("the compose run took %.0fs in all", time.Since(start).Seconds())
	}
	return r
}

// setup copies the example, writes .env from .env.example with test
// values, loads compose.yaml with the Compose Specification's loader and
// moves the app's published port to a free one.
func (c *composeRun) setup() bool {
	c.dir = filepath.Join(c.t.TempDir(), c.s.name)
	if err := os.CopyFS(c.dir, os.DirFS(c.s.dir)); err != nil {
		c.r.Failf("copy examples/%s: %v", c.s.name, err)
		return false
	}
	env, err := testDotEnv(filepath.Join(c.dir, ".env.example"), filepath.Join(c.dir, ".env"))
	if err != nil {
		c.r.Failf("%v", err)
		return false
	}
	file := filepath.Join(c.dir, "compose.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		c.r.Failf("%v", err)
		return false
	}
	// The loader adds COMPOSE_PROJECT_NAME to env.
	names := slices.Sorted(maps.Keys(env))
	c.proj, err = loadProject(c.dir, data, env, c.project)
	if err != nil {
		c.r.Failf("compose.yaml does not load with compose-go: %v", err)
		return false
	}
	app, ok := c.proj.Services["app"]
	if !ok || len(app.Ports) != 1 || app.Ports[0].HostIP != "127.0.0.1" {
		c.r.Failf("compose.yaml's app service publishes %+v; the lane expects one port on 127.0.0.1", app.Ports)
		return false
	}
	// The Docker lane runs apps on the host's own ports at the same time:
	// the app is published on a free port instead (the container's stays).
	p := app.Ports[0]
	free, err := freePort()
	if err != nil {
		c.r.Failf("find a free port: %v", err)
		return false
	}
	old := fmt.Sprintf("%q", fmt.Sprintf("127.0.0.1:%s:%d", p.Published, p.Target))
	if !strings.Contains(string(data), old) {
		c.r.Failf("compose.yaml has no %s line to publish the app on another port", old)
		return false
	}
	data = []byte(strings.Replace(string(data), old, fmt.Sprintf("%q", fmt.Sprintf("127.0.0.1:%d:%d", free, p.Target)), 1))
	if err := os.WriteFile(file, data, 0o644); err != nil {
		c.r.Failf("%v", err)
		return false
	}
	c.base = fmt.Sprintf("http://127.0.0.1:%d", free)
	c.r.Okf("compose.yaml loads with compose-go; .env written from .env.example with test values (%s); the app is published on 127.0.0.1:%d instead of %s", strings.Join(names, ", "), free, p.Published)
	return true
}

// testDotEnv writes .env with a random value (letters and digits, as
// .env.example asks) for every variable .env.example lists.
func testDotEnv(example, dotenv string) (types.Mapping, error) {
	data, err := os.ReadFile(example)
	if err != nil {
		return nil, fmt.Errorf("compose.yaml without .env.example: %v", err)
	}
	env := types.Mapping{}
	var b strings.Builder
	for _, line := range strings.Split(string(data), "\n") {
		k, _, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok || strings.HasPrefix(k, "#") {
			continue
		}
		buf := make([]byte, 12)
		if _, err := rand.Read(buf); err != nil {
			return nil, err
		}
		env[k] = "e2e" + hex.EncodeToString(buf)
		fmt.Fprintf(&b, "%s=%s\n", k, env[k])
	}
	return env, os.WriteFile(dotenv, []byte(b.String()), 0o600)
}

// loadProject loads compose.yaml as compose would, with .env's values.
func loadProject(dir string, data []byte, env types.Mapping, name string) (*types.Project, error) {
	return loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, "compose.yaml"), Content: data}},
		Environment: env,
	}, func(o *loader.Options) { o.SetProjectName(name, true) })
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// standIns makes the backing services' images (the app's base images
// were made when the example was prepared).
func (c *composeRun) standIns() bool {
	var refs []string
	for _, name := range c.serviceNames() {
		if svc := c.proj.Services[name]; svc.Build == nil && svc.Image != "" {
			refs = append(refs, svc.Image)
		}
	}
	start := time.Now()
	out, err := run(20*time.Minute, "bash", append([]string{filepath.Join(repoRoot, "examples", "e2e", "standins.sh")}, refs...)...)
	if err != nil {
		c.r.Failf("stand-ins for %s: %v\n%s", strings.Join(refs, ", "), err, tail(out, 15))
		return false
	}
	c.r.Okf("stand-ins %s ready in %.0fs", strings.Join(refs, ", "), time.Since(start).Seconds())
	return true
}

func (c *composeRun) serviceNames() []string {
	return slices.Sorted(maps.Keys(c.proj.Services))
}

// container is the container podman-compose 1.0.3 names for a service.
func (c *composeRun) container(service string) string {
	return c.project + "_" + service + "_1"
}

// compose runs podman-compose in the copy, logging to logDir.
func (c *composeRun) compose(step string, timeout time.Duration, args ...string) error {
	argv := append([]string{"-p", c.project}, args...)
	ctx, cancel := context.WithTimeout(context.Background(), within(timeout))
	defer cancel()
	cmd := exec.CommandContext(ctx, "podman-compose", argv...)
	cmd.Dir = c.dir
	out, err := cmd.CombinedOutput()
	logFile := filepath.Join(logDir, c.s.name+"-compose-"+step+".log")
	_ = os.WriteFile(logFile, out, 0o644)
	if ctx.Err() != nil {
		err = fmt.Errorf("timed out after %s", timeout)
	}
	if err != nil {
		return fmt.Errorf("podman-compose %s: %v (full log: %s)\n%s", strings.Join(argv, " "), err, logFile, tail(out, 20))
	}
	// podman-compose 1.0.3 goes on after a podman command fails and
	// still exits 0; the failure is only in its output.
	for _, line := range strings.Split(string(out), "\n") {
		if code, ok := strings.CutPrefix(strings.TrimSpace(line), "exit code: "); ok && code != "0" {
			return fmt.Errorf("podman-compose %s: a podman command exited %s (full log: %s)\n%s", strings.Join(argv, " "), code, logFile, tail(out, 20))
		}
	}
	return nil
}

// up runs `podman-compose up -d` (its log in logDir, named by logName)
// and waits for the services.
func (c *composeRun) up(logName, step string) bool {
	start := time.Now()
	if err := c.compose(logName, composeUpTimeout, "up", "-d"); err != nil {
		c.r.Failf("%v", err)
		return false
	}
	took := time.Since(start)
	healthy := c.waitHealthy()
	if healthy == nil {
		return false
	}
	c.r.Okf("%s: `podman-compose up -d` in %.0fs; %s healthy %.0fs later; every service running", step, took.Seconds(), strings.Join(healthy, ", "), time.Since(start.Add(took)).Seconds())
	return c.appAnswers(step)
}

// waitHealthy waits until every service whose container has a health
// check passes it, and checks every service runs. It returns the
// services with health checks, or nil after recording a failure.
func (c *composeRun) waitHealthy() []string {
	var checked, pending []string
	for _, name := range c.serviceNames() {
		has, err := c.hasHealthcheck(name)
		if err != nil {
			c.r.Failf("%v", err)
			return nil
		}
		if want, known := c.wantsHealthcheck(name); known && has != want {
			c.r.Failf("service %s: compose.yaml %s a health check, but its container has %s", name,
				map[bool]string{true: "gives it", false: "turns off"}[want], map[bool]string{true: "one", false: "none"}[has])
			return nil
		}
		if has {
			pending = append(pending, name)
			checked = append(checked, name)
		}
	}
	deadline := time.Now().Add(composeHealthTimeout)
	last := map[string]string{}
	for len(pending) > 0 && time.Now().Before(deadline) {
		var next []string
		for _, name := range pending {
			out, err := run(time.Minute, "podman", "healthcheck", "run", c.container(name))
			if err != nil {
				last[name] = strings.TrimSpace(string(out)) + " (" + err.Error() + ")"
				next = append(next, name)
			}
		}
		pending = next
		if len(pending) > 0 {
			time.Sleep(2 * time.Second)
		}
	}
	for _, name := range pending {
		c.r.Failf("service %s did not turn healthy within %s (last check: %s); %s", name, composeHealthTimeout, last[name], containerState(c.container(name)))
	}
	if len(pending) > 0 || !c.allRunning() {
		return nil
	}
	return checked
}

// hasHealthcheck reports whether the service's container has a health
// check: its own from compose.yaml or its image's.
func (c *composeRun) hasHealthcheck(service string) (bool, error) {
	out, err := run(time.Minute, "podman", "inspect", "--format", "{{json .Config.Healthcheck}}", c.container(service))
	if err != nil {
		return false, fmt.Errorf("service %s has no container %s after up: %v\n%s", service, c.container(service), err, tail(out, 5))
	}
	var hc *struct{ Test []string }
	if err := json.Unmarshal(out, &hc); err != nil {
		return false, fmt.Errorf("podman inspect %s: %v", c.container(service), err)
	}
	return hc != nil && len(hc.Test) > 0 && hc.Test[0] != "NONE", nil
}

// wantsHealthcheck says whether compose.yaml gives the service a health
// check: its own, or, when it says nothing, its image's (for the app's
// image, the plan's HEALTHCHECK). known is false for another image that
// compose.yaml gives none: only the image knows.
func (c *composeRun) wantsHealthcheck(service string) (want, known bool) {
	svc := c.proj.Services[service]
	if hc := svc.HealthCheck; hc != nil && (len(hc.Test) > 0 || hc.Disable) {
		return !hc.Disable && hc.Test[0] != "NONE", true
	}
	if svc.Build != nil {
		return c.s.plan != nil && c.s.plan.Healthcheck != nil, true
	}
	return false, false
}

// allRunning checks every service's container runs and has not been
// restarted (a worker too, which has no health check to show it): with
// restart: unless-stopped a process that keeps exiting is "running"
// between its restarts.
func (c *composeRun) allRunning() bool {
	ok := true
	for _, name := range c.serviceNames() {
		out, err := run(time.Minute, "podman", "inspect", "--format", "{{.State.Status}} {{.RestartCount}}", c.container(name))
		status, restarts, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
		switch {
		case err != nil || status != "running":
			c.r.Failf("service %s is not running: %s", name, containerState(c.container(name)))
			ok = false
		case restarts != "0":
			c.r.Failf("service %s was restarted %s times (it exits): %s", name, restarts, containerState(c.container(name)))
			ok = false
		}
	}
	return ok
}

// appAnswers checks the app's health path on its published port.
func (c *composeRun) appAnswers(step string) bool {
	path := "/"
	if p := c.s.plan; p != nil && p.Healthcheck != nil && p.Healthcheck.Path != "" {
		path = p.Healthcheck.Path
	}
	status, body, err := httpDo(http.MethodGet, c.base+path, "")
	if err != nil || status/100 != 2 {
		c.r.Failf("%s: GET %s%s on the published port: status %d, %v, %s; %s", step, c.base, path, status, err, body, containerState(c.container("app")))
		return false
	}
	return true
}

func httpDo(method, url, body string) (int, string, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, strings.TrimSpace(string(data)), err
}

// firstRun brings the stack up, then writes the example's value.
func (c *composeRun) firstRun() (string, bool) {
	if !c.up("up1", "first up") {
		return "", false
	}
	check, ok := composeChecks[c.s.name]
	if !ok {
		c.r.Failf("no data check for examples/%s: add one to composeChecks in examples/e2e/compose_test.go that writes through the app and reads it back", c.s.name)
		return "", false
	}
	token, err := check.write(c.base)
	if err != nil {
		c.r.Failf("data check (%s): %v; app: %s; %s", check.what, err, containerState(c.container("app")), c.workerStates())
		return "", false
	}
	if !c.allRunning() {
		return "", false
	}
	c.r.Okf("data written: %s (%s); every service still running, none restarted", check.what, token)
	return token, true
}

// workerStates describes the app's other processes for a failure.
func (c *composeRun) workerStates() string {
	var out []string
	for _, name := range c.serviceNames() {
		if svc := c.proj.Services[name]; svc.Build != nil && name != "app" {
			out = append(out, name+": "+containerState(c.container(name)))
		}
	}
	return strings.Join(out, "; ")
}

// downKeepsVolumes runs `podman-compose down` and checks the containers
// are gone and the named volumes stay.
func (c *composeRun) downKeepsVolumes() bool {
	start := time.Now()
	if err := c.compose("down", 5*time.Minute, "down"); err != nil {
		c.r.Failf("%v", err)
		return false
	}
	if left := c.listByLabel("ps", "-a", "--format", "{{.Names}}"); len(left) > 0 {
		c.r.Failf("containers left after down: %s", strings.Join(left, ", "))
		return false
	}
	vols := c.listByLabel("volume", "ls", "--format", "{{.Name}}")
	var missing []string
	for name := range c.proj.Volumes {
		if !slices.Contains(vols, c.project+"_"+name) {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		c.r.Failf("down removed the volumes %s (it must keep them; only down -v removes them)", strings.Join(missing, ", "))
		return false
	}
	c.r.Okf("`podman-compose down` in %.0fs: containers removed, volumes %s kept", time.Since(start).Seconds(), strings.Join(vols, ", "))
	return true
}

// secondRun brings the stack up again on the kept volumes and reads the
// value written before.
func (c *composeRun) secondRun(token string) {
	if !c.up("up2", "second up") {
		return
	}
	check := composeChecks[c.s.name]
	deadline := time.Now().Add(composeDataTimeout)
	for {
		err := check.read(c.base, token)
		if err == nil {
			c.r.Okf("after down and up, the data is still there (%s)", token)
			return
		}
		if time.Now().After(deadline) {
			c.r.Failf("after down and up, the data written before is gone: %v; %s", err, containerState(c.container("app")))
			return
		}
		time.Sleep(2 * time.Second)
	}
}

// downVolumes runs `podman-compose down -v` and checks the volumes went.
func (c *composeRun) downVolumes() {
	if err := c.compose("down-v", 5*time.Minute, "down", "-v"); err != nil {
		c.r.Failf("%v", err)
		return
	}
	if left := c.listByLabel("volume", "ls", "--format", "{{.Name}}"); len(left) > 0 {
		c.r.Failf("volumes left after down -v: %s", strings.Join(left, ", "))
	}
}

// listByLabel lists what podman-compose made for this project.
func (c *composeRun) listByLabel(args ...string) []string {
	args = append(args, "--filter", "label=io.podman.compose.project="+c.project)
	out, err := run(time.Minute, "podman", args...)
	if err != nil {
		return nil
	}
	return strings.Fields(string(out))
}

// removeAll removes what the run made: containers, volumes, networks
// (podman-compose 1.0.3's down leaves these), the images it built, and
// the build's layers.
func (c *composeRun) removeAll() {
	for _, name := range c.listByLabel("ps", "-a", "--format", "{{.Names}}") {
		run(time.Minute, "podman", "rm", "-f", "-t", "0", name)
	}
	for _, v := range c.listByLabel("volume", "ls", "--format", "{{.Name}}") {
		run(time.Minute, "podman", "volume", "rm", "-f", v)
	}
	for _, n := range c.listByLabel("network", "ls", "--format", "{{.Name}}") {
		run(time.Minute, "podman", "network", "rm", "-f", n)
	}
	out, _ := run(time.Minute, "podman", "images", "--format", "{{.Repository}}")
	for _, repo := range strings.Fields(string(out)) {
		if strings.HasPrefix(repo, "localhost/"+c.project+"_") {
			run(time.Minute, "podman", "rmi", "-f", repo)
		}
	}
	forgetBuilds()
}

// notesWrite posts a note (retrying while the app still waits for its
// database) and waits for the worker to count its words.
func notesWrite(base string) (string, error) {
	buf := make([]byte, 6)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	body := "compose e2e note " + hex.EncodeToString(buf)
	deadline := time.Now().Add(composeDataTimeout)
	for {
		status, resp, err := httpDo(http.MethodPost, base+"/notes", body)
		if err == nil && status == http.StatusCreated {
			break
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("POST /notes: status %d, %v, %s", status, err, resp)
		}
		time.Sleep(2 * time.Second)
	}
	for {
		err := notesRead(base, body)
		if err == nil {
			return body, nil
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("the note was stored but the worker did not count its words: %v", err)
		}
		time.Sleep(time.Second)
	}
}

// notesRead finds the note in GET /notes with its word count, which only
// the worker sets.
func notesRead(base, body string) error {
	status, resp, err := httpDo(http.MethodGet, base+"/notes", "")
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("GET /notes: status %d, %v, %s", status, err, resp)
	}
	var notes []struct {
		Body  string `json:"body"`
		Words *int   `json:"words"`
	}
	if err := json.Unmarshal([]byte(resp), &notes); err != nil {
		return fmt.Errorf("GET /notes: %v: %s", err, resp)
	}
	want := len(strings.Fields(body))
	for _, n := range notes {
		if n.Body != body {
			continue
		}
		if n.Words == nil || *n.Words != want {
			return fmt.Errorf("note %q has words %s, want %d", body, wordsString(n.Words), want)
		}
		return nil
	}
	return errors.New("GET /notes lacks the note " + strconv.Quote(body) + ": " + resp)
}

func wordsString(n *int) string {
	if n == nil {
		return "null"
	}
	return strconv.Itoa(*n)
}
