//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dgen-dev/dgen/examples/e2e/harness"
)

// portRetries is how often a Docker verify that found the app's port taken
// by another program is tried again, portWait apart: five minutes in all,
// the time another test's container may hold a port on a busy machine.
const (
	portRetries = 10
	portWait    = 30 * time.Second
)

// dockerFresh empties the daemon's build cache (layers and cache mounts)
// so this run's builds download modules and packages as on a fresh
// machine, like Podman's; the stand-ins and the frontend image stay.
func dockerFresh(t *testing.T) {
	if out, err := run(5*time.Minute, dockerBin, "builder", "prune", "--all", "--force"); err != nil {
		t.Logf("docker builder prune: %v\n%s", err, tail(out, 5))
	}
	run(5*time.Minute, dockerBin, "image", "prune", "--force")
}

// dockerExample verifies one example with `dgen verify --engine docker`:
// BuildKit builds the committed Dockerfile unchanged, `# syntax` line
// included (run.sh put that frontend in the daemon's store), and the
// container runs on the host's network.
func dockerExample(t *testing.T, s *spec) harness.Result {
	r := s.result()
	// Podman's lane owns the measurements and the naive baseline.
	r.NaiveSkipped = ""
	if !s.ready {
		return r
	}
	if r.Partial != "" {
		dockerPartial(t, s, &r)
		return r
	}
	var v verified
	var err error
	for try := 0; ; try++ {
		v, err = dgenVerify("docker", s.dir)
		if err != nil || !hostPortBusy(v.rep) || try == portRetries {
			break
		}
		holder, _ := run(time.Minute, "ss", "-Hltnp", fmt.Sprintf("sport = :%d", v.rep.Port))
		t.Logf("port %d is taken on this host by another program (%s); trying again in %s", v.rep.Port, strings.TrimSpace(string(holder)), portWait)
		time.Sleep(portWait)
	}
	if err != nil {
		r.Failf("%v", err)
		return r
	}
	record(&r, "docker", v.rep)
	r.Dgen.Cold = seconds(v.rep.BuildSeconds)
	r.Dgen.Bytes = v.rep.SizeBytes
	return r
}

// dockerPartial builds the part of the Dockerfile this machine can build
// with the same command verify builds with.
func dockerPartial(t *testing.T, s *spec, r *harness.Result) {
	ctx, cancel := context.WithTimeout(context.Background(), within(buildTimeout))
	defer cancel()
	eng, err := dockerCLI(ctx)
	if err != nil {
		r.Failf("docker: %v", err)
		return
	}
	df := filepath.Join(t.TempDir(), "Dockerfile.partial")
	if err := os.WriteFile(df, s.prefix, 0o644); err != nil {
		r.Failf("%v", err)
		return
	}
	tag := "dgen-e2e-partial-" + s.name + ":e2e"
	defer run(time.Minute, dockerBin, "rmi", "-f", tag)
	start := time.Now()
	out, err := eng.Build(ctx, s.dir, df, tag)
	took := time.Since(start)
	r.Dgen.Cold = took
	logFile := filepath.Join(logDir, s.name+"-docker-partial.log")
	_ = os.WriteFile(logFile, out, 0o644)
	if err != nil {
		r.Failf("docker build of %s failed: %v (full log: %s)\n%s", partWhat(s.upto), err, logFile, tail(out, 25))
		return
	}
	r.Okf("%s of the Dockerfile build with Docker (BuildKit) in %.1fs", partWhat(s.upto), took.Seconds())
}
