package python

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
)

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
	pyLitestarRe  = pyAssignRe("Litestar")
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
	}{{"fastapi", "fastapi", pyFastAPIRe}, {"litestar", "litestar", pyLitestarRe}, {"starlette", "starlette", pyStarletteRe}, {"flask", "flask", pyFlaskRe}} {
		var found []pyApp
		class := map[string]string{"fastapi": "FastAPI(", "litestar": "Litestar(", "starlette": "Starlette(", "flask": "Flask("}[k.kind]
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
	for _, f := range []string{"fastapi", "litestar", "starlette", "flask"} {
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
	case f.imports("litestar"):
		return "litestar"
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
	if len(cands) > 1 || s.skippedScript != nil {
		var opts []facts.Option
		for _, c := range cands {
			ev := facts.Evidence{File: c.file.path, Line: c.line, Detail: c.text}
			opts = append(opts, facts.Option{Value: c.spec, Label: kind + " app in " + c.file.path, Evidence: &ev})
		}
		reason := "an app object in a main/app module, nearest the root, beats a factory"
		safe := len(cands) == 1 || pyAppScore(cands[0]) < pyAppScore(cands[1])
		if !safe {
			reason = "the apps are alike: none is in a main/app module nearer the root, or an object where the others are factories"
		}
		if sc := s.skippedScript; sc != nil {
			ev := sc.ev
			opts = append(opts, facts.Option{Value: sc.name, Label: "console script " + sc.name, Evidence: &ev})
			if len(cands) == 1 {
				reason = "the module that creates the app object is what a server runs; the console script " + sc.name + " starts no server"
			}
		}
		s.det.AddChoice(facts.Choice{
			Key:      "main",
			Question: fmt.Sprintf("Which %s app (or program) does the container serve?", kind),
			Options:  opts,
			Default:  cands[0].spec,
			Safe:     safe,
			Reason:   reason,
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
	case "litestar":
		if !s.depPresent("uvicorn") && !s.depPresent("hypercorn") && !s.depPresent("granian") {
			// The litestar CLI runs the app with the server it bundles.
			c.server = "litestar"
			c.argv = []string{"litestar", "--app", strings.TrimSuffix(spec, "()"), "run", "--host", "0.0.0.0", "--port", pyPortMark}
			s.pythonPathIfRoot(root)
			break
		}
		fallthrough
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
		case "granian":
			c.argv = []string{"granian", "--interface", "wsgi", "--host", "0.0.0.0", "--port", pyPortMark}
			if a.factory {
				c.argv = append(c.argv, "--factory")
			}
			c.argv = append(c.argv, strings.TrimSuffix(spec, "()"))
			s.pythonPathIfRoot(root)
		case "uwsgi":
			c.argv = []string{"uwsgi", "--http-socket", "0.0.0.0:" + pyPortMark, "--master", "--die-on-term", "--module", strings.TrimSuffix(spec, "()")}
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
		if d, ok := s.deps["litestar"]; ok && len(d.Extras) > 0 {
			return true // litestar[standard] brings uvicorn
		}
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

// wsgiServer picks the WSGI server among the dependencies: gunicorn,
// waitress, granian, then uwsgi; "" when there is none.
func (s *pyScan) wsgiServer() string {
	for _, srv := range []string{"gunicorn", "waitress", "granian", "uwsgi"} {
		if d, ok := s.deps[srv]; ok {
			s.det.Cite("server", d.File, d.Line, d.Name)
			return srv
		}
	}
	return ""
}
