package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/generator/registrytest"
)

// isolatedDocker keeps the tests away from the Docker config (and
// credential helpers) of whoever runs them.
func isolatedDocker(t *testing.T) {
	t.Setenv("DOCKER_CONFIG", t.TempDir())
}

// TestInitPin pins go-stdlib's images against registries in the test
// process (one standing in for Docker Hub, one for gcr.io): each FROM gets
// the digest of the tag's multi-platform index, the tag stays beside it,
// and stderr says what was pinned.
func TestInitPin(t *testing.T) {
	isolatedDocker(t)
	hub := registrytest.Start(t, registrytest.Open)
	gcr := registrytest.Start(t, registrytest.Open)
	golang := hub.PushIndex(t, "library/golang", "1.26-trixie")
	busybox := hub.PushIndex(t, "library/busybox", "1.37.0-musl")
	distroless := gcr.PushIndex(t, "distroless/static-debian13", "nonroot")
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	dir := copyExample(t, root, "go-stdlib", t.TempDir())
	r := runDgen(t, nil, nil, "init", "--yes", "--pin", "--dir", dir,
		"--registry-mirror", hub.Host, "--registry-mirror", "gcr.io="+gcr.Host)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	df := readFile(t, filepath.Join(dir, "Dockerfile"))
	for _, want := range []string{
		"FROM --platform=$BUILDPLATFORM golang:1.26-trixie@" + golang.Digest + " AS build\n",
		"busybox:1.37.0-musl@" + busybox.Digest + " AS probe\n",
		"gcr.io/distroless/static-debian13:nonroot@" + distroless.Digest + " AS runtime\n",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if strings.Contains(df, hub.Host) || strings.Contains(df, gcr.Host) {
		t.Error("a mirror's address is in the Dockerfile")
	}
	for _, want := range []string{"dgen: pinned golang:1.26-trixie@" + golang.Digest + " (multi-platform index)", "dgen: pinned gcr.io/distroless/static-debian13:nonroot@"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	// A second run resolves the same digests: nothing changes.
	if r := runDgen(t, nil, nil, "init", "--yes", "--pin", "--diff", "--dir", dir,
		"--registry-mirror", hub.Host, "--registry-mirror", "gcr.io="+gcr.Host); r.code != 0 {
		t.Errorf("second run --diff: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// A registry that refuses, a tag that does not exist and a registry that
// does not answer each stop init with the image named and what to do, and
// nothing written.
func TestInitPinFailuresWriteNothing(t *testing.T) {
	isolatedDocker(t)
	empty := registrytest.Start(t, registrytest.Open)
	private := registrytest.Start(t, registrytest.AuthRequired)
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	for _, tc := range []struct {
		name, mirror string
		want         []string
	}{
		{"missing tag", empty.Host, []string{"pin golang:1.26-trixie:", "has no such image or tag", "nothing was written"}},
		{"auth", private.Host, []string{"pin golang:1.26-trixie:", "refused access (HTTP 401)", "docker login", "nothing was written"}},
		{"unreachable", "127.0.0.1:1", []string{"pin golang:1.26-trixie:", "cannot reach registry 127.0.0.1:1", "nothing was written"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyExample(t, root, "go-stdlib", t.TempDir())
			before, _ := os.ReadDir(dir)
			r := runDgen(t, nil, nil, "init", "--yes", "--pin", "--ci", "github", "--dir", dir, "--registry-mirror", tc.mirror)
			if r.code != exitError {
				t.Errorf("exit %d, want %d", r.code, exitError)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			after, _ := os.ReadDir(dir)
			if len(after) != len(before) {
				t.Errorf("files written after a failed pin: %d entries before, %d after", len(before), len(after))
			}
		})
	}
}

// dgen ci github writes the workflow and dependabot.yml for the Dockerfile
// on disk, refuses to overwrite a changed one, and asks for a Dockerfile
// first.
func TestCIGitHub(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	dir := copyExample(t, root, "python-stdlib", t.TempDir())
	if r := runDgen(t, nil, nil, "ci", "github", "--dir", dir); r.code != exitBadInput || !strings.Contains(r.stderr, "run dgen init first") {
		t.Errorf("no Dockerfile: exit %d %s", r.code, r.stderr)
	}
	if r := runDgen(t, nil, nil, "init", "--yes", "--dir", dir); r.code != 0 {
		t.Fatalf("init: %s", r.stderr)
	}
	r := runDgen(t, nil, nil, "ci", "github", "--dir", dir, "--image", "docker.io/acme/api")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	wf := readFile(t, filepath.Join(dir, ".github", "workflows", "docker.yml"))
	for _, want := range []string{"platforms: linux/amd64,linux/arm64\n", "IMAGE: docker.io/acme/api\n", "username: ${{ secrets.DOCKERHUB_USERNAME }}"} {
		if !strings.Contains(wf, want) {
			t.Errorf("workflow lacks %q", want)
		}
	}
	if !strings.Contains(r.stderr, "DOCKERHUB_USERNAME and DOCKERHUB_TOKEN") {
		t.Errorf("stderr does not name the secrets to set:\n%s", r.stderr)
	}
	readFile(t, filepath.Join(dir, ".github", "dependabot.yml"))
	if r := runDgen(t, nil, nil, "ci", "github", "--dir", dir, "--image", "docker.io/acme/api", "--diff"); r.code != 0 {
		t.Errorf("--diff right after writing: exit %d\n%s", r.code, r.stdout)
	}
	if r := runDgen(t, nil, nil, "ci", "github", "--dir", dir); r.code != exitExists || !strings.Contains(r.stderr, "nothing was written") {
		t.Errorf("another image over the written workflow: exit %d %s", r.code, r.stderr)
	}
	tdir := t.TempDir()
	if err := os.WriteFile(filepath.Join(tdir, "github-dependabot.yml.tmpl"), []byte("# mine, for [[ .Branch ]]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runDgen(t, nil, nil, "ci", "github", "--dir", dir, "--templates", tdir, "--dry-run"); r.code != 0 || !strings.Contains(r.stdout, "# ===== .github/dependabot.yml =====\n# mine, for main\n") {
		t.Errorf("--templates: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runDgen(t, nil, nil, "__complete", "init", "--ci", ""); !strings.Contains(r.stdout, "github\n") {
		t.Errorf("--ci completes %q, want github", r.stdout)
	}
	if r := runDgen(t, nil, nil, "ci", "gitlab"); r.code != exitBadInput || !strings.Contains(r.stderr, "docs/ci.md") {
		t.Errorf("dgen ci gitlab: exit %d %s", r.code, r.stderr)
	}
}

// init --ci github writes the workflow with the Dockerfile; a cgo Go
// build gets linux/amd64 only, and --save-config keeps the choice.
func TestInitCI(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	dir := copyExample(t, root, "go-sqlite-cgo", t.TempDir())
	r := runDgen(t, nil, nil, "init", "--yes", "--ci", "github", "--branch", "trunk", "--save-config", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	wf := readFile(t, filepath.Join(dir, ".github", "workflows", "docker.yml"))
	if !strings.Contains(wf, "          platforms: linux/amd64\n          push:") || strings.Contains(wf, "setup-qemu") {
		t.Errorf("cgo build: want linux/amd64 only, without QEMU:\n%s", wf)
	}
	if !strings.Contains(wf, `branches: ["trunk"]`) {
		t.Error("--branch trunk is not the workflow's branch")
	}
	cfg := readFile(t, filepath.Join(dir, "dgen.yaml"))
	if !strings.Contains(cfg, "ci:\n  provider: github\n  branch: trunk\n") {
		t.Errorf("dgen.yaml does not keep the ci choice:\n%s", cfg)
	}
	if r := runDgen(t, nil, nil, "init", "--yes", "--diff", "--dir", dir); r.code != 0 {
		t.Errorf("re-run from dgen.yaml: exit %d\n%s", r.code, r.stdout)
	}
	if r := runDgen(t, nil, nil, "init", "--yes", "--image", "ghcr.io/a/b", "--dry-run", "--dir", dir); r.code != 0 || !strings.Contains(r.stdout, "IMAGE: ghcr.io/a/b\n") || !strings.Contains(r.stdout, `branches: ["trunk"]`) {
		t.Errorf("--image over dgen.yaml's ci: exit %d, want the flag's image and the file's branch", r.code)
	}
	if r := runDgen(t, nil, nil, "plan", "--image", "ghcr.io/a/b", "--dir", t.TempDir()); r.code != exitBadInput || !strings.Contains(r.stderr, "--image and --branch apply with --ci github") {
		t.Errorf("--image without any ci: exit %d %s", r.code, r.stderr)
	}
}

// --pin logs in with the user's Docker configuration, as docker pull
// would: a registry that refuses anonymous requests answers with the
// credentials config.json holds for it.
func TestInitPinUsesDockerConfig(t *testing.T) {
	cfgDir := t.TempDir()
	t.Setenv("DOCKER_CONFIG", cfgDir)
	private := registrytest.Start(t, registrytest.AuthRequired)
	golang := private.PushIndex(t, "library/golang", "1.26-trixie")
	private.PushIndex(t, "library/busybox", "1.37.0-musl")
	private.PushIndex(t, "distroless/static-debian13", "nonroot")
	auth := base64.StdEncoding.EncodeToString([]byte(registrytest.Username + ":" + registrytest.Password))
	if err := os.WriteFile(filepath.Join(cfgDir, "config.json"), []byte(`{"auths":{"`+private.Host+`":{"auth":"`+auth+`"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	dir := copyExample(t, root, "go-stdlib", t.TempDir())
	r := runDgen(t, nil, nil, "init", "--yes", "--pin", "--dir", dir, "--registry-mirror", private.Host, "--registry-mirror", "gcr.io="+private.Host)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if df := readFile(t, filepath.Join(dir, "Dockerfile")); !strings.Contains(df, "golang:1.26-trixie@"+golang.Digest) {
		t.Errorf("not pinned with the config's credentials:\n%s", df)
	}
	if strings.Contains(r.stderr, auth) || strings.Contains(r.stderr, registrytest.Password) {
		t.Error("the credentials were printed")
	}
}
