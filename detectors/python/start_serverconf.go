package python

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// pyServerConfDirs are the folders a repository keeps its production
// server's configuration in, the root first.
var pyServerConfDirs = []string{".", "docker", "deploy", "deployment", "config", "conf", "etc", "server", "uwsgi", "gunicorn"}

// pyServerConf finds a server configuration file by name in the usual
// folders; "" when there is none.
func (s *pyScan) pyServerConf(names ...string) string {
	for _, d := range pyServerConfDirs {
		for _, n := range names {
			p := path.Join(d, n)
			if repo.IsFile(s.fsys, p) && repo.CheckPath(p) == nil {
				return p
			}
		}
	}
	return ""
}

// devServerStart reports whether the start command is a framework's
// development server: flask run or manage.py runserver.
func (s *pyScan) devServerStart() bool {
	st := s.det.Start
	if len(st) == 0 {
		return false
	}
	switch {
	case st[0] == "flask" && slices.Contains(st, "run"):
		return true
	case strings.HasPrefix(st[0], "python") && slices.Contains(st, "runserver"):
		return true
	}
	return false
}

// preferProjectServer applies the repository's own production server
// over a development server, and its gunicorn configuration to a
// gunicorn start: a uwsgi.ini, a gunicorn.conf.py, or a top-level script
// whose __main__ guard starts the app's server. An answered --main is
// left alone; so is a development server when gunicorn (which would be
// the start already) is not installed.
func (s *pyScan) preferProjectServer() {
	if s.answers["main"] != "" || len(s.det.Start) == 0 {
		return
	}
	if s.det.Start[0] == "gunicorn" {
		s.gunicornConf()
		return
	}
	uwsgiWithoutIni := s.det.Start[0] == "uwsgi" && !slices.Contains(s.det.Start, "--ini")
	if !s.devServerStart() && !uwsgiWithoutIni {
		return
	}
	dev := strings.Join(s.det.Start, " ")
	if s.uwsgiStart(dev) || uwsgiWithoutIni {
		return
	}
	s.gunicornConfNote(dev)
	s.serverScriptStart(dev)
}

// restart replaces the start command chosen so far, and the notes that
// warned about the development server it replaces.
func (s *pyScan) restart(c pyCmd) {
	s.facts.PortArg = nil
	s.det.Worker = false
	s.det.Notes = slices.DeleteFunc(s.det.Notes, func(n string) bool {
		return strings.Contains(n, "not for production; add gunicorn")
	})
	s.setStart(c)
}

// gunicornConf passes a gunicorn.conf.py to a gunicorn start with -c, so
// its workers, timeouts and hooks apply; dgen's --bind still sets the
// port the image exposes.
func (s *pyScan) gunicornConf() {
	conf := s.pyServerConf("gunicorn.conf.py", "gunicorn_config.py", "gunicorn.py")
	if conf == "" || slices.Contains(s.det.Start, "-c") || slices.Contains(s.det.Start, "--config") {
		return
	}
	s.det.Start = slices.Insert(s.det.Start, 1, "-c", conf)
	if pa := s.facts.PortArg; pa != nil && pa.Index >= 1 {
		pa.Index += 2
	}
	s.det.Cite("serverConfig", conf, 0, "gunicorn configuration, passed with -c")
}

// gunicornConfNote says that a gunicorn.conf.py is not used because
// gunicorn is not a dependency (with gunicorn installed, the start is
// gunicorn already, and gunicornConf passes the file).
func (s *pyScan) gunicornConfNote(dev string) {
	if conf := s.pyServerConf("gunicorn.conf.py", "gunicorn_config.py"); conf != "" && !s.depPresent("gunicorn") {
		s.det.Notef("%s configures gunicorn, but gunicorn is not a dependency: the container runs %s, a development server; add gunicorn and run dgen again", conf, dev)
	}
}

// wsgiSpec returns the WSGI app the start serves, as module:attr, or "".
func (s *pyScan) wsgiSpec() string {
	st := s.det.Start
	if i := slices.Index(st, "--app"); i >= 0 && i+1 < len(st) {
		return st[i+1]
	}
	if i := slices.Index(st, "--module"); i >= 0 && i+1 < len(st) {
		return st[i+1]
	}
	if s.facts.ManagePy != "" && s.django != nil {
		if w := strings.Trim(s.django.values["WSGI_APPLICATION"], `"' `); w != "" {
			if i := strings.LastIndexByte(w, '.'); i > 0 {
				return w[:i] + ":" + w[i+1:]
			}
		}
	}
	return ""
}

var (
	pyIniKeyRe  = regexp.MustCompile(`(?m)^\s*(http-socket|http|socket|module|wsgi-file|mount|chdir|die-on-term)\s*=\s*(\S+)`)
	pyIniPortRe = regexp.MustCompile(`:(\d{2,5})$`)
	// pyIniEnvPortRe is a socket whose port is an environment variable
	// (http-socket = :$(PORT)), which uWSGI expands at start.
	pyIniEnvPortRe = regexp.MustCompile(`:\$\(([A-Za-z_][A-Za-z0-9_]*)\)$`)
)

// uwsgiStart runs uwsgi --ini with the repository's uwsgi.ini instead of
// a development server, when uwsgi is a dependency. The ini's HTTP
// socket gives the port; an ini without one (a uwsgi-protocol socket
// behind a proxy) gets an HTTP socket on the image's port.
func (s *pyScan) uwsgiStart(dev string) bool {
	conf := s.pyServerConf("uwsgi.ini")
	if conf == "" {
		return false
	}
	if !s.depPresent("uwsgi") && !s.installServer("uwsgi", conf) {
		s.det.Notef("%s configures uWSGI, but uwsgi is not a dependency: the container runs %s, a development server; add uwsgi to the dependencies and run dgen again", conf, dev)
		return false
	}
	data, err := repo.ReadPrefix(s.fsys, conf, 64<<10)
	if err != nil {
		return false
	}
	keys := map[string]string{}
	line := map[string]int{}
	for _, m := range pyIniKeyRe.FindAllSubmatchIndex(data, -1) {
		k := string(data[m[2]:m[3]])
		if _, ok := keys[k]; !ok {
			keys[k], line[k] = string(data[m[4]:m[5]]), repo.LineAt(data, m[0])
		}
	}
	argv := []string{"uwsgi", "--ini", conf}
	envSocket := false
	for _, k := range []string{"http-socket", "http"} {
		if m := pyIniEnvPortRe.FindStringSubmatch(keys[k]); m != nil {
			// The image sets the variable to its port: another
			// --http-socket on that port would fail to bind.
			envSocket = true
			s.setPortEnv(m[1])
			s.det.Notef("%s:%d: %s = %s: the image sets $%s to the port it exposes", conf, line[k], k, keys[k], m[1])
			break
		}
		if m := pyIniPortRe.FindStringSubmatch(keys[k]); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil && n > 0 && n < 65536 {
				s.det.Port = n
				s.det.Cite("port", conf, line[k], k+" = "+keys[k])
			}
			break
		}
	}
	if !envSocket && (s.det.Port == 0 || (keys["http-socket"] == "" && keys["http"] == "")) {
		argv = append(argv, "--http-socket", "0.0.0.0:"+pyPortMark)
	}
	if keys["die-on-term"] == "" {
		// uWSGI 2.0 reloads on SIGTERM, the signal a container stop
		// sends: without this it is killed at the stop timeout.
		argv = append(argv, "--die-on-term")
	}
	if keys["module"] == "" && keys["wsgi-file"] == "" && keys["mount"] == "" {
		if spec := s.wsgiSpec(); spec != "" {
			argv = append(argv, "--module", spec)
		}
	}
	s.restart(pyCmd{argv: argv, server: "uwsgi", ev: facts.Evidence{File: conf, Detail: "uWSGI configuration in the repository, preferred over " + dev}})
	s.det.Notef("%s configures the project's production server: the container runs uwsgi --ini %s rather than %s", conf, conf, dev)
	return true
}

// serverScriptStart runs a top-level script whose __main__ guard starts
// the app's server (changedetection.py calling its package's main,
// which serves) instead of a development server.
func (s *pyScan) serverScriptStart(dev string) bool {
	for _, f := range s.src.files {
		if strings.Contains(f.path, "/") || f.path == "manage.py" || !f.has("__main__") {
			continue
		}
		loc := pyMainGuardRe.FindIndex(f.data)
		if loc == nil {
			continue
		}
		guard := &pyFunc{file: f, line: pyLineAtOffset(f.data, loc[0]), body: string(f.data[loc[0]:])}
		if !s.servesFrom(guard, 3) {
			continue
		}
		s.restart(pyCmd{argv: []string{"python", f.path}, server: "python", file: f,
			ev: facts.Evidence{File: f.path, Line: guard.line, Detail: "if __name__ == \"__main__\": starts the app's server, preferred over " + dev}})
		s.det.Notef("%s starts the app's own server: the container runs python %s rather than %s", f.path, f.path, dev)
		return true
	}
	return false
}

// installServer adds a pinned server to a pip requirements install when
// the repository configures it without listing it (its own Dockerfile
// installs it), with its build packages, and reports whether it did.
// Other managers install from a lockfile dgen does not edit.
func (s *pyScan) installServer(server, conf string) bool {
	v, ok := catalog.PythonServerPin(server)
	if !ok || s.det.PackageManager != "pip" || s.facts.Requirements == "" {
		return false
	}
	spec := server + "==" + v
	s.facts.ServerPackages = append(s.facts.ServerPackages, spec)
	if lib, ok := catalog.PythonNativeOf(server); ok {
		s.facts.BuildPackages = append(s.facts.BuildPackages, lib.Build...)
		s.facts.RuntimePackages = append(s.facts.RuntimePackages, lib.Runtime...)
	}
	s.det.Cite("serverPackages", conf, 0, server+" configured here, installed as "+spec)
	s.det.Notef("%s configures %s, which no requirements file lists: pip installs %s with %s", conf, server, spec, s.facts.Requirements)
	return true
}
