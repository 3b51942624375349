//go:build unix

package repo_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dgen-dev/dgen/detectors/repo"
)

// walked returns the paths Walk visits below root.
func walked(t *testing.T, fsys fs.FS, root string) []string {
	t.Helper()
	var got []string
	if err := repo.Walk(fsys, root, func(p string, d fs.DirEntry) error {
		got = append(got, p)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestWalkOrderAndSkips(t *testing.T) {
	deep := "d"
	for i := 1; i < repo.MaxWalkDepth+3; i++ {
		deep += "/d"
	}
	fsys := fstest.MapFS{
		"main.go":                    {},
		"z.txt":                      {},
		"a/b/c.go":                   {},
		"a/x.go":                     {},
		"b/y.go":                     {},
		"node_modules/left-pad/i.js": {},
		"web/node_modules/x/i.js":    {},
		".git/HEAD":                  {},
		".hidden/secret.go":          {},
		"vendor/m/v.go":              {},
		".venv/lib/site.py":          {},
		"testdata/t.go":              {},
		"link.go":                    {Mode: fs.ModeSymlink, Data: []byte("main.go")},
		"linkdir":                    {Mode: fs.ModeSymlink, Data: []byte("a")},
		".env":                       {},
		deep + "/bottom.go":          {},
	}
	got := walked(t, fsys, ".")
	// Shallowest first; hidden files are files (.env is visited), hidden
	// folders are not; links, dependency and data folders never.
	want := []string{".env", "main.go", "z.txt", "a/x.go", "b/y.go", "a/b/c.go"}
	if !slices.Equal(got, want) {
		t.Errorf("Walk visited\n%q\nwant\n%q", got, want)
	}
	// A subtree walk starts at its root and keeps the same rules.
	if got := walked(t, fsys, "a"); !slices.Equal(got, []string{"a/x.go", "a/b/c.go"}) {
		t.Errorf("Walk(a) = %q", got)
	}
	// A file as the root is visited alone.
	if got := walked(t, fsys, "main.go"); !slices.Equal(got, []string{"main.go"}) {
		t.Errorf("Walk(main.go) = %q", got)
	}
	if err := repo.Walk(fsys, "missing", func(string, fs.DirEntry) error { return nil }); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Walk of a missing root: %v, want fs.ErrNotExist", err)
	}
}

// countingFS records which folders are opened.
type countingFS struct {
	fs.FS
	mu     sync.Mutex
	opened []string
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.mu.Lock()
	c.opened = append(c.opened, name)
	c.mu.Unlock()
	return c.FS.Open(name)
}

func TestWalkNeverOpensSkippedFolders(t *testing.T) {
	m := fstest.MapFS{"package.json": {}, "src/index.js": {}}
	for i := 0; i < 500; i++ {
		m[fmt.Sprintf("node_modules/p%d/index.js", i)] = &fstest.MapFile{}
		m[fmt.Sprintf(".git/objects/%02x/obj", i%256)] = &fstest.MapFile{}
	}
	c := &countingFS{FS: m}
	if got := walked(t, c, "."); !slices.Equal(got, []string{"package.json", "src/index.js"}) {
		t.Errorf("visited %q", got)
	}
	for _, o := range c.opened {
		if strings.HasPrefix(o, "node_modules") || strings.HasPrefix(o, ".git") {
			t.Errorf("Walk opened %s; skipped folders must be decided by name, before any open", o)
		}
	}
}

func TestWalkBudgets(t *testing.T) {
	m := fstest.MapFS{"main.go": {}, "zz/last.go": {}}
	// A generated folder bigger than one folder's share sorts first.
	for i := 0; i < repo.MaxDirEntries+1000; i++ {
		m[fmt.Sprintf("assets/f%05d.js", i)] = &fstest.MapFile{}
	}
	got := walked(t, m, ".")
	if !slices.Contains(got, "main.go") || !slices.Contains(got, "zz/last.go") {
		t.Errorf("a huge folder hid the files after it: main.go or zz/last.go not visited")
	}
	n := 0
	for _, p := range got {
		if strings.HasPrefix(p, "assets/") {
			n++
		}
	}
	if n != repo.MaxDirEntries {
		t.Errorf("visited %d files of one folder, want the first %d", n, repo.MaxDirEntries)
	}
	if got[len(got)-1] == "assets/f05999.js" {
		t.Errorf("the files past the folder's share were visited")
	}

	// The total budget holds across folders.
	m = fstest.MapFS{}
	for d := 0; d < 10; d++ {
		for i := 0; i < repo.MaxDirEntries-1; i++ {
			m[fmt.Sprintf("d%d/f%05d.go", d, i)] = &fstest.MapFile{}
		}
	}
	if got := walked(t, m, "."); len(got) > repo.MaxWalkEntries {
		t.Errorf("visited %d files, more than MaxWalkEntries (%d)", len(got), repo.MaxWalkEntries)
	}

	// ReadDir is bounded and sorted the same way.
	ents, err := repo.ReadDir(fstest.MapFS(func() fstest.MapFS {
		m := fstest.MapFS{}
		for i := 0; i < repo.MaxDirEntries+10; i++ {
			m[fmt.Sprintf("f%05d", repo.MaxDirEntries+10-i)] = &fstest.MapFile{}
		}
		return m
	}()), ".")
	if err != nil || len(ents) != repo.MaxDirEntries || ents[0].Name() != "f00001" {
		t.Errorf("ReadDir: %d entries starting %v, err %v", len(ents), ents[0].Name(), err)
	}
}

func TestWalkStops(t *testing.T) {
	fsys := fstest.MapFS{"a/1.go": {}, "a/2.go": {}, "a/sub/3.go": {}, "b/4.go": {}, "c/5.go": {}}
	var got []string
	err := repo.Walk(fsys, ".", func(p string, d fs.DirEntry) error {
		got = append(got, p)
		switch p {
		case "a/1.go":
			return fs.SkipDir // the rest of a/, a/sub included
		case "b/4.go":
			return fs.SkipAll
		}
		return nil
	})
	if err != nil || !slices.Equal(got, []string{"a/1.go", "b/4.go"}) {
		t.Errorf("visited %q, err %v", got, err)
	}
	boom := errors.New("boom")
	if err := repo.Walk(fsys, ".", func(string, fs.DirEntry) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("Walk returned %v, want fn's error", err)
	}
}

func TestReadFileLimits(t *testing.T) {
	big := make([]byte, repo.MaxManifestSize+1)
	fsys := fstest.MapFS{
		"package.json": {Data: big},
		"main.go":      {Data: big},
		"dir/x":        {},
		"ok":           {Data: []byte("fine")},
	}
	if _, err := repo.ReadFile(fsys, "package.json"); !errors.Is(err, repo.ErrTooLarge) || !strings.Contains(err.Error(), "package.json") {
		t.Errorf("ReadFile of an oversize manifest: %v, want ErrTooLarge naming the file", err)
	}
	if b, err := repo.ReadPrefix(fsys, "main.go", 100); err != nil || len(b) != 100 {
		t.Errorf("ReadPrefix: %d bytes, %v; want the first 100", len(b), err)
	}
	if _, err := repo.ReadFile(fsys, "dir"); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("ReadFile of a folder: %v", err)
	}
	if b, err := repo.ReadFile(fsys, "ok"); err != nil || string(b) != "fine" {
		t.Errorf("ReadFile(ok) = %q, %v", b, err)
	}
}

// TestReadFileNeverOpensAPipe: opening a named pipe for reading blocks
// until a writer comes, so a FIFO called package.json must be refused on
// its type, before any open, or dgen hangs.
func TestReadFileNeverOpensAPipe(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"package.json", "main.go", "dgen.yaml"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	fsys := root.FS()
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := repo.ReadFile(fsys, "package.json"); err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("ReadFile of a pipe: %v, want an error naming a named pipe", err)
		}
		if _, err := repo.ReadPrefix(fsys, "main.go", 1024); err == nil {
			t.Error("ReadPrefix of a pipe succeeded")
		}
		if got := walked(t, fsys, "."); len(got) != 0 {
			t.Errorf("Walk visited pipes: %q", got)
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("reading a named pipe blocked")
	}
}

func TestCheckPath(t *testing.T) {
	for _, ok := range []string{".", "a", "cmd/api", "web/static-files", "a.b_c+d@e", ".github/x"} {
		if err := repo.CheckPath(ok); err != nil {
			t.Errorf("CheckPath(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "/etc/passwd", "-rf", "a/-x", "../x", "a/../b", "a//b", "a/", "./a", "a b", "a$b",
		"a\"b", "a'b", "a\\b", "a*b", "a?b", "a[b]", "a\nb", "a`b", "~/x", "a~b", "a\x00b", "é"} {
		if err := repo.CheckPath(bad); err == nil || repo.SafePath(bad) {
			t.Errorf("CheckPath(%q) accepted", bad)
		}
	}
}
