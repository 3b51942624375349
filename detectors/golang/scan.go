package golang

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// finding is one fact found in the source, with where it was found.
type finding struct {
	File   string
	Line   int
	Detail string
}

// evidence is f as a Detection cites it.
func (f finding) evidence() facts.Evidence {
	return facts.Evidence{File: f.File, Line: f.Line, Detail: f.Detail}
}

// listener is a call that accepts connections: http.ListenAndServe,
// srv.ListenAndServe(), gin's r.Run, echo's e.Start, fiber's app.Listen,
// net.Listen.
type listener struct {
	finding
	// Addr is the resolved address argument (Known false when it could not
	// be resolved, or when the call takes none).
	Addr exprValue
	// DefaultPort is the port a framework listens on when Addr is empty
	// (gin's Run() reads $PORT, else 8080); 0 otherwise.
	DefaultPort int
	DefaultEnv  string
}

// httpRoute is an HTTP route registered with a literal path.
type httpRoute struct {
	finding
	Path string
	// recv is the router the route is registered on, as source text.
	recv string
}

// pkgScan is what the full parse of one package found.
type pkgScan struct {
	Listeners []listener
	// Addrs are http.Server{Addr: …} literals, for srv.ListenAndServe().
	Addrs []listener
	// EnvPorts are reads of an environment variable named like a port or
	// address, with their fallbacks (os.Getenv("PORT") … "8080").
	EnvPorts []listener
	// FlagPorts are flags named like an address or port with their
	// defaults (flag.String("addr", ":8080", …)).
	FlagPorts []listener
	Routes    []httpRoute
	// Embeds are //go:embed patterns, as folders relative to the repository.
	Embeds []string
	// Paths are string literals that look like relative file paths, by
	// their first element, for assets read from disk at run time.
	Paths map[string][]pathLit
	// CgoImport is an `import "C"`, or nil.
	CgoImport *finding
	// CLI is what the package says about its command line.
	CLI cliScan
}

// pathLit is a string literal that names a relative path.
type pathLit struct {
	finding
	Path string
}

// scanPackage parses every file of pkg and collects listeners, ports,
// routes, embeds and path literals. A file that does not parse is scanned
// as far as the parser got.
func scanPackage(fsys fs.FS, pkg *buildPkg, det *facts.Detection) *pkgScan {
	sc := &pkgScan{Paths: map[string][]pathLit{}}
	fset := token.NewFileSet()
	type parsed struct {
		name string
		src  []byte
		f    *ast.File
	}
	var files []parsed
	for _, name := range pkg.Files {
		src, err := repo.ReadPrefix(fsys, name, repo.MaxSourceSize)
		if err != nil {
			continue // reported by the first pass
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if f == nil {
			continue
		}
		if err != nil {
			det.Problemf(name, "not valid Go (%s); read as far as it parses", firstLine(err.Error()))
		}
		files = append(files, parsed{name, src, f})
	}
	syms := newSymbols()
	srcs := map[string][]byte{}
	for _, p := range files {
		syms.collect(p.f)
		srcs[p.name] = p.src
	}
	for _, p := range files {
		func() {
			// A parser bug must not take detection down: record and go on.
			defer func() {
				if r := recover(); r != nil {
					det.Problemf(p.name, "could not be scanned (%v); ports and routes in it were not read", r)
				}
			}()
			s := &fileScan{sc: sc, syms: syms, fset: fset, name: p.name, src: p.src, f: p.f}
			s.run()
		}()
	}
	sc.EnvPorts = envPorts(syms, fset, srcs)
	return sc
}

// envPorts lists the package's variables and struct fields that read a
// port or address from the environment, in source order, with what the
// code falls back to.
func envPorts(syms *symbols, fset *token.FileSet, srcs map[string][]byte) []listener {
	var out []listener
	for _, k := range slices.Sorted(maps.Keys(syms.assigns)) {
		v := syms.evalAll(syms.assigns[k])
		if v.Env == "" || !portishEnv.MatchString(v.Env) {
			continue
		}
		first := syms.assigns[k][0]
		pos := fset.Position(first.Pos())
		out = append(out, listener{finding: finding{File: pos.Filename, Line: pos.Line, Detail: k + " = " + nodeText(fset, srcs[pos.Filename], first)}, Addr: v})
	}
	for _, name := range slices.Sorted(maps.Keys(syms.tags)) {
		t := syms.tags[name]
		if t.env == "" || !portishEnv.MatchString(t.env) {
			continue
		}
		pos := fset.Position(t.node.Pos())
		out = append(out, listener{finding: finding{File: pos.Filename, Line: pos.Line, Detail: nodeText(fset, srcs[pos.Filename], t.node)},
			Addr: t.value()})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// nodeText returns n's source on one line, shortened for evidence.
func nodeText(fset *token.FileSet, src []byte, n ast.Node) string {
	start, end := fset.Position(n.Pos()).Offset, fset.Position(n.End()).Offset
	if start < 0 || end > len(src) || start >= end {
		return ""
	}
	t := strings.Join(strings.Fields(string(src[start:end])), " ")
	if len(t) > 80 {
		t = t[:77] + "…"
	}
	return t
}

// portishEnv matches environment variables that hold the server's own
// port or address (PORT, HTTP_ADDR), not a database's (DB_PORT).
var portishEnv = regexp.MustCompile(`^((HTTP|HTTPS|APP|SERVER|SERVICE|LISTEN|WEB|API|BIND)_)?(PORT|ADDR|ADDRESS|LISTEN_ADDR)$`)
