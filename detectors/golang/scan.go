package golang

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"net"
	"path"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// goFinding is one fact found in the source, with where it was found.
type goFinding struct {
	File   string
	Line   int
	Detail string
}

func (f goFinding) evidence() facts.Evidence {
	return facts.Evidence{File: f.File, Line: f.Line, Detail: f.Detail}
}

// goListener is a call that accepts connections: http.ListenAndServe,
// srv.ListenAndServe(), gin's r.Run, echo's e.Start, fiber's app.Listen,
// net.Listen.
type goListener struct {
	goFinding
	// Addr is the resolved address argument (Known false when it could not
	// be resolved, or when the call takes none).
	Addr goValue
	// DefaultPort is the port a framework listens on when Addr is empty
	// (gin's Run() reads $PORT, else 8080); 0 otherwise.
	DefaultPort int
	DefaultEnv  string
}

// goRoute is an HTTP route registered with a literal path.
type goRoute struct {
	goFinding
	Path string
	// recv is the router the route is registered on, as source text.
	recv string
}

// goScan is what the full parse of one package found.
type goScan struct {
	Listeners []goListener
	// Addrs are http.Server{Addr: …} literals, for srv.ListenAndServe().
	Addrs []goListener
	// EnvPorts are reads of an environment variable named like a port or
	// address, with their fallbacks (os.Getenv("PORT") … "8080").
	EnvPorts []goListener
	// FlagPorts are flags named like an address or port with their
	// defaults (flag.String("addr", ":8080", …)).
	FlagPorts []goListener
	Routes    []goRoute
	// Embeds are //go:embed patterns, as folders relative to the repository.
	Embeds []string
	// Paths are string literals that look like relative file paths, by
	// their first element, for assets read from disk at run time.
	Paths map[string][]goPathLit
	// CgoImport is an `import "C"`, or nil.
	CgoImport *goFinding
}

// goPathLit is a string literal that names a relative path.
type goPathLit struct {
	goFinding
	Path string
}

// goValue is what dgen could work out about an expression's value.
type goValue struct {
	// S is the value, with an environment variable's fallback in its place.
	S string
	// Known is true when S is the complete value.
	Known bool
	// Env is the environment variable the value is read from, if any, and
	// EnvFallback its fallback when the code has one.
	Env         string
	EnvFallback string
	HasFallback bool
}

func goKnown(s string) goValue { return goValue{S: s, Known: true} }

// goScanPackage parses every file of pkg and collects listeners, ports,
// routes, embeds and path literals. A file that does not parse is scanned
// as far as the parser got.
func goScanPackage(fsys fs.FS, pkg *goPkg, det *facts.Detection) *goScan {
	sc := &goScan{Paths: map[string][]goPathLit{}}
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
			det.Problemf(name, "not valid Go (%s); read as far as it parses", goFirstLine(err.Error()))
		}
		files = append(files, parsed{name, src, f})
	}
	syms := goNewGoSyms()
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
			s := &goFileScan{sc: sc, syms: syms, fset: fset, name: p.name, src: p.src, f: p.f}
			s.run()
		}()
	}
	sc.EnvPorts = goEnvPorts(syms, fset, srcs)
	return sc
}

// goEnvPorts lists the package's variables and struct fields that read a
// port or address from the environment, in source order, with what the
// code falls back to.
func goEnvPorts(syms *goSyms, fset *token.FileSet, srcs map[string][]byte) []goListener {
	var out []goListener
	for _, k := range slices.Sorted(maps.Keys(syms.assigns)) {
		v := syms.evalAll(syms.assigns[k])
		if v.Env == "" || !goPortishEnv.MatchString(v.Env) {
			continue
		}
		first := syms.assigns[k][0]
		pos := fset.Position(first.Pos())
		out = append(out, goListener{goFinding: goFinding{File: pos.Filename, Line: pos.Line, Detail: k + " = " + goNodeText(fset, srcs[pos.Filename], first)}, Addr: v})
	}
	for _, name := range slices.Sorted(maps.Keys(syms.tags)) {
		t := syms.tags[name]
		if t.env == "" || !goPortishEnv.MatchString(t.env) {
			continue
		}
		pos := fset.Position(t.node.Pos())
		out = append(out, goListener{goFinding: goFinding{File: pos.Filename, Line: pos.Line, Detail: goNodeText(fset, srcs[pos.Filename], t.node)},
			Addr: goValue{S: t.def, Known: t.def != "", Env: t.env, EnvFallback: t.def, HasFallback: t.def != ""}})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// goNodeText returns n's source on one line, shortened for evidence.
func goNodeText(fset *token.FileSet, src []byte, n ast.Node) string {
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

// goFileScan walks one parsed file.
type goFileScan struct {
	sc   *goScan
	syms *goSyms
	fset *token.FileSet
	name string
	src  []byte
	f    *ast.File
	// fw are the web frameworks this file imports, by import name.
	fw map[string]string
	// groupDepth counts enclosing route-group callbacks (chi's r.Route,
	// gin's Group): routes inside have a prefix dgen does not track.
	groupDepth int
	// grouped are receivers assigned from a Group/Route/PathPrefix call
	// or mounted under a prefix.
	grouped map[string]bool
	// routes are kept until the whole file is seen, since a router can be
	// mounted under a prefix after its routes are registered.
	routes []goRoute
}

func (s *goFileScan) line(n ast.Node) int { return s.fset.Position(n.Pos()).Line }

// text returns the source of n, shortened for evidence.
func (s *goFileScan) text(n ast.Node) string { return goNodeText(s.fset, s.src, n) }

func (s *goFileScan) find(n ast.Node, detail string) goFinding {
	return goFinding{File: s.name, Line: s.line(n), Detail: detail}
}

// goFrameworkImports maps a web framework's module path (any /vN) to its
// name in a Detection.
var goFrameworkImports = []struct{ path, name string }{
	{"github.com/gin-gonic/gin", "gin"},
	{"github.com/labstack/echo", "echo"},
	{"github.com/gofiber/fiber", "fiber"},
	{"github.com/go-chi/chi", "chi"},
	{"github.com/gorilla/mux", "gorilla"},
}

// goFramework returns the framework an import path belongs to, or "".
func goFramework(imp string) string {
	for _, f := range goFrameworkImports {
		if goModulePathMatches(imp, f.path) {
			return f.name
		}
	}
	return ""
}

func (s *goFileScan) run() {
	s.fw = map[string]string{}
	s.grouped = map[string]bool{}
	for _, is := range s.f.Imports {
		p, err := strconv.Unquote(is.Path.Value)
		if err != nil {
			continue
		}
		if p == "C" && s.sc.CgoImport == nil {
			f := s.find(is, `import "C"`)
			s.sc.CgoImport = &f
		}
		name := path.Base(p)
		if _, _, ok := goSplitMajor(p); ok {
			name = path.Base(path.Dir(p))
		}
		if is.Name != nil {
			name = is.Name.Name
		}
		if fw := goFramework(p); fw != "" {
			s.fw[name] = fw
		}
	}
	s.embeds()
	ast.Inspect(s.f, s.visit)
	for _, r := range s.routes {
		if !s.grouped[r.recv] {
			s.sc.Routes = append(s.sc.Routes, r)
		}
	}
}

// goSplitMajor reports whether p ends in a /vN major version element.
func goSplitMajor(p string) (string, string, bool) {
	i := strings.LastIndex(p, "/")
	if i < 0 {
		return p, "", false
	}
	el := p[i+1:]
	if len(el) < 2 || el[0] != 'v' {
		return p, "", false
	}
	if _, err := strconv.Atoi(el[1:]); err != nil {
		return p, "", false
	}
	return p[:i], el, true
}

// embeds records //go:embed patterns as repository-relative folders.
func (s *goFileScan) embeds() {
	dir := path.Dir(s.name)
	for _, cg := range s.f.Comments {
		for _, c := range cg.List {
			rest, ok := strings.CutPrefix(c.Text, "//go:embed")
			if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
				continue
			}
			for _, pat := range strings.Fields(rest) {
				if u, err := strconv.Unquote(pat); err == nil {
					pat = u
				}
				pat = strings.TrimPrefix(pat, "all:")
				if i := strings.IndexAny(pat, "*?["); i >= 0 {
					pat = path.Dir(pat[:i] + "x")
				}
				s.sc.Embeds = append(s.sc.Embeds, path.Clean(path.Join(dir, pat)))
			}
		}
	}
}

// goRouteMethods are router methods whose first argument is a path a GET
// request reaches.
var goRouteMethods = map[string]bool{
	"Handle": true, "HandleFunc": true, "Get": true, "GET": true, "Head": true,
	"HEAD": true, "Any": true, "Path": true, "All": true,
}

// goGroupMethods open a route group with a path prefix.
var goGroupMethods = map[string]bool{
	"Route": true, "Group": true, "Mount": true, "PathPrefix": true, "Subrouter": true,
}

func (s *goFileScan) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.BasicLit:
		s.pathLiteral(n)
	case *ast.AssignStmt:
		// g := r.Group("/api"): routes on g have a prefix.
		for i, rhs := range n.Rhs {
			if call, ok := rhs.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && goGroupMethods[sel.Sel.Name] && i < len(n.Lhs) {
					s.grouped[goExprString(n.Lhs[i])] = true
				}
			}
		}
	case *ast.CompositeLit:
		s.serverLiteral(n)
	case *ast.CallExpr:
		sel, ok := n.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		s.call(n, sel)
		if goGroupMethods[sel.Sel.Name] {
			// Walk the group's callback with routes marked as prefixed.
			for _, a := range n.Args {
				if fl, ok := a.(*ast.FuncLit); ok {
					s.groupDepth++
					ast.Inspect(fl, s.visit)
					s.groupDepth--
				} else {
					ast.Inspect(a, s.visit)
				}
			}
			ast.Inspect(sel.X, s.visit)
			return false
		}
	}
	return true
}

// serverLiteral records http.Server{Addr: …}.
func (s *goFileScan) serverLiteral(cl *ast.CompositeLit) {
	t := cl.Type
	if sel, ok := t.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Server" {
		return
	}
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Addr" {
			s.sc.Addrs = append(s.sc.Addrs, goListener{goFinding: s.find(kv, s.text(kv)), Addr: s.syms.eval(kv.Value)})
		}
	}
}

// call looks at one method or package-function call.
func (s *goFileScan) call(call *ast.CallExpr, sel *ast.SelectorExpr) {
	name := sel.Sel.Name
	pkg := ""
	if id, ok := sel.X.(*ast.Ident); ok {
		pkg = id.Name
	}
	arg := func(i int) ast.Expr {
		if i < len(call.Args) {
			return call.Args[i]
		}
		return nil
	}
	listen := func(addr ast.Expr, defPort int, defEnv string) {
		l := goListener{goFinding: s.find(call, s.text(call)), DefaultPort: defPort, DefaultEnv: defEnv}
		if addr != nil {
			l.Addr = s.syms.eval(addr)
		}
		s.sc.Listeners = append(s.sc.Listeners, l)
	}
	switch {
	case name == "ListenAndServe" || name == "ListenAndServeTLS":
		if pkg == "http" {
			listen(arg(0), 0, "")
		} else {
			listen(nil, 0, "") // srv.ListenAndServe(): the address is in http.Server{Addr}
		}
	case name == "Serve" && pkg == "http":
		listen(nil, 0, "")
	case name == "Listen" && pkg == "net" && len(call.Args) >= 2:
		listen(arg(1), 0, "")
	case (name == "Run" || name == "RunTLS") && goHasFramework(s.fw, "gin"):
		if len(call.Args) == 0 {
			// gin's Run() without an address reads $PORT, else :8080.
			listen(nil, 8080, "PORT")
		} else {
			listen(arg(0), 0, "")
		}
	case (name == "Start" || name == "StartTLS") && goHasFramework(s.fw, "echo") && len(call.Args) >= 1:
		listen(arg(0), 0, "")
	case (name == "Listen" || name == "ListenTLS") && goHasFramework(s.fw, "fiber") && len(call.Args) >= 1:
		listen(arg(0), 0, "")
	case pkg == "flag" || pkg == "pflag":
		s.flagDef(call, name)
	case goRouteMethods[name] && len(call.Args) >= 1:
		s.route(call, sel)
	}
	if name == "Mount" && len(call.Args) >= 2 {
		// r.Mount("/api", sub): routes on sub have the /api prefix.
		s.grouped[goExprString(call.Args[1])] = true
	}
}

func goHasFramework(fw map[string]string, name string) bool {
	for _, v := range fw {
		if v == name {
			return true
		}
	}
	return false
}

// goPortishEnv matches environment variables that hold the server's own
// port or address (PORT, HTTP_ADDR), not a database's (DB_PORT).
var goPortishEnv = regexp.MustCompile(`^((HTTP|HTTPS|APP|SERVER|SERVICE|LISTEN|WEB|API|BIND)_)?(PORT|ADDR|ADDRESS|LISTEN_ADDR)$`)

// goPortishFlag matches flag names that hold a port or an address.
var goPortishFlag = regexp.MustCompile(`^(http[-_.]?)?(port|addr|address|listen|listen[-_.]addr(ess)?|bind)$`)

// flagDef records flag.String("addr", ":8080", …) and friends.
func (s *goFileScan) flagDef(call *ast.CallExpr, name string) {
	nameArg, defArg := 0, 1
	if strings.HasSuffix(name, "Var") {
		nameArg, defArg = 1, 2
	}
	switch strings.TrimSuffix(name, "Var") {
	case "String", "Int", "Uint", "Int64", "Uint64", "Uint16":
	default:
		return
	}
	if len(call.Args) <= defArg {
		return
	}
	n := s.syms.eval(call.Args[nameArg])
	if !n.Known || !goPortishFlag.MatchString(strings.ToLower(n.S)) {
		return
	}
	l := goListener{goFinding: s.find(call, s.text(call)), Addr: s.syms.eval(call.Args[defArg])}
	s.sc.FlagPorts = append(s.sc.FlagPorts, l)
}

// route records a route registered with a literal path.
func (s *goFileScan) route(call *ast.CallExpr, sel *ast.SelectorExpr) {
	if s.groupDepth > 0 {
		return
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return
	}
	p, err := strconv.Unquote(lit.Value)
	if err != nil {
		return
	}
	// Go 1.22 patterns: "GET /healthz"; a POST-only route cannot be probed.
	if method, rest, ok := strings.Cut(p, " "); ok {
		if method != "GET" && method != "HEAD" {
			return
		}
		p = strings.TrimSpace(rest)
	}
	if !strings.HasPrefix(p, "/") {
		return
	}
	recv := goExprString(sel.X)
	detail := fmt.Sprintf("%s.%s(%s, …)", recv, sel.Sel.Name, lit.Value)
	if recv == "" {
		detail = fmt.Sprintf("%s(%s, …)", sel.Sel.Name, lit.Value)
	}
	s.routes = append(s.routes, goRoute{goFinding: s.find(call, detail), Path: p, recv: recv})
}

// goAssetRoots are the folders a Go program commonly reads from disk at run
// time; when one exists, is named by a path literal in the code and is not
// embedded, it is copied into the runtime image.
var goAssetRoots = map[string]bool{
	"templates": true, "static": true, "migrations": true, "web": true, "public": true,
	"assets": true, "views": true,
}

// pathLiteral records string literals that look like relative paths under
// an asset root ("templates/*.html", "./static", "file://migrations").
func (s *goFileScan) pathLiteral(lit *ast.BasicLit) {
	if lit.Kind != token.STRING {
		return
	}
	v, err := strconv.Unquote(lit.Value)
	if err != nil || len(v) > 200 || strings.ContainsAny(v, " \t\n") {
		return
	}
	v = strings.TrimPrefix(v, "file://")
	v = strings.TrimPrefix(v, "./")
	first, _, _ := strings.Cut(v, "/")
	if !goAssetRoots[first] {
		return
	}
	s.sc.Paths[first] = append(s.sc.Paths[first], goPathLit{goFinding: s.find(lit, lit.Value), Path: v})
}

// goSyms is a package's simple assignments: enough to follow
// `port := os.Getenv("PORT"); if port == "" { port = "8080" }` or
// `addr := flag.String("addr", ":8080", "")` back to a literal.
type goSyms struct {
	// assigns maps an identifier or selector ("port", "cfg.Addr") to the
	// expressions assigned to it, in source order.
	assigns map[string][]ast.Expr
	// fields maps a struct field name to values given in composite
	// literals (Config{Port: "8080"}).
	fields map[string][]ast.Expr
	// tags maps a struct field name to its env tag and default
	// (`env:"PORT" envDefault:"8080"`).
	tags map[string]goTag
	// steps is what is left of the current evaluation's budget.
	steps int
}

// goTag is a struct field's environment binding.
type goTag struct {
	env, def string
	node     ast.Node
}

func goNewGoSyms() *goSyms {
	return &goSyms{assigns: map[string][]ast.Expr{}, fields: map[string][]ast.Expr{}, tags: map[string]goTag{}}
}

func (g *goSyms) add(lhs ast.Expr, rhs ast.Expr) {
	k := goExprString(lhs)
	if k == "" || k == "_" {
		return
	}
	g.assigns[k] = append(g.assigns[k], rhs)
}

// collect records f's assignments, declarations, flag bindings and
// struct tags.
func (g *goSyms) collect(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i := range n.Lhs {
					g.add(n.Lhs[i], n.Rhs[i])
				}
			} else if len(n.Rhs) == 1 && len(n.Lhs) > 0 {
				g.add(n.Lhs[0], n.Rhs[0]) // port, ok := os.LookupEnv("PORT")
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if i < len(n.Values) {
					g.add(name, n.Values[i])
				} else if len(n.Values) == 1 {
					g.add(name, n.Values[0])
				}
			}
		case *ast.CallExpr:
			// flag.StringVar(&addr, "addr", ":8080", "")
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && strings.HasSuffix(sel.Sel.Name, "Var") && len(n.Args) >= 3 {
				if u, ok := n.Args[0].(*ast.UnaryExpr); ok && u.Op == token.AND {
					g.add(u.X, n.Args[2])
				}
			}
		case *ast.KeyValueExpr:
			if k, ok := n.Key.(*ast.Ident); ok {
				g.fields[k.Name] = append(g.fields[k.Name], n.Value)
			}
		case *ast.Field:
			if n.Tag == nil || len(n.Names) == 0 {
				return true
			}
			raw, err := strconv.Unquote(n.Tag.Value)
			if err != nil {
				return true
			}
			tag := reflect.StructTag(raw)
			env := goFirstNonEmpty(tag.Get("env"), tag.Get("envconfig"))
			env, _, _ = strings.Cut(env, ",")
			def := goFirstNonEmpty(tag.Get("envDefault"), tag.Get("default"))
			if env != "" || def != "" {
				g.tags[n.Names[0].Name] = goTag{env: env, def: def, node: n}
			}
		}
		return true
	})
}

func goFirstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// goMaxResolveDepth bounds how far resolve follows identifiers, so cycles
// (a = b; b = a) end.
const goMaxResolveDepth = 8

// goResolveSteps bounds the work of one evaluation: an identifier assigned
// many times from expressions naming it again would otherwise cost
// exponential time on hostile source.
const goResolveSteps = 2000

// goMaxAssigns is how many assignments to one name are considered.
const goMaxAssigns = 16

// eval works out what it can of e's value, within goResolveSteps.
func (g *goSyms) eval(e ast.Expr) goValue {
	g.steps = goResolveSteps
	return g.resolve(e, 0)
}

// evalAll is eval for the assignments of one name.
func (g *goSyms) evalAll(vs []ast.Expr) goValue {
	g.steps = goResolveSteps
	return g.combine(vs, 0)
}

// resolve works out what it can of e's value.
func (g *goSyms) resolve(e ast.Expr, depth int) goValue {
	if e == nil || depth > goMaxResolveDepth || g.steps <= 0 {
		return goValue{}
	}
	g.steps--
	switch e := e.(type) {
	case *ast.BasicLit:
		switch e.Kind {
		case token.STRING:
			if v, err := strconv.Unquote(e.Value); err == nil {
				return goKnown(v)
			}
		case token.INT:
			return goKnown(e.Value)
		}
	case *ast.ParenExpr:
		return g.resolve(e.X, depth+1)
	case *ast.StarExpr:
		return g.resolve(e.X, depth+1)
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return g.resolve(e.X, depth+1)
		}
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return goValue{}
		}
		// An environment read with a fallback is Known (S holds the
		// fallback), so ":" + port stays Known when port has one.
		a, b := g.resolve(e.X, depth+1), g.resolve(e.Y, depth+1)
		out := goValue{S: a.S + b.S, Known: a.Known && b.Known}
		for _, v := range []goValue{a, b} {
			if v.Env != "" {
				out.Env, out.EnvFallback, out.HasFallback = v.Env, v.EnvFallback, v.HasFallback
			}
		}
		return out
	case *ast.Ident:
		return g.combine(g.assigns[e.Name], depth)
	case *ast.SelectorExpr:
		if vs, ok := g.assigns[goExprString(e)]; ok {
			return g.combine(vs, depth)
		}
		if vs, ok := g.fields[e.Sel.Name]; ok {
			return g.combine(vs, depth)
		}
		if t, ok := g.tags[e.Sel.Name]; ok {
			return goValue{S: t.def, Known: t.def != "", Env: t.env, EnvFallback: t.def, HasFallback: t.def != ""}
		}
	case *ast.CallExpr:
		return g.resolveCall(e, depth)
	}
	return goValue{}
}

// combine merges the values assigned to one name: an environment read
// plus a literal assignment is an environment variable with a fallback.
func (g *goSyms) combine(vs []ast.Expr, depth int) goValue {
	if len(vs) > goMaxAssigns {
		vs = vs[:goMaxAssigns]
	}
	var out goValue
	var lit *goValue
	for _, e := range vs {
		v := g.resolve(e, depth+1)
		if v.Env != "" && out.Env == "" {
			out.Env, out.EnvFallback, out.HasFallback = v.Env, v.EnvFallback, v.HasFallback
			if v.HasFallback {
				out.S, out.Known = v.S, v.Known
			}
		} else if v.Known && v.S != "" && lit == nil {
			vv := v
			lit = &vv
		}
	}
	if lit != nil {
		if out.Env != "" && !out.HasFallback {
			out.EnvFallback, out.HasFallback = lit.S, true
			out.S, out.Known = lit.S, true
		} else if out.Env == "" {
			return *lit
		}
	}
	return out
}

func (g *goSyms) resolveCall(e *ast.CallExpr, depth int) goValue {
	fn := goExprString(e.Fun)
	args := e.Args
	switch fn {
	case "os.Getenv", "os.LookupEnv", "syscall.Getenv":
		if len(args) == 1 {
			if n := g.resolve(args[0], depth+1); n.Known {
				return goValue{Env: n.S}
			}
		}
		return goValue{}
	case "cmp.Or":
		return g.combine(args, depth)
	case "strconv.Itoa", "fmt.Sprint", "strconv.FormatInt", "strconv.FormatUint", "string":
		if len(args) >= 1 {
			return g.resolve(args[0], depth+1)
		}
	case "net.JoinHostPort":
		if len(args) == 2 {
			h, p := g.resolve(args[0], depth+1), g.resolve(args[1], depth+1)
			out := goValue{S: h.S + ":" + p.S, Known: p.Known, Env: p.Env, EnvFallback: p.EnvFallback, HasFallback: p.HasFallback}
			return out
		}
	case "fmt.Sprintf":
		return g.sprintf(args, depth)
	case "flag.String", "flag.Int", "flag.Uint", "pflag.String", "pflag.Int":
		if len(args) >= 2 {
			return g.resolve(args[1], depth+1)
		}
	case "pflag.StringP", "pflag.IntP":
		if len(args) >= 3 {
			return g.resolve(args[2], depth+1)
		}
	}
	// A helper such as getenv("PORT", "8080") or envOr("ADDR", ":8080").
	if len(args) == 2 {
		k, d := g.resolve(args[0], depth+1), g.resolve(args[1], depth+1)
		if k.Known && goEnvName.MatchString(k.S) && d.Known {
			return goValue{S: d.S, Known: true, Env: k.S, EnvFallback: d.S, HasFallback: true}
		}
	}
	return goValue{}
}

var goEnvName = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// sprintf fills a format's verbs with what is known of its arguments.
func (g *goSyms) sprintf(args []ast.Expr, depth int) goValue {
	if len(args) == 0 {
		return goValue{}
	}
	f := g.resolve(args[0], depth+1)
	if !f.Known {
		return goValue{}
	}
	out := goValue{Known: true}
	rest := args[1:]
	var b strings.Builder
	for i := 0; i < len(f.S); i++ {
		c := f.S[i]
		if c != '%' || i+1 >= len(f.S) {
			b.WriteByte(c)
			continue
		}
		i++
		if f.S[i] == '%' {
			b.WriteByte('%')
			continue
		}
		if len(rest) == 0 {
			return goValue{}
		}
		v := g.resolve(rest[0], depth+1)
		rest = rest[1:]
		b.WriteString(v.S)
		out.Known = out.Known && (v.Known || v.HasFallback)
		if v.Env != "" {
			out.Env, out.EnvFallback, out.HasFallback = v.Env, v.EnvFallback, v.HasFallback
		}
	}
	out.S = b.String()
	return out
}

// goExprString renders simple expressions (identifiers, selectors, &x, *x)
// as source text, "" for anything else.
func goExprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		x := goExprString(e.X)
		if x == "" {
			return ""
		}
		return x + "." + e.Sel.Name
	case *ast.StarExpr:
		return goExprString(e.X)
	case *ast.ParenExpr:
		return goExprString(e.X)
	}
	return ""
}

// goPortOf reads a port from an address or port value: ":8080",
// "0.0.0.0:8080", "[::]:8080", "8080". host is the host part.
func goPortOf(s string) (port int, host string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "", false
	}
	if h, p, err := net.SplitHostPort(s); err == nil {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return 0, "", false
		}
		return n, h, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, "", false
	}
	return n, "", true
}

// describe renders a resolved value for evidence.
func (v goValue) describe() string {
	switch {
	case v.Env != "" && v.HasFallback:
		return fmt.Sprintf("$%s, default %q", v.Env, v.EnvFallback)
	case v.Env != "":
		return fmt.Sprintf("$%s, no default", v.Env)
	case v.Known:
		return strconv.Quote(v.S)
	}
	return "not a literal"
}
