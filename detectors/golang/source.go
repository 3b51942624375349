package golang

import (
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// buildPkg is one Go package folder of the build, as the first pass (package
// clause and imports only) sees it.
type buildPkg struct {
	// Dir is the folder relative to the repository root.
	Dir string
	// Module is the module that holds it.
	Module *buildModule
	// Files are its non-test .go files that build on linux, in order.
	Files []string
	// Main is the first file that says `package main`, and MainLine its
	// package clause line; "" for a library package.
	Main     string
	MainLine int
	// Imports are its imports, in file order.
	Imports []importSpec
}

// importSpec is one import spec.
type importSpec struct {
	Path string
	File string
	Line int
}

// goosList and goarchList are the file-name suffixes the go tool reads as
// build constraints (x_windows.go, x_arm.go); the image is linux on amd64
// or arm64, so files for anything else are left out.
var goosList = map[string]bool{
	"aix": true, "android": true, "darwin": true, "dragonfly": true, "freebsd": true,
	"hurd": true, "illumos": true, "ios": true, "js": true, "linux": true, "nacl": true,
	"netbsd": true, "openbsd": true, "plan9": true, "solaris": true, "wasip1": true,
	"windows": true, "zos": true,
}

var goarchList = map[string]bool{
	"386": true, "amd64": true, "arm": true, "arm64": true, "loong64": true,
	"mips": true, "mipsle": true, "mips64": true, "mips64le": true, "ppc64": true,
	"ppc64le": true, "riscv64": true, "s390x": true, "wasm": true, "sparc64": true,
}

// buildsOnLinux reports whether a file name's GOOS/GOARCH suffix lets it
// build for linux on amd64 or arm64.
func buildsOnLinux(name string) bool {
	base := strings.TrimSuffix(path.Base(name), ".go")
	parts := strings.Split(base, "_")
	if len(parts) < 2 {
		return true
	}
	last := parts[len(parts)-1]
	if goarchList[last] {
		if last != "amd64" && last != "arm64" {
			return false
		}
		if len(parts) >= 3 && goosList[parts[len(parts)-2]] && parts[len(parts)-2] != "linux" {
			return false
		}
		return true
	}
	if goosList[last] {
		return last == "linux"
	}
	return true
}

// tagSatisfied evaluates one build tag for a linux image. cgo counts as
// off: a file that builds only with cgo does not by itself make the binary
// need cgo, since the go tool leaves it out of a static build.
func tagSatisfied(tag string) bool {
	switch tag {
	case "linux", "unix", "amd64", "arm64", "gc":
		return true
	}
	return strings.HasPrefix(tag, "go1.")
}

// constraintsAllow reports whether the //go:build (or // +build) lines
// above the package clause let the file build on linux.
func constraintsAllow(f *ast.File) bool {
	return constraintsAllowWith(f, tagSatisfied)
}

// toolsOnly reports whether a file builds only with -tags tools: the
// tools.go convention that pins tools in go.mod without building them
// into any binary.
func toolsOnly(f *ast.File) bool {
	return !constraintsAllow(f) && constraintsAllowWith(f, func(tag string) bool {
		return tag == "tools" || tagSatisfied(tag)
	})
}

// constraintsAllowWith evaluates the build constraints above the package
// clause with ok deciding each tag.
func constraintsAllowWith(f *ast.File, ok func(string) bool) bool {
	for _, cg := range f.Comments {
		if cg.Pos() >= f.Package {
			break
		}
		for _, c := range cg.List {
			if !constraint.IsGoBuild(c.Text) && !constraint.IsPlusBuild(c.Text) {
				continue
			}
			expr, err := constraint.Parse(c.Text)
			if err != nil {
				continue
			}
			if !expr.Eval(ok) {
				return false
			}
		}
	}
	return true
}

// fileOK reports whether a walked file is a Go source file the build
// uses.
func fileOK(p string) bool {
	return strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") &&
		!strings.HasPrefix(path.Base(p), "_") && !strings.HasPrefix(path.Base(p), ".") &&
		buildsOnLinux(p)
}

// indexPackages walks every module of the build and returns its package
// folders, parsing only package clauses and imports. Folders that belong
// to a nested module not in the build, and folders the go tool ignores
// (testdata, _x, .x), are left out.
func indexPackages(fsys fs.FS, lay *layout, det *facts.Detection) map[string]*buildPkg {
	pkgs := map[string]*buildPkg{}
	inBuild := map[string]*buildModule{}
	for _, m := range lay.Modules {
		inBuild[m.Dir] = m
	}
	for _, m := range lay.Modules {
		nested := map[string]bool{}
		var files []string
		_ = repo.Walk(fsys, m.Dir, func(p string, d fs.DirEntry) error {
			dir := path.Dir(p)
			if d.Name() == "go.mod" && dir != m.Dir {
				nested[dir] = true
			}
			if fileOK(p) && !underscoreDir(dir) {
				files = append(files, p)
			}
			return nil
		})
		for _, p := range files {
			dir := path.Dir(p)
			if ownerModule(dir, m.Dir, nested) != m.Dir {
				continue
			}
			if _, ok := pkgs[dir]; ok && pkgs[dir].Module != m {
				continue
			}
			scanImports(fsys, p, m, pkgs, det)
		}
	}
	return pkgs
}

// underscoreDir reports whether any element of dir starts with "_", which
// the go tool ignores.
func underscoreDir(dir string) bool {
	for _, el := range strings.Split(dir, "/") {
		if strings.HasPrefix(el, "_") {
			return true
		}
	}
	return false
}

// ownerModule returns the folder of the innermost module that holds dir:
// root itself, or a nested module folder.
func ownerModule(dir, root string, nested map[string]bool) string {
	for d := dir; ; d = path.Dir(d) {
		if nested[d] {
			return d
		}
		if d == root || d == "." || d == "/" {
			return root
		}
	}
}

// scanImports parses one file's package clause and imports into pkgs.
func scanImports(fsys fs.FS, name string, m *buildModule, pkgs map[string]*buildPkg, det *facts.Detection) {
	src, err := repo.ReadPrefix(fsys, name, repo.MaxSourceSize)
	if err != nil {
		det.Problemf(name, "cannot read: %v", err)
		return
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly|parser.ParseComments|parser.SkipObjectResolution)
	if f == nil || f.Name == nil || f.Name.Name == "" {
		if err != nil {
			det.Problemf(name, "not valid Go, skipped: %v", firstLine(err.Error()))
		}
		return
	}
	if !constraintsAllow(f) {
		return
	}
	dir := path.Dir(name)
	pkg := pkgs[dir]
	if pkg == nil {
		pkg = &buildPkg{Dir: dir, Module: m}
		pkgs[dir] = pkg
	}
	pkg.Files = append(pkg.Files, name)
	if f.Name.Name == "main" && pkg.Main == "" {
		pkg.Main = name
		pkg.MainLine = fset.Position(f.Package).Line
	}
	for _, is := range f.Imports {
		p, err := strconv.Unquote(is.Path.Value)
		if err != nil {
			continue
		}
		pkg.Imports = append(pkg.Imports, importSpec{Path: p, File: name, Line: fset.Position(is.Pos()).Line})
	}
}

// toolsImport returns the first import of a package of module mod in a
// file of the build's modules that builds only with -tags tools, or nil.
// Files are parsed only when their text names mod.
func toolsImport(fsys fs.FS, lay *layout, mod string) *finding {
	var found *finding
	for _, m := range lay.Modules {
		_ = repo.Walk(fsys, m.Dir, func(p string, d fs.DirEntry) error {
			if found != nil || !fileOK(p) {
				return nil
			}
			src, err := repo.ReadPrefix(fsys, p, repo.MaxSourceSize)
			if err != nil || !strings.Contains(string(src), mod) {
				return nil
			}
			fset := token.NewFileSet()
			f, _ := parser.ParseFile(fset, p, src, parser.ImportsOnly|parser.ParseComments|parser.SkipObjectResolution)
			if f == nil || !toolsOnly(f) {
				return nil
			}
			for _, is := range f.Imports {
				if ip, err := strconv.Unquote(is.Path.Value); err == nil && (ip == mod || strings.HasPrefix(ip, mod+"/")) {
					found = &finding{File: p, Line: fset.Position(is.Pos()).Line, Detail: ip}
					return nil
				}
			}
			return nil
		})
		if found != nil {
			break
		}
	}
	return found
}

// firstLine cuts a multi-line parser error to its first line.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// importDir maps an import path to a package folder of the build, or "".
func importDir(imp string, lay *layout) string {
	best := ""
	bestLen := -1
	for _, m := range lay.Modules {
		if imp == m.Path || strings.HasPrefix(imp, m.Path+"/") {
			if len(m.Path) > bestLen {
				bestLen = len(m.Path)
				best = path.Join(m.Dir, strings.TrimPrefix(strings.TrimPrefix(imp, m.Path), "/"))
			}
		}
	}
	return best
}

// maxReachable bounds how many of the build's own packages are scanned for
// one main package: enough for any service, cheap on a monorepo.
const maxReachable = 200

// reachable returns the build's own packages that main imports, directly
// or not, main first, in breadth-first order.
func reachable(main *buildPkg, pkgs map[string]*buildPkg, lay *layout) []*buildPkg {
	out := []*buildPkg{main}
	seen := map[string]bool{main.Dir: true}
	for i := 0; i < len(out) && len(out) < maxReachable; i++ {
		for _, imp := range out[i].Imports {
			d := importDir(imp.Path, lay)
			if d == "" || seen[d] {
				continue
			}
			seen[d] = true
			if p := pkgs[d]; p != nil && p.Main == "" {
				out = append(out, p)
				if len(out) >= maxReachable {
					break
				}
			}
		}
	}
	return out
}

// sortedPkgs returns the package folders in lexical order.
func sortedPkgs(pkgs map[string]*buildPkg) []*buildPkg {
	out := make([]*buildPkg, 0, len(pkgs))
	for _, p := range pkgs {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out
}
