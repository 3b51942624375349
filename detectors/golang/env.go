package golang

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// Environment the program requires at start: a variable whose absence
// stops it before it serves. Two shapes are read. In code that runs at
// start (main, init functions, package-level initializers and the
// functions they call in the build's own packages), an os.Getenv whose
// empty result, or an os.LookupEnv whose !ok, leads to log.Fatal, panic,
// os.Exit or a returned error, directly or through a helper
// (mustEnv("X")). And the struct tags of the configuration libraries
// that fail without the variable: caarlos0/env and sethvargo/go-envconfig
// (env:"X,required"), kelseyhightower/envconfig (required:"true"),
// cleanenv (env-required:"true"), each unless a default is given.

// envFunc is one function of the build, with where it lives.
type envFunc struct {
	decl *ast.FuncDecl
	file *envFile
	dir  string
}

// envFile is one parsed file and the build packages its imports name.
type envFile struct {
	name string
	src  []byte
	f    *ast.File
	// pkgs maps an import name to the imported build package's folder.
	pkgs map[string]string
}

// envScan is one walk of the code that runs at start.
type envScan struct {
	fset  *token.FileSet
	det   *facts.Detection
	funcs map[string]*envFunc // "dir.Name"
	// helpers are functions that stop the program when the variable named
	// by their parameter is unset: "dir.Name" → parameter index.
	helpers map[string]int
	queue   []*envFunc
	seen    map[*ast.FuncDecl]bool
	// command is the subcommand the container runs ("serve"), or the
	// binary's name when it runs the root command.
	command string
}

// requiredEnv records the variables main's program stops without when it
// runs with args.
func requiredEnv(fsys fs.FS, lay *layout, main *mainInfo, args []string, det *facts.Detection) {
	sc := &envScan{fset: token.NewFileSet(), det: det, funcs: map[string]*envFunc{}, helpers: map[string]int{}, seen: map[*ast.FuncDecl]bool{}, command: det.Go.Binary}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sc.command = args[0]
	}
	var files []*envFile
	byDir := map[*envFile]string{}
	for _, p := range main.reach {
		for _, name := range p.Files {
			src, err := repo.ReadPrefix(fsys, name, repo.MaxSourceSize)
			if err != nil {
				continue
			}
			f, _ := parser.ParseFile(sc.fset, name, src, parser.SkipObjectResolution)
			if f == nil {
				continue
			}
			ef := &envFile{name: name, src: src, f: f, pkgs: map[string]string{}}
			for _, imp := range f.Imports {
				ip, _ := strconv.Unquote(imp.Path.Value)
				n := importName(ip)
				if imp.Name != nil {
					n = imp.Name.Name
				}
				if d := importDir(ip, lay); d != "" {
					ef.pkgs[n] = d
				}
			}
			files = append(files, ef)
			byDir[ef] = p.Dir
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Body != nil {
					sc.funcs[p.Dir+"."+fd.Name.Name] = &envFunc{decl: fd, file: ef, dir: p.Dir}
				}
			}
		}
	}
	for key, fn := range sc.funcs {
		if i, ok := sc.helperParam(fn); ok {
			sc.helpers[key] = i
		}
	}
	for _, ef := range files {
		dir := byDir[ef]
		for _, d := range ef.f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Body != nil && (d.Name.Name == "init" || (d.Name.Name == "main" && dir == main.pkg.Dir)) {
					sc.enqueue(&envFunc{decl: d, file: ef, dir: dir})
				}
			case *ast.GenDecl:
				// Package-level initializers run before main.
				sc.walk(d, ef, dir)
			}
		}
	}
	for len(sc.queue) > 0 {
		fn := sc.queue[0]
		sc.queue = sc.queue[1:]
		sc.walk(fn.decl.Body, fn.file, fn.dir)
	}
	structTags(files, sc.fset, det)
}

func (sc *envScan) enqueue(fn *envFunc) {
	if fn != nil && !sc.seen[fn.decl] {
		sc.seen[fn.decl] = true
		sc.queue = append(sc.queue, fn)
	}
}

// walk reads start-time code: the checks in its blocks, the helpers it
// calls with a literal, and the build functions it calls (queued).
func (sc *envScan) walk(n ast.Node, ef *envFile, dir string) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CompositeLit:
			return sc.activeCommand(n, ef, dir)
		case *ast.BlockStmt:
			sc.block(n.List, ef)
		case *ast.CallExpr:
			key := ""
			switch fun := n.Fun.(type) {
			case *ast.Ident:
				key = dir + "." + fun.Name
			case *ast.SelectorExpr:
				if x, ok := fun.X.(*ast.Ident); ok && ef.pkgs[x.Name] != "" {
					key = ef.pkgs[x.Name] + "." + fun.Sel.Name
				}
			}
			if key == "" {
				return true
			}
			if i, ok := sc.helpers[key]; ok && i < len(n.Args) {
				if name, ok := stringLit(n.Args[i]); ok {
					sc.require(name, ef, n, "")
				}
			}
			sc.enqueue(sc.funcs[key])
		}
		return true
	})
}

// commandRunFields are the fields of a cobra or urfave/cli command that
// run only when that command is the one invoked.
var commandRunFields = map[string]bool{"Run": true, "RunE": true, "PreRun": true, "PreRunE": true, "PostRun": true, "PostRunE": true, "Action": true, "Before": true}

// activeCommand tells whether to read inside a composite literal: a CLI
// command (a Use or Name field naming it) other than the one the container
// runs is read without its run functions, which never run; its persistent
// hooks still run for every subcommand.
func (sc *envScan) activeCommand(cl *ast.CompositeLit, ef *envFile, dir string) bool {
	name := ""
	var runs []ast.Expr
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			continue
		}
		switch {
		case key.Name == "Use" || key.Name == "Name":
			if s, ok := stringLit(kv.Value); ok {
				name = strings.Fields(s + " x")[0]
			}
		case commandRunFields[key.Name]:
			runs = append(runs, kv.Value)
		}
	}
	if name == "" || len(runs) == 0 || name == sc.command {
		return true
	}
	for _, el := range cl.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if key, ok := kv.Key.(*ast.Ident); !ok || !commandRunFields[key.Name] {
				sc.walk(kv.Value, ef, dir)
			}
		}
	}
	return false
}

// block finds, in one statement list, variables read from the
// environment and then checked: v := os.Getenv("X") … if v == "" { stop }.
func (sc *envScan) block(stmts []ast.Stmt, ef *envFile) {
	vars := map[string]string{} // expression → variable
	for _, st := range stmts {
		switch st := st.(type) {
		case *ast.AssignStmt:
			envAssign(st.Lhs, st.Rhs, vars)
		case *ast.DeclStmt:
			if gd, ok := st.Decl.(*ast.GenDecl); ok {
				for _, sp := range gd.Specs {
					if vs, ok := sp.(*ast.ValueSpec); ok {
						var lhs []ast.Expr
						for _, n := range vs.Names {
							lhs = append(lhs, n)
						}
						envAssign(lhs, vs.Values, vars)
					}
				}
			}
		case *ast.IfStmt:
			local := map[string]string{}
			for k, v := range vars {
				local[k] = v
			}
			if as, ok := st.Init.(*ast.AssignStmt); ok {
				envAssign(as.Lhs, as.Rhs, local)
			}
			names := checkedEmpty(st.Cond, local)
			if len(names) > 0 && stops(st.Body) {
				for _, name := range names {
					sc.require(name, ef, st, "")
				}
			}
		case *ast.RangeStmt:
			sc.rangeCheck(st, ef)
		}
	}
}

// rangeCheck reads for _, k := range []string{"A", "B"} { if os.Getenv(k)
// == "" { stop } }.
func (sc *envScan) rangeCheck(st *ast.RangeStmt, ef *envFile) {
	lit, ok := st.X.(*ast.CompositeLit)
	k, kok := st.Value.(*ast.Ident)
	if !ok || !kok || st.Body == nil {
		return
	}
	var names []string
	for _, e := range lit.Elts {
		if s, ok := stringLit(e); ok {
			names = append(names, s)
		}
	}
	for _, s := range st.Body.List {
		ifs, ok := s.(*ast.IfStmt)
		if !ok || !stops(ifs.Body) {
			continue
		}
		vars := map[string]string{}
		if as, ok := ifs.Init.(*ast.AssignStmt); ok {
			envAssignVar(as.Lhs, as.Rhs, vars, k.Name)
		}
		if len(checkedEmptyVar(ifs.Cond, vars, k.Name)) > 0 {
			for _, n := range names {
				sc.require(n, ef, lit, "")
			}
		}
	}
}

func (sc *envScan) require(name string, ef *envFile, at ast.Node, detail string) {
	line := sc.fset.Position(at.Pos()).Line
	if detail == "" {
		detail = lineText(ef.src, line)
	}
	sc.det.RequireEnv(name, ef.name, line, detail)
}

// helperParam reports whether fn stops the program when the variable its
// string parameter names is unset (func mustEnv(k string) string).
func (sc *envScan) helperParam(fn *envFunc) (int, bool) {
	var params []string
	for _, f := range fn.decl.Type.Params.List {
		for _, n := range f.Names {
			params = append(params, n.Name)
		}
		if len(f.Names) == 0 {
			params = append(params, "")
		}
	}
	for i, p := range params {
		if p == "" || p == "_" {
			continue
		}
		found := false
		ast.Inspect(fn.decl.Body, func(n ast.Node) bool {
			b, ok := n.(*ast.BlockStmt)
			if !ok || found {
				return !found
			}
			vars := map[string]string{}
			for _, st := range b.List {
				switch st := st.(type) {
				case *ast.AssignStmt:
					envAssignVar(st.Lhs, st.Rhs, vars, p)
				case *ast.IfStmt:
					local := map[string]string{}
					for k, v := range vars {
						local[k] = v
					}
					if as, ok := st.Init.(*ast.AssignStmt); ok {
						envAssignVar(as.Lhs, as.Rhs, local, p)
					}
					if slices.Contains(checkedEmptyVar(st.Cond, local, p), "@") && stops(st.Body) {
						found = true
					}
				}
			}
			return !found
		})
		if found {
			return i, true
		}
	}
	return 0, false
}

// envAssign records lhs = os.Getenv("X") (and v, ok = os.LookupEnv("X")):
// vars maps the variable's text to "X", and "!ok" to "X".
func envAssign(lhs, rhs []ast.Expr, vars map[string]string) {
	if len(rhs) != 1 {
		return
	}
	name, lookup := envRead(rhs[0])
	if name == "" {
		return
	}
	if len(lhs) >= 1 {
		vars[exprString(lhs[0])] = name
	}
	if lookup && len(lhs) == 2 {
		vars["!"+exprString(lhs[1])] = name
	}
}

// envAssignVar is envAssign for a read whose name is the identifier param
// (recorded under the name "@").
func envAssignVar(lhs, rhs []ast.Expr, vars map[string]string, param string) {
	if len(rhs) != 1 {
		return
	}
	call, ok := rhs[0].(*ast.CallExpr)
	if !ok || len(call.Args) != 1 || !isEnvCall(call) {
		return
	}
	if id, ok := call.Args[0].(*ast.Ident); !ok || id.Name != param {
		return
	}
	if len(lhs) >= 1 {
		vars[exprString(lhs[0])] = "@"
	}
	if len(lhs) == 2 {
		vars["!"+exprString(lhs[1])] = "@"
	}
}

// envRead returns the name an os.Getenv or os.LookupEnv call reads.
func envRead(x ast.Expr) (name string, lookup bool) {
	call, ok := x.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 || !isEnvCall(call) {
		return "", false
	}
	s, ok := stringLit(call.Args[0])
	if !ok {
		return "", false
	}
	return s, call.Fun.(*ast.SelectorExpr).Sel.Name == "LookupEnv"
}

func isEnvCall(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "os" && (sel.Sel.Name == "Getenv" || sel.Sel.Name == "LookupEnv")
}

// checkedEmpty returns the variables a condition finds unset: v == "",
// len(v) == 0, !ok, os.Getenv("X") == "", joined with ||.
func checkedEmpty(cond ast.Expr, vars map[string]string) []string {
	return checkedEmptyVar(cond, vars, "")
}

// checkedEmptyVar is checkedEmpty where os.Getenv(param) counts as the
// name "@".
func checkedEmptyVar(cond ast.Expr, vars map[string]string, param string) []string {
	switch c := cond.(type) {
	case *ast.ParenExpr:
		return checkedEmptyVar(c.X, vars, param)
	case *ast.UnaryExpr:
		if c.Op == token.NOT {
			if n := vars["!"+exprString(c.X)]; n != "" {
				return []string{n}
			}
		}
	case *ast.BinaryExpr:
		switch c.Op {
		case token.LOR:
			return append(checkedEmptyVar(c.X, vars, param), checkedEmptyVar(c.Y, vars, param)...)
		case token.EQL:
			x, y := c.X, c.Y
			if isEmptyLit(x) {
				x, y = y, x
			}
			if !isEmptyLit(y) {
				return nil
			}
			if call, ok := x.(*ast.CallExpr); ok && len(call.Args) == 1 {
				if fn, ok := call.Fun.(*ast.Ident); ok && fn.Name == "len" {
					x = call.Args[0]
				}
			}
			if n := vars[exprString(x)]; n != "" {
				return []string{n}
			}
			if name, lookup := envRead(x); name != "" && !lookup {
				return []string{name}
			}
			if call, ok := x.(*ast.CallExpr); ok && param != "" && len(call.Args) == 1 && isEnvCall(call) {
				if id, ok := call.Args[0].(*ast.Ident); ok && id.Name == param {
					return []string{"@"}
				}
			}
		}
	}
	return nil
}

// isEmptyLit reports whether e is "" or 0.
func isEmptyLit(e ast.Expr) bool {
	lit, ok := e.(*ast.BasicLit)
	return ok && (lit.Value == `""` || lit.Value == "``" || lit.Value == "0")
}

// stops reports whether a block ends the program or the start: a fatal
// log, panic, os.Exit, or a returned error.
func stops(b *ast.BlockStmt) bool {
	for _, st := range b.List {
		switch st := st.(type) {
		case *ast.ExprStmt:
			if call, ok := st.X.(*ast.CallExpr); ok && fatalCall(call) {
				return true
			}
		case *ast.ReturnStmt:
			if len(st.Results) > 0 && errorValue(st.Results[len(st.Results)-1]) {
				return true
			}
		}
	}
	return false
}

// fatalCall is panic(…), os.Exit(…), or a logger's Fatal/Panic/Exit.
func fatalCall(call *ast.CallExpr) bool {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		return fn.Name == "panic"
	case *ast.SelectorExpr:
		n := fn.Sel.Name
		if x, ok := fn.X.(*ast.Ident); ok && x.Name == "os" {
			return n == "Exit"
		}
		return strings.HasPrefix(n, "Fatal") || strings.HasPrefix(n, "Panic") || (strings.HasPrefix(n, "Exit") && n != "ExitCode")
	}
	return false
}

// errorValue is a returned error: errors.New(…), fmt.Errorf(…), a
// constructor or variable named Err…/err….
func errorValue(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.CallExpr:
		switch fn := e.Fun.(type) {
		case *ast.SelectorExpr:
			n := fn.Sel.Name
			return n == "New" || n == "Errorf" || n == "Wrap" || n == "Wrapf" || strings.HasPrefix(n, "Err") || strings.HasPrefix(n, "New") && strings.HasSuffix(n, "Error")
		case *ast.Ident:
			return strings.HasPrefix(fn.Name, "err") || strings.HasPrefix(fn.Name, "Err") || strings.HasSuffix(fn.Name, "Error")
		}
	case *ast.Ident:
		return e.Name != "nil" && (strings.HasPrefix(e.Name, "err") || strings.HasPrefix(e.Name, "Err"))
	case *ast.SelectorExpr:
		return strings.HasPrefix(e.Sel.Name, "Err")
	}
	return false
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// lineText is line n of src, trimmed.
func lineText(src []byte, n int) string {
	out := ""
	repo.Lines(src, func(i int, l string) bool {
		if i == n {
			out = strings.TrimSpace(l)
			return false
		}
		return true
	})
	return out
}
