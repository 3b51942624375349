package python

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
)

var (
	// pyPortEnvRe is an environment lookup with a default:
	// os.environ.get("PORT", "8081"), os.getenv("APP_PORT", 8081),
	// env.int("PORT", default=8081), config("PORT", cast=int, default=8081).
	pyPortEnvRe = regexp.MustCompile(`(?:environ\.get|getenv|environ\.setdefault|env\.int|env\.str|env|config)\(\s*["']([A-Z][A-Z0-9_]*)["']\s*,\s*(?:cast\s*=\s*int\s*,\s*)?(?:default\s*=\s*)?(?:int\()?["']?(\d{2,5})`)
	// pyPortEnvReadRe is an environment lookup without a default.
	pyPortEnvReadRe = regexp.MustCompile(`(?:environ\.get\(|getenv\(|environ\[)\s*["']([A-Z][A-Z0-9_]*)["']\s*[\])]`)
	// pySettingsPortRe is a port field of a pydantic BaseSettings class.
	pySettingsPortRe = regexp.MustCompile(`(?m)^[ \t]+((?i:port|app_port|server_port|http_port|api_port|web_port))[ \t]*:[ \t]*(?:int|Optional\[int\]|int[ \t]*\|[ \t]*None|PositiveInt)[ \t]*=[ \t]*(?:Field\([ \t]*(?:default[ \t]*=[ \t]*)?)?(\d{2,5})`)
	pyEnvPrefixRe    = regexp.MustCompile(`env_prefix\s*[=:]\s*["']([A-Za-z0-9_]*)["']`)
	pyRunPortRe      = regexp.MustCompile(`\.(?:run|run_app|launch|serve)\((?:[^()]|\([^()]*\))*?\b(?:port|server_port)\s*=\s*(\d{2,5})`)
	pyTuplePortRe    = regexp.MustCompile(`(?:HTTPServer|TCPServer|ThreadingHTTPServer|make_server|create_server|start_server)\(\s*\(?\s*["'][^"']*["']\s*,\s*(\d{2,5})`)
	pyServePortRe    = regexp.MustCompile(`(?:websockets\.serve|\bserve)\(\s*\w+\s*,\s*["'][^"']*["']\s*,\s*(\d{2,5})|add_insecure_port\(\s*["'][^"']*:(\d{2,5})["']`)
	// pyDefinePortRe is tornado's define("port", default=N): tornado's
	// options are one registry for the whole program.
	pyDefinePortRe = regexp.MustCompile(`\bdefine\(\s*["']port["']\s*,\s*(?:default\s*=\s*)?(\d{2,5})`)
	// pyFlagPortRe is argparse's add_argument("--port", default=N).
	pyFlagPortRe  = regexp.MustCompile(`add_argument\(\s*(?:["']-p["']\s*,\s*)?["']--port["'](?:[^()]|\([^()]*\))*?\bdefault\s*=\s*(\d{2,5})`)
	pyPortConstRe = regexp.MustCompile(`(?m)^(?:DEFAULT_)?PORT\s*(?::\s*int\s*)?=\s*(\d{2,5})\s*(?:#.*)?$`)
	pyPortVarRe   = regexp.MustCompile(`^(?:(?:APP|SERVER|HTTP|WEB|API|LISTEN|SERVICE|UVICORN|GUNICORN|FLASK_RUN|BIND)_)?PORT$`)
)

// pyEnvExamples are the files that document an app's environment with
// example values; a PORT there is the port the app is run with.
var pyEnvExamples = []string{".env.example", ".env.sample", ".env.template", ".env.dist", "example.env", "sample.env", ".env.defaults"}

// codePort reads the port from where the program takes it, the start
// file first: an environment lookup's default (PORT, APP_PORT, …), a
// pydantic BaseSettings port field's default, app.run(port=N),
// uvicorn.run(port=N), web.run_app(port=N), a websockets or gRPC server's
// port, HTTPServer(("", N)), a --port option's default in the file run
// (tornado's define, argparse), a variable read without a default and given
// in .env.example, a PORT constant. A port read from a variable other
// than PORT is recorded in PortEnv so the image sets it.
func (s *pyScan) codePort(first *pyFile) {
	files := s.src.files
	if first != nil {
		files = append([]*pyFile{first}, files...)
	}
	if s.envDefaultPort(files) || s.settingsPort(files) {
		return
	}
	for _, pr := range []struct {
		re   *regexp.Regexp
		lits []string // the regexp runs only on files holding one
	}{{pyRunPortRe, []string{"port=", "port ="}}, {pyTuplePortRe, []string{"erver("}}, {pyServePortRe, []string{"serve(", "add_insecure_port"}},
		{pyDefinePortRe, []string{"define("}}, {pyFlagPortRe, []string{"--port"}}} {
		for i, f := range files {
			if pr.re == pyFlagPortRe && (first == nil || i > 0) {
				// An argparse --port is the program's only in the file
				// it runs; elsewhere it belongs to another command (an
				// SMTP management command, a dev tool).
				break
			}
			for _, m := range f.find(pr.re, pr.lits...) {
				if s.takePort(f, m, pyFirstNumber(m.sub[1:])) {
					return
				}
			}
		}
	}
	if s.envExamplePort(files) {
		return
	}
	for _, f := range files {
		if ms := f.find(pyPortConstRe, "PORT"); len(ms) > 0 && s.takePort(f, ms[0], ms[0].sub[1]) {
			return
		}
	}
}

func pyFirstNumber(subs []string) string {
	for _, v := range subs {
		if v != "" {
			return v
		}
	}
	return ""
}

// takePort records a port found at m; false when the number is no port.
func (s *pyScan) takePort(f *pyFile, m pyMatch, num string) bool {
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > 65535 {
		return false
	}
	s.det.Port = n
	s.det.Cite("port", f.path, m.line, m.text)
	return true
}

// envDefaultPort takes the default of a port variable's lookup: PORT
// first, then the app-server names pyPortVarRe knows. DB_PORT, REDIS_PORT
// and the like are other services' ports, never the app's.
func (s *pyScan) envDefaultPort(files []*pyFile) bool {
	for _, wantPlain := range []bool{true, false} {
		for _, f := range files {
			for _, m := range f.find(pyPortEnvRe, "PORT") {
				name := m.sub[1]
				if (name == "PORT") != wantPlain || !pyPortVarRe.MatchString(name) {
					continue
				}
				if s.takePort(f, m, m.sub[2]) {
					s.setPortEnv(name)
					return true
				}
			}
		}
	}
	return false
}

// settingsPort takes the default of a pydantic BaseSettings port field;
// the variable is the field's name with the class's env_prefix.
func (s *pyScan) settingsPort(files []*pyFile) bool {
	for _, f := range files {
		if !f.has("BaseSettings") {
			continue
		}
		for _, loc := range pySettingsPortRe.FindAllSubmatchIndex(f.data, -1) {
			prefix, ok := pySettingsClass(f.data, loc[0])
			if !ok {
				continue
			}
			line := repo.LineAt(f.data, loc[0])
			m := pyMatch{file: f, line: line, text: pyLineText(f.data, line)}
			if !s.takePort(f, m, string(f.data[loc[4]:loc[5]])) {
				continue
			}
			s.setPortEnv(strings.ToUpper(prefix + string(f.data[loc[2]:loc[3]])))
			return true
		}
	}
	return false
}

// envExamplePort takes PORT (or another port variable the code reads
// without a default) from the example environment file.
func (s *pyScan) envExamplePort(files []*pyFile) bool {
	read := map[string]bool{}
	for _, f := range files {
		for _, m := range f.find(pyPortEnvReadRe, "PORT") {
			if pyPortVarRe.MatchString(m.sub[1]) {
				read[m.sub[1]] = true
			}
		}
	}
	if len(read) == 0 {
		return false
	}
	for _, name := range pyEnvExamples {
		data, err := repo.ReadPrefix(s.fsys, name, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		found := false
		repo.Lines(data, func(n int, l string) bool {
			k, v, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(l), "export "), "=")
			k = strings.TrimSpace(k)
			if !ok || !read[k] {
				return true
			}
			p, err := strconv.Atoi(strings.Trim(strings.TrimSpace(v), `"'`))
			if err != nil || p < 1 || p > 65535 {
				return true
			}
			s.det.Port = p
			s.det.Cite("port", name, n, strings.TrimSpace(l))
			s.setPortEnv(k)
			found = true
			return false
		})
		if found {
			return true
		}
	}
	return false
}

// setPortEnv records the variable the port is read from; PORT is always
// set by the image, so only another name is kept.
func (s *pyScan) setPortEnv(name string) {
	s.portVar = name
	if name != "PORT" {
		s.facts.PortEnv = name
	}
}

var (
	pyClassRe = regexp.MustCompile(`(?m)^class[ \t]+(\w+)[ \t]*(?:\(([^)]*)\))?[ \t]*:`)
	// pyOtherServiceRe names settings of another service (a database, a
	// cache, a mail server): their host and port are not the app's.
	pyOtherServiceRe = regexp.MustCompile(`(?i)redis|db|database|postgres|pg|sql|mongo|smtp|mail|rabbit|amqp|kafka|cache|elastic|metrics|prometheus|statsd|ldap|proxy|sentry|minio|broker|celery|queue|grpc|otel|jaeger`)
)

// pySettingsClass returns the env_prefix of the settings class around
// offset at in data; ok is false when the class is another service's
// (its name or prefix says redis, db, smtp, …).
func pySettingsClass(data []byte, at int) (prefix string, ok bool) {
	locs := pyClassRe.FindAllSubmatchIndex(data[:at], -1)
	if len(locs) == 0 {
		return "", true
	}
	c := locs[len(locs)-1]
	name := string(data[c[2]:c[3]])
	if p := pyEnvPrefixRe.FindSubmatch(data[c[0]:at]); p != nil {
		prefix = string(p[1])
	}
	if pyOtherServiceRe.MatchString(name) || pyOtherServiceRe.MatchString(prefix) {
		return "", false
	}
	return prefix, true
}
