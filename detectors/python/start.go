package python

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// pyPortMark stands for the port inside a start command until the port is
// settled; it never reaches a Detection.
const pyPortMark = "\x00PORT\x00"

// pyDefaultPort is the conventional port of a framework, from the
// catalog: the start command needs a port before the generator settles
// one, and the generator rewrites it through PortArg.
func pyDefaultPort(framework string) int {
	return catalog.DefaultPort(framework, "python")
}

// start walks the start-command ladder, first match wins:
//
//  1. --main (answers["main"]): a module:attr app, a .py file or a module
//  2. Procfile web: (the repository's own declaration)
//  3. a [project.scripts] entry: the one whose code starts a server (with
//     its serve subcommand), else the only one or one named start/serve;
//     passed over when it starts no server and the repository has an app
//  4. Django: manage.py → gunicorn on WSGI_APPLICATION (uvicorn worker
//     for ASGI_APPLICATION)
//  5. FastAPI/Starlette (→ uvicorn), then Flask (→ gunicorn): the module
//     that creates the app
//  6. Streamlit, Gradio
//  7. workers: a Celery app, RQ
//  8. main.py, app.py, server.py, wsgi.py, asgi.py
//  9. python -m pkg when pkg/__main__.py exists, then a script with a
//     __main__ guard at the root or one folder down
//
// A development server (flask run, runserver) then gives way to the
// repository's own production server (preferProjectServer). Then the
// port and health path are read from the code.
func (s *pyScan) start() error {
	rungs := []func() (bool, error){
		s.mainStart, s.procfileStart, s.scriptStart, s.djangoStart,
		s.appStart, s.streamlitStart, s.gradioStart, s.workerStart,
		s.fileStart, s.moduleStart, s.mainGuardStart,
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
	s.preferProjectServer()
	if s.det.Framework == "" {
		s.frameworkFromDeps()
	}
	s.grpcServer()
	s.djangoAfterStart()
	s.babelTranslations()
	if !s.det.Worker && s.det.Framework != "grpc" {
		s.healthPath()
	}
	s.requiredDotenv()
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
	if (c.server == "python" || c.server == "script") && !det.Worker {
		s.codeHost(c.file)
	}
	port := det.Port
	if port == 0 {
		port = pyDefaultPort(det.Framework)
	}
	port = s.highPort(port, c.argv)
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
	if ok, err := s.mainScript(want); ok || err != nil {
		return ok, err
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

// pyServerAPIRe matches a server API in use: a web app object, an
// in-process server's run, the standard library's server modules,
// aiohttp's web server, websockets and gRPC servers, a raw listening
// socket. Importing a client (aiohttp's ClientSession, httpx, websockets'
// connect, a gRPC stub) is not serving.
var pyServerAPIRe = regexp.MustCompile(`(?m)\b(?:FastAPI|Flask|Starlette|Litestar|Quart|Sanic|Bottle|Robyn)\(|\bfalcon\.(?:asgi\.)?(?:App|API)\(|\btornado\.(?:web|httpserver)\b|^\s*from\s+(?:http\.server|socketserver|wsgiref\.simple_server|aiohttp\s+import\s+[^\n]*\bweb\b|aiohttp\.web|tornado\.web|websockets(?:\.asyncio)?\.server)\b|\b(?:web\.)?run_app\(|\bAppRunner\(|\bweb\.Application\(|\bwebsockets\.serve\(|\b(?:grpc|aio)\.server\(|\bserve_forever\(|\bmake_server\(|\w*HTTPServer\(|\bTCPServer\(|\bstart_server\(|\bcreate_server\(|\b(?:uvicorn|hypercorn|waitress|granian|bjoern)\.(?:run|serve)\w*\(|\brun_simple\(|\bcherrypy\.quickstart\(|\blistenTCP\(|\.listen\(\s*\)|socket\.SOCK_STREAM[\s\S]*\.listen\(`)

// anyServer reports whether any source file uses a server API.
func (s *pyScan) anyServer() bool {
	for _, f := range s.src.files {
		if pyServerAPIRe.Match(f.data) {
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
	for _, fw := range []string{"django", "fastapi", "litestar", "starlette", "flask", "streamlit", "gradio"} {
		if d, ok := s.deps[fw]; ok {
			s.det.Framework = fw
			s.det.Cite("framework", d.File, d.Line, d.Name)
			return
		}
	}
}
