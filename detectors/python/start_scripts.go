package python

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

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
	name, serves, sub := s.pickScript(scripts, names)
	if name == "" {
		s.det.Notef("pyproject.toml: %s has %s; none starts a server, and none is the only one or named start/serve, so none is taken as the start command", table, strings.Join(names, ", "))
		return false, nil
	}
	target := fmt.Sprint(scripts[name])
	line := pyLineOf(m.pyprojectData, name+" =")
	ev := facts.Evidence{File: "pyproject.toml", Line: line, Detail: table + " " + name + " = " + target}
	if serves == pyServesNo && (len(s.apps()) > 0 || s.findManagePy() != "") {
		// The app object is what a server runs; a script whose code
		// starts no server is a tool next to it (a CLI, a migration).
		s.skippedScript = &pyScript{name: name, ev: ev}
		s.det.Notef("pyproject.toml: %s %s (%s) starts no server, and the repository creates a web app: the app is served instead (pass --main %s to run the script)", table, name, target, name)
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
	s.facts.InstallProject = true
	s.frameworkFromDeps()
	argv := s.scriptArgv(name, target, sub)
	if sub != "" {
		ev.Detail += " (its " + sub + " subcommand starts the server)"
	}
	s.setStart(pyCmd{argv: argv, server: "script", ev: ev, file: s.scriptFile(target)})
	if serves == pyServesNo {
		s.workerIfNoServer()
	}
	return true, nil
}

// pyScript is a console script passed over for a web app; it stays an
// option of the main choice.
type pyScript struct {
	name string
	ev   facts.Evidence
}

// pickScript chooses the console script that starts the program: the one
// whose code starts a server (itself or through a serve-like subcommand)
// when exactly one does, else the only one or the one named start/serve.
func (s *pyScan) pickScript(scripts map[string]any, names []string) (name string, serves pyServes, sub string) {
	servers := 0
	for _, n := range names {
		if v, sc := s.scriptServes(fmt.Sprint(scripts[n])); v == pyServesYes {
			servers++
			name, serves, sub = n, v, sc
		}
	}
	if servers == 1 {
		return name, serves, sub
	}
	name = ""
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
		return "", pyServesUnknown, ""
	}
	serves, sub = s.scriptServes(fmt.Sprint(scripts[name]))
	return name, serves, sub
}

// scriptFile is the source file of a console script's module, searched
// first for the port.
func (s *pyScan) scriptFile(target string) *pyFile {
	mod, _, _ := strings.Cut(strings.TrimSpace(target), ":")
	return s.src.module(mod)
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

// mainScript honours --main naming a console script of pyproject.toml.
func (s *pyScan) mainScript(want string) (bool, error) {
	for _, table := range [][]string{{"project", "scripts"}, {"tool", "poetry", "scripts"}} {
		scripts := pyTMap(pyT(s.m.pyproject, table...))
		target, ok := scripts[want]
		if !ok || pySafeArg(want) != nil {
			continue
		}
		if !s.facts.Installable {
			return false, fmt.Errorf("--main %s: the console script needs the project installed, but pyproject.toml declares no installable package", want)
		}
		s.facts.InstallProject = true
		s.frameworkFromDeps()
		serves, sub := s.scriptServes(fmt.Sprint(target))
		argv := s.scriptArgv(want, fmt.Sprint(target), sub)
		s.setStart(pyCmd{argv: argv, server: "script", file: s.scriptFile(fmt.Sprint(target)),
			ev: facts.Evidence{File: "pyproject.toml", Line: pyLineOf(s.m.pyprojectData, want+" ="), Detail: "--main " + want}})
		if serves != pyServesYes {
			s.workerIfNoServer()
		}
		return true, nil
	}
	return false, nil
}

// scriptArgv is a console script's start command: the script, its serve
// subcommand, and for a script that runs the litestar CLI the host and
// port its run command takes.
func (s *pyScan) scriptArgv(name, target, sub string) []string {
	argv := []string{name}
	if sub != "" {
		argv = append(argv, sub)
	}
	if f := s.scriptFile(target); f != nil && sub == "run" && pyLitestarCLIRe.Match(f.data) {
		return pyEnsureHostPort(argv)
	}
	return s.cliOptions(argv, target, sub)
}
