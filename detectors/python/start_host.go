package python

import (
	"path"
	"regexp"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
)

// pyHighPort is where an app that takes its port from a flag or variable
// runs when the code asks for a privileged one.
const pyHighPort = 8080

// highPort moves a port below 1024 to pyHighPort when the start command or
// a variable carries it: the image runs as a non-root user, and such a
// port binds only where the engine lowers ip_unprivileged_port_start
// (Docker does; Podman and Kubernetes by default do not). A port fixed in
// the code stays, with a note.
func (s *pyScan) highPort(port int, argv []string) int {
	if port >= 1024 || port < 1 || s.det.Worker {
		return port
	}
	carried := s.portVar != ""
	for _, a := range argv {
		carried = carried || strings.Contains(a, pyPortMark)
	}
	if !carried {
		s.det.Notef("the app listens on port %d, below 1024, as a non-root user: that binds only where the engine lowers ip_unprivileged_port_start (Docker does; Podman and Kubernetes by default do not); make the port configurable or pass --port", port)
		return port
	}
	s.det.Notef("port %d is below 1024 and the image runs as a non-root user; the app takes its port from the command line or a variable, so it runs on %d (pass --port to change it)", port, pyHighPort)
	if s.det.Port != 0 {
		s.det.Port = pyHighPort
	}
	return pyHighPort
}

var (
	// pyHostEnvRe is a host lookup with a loopback default.
	pyHostEnvRe = regexp.MustCompile(`(?:environ\.get|getenv|env\.str|env|config)\(\s*["']((?:(?:APP|SERVER|HTTP|WEB|API|LISTEN|SERVICE|UVICORN|GUNICORN|FLASK_RUN|BIND)_)?HOST)["']\s*,\s*(?:default\s*=\s*)?["'](127\.0\.0\.1|localhost)["']`)
	// pySettingsHostRe is a pydantic BaseSettings host field with a
	// loopback default.
	pySettingsHostRe = regexp.MustCompile(`(?m)^[ \t]+((?i:host|app_host|server_host|bind_host))[ \t]*:[ \t]*str[ \t]*=[ \t]*(?:Field\([ \t]*(?:default[ \t]*=[ \t]*)?)?["'](127\.0\.0\.1|localhost)["']`)
	// pyHostLiteralRe is a server call bound to loopback in the code.
	pyHostLiteralRe = regexp.MustCompile(`(?:\.(?:run|run_app|serve|launch)\(|HTTPServer\(|make_server\()[^)\n]*["'](127\.0\.0\.1|localhost)["']`)
)

// codeHost looks at the host the code binds when python runs the app
// itself: a loopback default read from a variable gets that variable set
// to 0.0.0.0 in the image; a loopback literal gets a note, since nothing
// outside the container can reach it.
func (s *pyScan) codeHost(first *pyFile) {
	files := s.src.files
	if first != nil {
		files = append([]*pyFile{first}, files...)
	}
	for _, f := range files {
		for _, m := range f.find(pyHostEnvRe, "HOST") {
			s.setEnv(m.sub[1], "0.0.0.0")
			s.det.Notef("%s:%d: the app binds %s unless %s says otherwise, which nothing outside the container reaches; the image sets %s=0.0.0.0", f.path, m.line, m.sub[2], m.sub[1], m.sub[1])
			return
		}
		if f.has("BaseSettings") {
			for _, loc := range pySettingsHostRe.FindAllSubmatchIndex(f.data, -1) {
				prefix, ok := pySettingsClass(f.data, loc[0])
				if !ok {
					continue
				}
				m := pyMatch{file: f, line: repo.LineAt(f.data, loc[0]), sub: []string{"", string(f.data[loc[2]:loc[3]]), string(f.data[loc[4]:loc[5]])}}
				name := strings.ToUpper(prefix + m.sub[1])
				s.setEnv(name, "0.0.0.0")
				s.det.Notef("%s:%d: the settings bind %s by default, which nothing outside the container reaches; the image sets %s=0.0.0.0", f.path, m.line, m.sub[2], name)
				return
			}
		}
	}
	for _, f := range files {
		for _, m := range f.find(pyHostLiteralRe, "127.0.0.1", "localhost") {
			s.det.Notef("%s:%d: the server binds %s, which nothing outside the container reaches; bind 0.0.0.0 (or read the host from a variable)", f.path, m.line, m.sub[1])
			return
		}
	}
	for _, f := range files {
		for _, m := range f.find(pyDefaultHostRunRe, "uvicorn.run", "app.run") {
			if !strings.Contains(m.sub[1], "host") {
				s.det.Notef("%s:%d: %s without host= binds 127.0.0.1, which nothing outside the container reaches; pass host=\"0.0.0.0\" (or read it from a variable)", f.path, m.line, strings.TrimSuffix(m.sub[0][:strings.Index(m.sub[0], "(")+1], "("))
				return
			}
		}
	}
}

// pyDefaultHostRunRe is uvicorn.run(…) or a Flask app.run(…) call, whose
// host defaults to 127.0.0.1.
var pyDefaultHostRunRe = regexp.MustCompile(`\b(?:uvicorn\.run|app\.run)\(((?:[^()]|\([^()]*\))*)\)`)

// setEnv sets a variable of the runtime image.
func (s *pyScan) setEnv(k, v string) {
	if s.facts.Env == nil {
		s.facts.Env = map[string]string{}
	}
	s.facts.Env[k] = v
}

// pyHostFlags are the server flags that take a host or host:port.
var pyHostFlags = map[string]bool{"--host": true, "-h": false, "--bind": true, "-b": true, "--listen": true, "--server.address": true, "--http": true}

// openHost rewrites a loopback host in a command's host flags (--host
// 127.0.0.1, --bind localhost:8000, runserver 127.0.0.1:8000) to 0.0.0.0:
// nothing outside the container could reach the server otherwise.
func (s *pyScan) openHost(argv []string, file string, line int) []string {
	out := append([]string{}, argv...)
	for i := 0; i < len(out); i++ {
		flag, val, eq := strings.Cut(out[i], "=")
		at := -1
		switch {
		case pyHostFlags[flag] && eq:
			at = i
		case pyHostFlags[flag] && i+1 < len(out):
			at, val = i+1, out[i+1]
		case out[i] == "runserver" && i+1 < len(out):
			at, val = i+1, out[i+1]
		}
		if at < 0 {
			continue
		}
		host, rest, _ := strings.Cut(val, ":")
		if host != "127.0.0.1" && host != "localhost" {
			continue
		}
		nv := "0.0.0.0"
		if rest != "" {
			nv += ":" + rest
		}
		if at == i {
			out[i] = flag + "=" + nv
		} else {
			out[at] = nv
		}
		s.det.Notef("%s:%d: %s binds %s, which nothing outside the container reaches; dgen binds 0.0.0.0 instead", file, line, path.Base(out[0]), host)
	}
	return out
}
