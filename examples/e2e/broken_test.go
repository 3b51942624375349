//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/examples/e2e/harness"
	"github.com/dgen-dev/dgen/generator/verify"
)

// broken is a deliberately broken copy of an example: verify must fail it,
// with exactly these checks failing and a hint that names the cause.
type broken struct {
	name    string
	example string
	// what says what is broken, for the report.
	what string
	// edits replace text in the copy's files; each old text must be
	// there, so a changed example cannot turn the copy into a good one.
	edits []edit
	// files are written into the copy.
	files map[string]string
	// args are added to dgen verify.
	args       []string
	wantFailed []string
	// wantHints must all be in the failed checks' hints.
	wantHints []string
}

type edit struct{ file, old, new string }

// brokenCopies are the failures verify must tell apart.
func brokenCopies() []broken {
	return []broken{{
		name: "wrong-port", example: "go-stdlib",
		what:  "EXPOSE and HEALTHCHECK on 9090 (and --port 9090), while the app listens on 8080",
		edits: []edit{{"Dockerfile", "EXPOSE 8080", "EXPOSE 9090"}, {"Dockerfile", "http://127.0.0.1:8080/healthz", "http://127.0.0.1:9090/healthz"}},
		args:  []string{"--port", "9090"}, wantFailed: []string{"healthy", "http"},
		wantHints: []string{"the app listens on 8080, not on port 9090"},
	}, {
		name: "root-user", example: "go-stdlib",
		what:       "USER 0:0",
		edits:      []edit{{"Dockerfile", "USER 65532:65532", "USER 0:0"}},
		wantFailed: []string{"processes", "user"},
		wantHints:  []string{"USER <uid>:<gid>"},
	}, {
		name: "healthcheck-cannot-run", example: "go-stdlib",
		what:       "a HEALTHCHECK that runs /usr/bin/curl, which distroless does not have",
		edits:      []edit{{"Dockerfile", `CMD ["/usr/local/bin/busybox","wget","-q","-O","/dev/null",`, `CMD ["/usr/bin/curl","-fsS",`}},
		wantFailed: []string{"healthy"},
		wantHints:  []string{"does not exist in the runtime image"},
	}, {
		name: "worker-exits", example: "go-worker",
		what: "a worker that exits when SPOOL_DIR is not set, with a .env.example that sets only INTERVAL",
		edits: []edit{{"main.go", "\tif spool == \"\" {\n\t\tspool = os.TempDir()\n\t}",
			"\tif spool == \"\" {\n\t\tlogger.Error(\"SPOOL_DIR is not set\")\n\t\tos.Exit(1)\n\t}"}},
		files: map[string]string{".env.example": "INTERVAL=10s\n"},
		// env fails before the container runs (the plan lists SPOOL_DIR
		// as required and the file leaves it unset); running fails after.
		wantFailed: []string{"env", "running"},
		// The hint names the file by its path.
		wantHints: []string{"the app needs the environment variable SPOOL_DIR", "/.env.example does not set"},
	}}
}

// brokenExamples are the examples the broken copies are made from, whose
// base images must be ready.
func brokenExamples() []string {
	var names []string
	for _, b := range brokenCopies() {
		if !slices.Contains(names, b.example) {
			names = append(names, b.example)
		}
	}
	return names
}

// check makes the copy and verifies it on engine.
func (b broken) check(t *testing.T, engine string) harness.Result {
	r := harness.Result{Name: "broken/" + b.name, Kind: b.what}
	dir := filepath.Join(t.TempDir(), b.example)
	if err := b.make(dir); err != nil {
		r.Failf("make the broken copy of examples/%s: %v", b.example, err)
		return r
	}
	v, err := dgenVerify(engine, dir, b.args...)
	if err != nil {
		r.Failf("%v", err)
		return r
	}
	failed := v.rep.Failed()
	sort.Strings(failed)
	if v.code != 1 || !slices.Equal(failed, b.wantFailed) {
		r.Failf("dgen verify (%s) on %s: want exit 1 with %s failing, got exit %d with [%s] failing\n%s",
			engine, b.what, strings.Join(b.wantFailed, ", "), v.code, strings.Join(failed, ", "), describe(v.rep))
		return r
	}
	var hints []string
	for _, c := range v.rep.Checks {
		if c.Status == verify.Fail && c.Hint != "" {
			hints = append(hints, c.ID+": "+c.Hint)
		}
	}
	joined := strings.Join(hints, "\n")
	for _, want := range b.wantHints {
		if !strings.Contains(joined, want) {
			r.Failf("dgen verify (%s) on %s: the hints do not say %q\n%s", engine, b.what, want, describe(v.rep))
			return r
		}
	}
	r.Okf("dgen verify (%s) exits 1 on %s: %s failed, and the hint says %q", engine, b.what, strings.Join(failed, " and "), strings.Join(b.wantHints, " … "))
	return r
}

// make copies the example and breaks the copy.
func (b broken) make(dir string) error {
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(examplesDir, b.example))); err != nil {
		return err
	}
	for _, e := range b.edits {
		p := filepath.Join(dir, e.file)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !strings.Contains(string(data), e.old) {
			return fmt.Errorf("%s no longer holds %q: update the broken copy in broken_test.go", e.file, e.old)
		}
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(data), e.old, e.new)), 0o644); err != nil {
			return err
		}
	}
	for name, content := range b.files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// describe lists a report's checks for a failure message.
func describe(rep *verify.Report) string {
	var b strings.Builder
	for _, c := range rep.Checks {
		fmt.Fprintf(&b, "%s %s: %s\n", c.Status, c.ID, firstLine(c.Evidence))
		if c.Hint != "" {
			fmt.Fprintf(&b, "    hint: %s\n", c.Hint)
		}
	}
	return strings.TrimSpace(b.String())
}
