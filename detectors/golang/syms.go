package golang

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// exprValue is what dgen could work out about an expression's value.
type exprValue struct {
	// S is the value, with an environment variable's fallback in its place.
	S string
	// Known is true when S is the complete value.
	Known bool
	// Env is the environment variable the value is read from, if any, and
	// EnvFallback its fallback when the code has one.
	Env         string
	EnvFallback string
	HasFallback bool
	// HostEnv is the variable the host part of an address is read from
	// (HOST in getenv("HOST", "127.0.0.1") + ":" + port).
	HostEnv string
}

// knownValue is a complete literal value.
func knownValue(s string) exprValue { return exprValue{S: s, Known: true} }

// symbols is a package's simple assignments: enough to follow
// `port := os.Getenv("PORT"); if port == "" { port = "8080" }` or
// `addr := flag.String("addr", ":8080", "")` back to a literal.
type symbols struct {
	// assigns maps an identifier or selector ("port", "cfg.Addr") to the
	// expressions assigned to it, in source order.
	assigns map[string][]ast.Expr
	// fields maps a struct field name to values given in composite
	// literals (Config{Port: "8080"}).
	fields map[string][]ast.Expr
	// tags maps a struct field name to its env tag and default
	// (`env:"PORT" envDefault:"8080"`).
	tags map[string]envTag
	// steps is what is left of the current evaluation's budget.
	steps int
	// imports are the symbols of the build packages this one imports, by
	// import name, and deps the same in a stable order.
	imports map[string]*symbols
	deps    []*symbols
}

// link makes dep's package-level values reachable as name.X.
func (g *symbols) link(name string, dep *symbols) {
	if g.imports == nil {
		g.imports = map[string]*symbols{}
	}
	if _, ok := g.imports[name]; ok {
		return
	}
	g.imports[name] = dep
	g.deps = append(g.deps, dep)
}

// external evaluates values that belong to another package in that
// package's table, within this evaluation's budget.
func (g *symbols) external(dep *symbols, vs []ast.Expr, depth int) exprValue {
	dep.steps = g.steps
	v := dep.combine(vs, depth+1)
	g.steps = dep.steps
	return v
}

// envTag is a struct field's environment binding.
type envTag struct {
	env, def string
	node     ast.Node
	// required is set by `env:"PORT,required"` or `required:"true"`.
	required bool
	// key is the field's name in a config file (its yaml, json, toml,
	// mapstructure or koanf tag, kong's name/long), else its Go name.
	key string
}

// value is what the field holds: $env, else def.
func (t envTag) value() exprValue {
	return exprValue{S: t.def, Known: t.def != "", Env: t.env, EnvFallback: t.def, HasFallback: t.def != ""}
}

// newSymbols is an empty table.
func newSymbols() *symbols {
	return &symbols{assigns: map[string][]ast.Expr{}, fields: map[string][]ast.Expr{}, tags: map[string]envTag{}}
}

// add records rhs as assigned to lhs, when lhs is a name or selector.
func (g *symbols) add(lhs ast.Expr, rhs ast.Expr) {
	k := exprString(lhs)
	if k == "" || k == "_" {
		return
	}
	g.assigns[k] = append(g.assigns[k], rhs)
}

// collect records f's assignments, declarations, flag bindings and
// struct tags.
func (g *symbols) collect(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			g.assign(n)
		case *ast.ValueSpec:
			g.valueSpec(n)
		case *ast.CallExpr:
			g.flagVar(n)
			g.envBind(n)
		case *ast.KeyValueExpr:
			if k, ok := n.Key.(*ast.Ident); ok {
				g.fields[k.Name] = append(g.fields[k.Name], n.Value)
			}
		case *ast.Field:
			g.tag(n)
		}
		return true
	})
}

// assign records a = b and a, b = c, d; of a, ok := f() only a.
func (g *symbols) assign(n *ast.AssignStmt) {
	if len(n.Lhs) == len(n.Rhs) {
		for i := range n.Lhs {
			g.add(n.Lhs[i], n.Rhs[i])
		}
	} else if len(n.Rhs) == 1 && len(n.Lhs) > 0 {
		g.add(n.Lhs[0], n.Rhs[0]) // port, ok := os.LookupEnv("PORT")
	}
}

// valueSpec records var and const declarations with values.
func (g *symbols) valueSpec(n *ast.ValueSpec) {
	for i, name := range n.Names {
		if i < len(n.Values) {
			g.add(name, n.Values[i])
		} else if len(n.Values) == 1 {
			g.add(name, n.Values[0])
		}
	}
}

// flagVar records the default of a flag bound to a variable:
// flag.StringVar(&addr, "addr", ":8080", "").
func (g *symbols) flagVar(n *ast.CallExpr) {
	sel, ok := n.Fun.(*ast.SelectorExpr)
	if !ok || !strings.HasSuffix(strings.TrimSuffix(sel.Sel.Name, "P"), "Var") || len(n.Args) < 3 {
		return
	}
	if u, ok := n.Args[0].(*ast.UnaryExpr); ok && u.Op == token.AND {
		def := n.Args[2]
		if len(n.Args) >= 4 && strings.HasSuffix(sel.Sel.Name, "VarP") {
			def = n.Args[3]
		}
		// flag.StringVar(&srv.Listen, "listen", srv.Listen, …) keeps the
		// value the field was initialised with: its struct literal says it.
		if exprString(def) != "" && exprString(def) == exprString(u.X) {
			return
		}
		g.add(u.X, def)
	}
}

// envBind records a helper that fills a variable from the environment:
// parseInt(&c.Server.Port, EnvServerPort). Whether the second argument
// names a variable is decided when the value is worked out.
func (g *symbols) envBind(n *ast.CallExpr) {
	if len(n.Args) != 2 {
		return
	}
	if u, ok := n.Args[0].(*ast.UnaryExpr); ok && u.Op == token.AND && exprString(u.X) != "" {
		g.add(u.X, n)
	}
}

// boundEnv is the variable an envBind call reads, or "".
func (g *symbols) boundEnv(e *ast.CallExpr, depth int) string {
	if len(e.Args) != 2 {
		return ""
	}
	if u, ok := e.Args[0].(*ast.UnaryExpr); !ok || u.Op != token.AND {
		return ""
	}
	if k := g.resolve(e.Args[1], depth+1); k.Known && envName.MatchString(k.S) && strings.Contains(k.S, "_") {
		return k.S
	}
	return ""
}

// fieldFallback gives a variable read with no fallback into a struct
// field (c.Server.Port) the value a struct literal gives that field
// (Server{Port: 80}), which is what the program has when the variable
// is unset.
func (g *symbols) fieldFallback(key string, v exprValue) exprValue {
	if v.Env == "" || v.HasFallback || !strings.Contains(key, ".") {
		return v
	}
	field := key[strings.LastIndexByte(key, '.')+1:]
	vs := g.fields[field]
	for _, dep := range g.deps {
		if len(vs) == 0 {
			vs = dep.fields[field]
		}
	}
	for _, f := range vs {
		if lit, ok := f.(*ast.BasicLit); ok {
			if d := literalValue(lit); d.Known {
				v.S, v.Known, v.EnvFallback, v.HasFallback = d.S, true, d.S, true
				return v
			}
		}
	}
	return v
}

// tag records a struct field's environment binding from its tag
// (env/envconfig for the variable, envDefault/default for the default).
func (g *symbols) tag(n *ast.Field) {
	if n.Tag == nil || len(n.Names) == 0 {
		return
	}
	raw, err := strconv.Unquote(n.Tag.Value)
	if err != nil {
		return
	}
	tag := reflect.StructTag(raw)
	env := firstNonEmpty(tag.Get("env"), tag.Get("envconfig"))
	env, opts, _ := strings.Cut(env, ",")
	required := strings.Contains(opts, "required") || tag.Get("required") == "true"
	def := firstNonEmpty(tag.Get("envDefault"), tag.Get("default"), tag.Get("env-default"))
	for _, o := range strings.Split(opts, ",") {
		// sethvargo/go-envconfig: env:"HTTP_PORT,default=8080".
		if d, ok := strings.CutPrefix(o, "default="); ok && def == "" {
			def = d
		}
	}
	if env == "" && def == "" {
		return
	}
	key := n.Names[0].Name
	for _, k := range []string{"yaml", "json", "toml", "mapstructure", "koanf", "name", "long"} {
		if v, _, _ := strings.Cut(tag.Get(k), ","); v != "" && v != "-" {
			key = v
			break
		}
	}
	// Several structs may have a field Port (the server's, the mail
	// server's): the one bound to the server's own variable is kept.
	name := n.Names[0].Name
	if old, ok := g.tags[name]; ok && (portEnvName(old.env) || !portEnvName(env)) {
		return
	}
	g.tags[name] = envTag{env: env, def: def, node: n, required: required, key: key}
}

// firstNonEmpty is the first of s that is not "".
func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// maxResolveDepth bounds how far resolve follows identifiers, so cycles
// (a = b; b = a) end.
const maxResolveDepth = 8

// resolveSteps bounds the work of one evaluation: an identifier assigned
// many times from expressions naming it again would otherwise cost
// exponential time on hostile source.
const resolveSteps = 2000

// maxAssigns is how many assignments to one name are considered.
const maxAssigns = 16

// eval works out what it can of e's value, within resolveSteps.
func (g *symbols) eval(e ast.Expr) exprValue {
	g.steps = resolveSteps
	return g.resolve(e, 0)
}

// evalAll is eval for the assignments of one name.
func (g *symbols) evalAll(vs []ast.Expr) exprValue {
	g.steps = resolveSteps
	return g.combine(vs, 0)
}

// resolve works out what it can of e's value.
func (g *symbols) resolve(e ast.Expr, depth int) exprValue {
	if e == nil || depth > maxResolveDepth || g.steps <= 0 {
		return exprValue{}
	}
	g.steps--
	switch e := e.(type) {
	case *ast.BasicLit:
		return literalValue(e)
	case *ast.ParenExpr:
		return g.resolve(e.X, depth+1)
	case *ast.StarExpr:
		return g.resolve(e.X, depth+1)
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return g.resolve(e.X, depth+1)
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return g.resolveSum(e, depth)
		}
	case *ast.Ident:
		return g.combine(g.assigns[e.Name], depth)
	case *ast.SelectorExpr:
		return g.resolveSelector(e, depth)
	case *ast.CallExpr:
		return g.resolveCall(e, depth)
	}
	return exprValue{}
}

// literalValue is a string or integer literal's value.
func literalValue(e *ast.BasicLit) exprValue {
	switch e.Kind {
	case token.STRING:
		if v, err := strconv.Unquote(e.Value); err == nil {
			return knownValue(v)
		}
	case token.INT:
		return knownValue(e.Value)
	}
	return exprValue{}
}

// resolveSum concatenates a + b. An environment read with a fallback is
// Known (S holds the fallback), so ":" + port stays Known when port has
// one.
func (g *symbols) resolveSum(e *ast.BinaryExpr, depth int) exprValue {
	a, b := g.resolve(e.X, depth+1), g.resolve(e.Y, depth+1)
	out := exprValue{S: a.S + b.S, Known: a.Known && b.Known, HostEnv: a.HostEnv}
	for _, v := range []exprValue{a, b} {
		if v.Env != "" {
			out.Env, out.EnvFallback, out.HasFallback = v.Env, v.EnvFallback, v.HasFallback
		}
	}
	host := strings.TrimSuffix(a.S, ":")
	if a.Env != "" && b.Env != "" && a.Env != b.Env && !strings.Contains(host, ":") && (host != a.S || strings.HasPrefix(b.S, ":")) {
		out.HostEnv = a.Env // host + ":" + port
	}
	return out
}

// resolveSelector follows x.f through assignments to x.f, a
// package-level f of an imported build package x, values given to a
// field f in composite literals, then f's struct tag, then the fields and
// tags of the packages this one imports.
func (g *symbols) resolveSelector(e *ast.SelectorExpr, depth int) exprValue {
	if vs, ok := g.assigns[exprString(e)]; ok {
		if v := g.combine(vs, depth); v.Known || v.Env != "" {
			return g.fieldFallback(exprString(e), v)
		}
	}
	if id, ok := e.X.(*ast.Ident); ok {
		if dep := g.imports[id.Name]; dep != nil {
			if vs, ok := dep.assigns[e.Sel.Name]; ok {
				return g.external(dep, vs, depth)
			}
		}
	}
	if vs, ok := g.fields[e.Sel.Name]; ok {
		return g.combine(vs, depth)
	}
	if t, ok := g.tags[e.Sel.Name]; ok {
		return t.value()
	}
	// A config struct defined in an imported package: its defaults.
	for _, dep := range g.deps {
		if vs, ok := dep.fields[e.Sel.Name]; ok {
			return g.external(dep, vs, depth)
		}
		if t, ok := dep.tags[e.Sel.Name]; ok {
			return t.value()
		}
	}
	return exprValue{}
}

// combine merges the values assigned to one name: an environment read
// plus a literal assignment is an environment variable with a fallback.
func (g *symbols) combine(vs []ast.Expr, depth int) exprValue {
	if len(vs) > maxAssigns {
		vs = vs[:maxAssigns]
	}
	var out exprValue
	var lit *exprValue
	for _, e := range vs {
		v := g.resolve(e, depth+1)
		if v.Env != "" && out.Env == "" {
			out.Env, out.EnvFallback, out.HasFallback, out.HostEnv = v.Env, v.EnvFallback, v.HasFallback, v.HostEnv
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

// resolveCall works out the value of the calls that read the
// environment, format or convert a value, or define a flag.
func (g *symbols) resolveCall(e *ast.CallExpr, depth int) exprValue {
	fn := exprString(e.Fun)
	args := e.Args
	switch fn {
	case "os.Getenv", "os.LookupEnv", "syscall.Getenv":
		if len(args) == 1 {
			if n := g.resolve(args[0], depth+1); n.Known {
				return exprValue{Env: n.S}
			}
		}
		return exprValue{}
	case "cmp.Or":
		return g.combine(args, depth)
	case "strconv.Itoa", "fmt.Sprint", "strconv.FormatInt", "strconv.FormatUint", "string":
		if len(args) >= 1 {
			return g.resolve(args[0], depth+1)
		}
	case "net.JoinHostPort":
		if len(args) == 2 {
			h, p := g.resolve(args[0], depth+1), g.resolve(args[1], depth+1)
			out := exprValue{S: h.S + ":" + p.S, Known: p.Known, Env: p.Env, EnvFallback: p.EnvFallback, HasFallback: p.HasFallback}
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
	if env := g.boundEnv(e, depth); env != "" {
		return exprValue{Env: env}
	}
	// A helper such as getenv("PORT", "8080") or envOr("ADDR", ":8080").
	if len(args) == 2 {
		k, d := g.resolve(args[0], depth+1), g.resolve(args[1], depth+1)
		if k.Known && envName.MatchString(k.S) && d.Known {
			return exprValue{S: d.S, Known: true, Env: k.S, EnvFallback: d.S, HasFallback: true}
		}
	}
	return exprValue{}
}

var envName = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// sprintf fills a format's verbs with what is known of its arguments.
func (g *symbols) sprintf(args []ast.Expr, depth int) exprValue {
	if len(args) == 0 {
		return exprValue{}
	}
	f := g.resolve(args[0], depth+1)
	if !f.Known {
		return exprValue{}
	}
	out := exprValue{Known: true}
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
			return exprValue{}
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

// exprString renders simple expressions (identifiers, selectors, &x, *x)
// as source text, "" for anything else.
func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		x := exprString(e.X)
		if x == "" {
			return ""
		}
		return x + "." + e.Sel.Name
	case *ast.StarExpr:
		return exprString(e.X)
	case *ast.ParenExpr:
		return exprString(e.X)
	}
	return ""
}

// describe renders a resolved value for evidence.
func (v exprValue) describe() string {
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
