//go:build e2e

package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dgen-dev/dgen/examples/e2e/harness"
)

// example is one example's run on Podman.
type example struct {
	t *testing.T
	s *spec
	r *harness.Result
	// image and container are what `dgen verify --keep` left.
	image, container string
	naive            string // a copy of the example without Dockerfile and .dockerignore
	cfg              imageConfig
	tools            runtimeTools
	// ids are the image IDs built, removed at the end.
	ids []string
}

// podmanExample verifies one example on Podman and measures it: `dgen
// verify --rebuild` builds it cold (no layers left, cache mounts emptied),
// checks the image and container and rebuilds after a one-file edit. The
// test then looks inside the image it kept (no compiler, no package cache),
// shows the health check can fail, and builds the naive baseline when
// benchmarking.
func podmanExample(t *testing.T, s *spec) harness.Result {
	r := s.result()
	ex := &example{t: t, s: s, r: &r}
	defer ex.cleanup()
	if !s.ready {
		return r
	}
	if r.Partial != "" {
		ex.buildPartial()
		return r
	}
	forgetBuilds()
	v, err := dgenVerify("podman", s.dir, "--rebuild", "--keep")
	if v.rep != nil && v.rep.Kept {
		ex.image, ex.container = v.rep.Image, v.rep.Container
	}
	if err != nil {
		r.Failf("%v", err)
		return r
	}
	rep := v.rep
	record(&r, "podman", rep)
	r.Dgen.Cold = seconds(rep.BuildSeconds)
	r.Dgen.Bytes = rep.SizeBytes
	if rb := rep.Rebuild; rb != nil {
		r.Edited = rb.Edited
		r.Dgen.Rebuild = seconds(rb.Seconds)
		r.Dgen.DepsCached = rb.DepsReused
	}
	if r.Dgen.Cold == 0 || !ex.inspectImage() {
		return r
	}
	ex.checkFiles()
	ex.checkHealthCanFail()
	if benchmarking() {
		ex.buildNaive()
	} else {
		r.NaiveSkipped = "not measured (DGEN_E2E_BENCH=1 builds it)"
	}
	return r
}

func seconds(s float64) time.Duration {
	return time.Duration(s * float64(time.Second))
}

// bud runs buildah bud and returns its output and how long it took.
func (ex *example) bud(step, tag, dockerfile, context string, extra ...string) ([]byte, time.Duration, error) {
	args := []string{"bud", "--pull=never", "--format", "docker", "--layers", "--force-rm", "-t", tag, "-f", dockerfile}
	args = append(args, extra...)
	args = append(args, context)
	start := time.Now()
	out, err := run(within(buildTimeout), "buildah", args...)
	took := time.Since(start)
	logFile := filepath.Join(logDir, ex.s.name+"-"+step+".log")
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
// 0. verify needs the whole image, so this is the test's own build.
func (ex *example) buildPartial() {
	df := filepath.Join(ex.t.TempDir(), "Dockerfile.partial")
	if err := os.WriteFile(df, ex.s.prefix, 0o644); err != nil {
		ex.r.Failf("%v", err)
		return
	}
	forgetBuilds()
	tag := "localhost/dgen-e2e-example/" + ex.s.name + ":partial"
	ex.ids = append(ex.ids, tag)
	_, took, err := ex.bud("partial", tag, df, ex.s.dir)
	ex.r.Dgen.Cold = took
	if err != nil {
		ex.r.Failf("%v", err)
		return
	}
	ex.r.Okf("%s of the Dockerfile build with Buildah in %.1fs", partWhat(ex.s.upto), took.Seconds())
}

func partWhat(upto int) string {
	if upto > 0 {
		return fmt.Sprintf("lines 1–%d", upto-1)
	}
	return "everything but the stages that need an image that cannot be had"
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

// imageConfig is the part of `podman image inspect` the test reads.
// (Podman reports the Docker-format HEALTHCHECK beside the OCI config,
// which has no field for it.)
type imageConfig struct {
	Config struct {
		User string
	}
	Healthcheck *struct {
		Test        []string
		StartPeriod time.Duration
		Timeout     time.Duration
		Retries     int
	}
}

// inspectImage reads the kept image and checks its user is the one the
// plan says (verify checks it is numeric and not root).
func (ex *example) inspectImage() bool {
	out, err := run(time.Minute, "podman", "image", "inspect", ex.image)
	if err != nil {
		ex.r.Failf("podman image inspect %s (kept by dgen verify --keep): %v\n%s", ex.image, err, tail(out, 5))
		return false
	}
	var cfgs []imageConfig
	if err := json.Unmarshal(out, &cfgs); err != nil || len(cfgs) != 1 {
		ex.r.Failf("podman image inspect: unexpected output (%v)", err)
		return false
	}
	ex.cfg = cfgs[0]
	uid, _, _ := strings.Cut(ex.cfg.Config.User, ":")
	if p := ex.s.plan; p != nil && p.User.UID != 0 && uid != strconv.Itoa(p.User.UID) {
		ex.r.Failf("image USER is %q but dgen plan says uid %d", ex.cfg.Config.User, p.User.UID)
	}
	return true
}

// runtimeTools is what the runtime image offers to run instead of the app
// (for the health check that must fail).
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

func (ex *example) hasHealthcheck() bool {
	hc := ex.cfg.Healthcheck
	return hc != nil && len(hc.Test) > 0 && hc.Test[0] != "NONE"
}

// checkHealthCanFail runs the image with the app replaced by a command that
// never listens (the busybox probe's sleep in distroless images, sleep
// elsewhere): `podman healthcheck run` must exit 1 with "unhealthy", and
// once the start period is over the container must turn unhealthy. verify
// shows the health check passes; this shows it is not one that always does.
func (ex *example) checkHealthCanFail() {
	if !ex.hasHealthcheck() {
		return
	}
	var args []string
	var what string
	switch {
	case ex.tools.busybox:
		args = []string{"--entrypoint", "/usr/local/bin/busybox", ex.image, "sleep", "600"}
		what = "/usr/local/bin/busybox sleep 600"
	case ex.tools.sleep:
		args = []string{"--entrypoint", "sleep", ex.image, "600"}
		what = "sleep 600"
	default:
		ex.r.Failf("health check that must fail: the image has neither sleep nor /usr/local/bin/busybox to run instead of the app")
		return
	}
	name := "dgen-e2e-" + ex.s.name + "-sleeping"
	removeContainer(name)
	defer removeContainer(name)
	out, err := run(time.Minute, "podman", append([]string{"run", "-d", "--name", name}, args...)...)
	if err != nil {
		ex.r.Failf("health check that must fail: podman run %s: %v\n%s", strings.Join(args, " "), err, tail(out, 5))
		return
	}
	hc := ex.cfg.Healthcheck
	// After the start period, Retries failed checks in a row make the
	// container unhealthy: allow for them and a few more.
	deadline := time.Now().Add(hc.StartPeriod + time.Duration(hc.Retries+2)*(hc.Timeout+time.Second) + 5*time.Second)
	first := true
	for first || time.Now().Before(deadline) {
		out, err := run(time.Minute, "podman", "healthcheck", "run", name)
		var exit *exec.ExitError
		if first {
			first = false
			if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), "unhealthy") {
				ex.r.Failf("health check that must fail (%s instead of the app): podman healthcheck run should exit 1 with \"unhealthy\", got %v: %s; %s",
					what, err, tail(out, 3), containerState(name))
				return
			}
		}
		status, _ := run(time.Minute, "podman", "inspect", "--format", "{{.State.Health.Status}}", name)
		if strings.TrimSpace(string(status)) == "unhealthy" {
			ex.r.Okf("with `%s` instead of the app, `podman healthcheck run` reports unhealthy, and the container turns unhealthy after the start period", what)
			return
		}
		time.Sleep(time.Second)
	}
	ex.r.Failf("health check that must fail (%s instead of the app): the container never turned unhealthy: %s", what, healthLog(name))
}

// buildNaive builds the naive single-stage Dockerfile of the same app,
// cold, then again after the edit verify's rebuild made.
func (ex *example) buildNaive() {
	if ex.s.plan == nil {
		ex.r.NaiveSkipped = "no plan from dgen"
		return
	}
	nv, err := harness.NaiveFor(ex.s.plan, os.DirFS(ex.s.dir))
	if err != nil {
		ex.r.NaiveSkipped = err.Error()
		return
	}
	ex.naive = filepath.Join(ex.t.TempDir(), "naive")
	if err := os.CopyFS(ex.naive, os.DirFS(ex.s.dir)); err != nil {
		ex.r.Failf("copy examples/%s: %v", ex.s.name, err)
		return
	}
	os.Remove(filepath.Join(ex.naive, "Dockerfile"))
	os.Remove(filepath.Join(ex.naive, ".dockerignore"))
	var args []string
	keys := make([]string, 0, len(nv.Args))
	for k := range nv.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "--build-arg", k+"="+nv.Args[k])
	}
	file := filepath.Join(repoRoot, "examples", "e2e", "naive", nv.File)
	_, took, err := ex.bud("naive-cold", ex.naiveImage(), file, ex.naive, args...)
	if err != nil {
		ex.r.Failf("the naive baseline (examples/e2e/naive/%s) did not build: %v", nv.File, err)
		ex.r.NaiveSkipped = "its build failed"
		return
	}
	ex.r.Naive.Cold = took
	ex.r.Okf("the naive baseline (examples/e2e/naive/%s) builds cold in %.1fs", nv.File, took.Seconds())
	if out, err := run(time.Minute, "podman", "image", "inspect", "--format", "{{.Size}}", ex.naiveImage()); err == nil {
		ex.r.Naive.Bytes, _ = strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	}
	if ex.r.Edited == "" {
		return
	}
	f, err := os.OpenFile(filepath.Join(ex.naive, ex.r.Edited), os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString(harness.EditComment(ex.r.Edited))
		f.Close()
	}
	if err != nil {
		ex.r.Failf("naive rebuild: edit %s: %v", ex.r.Edited, err)
		return
	}
	out, took, err := ex.bud("naive-rebuild", ex.naiveImage(), file, ex.naive, args...)
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

func (ex *example) naiveImage() string {
	return "localhost/dgen-e2e-naive/" + ex.s.name + ":e2e"
}

func (ex *example) cleanup() {
	if ex.container != "" {
		removeContainer(ex.container)
	}
	// Removing the images also removes the intermediate layers only they
	// use, so repeated runs do not fill the disk.
	ids := append([]string{ex.naiveImage()}, ex.ids...)
	if ex.image != "" {
		ids = append(ids, ex.image)
	}
	keep := baseImageIDs()
	for _, id := range ids {
		// A partial build whose steps add no layer has the ID of its base
		// image: removing that ID by force would remove the stand-in and
		// every tag it carries, and the next example could not build.
		if keep[strings.TrimPrefix(id, "sha256:")] {
			continue
		}
		run(time.Minute, "podman", "rmi", "-f", id)
	}
}

// baseImageIDs are the IDs of the images the test does not build: the
// stand-in base images, under official names or localhost/dgen-e2e/.
func baseImageIDs() map[string]bool {
	out, err := run(time.Minute, "podman", "images", "--no-trunc", "--format", "{{.ID}} {{.Repository}}")
	ids := map[string]bool{}
	if err != nil {
		return ids
	}
	for _, line := range strings.Split(string(out), "\n") {
		id, repo, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok || repo == "<none>" || strings.HasPrefix(repo, "localhost/dgen-e2e-") || strings.HasPrefix(repo, "localhost/dgen-verify-") {
			continue
		}
		ids[strings.TrimPrefix(id, "sha256:")] = true
	}
	return ids
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
