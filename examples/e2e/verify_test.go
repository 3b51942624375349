//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/dgen-dev/dgen/examples/e2e/harness"
	"github.com/dgen-dev/dgen/generator/verify"
)

// verified is one `dgen verify --json` run.
type verified struct {
	rep *verify.Report
	// code is verify's exit code: 0 every check passed, 1 one failed.
	code int
}

// dgenVerify runs `dgen verify --engine engine --json --dir dir args…` as
// a user would, with the engine settings of this machine: Podman builds
// with --pull=never (no registry), Docker is run as DGEN_DOCKER. An error
// is a verify that could not verify (exit 2 or 3, no report, a timeout);
// failed checks are in the report.
func dgenVerify(engine, dir string, args ...string) (verified, error) {
	timeout := within(verifyTimeout)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	argv := append([]string{"verify", "--engine", engine, "--json", "--dir", dir}, args...)
	cmd := exec.CommandContext(ctx, dgenBin, argv...)
	// Interrupted, verify removes its containers and images itself.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 2 * time.Minute
	cmd.Env = append(os.Environ(), "CI=true", "DGEN_DOCKER="+dockerBin)
	if engine == "podman" {
		cmd.Env = append(cmd.Env, "DGEN_VERIFY_BUILD_FLAGS=--pull=never")
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	line := "dgen " + strings.Join(argv, " ")
	if ctx.Err() != nil {
		return verified{}, fmt.Errorf("%s: timed out after %s\n%s", line, timeout, tail(stderr.Bytes(), 15))
	}
	v := verified{}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		v.code = exit.ExitCode()
	case err != nil:
		return v, fmt.Errorf("%s: %v", line, err)
	}
	if v.code != 0 && v.code != 1 {
		return v, fmt.Errorf("%s: exit %d\n%s", line, v.code, tail(stderr.Bytes(), 15))
	}
	var rep verify.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		return v, fmt.Errorf("%s: exit %d and no JSON report (%v)\n%s", line, v.code, err, tail(stderr.Bytes(), 15))
	}
	v.rep = &rep
	if (v.code == 0) != rep.Passed() {
		return v, fmt.Errorf("%s: exit %d, but the report says passed=%v", line, v.code, rep.Passed())
	}
	return v, nil
}

// record copies verify's checks into the example's result, one line each,
// the failures with verify's hint and the container's last lines.
func record(r *harness.Result, engine string, rep *verify.Report) {
	for _, c := range rep.Checks {
		switch c.Status {
		case verify.Fail:
			msg := fmt.Sprintf("dgen verify (%s): %s failed: %s", engine, c.ID, c.Evidence)
			if c.Hint != "" {
				msg += "\nhint: " + c.Hint
			}
			if len(rep.Logs) > 0 {
				msg += "\nthe container's last lines:\n" + strings.Join(rep.Logs, "\n")
			}
			r.Failf("%s", msg)
		case verify.Skip:
			r.Okf("dgen verify (%s): %s skipped: %s", engine, c.ID, c.Evidence)
		default:
			r.Okf("dgen verify (%s): %s: %s", engine, c.ID, c.Evidence)
		}
	}
}

// hostPortBusy reports a verify that could not check a web app because
// another program held its port: a Docker daemon without a bridge runs
// the app on the host's own port, which anything else on a shared machine
// may be using for a while.
func hostPortBusy(rep *verify.Report) bool {
	for _, c := range rep.Checks {
		if c.Status == verify.Fail && strings.Contains(c.Evidence, "already in use on this host") {
			return true
		}
	}
	return false
}

// dockerCLI is the engine verify drives, for the builds the test makes
// itself (the buildable part of an example that cannot be built whole).
func dockerCLI(ctx context.Context) (*verify.CLI, error) {
	c := &verify.CLI{Kind: "docker", Bin: dockerBin}
	if err := c.Probe(ctx); err != nil {
		return nil, err
	}
	return c, nil
}
