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
	// Side is "metrics", "debug", "redirect" or "health" for a listener
	// that is not the app's own port.
	Side string
	// Raw is true for net.Listen, which may serve anything; HTTP
	// listeners are preferred.
	Raw bool
	// Flag is the command-line flag a port default belongs to.
	Flag string
	// Lit is true when the address is a literal in the call itself, which
	// no config file changes.
	Lit bool
	// Required is set for a struct field whose variable the program
	// requires (`env:"PORT,required"`).
	Required bool
	// Recv is the listening call's receiver (srv in srv.ListenAndServe()),
	// or the variable an http.Server literal is assigned to.
	Recv string
	// owner is the variable a flag is declared on (serverCmd in
	// serverCmd.Flags()), fn the function around the call, recv its
	// receiver type and at its position: they tie it to the command
	// whose path reads it.
	owner, fn string
	// recv is the receiver type of the method around it.
	recv string
	at   token.Pos
}

// httpRoute is an HTTP route registered with a literal path.
type httpRoute struct {
	finding
	Path string
	// recv is the router the route is registered on, as source text.
	recv string
	// returned is set when that router is built and returned by a
	// function, so it may be mounted under a prefix elsewhere.
	returned bool
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
	// EmbedPatterns are the //go:embed patterns as written (without
	// all:), for the files the build needs; Generates are the
	// //go:generate directives, for the steps that may create them.
	EmbedPatterns []goDirective
	Generates     []goDirective
	// Paths are string literals that look like relative file paths, by
	// their first element, for assets read from disk at run time.
	Paths map[string][]pathLit
	// RelPaths are string literals that may name a front end's build
	// output: relative paths with a folder ("web/dist") and bare build
	// folder names ("dist").
	RelPaths []pathLit
	// CgoImport is an `import "C"`, or nil.
	CgoImport *finding
	// GRPCServer is a grpc.NewServer call, or nil: the port it serves
	// speaks HTTP/2 only, so no HTTP GET can probe it.
	GRPCServer *finding
	// CLI is what the package says about its command line.
	CLI cliScan
	// ConfigNames are string literals naming a config file
	// ("config.yml"), for the files the program loads by default.
	ConfigNames []pathLit
	// Runtime are calls that read or write a path named in the code, for
	// the files the image must hold and the folders it must make writable.
	Runtime []runtimeUse
	// depFW are the web frameworks the build packages this one imports
	// use, for an instance built there and started here.
	depFW map[string]bool
	// Routers are the package's routers by variable (or ".field") name;
	// pending are routes on them, resolved once every file is read.
	Routers map[string]routerRef
	pending []httpRoute
	locals  int
	// MountsCall is set when a router built by a call is mounted under a
	// prefix (r.Mount("/api", api.Routes())).
	MountsCall bool
}

// goDirective is one //go:embed pattern or //go:generate command line,
// with the package folder it belongs to.
type goDirective struct {
	finding
	// Dir is the package folder, relative to the repository root.
	Dir string
	// Text is the pattern, or the directive's command line.
	Text string
}

// pathLit is a string literal that names a relative path.
type pathLit struct {
	finding
	Path string
}

// parsedPkg is one package parsed, with its symbol table.
type parsedPkg struct {
	fset  *token.FileSet
	files []parsedFile
	syms  *symbols
}

// parsedFile is one parsed file of a package.
type parsedFile struct {
	name string
	src  []byte
	f    *ast.File
}

// parsePackage parses every file of pkg and collects its symbols. A file
// that does not parse is kept as far as the parser got.
func parsePackage(fsys fs.FS, pkg *buildPkg, det *facts.Detection) *parsedPkg {
	pp := &parsedPkg{fset: token.NewFileSet(), syms: newSymbols()}
	for _, name := range pkg.Files {
		src, err := repo.ReadPrefix(fsys, name, repo.MaxSourceSize)
		if err != nil {
			continue // reported by the first pass
		}
		f, err := parser.ParseFile(pp.fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if f == nil {
			continue
		}
		if err != nil {
			det.Problemf(name, "not valid Go (%s); read as far as it parses", firstLine(err.Error()))
		}
		pp.files = append(pp.files, parsedFile{name, src, f})
		pp.syms.collect(f)
	}
	return pp
}

// scanPackage walks a parsed package and collects listeners, ports,
// routes, embeds and path literals.
func scanPackage(pp *parsedPkg, depFW map[string]bool, det *facts.Detection) *pkgScan {
	sc := &pkgScan{Paths: map[string][]pathLit{}, depFW: depFW, Routers: map[string]routerRef{}}
	srcs := map[string][]byte{}
	for _, p := range pp.files {
		srcs[p.name] = p.src
	}
	for _, p := range pp.files {
		func() {
			// A parser bug must not take detection down: record and go on.
			defer func() {
				if r := recover(); r != nil {
					det.Problemf(p.name, "could not be scanned (%v); ports and routes in it were not read", r)
				}
			}()
			s := &fileScan{sc: sc, syms: pp.syms, fset: pp.fset, name: p.name, src: p.src, f: p.f}
			s.run()
		}()
	}
	sc.resolveRoutes()
	// Reads in code first, then defaults held in data tables.
	sc.EnvPorts = append(envPorts(pp.syms, pp.fset, srcs), sc.EnvPorts...)
	sc.FlagPorts = append(sc.FlagPorts, tagDefaultPorts(pp.syms, pp.fset, srcs)...)
	return sc
}

// envPorts lists the package's variables and struct fields that read a
// port or address from the environment, in source order, with what the
// code falls back to.
func envPorts(syms *symbols, fset *token.FileSet, srcs map[string][]byte) []listener {
	var out []listener
	for _, k := range slices.Sorted(maps.Keys(syms.assigns)) {
		v := syms.evalAll(syms.assigns[k])
		if v.Env == "" || !portEnvName(v.Env) {
			continue
		}
		v = syms.fieldFallback(k, v)
		first := syms.assigns[k][0]
		pos := fset.Position(first.Pos())
		out = append(out, listener{finding: finding{File: pos.Filename, Line: pos.Line, Detail: k + " = " + nodeText(fset, srcs[pos.Filename], first)}, Addr: v})
	}
	for _, name := range slices.Sorted(maps.Keys(syms.tags)) {
		t := syms.tags[name]
		if t.env == "" || !portEnvName(t.env) {
			continue
		}
		pos := fset.Position(t.node.Pos())
		out = append(out, listener{finding: finding{File: pos.Filename, Line: pos.Line, Detail: nodeText(fset, srcs[pos.Filename], t.node)},
			Addr: t.value(), Required: t.required})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// tagDefaultPorts are config struct fields named like the server's port
// in a config file or by their Go name, with a `default:"80"` tag and no
// variable of their own (configor, kong, envconfig's untagged fields):
// port defaults, after the flags.
func tagDefaultPorts(syms *symbols, fset *token.FileSet, srcs map[string][]byte) []listener {
	var out []listener
	for _, name := range slices.Sorted(maps.Keys(syms.tags)) {
		t := syms.tags[name]
		if t.env != "" || t.def == "" || !portishName(t.key) {
			continue
		}
		pos := fset.Position(t.node.Pos())
		out = append(out, listener{finding: finding{File: pos.Filename, Line: pos.Line, Detail: nodeText(fset, srcs[pos.Filename], t.node) + " (a config default)"},
			Addr: knownValue(t.def)})
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
var portishEnv = regexp.MustCompile(`^([A-Z0-9]+_){0,3}(PORT|ADDR|ADDRESS|LISTEN|LISTEN_ADDR|LISTEN_HTTP|BIND|BIND_ADDR)$`)

// portEnvName reports whether an environment variable holds the server's
// own port or address: PORT, HTTP_ADDR, SHOP_SERVER_PORT, but not
// DB_PORT or METRICS_ADDR.
func portEnvName(env string) bool {
	return portishEnv.MatchString(env) && !otherServices.MatchString(env) && !sideWords.MatchString(env)
}
