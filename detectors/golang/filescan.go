package golang

import (
	"fmt"
	"go/ast"
	"go/token"
	"path"
	"strconv"
	"strings"
)

// fileScan walks one parsed file.
type fileScan struct {
	sc   *pkgScan
	syms *symbols
	fset *token.FileSet
	name string
	src  []byte
	f    *ast.File
	// fw are the web frameworks this file imports, by import name.
	fw map[string]string
	// scopes bind router names inside functions and group callbacks;
	// returns are the names the current function returns.
	scopes  []map[string]routerRef
	returns map[string]bool
	// importNames are the file's import names (http in http.HandleFunc).
	importNames map[string]bool
	// ctx are the file's functions and if statements, for listeners'
	// context.
	ctx []span
	// owners maps a composite literal to the variable it is assigned to.
	owners map[*ast.CompositeLit]string
	// grpcName is the name google.golang.org/grpc is imported under.
	grpcName string
}

// own records the variable a (&)composite literal is assigned to.
func (s *fileScan) own(e ast.Expr, name string) {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	if cl, ok := e.(*ast.CompositeLit); ok && name != "" {
		if s.owners == nil {
			s.owners = map[*ast.CompositeLit]string{}
		}
		s.owners[cl] = name
	}
}

// line is n's line in the file.
func (s *fileScan) line(n ast.Node) int { return s.fset.Position(n.Pos()).Line }

// text returns the source of n, shortened for evidence.
func (s *fileScan) text(n ast.Node) string { return nodeText(s.fset, s.src, n) }

// find is a finding at n.
func (s *fileScan) find(n ast.Node, detail string) finding {
	return finding{File: s.name, Line: s.line(n), Detail: detail}
}

// frameworkImports maps a web framework's module path (any /vN) to its
// name in a Detection.
var frameworkImports = []struct{ path, name string }{
	{"github.com/gin-gonic/gin", "gin"},
	{"github.com/labstack/echo", "echo"},
	{"github.com/gofiber/fiber", "fiber"},
	{"github.com/go-chi/chi", "chi"},
	{"github.com/gorilla/mux", "gorilla"},
}

// frameworkOf returns the framework an import path belongs to, or "".
func frameworkOf(imp string) string {
	for _, f := range frameworkImports {
		if modulePathMatches(imp, f.path) {
			return f.name
		}
	}
	return ""
}

// run notes the file's web framework imports and import "C", then
// walks it. Routes on package-level routers are resolved once the whole
// package is seen, since a router can be mounted under a prefix after
// its routes are added.
func (s *fileScan) run() {
	s.fw = map[string]string{}
	s.importNames = map[string]bool{}
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
		if _, _, ok := splitMajor(p); ok {
			name = path.Base(path.Dir(p))
		}
		if is.Name != nil {
			name = is.Name.Name
		}
		s.importNames[name] = true
		if p == "google.golang.org/grpc" {
			s.grpcName = name
		}
		if fw := frameworkOf(p); fw != "" {
			s.fw[name] = fw
		}
	}
	s.embeds()
	s.spans()
	s.commands()
	ast.Inspect(s.f, s.visit)
}

// splitMajor reports whether p ends in a /vN major version element.
func splitMajor(p string) (string, string, bool) {
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

// embeds records //go:embed patterns as repository-relative folders,
// and each pattern and //go:generate directive with where it is.
func (s *fileScan) embeds() {
	dir := path.Dir(s.name)
	for _, cg := range s.f.Comments {
		for _, c := range cg.List {
			if args, ok := directive(c.Text, "//go:generate"); ok && args != "" {
				s.sc.Generates = append(s.sc.Generates, goDirective{finding: s.find(c, c.Text), Dir: dir, Text: args})
			}
			rest, ok := directive(c.Text, "//go:embed")
			if !ok {
				continue
			}
			for _, pat := range strings.Fields(rest) {
				if u, err := strconv.Unquote(pat); err == nil {
					pat = u
				}
				s.sc.EmbedPatterns = append(s.sc.EmbedPatterns, goDirective{finding: s.find(c, c.Text), Dir: dir, Text: pat})
				pat = strings.TrimPrefix(pat, "all:")
				if i := strings.IndexAny(pat, "*?["); i >= 0 {
					pat = path.Dir(pat[:i] + "x")
				}
				s.sc.Embeds = append(s.sc.Embeds, path.Clean(path.Join(dir, pat)))
			}
		}
	}
}

// directive returns the arguments of a //go: comment named name, and
// whether c is one.
func directive(c, name string) (string, bool) {
	rest, ok := strings.CutPrefix(c, name)
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// routeMethods are router methods whose first argument is a path a GET
// request reaches.
var routeMethods = map[string]bool{
	"Handle": true, "HandleFunc": true, "Get": true, "GET": true, "Head": true,
	"HEAD": true, "Any": true, "Path": true, "All": true,
}

// visit is the ast.Inspect callback. Functions and route-group
// callbacks are walked here, with their router names in scope.
func (s *fileScan) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.FuncDecl:
		s.funcDecl(n)
		return false
	case *ast.BasicLit:
		s.pathLiteral(n)
	case *ast.AssignStmt:
		for i, rhs := range n.Rhs {
			if i < len(n.Lhs) {
				s.own(rhs, exprString(n.Lhs[i]))
				s.routerAssign(exprString(n.Lhs[i]), rhs)
			}
		}
	case *ast.KeyValueExpr:
		// &Server{router: gin.New()}: s.router is that router.
		if k, ok := n.Key.(*ast.Ident); ok {
			s.routerAssign("."+k.Name, n.Value)
		}
		s.envDefaultEntry(n)
	case *ast.CompositeLit:
		s.serverLiteral(n)
		s.flagLiteral(n)
	case *ast.CallExpr:
		s.runtimeCall(n)
		sel, ok := n.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		s.call(n, sel)
		if s.groupCallback(n, sel) {
			for _, a := range n.Args {
				if _, ok := a.(*ast.FuncLit); !ok {
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
func (s *fileScan) serverLiteral(cl *ast.CompositeLit) {
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
			s.sc.Addrs = append(s.sc.Addrs, listener{finding: s.find(kv, s.text(kv)), Addr: s.syms.eval(kv.Value), Recv: s.owners[cl]})
		}
	}
}

// call looks at one method or package-function call.
func (s *fileScan) call(call *ast.CallExpr, sel *ast.SelectorExpr) {
	name := sel.Sel.Name
	pkg := ""
	if id, ok := sel.X.(*ast.Ident); ok {
		pkg = id.Name
	}
	if name == "NewServer" && pkg != "" && pkg == s.grpcName && s.sc.GRPCServer == nil {
		f := s.find(call, s.text(call))
		s.sc.GRPCServer = &f
	}
	listens := s.stdlibListen(call, pkg, name) || s.frameworkListen(call, name)
	isFlag := s.flagCall(call, sel, pkg)
	switch {
	case listens:
	case isFlag:
		s.flagDef(call, name)
	case name == "SetDefault" || name == "Default":
		s.configDefault(call, sel)
	case routeMethods[name] && len(call.Args) >= 1:
		s.route(call, sel)
	}
	if name == "Mount" || name == "Handle" {
		s.mount(call, sel)
	}
}

// stdlibListen records net/http's and net's listening calls, and reports
// whether call was one.
func (s *fileScan) stdlibListen(call *ast.CallExpr, pkg, name string) bool {
	switch {
	case name == "ListenAndServe" || name == "ListenAndServeTLS":
		if pkg == "http" {
			s.listen(call, argAt(call, 0), 0, "")
		} else {
			s.listen(call, nil, 0, "") // srv.ListenAndServe(): the address is in http.Server{Addr}
		}
	case name == "Serve" && pkg == "http":
		s.listen(call, nil, 0, "")
	case name == "Listen" && pkg == "net" && len(call.Args) >= 2:
		s.listen(call, argAt(call, 1), 0, "")
	default:
		return false
	}
	return true
}

// frameworkListen records the listening calls of the web frameworks the
// file imports (gin's Run, echo's Start, fiber's Listen), and reports
// whether call was one.
func (s *fileScan) frameworkListen(call *ast.CallExpr, name string) bool {
	switch {
	case (name == "Run" || name == "RunTLS") && s.usesFramework(call, "gin"):
		if len(call.Args) == 0 {
			// gin's Run() without an address reads $PORT, else :8080.
			s.listen(call, nil, 8080, "PORT")
		} else {
			s.listen(call, argAt(call, 0), 0, "")
		}
	case (name == "Start" || name == "StartTLS") && len(call.Args) >= 1 && s.usesFramework(call, "echo"):
		s.listen(call, argAt(call, 0), 0, "")
	case (name == "Listen" || name == "ListenTLS") && len(call.Args) >= 1 && s.usesFramework(call, "fiber"):
		s.listen(call, argAt(call, 0), 0, "")
	default:
		return false
	}
	return true
}

// usesFramework reports whether a Run/Start/Listen call is the named
// framework's: the file imports it, or the instance comes from a build
// package that does (an Echo returned by server.New()) and the call's
// address resolves to a port or a port variable.
func (s *fileScan) usesFramework(call *ast.CallExpr, fw string) bool {
	if hasFramework(s.fw, fw) {
		return true
	}
	if !s.sc.depFW[fw] {
		return false
	}
	if len(call.Args) == 0 {
		return false // gin's Run() on some other type is too common a name
	}
	v := s.syms.eval(call.Args[0])
	if _, _, ok := parsePort(v.S); ok && v.Known {
		return true
	}
	return v.Env != "" && portEnvName(v.Env)
}

// listen records a listener whose address is addr (nil when the call
// takes none), or, without one, defPort or $defEnv.
func (s *fileScan) listen(call *ast.CallExpr, addr ast.Expr, defPort int, defEnv string) {
	l := listener{finding: s.find(call, s.text(call)), DefaultPort: defPort, DefaultEnv: defEnv, Side: s.sideOf(call, addr), fn: s.funcAt(call.Pos()), recv: s.recvAt(call.Pos()), at: call.Pos()}
	if addr != nil {
		l.Addr = s.syms.eval(addr)
		_, l.Lit = addr.(*ast.BasicLit)
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
		l.Raw = sel.Sel.Name == "Listen" && exprString(sel.X) == "net"
		l.Recv = exprString(sel.X)
	}
	s.sc.Listeners = append(s.sc.Listeners, l)
}

// argAt is call's argument i, or nil.
func argAt(call *ast.CallExpr, i int) ast.Expr {
	if i < len(call.Args) {
		return call.Args[i]
	}
	return nil
}

// hasFramework reports whether the file imports the named framework.
func hasFramework(fw map[string]string, name string) bool {
	for _, v := range fw {
		if v == name {
			return true
		}
	}
	return false
}

// flagCall reports whether a call defines a command-line flag: a
// flag-defining method on the flag or pflag package, a FlagSet
// (cmd.Flags(), fs, flagSet) with its usage argument.
func (s *fileScan) flagCall(call *ast.CallExpr, sel *ast.SelectorExpr, pkg string) bool {
	_, defArg, ok := flagArgs(sel.Sel.Name)
	if !ok || len(call.Args) < defArg+2 {
		return false // name, default and usage
	}
	if pkg == "flag" || pkg == "pflag" {
		return true
	}
	recv := strings.ToLower(s.text(sel.X))
	return strings.HasSuffix(recv, "flags()") || strings.Contains(recv, "flag") || recv == "fs" || recv == "set"
}

// flagDef records a flag named like an address or port with its
// default: flag.String("addr", ":8080", …), fs.IntVar(&port, "port",
// 8080, …), cmd.Flags().StringVarP(&addr, "listen", "l", ":8080", …).
func (s *fileScan) flagDef(call *ast.CallExpr, name string) {
	nameArg, defArg, _ := flagArgs(name)
	if len(call.Args) <= defArg {
		return
	}
	n := s.syms.eval(call.Args[nameArg])
	if !n.Known || !(portishName(n.S) || hostFlagName(n.S)) {
		return
	}
	l := listener{finding: s.find(call, s.text(call)), Addr: s.syms.eval(call.Args[defArg]), Flag: n.S, owner: rootIdent(call.Fun), fn: s.funcAt(call.Pos()), recv: s.recvAt(call.Pos()), at: call.Pos()}
	s.sc.FlagPorts = append(s.sc.FlagPorts, l)
}

// route records a route registered with a literal path.
func (s *fileScan) route(call *ast.CallExpr, sel *ast.SelectorExpr) {
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
	recv := exprString(sel.X)
	detail := fmt.Sprintf("%s.%s(%s, …)", recv, sel.Sel.Name, lit.Value)
	if recv == "" {
		detail = fmt.Sprintf("%s(%s, …)", sel.Sel.Name, lit.Value)
	}
	r := httpRoute{finding: s.find(call, detail), Path: p, recv: recv}
	if ref, found := s.lookup(recv); found {
		if ref.key != "" {
			// A local router: a Mount later in the function may give it
			// a prefix.
			r.recv = ref.key
			s.sc.pending = append(s.sc.pending, r)
			return
		}
		if ref.ok {
			r.Path, r.returned = joinRoute(ref.prefix, p), ref.returned
			s.sc.Routes = append(s.sc.Routes, r)
		}
		return
	}
	s.sc.pending = append(s.sc.pending, r)
}

// pathLiteral records string literals that look like relative paths under
// an asset root ("templates/*.html", "./static", "file://migrations").
func (s *fileScan) pathLiteral(lit *ast.BasicLit) {
	if lit.Kind != token.STRING {
		return
	}
	v, err := strconv.Unquote(lit.Value)
	if err != nil || len(v) > 200 || strings.ContainsAny(v, " \t\n") {
		return
	}
	v = strings.TrimPrefix(v, "file://")
	dotted := strings.HasPrefix(v, "./")
	v = strings.TrimPrefix(v, "./")
	if configPath(v) {
		s.sc.ConfigNames = append(s.sc.ConfigNames, pathLit{finding: s.find(lit, lit.Value), Path: v})
	}
	first, _, _ := strings.Cut(v, "/")
	// A bare "build" is as likely a word as a folder; "./build" is a path.
	if (strings.Contains(v, "/") || dotted && buildOutputNames[first]) && !strings.ContainsAny(v, ":") && !strings.HasPrefix(v, "/") {
		s.sc.RelPaths = append(s.sc.RelPaths, pathLit{finding: s.find(lit, lit.Value), Path: v})
	}
	if !assetRoots[first] {
		return
	}
	s.sc.Paths[first] = append(s.sc.Paths[first], pathLit{finding: s.find(lit, lit.Value), Path: v})
}
