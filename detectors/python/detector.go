// Package python detects Python services: the package manager and its
// lockfile, the Python version, the framework and start command (Procfile,
// console scripts, Django, ASGI/WSGI apps, Streamlit, Gradio, plain
// scripts), the port, native libraries and a front-end assets stage.
package python

import (
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// Python package managers, in the order dgen prefers them when several
// lockfiles are present: the stricter and faster lock first.
var pythonManagerOrder = []string{"uv", "poetry", "pdm", "pipenv", "pip"}

// Detector reads Python repositories.
type Detector struct{}

// Name implements Detector.
func (Detector) Name() string { return facts.LangPython }

// pythonMarkerFiles are root files that only a Python project has.
var pythonMarkerFiles = []string{
	"pyproject.toml", "uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock",
	"Pipfile", "setup.py", "setup.cfg", "manage.py",
}

// Markers implements Detector. Root *.py files count only when no other
// ecosystem's manifest (package.json, go.mod) sits at the root: a lone
// server.py is a Python app, but a build script next to package.json is not
// evidence that a Node app is written in Python. When several ecosystems
// are present, source volume decides (see Detect in registry.go).
func (Detector) Markers(fsys fs.FS) []string {
	var found []string
	for _, f := range pythonMarkerFiles {
		if repo.IsFile(fsys, f) {
			found = append(found, f)
		}
	}
	ents, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return found
	}
	var reqs, scripts []string
	for _, e := range ents {
		n := e.Name()
		switch {
		case pyIsRequirementsName(n) && e.Type().IsRegular():
			reqs = append(reqs, n)
		case n == "requirements" && e.IsDir():
			if files := pyRequirementsInDir(fsys, n); len(files) > 0 {
				reqs = append(reqs, files...)
			}
		case strings.HasSuffix(n, ".py") && e.Type().IsRegular():
			scripts = append(scripts, n)
		}
	}
	sort.SliceStable(reqs, func(i, j int) bool { return pyRequirementsRank(reqs[i]) < pyRequirementsRank(reqs[j]) })
	found = append(found, reqs...)
	if len(found) == 0 && len(scripts) > 0 && !repo.IsFile(fsys, "package.json") && !repo.IsFile(fsys, "go.mod") {
		found = append(found, scripts...)
	}
	return found
}

// pyIsRequirementsName reports whether a root file name is a pip
// requirements file (requirements.txt, requirements-prod.txt, …).
func pyIsRequirementsName(n string) bool {
	return strings.HasPrefix(n, "requirements") && strings.HasSuffix(n, ".txt")
}

func pyRequirementsInDir(fsys fs.FS, dir string) []string {
	ents, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".txt") {
			out = append(out, dir+"/"+e.Name())
		}
	}
	return out
}

// pyScan carries the state of one Detect run: the Detection being filled
// and what was read so far.
type pyScan struct {
	fsys    fs.FS
	answers facts.Answers
	det     *facts.Detection
	facts   *facts.PythonFacts
	m       *pyManifests
	src     *pySources
	deps    map[string]pyDep
	// djangoURLConf is the root URLconf file of a Django project.
	djangoURLConf string
	// django is what the Django settings say, nil for other apps.
	django *djangoConf
	// skippedScript is a console script passed over for a web app.
	skippedScript *pyScript
	// portVar is the variable the code reads its port from, "" when the
	// port is a literal.
	portVar string
	// member is the uv workspace member built, nil for the root project.
	member *pyMember
}

// Detect implements Detector.
func (d Detector) Detect(fsys fs.FS, answers facts.Answers) (*facts.Detection, error) {
	det := &facts.Detection{Language: facts.LangPython, Python: &facts.PythonFacts{}}
	s := &pyScan{fsys: fsys, answers: answers, det: det, facts: det.Python, deps: map[string]pyDep{}}
	s.m = readPyManifests(fsys, det)
	if err := s.packageManager(); err != nil {
		return nil, err
	}
	open, err := s.workspaceApp()
	if err != nil {
		return nil, err
	}
	if open {
		// The member is not chosen yet: the resolver asks and runs Detect
		// again with the answer.
		return det, nil
	}
	s.dependencies()
	s.version()
	s.nativeLibraries()
	s.privateIndexes()
	if err := s.detectApp(); err != nil {
		return nil, err
	}
	s.finish()
	return det, nil
}

// detectApp reads the app itself: its start command, port, health path,
// translations and front end, in the chosen workspace member's folder when
// there is one.
func (s *pyScan) detectApp() error {
	var scope *pyMemberScope
	if s.member != nil {
		var err error
		if scope, err = s.enterMember(); err != nil {
			return err
		}
	}
	s.src = scanPySources(s.fsys, s.det)
	if err := s.start(); err != nil {
		return err
	}
	s.assets()
	// Writable folders are relative to the working directory, which is
	// the member's folder in a uv workspace (their evidence is
	// rewritten to the root with the rest when leaving it).
	s.writable()
	s.requiredEnv()
	if scope != nil {
		s.leaveMember(scope)
	}
	return nil
}

// finish sorts and de-duplicates the lists so output is stable.
func (s *pyScan) finish() {
	f := s.facts
	if len(s.deps) > 0 {
		f.Dependencies = slices.Sorted(maps.Keys(s.deps))
	}
	f.BuildPackages = pyUniqSorted(f.BuildPackages)
	f.RuntimePackages = pyUniqSorted(f.RuntimePackages)
	f.PrivateIndexes = pyUniqSorted(f.PrivateIndexes)
	f.Manifests = pyUniq(f.Manifests)
	f.LocalPaths = pyUniqSorted(f.LocalPaths)
	var safe []string
	for _, m := range f.Manifests {
		if err := repo.CheckPath(m); err != nil {
			s.det.Problemf(m, "not copied before the install: %v", err)
			continue
		}
		safe = append(safe, m)
	}
	f.Manifests = safe
	if s.det.Start == nil && !s.det.Worker {
		s.det.Notef("no start command found (looked for a Procfile web: entry, [project.scripts], manage.py, FastAPI/Starlette/Flask apps, Streamlit and Gradio scripts, main.py/app.py/server.py, a package with __main__.py); pass --start")
	}
}

func pyUniq(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func pyUniqSorted(in []string) []string {
	out := pyUniq(in)
	sort.Strings(out)
	return out
}

// pyRead reads a manifest that may be absent: absent is not a
// problem, unreadable is (recorded, and ok is false).
func pyRead(fsys fs.FS, det *facts.Detection, name string) (data []byte, ok bool) {
	if !repo.IsFile(fsys, name) {
		if repo.IsDir(fsys, name) {
			det.Problemf(name, "is a folder, expected a file")
		}
		return nil, false
	}
	data, err := repo.ReadFile(fsys, name)
	if err != nil {
		det.Problemf(name, "cannot read it: %v", err)
		return nil, false
	}
	return data, true
}

// pyLineOf returns the 1-based line of the first occurrence of needle in data
// (case-insensitive), or 0.
func pyLineOf(data []byte, needle string) int {
	i := strings.Index(strings.ToLower(string(data)), strings.ToLower(needle))
	if i < 0 {
		return 0
	}
	return repo.LineAt(data, i)
}

// pyLineText returns line n (1-based) of data, trimmed, or "".
func pyLineText(data []byte, n int) string {
	out := ""
	repo.Lines(data, func(i int, l string) bool {
		if i == n {
			out = strings.TrimSpace(l)
			return false
		}
		return true
	})
	return out
}
