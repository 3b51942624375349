package generator_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/generator"
)

// writeTree writes files (slash paths → contents) below dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenRepositoryFindsTheWorkspaceRoot(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	deep := strings.Repeat("d/", generator.MaxWorkspaceDepth)
	writeTree(t, tmp, map[string]string{
		"mono/package.json":                 `{"private": true}`,
		"mono/pnpm-workspace.yaml":          "packages: ['apps/*', '!apps/old', '" + deep + "app']\n",
		"mono/apps/api/package.json":        `{"name": "api"}`,
		"mono/apps/old/package.json":        `{"name": "old"}`,
		"mono/apps/api/src/x.js":            "",
		"mono/" + deep + "app/package.json": `{"name": "deep"}`,
		"npm/package.json":                  `{"workspaces": ["packages/*"]}`,
		"npm/packages/lib/package.json":     `{"name": "lib"}`,
		"plain/package.json":                `{}`,
		"plain/sub/package.json":            `{}`,
		"file":                              "",
	})
	for _, tt := range []struct {
		dir, root, app string
		find           bool
	}{
		{"mono/apps/api", "mono", "apps/api", true},
		{"mono/apps/api", "mono/apps/api", "", false}, // --app or another language: no climb
		{"mono/apps/old", "mono/apps/old", "", true},  // excluded by !apps/old
		{"mono/apps/api/src", "mono/apps/api/src", "", true},
		{"npm/packages/lib", "npm", "packages/lib", true},
		{"plain/sub", "plain/sub", "", true},
		{"mono/" + deep + "app", "mono/" + deep + "app", "", true}, // beyond MaxWorkspaceDepth
	} {
		r, err := generator.OpenRepository(filepath.Join(tmp, tt.dir), tt.find)
		if err != nil {
			t.Fatalf("%s: %v", tt.dir, err)
		}
		if want := filepath.Clean(filepath.Join(tmp, tt.root)); r.Dir != want || r.App != tt.app {
			t.Errorf("OpenRepository(%s) = %s, app %q; want %s, app %q", tt.dir, r.Dir, r.App, want, tt.app)
		}
		r.Close()
	}
	if _, err := generator.OpenRepository(filepath.Join(tmp, "file"), true); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("a file opened as a repository: %v", err)
	}
	if _, err := generator.OpenRepository(filepath.Join(tmp, "missing"), true); err == nil {
		t.Error("a missing folder opened")
	}
}

// A parent's workspace file that is a symlink out of that parent is not
// followed: each parent is read through an os.Root of its own.
func TestOpenRepositoryDoesNotFollowParentSymlinks(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, tmp, map[string]string{
		"outside/pnpm-workspace.yaml":  "packages: ['apps/*']\n",
		"mono/package.json":            `{"private": true}`,
		"mono/apps/api/package.json":   `{"name": "api"}`,
		"linked/apps/api/package.json": `{"name": "api"}`,
	})
	if err := os.Symlink(filepath.Join(tmp, "outside/pnpm-workspace.yaml"), filepath.Join(tmp, "mono/pnpm-workspace.yaml")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	r, err := generator.OpenRepository(filepath.Join(tmp, "mono/apps/api"), true)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.App != "" {
		t.Errorf("followed a symlink out of the parent: root %s, app %s", r.Dir, r.App)
	}
	// A --dir that is itself a symlink climbs the real folder's parents.
	if err := os.WriteFile(filepath.Join(tmp, "linked/pnpm-workspace.yaml"), []byte("packages: ['apps/*']\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(tmp, "linked/apps/api"), filepath.Join(tmp, "alias")); err != nil {
		t.Fatal(err)
	}
	r2, err := generator.OpenRepository(filepath.Join(tmp, "alias"), true)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if r2.Dir != filepath.Join(tmp, "linked") || r2.App != "apps/api" {
		t.Errorf("symlinked --dir: root %s, app %q", r2.Dir, r2.App)
	}
}
