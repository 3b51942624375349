package detectors_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dgen-dev/dgen/detectors"
	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator"
)

// BenchmarkScale runs detection and the whole resolve over repositories of
// 50,000, 100,000 and 200,000 files on disk, read through os.Root's FS as
// the CLI reads them: a realistic Node app with a Python tooling folder at
// the top, and most of the files where big repositories keep them (a
// populated node_modules, .git objects, a Go vendor folder, a .venv).
//
//	go test ./detectors -run '^$' -bench BenchmarkScale -benchmem
//
// Besides ns/op, B/op and allocs/op it reports peak-heap-MB, the highest
// live heap sampled while one detection runs. The repositories are written
// once per run into a temporary folder, or into $DGEN_SCALE_DIR when set,
// where they are kept for reuse (e.g. to time `dgen plan` on them; see
// docs/performance.md). Timings are reported, never asserted.
func BenchmarkScale(b *testing.B) {
	for _, n := range []int{50_000, 100_000, 200_000} {
		dir := scaleRepo(b, n)
		root, err := os.OpenRoot(dir)
		if err != nil {
			b.Fatal(err)
		}
		fsys := root.FS()
		b.Run(fmt.Sprintf("Detect/files=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			peak := peakHeap(func() {
				if _, err := detectors.Detect(fsys, nil); err != nil {
					b.Fatal(err)
				}
			})
			for b.Loop() {
				if _, err := detectors.Detect(fsys, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
		b.Run(fmt.Sprintf("Resolve/files=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			resolve := func() {
				if _, err := generator.Resolve(context.Background(), fsys, generator.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			peak := peakHeap(resolve)
			for b.Loop() {
				resolve()
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
		b.Run(fmt.Sprintf("SourceVolume/files=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				detectors.SourceVolume(fsys)
			}
		})
		root.Close()
	}
}

// BenchmarkMonorepo is the worst case for detection: 20,000 source files
// outside any dependency folder (a TypeScript monorepo with a Python
// folder, so go-enry weighs the two), which every walk may visit.
//
//	go test ./detectors -run '^$' -bench BenchmarkMonorepo -benchmem
func BenchmarkMonorepo(b *testing.B) {
	base := os.Getenv("DGEN_SCALE_DIR")
	if base == "" {
		base = b.TempDir()
	}
	dir := filepath.Join(base, "monorepo-20000")
	if _, err := os.Stat(filepath.Join(dir, ".dgen-scale-complete")); err != nil {
		files := map[string]string{
			"package.json":   `{"name": "mono", "private": true, "workspaces": ["packages/*"], "scripts": {"start": "node packages/p0/dist/main.js"}}`,
			"pyproject.toml": "[project]\nname = \"tools\"\nversion = \"1.0\"\n",
			"tools/run.py":   "print('hi')\n",
		}
		for i := 0; i < 20000; i++ {
			files[fmt.Sprintf("packages/p%d/src/m%d/f%d.ts", i/1000, (i/50)%20, i)] = "export const x = 1;\n"
		}
		for rel, body := range files {
			p := filepath.Join(dir, filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, ".dgen-scale-complete"), nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()
	fsys := root.FS()
	for _, bc := range []struct {
		name string
		fn   func()
	}{
		{"Detect", func() {
			if _, err := detectors.Detect(fsys, nil); err != nil {
				b.Fatal(err)
			}
		}},
		{"SourceVolume", func() { detectors.SourceVolume(fsys) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			peak := peakHeap(bc.fn)
			for b.Loop() {
				bc.fn()
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

// TestSourceVolumeIsBounded: go-enry's rules cost tens of microseconds a
// file, so SourceVolume weighs at most MaxVolumeFiles files; it still
// leaves out what go-enry calls vendored, documentation or tests.
func TestSourceVolumeIsBounded(t *testing.T) {
	m := fstest.MapFS{
		"static/vendor/jquery.js":   {Data: make([]byte, 1000)},
		"static/js/jquery-3.7.1.js": {Data: make([]byte, 1000)},
		"docs/conf.py":              {Data: make([]byte, 1000)},
		"tests/test_app.py":         {Data: make([]byte, 1000)},
		"app.py":                    {Data: make([]byte, 7)},
		"main.go":                   {Data: make([]byte, 5)},
	}
	if got := detectors.SourceVolume(m); got[facts.LangNode] != 0 || got[facts.LangPython] != 7 || got[facts.LangGo] != 5 {
		t.Errorf("SourceVolume = %v, want python 7 and go 5 (vendored, docs and tests left out)", got)
	}
	for i := 0; i < 3*detectors.MaxVolumeFiles; i++ {
		m[fmt.Sprintf("src/m%d/f%d.ts", i/100, i)] = &fstest.MapFile{Data: make([]byte, 10)}
	}
	if got := detectors.SourceVolume(m)[facts.LangNode]; got > 10*detectors.MaxVolumeFiles {
		t.Errorf("weighed %d bytes of TypeScript, more than MaxVolumeFiles (%d) files of 10 bytes", got, detectors.MaxVolumeFiles)
	}
}

// peakHeap runs fn once and returns the highest HeapAlloc sampled every
// 200µs while it ran, above what was live before.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > base && m.HeapAlloc-base > peak.Load() {
				peak.Store(m.HeapAlloc - base)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(stop)
	wg.Wait()
	return peak.Load()
}

// scaleRepo returns a folder holding a repository of about n files.
func scaleRepo(b *testing.B, n int) string {
	b.Helper()
	base := os.Getenv("DGEN_SCALE_DIR")
	if base == "" {
		base = b.TempDir()
	}
	dir := filepath.Join(base, fmt.Sprintf("files-%d", n))
	done := filepath.Join(dir, ".dgen-scale-complete")
	if _, err := os.Stat(done); err == nil {
		return dir
	}
	if err := os.RemoveAll(dir); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	files := writeScaleRepo(b, dir, n)
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	b.Logf("wrote %d files into %s in %s", files, dir, time.Since(start).Round(time.Millisecond))
	return dir
}

// writeScaleRepo writes the repository and returns how many files it holds:
// about 300 files of app, 5% .git objects, 5% .venv, 3% vendor, the rest
// node_modules.
func writeScaleRepo(tb testing.TB, dir string, n int) int {
	count := 0
	write := func(rel, body string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				tb.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
		count++
	}
	for rel, body := range scaleApp() {
		write(rel, body)
	}
	for i := 0; i < n*5/100; i++ {
		write(fmt.Sprintf(".git/objects/%02x/%038x", i%256, i), "x\x9c\x01\x00")
	}
	for i := 0; i < n*5/100; i++ {
		write(fmt.Sprintf(".venv/lib/python3.14/site-packages/pkg%d/mod%d.py", i/20, i%20), "def f():\n    return 1\n")
	}
	for i := 0; i < n*3/100; i++ {
		write(fmt.Sprintf("vendor/github.com/org%d/lib%d/file%d.go", i/200, i/20, i%20), "package lib\n\nfunc F() int { return 1 }\n")
	}
	for i := 0; count < n; i++ {
		pkg := fmt.Sprintf("node_modules/pkg-%d", i)
		if i%10 == 0 {
			pkg = fmt.Sprintf("node_modules/@scope%d/pkg-%d", i%7, i)
		}
		write(pkg+"/package.json", fmt.Sprintf(`{"name": "pkg-%d", "version": "1.0.%d", "main": "index.js"}`, i, i))
		write(pkg+"/index.js", "module.exports = require('./lib/a');\n")
		write(pkg+"/README.md", "# pkg\n")
		for j := 0; j < 5; j++ {
			write(fmt.Sprintf("%s/lib/f%d.js", pkg, j), "exports.f = () => 1;\n")
		}
		if i%5 == 0 {
			write(pkg+"/node_modules/inner/package.json", `{"name": "inner"}`)
			write(pkg+"/node_modules/inner/index.js", "module.exports = 1;\n")
		}
	}
	return count
}

// scaleApp is the app at the top of the big repository: a TypeScript
// Express API with a Python folder of maintenance scripts.
func scaleApp() map[string]string {
	app := map[string]string{
		"package.json": `{
  "name": "big-shop",
  "version": "3.2.0",
  "private": true,
  "main": "dist/server.js",
  "scripts": {"build": "tsc -p .", "start": "node dist/server.js", "test": "vitest"},
  "dependencies": {"express": "^4.21.2", "pg": "^8.13.0", "zod": "^3.23.8"},
  "devDependencies": {"typescript": "^5.6.3", "vitest": "^2.1.4", "@types/express": "^5.0.0"},
  "engines": {"node": ">=22"}
}
`,
		"package-lock.json": `{"name": "big-shop", "lockfileVersion": 3, "requires": true, "packages": {"": {"name": "big-shop"}}}` + "\n",
		"tsconfig.json":     `{"compilerOptions": {"outDir": "dist", "rootDir": "src", "strict": true}}` + "\n",
		".nvmrc":            "22\n",
		"README.md":         "# big-shop\n",
		".gitignore":        "node_modules\ndist\n.venv\n",
		"src/server.ts": `import express from "express";

const app = express();
app.get("/healthz", (_req, res) => res.send("ok"));
app.listen(Number(process.env.PORT ?? 8080));
`,
		"pyproject.toml":   "[project]\nname = \"big-shop-tools\"\nversion = \"0.1.0\"\nrequires-python = \">=3.12\"\n",
		"scripts/check.py": "import sys\n\nprint(sys.argv)\n",
	}
	for d := 0; d < 20; d++ {
		for f := 0; f < 10; f++ {
			app[fmt.Sprintf("src/module%d/part%d.ts", d, f)] = fmt.Sprintf("export function part%d(x: number): number {\n  return x * %d;\n}\n", f, d)
		}
	}
	for f := 0; f < 20; f++ {
		app[fmt.Sprintf("public/img%d.svg", f)] = "<svg/>\n"
		app[fmt.Sprintf("scripts/task%d.py", f)] = "def run():\n    return 0\n"
	}
	return app
}

// countingOpens wraps an FS and counts every Open, the one call every
// read or listing goes through.
type countingOpens struct {
	fs.FS
	n atomic.Int64
}

func (c *countingOpens) Open(name string) (fs.File, error) {
	c.n.Add(1)
	return c.FS.Open(name)
}

// TestDetectionCostIgnoresDependencies: detection must cost the same
// whether node_modules, .git, vendor and .venv hold a thousand files or a
// hundred thousand; only the app's own files count. This is what keeps a
// 200,000-file repository fast, checked without timing anything.
func TestDetectionCostIgnoresDependencies(t *testing.T) {
	opens := func(deps int) int64 {
		m := fstest.MapFS{}
		for rel, body := range scaleApp() {
			m[rel] = &fstest.MapFile{Data: []byte(body)}
		}
		for i := 0; i < deps; i++ {
			for _, top := range []string{"node_modules", ".git/objects", "vendor", ".venv/lib", "web/node_modules"} {
				m[fmt.Sprintf("%s/p%d/f%d.js", top, i/50, i)] = &fstest.MapFile{Data: []byte("x")}
			}
		}
		c := &countingOpens{FS: m}
		det, err := detectors.Detect(c, nil)
		if err != nil {
			t.Fatal(err)
		}
		if det.Language != facts.LangNode {
			t.Fatalf("language %s, want node", det.Language)
		}
		return c.n.Load()
	}
	small, big := opens(200), opens(20000)
	if small != big {
		t.Errorf("detection opened %d files and folders with 1,000 dependency files and %d with 100,000: it reads into dependency folders", small, big)
	}
}

// TestWalkCostIsLinear: in the app's own folders detection may read every
// file, but the work must grow no faster than the file count, and stop at
// Walk's limits however big the tree is.
func TestWalkCostIsLinear(t *testing.T) {
	opensFor := func(files int) int64 {
		m := fstest.MapFS{"go.mod": {Data: []byte(fzGoMod)}, "main.go": {Data: []byte(fzGoMain)}}
		for i := 0; i < files; i++ {
			m[fmt.Sprintf("internal/pkg%d/f%d.go", i/40, i)] = &fstest.MapFile{Data: []byte("package pkg\n")}
		}
		c := &countingOpens{FS: m}
		if _, err := detectors.Detect(c, nil); err != nil {
			t.Fatal(err)
		}
		return c.n.Load()
	}
	a, b := opensFor(1000), opensFor(4000)
	if b > 4*a+50 {
		t.Errorf("4 times the files cost %d opens against %d: worse than linear", b, a)
	}
	// Every source file costs a stat and an open; unbounded, 60,000 files
	// would cost 120,000.
	huge := opensFor(3 * repo.MaxWalkEntries)
	if max := int64(3 * repo.MaxWalkEntries); huge > max {
		t.Errorf("%d opens for a tree of %d files: the walk limits do not hold", huge, 3*repo.MaxWalkEntries)
	}
	t.Logf("opens: %d for 1,000 files, %d for 4,000, %d for %d", a, b, huge, 3*repo.MaxWalkEntries)
}
