package golang

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// CGOModule is a dependency that needs cgo.
type CGOModule struct {
	// Path is the module path (any /vN major version matches), or, with
	// Import set, an import path whose use alone needs cgo.
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

// cgo decides whether the build needs cgo: the program's packages import
// "C" or a package known to need it, or a build module requires a module
// known to need it. The first reason found is cited.
func (Detector) cgo(lay *layout, in *mainInfo, det *facts.Detection) {
	g := det.Go
	cgoImports(in.reach, det)
	pure := cgoRequires(lay, det)
	if !g.CGO {
		if pure != nil {
			det.Cite("cgo", pure.File, pure.Line, "requires modernc.org/sqlite, which is pure Go: a static build with CGO_ENABLED=0 works")
		} else {
			det.Cite("cgo", in.pkg.Main, 0, `no import "C" and no dependency known to need cgo: a static build with CGO_ENABLED=0`)
		}
	}
	sort.Strings(g.CGOModules)
}

// cgoImports looks at the imports of the program's packages: import "C",
// or an import path listed in CGOModules.
func cgoImports(reach []*buildPkg, det *facts.Detection) {
	g := det.Go
	for _, r := range reach {
		for _, imp := range r.Imports {
			if imp.Path == "C" && !g.CGO {
				g.CGO = true
				det.Cite("cgo", imp.File, imp.Line, `import "C": the program's own code calls C`)
			}
			for _, c := range CGOModules {
				if !c.Import || (imp.Path != c.Path && !strings.HasPrefix(imp.Path, c.Path+"/")) || slices.Contains(g.CGOModules, c.Path) {
					continue
				}
				g.CGOModules = append(g.CGOModules, c.Path)
				if !g.CGO {
					g.CGO = true
					det.Cite("cgo", imp.File, imp.Line, fmt.Sprintf("imports %s, which %s", imp.Path, c.Why))
				}
			}
		}
	}
}

// cgoRequires looks at the build modules' requirements for modules
// listed in CGOModules. It returns the last requirement of
// modernc.org/sqlite, the pure-Go SQLite, or nil.
func cgoRequires(lay *layout, det *facts.Detection) *requirement {
	g := det.Go
	var pure *requirement
	for _, req := range lay.requires() {
		if req.Path == "modernc.org/sqlite" {
			r := req
			pure = &r
		}
		for _, c := range CGOModules {
			if c.Import || !modulePathMatches(req.Path, c.Path) || slices.Contains(g.CGOModules, c.Path) {
				continue
			}
			g.CGOModules = append(g.CGOModules, c.Path)
			if !g.CGO {
				g.CGO = true
				ind := ""
				if req.Indirect {
					ind = " (indirect)"
				}
				det.Cite("cgo", req.File, req.Line, fmt.Sprintf("requires %s%s, which %s", req.Path, ind, c.Why))
			}
		}
	}
	return pure
}
