package python

import (
	"path"
	"regexp"
	"strconv"
	"strings"
)

// pyServes says what a console script's function was found to do.
type pyServes int

const (
	// pyServesUnknown: the function's source is not in the repository.
	pyServesUnknown pyServes = iota
	// pyServesNo: the function (and the local functions it calls) starts
	// no server.
	pyServesNo
	// pyServesYes: the function starts a server.
	pyServesYes
)

// pyServeCallRe matches the calls that start a server in-process: an ASGI
// or WSGI server's run, a framework's own run, the standard library's
// servers, aiohttp's runner, websockets and gRPC servers, eventlet's WSGI
// server and Flask-SocketIO's run.
var pyServeCallRe = regexp.MustCompile(`\b(?:(?:uvicorn|hypercorn|granian|waitress|bjoern|cheroot|daphne)\.(?:run|serve)\w*\(|\w*(?:app|application|api|server|site|srv)\.run\(|run_app\(|run_simple\(|serve_forever\(|make_server\(|\w*HTTPServer\(|TCPServer\(|start_server\(|websockets\.serve\(|(?:grpc|aio)\.server\(|TCPSite\(|\.listen\(\s*(?:\d|port|self\.port|settings|config)|StandaloneApplication\(|WSGIApplication\(|serve\(\s*app\b|(?:execvp?e?|subprocess\.(?:run|call|check_call|Popen))\(\s*\[?\s*["'](?:gunicorn|uvicorn|hypercorn|daphne|granian|waitress-serve)|\bcall_command\(\s*["']runserver|\bwsgi\.server\(|\bsocketio\.run\()`)

// pyLitestarCLIRe is a script that runs the litestar CLI group.
var pyLitestarCLIRe = regexp.MustCompile(`\blitestar_group\(|\bLitestarGroup\(|litestar\.__main__|\blitestar\.cli\.main\b`)

// pyServeNames are the subcommand names that start a program's server.
var pyServeNames = []string{"serve", "server", "run", "start", "web", "runserver"}

// pyFunc is a function found by name in a module.
type pyFunc struct {
	file *pyFile
	line int
	body string
}

var pyDefRe = regexp.MustCompile(`(?m)^([ \t]*)(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(`)

// funcIn returns the body of the top-level (or least indented) function
// name in f, with its decorators; nil when f does not define it.
func pyFuncIn(f *pyFile, name string) *pyFunc {
	if f == nil || !f.has("def "+name) {
		return nil
	}
	var best *pyFunc
	bestIndent := 1 << 30
	for _, loc := range pyDefRe.FindAllSubmatchIndex(f.data, -1) {
		if string(f.data[loc[4]:loc[5]]) != name {
			continue
		}
		indent := loc[3] - loc[2]
		if indent >= bestIndent {
			continue
		}
		bestIndent = indent
		end := len(f.data)
		rest := f.data[loc[1]:]
		// The body ends at the first non-blank line indented no deeper
		// than the def (after the def line itself).
		if nl := strings.IndexByte(string(rest), '\n'); nl >= 0 {
			off := loc[1] + nl + 1
			for off < len(f.data) {
				lineEnd := strings.IndexByte(string(f.data[off:]), '\n')
				if lineEnd < 0 {
					lineEnd = len(f.data) - off
				}
				l := string(f.data[off : off+lineEnd])
				trimmed := strings.TrimLeft(l, " \t")
				if trimmed != "" && !strings.HasPrefix(trimmed, "#") && len(l)-len(trimmed) <= indent && !strings.HasPrefix(trimmed, ")") {
					end = off
					break
				}
				off += lineEnd + 1
			}
		}
		start := pyDecoratorStart(f.data, loc[0])
		best = &pyFunc{file: f, line: pyLineAtOffset(f.data, loc[0]), body: string(f.data[start:end])}
	}
	return best
}

// pyDecoratorStart moves back over the decorators above a def, including
// decorators whose arguments span several lines.
func pyDecoratorStart(data []byte, defAt int) int {
	start := defAt
	for start > 0 {
		prev := strings.LastIndexByte(string(data[:start-1]), '\n') + 1
		l := string(data[prev : start-1])
		t := strings.TrimSpace(l)
		inDecorator := strings.HasPrefix(t, "@") || (t != "" && (l[0] == ' ' || l[0] == '\t' || l[0] == ')'))
		if !inDecorator {
			break
		}
		start = prev
	}
	// Indented lines above the first decorator belong to whatever came
	// before it.
	if at := strings.Index(string(data[start:defAt]), "\n@"); at >= 0 && !strings.HasPrefix(string(data[start:defAt]), "@") {
		start += at + 1
	}
	return start
}

func pyLineAtOffset(data []byte, off int) int {
	return strings.Count(string(data[:off]), "\n") + 1
}

var pyCallRe = regexp.MustCompile(`\b([A-Za-z_]\w*)\(`)

// servesFrom reports whether fn starts a server, itself or through the
// functions it calls that are defined in its module or imported by name
// from another module of the repository, depth levels down.
func (s *pyScan) servesFrom(fn *pyFunc, depth int) bool {
	if pyServeCallRe.MatchString(fn.body) {
		return true
	}
	if depth == 0 {
		return false
	}
	seen := map[string]bool{}
	for _, m := range pyCallRe.FindAllStringSubmatch(fn.body, -1) {
		name := m[1]
		if seen[name] {
			continue
		}
		seen[name] = true
		callee := pyFuncIn(fn.file, name)
		if callee == nil {
			if mod := pyImportedFrom(fn.file, name); mod != "" {
				callee = pyFuncIn(s.src.module(mod), name)
			}
		}
		if callee != nil && s.servesFrom(callee, depth-1) {
			return true
		}
	}
	// pkg.main() after `import pkg` (or `import pkg as p`): the function
	// of that module.
	for _, m := range pyQualCallRe.FindAllStringSubmatch(fn.body, -1) {
		mod := pyImportedModule(fn.file, m[1])
		if mod == "" || seen[m[0]] {
			continue
		}
		seen[m[0]] = true
		if callee := pyFuncIn(s.src.module(mod), m[2]); callee != nil && s.servesFrom(callee, depth-1) {
			return true
		}
	}
	return false
}

// pyQualCallRe is a call of a module's function: pkg.main(, pkg.cli.run(.
var pyQualCallRe = regexp.MustCompile(`\b([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.([A-Za-z_]\w*)\(`)

// pyImportModRe is `import mod` or `import mod as alias` on a line of its own.
var pyImportModRe = regexp.MustCompile(`(?m)^\s*import\s+([\w.]+)(?:\s+as\s+(\w+))?\s*$`)

// pyImportedModule returns the module f names as ref with `import ref`
// or `import mod as ref`, "" when f imports no module under that name.
func pyImportedModule(f *pyFile, ref string) string {
	for _, m := range pyImportModRe.FindAllSubmatch(f.data, -1) {
		mod, alias := string(m[1]), string(m[2])
		if alias == ref || alias == "" && mod == ref {
			return mod
		}
	}
	return ""
}

// pyImportedFrom returns the absolute module that f imports name from
// ("from .server import run" in pkg/cli.py → pkg.server), "" when none.
func pyImportedFrom(f *pyFile, name string) string {
	re := regexp.MustCompile(`(?m)^\s*from\s+(\.*[\w.]*)\s+import\s+\(?[^\n]*\b` + regexp.QuoteMeta(name) + `\b`)
	m := re.FindSubmatch(f.data)
	if m == nil {
		return ""
	}
	mod := string(m[1])
	if !strings.HasPrefix(mod, ".") {
		return mod
	}
	dots := len(mod) - len(strings.TrimLeft(mod, "."))
	pkg := f.module
	if path.Base(f.path) != "__init__.py" {
		if i := strings.LastIndex(pkg, "."); i >= 0 {
			pkg = pkg[:i]
		} else {
			pkg = ""
		}
	}
	for i := 1; i < dots && pkg != ""; i++ {
		if j := strings.LastIndex(pkg, "."); j >= 0 {
			pkg = pkg[:j]
		} else {
			pkg = ""
		}
	}
	rest := strings.TrimLeft(mod, ".")
	switch {
	case pkg == "":
		return rest
	case rest == "":
		return pkg
	}
	return pkg + "." + rest
}

// module returns the scanned file of a dotted module name, or nil. A
// source root dgen did not infer (src/py/app imported as app) is allowed
// when exactly one file's module ends with the name.
func (s *pySources) module(mod string) *pyFile {
	var tail *pyFile
	n := 0
	for _, f := range s.files {
		if f.module == mod {
			return f
		}
		if strings.HasSuffix(f.module, "."+mod) {
			tail = f
			n++
		}
	}
	if n == 1 {
		return tail
	}
	return nil
}

var (
	// pyGroupObjRe finds a click/typer group object: cli = typer.Typer(),
	// cli = click.Group().
	pyGroupObjRe = regexp.MustCompile(`(?m)^([A-Za-z_]\w*)\s*=\s*(?:typer\.)?(?:Typer|click\.Group|Group)\(`)
	// pyGroupDecoRe marks a function as a click group.
	pyGroupDecoRe = regexp.MustCompile(`@(?:click\.)?group\(`)
	// pySubparserRe names an argparse subcommand.
	pySubparserRe = regexp.MustCompile(`add_parser\(\s*["']([\w-]+)["']`)
)

// pySubcommand is a serve-like subcommand of a console script's group.
type pySubcommand struct {
	name string
	fn   *pyFunc
}

// scriptServes says whether the console script target ("pkg.cli:main")
// starts a server and, for a click/typer group or argparse subparsers,
// names the serve-like subcommand that does ("" when the function itself
// serves).
func (s *pyScan) scriptServes(target string) (pyServes, string) {
	target = strings.TrimSpace(target)
	if i := strings.IndexAny(target, " ["); i >= 0 {
		target = target[:i]
	}
	mod, attr, ok := strings.Cut(target, ":")
	if !ok {
		return pyServesUnknown, ""
	}
	attr, _, _ = strings.Cut(attr, ".")
	f := s.src.module(mod)
	if f == nil {
		return pyServesUnknown, ""
	}
	fn := pyFuncIn(f, attr)
	group := fn != nil && pyGroupDecoRe.MatchString(fn.body[:strings.Index(fn.body, "def ")])
	if fn == nil {
		for _, m := range pyGroupObjRe.FindAllSubmatch(f.data, -1) {
			if string(m[1]) == attr {
				group = true
			}
		}
		if !group {
			return pyServesUnknown, ""
		}
	}
	if fn != nil && pyLitestarCLIRe.MatchString(fn.body) {
		// The script hands over to the litestar CLI group, whose run
		// command serves the app.
		return pyServesYes, "run"
	}
	if group || (fn != nil && strings.Contains(fn.body, "add_subparsers")) || f.has("add_subparsers") {
		if sub := s.serveSubcommand(f, attr); sub != "" {
			return pyServesYes, sub
		}
		if group {
			return pyServesNo, ""
		}
	}
	if s.servesFrom(fn, 2) {
		return pyServesYes, ""
	}
	return pyServesNo, ""
}

// serveSubcommand returns the first serve-like subcommand of group in f
// (click/typer @group.command, argparse add_parser) whose code starts a
// server, "" when none.
func (s *pyScan) serveSubcommand(f *pyFile, group string) string {
	var subs []pySubcommand
	subs = append(subs, pyGroupCommands(f, group)...)
	if f.has("add_subparsers") && pyServeCallRe.Match(f.data) {
		for _, m := range pySubparserRe.FindAllSubmatch(f.data, -1) {
			subs = append(subs, pySubcommand{string(m[1]), &pyFunc{file: f, body: string(f.data)}})
		}
	}
	for _, want := range pyServeNames {
		for _, sc := range subs {
			if sc.name == want && sc.fn != nil && s.servesFrom(sc.fn, 2) {
				return sc.name
			}
		}
	}
	return ""
}

// pyGroupCommands lists the click/typer commands of group in f, with
// their functions (decorators included).
func pyGroupCommands(f *pyFile, group string) []pySubcommand {
	cmdRe := regexp.MustCompile(`(?m)^@` + regexp.QuoteMeta(group) + `\.command\(\s*(?:name\s*=\s*)?(?:["']([\w-]+)["'])?[\s\S]*?^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)`)
	var subs []pySubcommand
	for _, m := range cmdRe.FindAllSubmatch(f.data, -1) {
		name := string(m[1])
		if name == "" {
			name = strings.ReplaceAll(string(m[2]), "_", "-")
		}
		subs = append(subs, pySubcommand{name, pyFuncIn(f, string(m[2]))})
	}
	return subs
}

var (
	// pyCLIHostRe is a --host option of a click command or a typer host
	// parameter.
	pyCLIHostRe = regexp.MustCompile(`["']--host["']|\bhost\s*:\s*str\s*=`)
	// pyCLIPortRe is a --port option with its default, or a typer port
	// parameter with its default.
	pyCLIPortRe     = regexp.MustCompile(`["']--port["'](?:[^()]|\([^()]*\))*?\bdefault\s*=\s*(\d{2,5})|\bport\s*:\s*int\s*=\s*(?:typer\.Option\(\s*(?:default\s*=\s*)?)?(\d{2,5})`)
	pyCLIPortFlagRe = regexp.MustCompile(`["']--port["']|\bport\s*:\s*int\b`)
)

// cliOptions adds the server options a console script's command takes:
// --host 0.0.0.0 when it has a --host option (their defaults are often
// 127.0.0.1), --port as the port mark when it has --port, whose default
// becomes the port.
func (s *pyScan) cliOptions(argv []string, target, sub string) []string {
	f := s.scriptFile(target)
	if f == nil {
		return argv
	}
	_, attr, _ := strings.Cut(strings.TrimSpace(target), ":")
	attr, _, _ = strings.Cut(attr, ".")
	var fn *pyFunc
	if sub == "" {
		fn = pyFuncIn(f, attr)
	} else {
		for _, c := range pyGroupCommands(f, attr) {
			if c.name == sub {
				fn = c.fn
			}
		}
	}
	if fn == nil {
		return argv
	}
	if pyCLIHostRe.MatchString(fn.body) {
		argv = append(argv, "--host", "0.0.0.0")
	}
	if !pyCLIPortFlagRe.MatchString(fn.body) {
		return argv
	}
	if m := pyCLIPortRe.FindStringSubmatchIndex(fn.body); m != nil && s.det.Port == 0 {
		num := ""
		for i := 2; i+1 < len(m); i += 2 {
			if m[i] >= 0 {
				num = fn.body[m[i]:m[i+1]]
			}
		}
		if n, err := strconv.Atoi(num); err == nil && n > 0 && n < 65536 {
			s.det.Port = n
			line := fn.line - strings.Count(fn.body[:strings.Index(fn.body, "def ")], "\n") + strings.Count(fn.body[:m[0]], "\n")
			s.det.Cite("port", f.path, line, "--port default "+num)
		}
	}
	return append(argv, "--port", pyPortMark)
}
