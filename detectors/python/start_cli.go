package python

import (
	"path"
	"strings"
)

// frameworkCLI turns a framework's own CLI in a start command into what a
// container should run: `flask run` is Flask's development server, so a
// project with gunicorn (or waitress) runs the same app with it;
// `litestar run` and a kept `flask run` get --host 0.0.0.0 and a port the
// image controls.
func (s *pyScan) frameworkCLI(argv []string, file string, line int) []string {
	args := argv
	if len(args) > 2 && strings.HasPrefix(path.Base(args[0]), "python") && args[1] == "-m" {
		args = args[2:]
	}
	if len(args) == 0 {
		return argv
	}
	prog := path.Base(args[0])
	run := -1
	for i, a := range args {
		if a == "run" {
			run = i
			break
		}
	}
	if (prog != "flask" && prog != "litestar") || run < 0 {
		return argv
	}
	app := pyFlagValue(args[:run], "--app", "-A")
	if app == "" && prog == "flask" {
		app = s.flaskAppFromEnv()
	}
	if prog == "flask" {
		if spec := s.flaskSpec(app); spec != "" {
			switch server := s.wsgiServer(); server {
			case "gunicorn":
				s.det.Notef("%s:%d: flask run is Flask's development server; the container runs the same app with gunicorn, which is a dependency", file, line)
				return []string{"gunicorn", "--bind", "0.0.0.0:" + pyPortMark, spec}
			case "waitress":
				s.det.Notef("%s:%d: flask run is Flask's development server; the container runs the same app with waitress, which is a dependency", file, line)
				out := []string{"waitress-serve", "--listen=0.0.0.0:" + pyPortMark}
				if strings.HasSuffix(spec, "()") {
					out = append(out, "--call")
				}
				return append(out, strings.TrimSuffix(spec, "()"))
			}
		}
		s.det.Notef("%s:%d: flask run is Flask's development server, not for production; add gunicorn and run dgen again", file, line)
	}
	return pyEnsureHostPort(argv)
}

// pyEnsureHostPort adds --host 0.0.0.0 and --port (as the port mark) to a
// framework CLI's run command that lacks them.
func pyEnsureHostPort(argv []string) []string {
	out := append([]string{}, argv...)
	host, port := false, false
	for i, a := range out {
		flag, _, _ := strings.Cut(a, "=")
		switch flag {
		case "--host", "-h", "-H":
			host = true
			if !strings.Contains(a, "=") && i+1 < len(out) && (out[i+1] == "127.0.0.1" || out[i+1] == "localhost") {
				out[i+1] = "0.0.0.0"
			}
		case "--port", "-p":
			port = true
		}
	}
	if !host {
		out = append(out, "--host", "0.0.0.0")
	}
	if !port {
		out = append(out, "--port", pyPortMark)
	}
	return out
}

// pyFlagValue returns the value of the first of flags in args.
func pyFlagValue(args []string, flags ...string) string {
	for i, a := range args {
		for _, f := range flags {
			if a == f && i+1 < len(args) {
				return args[i+1]
			}
			if v, ok := strings.CutPrefix(a, f+"="); ok {
				return v
			}
		}
	}
	return ""
}

// flaskAppFromEnv reads FLASK_APP from the image environment the start
// command sets.
func (s *pyScan) flaskAppFromEnv() string {
	return s.facts.Env["FLASK_APP"]
}

// flaskSpec turns a Flask app reference (flask --app's value, FLASK_APP)
// into gunicorn's module:attr form; with none, the Flask app found in the
// source. "" when there is no app to name.
func (s *pyScan) flaskSpec(app string) string {
	app = strings.TrimSpace(app)
	if app != "" {
		mod, attr, hasAttr := strings.Cut(app, ":")
		mod = strings.TrimSuffix(strings.ReplaceAll(strings.TrimSuffix(mod, ".py"), "/", "."), ".")
		if !pyAppSpecRe.MatchString(mod) {
			return ""
		}
		if hasAttr {
			return mod + ":" + attr
		}
		// flask --app mod finds app, application or a create_app factory.
		for _, a := range s.apps() {
			if a.kind == "flask" && a.file.module == mod {
				return a.spec
			}
		}
		return mod + ":app"
	}
	for _, a := range s.apps() {
		if a.kind == "flask" {
			return a.spec
		}
	}
	return ""
}
