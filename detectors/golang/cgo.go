package golang

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// CGOModule is a dependency that needs cgo. It counts only when a package
// the main package reaches imports it: a go.mod requirement alone does not
// switch cgo on, since tools, tests and other commands of the module can
// be the ones that require it.
type CGOModule struct {
	// Path is the module path (its packages and /vN major versions match),
	// or, with Import set, an import path whose use alone needs cgo while
	// the rest of its module does not.
	Path   string
	Import bool
	// Why is told to the user.
	Why string
}

// CGOModules are the dependencies known to need cgo. The generator maps
// each to the Debian packages its build and runtime need. modernc.org/sqlite
// is deliberately absent: it is SQLite translated to pure Go.
var CGOModules = []CGOModule{
	{Path: "github.com/mattn/go-sqlite3", Why: "binds the SQLite C library; built with CGO_ENABLED=0 it compiles but fails at run time"},
	{Path: "github.com/confluentinc/confluent-kafka-go", Why: "wraps librdkafka through cgo"},
	{Path: "gopkg.in/gographics/imagick.v3", Why: "binds ImageMagick 7's MagickWand"},
	{Path: "gopkg.in/gographics/imagick.v2", Why: "binds ImageMagick 6's MagickWand"},
	{Path: "github.com/h2non/bimg", Why: "binds libvips"},
	{Path: "github.com/davidbyttow/govips", Why: "binds libvips"},
	{Path: "github.com/tecbot/gorocksdb", Why: "binds RocksDB"},
	{Path: "github.com/linxGnu/grocksdb", Why: "binds RocksDB"},
	{Path: "github.com/pebbe/zmq4", Why: "binds libzmq"},
	{Path: "github.com/proglottis/gpgme", Why: "binds GPGME"},
	{Path: "github.com/miekg/pkcs11", Why: "loads PKCS#11 modules through cgo"},
	{Path: "github.com/google/gopacket/pcap", Import: true, Why: "binds libpcap"},
	{Path: "github.com/gopacket/gopacket/pcap", Import: true, Why: "binds libpcap"},
}

// CGOWrapper is a third-party package that imports a package of
// CGOModules, so that importing it needs cgo too: an ORM's or a migration
// tool's SQLite driver. Only packages that import the cgo package in
// every build are listed.
type CGOWrapper struct {
	// Import is the wrapper's import path (a /vN major version of it
	// matches too).
	Import string
	// Module is the CGOModules path it imports.
	Module string
}

// CGOWrappers are the third-party packages known to import a cgo-only
// package. They matter most for modules written before Go 1.17, whose
// go.mod lists no indirect requirements: there the cgo module appears only
// in go.sum, and the import of the wrapper is the one trace of it.
var CGOWrappers = []CGOWrapper{
	{Import: "gorm.io/driver/sqlite", Module: "github.com/mattn/go-sqlite3"},
	{Import: "github.com/jinzhu/gorm/dialects/sqlite", Module: "github.com/mattn/go-sqlite3"},
	{Import: "github.com/golang-migrate/migrate/v4/database/sqlite3", Module: "github.com/mattn/go-sqlite3"},
	{Import: "github.com/golang-migrate/migrate/database/sqlite3", Module: "github.com/mattn/go-sqlite3"},
	{Import: "github.com/upper/db/v4/adapter/sqlite", Module: "github.com/mattn/go-sqlite3"},
	{Import: "upper.io/db.v3/sqlite", Module: "github.com/mattn/go-sqlite3"},
	{Import: "github.com/gofiber/storage/sqlite3", Module: "github.com/mattn/go-sqlite3"},
	{Import: "github.com/amacneil/dbmate/v2/pkg/driver/sqlite", Module: "github.com/mattn/go-sqlite3"},
	{Import: "gopkg.in/DataDog/dd-trace-go.v1/contrib/mattn/go-sqlite3", Module: "github.com/mattn/go-sqlite3"},
}

// cgo decides whether the build needs cgo: a package the main package
// reaches imports "C", a package of CGOModules, or a package of
// CGOWrappers. The import that decides is cited. A cgo module that go.mod
// requires but nothing reached imports (a tool's, a test's, another
// command's) leaves the build static, with a note that says why.
func (Detector) cgo(fsys fs.FS, lay *layout, in *mainInfo, det *facts.Detection) {
	g := det.Go
	cgoImports(in.reach, det)
	if g.Vendor {
		cgoVendored(fsys, lay, in.reach, det)
	}
	unused := cgoUnused(fsys, lay, det)
	pure := pureSQLite(lay)
	if !g.CGO {
		switch {
		case len(unused) > 0:
			u := unused[0]
			det.Cite("cgo", u.req.File, u.req.Line, fmt.Sprintf("requires %s, but %s: a static build with CGO_ENABLED=0", u.req.Path, u.why))
		case pure != nil:
			det.Cite("cgo", pure.File, pure.Line, "requires modernc.org/sqlite, which is pure Go: a static build with CGO_ENABLED=0 works")
		default:
			det.Cite("cgo", in.pkg.Main, 0, `no import "C" and no dependency known to need cgo: a static build with CGO_ENABLED=0`)
		}
	}
	for _, u := range unused {
		det.Notef("%s:%d requires %s, but %s, so the binary is built without cgo; if a dependency imports it after all (the program then stops with \"requires cgo to work\"), add `import _ \"%s\"` to the main package", u.req.File, u.req.Line, u.req.Path, u.why, u.req.Path)
	}
	sort.Strings(g.CGOModules)
}

// cgoImports looks at the imports of the program's packages: import "C",
// a package of CGOModules, or a package of CGOWrappers.
func cgoImports(reach []*buildPkg, det *facts.Detection) {
	g := det.Go
	use := func(imp importSpec, mod, why string) { cgoUse(det, imp, mod, why) }
	for _, r := range reach {
		for _, imp := range r.Imports {
			if imp.Path == "C" && !g.CGO {
				g.CGO = true
				det.Cite("cgo", imp.File, imp.Line, `import "C": the program's own code calls C`)
			}
			if c := cgoModuleOf(imp.Path); c != nil {
				use(imp, c.Path, fmt.Sprintf("imports %s, which %s", imp.Path, c.Why))
			}
			for _, w := range CGOWrappers {
				if modulePathMatches(imp.Path, w.Import) {
					if c := cgoModuleOf(w.Module); c != nil {
						use(imp, c.Path, fmt.Sprintf("imports %s, which imports %s, which %s", imp.Path, w.Module, c.Why))
					}
				}
			}
		}
	}
}

// cgoUse records that the build needs cgo module mod, and cites imp as
// the reason when it is the first one.
func cgoUse(det *facts.Detection, imp importSpec, mod, why string) {
	g := det.Go
	if !slices.Contains(g.CGOModules, mod) {
		g.CGOModules = append(g.CGOModules, mod)
	}
	if !g.CGO {
		g.CGO = true
		det.Cite("cgo", imp.File, imp.Line, why)
	}
}

// cgoModuleOf returns the CGOModules entry an import path belongs to, or
// nil.
func cgoModuleOf(imp string) *CGOModule {
	for i, c := range CGOModules {
		if imp == c.Path || strings.HasPrefix(imp, c.Path+"/") {
			return &CGOModules[i]
		}
	}
	return nil
}

// unusedCGO is a required cgo module that no reached package imports, and
// why.
type unusedCGO struct {
	req requirement
	why string
}

// cgoUnused lists the requirements of CGOModules modules that the
// program does not import, each with the reason: a go.mod tool directive,
// an import only in a file built with -tags tools (tools.go), or no import
// on the main package's path at all.
func cgoUnused(fsys fs.FS, lay *layout, det *facts.Detection) []unusedCGO {
	var out []unusedCGO
	seen := map[string]bool{}
	for _, req := range lay.requires() {
		for _, c := range CGOModules {
			if c.Import || !modulePathMatches(req.Path, c.Path) || slices.Contains(det.Go.CGOModules, c.Path) || seen[c.Path] {
				continue
			}
			seen[c.Path] = true
			why := fmt.Sprintf("no package that %s imports uses it, directly or through a package known to (such as gorm.io/driver/sqlite)", det.Go.Main)
			if t := toolDirective(lay, req.Path); t != nil {
				why = fmt.Sprintf("only as a tool (%s:%d tool %s), which is not part of the binary", t.File, t.Line, t.Detail)
			} else if t := toolsImport(fsys, lay, req.Path); t != nil {
				why = fmt.Sprintf("only %s:%d imports it, in a file built with -tags tools alone, which is not part of the binary", t.File, t.Line)
			}
			out = append(out, unusedCGO{req: req, why: why})
		}
	}
	return out
}

// pureSQLite returns the last requirement of modernc.org/sqlite, the
// pure-Go SQLite, or nil.
func pureSQLite(lay *layout) *requirement {
	var pure *requirement
	for _, req := range lay.requires() {
		if req.Path == "modernc.org/sqlite" {
			r := req
			pure = &r
		}
	}
	return pure
}

// toolDirective returns the go.mod `tool` directive (Go 1.24) that names
// a package of module mod, or nil.
func toolDirective(lay *layout, mod string) *finding {
	for _, m := range lay.Modules {
		for _, t := range m.File.Tool {
			if t.Path == mod || strings.HasPrefix(t.Path, mod+"/") {
				return &finding{File: m.Name, Line: t.Syntax.Start.Line, Detail: t.Path}
			}
		}
	}
	return nil
}
