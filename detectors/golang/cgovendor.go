package golang

import (
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// maxVendored bounds how many vendored packages are read for one main
// package.
const maxVendored = 500

// vendorStep is a vendored package to read, with the program's own import
// that leads to it.
type vendorStep struct {
	path string
	from importSpec
}

// cgoVendored follows the program's imports through vendor/. When the
// build uses the vendored sources they are the dependencies' real code,
// so a package of CGOModules imported anywhere on the way counts, not
// only through the packages CGOWrappers lists. The program's import that
// leads there is cited, with the vendored file that imports the cgo
// package.
func cgoVendored(fsys fs.FS, lay *layout, reach []*buildPkg, det *facts.Detection) {
	var queue []vendorStep
	seen := map[string]bool{}
	push := func(imp string, from importSpec) {
		if !seen[imp] && thirdParty(imp) && importDir(imp, lay) == "" && cgoModuleOf(imp) == nil {
			seen[imp] = true
			queue = append(queue, vendorStep{imp, from})
		}
	}
	for _, r := range reach {
		for _, imp := range r.Imports {
			push(imp.Path, imp)
		}
	}
	for i := 0; i < len(queue) && i < maxVendored; i++ {
		st := queue[i]
		for _, imp := range vendoredImports(fsys, st.path) {
			if c := cgoModuleOf(imp.Path); c != nil {
				cgoUse(det, st.from, c.Path, fmt.Sprintf("imports %s, whose vendored code imports %s (%s:%d), which %s", st.from.Path, imp.Path, imp.File, imp.Line, c.Why))
				continue
			}
			push(imp.Path, st.from)
		}
	}
}

// thirdParty reports whether an import path names a package outside the
// standard library: its first element has a dot.
func thirdParty(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return strings.Contains(first, ".")
}

// vendoredImports lists the imports of the vendored package imp, from its
// files that build on linux without cgo: files that import "C" are left
// out, as the go tool leaves them out of a static build.
func vendoredImports(fsys fs.FS, imp string) []importSpec {
	dir := path.Join("vendor", imp)
	entries, err := repo.ReadDir(fsys, dir)
	if err != nil {
		return nil
	}
	var out []importSpec
	for _, e := range entries {
		name := path.Join(dir, e.Name())
		if e.IsDir() || !fileOK(name) {
			continue
		}
		src, err := repo.ReadPrefix(fsys, name, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		fset := token.NewFileSet()
		f, _ := parser.ParseFile(fset, name, src, parser.ImportsOnly|parser.ParseComments|parser.SkipObjectResolution)
		if f == nil || !constraintsAllow(f) {
			continue
		}
		var specs []importSpec
		cgoFile := false
		for _, is := range f.Imports {
			p, err := strconv.Unquote(is.Path.Value)
			if err != nil {
				continue
			}
			cgoFile = cgoFile || p == "C"
			specs = append(specs, importSpec{Path: p, File: name, Line: fset.Position(is.Pos()).Line})
		}
		if !cgoFile {
			out = append(out, specs...)
		}
	}
	return out
}
