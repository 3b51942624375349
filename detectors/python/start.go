package python

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/detectors/shellwords"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// pyPortMark stands for the port inside a start command until the port is
// settled; it never reaches a Detection.
const pyPortMark = "\x00PORT\x00"

// pyDefaultPort is the conventional port of a framework, from the
// catalog: the start command needs a port before the generator settles
// one, and the generator rewrites it through PortArg.
func pyDefaultPort(framework string) int {
	if p, ok := catalog.DefaultPorts[framework]; ok {
		return p
	}
	return catalog.PythonDefaultPort
}

// start walks the start-command ladder, first match wins:
//
//  1. --main (answers["main"]): a module:attr app, a .py file or a module
//  2. Procfile web: (the repository's own declaration)
//  3. a single [project.scripts] entry, or one named start/serve
//  4. Django: manage.py → gunicorn on WSGI_APPLICATION (uvicorn worker
//     for ASGI_APPLICATION)
//  5. FastAPI/Starlette (→ uvicorn), then Flask (→ gunicorn): the module
//     that creates the app
//  6. Streamlit, Gradio
//  7. workers: a Celery app, RQ
//  8. main.py, app.py, server.py, wsgi.py, asgi.py
//  9. python -m pkg when pkg/__main__.py exists
//
// Then the port and health path are read from the code.
func (s *pyScan) start() error {
	rungs := []func() (bool, error){
		s.mainStart, s.procfileStart, s.scriptStart, s.djangoStart,
		s.appStart, s.streamlitStart, s.gradioStart, s.workerStart,
		s.fileStart, s.moduleStart,
	}
	for _, r := range rungs {
		done, err := r()
		if err != nil {
			return err
		}
		if done {
			break
		}
	}
	if s.det.Framework == "" {
		s.frameworkFromDeps()
	}
	if !s.det.Worker {
		s.healthPath()
	}
	return nil
}

// pyCmd is a start command being built: argv may hold pyPortMark.
type pyCmd struct {
	argv      []string
	framework string
	server    string
	ev        facts.Evidence
	// file is the source file the command runs or imports, searched first
	// for the port.
	file *pyFile
}

// setStart settles the port (found in the code, else the framework's
// default, which the generator may still change) and fills the Detection.
func (s *pyScan) setStart(c pyCmd) {
	det := s.det
	if c.framework != "" {
		det.Framework = c.framework
		if _, ok := det.Evidence["framework"]; !ok {
			det.Cite("framework", c.ev.File, c.ev.Line, c.ev.Detail)
		}
	}
	s.facts.Server = c.server
	det.Cite("start", c.ev.File, c.ev.Line, c.ev.Detail)
	if det.Port == 0 && !det.Worker {
		s.codePort(c.file)
	}
	port := det.Port
	if port == 0 {
		port = pyDefaultPort(det.Framework)
	}
	det.Start = make([]string, len(c.argv))
	for i, a := range c.argv {
		if strings.Contains(a, pyPortMark) && s.facts.PortArg == nil {
			pre, suf, _ := strings.Cut(a, pyPortMark)
			s.facts.PortArg = &facts.PortArg{Index: i, Prefix: pre, Suffix: suf}
		}
		det.Start[i] = strings.ReplaceAll(a, pyPortMark, strconv.Itoa(port))
	}
}

var (
	pyProcNameRe = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	pyAppSpecRe  = regexp.MustCompile(`^[A-Za-z_][\w.]*(:[A-Za-z_]\w*(\(\))?)?$`)
	pyFileRe     = regexp.MustCompile(`^[\w./-]+\.py$`)
)

// mainStart honours --main: a candidate app ("shop.main:api"), another
// module:attr, a .py file, or a module run with python -m.
func (s *pyScan) mainStart() (bool, error) {
	want := strings.TrimSpace(s.answers["main"])
	if want == "" {
		return false, nil
	}
	ev := facts.Evidence{Detail: "--main " + want}
	for _, a := range s.apps() {
		if a.spec == want || strings.TrimSuffix(a.spec, "()") == want || a.file.module == want {
			// The answer picked a candidate (by flag, config or the
			// choice's default): the evidence is still the code.
			return true, s.startApp(a, facts.Evidence{File: a.file.path, Line: a.line, Detail: a.text + " (main = " + want + ")"})
		}
	}
	switch {
	case pyFileRe.MatchString(want):
		p := path.Clean(strings.TrimPrefix(want, "./"))
		if err := repo.CheckPath(p); err != nil || !repo.IsFile(s.fsys, p) {
			return false, fmt.Errorf("--main %s: no such Python file in the repository", want)
		}
		f := s.src.file(p)
		if f != nil && f.imports("streamlit") {
			s.setStart(pyCmd{argv: pyStreamlitArgv(p), framework: "streamlit", server: "streamlit", ev: ev, file: f})
			return true, nil
		}
		s.setStart(pyCmd{argv: []string{"python", p}, server: "python", ev: ev, file: f})
		s.workerIfNoServer()
		return true, nil
	case !pyAppSpecRe.MatchString(want):
		return false, fmt.Errorf("--main %q: expected a module:attribute (shop.main:app), a module (shop.worker) or a .py file", want)
	case strings.Contains(want, ":"):
		mod := want[:strings.Index(want, ":")]
		kind := ""
		for _, f := range s.src.files {
			if f.module == mod {
				kind = s.appKindOf(f)
			}
		}
		if kind == "" {
			switch {
			case s.depPresent("fastapi"):
				kind = "fastapi"
			case s.depPresent("starlette"):
				kind = "starlette"
			case s.depPresent("flask"):
				kind = "flask"
			default:
				return false, fmt.Errorf("--main %s: cannot tell which server runs it (no FastAPI, Starlette or Flask found); pass --start instead", want)
			}
		}
		a := pyApp{kind: kind, spec: want, factory: strings.HasSuffix(want, "()"), file: &pyFile{path: "", module: mod}}
		return true, s.startApp(a, ev)
	default:
		s.setStart(pyCmd{argv: []string{"python", "-m", want}, server: "python", ev: ev})
		s.workerIfNoServer()
		return true, nil
	}
}

// procfileStart reads a Procfile: web: is the start command; a Procfile
// with no web: but one process makes that process a worker.
func (s *pyScan) procfileStart() (bool, error) {
	data, ok := pyRead(s.fsys, s.det, "Procfile")
	if !ok {
		return false, nil
	}
	if pyBinary(data) {
		s.det.Problemf("Procfile", "holds binary data, not process lines; it is ignored: fix it or remove it")
		return false, nil
	}
	type proc struct {
		name, cmd string
		line      int
	}
	var procs []proc
	repo.Lines(data, func(n int, l string) bool {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			return true
		}
		name, cmd, ok := strings.Cut(l, ":")
		if !ok || !pyProcNameRe.MatchString(strings.TrimSpace(name)) {
			s.det.Problemf("Procfile", "line %d: expected `name: command`", n)
			return true
		}
		procs = append(procs, proc{strings.TrimSpace(name), strings.TrimSpace(cmd), n})
		return true
	})
	var web *proc
	for i := range procs {
		switch procs[i].name {
		case "web":
			web = &procs[i]
		case "release":
			s.det.Notef("Procfile:%d: release: %s is a release step: run it once per deploy (docker run --rm IMAGE %s), not at container start", procs[i].line, procs[i].cmd, procs[i].cmd)
		}
	}
	worker := false
	if web == nil {
		var others []proc
		for _, p := range procs {
			if p.name != "release" {
				others = append(others, p)
			}
		}
		if len(others) != 1 {
			return false, nil
		}
		web, worker = &others[0], true
	} else {
		for _, p := range procs {
			if p.name != "web" && p.name != "release" {
				s.det.Notef("Procfile:%d: %s: %s runs as a second container from the same image (docker run IMAGE %s)", p.line, p.name, p.cmd, p.cmd)
			}
		}
	}
	ev := facts.Evidence{File: "Procfile", Line: web.line, Detail: web.name + ": " + web.cmd}
	argv, env, defPort, err := pyShellArgv(web.cmd)
	if err != nil {
		// Not a plain command: keep the author's shell line, run by sh,
		// which expands $PORT from the image's ENV PORT.
		s.det.Notef("Procfile:%d: %s; it runs as [\"sh\", \"-c\", …], and $PORT comes from the image's ENV PORT", web.line, err)
		argv = []string{"sh", "-c", web.cmd}
	}
	for k, v := range env {
		if s.facts.Env == nil {
			s.facts.Env = map[string]string{}
		}
		s.facts.Env[k] = v
	}
	if worker {
		s.det.Worker = true
		s.det.Notef("Procfile has no web: process; %s: is run as a worker (no port, no HTTP health check)", web.name)
	}
	if defPort > 0 {
		s.det.Port = defPort
		s.det.Cite("port", "Procfile", web.line, "${PORT:-"+strconv.Itoa(defPort)+"}")
	} else if p, i := pyPortFromArgs(argv); p > 0 {
		s.det.Port = p
		s.det.Cite("port", "Procfile", web.line, web.cmd)
		// Mark the literal too, so that --port rewrites it.
		if j := strings.LastIndex(argv[i], strconv.Itoa(p)); j >= 0 {
			argv[i] = argv[i][:j] + pyPortMark + argv[i][j+len(strconv.Itoa(p)):]
		}
	}
	for _, a := range argv {
		if strings.Contains(a, pyPortMark) {
			s.det.Notef("Procfile:%d: $PORT is written into the command as the port number (exec form has no shell to expand it)", web.line)
			break
		}
	}
	argv = s.ensureHost(argv, "Procfile", web.line)
	s.frameworkFromDeps()
	s.setStart(pyCmd{argv: argv, server: pyServerOf(argv), ev: ev})
	return true, nil
}

// ensureHost adds --host 0.0.0.0 to a uvicorn command that binds only
// 127.0.0.1, which nothing outside the container could reach.
func (s *pyScan) ensureHost(argv []string, file string, line int) []string {
	if len(argv) == 0 || path.Base(argv[0]) != "uvicorn" {
		return argv
	}
	for _, a := range argv {
		if a == "--host" || strings.HasPrefix(a, "--host=") || a == "--uds" || a == "--fd" {
			return argv
		}
	}
	s.det.Notef("%s:%d: uvicorn listens on 127.0.0.1 unless told otherwise; dgen adds --host 0.0.0.0 so the port is reachable from outside the container", file, line)
	return append(append([]string{}, argv...), "--host", "0.0.0.0")
}

// pyShellArgv splits a Procfile command into argv without a shell, with
// the one splitter dgen has (shellwords): words are unquoted, a leading
// exec is dropped, $PORT/${PORT}/${PORT:-N} become pyPortMark (N is
// returned as defPort), and leading NAME=value assignments become env.
// Anything that needs a shell (pipes, &&, redirections, other variables,
// command substitution, globs) is an error that says what.
func pyShellArgv(cmd string) (argv []string, env map[string]string, defPort int, err error) {
	port := func(name, def string) (string, error) {
		if name != "PORT" {
			return "", fmt.Errorf("$%s is expanded by a shell", name)
		}
		if n, err := strconv.Atoi(def); err == nil && n > 0 && n < 65536 {
			defPort = n
		}
		return pyPortMark, nil
	}
	c, err := shellwords.Parse(cmd, shellwords.Options{Assigns: true, Bash: true, Param: port})
	if err != nil {
		return nil, nil, 0, fmt.Errorf("%q: %w", cmd, err)
	}
	argv = c.Argv
	if argv[0] == "exec" {
		argv = argv[1:]
	}
	if len(argv) == 0 {
		return nil, nil, 0, fmt.Errorf("%q runs no command", cmd)
	}
	return argv, c.Env, defPort, nil
}

// pyPortFromArgs reads a literal port from server flags: --port N, -p N,
// --bind/-b host:N, --listen=host:N, --server.port N, host:N for runserver.
// It returns the port and the index of the argument holding it.
func pyPortFromArgs(argv []string) (port, index int) {
	for i, a := range argv {
		val, at := "", -1
		flag, v, hasEq := strings.Cut(a, "=")
		switch flag {
		case "--port", "-p", "--server.port", "--bind", "-b", "--listen", "--http":
			if hasEq {
				val, at = v, i
			} else if i+1 < len(argv) {
				val, at = argv[i+1], i+1
			}
		case "runserver":
			if i+1 < len(argv) {
				val, at = argv[i+1], i+1
			}
		}
		if j := strings.LastIndex(val, ":"); j >= 0 {
			val = val[j+1:]
		}
		if n, err := strconv.Atoi(val); err == nil && n > 0 && n < 65536 {
			return n, at
		}
	}
	return 0, -1
}

// pyServerOf names the program a command runs.
func pyServerOf(argv []string) string {
	if len(argv) == 0 {
		return ""
	}
	b := path.Base(argv[0])
	if strings.HasPrefix(b, "python") {
		return "python"
	}
	return b
}

// scriptStart uses a console script from [project.scripts] (or
// [tool.poetry.scripts]): the only one, or the one named start or serve.
// The project is then installed into the virtualenv, which puts the
// script on PATH.
func (s *pyScan) scriptStart() (bool, error) {
	m := s.m
	scripts := pyTMap(pyT(m.pyproject, "project", "scripts"))
	table := "[project.scripts]"
	if len(scripts) == 0 {
		scripts = pyTMap(pyT(m.pyproject, "tool", "poetry", "scripts"))
		table = "[tool.poetry.scripts]"
	}
	if len(scripts) == 0 {
		return false, nil
	}
	names := slices.Sorted(maps.Keys(scripts))
	name := ""
	if len(names) == 1 {
		name = names[0]
	} else {
		for _, n := range names {
			if n == "start" || n == "serve" {
				name = n
				break
			}
		}
	}
	if name == "" {
		s.det.Notef("pyproject.toml: %s has %s; none is the only one or named start/serve, so none is taken as the start command", table, strings.Join(names, ", "))
		return false, nil
	}
	if !s.facts.Installable {
		s.det.Notef("pyproject.toml: %s %s needs the project installed, but it is not an installable package (no [build-system], or package-mode/package = false); looking further", table, name)
		return false, nil
	}
	if err := pySafeArg(name); err != nil {
		s.det.Problemf("pyproject.toml", "%s %q: %v", table, name, err)
		return false, nil
	}
	target := fmt.Sprint(scripts[name])
	line := pyLineOf(m.pyprojectData, name+" =")
	s.facts.InstallProject = true
	s.frameworkFromDeps()
	s.setStart(pyCmd{argv: []string{name}, server: "script",
		ev: facts.Evidence{File: "pyproject.toml", Line: line, Detail: table + " " + name + " = " + target}})
	return true, nil
}

// pySafeArg refuses values that cannot be a plain argv word.
func pySafeArg(a string) error {
	if a == "" || strings.HasPrefix(a, "-") {
		return fmt.Errorf("not a command name")
	}
	for _, r := range a {
		if r <= ' ' || r == 0x7f {
			return fmt.Errorf("holds whitespace or control characters")
		}
	}
	return nil
}

// pyApp is a web application object found in the source.
type pyApp struct {
	kind    string // fastapi, starlette, flask
	spec    string // module:attr, or module:factory() for an app factory
	factory bool
	file    *pyFile
	line    int
	text    string
}

var (
	pyAssignRe = func(class string) *regexp.Regexp {
		return regexp.MustCompile(`(?m)^([A-Za-z_]\w*)\s*(?::\s*[\w.\[\], ]+)?=\s*(?:\w+\.)?` + class + `\(`)
	}
	pyFastAPIRe   = pyAssignRe("FastAPI")
	pyStarletteRe = pyAssignRe("Starlette")
	pyFlaskRe     = pyAssignRe("Flask")
	pyFactoryRe   = regexp.MustCompile(`(?m)^(?:async\s+)?def\s+(create_app|make_app|get_app|get_application|app_factory|application_factory)\s*\(`)
	// pyFactoryNames are the app factory names pyFactoryRe and
	// pyFactoryCall know.
	pyFactoryNames = []string{"create_app", "make_app", "get_app", "get_application", "app_factory", "application_factory"}
	pyFactoryCall  = regexp.MustCompile(`(?m)^([A-Za-z_]\w*)\s*=\s*(?:\w+\.)?(create_app|make_app|get_app|get_application|app_factory|application_factory)\(`)
)

// apps lists the web apps in the source, best candidate of the best kind
// first: FastAPI, then Starlette, then Flask.
func (s *pyScan) apps() []pyApp {
	var out []pyApp
	for _, k := range []struct {
		kind, mod string
		re        *regexp.Regexp
	}{{"fastapi", "fastapi", pyFastAPIRe}, {"starlette", "starlette", pyStarletteRe}, {"flask", "flask", pyFlaskRe}} {
		var found []pyApp
		class := map[string]string{"fastapi": "FastAPI(", "starlette": "Starlette(", "flask": "Flask("}[k.kind]
		for _, m := range s.src.find(k.re, class) {
			found = append(found, pyApp{kind: k.kind, spec: m.file.module + ":" + m.sub[1], file: m.file, line: m.line, text: m.text})
		}
		// app = create_app() in a module (wsgi.py) is the app object itself.
		for _, m := range s.src.find(pyFactoryCall, pyFactoryNames...) {
			if s.appKindOf(m.file) == k.kind || (s.appKindOf(m.file) == "" && s.depPresent(k.mod) && s.onlyFramework(k.kind)) {
				found = append(found, pyApp{kind: k.kind, spec: m.file.module + ":" + m.sub[1], file: m.file, line: m.line, text: m.text})
			}
		}
		if len(found) == 0 {
			for _, m := range s.src.find(pyFactoryRe, pyFactoryNames...) {
				if m.file.imports(k.mod) {
					found = append(found, pyApp{kind: k.kind, spec: m.file.module + ":" + m.sub[1] + "()", factory: true, file: m.file, line: m.line, text: m.text})
				}
			}
		}
		sort.SliceStable(found, func(i, j int) bool { return pyAppScore(found[i]) < pyAppScore(found[j]) })
		out = append(out, found...)
	}
	return out
}

// onlyFramework reports whether kind is the only web framework among the
// dependencies, so an app created in an untyped way is of that kind.
func (s *pyScan) onlyFramework(kind string) bool {
	n := 0
	for _, f := range []string{"fastapi", "starlette", "flask"} {
		if s.depPresent(f) {
			n++
		}
	}
	return n == 1 || (kind == "fastapi" && n == 2 && s.depPresent("starlette"))
}

// appKindOf says which framework a file builds an app with, "" for none.
func (s *pyScan) appKindOf(f *pyFile) string {
	switch {
	case f.imports("fastapi"):
		return "fastapi"
	case f.imports("starlette"):
		return "starlette"
	case f.imports("flask"):
		return "flask"
	}
	return ""
}

// pyAppScore ranks app candidates: lower is better. An app object beats a
// factory; a conventional file name and variable name win; then the
// shallower path.
func pyAppScore(a pyApp) int {
	score := strings.Count(a.file.path, "/") * 10
	if a.factory {
		score += 100
	}
	switch strings.TrimSuffix(path.Base(a.file.path), ".py") {
	case "main", "app", "asgi", "wsgi", "server", "api", "__init__":
	default:
		score += 5
	}
	attr := a.spec[strings.Index(a.spec, ":")+1:]
	switch strings.TrimSuffix(attr, "()") {
	case "app", "application", "api", "create_app":
	default:
		score += 2
	}
	return score
}

// appStart picks the FastAPI/Starlette/Flask app: the best candidate of
// the first kind found; several of that kind are a Choice (key main).
func (s *pyScan) appStart() (bool, error) {
	all := s.apps()
	if len(all) == 0 {
		return false, nil
	}
	kind := all[0].kind
	var cands []pyApp
	for _, a := range all {
		if a.kind == kind {
			cands = append(cands, a)
		}
	}
	if len(cands) > 1 {
		var opts []facts.Option
		for _, c := range cands {
			ev := facts.Evidence{File: c.file.path, Line: c.line, Detail: c.text}
			opts = append(opts, facts.Option{Value: c.spec, Label: kind + " app in " + c.file.path, Evidence: &ev})
		}
		s.det.AddChoice(facts.Choice{
			Key:      "main",
			Question: fmt.Sprintf("Several %s apps were found. Which one does the container serve?", kind),
			Options:  opts,
			Default:  cands[0].spec,
			Safe:     true,
			Reason:   "an app object in a main/app module, nearest the root, beats a factory",
			Flag:     "--main",
		})
	}
	return true, s.startApp(cands[0], facts.Evidence{File: cands[0].file.path, Line: cands[0].line, Detail: cands[0].text})
}

// startApp builds the server command for an app: uvicorn for ASGI
// frameworks, gunicorn for Flask, each only if it is a dependency (else
// the next server that is, else a Note saying what to add).
func (s *pyScan) startApp(a pyApp, ev facts.Evidence) error {
	spec := a.spec
	root := a.file.root
	if root != "" {
		s.facts.AppDir = root
	}
	c := pyCmd{framework: a.kind, ev: ev, file: a.file}
	if a.file.path == "" {
		c.file = nil
	}
	switch a.kind {
	case "fastapi", "starlette":
		server := s.asgiServer(a.kind)
		c.server = server
		switch server {
		case "hypercorn":
			c.argv = []string{"hypercorn", "--bind", "0.0.0.0:" + pyPortMark, strings.TrimSuffix(spec, "()")}
			s.pythonPathIfRoot(root)
		case "granian":
			c.argv = []string{"granian", "--interface", "asgi", "--host", "0.0.0.0", "--port", pyPortMark, strings.TrimSuffix(spec, "()")}
			if a.factory {
				c.argv = append(c.argv[:len(c.argv)-1], "--factory", strings.TrimSuffix(spec, "()"))
			}
			s.pythonPathIfRoot(root)
		default:
			c.argv = []string{"uvicorn"}
			if a.factory {
				c.argv = append(c.argv, "--factory")
			}
			c.argv = append(c.argv, strings.TrimSuffix(spec, "()"))
			if root != "" {
				c.argv = append(c.argv, "--app-dir", root)
			}
			c.argv = append(c.argv, "--host", "0.0.0.0", "--port", pyPortMark)
		}
	case "flask":
		server := s.wsgiServer()
		c.server = server
		switch server {
		case "gunicorn":
			c.argv = []string{"gunicorn", "--bind", "0.0.0.0:" + pyPortMark}
			if root != "" {
				c.argv = append(c.argv, "--chdir", root)
			}
			c.argv = append(c.argv, spec)
		case "waitress":
			c.argv = []string{"waitress-serve", "--listen=0.0.0.0:" + pyPortMark}
			if a.factory {
				c.argv = append(c.argv, "--call")
			}
			c.argv = append(c.argv, strings.TrimSuffix(spec, "()"))
			s.pythonPathIfRoot(root)
		default:
			c.server = "flask"
			c.argv = []string{"flask", "--app", spec, "run", "--host", "0.0.0.0", "--port", pyPortMark}
			s.pythonPathIfRoot(root)
			s.det.Notef("Flask app without gunicorn (or waitress) in the dependencies: the container runs Flask's development server, which is not for production; add gunicorn and run dgen again")
		}
	}
	s.setStart(c)
	return nil
}

// pythonPathIfRoot makes the image import from root when the server has
// no flag for it.
func (s *pyScan) pythonPathIfRoot(root string) {
	if root != "" {
		s.facts.AppDir = root
		if s.facts.Env == nil {
			s.facts.Env = map[string]string{}
		}
		s.facts.Env["PYTHONPATH"] = "/app/" + root
	}
}

// depPresent reports whether a package is a runtime dependency; an extra
// of another package that pulls it in counts (fastapi[standard] brings
// uvicorn).
func (s *pyScan) depPresent(name string) bool {
	if _, ok := s.deps[name]; ok {
		return true
	}
	if name == "uvicorn" {
		if d, ok := s.deps["fastapi"]; ok {
			for _, e := range d.Extras {
				if e == "standard" || e == "all" || e == "standard-no-fastapi-cloud-cli" {
					return true
				}
			}
		}
	}
	return false
}

// asgiServer picks the ASGI server among the dependencies: uvicorn, then
// hypercorn, granian, daphne. None installed: uvicorn, with a Note.
func (s *pyScan) asgiServer(framework string) string {
	for _, srv := range []string{"uvicorn", "hypercorn", "granian"} {
		if s.depPresent(srv) {
			if d, ok := s.deps[srv]; ok {
				s.det.Cite("server", d.File, d.Line, d.Name)
			}
			return srv
		}
	}
	s.det.Notef("%s app without an ASGI server in the dependencies: the container runs uvicorn, so add uvicorn (or fastapi[standard]) to them or it will not start", framework)
	return "uvicorn"
}

// wsgiServer picks the WSGI server among the dependencies: gunicorn, then
// waitress; "" when there is none.
func (s *pyScan) wsgiServer() string {
	for _, srv := range []string{"gunicorn", "waitress"} {
		if d, ok := s.deps[srv]; ok {
			s.det.Cite("server", d.File, d.Line, d.Name)
			return srv
		}
	}
	return ""
}

var pyStreamlitNames = []string{"streamlit_app.py", "app.py", "main.py", "Home.py", "home.py", "dashboard.py"}

// streamlitStart runs a script that imports streamlit.
func (s *pyScan) streamlitStart() (bool, error) {
	var cands []*pyFile
	for _, f := range s.src.files {
		if f.imports("streamlit") {
			cands = append(cands, f)
		}
	}
	if len(cands) == 0 {
		return false, nil
	}
	best := cands[0]
	bestScore := 1 << 30
	for _, f := range cands {
		score := strings.Count(f.path, "/") * 10
		if strings.Contains(f.path, "/pages/") || strings.HasPrefix(f.path, "pages/") {
			score += 1000
		}
		rank := len(pyStreamlitNames)
		for i, n := range pyStreamlitNames {
			if path.Base(f.path) == n {
				rank = i
			}
		}
		score += rank
		if score < bestScore {
			best, bestScore = f, score
		}
	}
	if err := repo.CheckPath(best.path); err != nil {
		s.det.Problemf(best.path, "cannot be run: %v", err)
		return false, nil
	}
	line := best.find(pyImportRe("streamlit"))
	ev := facts.Evidence{File: best.path, Detail: "import streamlit"}
	if len(line) > 0 {
		ev.Line = line[0].line
	}
	s.setStart(pyCmd{argv: pyStreamlitArgv(best.path), framework: "streamlit", server: "streamlit", ev: ev, file: best})
	s.det.HealthPath = "/_stcore/health"
	s.det.Cite("healthPath", best.path, ev.Line, "Streamlit serves /_stcore/health")
	return true, nil
}

func pyStreamlitArgv(file string) []string {
	return []string{"streamlit", "run", file, "--server.port", pyPortMark, "--server.address", "0.0.0.0", "--server.headless", "true"}
}

var pyLaunchRe = regexp.MustCompile(`\.launch\(`)

// gradioStart runs a script that imports gradio and calls launch().
func (s *pyScan) gradioStart() (bool, error) {
	var best *pyFile
	for _, f := range s.src.files {
		if f.has(".launch(") && f.imports("gradio") {
			if best == nil || strings.Count(f.path, "/") < strings.Count(best.path, "/") {
				best = f
			}
		}
	}
	if best == nil {
		return false, nil
	}
	if err := repo.CheckPath(best.path); err != nil {
		s.det.Problemf(best.path, "cannot be run: %v", err)
		return false, nil
	}
	m := best.find(pyLaunchRe)
	if s.facts.Env == nil {
		s.facts.Env = map[string]string{}
	}
	// Gradio listens on 127.0.0.1 unless told otherwise.
	s.facts.Env["GRADIO_SERVER_NAME"] = "0.0.0.0"
	s.setStart(pyCmd{argv: []string{"python", best.path}, framework: "gradio", server: "python",
		ev: m[0].evidence(""), file: best})
	return true, nil
}

var (
	pyCeleryRe = regexp.MustCompile(`(?m)^([A-Za-z_]\w*)\s*=\s*(?:celery\.)?Celery\(`)
)

// workerStart runs a Celery worker (or an RQ worker) when no web app was
// found: the container serves no port.
func (s *pyScan) workerStart() (bool, error) {
	if ms := s.src.find(pyCeleryRe, "Celery("); len(ms) > 0 {
		m := ms[0]
		app := m.file.module
		if m.sub[1] != "app" && m.sub[1] != "celery" {
			app += ":" + m.sub[1]
		}
		s.pythonPathIfRoot(m.file.root)
		s.det.Worker = true
		s.det.Framework = "celery"
		s.setStart(pyCmd{argv: []string{"celery", "-A", app, "worker", "--loglevel=INFO"}, framework: "celery", server: "celery", ev: m.evidence(""), file: m.file})
		if _, ok := s.deps["celery"]; !ok {
			s.det.Notef("%s creates a Celery app but celery is not among the dependencies; add it", m.file.path)
		}
		return true, nil
	}
	if d, ok := s.deps["rq"]; ok && !s.anyServer() {
		s.det.Worker = true
		s.det.Framework = "rq"
		s.setStart(pyCmd{argv: []string{"rq", "worker"}, framework: "rq", server: "rq", ev: d.evidence()})
		s.det.Notef("rq worker reads the Redis URL from RQ_REDIS_URL; set it when running the container")
		return true, nil
	}
	return false, nil
}

var pyPlainFiles = []string{"main.py", "app.py", "server.py", "wsgi.py", "asgi.py"}

// fileStart runs main.py, app.py, server.py, wsgi.py or asgi.py from the
// root (or the src folder) with python.
func (s *pyScan) fileStart() (bool, error) {
	for _, dir := range []string{"", "src/"} {
		for _, n := range pyPlainFiles {
			p := dir + n
			if !repo.IsFile(s.fsys, p) {
				continue
			}
			f := s.src.file(p)
			s.setStart(pyCmd{argv: []string{"python", p}, server: "python",
				ev: facts.Evidence{File: p, Detail: p + " is the entry point by name"}, file: f})
			s.workerIfNoServer()
			return true, nil
		}
	}
	return false, nil
}

// moduleStart runs python -m pkg for a package with __main__.py: the one
// named like the project, the only one, or a Choice.
func (s *pyScan) moduleStart() (bool, error) {
	type cand struct{ mod, root, file string }
	var cands []cand
	for _, f := range s.src.files {
		if path.Base(f.path) == "__main__.py" && strings.Count(strings.TrimPrefix(f.path, f.root+"/"), "/") == 1 {
			cands = append(cands, cand{strings.TrimSuffix(f.module, ".__main__"), f.root, f.path})
		}
	}
	if len(cands) == 0 {
		return false, nil
	}
	pick := -1
	name, _ := pyT(s.m.pyproject, "project", "name").(string)
	if name == "" {
		name, _ = pyT(s.m.pyproject, "tool", "poetry", "name").(string)
	}
	for i, c := range cands {
		if name != "" && strings.ReplaceAll(pyNormalize(name), "-", "_") == c.mod {
			pick = i
		}
	}
	if pick < 0 && len(cands) == 1 {
		pick = 0
	}
	if pick < 0 {
		var opts []facts.Option
		for _, c := range cands {
			ev := facts.Evidence{File: c.file, Detail: "python -m " + c.mod}
			opts = append(opts, facts.Option{Value: c.mod, Label: "python -m " + c.mod, Evidence: &ev})
		}
		s.det.AddChoice(facts.Choice{
			Key:      "main",
			Question: "Several packages have a __main__.py. Which one does the container run?",
			Options:  opts,
			Default:  cands[0].mod,
			Safe:     false,
			Reason:   "none is named like the project",
			Flag:     "--main",
		})
		pick = 0
	}
	c := cands[pick]
	s.pythonPathIfRoot(c.root)
	s.setStart(pyCmd{argv: []string{"python", "-m", c.mod}, server: "python",
		ev: facts.Evidence{File: c.file, Detail: "python -m " + c.mod}, file: s.src.file(c.file)})
	s.workerIfNoServer()
	return true, nil
}

var pyServerHints = regexp.MustCompile(`\b(http\.server|socketserver|wsgiref|aiohttp|tornado|sanic|bottle|falcon|uvicorn|hypercorn|waitress|gunicorn|cherrypy|serve_forever|run_app|start_server|websockets|grpc|HTTPServer|make_server|app\.run|\.listen\(|socket\.socket|bind\()`)

// anyServer reports whether any source file serves on a socket.
func (s *pyScan) anyServer() bool {
	for _, f := range s.src.files {
		if pyServerHints.Match(f.data) {
			return true
		}
	}
	return false
}

// workerIfNoServer marks a script that never opens a server as a worker.
func (s *pyScan) workerIfNoServer() {
	if s.det.Port != 0 || s.anyServer() {
		return
	}
	s.det.Worker = true
	s.det.Notef("%s serves nothing (no HTTP server or socket found in the source), so it runs as a worker: no EXPOSE, no HTTP health check", strings.Join(s.det.Start, " "))
	s.facts.PortArg = nil
}

// frameworkFromDeps names the framework from the dependencies when the
// start command came from elsewhere (Procfile, a script).
func (s *pyScan) frameworkFromDeps() {
	if s.det.Framework != "" {
		return
	}
	for _, fw := range []string{"django", "fastapi", "starlette", "flask", "streamlit", "gradio"} {
		if d, ok := s.deps[fw]; ok {
			s.det.Framework = fw
			s.det.Cite("framework", d.File, d.Line, d.Name)
			return
		}
	}
}

var (
	pyPortEnvRe   = regexp.MustCompile(`(?:environ\.get|getenv|environ\.setdefault|env\.int|env|config)\(\s*["']PORT["']\s*,\s*(?:default\s*=\s*)?(?:int\()?["']?(\d{2,5})`)
	pyRunPortRe   = regexp.MustCompile(`\.(?:run|run_app|launch|serve)\([^)]*?\b(?:port|server_port)\s*=\s*(\d{2,5})`)
	pyTuplePortRe = regexp.MustCompile(`(?:HTTPServer|TCPServer|ThreadingHTTPServer|make_server|create_server|start_server)\(\s*\(?\s*["'][^"']*["']\s*,\s*(\d{2,5})`)
	pyPortConstRe = regexp.MustCompile(`(?m)^(?:DEFAULT_)?PORT\s*(?::\s*int\s*)?=\s*(\d{2,5})\s*(?:#.*)?$`)
)

// codePort reads the port from the code: PORT's default in os.environ.get,
// app.run(port=N), uvicorn.run(port=N), HTTPServer(("", N)), a PORT
// constant. The start file is searched first.
func (s *pyScan) codePort(first *pyFile) {
	files := s.src.files
	if first != nil {
		files = append([]*pyFile{first}, files...)
	}
	for _, pr := range []struct {
		re   *regexp.Regexp
		lits []string
	}{{pyPortEnvRe, []string{"PORT"}}, {pyRunPortRe, []string{"port="}}, {pyTuplePortRe, []string{"erver("}}, {pyPortConstRe, []string{"PORT"}}} {
		for _, f := range files {
			ms := f.find(pr.re, pr.lits...)
			if len(ms) == 0 {
				continue
			}
			n, err := strconv.Atoi(ms[0].sub[1])
			if err != nil || n < 1 || n > 65535 {
				continue
			}
			s.det.Port = n
			s.det.Cite("port", f.path, ms[0].line, ms[0].text)
			return
		}
	}
}

var (
	pyHealthRe       = regexp.MustCompile(`["'](/(?:healthz|health|livez|ping)/?)["']`)
	pyDjangoHealthRe = regexp.MustCompile(`(?:re_)?path\(\s*r?["']\^?((?:healthz|health|livez|ping)/?)\$?["']`)
	pyPrefixRe       = regexp.MustCompile(`\b(?:url_prefix|prefix|root_path)\s*=|\bMount\(`)
	pyHealthNames    = []string{"health", "livez", "ping"}
)

// pyHealthRank orders health paths: the Kubernetes-style liveness names
// first.
var pyHealthRank = map[string]int{"healthz": 0, "health": 1, "livez": 2, "ping": 3}

// healthPath looks for a route literal /healthz, /health, /livez or /ping.
// A route in a router or blueprint could be mounted under a prefix, so a
// literal counts only when the source sets no prefix anywhere, or when it
// is on the app object itself. Django paths count only in the root URLconf.
func (s *pyScan) healthPath() {
	if s.det.HealthPath != "" {
		return
	}
	prefixed := false
	for _, f := range s.src.files {
		if f.has("prefix", "root_path", "Mount(") && pyPrefixRe.Match(f.data) {
			prefixed = true
		}
	}
	appVar := ""
	if len(s.det.Start) > 0 {
		for _, a := range s.det.Start {
			if i := strings.Index(a, ":"); i > 0 && pyAppSpecRe.MatchString(a) {
				appVar = strings.TrimSuffix(a[i+1:], "()")
			}
		}
	}
	type hit struct {
		path string
		m    pyMatch
	}
	var hits []hit
	if s.facts.ManagePy != "" {
		if f := s.src.file(s.djangoRootURLConf()); f != nil {
			for _, m := range f.find(pyDjangoHealthRe, pyHealthNames...) {
				hits = append(hits, hit{"/" + m.sub[1], m})
			}
		}
	} else {
		for _, m := range s.src.find(pyHealthRe, pyHealthNames...) {
			onApp := appVar != "" && regexp.MustCompile(`\b`+regexp.QuoteMeta(appVar)+`\.`).MatchString(m.text)
			if prefixed && !onApp {
				continue
			}
			hits = append(hits, hit{m.sub[1], m})
		}
	}
	if len(hits) == 0 {
		if prefixed {
			s.det.Notef("health route not taken from the code: routers or blueprints are mounted under prefixes, so a literal path may not be the served one; pass --health-path")
		}
		return
	}
	sort.SliceStable(hits, func(i, j int) bool {
		return pyHealthRank[strings.Trim(hits[i].path, "/")] < pyHealthRank[strings.Trim(hits[j].path, "/")]
	})
	h := hits[0]
	s.det.HealthPath = h.path
	s.det.Cite("healthPath", h.m.file.path, h.m.line, h.m.text)
	s.djangoProbeNotes()
}
