package generator_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/generator"
	"github.com/dgen-dev/dgen/generator/dockerfilecheck"
)

// update is the one switch for every golden file in the repository: the
// examples' Dockerfile, .dockerignore and plan.json here, the generated
// CLI reference in cmd/dgen. `make golden` sets it.
var update = os.Getenv("DGEN_UPDATE_GOLDEN") == "1"

// exampleDirs lists every example: a folder under examples/ with a
// Dockerfile (its golden output) or, when updating, any folder. A check-*
// folder holds a hand-written Dockerfile for dgen check, not dgen's output.
func exampleDirs(t *testing.T) []string {
	t.Helper()
	ents, err := os.ReadDir("../examples")
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range ents {
		if !e.IsDir() || e.Name()[0] == '.' || e.Name() == "e2e" || e.Name() == "testdata" || strings.HasPrefix(e.Name(), "check-") {
			continue
		}
		dirs = append(dirs, filepath.Join("../examples", e.Name()))
	}
	if len(dirs) == 0 {
		t.Fatal("no examples found under examples/")
	}
	return dirs
}

// generateExample runs dgen on dir exactly as `dgen init --yes` would.
func generateExample(t *testing.T, dir string) (*generator.Plan, []generator.File) {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	fsys := root.FS()
	cfg, err := generator.LoadConfig(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var opts generator.Options
	cfg.Apply(&opts)
	p, err := generator.Resolve(context.Background(), fsys, opts)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	files, err := generator.Render(p, "")
	if err != nil {
		t.Fatalf("%s: render: %v", dir, err)
	}
	return p, files
}

// TestGolden regenerates every example and compares it with the checked-in
// Dockerfile, .dockerignore and plan.json, and compose.yaml and
// .env.example where dgen writes them (`make golden` rewrites them), then
// holds the output to BuildKit's checks, the Compose Specification's
// loader and dgen's policy.
func TestGolden(t *testing.T) {
	for _, dir := range exampleDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			p, files := generateExample(t, dir)
			planJSON, err := p.JSON()
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, generator.File{Name: "plan.json", Data: planJSON})
			got := map[string][]byte{}
			for _, f := range files {
				got[f.Name] = f.Data
				path := filepath.Join(dir, f.Name)
				if update {
					if err := os.WriteFile(path, f.Data, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run make golden to create it)", err)
				}
				if !bytes.Equal(want, f.Data) {
					t.Errorf("%s differs from what dgen writes now; run make golden and review the diff\n--- got ---\n%s", path, f.Data)
				}
			}
			want := dockerfilecheck.Expect{Port: p.PortNumber(), Healthcheck: p.Port != nil}
			res, err := dockerfilecheck.Check(context.Background(), got["Dockerfile"], got[".dockerignore"], want)
			if err != nil {
				t.Fatalf("%s/Dockerfile does not build: %v", dir, err)
			}
			for _, pr := range res.Problems() {
				t.Errorf("%s/Dockerfile: %s", dir, pr)
			}
			if p.Compose != nil {
				checkCompose(t, p, files)
			}
		})
	}
}
