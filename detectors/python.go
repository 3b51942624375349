package detectors

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// PythonFacts is what only a Python repository has. The generator's Python
// planner turns it into the install, collectstatic and assets steps of the
// Dockerfile. Paths are relative to the repository root, with forward
// slashes, and free of anything a COPY line or a shell would interpret
// (unsafe ones are left out with a Problem).
type PythonFacts struct {
	// Manifests are the dependency files the install step reads, in the
	// order they are copied before the source: pyproject.toml, the
	// lockfile, requirements files and the files they include.
	Manifests []string `json:"manifests,omitempty"`
	// Requirements is the requirements file pip installs from, "" when pip
	// does not install from one.
	Requirements string `json:"requirements,omitempty"`
	// Locked is true when a lockfile (uv.lock, poetry.lock, pdm.lock,
	// Pipfile.lock) pins the dependencies.
	Locked bool `json:"locked"`
	// Dependencies are the normalized names (PEP 503) of the runtime
	// dependencies found, direct and locked, sorted.
	Dependencies []string `json:"dependencies,omitempty"`
	// Installable is true when the project is a package a build backend can
	// install (pyproject.toml [build-system], setup.py, a Poetry project
	// not in package-mode = false).
	Installable bool `json:"installable"`
	// InstallProject is true when the project itself must be installed into
	// the virtualenv after its dependencies, because the start command is
	// one of its console scripts.
	InstallProject bool `json:"installProject"`
	// PyprojectDeps is true when pip installs the dependencies listed in
	// pyproject.toml's [project] table (no lockfile, no requirements file):
	// they are read from the file and installed before the source.
	PyprojectDeps bool `json:"pyprojectDeps"`
	// InstallWithSource is true when dependencies cannot be installed from
	// the manifests alone (pip install . without a lockfile, or a
	// requirements file naming a local path such as "-e ."): the install
	// step then runs after the source is copied.
	InstallWithSource bool `json:"installWithSource"`
	// AppDir is the folder the app's modules are imported from when it is
	// not the repository root: "src" for a src layout, or the folder holding
	// manage.py.
	AppDir string `json:"appDir,omitempty"`
	// Server is the program that serves the app: gunicorn, uvicorn,
	// daphne, hypercorn, waitress, streamlit, celery, python, … ("" when
	// the start command came from the user or a Procfile).
	Server string `json:"server,omitempty"`
	// PortArg says which argument of Detection.Start carries the port, so
	// that a --port override rewrites it; nil when none does.
	PortArg *PortArg `json:"portArg,omitempty"`
	// Env are environment variables the start command needs in the runtime
	// image (from Procfile assignments), by name.
	Env map[string]string `json:"env,omitempty"`
	// DjangoSettings is the settings module used at build time
	// (collectstatic) and named in the runtime image, e.g.
	// "config.settings.production".
	DjangoSettings string `json:"djangoSettings,omitempty"`
	// ManagePy is the path of manage.py, "" when the app is not Django.
	ManagePy string `json:"managePy,omitempty"`
	// CollectStatic is true when STATIC_ROOT is set, so `manage.py
	// collectstatic` runs at build time.
	CollectStatic bool `json:"collectStatic"`
	// StaticRoot is where collectstatic writes, relative to the repository
	// (or absolute when settings say so).
	StaticRoot string `json:"staticRoot,omitempty"`
	// CollectStaticEnv are placeholder values for the environment variables
	// the settings require at import time (SECRET_KEY, DATABASE_URL, …),
	// set only for the collectstatic step, never in the image.
	CollectStaticEnv map[string]string `json:"collectStaticEnv,omitempty"`
	// BuildPackages are Debian packages the dependency install needs
	// (compilers, -dev headers); they stay in the build stage.
	BuildPackages []string `json:"buildPackages,omitempty"`
	// RuntimePackages are Debian packages the app needs at run time
	// (shared libraries, tools such as ffmpeg).
	RuntimePackages []string `json:"runtimePackages,omitempty"`
	// PrivateIndexes are the package indexes other than PyPI that the
	// install reads, as host names; credentials for them come from a
	// BuildKit secret.
	PrivateIndexes []string `json:"privateIndexes,omitempty"`
	// AssetsDir is the folder holding the package.json whose build script
	// builds front-end assets ("." for the root), "" when there is none.
	AssetsDir string `json:"assetsDir,omitempty"`
	// AssetsManifests are package.json and its lockfile, copied before the
	// assets install.
	AssetsManifests []string `json:"assetsManifests,omitempty"`
	// AssetsManager is "npm" or "yarn" (Yarn 1, which node images ship).
	AssetsManager string `json:"assetsManager,omitempty"`
	// AssetsLocked is true when the assets have a lockfile.
	AssetsLocked bool `json:"assetsLocked"`
	// AssetsOutput is the folder the build script writes, relative to the
	// repository root.
	AssetsOutput string `json:"assetsOutput,omitempty"`
	// AssetsNodeVersion is the Node.js major used to build the assets.
	AssetsNodeVersion string `json:"assetsNodeVersion,omitempty"`
	// IgnoreDirs are local build outputs that must stay out of the build
	// context because the image makes its own (collectstatic output).
	IgnoreDirs []string `json:"ignoreDirs,omitempty"`
}

// PortArg locates the port inside one argument of the start command:
// Start[Index] == Prefix + port + Suffix.
type PortArg struct {
	Index  int    `json:"index"`
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
}

// Python package managers, in the order dgen prefers them when several
// lockfiles are present: the stricter and faster lock first.
var pythonManagerOrder = []string{"uv", "poetry", "pdm", "pipenv", "pip"}

// PythonDetector reads Python repositories.
type PythonDetector struct{}

// Name implements Detector.
func (PythonDetector) Name() string { return LangPython }

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
func (PythonDetector) Markers(fsys fs.FS) []string {
	var found []string
	for _, f := range pythonMarkerFiles {
		if IsFile(fsys, f) {
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
	if len(found) == 0 && len(scripts) > 0 && !IsFile(fsys, "package.json") && !IsFile(fsys, "go.mod") {
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
	answers Answers
	det     *Detection
	facts   *PythonFacts
	m       *pyManifests
	src     *pySources
	deps    map[string]pyDep
	// djangoURLConf is the root URLconf file of a Django project.
	djangoURLConf string
	// django is what the Django settings say, nil for other apps.
	django *djangoConf
}

// Detect implements Detector.
func (d PythonDetector) Detect(fsys fs.FS, answers Answers) (*Detection, error) {
	det := &Detection{Language: LangPython, Python: &PythonFacts{}}
	s := &pyScan{fsys: fsys, answers: answers, det: det, facts: det.Python, deps: map[string]pyDep{}}
	s.m = readPyManifests(fsys, det)
	if err := s.packageManager(); err != nil {
		return nil, err
	}
	s.dependencies()
	s.version()
	s.nativeLibraries()
	s.privateIndexes()
	s.src = scanPySources(fsys, det)
	if err := s.start(); err != nil {
		return nil, err
	}
	s.assets()
	s.finish()
	return det, nil
}

// finish sorts and de-duplicates the lists so output is stable.
func (s *pyScan) finish() {
	f := s.facts
	if len(s.deps) > 0 {
		f.Dependencies = Sorted(s.deps)
	}
	f.BuildPackages = pyUniqSorted(f.BuildPackages)
	f.RuntimePackages = pyUniqSorted(f.RuntimePackages)
	f.PrivateIndexes = pyUniqSorted(f.PrivateIndexes)
	f.Manifests = pyUniq(f.Manifests)
	var safe []string
	for _, m := range f.Manifests {
		if err := pySafePath(m); err != nil {
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

// pySafePath reports why a repository path must not be written into a
// COPY instruction: it must be relative, without "..", and free of the
// characters that COPY or a shell would interpret ($, quotes, backslashes,
// whitespace, glob characters) or that read as a flag (leading "-").
func pySafePath(p string) error {
	switch {
	case p == "":
		return errors.New("empty path")
	case strings.HasPrefix(p, "/"):
		return errors.New("absolute path")
	case strings.HasPrefix(p, "-"):
		return errors.New("starts with '-'")
	case path.Clean(p) != p && p != ".":
		return errors.New("not a clean path")
	case p == ".." || strings.HasPrefix(p, "../"):
		return errors.New("outside the repository")
	}
	for _, r := range p {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("$\"'`\\*?[]{}#~!&;|<>()", r) {
			return fmt.Errorf("contains %q, which a Dockerfile or shell would interpret", r)
		}
	}
	return nil
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
func pyRead(fsys fs.FS, det *Detection, name string) (data []byte, ok bool) {
	if !IsFile(fsys, name) {
		if IsDir(fsys, name) {
			det.Problemf(name, "is a folder, expected a file")
		}
		return nil, false
	}
	data, err := ReadFile(fsys, name)
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
	return LineAt(data, i)
}

// pyLineText returns line n (1-based) of data, trimmed, or "".
func pyLineText(data []byte, n int) string {
	out := ""
	Lines(data, func(i int, l string) bool {
		if i == n {
			out = strings.TrimSpace(l)
			return false
		}
		return true
	})
	return out
}
