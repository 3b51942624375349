package verify

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Docker's defaults for a HEALTHCHECK that leaves them out.
const (
	defaultInterval = 30 * time.Second
	defaultTimeout  = 30 * time.Second
	defaultRetries  = 3
	// noHealthWait bounds the wait for an HTTP answer when the image has
	// no health check to set the pace.
	noHealthWait = 60 * time.Second
	// httpGrace is how long the port may stay silent once the health
	// check has decided.
	httpGrace = 10 * time.Second
)

// healthBudget is how long a container may take to turn healthy: its
// start period, then a first check and as many retries, each at most an
// interval plus a timeout apart.
func healthBudget(hc *ImageHealthcheck) time.Duration {
	if hc.Disabled() {
		return noHealthWait
	}
	interval, timeout, retries := hc.Interval, hc.Timeout, hc.Retries
	if interval <= 0 {
		interval = defaultInterval
	}
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	if retries <= 0 {
		retries = defaultRetries
	}
	return hc.StartPeriod + time.Duration(retries+1)*(interval+timeout) + 5*time.Second
}

// webWait is what polling a web app found.
type webWait struct {
	url        string
	status     int // the first answer below 500, or 0
	lastStatus int // the last answer, 5xx included
	httpErr    error
	answered   time.Duration
	health     string
	healthOut  string
	healthy    time.Duration
	decided    time.Time // when the health check decided
	exited     *ContainerInfo
}

func (w *webWait) done(wantHealth bool, now time.Time) bool {
	healthDone := !wantHealth || w.health == "healthy" || w.health == "unhealthy"
	if !healthDone {
		return false
	}
	if w.decided.IsZero() {
		w.decided = now
	}
	return w.status > 0 || w.health == "unhealthy" || now.Sub(w.decided) >= httpGrace
}

// checkWeb polls the app from the host and its health check until both
// have answered, the container exits or the health check's own time runs
// out.
func (v *run) checkWeb(ctx context.Context) {
	if v.r.HostPort == 0 || v.failed("running") {
		return
	}
	hc := v.img.Healthcheck
	wantHealth := !hc.Disabled()
	path := "/"
	if h := v.o.Plan.Healthcheck; h != nil && h.Path != "" {
		path = h.Path
	}
	w := &webWait{url: fmt.Sprintf("http://127.0.0.1:%d%s", v.r.HostPort, path)}
	start := v.o.now()
	deadline := start.Add(healthBudget(hc))
	v.progress("waiting for %s and the health check (at most %s)", w.url, healthBudget(hc))
	for ctx.Err() == nil {
		v.pollWeb(ctx, w, wantHealth, start)
		if w.exited != nil || w.done(wantHealth, v.o.now()) || !v.o.now().Before(deadline) {
			break
		}
		if v.o.sleep(ctx, pollEvery) != nil {
			return
		}
	}
	if ctx.Err() != nil {
		return
	}
	v.reportWeb(w, hc, path, v.o.now().Sub(start))
}

func (v *run) pollWeb(ctx context.Context, w *webWait, wantHealth bool, start time.Time) {
	if w.status == 0 {
		code, err := v.o.httpGet(ctx, w.url)
		w.httpErr = err
		if err == nil {
			w.lastStatus = code
			if code < 500 {
				w.status, w.answered = code, v.o.now().Sub(start)
			}
		}
	}
	if wantHealth && w.health != "healthy" && w.health != "unhealthy" {
		status, out, err := v.eng.Health(ctx, v.r.Container)
		if err == nil {
			w.health, w.healthOut = status, out
			if status == "healthy" {
				w.healthy = v.o.now().Sub(start)
			}
		}
	}
	if ci, err := v.eng.InspectContainer(ctx, v.r.Container); err == nil && !ci.Running {
		w.exited = &ci
	}
}

func (v *run) reportWeb(w *webWait, hc *ImageHealthcheck, path string, waited time.Duration) {
	if w.exited != nil {
		v.r.failf("running", v.exitHint(context.Background(), *w.exited), "the container stopped after %.1fs: status %s, exit code %d", waited.Seconds(), w.exited.Status, w.exited.ExitCode)
	} else {
		v.r.passf("running", "the container is running after %.1fs", waited.Seconds())
	}
	switch {
	case hc.Disabled():
		v.r.failf("healthy", "dgen writes a HEALTHCHECK for every web app: regenerate with dgen init", "the image has no HEALTHCHECK")
	case w.health == "healthy":
		v.r.passf("healthy", "turned healthy after %.1fs under its own HEALTHCHECK (%s)", w.healthy.Seconds(), strings.Join(hc.Test[1:], " "))
	default:
		v.r.failf("healthy", healthHint(w.healthOut), "not healthy after %.1fs (status %q; the image allows %s: start period %s, then %d retries): last check said: %s",
			waited.Seconds(), w.health, healthBudget(hc)-5*time.Second, hc.StartPeriod, hc.Retries, orNothing(w.healthOut))
	}
	switch {
	case w.status > 0:
		v.r.passf("http", "answers HTTP %d on %s (container port %d) after %.1fs", w.status, w.url, v.r.Port, w.answered.Seconds())
	case w.lastStatus >= 500:
		v.r.failf("http", "", "%s answers HTTP %d: the app is up on the port but fails the request", w.url, w.lastStatus)
	default:
		v.r.failf("http", "", "no HTTP answer from %s (container port %d): %v", w.url, v.r.Port, w.httpErr)
	}
	if w.exited == nil {
		v.checkProcesses(context.Background())
	} else {
		v.r.add("processes", Skip, "the container is not running", "")
	}
}

// checkWorker waits the settle time and checks the worker is still up and
// exposes nothing.
func (v *run) checkWorker(ctx context.Context) {
	if len(v.img.Exposed) > 0 {
		v.r.failf("no-expose", "a worker listens on no port: drop EXPOSE, or if the app does serve, pass --port N to dgen init",
			"the plan says a worker (no port), but the image EXPOSEs %v", v.img.Exposed)
	} else {
		v.r.passf("no-expose", "the image EXPOSEs no port, as a worker should")
	}
	if v.failed("running") {
		return
	}
	v.progress("letting the worker run for %s", v.o.Settle)
	if v.o.sleep(ctx, v.o.Settle) != nil {
		return
	}
	ci, err := v.eng.InspectContainer(ctx, v.r.Container)
	switch {
	case err != nil:
		v.r.failf("running", "", "%v", err)
	case !ci.Running:
		v.r.failf("running", v.exitHint(ctx, ci), "the worker stopped within %s: status %s, exit code %d", v.o.Settle, ci.Status, ci.ExitCode)
		v.r.add("processes", Skip, "the container is not running", "")
	default:
		v.r.passf("running", "the worker is still running after %s", v.o.Settle)
		v.checkProcesses(ctx)
	}
}

// checkProcesses fails when any process in the container runs as root.
func (v *run) checkProcesses(ctx context.Context) {
	ps, err := v.eng.Processes(ctx, v.r.Container)
	if err != nil {
		v.r.failf("processes", "", "could not list the container's processes: %v", err)
		return
	}
	var root, users []string
	for _, p := range ps {
		if p.User == "root" || p.User == "0" {
			root = append(root, fmt.Sprintf("pid %s (%s)", p.PID, p.Args))
		}
		if !slices.Contains(users, p.User) {
			users = append(users, p.User)
		}
	}
	switch {
	case len(ps) == 0:
		v.r.failf("processes", "", "the engine listed no process in the container")
	case len(root) > 0:
		v.r.failf("processes", "run the app as the image's non-root USER; an entrypoint that starts as root and drops privileges still shows here",
			"%d of %d processes run as root: %s", len(root), len(ps), strings.Join(root, "; "))
	default:
		v.r.passf("processes", "no process runs as root (%d processes, run by %s)", len(ps), strings.Join(users, ", "))
	}
}

func (v *run) failed(id string) bool {
	for _, c := range v.r.Checks {
		if c.ID == id && c.Status == Fail {
			return true
		}
	}
	return false
}

func orNothing(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(nothing)"
	}
	return strings.Join(tailLines(s, 3), " | ")
}

// exitHint explains an exit code the kernel or runtime gave, reading the
// container's log for 126 and 127.
func (v *run) exitHint(ctx context.Context, ci ContainerInfo) string {
	switch {
	case ci.OOMKilled:
		return "the kernel killed it for using too much memory"
	case ci.ExitCode == 126 || ci.ExitCode == 127:
		logs, _ := v.eng.Logs(ctx, v.r.Container, logLines)
		return notRunHint(ci.ExitCode, logs)
	}
	return ""
}

// startFailureRe is the shell's or the runtime's own word that a program
// could not be started: "/bin/sh: 1: app: not found", "exec /app/x: no
// such file or directory", "env: 'node': No such file or directory", an
// OCI runtime's "executable file not found in $PATH" or "permission
// denied".
var startFailureRe = regexp.MustCompile(`(?i)\b(exec|executable|sh|bash|dash|ash|env|crun|runc|oci runtime)\b.*(not found|no such file or directory|permission denied)`)

// notRunHint blames the start command's path for exit code 126/127 only
// when the log is empty or its last line is the shell's or runtime's
// "not found"/"permission denied"; a program that wrote something else
// chose the code itself, so the hint points at its last line.
func notRunHint(code int, logs string) string {
	last := tailLines(logs, 1)
	if len(last) == 0 || startFailureRe.MatchString(last[0]) {
		return "the start command could not be run (127: not found, 126: not executable): check the ENTRYPOINT/CMD paths in the runtime stage"
	}
	return fmt.Sprintf("the program itself exited with %d after writing %q: read the log below (a missing argument or variable?)", code, last[0])
}
