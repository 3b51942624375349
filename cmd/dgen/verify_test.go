package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/generator/verify"
)

// noEngines makes both engines unreachable, whatever the machine has.
var noEngines = map[string]string{"DGEN_DOCKER": "/nonexistent/docker", "DGEN_PODMAN": "/nonexistent/podman"}

func TestVerifyExitCodes(t *testing.T) {
	withDockerfile := writeRepo(t, map[string]string{"go.mod": goService["go.mod"], "main.go": goService["main.go"], "Dockerfile": "FROM scratch\n"})
	without := writeRepo(t, goService)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"bad engine", []string{"verify", "--dir", withDockerfile, "--engine", "lxc"}, exitBadInput, []string{"--engine \"lxc\""}},
		{"missing env file", []string{"verify", "--dir", withDockerfile, "--env-file", filepath.Join(without, "nope.env")}, exitBadInput, []string{"--env-file"}},
		{"no Dockerfile", []string{"verify", "--dir", without}, exitBadInput, []string{"no Dockerfile", "dgen init"}},
		{"positional", []string{"verify", withDockerfile}, exitBadInput, []string{"--dir"}},
		{"no engine", []string{"verify", "--dir", withDockerfile}, exitNoEngine, []string{"no container engine", "docker:", "podman:"}},
		{"forced engine missing", []string{"verify", "--dir", withDockerfile, "--engine", "podman"}, exitNoEngine, []string{"--engine podman"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runDgen(t, nil, noEngines, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", r.code, tc.code, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q does not mention %q", r.stderr, w)
				}
			}
		})
	}
}

func TestInitVerifyWritesThenVerifies(t *testing.T) {
	dir := writeRepo(t, goService)
	r := runDgen(t, nil, noEngines, "init", "--yes", "--verify", "--dir", dir)
	if r.code != exitNoEngine || !strings.Contains(r.stderr, "no container engine") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "Dockerfile")); err != nil {
		t.Errorf("init --verify did not write first: %v", err)
	}
	if r := runDgen(t, nil, nil, "init", "--dry-run", "--verify", "--dir", dir); r.code != exitBadInput {
		t.Errorf("--dry-run --verify: exit %d", r.code)
	}
}

func TestVerifyFailureExitCode(t *testing.T) {
	err := fmt.Errorf("%w: http, healthy", errChecksFailed)
	if got := exitCode(err); got != exitError {
		t.Errorf("exitCode(checks failed) = %d", got)
	}
	if got := exitCode(fmt.Errorf("x: %w", verify.ErrNoEngine)); got != exitNoEngine {
		t.Errorf("exitCode(no engine) = %d", got)
	}
}

func TestPrintReport(t *testing.T) {
	r := &verify.Report{Dir: "/r", Engine: "podman", Kind: "web", Port: 8080, EnvFile: "/r/.env.example",
		Checks: []verify.Check{
			{ID: "build", Status: verify.Pass, Evidence: "built in 3.0s with podman"},
			{ID: "http", Status: verify.Fail, Evidence: "no HTTP answer", Hint: "the app listens on 3000, not on port 8080"},
			{ID: "processes", Status: verify.Skip, Evidence: "the container is not running"},
		},
		Logs: []string{"listening on :3000\x1b[2J"}}
	var b bytes.Buffer
	printReport(&b, r, false)
	got := b.String()
	for _, want := range []string{
		"dgen verify /r (podman, web on port 8080, environment from /r/.env.example)\n",
		"PASS build      built in 3.0s with podman\n",
		"FAIL http       no HTTP answer\n",
		"hint: the app listens on 3000, not on port 8080\n",
		"SKIP processes  the container is not running\n",
		"  | listening on :3000\\x1b[2J\n",
		"1 of 3 checks failed: http\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
}

func TestCleanupGraceOnlyForVerify(t *testing.T) {
	for args, want := range map[string]bool{"verify --dir x": true, "init --yes --verify": true, "init --yes": false, "plan --dir verify": false} {
		if got := cleansUp(strings.Fields(args)); got != want {
			t.Errorf("cleansUp(%q) = %v, want %v", args, got, want)
		}
	}
}
