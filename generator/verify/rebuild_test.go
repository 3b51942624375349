package verify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const buildahRebuild = `STEP 1/6: FROM golang:1.26-trixie AS build
STEP 2/6: WORKDIR /src
--> Using cache aa
STEP 3/6: COPY go.mod go.sum ./
--> Using cache bb
STEP 4/6: RUN --mount=type=cache,target=/go/pkg/mod go mod download
--> Using cache cc
STEP 5/6: COPY . .
STEP 6/6: RUN go build -o /out/app .
COMMIT dgen-verify-x
`

const buildkitRebuild = `#1 [internal] load build definition from Dockerfile
#4 [build 1/5] FROM docker.io/library/node:26-trixie-slim
#6 [build 2/5] COPY package.json package-lock.json ./
#6 CACHED
#7 [build 3/5] RUN --mount=type=cache,target=/root/.npm npm ci
#7 0.4 added 57 packages
#8 [build 4/5] COPY . .
#9 [build 5/5] RUN npm run build
`

func rebuildRepo(t *testing.T) string {
	return repo(t, map[string]string{
		".dockerignore":        "**/*_test.go\nnode_modules\ndocs\n",
		"go.mod":               "module x\n",
		"main.go":              "package main\n",
		"cmd/tool/tool.go":     "package main\n",
		"main_test.go":         "package main\n",
		"docs/a.go":            "package docs\n",
		"node_modules/x/a.js":  "x\n",
		"internal/zz/later.go": "package zz\n",
	})
}

func TestRebuildReusesDependencyLayer(t *testing.T) {
	dir := rebuildRepo(t)
	f := goodEngine()
	f.builds = [][]byte{[]byte("STEP 1/1: FROM scratch\n"), []byte(buildahRebuild)}
	r := verifyWith(t, dir, webPlan(8080), f, answers(200), func(o *Options) { o.Rebuild = true })
	c := check(t, r, "rebuild")
	if c.Status != Pass || r.Rebuild == nil {
		t.Fatalf("rebuild %+v", c)
	}
	want := Rebuild{Edited: "main.go", Steps: 5, Rerun: 2, DepsReused: "yes"}
	got := *r.Rebuild
	got.Seconds = 0
	if got != want {
		t.Errorf("rebuild figures %+v, want %+v", got, want)
	}
	contains(t, "rebuild evidence", c.Evidence, "editing main.go", "2 of 5 steps ran again", "dependency layer reused: yes")
	// The repository itself is left as it was.
	if data, _ := os.ReadFile(filepath.Join(dir, "main.go")); string(data) != "package main\n" {
		t.Errorf("the repository's main.go was edited: %q", data)
	}
}

func TestRebuildThatReinstalls(t *testing.T) {
	f := goodEngine()
	f.builds = [][]byte{[]byte("STEP 1/1: FROM scratch\n"), []byte(buildkitRebuild)}
	r := verifyWith(t, rebuildRepo(t), webPlan(8080), f, answers(200), func(o *Options) { o.Rebuild = true })
	c := check(t, r, "rebuild")
	if c.Status != Fail || r.Rebuild.DepsReused != "no" || r.Rebuild.Steps != 4 || r.Rebuild.Rerun != 3 {
		t.Errorf("rebuild %+v %+v", c, r.Rebuild)
	}
	contains(t, "rebuild hint", c.Hint, "manifests and lockfile before the install")
}

func TestRebuildThatNeverSawTheEdit(t *testing.T) {
	f := goodEngine()
	cached := strings.ReplaceAll(buildahRebuild, "STEP 5/6: COPY . .\n", "STEP 5/6: COPY . .\n--> Using cache dd\n")
	cached = strings.Replace(cached, "go build -o /out/app .\n", "go build -o /out/app .\n--> Using cache ee\n", 1)
	f.builds = [][]byte{[]byte("STEP 1/1: FROM scratch\n"), []byte(cached)}
	r := verifyWith(t, rebuildRepo(t), webPlan(8080), f, answers(200), func(o *Options) { o.Rebuild = true })
	c := check(t, r, "rebuild")
	if c.Status != Fail || !strings.Contains(c.Evidence, "never reached the build") {
		t.Errorf("rebuild %+v", c)
	}
}

func TestCopyContextHonoursDockerignore(t *testing.T) {
	dir := rebuildRepo(t)
	dst := t.TempDir()
	file, err := copyContext(dir, dst, "go")
	if err != nil {
		t.Fatal(err)
	}
	if file != "main.go" {
		t.Errorf("edited %s", file)
	}
	for name, want := range map[string]bool{"Dockerfile": true, "main.go": true, "cmd/tool/tool.go": true,
		"main_test.go": false, "docs/a.go": false, "node_modules/x/a.js": false} {
		_, err := os.Stat(filepath.Join(dst, name))
		if (err == nil) != want {
			t.Errorf("%s copied: %v, want %v", name, err == nil, want)
		}
	}
	if _, err := copyContext(dir, t.TempDir(), "python"); err == nil {
		t.Error("a Go repository gave a Python file to edit")
	}
}
