package python

import (
	"bytes"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// Limits on the Python source scan, on top of Walk's.
const (
	// pyMaxSourceFiles caps how many .py files are read.
	pyMaxSourceFiles = 3000
	// pyMaxSourceBytes caps the bytes of source kept for the scan.
	pyMaxSourceBytes = 48 << 20
)

// pySources are the app's Python files (tests, migrations and docs left
// out), read once and scanned by every rung of the start ladder.
type pySources struct {
	files []*pyFile // by path
	// cut is true when the limits stopped the scan early.
	cut bool
}

// pyFile is one source file.
type pyFile struct {
	path string
	data []byte
	// root is the folder the file is imported from ("" for the repository
	// root, "src" for a src layout).
	root string
	// module is the dotted module name relative to root ("shop.main").
	module string
}

// pySkipSourceDirs hold code that is never the app's entry point.
var pySkipSourceDirs = map[string]bool{
	"tests": true, "test": true, "migrations": true, "docs": true, "doc": true,
	"examples": true, "benchmarks": true, "alembic": true,
}

func pyTestFile(name string) bool {
	return strings.HasPrefix(name, "test_") || strings.HasSuffix(name, "_test.py") ||
		name == "conftest.py" || name == "setup.py" || name == "noxfile.py" || name == "fabfile.py"
}

// scanPySources reads the .py files of the repository within the limits.
func scanPySources(fsys fs.FS, det *facts.Detection) *pySources {
	src := &pySources{}
	total := 0
	_ = repo.Walk(fsys, ".", func(p string, d fs.DirEntry) error {
		if !strings.HasSuffix(p, ".py") {
			return nil
		}
		for _, seg := range strings.Split(path.Dir(p), "/") {
			if pySkipSourceDirs[seg] {
				return nil
			}
		}
		if pyTestFile(d.Name()) {
			return nil
		}
		if len(src.files) >= pyMaxSourceFiles || total >= pyMaxSourceBytes {
			src.cut = true
			return fs.SkipAll
		}
		data, err := repo.ReadPrefix(fsys, p, repo.MaxSourceSize)
		if err != nil {
			det.Problemf(p, "cannot read it: %v", err)
			return nil
		}
		total += len(data)
		root := ""
		if strings.HasPrefix(p, "src/") && !repo.IsFile(fsys, "src/__init__.py") {
			root = "src"
		}
		src.files = append(src.files, &pyFile{path: p, data: data, root: root, module: pyModuleName(p, root)})
		return nil
	})
	if src.cut {
		det.Notef("the repository has more Python source than dgen scans (%d files or %d MiB); the start command and port were looked for in the first files only", pyMaxSourceFiles, pyMaxSourceBytes>>20)
	}
	sort.Slice(src.files, func(i, j int) bool { return src.files[i].path < src.files[j].path })
	src.packageRoots(fsys)
	return src
}

// packageRoots sets the import root of files in a package below a folder
// that is not one (backend/app/main.py with backend/app/__init__.py and
// no backend/__init__.py): the code imports itself as app.…, so the
// server runs from backend. When the code imports itself through the
// folder (from backend.app import …), the root stays the repository's.
func (src *pySources) packageRoots(fsys fs.FS) {
	isPkg := map[string]bool{}
	pkg := func(dir string) bool {
		v, ok := isPkg[dir]
		if !ok {
			v = repo.IsFile(fsys, dir+"/__init__.py")
			isPkg[dir] = v
		}
		return v
	}
	rooted := map[string]bool{}
	for _, f := range src.files {
		dir := path.Dir(f.path)
		if f.root != "" || dir == "." || !pkg(dir) {
			continue
		}
		top := dir
		for parent := path.Dir(top); parent != "." && pkg(parent); parent = path.Dir(parent) {
			top = parent
		}
		root := path.Dir(top)
		if root == "." {
			continue
		}
		keep, seen := rooted[top]
		if !seen {
			full := regexp.QuoteMeta(strings.ReplaceAll(top, "/", "."))
			re := regexp.MustCompile(`(?m)^\s*(?:from|import)\s+` + full + `\b`)
			keep = true
			for _, g := range src.files {
				if g.has(path.Base(top)) && re.Match(g.data) {
					keep = false
					break
				}
			}
			rooted[top] = keep
		}
		if keep {
			f.root = root
			f.module = pyModuleName(f.path, root)
		}
	}
}

// pyModuleName turns a file path into its dotted module name relative to
// root: src/shop/main.py → shop.main, pkg/__init__.py → pkg.
func pyModuleName(p, root string) string {
	if root != "" {
		p = strings.TrimPrefix(p, root+"/")
	}
	p = strings.TrimSuffix(p, ".py")
	p = strings.TrimSuffix(p, "/__init__")
	return strings.ReplaceAll(p, "/", ".")
}

// file returns the scanned file at p, or nil.
func (s *pySources) file(p string) *pyFile {
	for _, f := range s.files {
		if f.path == p {
			return f
		}
	}
	return nil
}

// imports reports whether f imports module mod (or a submodule of it).
func (f *pyFile) imports(mod string) bool {
	if !bytes.Contains(f.data, []byte(mod)) {
		return false
	}
	return pyImportRe(mod).Match(f.data)
}

// has reports whether f holds any of the literals; regular expressions run
// only on files that do, which keeps a big repository fast.
func (f *pyFile) has(lits ...string) bool {
	if len(lits) == 0 {
		return true
	}
	for _, l := range lits {
		if bytes.Contains(f.data, []byte(l)) {
			return true
		}
	}
	return false
}

func pyImportRe(mod string) *regexp.Regexp {
	m := regexp.QuoteMeta(mod)
	return regexp.MustCompile(`(?m)^\s*(?:import\s+(?:[\w.]+\s*,\s*)*` + m + `\b|from\s+` + m + `(?:\.[\w.]+)?\s+import\b)`)
}

// pyMatch is one regexp match in a file.
type pyMatch struct {
	file *pyFile
	line int
	text string   // the line
	sub  []string // submatches
}

func (m pyMatch) evidence(detail string) facts.Evidence {
	if detail == "" {
		detail = m.text
	}
	return facts.Evidence{File: m.file.path, Line: m.line, Detail: detail}
}

// find returns every match of re in the scanned files that hold one of
// lits (all files when lits is empty), in path order.
func (s *pySources) find(re *regexp.Regexp, lits ...string) []pyMatch {
	var out []pyMatch
	for _, f := range s.files {
		out = append(out, f.find(re, lits...)...)
	}
	return out
}

// find returns every match of re in f, when f holds one of lits.
func (f *pyFile) find(re *regexp.Regexp, lits ...string) []pyMatch {
	if !f.has(lits...) {
		return nil
	}
	var out []pyMatch
	for _, loc := range re.FindAllSubmatchIndex(f.data, -1) {
		sub := make([]string, len(loc)/2)
		for i := range sub {
			if loc[2*i] >= 0 {
				sub[i] = string(f.data[loc[2*i]:loc[2*i+1]])
			}
		}
		line := repo.LineAt(f.data, loc[0])
		out = append(out, pyMatch{file: f, line: line, text: pyLineText(f.data, line), sub: sub})
	}
	return out
}
