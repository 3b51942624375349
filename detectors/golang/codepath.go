package golang

import (
	"go/ast"
	"go/token"
	"path"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// funcAt is the name of the top-level function around pos, or "".
func (s *fileScan) funcAt(pos token.Pos) string {
	if fd := s.declAt(pos); fd != nil {
		return fd.Name.Name
	}
	return ""
}

// recvAt is the receiver type of the method around pos, or "".
func (s *fileScan) recvAt(pos token.Pos) string {
	if fd := s.declAt(pos); fd != nil {
		return recvTypeName(fd)
	}
	return ""
}

// declAt is the top-level function around pos, or nil.
func (s *fileScan) declAt(pos token.Pos) *ast.FuncDecl {
	for _, d := range s.f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Pos() <= pos && pos < fd.End() {
			return fd
		}
	}
	return nil
}

// hostFlagName reports whether a flag names the server's listen host
// ("host", "http-host"), not another service's ("db-host").
func hostFlagName(name string) bool {
	n := strings.ToLower(name)
	if otherServices.MatchString(n) || sideWords.MatchString(n) {
		return false
	}
	parts := strings.FieldsFunc(n, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	return len(parts) > 0 && len(parts) <= 2 && parts[len(parts)-1] == "host"
}

// sameCommand reports whether a and b are the same command.
func sameCommand(a, b *cliCommand) bool {
	return a != nil && b != nil && a.File == b.File && a.Line == b.Line && a.Name == b.Name && a.Kind == b.Kind
}

// commandOf is the subcommand whose code path holds l: the innermost
// command literal (or case of an os.Args switch) around it, else the
// command whose variable the flag is declared on, else the command built
// by the function around it. A root command, or none, is nil: the
// program's every path may reach it.
func commandOf(cli cliScan, l listener) *cliCommand {
	var c *cliCommand
	for i := range cli.Commands {
		o := &cli.Commands[i]
		if o.File == l.File && o.end != 0 && o.pos <= l.at && l.at < o.end && (c == nil || o.pos > c.pos) {
			c = o
		}
	}
	if c == nil {
		c = namedOwner(cli, l)
	}
	if c == nil || !isSub(*c, cli) {
		return nil
	}
	return c
}

// isSub reports whether c is a subcommand: a cobra command passed to
// AddCommand, a urfave/cli command below one that holds commands, a
// kingpin command or a case of an os.Args switch.
func isSub(c cliCommand, cli cliScan) bool {
	switch c.Kind {
	case "cobra":
		return cli.Children[c.varName] || (c.funcName != "" && cli.Children[c.funcName])
	case "simplecobra":
		return len(cli.Roots) > 0 && !cli.Roots[c.recvType]
	case "urfave":
		for _, o := range cli.Commands {
			if o.Kind == "urfave" && o.Parent {
				return !c.Parent
			}
		}
		return false
	}
	return true
}

// namedOwner is the command whose handler function holds l, else the
// one assigned to the variable a flag is declared on (in the same
// function when several commands share a variable name such as cmd),
// else the one the function around it builds (not main or init, which
// may build several).
func namedOwner(cli cliScan, l listener) *cliCommand {
	if c := onlyCommand(cli, func(o *cliCommand) bool { return l.recv != "" && o.recvType == l.recv }); c != nil {
		return c
	}
	if c := onlyCommand(cli, func(o *cliCommand) bool { return l.fn != "" && o.handler == l.fn }); c != nil {
		return c
	}
	if l.owner != "" {
		if c := onlyCommand(cli, func(o *cliCommand) bool { return o.varName == l.owner && o.funcName == l.fn }); c != nil {
			return c
		}
		if c := onlyCommand(cli, func(o *cliCommand) bool { return o.varName == l.owner }); c != nil {
			return c
		}
	}
	if l.fn == "" || l.fn == "main" || l.fn == "init" {
		return nil
	}
	return onlyCommand(cli, func(o *cliCommand) bool { return o.funcName == l.fn })
}

// onlyCommand is the one command that match selects, nil for none or
// several.
func onlyCommand(cli cliScan, match func(*cliCommand) bool) *cliCommand {
	var c *cliCommand
	for i := range cli.Commands {
		if o := &cli.Commands[i]; match(o) {
			if c != nil {
				return nil
			}
			c = o
		}
	}
	return c
}

// portSubcommand is the subcommand the port is read on, when the
// program's own listeners with a port all lie on a subcommand's path
// (or, with none, a port flag does): the start must run it, since the
// bare binary never reaches that listener. A retired (Deprecated or
// Hidden) command is never it.
func portSubcommand(in *mainInfo, cli cliScan) (*cliCommand, *listener) {
	if len(cli.Commands) == 0 {
		return nil, nil
	}
	for _, sc := range in.scans {
		for i, l := range sc.Listeners {
			if l.Side != "" {
				continue
			}
			c := commandOf(cli, l)
			if c == nil {
				if _, _, ok := parsePort(l.Addr.S); ok && l.Addr.Known {
					return nil, nil
				}
				continue
			}
			if !c.Retired {
				return c, &sc.Listeners[i]
			}
		}
	}
	for _, sc := range in.scans {
		for i, l := range sc.FlagPorts {
			if _, _, ok := parsePort(l.Addr.S); !ok || !l.Addr.Known {
				continue
			}
			c := commandOf(cli, l)
			if c == nil {
				return nil, nil
			}
			if !c.Retired {
				return c, &sc.FlagPorts[i]
			}
		}
	}
	return nil, nil
}

// onPath keeps of the scans only the listeners and port flags the start
// command's path may reach: those of no subcommand, or of sub. The
// cached scans are shared with other mains, so they are copied.
func onPath(scans []*pkgScan, cli cliScan, sub *cliCommand) []*pkgScan {
	keep := func(ls []listener) []listener {
		var out []listener
		for _, l := range ls {
			if c := commandOf(cli, l); c == nil || sameCommand(c, sub) {
				out = append(out, l)
			}
		}
		return out
	}
	out := make([]*pkgScan, len(scans))
	for i, sc := range scans {
		cp := *sc
		cp.Listeners, cp.FlagPorts = keep(sc.Listeners), keep(sc.FlagPorts)
		out[i] = &cp
	}
	return out
}

// bindArgs are the flags that move a loopback default of the start's
// path to all interfaces (--bind=0.0.0.0, --addr=0.0.0.0:1313): the flag
// can be overridden, so the start command passes it.
func bindArgs(scans []*pkgScan) []string {
	var args []string
	seen := map[string]bool{}
	for _, sc := range scans {
		for _, l := range sc.FlagPorts {
			if l.Flag == "" || !l.Addr.Known || seen[l.Flag] || l.Addr.Env != "" {
				continue
			}
			val := ""
			if p, host, ok := parsePort(l.Addr.S); ok && loopback(host) {
				val = "0.0.0.0:" + strconv.Itoa(p)
			} else if !ok && loopback(strings.TrimSpace(l.Addr.S)) {
				val = "0.0.0.0"
			}
			if val != "" {
				seen[l.Flag] = true
				args = append(args, "--"+l.Flag+"="+val)
			}
		}
	}
	return args
}

// toolMain reports whether a main package looks like a build-time tool
// rather than the program to ship: it lies under internal/ or tools/, or
// its folder is named gen… (a code generator).
func toolMain(p *buildPkg) bool {
	for _, el := range strings.Split(p.Dir, "/") {
		if el == "internal" || el == "tools" {
			return true
		}
	}
	return p.Dir != p.Module.Dir && strings.HasPrefix(strings.ToLower(path.Base(p.Dir)), "gen")
}

// listensItself reports whether a main package opens a listener in its
// own code: the package or one below its folder. A tool that imports
// the project's library reaches the library's listener without ever
// starting it.
func listensItself(in *mainInfo) bool {
	for i, sc := range in.scans {
		if i < len(in.reach) && (i == 0 || strings.HasPrefix(in.reach[i].Dir, in.pkg.Dir+"/")) && len(sc.Listeners) > 0 {
			return true
		}
	}
	return false
}

// toolMainChoice asks which program to run when the only main package
// outside example folders is a tool that does not listen: the example
// mains that listen are offered beside it, first.
func toolMainChoice(tool *mainInfo, an *analyser, pkgs map[string]*buildPkg) facts.Choice {
	var infos []*mainInfo
	for _, p := range sortedPkgs(pkgs) {
		if p.Main == "" || !exampleDir(p.Dir) || !repo.SafePath(p.Dir) || len(infos) >= maxAnalysed {
			continue
		}
		if in := an.analyse(p); in.serves {
			infos = append(infos, in)
		}
	}
	reason := tool.value + " is the only main package outside example folders, but it is an internal tool or generator that opens no listener of its own"
	pick := tool
	if len(infos) > 0 {
		pick = infos[0]
		reason += "; the example programs that listen are offered too"
	} else {
		reason += ", and no example program listens"
	}
	return mainPick{pick: pick, reason: reason}.choice(append(infos, tool))
}

// envDefaultEntry records a table of variable defaults held in data: a
// map entry keyed by a variable named like the server's port or address
// whose value is, or holds, an address or port literal
// ("LISTEN_ADDR": {rawValue: "127.0.0.1:8080"}, "PORT": "8080").
func (s *fileScan) envDefaultEntry(kv *ast.KeyValueExpr) {
	lit, ok := kv.Key.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return
	}
	name, err := strconv.Unquote(lit.Value)
	if err != nil || !envName.MatchString(name) || !portEnvName(name) {
		return
	}
	def := ""
	ast.Inspect(kv.Value, func(n ast.Node) bool {
		if b, ok := n.(*ast.BasicLit); ok && def == "" {
			if v := literalValue(b); v.Known {
				if _, _, ok := parsePort(v.S); ok {
					def = v.S
				}
			}
		}
		return def == ""
	})
	if def == "" {
		return
	}
	s.sc.EnvPorts = append(s.sc.EnvPorts, listener{finding: s.find(kv, s.text(kv)),
		Addr: exprValue{S: def, Known: true, Env: name, EnvFallback: def, HasFallback: true}})
}
