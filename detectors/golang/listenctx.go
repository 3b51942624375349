package golang

import (
	"go/ast"
	"go/token"
	"regexp"
	"strings"
)

// span is a stretch of a file with the text that names it: a function's
// name, or an if statement's condition.
type span struct {
	pos, end token.Pos
	text     string
}

// spans records the file's functions and if statements, for the context
// of each listener.
func (s *fileScan) spans() {
	ast.Inspect(s.f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			s.ctx = append(s.ctx, span{n.Pos(), n.End(), n.Name.Name})
		case *ast.IfStmt:
			s.ctx = append(s.ctx, span{n.Body.Pos(), n.Body.End(), s.text(n.Cond)})
		}
		return true
	})
}

// sideWords name listeners that are not the app's own port: metrics,
// profiling and debug servers, TLS redirect helpers, separate health
// ports.
var sideWords = regexp.MustCompile(`(?i)(metric|prometheus|promhttp|pprof|profil|debug|redirect|acme|autocert|challenge|health)`)

// sideHandlers are handlers that only a side server serves.
var sideHandlers = regexp.MustCompile(`(?i)(promhttp|pprof|redirect|autocert|acme|HTTPHandler\(nil\))`)

// sideOf says what kind of side listener a call is, from the function
// and if conditions around it, its receiver, address and handler: "metrics",
// "debug", "redirect", "health", or "" for the app's own listener.
func (s *fileScan) sideOf(call *ast.CallExpr, addr ast.Expr) string {
	var b strings.Builder
	for _, sp := range s.ctx {
		if sp.pos <= call.Pos() && call.End() <= sp.end {
			b.WriteString(sp.text + " ")
		}
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
		b.WriteString(s.text(sel.X) + " ")
	}
	if addr != nil {
		b.WriteString(s.text(addr) + " ")
	}
	// The handler says what a server is only by what it serves
	// (promhttp.Handler(), a redirect): an app's router wrapped in a
	// metrics or health middleware is still the app.
	for _, a := range call.Args {
		if a != addr {
			b.WriteString(sideHandlers.FindString(s.text(a)) + " ")
		}
	}
	m := strings.ToLower(sideWords.FindString(b.String()))
	switch {
	case m == "":
		return ""
	case strings.HasPrefix(m, "metric") || strings.HasPrefix(m, "prom"):
		return "metrics"
	case m == "redirect" || m == "acme" || m == "autocert" || m == "challenge":
		return "redirect"
	case m == "health":
		return "health"
	}
	return "debug"
}

// portishName reports whether a flag or config key names the server's
// own port or listen address ("port", "http-addr", "listen-http",
// "server.port"), not another service's ("db-port", "metrics-addr").
func portishName(name string) bool {
	n := strings.ToLower(name)
	if otherServices.MatchString(n) || sideWords.MatchString(n) {
		return false
	}
	parts := strings.FieldsFunc(n, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	if len(parts) == 0 || len(parts) > 3 {
		return false
	}
	switch parts[len(parts)-1] {
	case "port", "addr", "address", "listen", "bind":
		return true
	case "http":
		return len(parts) > 1 && parts[0] == "listen"
	}
	return n == "http"
}

// flagArgs says, for the flag-defining methods of flag, pflag and cobra's
// FlagSets, with where their name and default arguments are.
func flagArgs(method string) (nameArg, defArg int, ok bool) {
	base := strings.TrimSuffix(method, "P")
	shorthand := base != method
	varForm := strings.HasSuffix(base, "Var")
	switch strings.TrimSuffix(base, "Var") {
	case "String", "Int", "Uint", "Int64", "Uint64", "Uint16", "Int32", "Uint32":
	default:
		return 0, 0, false
	}
	if varForm {
		nameArg = 1
	}
	defArg = nameArg + 1
	if shorthand {
		defArg++
	}
	return nameArg, defArg, true
}

// flagLiteral records a urfave/cli flag literal named like a port or
// address: &cli.StringFlag{Name: "addr", Value: ":8080", EnvVars: …}.
func (s *fileScan) flagLiteral(cl *ast.CompositeLit) {
	sel, ok := cl.Type.(*ast.SelectorExpr)
	if !ok || !strings.HasSuffix(sel.Sel.Name, "Flag") {
		return
	}
	var name, val exprValue
	var valAt ast.Node
	env := ""
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		switch exprString(kv.Key) {
		case "Name":
			name = s.syms.eval(kv.Value)
		case "Value":
			val, valAt = s.syms.eval(kv.Value), kv
		case "EnvVar", "EnvVars", "Sources":
			env = firstEnvName(kv.Value, s.syms)
		}
	}
	if !name.Known || !(portishName(name.S) || hostFlagName(name.S)) || valAt == nil {
		return
	}
	if env != "" {
		val.Env, val.EnvFallback, val.HasFallback = env, val.S, val.Known
	}
	s.sc.FlagPorts = append(s.sc.FlagPorts, listener{finding: s.find(valAt, "flag "+name.S+": "+s.text(valAt)), Addr: val, Flag: name.S, fn: s.funcAt(cl.Pos()), recv: s.recvAt(cl.Pos()), at: cl.Pos()})
}

// firstEnvName is the first string literal in an EnvVar(s)/Sources value
// that names an environment variable.
func firstEnvName(e ast.Expr, syms *symbols) string {
	out := ""
	ast.Inspect(e, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && out == "" {
			if v := literalValue(lit); v.Known && envName.MatchString(v.S) {
				out = v.S
			}
		}
		return out == ""
	})
	return out
}

// configDefault records viper's SetDefault("server.port", 8080) and
// kingpin's Flag("port", …).Default("8080") for a key named like a port.
func (s *fileScan) configDefault(call *ast.CallExpr, sel *ast.SelectorExpr) {
	switch {
	case sel.Sel.Name == "SetDefault" && len(call.Args) == 2:
		k := s.syms.eval(call.Args[0])
		if k.Known && portishName(k.S) {
			s.sc.FlagPorts = append(s.sc.FlagPorts, listener{finding: s.find(call, s.text(call)), Addr: s.syms.eval(call.Args[1])})
		}
	case sel.Sel.Name == "Default" && len(call.Args) == 1:
		inner, ok := sel.X.(*ast.CallExpr)
		for ok {
			isel, isSel := inner.Fun.(*ast.SelectorExpr)
			if !isSel {
				return
			}
			if isel.Sel.Name == "Flag" && len(inner.Args) >= 1 {
				k := s.syms.eval(inner.Args[0])
				if k.Known && portishName(k.S) {
					s.sc.FlagPorts = append(s.sc.FlagPorts, listener{finding: s.find(call, s.text(call)), Addr: s.syms.eval(call.Args[0]), Flag: k.S})
				}
				return
			}
			inner, ok = isel.X.(*ast.CallExpr)
		}
	}
}
