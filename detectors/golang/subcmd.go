package golang

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

// cliCommand is a command of a command-line framework (cobra, urfave/cli,
// kingpin) or a case of a `switch os.Args[1]`.
type cliCommand struct {
	finding
	// Kind is "cobra", "urfave", "kingpin" or "flag".
	Kind string
	// Name is the command's name (cobra's first word of Use).
	Name string
	// Use is cobra's whole Use line, for a positional argument's name.
	Use string
	// Action is true when the command runs something itself (Run, RunE,
	// Action); HelpOnly when that only prints help or usage.
	Action, HelpOnly bool
	// Parent is true when the command holds subcommands (urfave's
	// Commands); Default when kingpin runs it without being named.
	Parent, Default bool
	// NeedsArg is true when it takes at least one positional argument
	// (cobra's ExactArgs(1), MinimumNArgs(1), RangeArgs(1, n)).
	NeedsArg bool
	// Required are its flags marked required, by name.
	Required []string
	// Retired is set for a command marked Deprecated or Hidden: its
	// authors point users elsewhere, so it is never the one started.
	Retired bool
	// varName and funcName: the variable it is assigned to and the
	// function that builds it, to tie it to AddCommand and
	// MarkFlagRequired calls.
	varName, funcName string
	// handler is the function named as its Run, RunE or Action (or
	// called to build it); recvType is the type whose methods make up a
	// simplecobra command.
	handler, recvType string
	// pos tells a literal seen twice apart from two on one line; end
	// closes the literal, for the flags declared inside it.
	pos, end token.Pos
}

// cliScan is what one package says about its command line.
type cliScan struct {
	Commands []cliCommand
	// Children are the variables and constructor functions passed to
	// AddCommand.
	Children map[string]bool
	// RequiredBy maps a command variable or constructor function to the
	// flags it marks required.
	RequiredBy map[string][]string
	// SwitchDefault is set when a switch on os.Args[1] has a default
	// case that does more than print usage and exit.
	SwitchDefault bool
	// Roots are the types of the commands passed to simplecobra.New.
	Roots map[string]bool
}

// cliImports are the command-line frameworks, by import path prefix.
var cliImports = []struct{ path, kind string }{
	{"github.com/spf13/cobra", "cobra"},
	{"github.com/urfave/cli", "urfave"},
	{"gopkg.in/urfave/cli", "urfave"},
	{"github.com/alecthomas/kingpin", "kingpin"},
	{"gopkg.in/alecthomas/kingpin", "kingpin"},
	{"github.com/bep/simplecobra", "simplecobra"},
}

// cliWalker walks one file for commands.
type cliWalker struct {
	s    *fileScan
	out  *cliScan
	kind map[string]string // import name → kind
	fn   string
	// types maps a variable to the type of the &T{…} assigned to it in
	// the current function, for simplecobra.New(rootCmd).
	types map[string]string
}

// commands records the file's commands into the package's cliScan.
func (s *fileScan) commands() {
	w := &cliWalker{s: s, out: &s.sc.CLI, kind: map[string]string{}}
	for _, is := range s.f.Imports {
		p, err := strconv.Unquote(is.Path.Value)
		if err != nil {
			continue
		}
		for _, c := range cliImports {
			if strings.HasPrefix(p, c.path) {
				name := importName(p)
				if is.Name != nil {
					name = is.Name.Name
				}
				w.kind[name] = c.kind
			}
		}
	}
	if w.out.Children == nil {
		w.out.Children, w.out.RequiredBy, w.out.Roots = map[string]bool{}, map[string][]string{}, map[string]bool{}
	}
	for _, d := range s.f.Decls {
		w.fn, w.types = "", map[string]string{}
		if fd, ok := d.(*ast.FuncDecl); ok {
			w.fn = fd.Name.Name
			w.simplecobraName(fd)
		}
		ast.Inspect(d, w.visit)
	}
}

// simplecobraName records a simplecobra command: a method
// `func (c *serverCommand) Name() string { return "server" }` in a file
// that imports simplecobra. The command is every method of its type.
func (w *cliWalker) simplecobraName(fd *ast.FuncDecl) {
	if fd.Recv == nil || fd.Name.Name != "Name" || fd.Body == nil || len(fd.Body.List) != 1 || !hasKind(w.kind, "simplecobra") {
		return
	}
	ret, ok := fd.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return
	}
	n := w.s.syms.eval(ret.Results[0])
	t := recvTypeName(fd)
	if !n.Known || n.S == "" || t == "" {
		return
	}
	w.out.Commands = append(w.out.Commands, cliCommand{finding: w.s.find(fd, w.s.text(fd.Type)+": "+strconv.Quote(n.S)), Kind: "simplecobra", Name: n.S, Use: n.S, Action: true, recvType: t})
}

// recvTypeName is the name of a method's receiver type (T in func (t *T)).
func recvTypeName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	t := fd.Recv.List[0].Type
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// compositeType is the type name T of &T{…} or T{…}, or "".
func compositeType(e ast.Expr) string {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	if cl, ok := e.(*ast.CompositeLit); ok {
		if id, ok := cl.Type.(*ast.Ident); ok {
			return id.Name
		}
	}
	return ""
}

// importName is the name a package is imported under by default: its last
// element, the one before a /vN, or kingpin's from gopkg.in's ".v2".
func importName(p string) string {
	el := p[strings.LastIndex(p, "/")+1:]
	if _, _, ok := splitMajor(p); ok {
		q := strings.TrimSuffix(p, "/"+el)
		el = q[strings.LastIndex(q, "/")+1:]
	}
	el, _, _ = strings.Cut(el, ".")
	return el
}

// visit is the ast.Inspect callback of the command walk.
func (w *cliWalker) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.AssignStmt:
		for i, rhs := range n.Rhs {
			if i < len(n.Lhs) {
				w.literal(rhs, exprString(n.Lhs[i]))
				if t := compositeType(rhs); t != "" {
					w.types[exprString(n.Lhs[i])] = t
				}
			}
		}
		return true
	case *ast.ValueSpec:
		for i, v := range n.Values {
			if i < len(n.Names) {
				w.literal(v, n.Names[i].Name)
			}
		}
		return true
	case *ast.CompositeLit:
		w.literal(n, "")
	case *ast.CallExpr:
		w.call(n)
	case *ast.SwitchStmt:
		w.argSwitch(n)
	}
	return true
}

// literal records a cobra or urfave/cli command literal, with the
// variable it is assigned to. A literal already recorded is skipped.
func (w *cliWalker) literal(e ast.Expr, varName string) {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return
	}
	if at, ok := cl.Type.(*ast.ArrayType); ok {
		// []*cli.Command{{Name: "serve"}, …}: the elements have no type.
		if kind := w.typeKind(at.Elt); kind == "urfave" {
			for _, el := range cl.Elts {
				if u, ok := el.(*ast.UnaryExpr); ok {
					el = u.X
				}
				if ecl, ok := el.(*ast.CompositeLit); ok && ecl.Type == nil {
					w.command(ecl, kind, "")
				}
			}
		}
		return
	}
	if kind := w.typeKind(cl.Type); kind != "" {
		w.command(cl, kind, varName)
	}
}

// typeKind is the framework whose Command (or urfave's App) type t names.
func (w *cliWalker) typeKind(t ast.Expr) string {
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	sel, ok := t.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return ""
	}
	kind := w.kind[id.Name]
	if (kind == "cobra" && sel.Sel.Name == "Command") || (kind == "urfave" && (sel.Sel.Name == "Command" || sel.Sel.Name == "App")) {
		return kind
	}
	return ""
}

// command records one command literal. A literal seen twice (as an
// assignment's value and as a node) is kept once, with its variable.
func (w *cliWalker) command(cl *ast.CompositeLit, kind, varName string) {
	c := cliCommand{finding: w.s.find(cl, "command"), Kind: kind, varName: varName, funcName: w.fn, pos: cl.Pos(), end: cl.End()}
	for i := range w.out.Commands {
		if o := &w.out.Commands[i]; o.File == c.File && o.pos == c.pos && o.Kind == kind {
			if o.varName == "" {
				o.varName = varName
			}
			return
		}
	}
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		k, _ := kv.Key.(*ast.Ident)
		if k == nil {
			continue
		}
		w.field(&c, k.Name, kv.Value)
	}
	c.Detail = w.s.text(cl)
	w.out.Commands = append(w.out.Commands, c)
}

// field reads one field of a command literal.
func (w *cliWalker) field(c *cliCommand, key string, v ast.Expr) {
	switch key {
	case "Use", "Name":
		if s := w.s.syms.eval(v); s.Known {
			c.Use = s.S
			c.Name, _, _ = strings.Cut(strings.TrimSpace(s.S), " ")
		}
	case "Run", "RunE", "Action":
		c.Action = true
		c.HelpOnly = helpOnly(v)
		// Run: openHandler, Run: newServerHandler(): the function whose
		// code is the command's path.
		if call, ok := v.(*ast.CallExpr); ok {
			c.handler = exprString(call.Fun)
		} else {
			c.handler = exprString(v)
		}
	case "Commands", "Subcommands":
		c.Parent = true
	case "Args":
		if call, ok := v.(*ast.CallExpr); ok {
			fn := exprString(call.Fun)
			if strings.HasSuffix(fn, "ExactArgs") || strings.HasSuffix(fn, "MinimumNArgs") || strings.HasSuffix(fn, "RangeArgs") {
				if n := w.s.syms.eval(argAt(call, 0)); n.Known && n.S != "0" {
					c.NeedsArg = true
				}
			}
		}
	case "Flags":
		c.Required = append(c.Required, requiredFlags(v, w.s.syms)...)
	case "Deprecated":
		if s := w.s.syms.eval(v); !s.Known || s.S != "" {
			c.Retired = true
		}
	case "Hidden":
		c.Retired = c.Retired || exprString(v) != "false"
	}
}

// helpOnly reports whether a command's action only prints help or
// usage (a root that does nothing without a subcommand).
func helpOnly(v ast.Expr) bool {
	fl, ok := v.(*ast.FuncLit)
	if !ok {
		return false
	}
	useful := false
	ast.Inspect(fl.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		switch name := callName(call); name {
		case "Help", "Usage", "ShowAppHelp", "ShowAppHelpAndExit", "ShowCommandHelp", "Exit", "Println", "Printf", "Fprintln", "Fprintf", "Print", "Errorf", "New", "UsageString", "HelpFunc":
		default:
			useful = true
		}
		return true
	})
	return !useful
}

// callName is the called function's or method's own name.
func callName(call *ast.CallExpr) string {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// requiredFlags are the names of urfave/cli flag literals with
// Required: true in a Flags list.
func requiredFlags(v ast.Expr, syms *symbols) []string {
	var out []string
	ast.Inspect(v, func(n ast.Node) bool {
		cl, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		name, req := "", false
		for _, el := range cl.Elts {
			kv, ok := el.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			switch exprString(kv.Key) {
			case "Name":
				if s := syms.eval(kv.Value); s.Known {
					name = s.S
				}
			case "Required":
				req = exprString(kv.Value) == "true"
			}
		}
		if req && name != "" {
			out = append(out, name)
		}
		return true
	})
	return out
}

// call records AddCommand children, MarkFlagRequired and kingpin's
// Command("serve", …) with its Default().
func (w *cliWalker) call(call *ast.CallExpr) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	switch sel.Sel.Name {
	case "AddCommand":
		for _, a := range call.Args {
			if c, ok := a.(*ast.CallExpr); ok {
				w.out.Children[exprString(c.Fun)] = true
			} else {
				w.out.Children[exprString(a)] = true
			}
		}
	case "MarkFlagRequired", "MarkPersistentFlagRequired":
		if n := w.s.syms.eval(argAt(call, 0)); n.Known {
			owner := rootIdent(sel.X)
			if owner == "" || owner == "cmd" || owner == "c" || owner == "command" {
				owner = w.fn
			}
			w.out.RequiredBy[owner] = append(w.out.RequiredBy[owner], n.S)
		}
	case "New":
		// simplecobra.New(rootCmd): the root command's type.
		if id, ok := sel.X.(*ast.Ident); ok && w.kind[id.Name] == "simplecobra" && len(call.Args) == 1 {
			t := compositeType(call.Args[0])
			if t == "" {
				t = w.types[exprString(call.Args[0])]
			}
			if t != "" {
				w.out.Roots[t] = true
			}
		}
	case "Default":
		// app.Command("serve", "…").Default()
		if inner, ok := sel.X.(*ast.CallExpr); ok && w.kingpinCommand(inner) {
			w.out.Commands[len(w.out.Commands)-1].Default = true
		}
	case "Command":
		w.kingpinCommand(call)
	}
}

// kingpinCommand records app.Command("serve", "…") in a file that
// imports kingpin, and reports whether call was one. A call seen before
// (as Default's receiver) is not recorded twice.
func (w *cliWalker) kingpinCommand(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Command" || len(call.Args) < 1 || !hasKind(w.kind, "kingpin") {
		return false
	}
	n := w.s.syms.eval(call.Args[0])
	if !n.Known {
		return false
	}
	f := w.s.find(call, w.s.text(call))
	for _, o := range w.out.Commands {
		if o.File == f.File && o.Line == f.Line && o.Name == n.S {
			return true
		}
	}
	w.out.Commands = append(w.out.Commands, cliCommand{finding: f, Kind: "kingpin", Name: n.S, Action: true, funcName: w.fn})
	return true
}

// rootIdent is the leftmost identifier of x.y().z.
func rootIdent(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name
		case *ast.SelectorExpr:
			e = x.X
		case *ast.CallExpr:
			e = x.Fun
		default:
			return ""
		}
	}
}

// hasKind reports whether the file imports a framework of that kind.
func hasKind(kind map[string]string, k string) bool {
	for _, v := range kind {
		if v == k {
			return true
		}
	}
	return false
}

// argSwitch records the cases of `switch os.Args[1]` (or flag.Arg(0)):
// subcommands of a program built on the flag package.
func (w *cliWalker) argSwitch(sw *ast.SwitchStmt) {
	if sw.Tag == nil {
		return // switch { case …: }
	}
	tag := w.s.text(sw.Tag)
	if tag != "os.Args[1]" && tag != "flag.Arg(0)" && tag != "args[0]" && tag != "flag.Args()[0]" {
		return
	}
	for _, st := range sw.Body.List {
		cc, ok := st.(*ast.CaseClause)
		if !ok {
			continue
		}
		if cc.List == nil {
			w.out.SwitchDefault = w.out.SwitchDefault || !helpOnly(&ast.FuncLit{Body: &ast.BlockStmt{List: cc.Body}})
			continue
		}
		for _, e := range cc.List {
			if n := w.s.syms.eval(e); n.Known {
				w.out.Commands = append(w.out.Commands, cliCommand{finding: w.s.find(e, "case "+strconv.Quote(n.S)+" of switch "+tag), Kind: "flag", Name: n.S, Action: true, funcName: w.fn, pos: cc.Pos(), end: cc.End()})
			}
		}
	}
}
