package golang

import (
	"fmt"
	"go/ast"
	"path"
	"strings"
)

// routerRef is what is known of a router a route is registered on: the
// path prefix it serves under, when known (ok).
type routerRef struct {
	prefix string
	ok     bool
	// returned is set for a router a function builds and returns: it may
	// be mounted under a prefix elsewhere.
	returned bool
	// mounted is set once a Mount gave it its prefix.
	mounted bool
	// key names a function's local router in the package's Routers, so
	// that a Mount later in the function still gives it its prefix.
	key string
	// mounter is set for a router that mounts others: it is the outer
	// one, so returning it does not put it under a prefix.
	mounter bool
}

// routerConstructors build a router that serves at the root.
var routerConstructors = map[string]bool{
	"http.NewServeMux": true, "gin.New": true, "gin.Default": true, "echo.New": true,
	"chi.NewRouter": true, "chi.NewMux": true, "mux.NewRouter": true, "fiber.New": true,
}

// rootRouterTypes are parameter types that are a server's root router;
// a chi.Router, *mux.Router, *gin.RouterGroup or *echo.Group parameter
// may be mounted anywhere, so its prefix is unknown.
var rootRouterTypes = map[string]bool{
	"http.ServeMux": true, "gin.Engine": true, "echo.Echo": true, "fiber.App": true,
}

// joinRoute joins a router prefix and a route path.
func joinRoute(prefix, p string) string {
	if prefix == "" {
		return p
	}
	j := path.Join(prefix, p)
	if strings.HasSuffix(p, "/") && !strings.HasSuffix(j, "/") {
		j += "/"
	}
	return j
}

// lookup finds the router a receiver names: the innermost function or
// group scope first, then the package's routers. ok is false when the
// receiver is not known here (it may be known once every file is read).
func (s *fileScan) lookup(recv string) (routerRef, bool) {
	for i := len(s.scopes) - 1; i >= 0; i-- {
		if r, ok := s.scopes[i][recv]; ok {
			return r, true
		}
	}
	if s.importNames[recv] {
		// http.HandleFunc registers on the default mux, at the root.
		return routerRef{ok: recv == "http"}, true
	}
	return routerRef{}, false
}

// resolveRouter finds a receiver's router in scope, else in the
// package's routers (by name, then by field name for s.router).
func (sc *pkgScan) resolveRouter(recv string) routerRef {
	if r, ok := sc.Routers[recv]; ok {
		return r
	}
	if i := strings.LastIndex(recv, "."); i >= 0 {
		if r, ok := sc.Routers[recv[i:]]; ok {
			return r
		}
	}
	return routerRef{}
}

// setRouter records a package-level router; a prefix a Mount gave is
// kept.
func (s *fileScan) setRouter(name string, r routerRef) {
	if old, ok := s.sc.Routers[name]; ok && old.mounted {
		return
	}
	s.sc.Routers[name] = r
}

// routerAssign records name = rhs when rhs builds a router or a group of
// one: gin/echo Group("/api"), gorilla PathPrefix("/api").Subrouter().
func (s *fileScan) routerAssign(name string, rhs ast.Expr) {
	call, ok := rhs.(*ast.CallExpr)
	if !ok || name == "" {
		return
	}
	fn := exprString(call.Fun)
	if routerConstructors[fn] {
		s.bindRouter(name, routerRef{ok: true, returned: s.returns[name]})
		return
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	var parent ast.Expr
	var prefix ast.Expr
	switch sel.Sel.Name {
	case "Group":
		parent, prefix = sel.X, argAt(call, 0)
	case "Subrouter":
		inner, ok := sel.X.(*ast.CallExpr)
		if !ok {
			return
		}
		isel, ok := inner.Fun.(*ast.SelectorExpr)
		if !ok || isel.Sel.Name != "PathPrefix" {
			return
		}
		parent, prefix = isel.X, argAt(inner, 0)
	default:
		return
	}
	s.bindRouter(name, s.child(parent, prefix))
}

// bindRouter records a router assigned to name: in the current function
// scope (under a key of its own) and in the package's routers.
func (s *fileScan) bindRouter(name string, r routerRef) {
	if len(s.scopes) > 0 && !strings.Contains(name, ".") {
		s.sc.locals++
		r.key = fmt.Sprintf("%s#%d", name, s.sc.locals)
		s.scopes[len(s.scopes)-1][name] = r
		s.sc.Routers[r.key] = r
	}
	s.setRouter(name, r)
}

// child is a router under parent with a literal prefix; its prefix is
// unknown unless both are.
func (s *fileScan) child(parent, prefix ast.Expr) routerRef {
	pr, found := s.lookup(exprString(parent))
	if !found {
		pr = s.sc.resolveRouter(exprString(parent))
	}
	lit := ""
	if prefix != nil {
		v := s.syms.eval(prefix)
		if !v.Known || v.Env != "" {
			return routerRef{}
		}
		lit = v.S
	}
	return routerRef{prefix: joinRoute(pr.prefix, lit), ok: pr.ok, returned: pr.returned}
}

// mount records r.Mount("/api", sub): sub, a router of this function,
// serves under the prefix. Mounting anything else (r.Mount("/api",
// api.Routes()), a handler passed in) or a handler built by a call under
// a subtree (http.StripPrefix) means routers built elsewhere may live
// under a prefix.
func (s *fileScan) mount(call *ast.CallExpr, sel *ast.SelectorExpr) {
	if len(call.Args) < 2 {
		return
	}
	if sel.Sel.Name == "Handle" {
		// mux.Handle("/app/", http.StripPrefix("/app", h)) or a handler
		// built elsewhere under a subtree.
		p := s.syms.eval(call.Args[0])
		if _, isCall := call.Args[1].(*ast.CallExpr); isCall && (!p.Known || (p.S != "/" && strings.HasSuffix(p.S, "/"))) {
			s.sc.MountsCall = true
			s.markMounter(sel.X)
		}
		return
	}
	defer s.markMounter(sel.X)
	if sub, ok := call.Args[1].(*ast.Ident); ok {
		if old, found := s.lookup(sub.Name); found && old.key != "" {
			r := s.child(sel.X, call.Args[0])
			r.mounted = true
			s.sc.Routers[sub.Name] = r
			s.sc.Routers[old.key] = r
			return
		}
	}
	// A router built elsewhere is mounted under a prefix.
	s.sc.MountsCall = true
}

// markMounter records that the router recv mounts others.
func (s *fileScan) markMounter(recv ast.Expr) {
	name := exprString(recv)
	if r, ok := s.lookup(name); ok && r.key != "" {
		r.mounter = true
		s.sc.Routers[r.key] = r
		return
	}
	if r, ok := s.sc.Routers[name]; ok {
		r.mounter = true
		s.sc.Routers[name] = r
	}
}

// funcDecl walks a function with its router parameters in scope: a
// *gin.Engine, *echo.Echo, *http.ServeMux or *fiber.App parameter is a
// root router; any other router-like parameter has an unknown prefix.
func (s *fileScan) funcDecl(fd *ast.FuncDecl) {
	scope := map[string]routerRef{}
	for _, fl := range []*ast.FieldList{fd.Recv, fd.Type.Params} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			t := exprString(f.Type)
			for _, n := range f.Names {
				scope[n.Name] = routerRef{ok: rootRouterTypes[t]}
			}
		}
	}
	s.returns = returnedNames(fd)
	s.scopes = append(s.scopes, scope)
	if fd.Body != nil {
		ast.Inspect(fd.Body, s.visit)
	}
	s.scopes = s.scopes[:len(s.scopes)-1]
	s.returns = nil
}

// returnedNames are the identifiers in a function's return values.
func returnedNames(fd *ast.FuncDecl) map[string]bool {
	out := map[string]bool{}
	if fd.Body == nil {
		return out
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if r, ok := n.(*ast.ReturnStmt); ok {
			// return r, or return wrap(r): either way r leaves the function.
			for _, e := range r.Results {
				ast.Inspect(e, func(n ast.Node) bool {
					if id, ok := n.(*ast.Ident); ok {
						out[id.Name] = true
					}
					return true
				})
			}
		}
		return true
	})
	return out
}

// groupCallback walks r.Route("/api", func(r chi.Router) {…}) and chi's
// r.Group(func(r chi.Router) {…}) with the callback's parameter bound to
// the group's router.
func (s *fileScan) groupCallback(call *ast.CallExpr, sel *ast.SelectorExpr) bool {
	if sel.Sel.Name != "Route" && sel.Sel.Name != "Group" {
		return false
	}
	var fl *ast.FuncLit
	var prefix ast.Expr
	for i, a := range call.Args {
		if f, ok := a.(*ast.FuncLit); ok {
			fl = f
			if i > 0 {
				prefix = call.Args[0]
			}
		}
	}
	if fl == nil {
		return false
	}
	r := s.child(sel.X, prefix)
	scope := map[string]routerRef{}
	for _, f := range fl.Type.Params.List {
		for _, n := range f.Names {
			scope[n.Name] = r
		}
	}
	s.scopes = append(s.scopes, scope)
	ast.Inspect(fl.Body, s.visit)
	s.scopes = s.scopes[:len(s.scopes)-1]
	return true
}

// resolveRoutes keeps the package's routes whose router and prefix are
// known, with their full paths.
func (sc *pkgScan) resolveRoutes() {
	for _, r := range sc.pending {
		ref := sc.resolveRouter(r.recv)
		if !ref.ok {
			continue
		}
		r.Path = joinRoute(ref.prefix, r.Path)
		r.returned = ref.returned && !ref.mounter
		sc.Routes = append(sc.Routes, r)
	}
	sc.pending = nil
}
