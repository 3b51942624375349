package python

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// pyDep is one dependency and where it was declared.
type pyDep struct {
	Name   string
	Extras []string
	File   string
	Line   int
}

// evidence returns where d came from.
func (d pyDep) evidence() facts.Evidence {
	return facts.Evidence{File: d.File, Line: d.Line, Detail: d.Name}
}

var pyNameNorm = regexp.MustCompile(`[-_.]+`)

// pyNormalize is a package name as PEP 503 compares them.
func pyNormalize(n string) string {
	return strings.ToLower(pyNameNorm.ReplaceAllString(strings.TrimSpace(n), "-"))
}

var pyReqName = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?`)

// parsePyRequirement reads the name and extras of a PEP 508 requirement
// ("uvicorn[standard]>=0.30; python_version>'3.9'"); ok is false for
// anything else (a path, a URL without #egg=).
func parsePyRequirement(s string) (name string, extras []string, ok bool) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "#egg="); i >= 0 {
		s = s[i+len("#egg="):]
	} else if strings.Contains(s, "://") && !strings.Contains(s, "@") {
		return "", nil, false
	}
	m := pyReqName.FindStringSubmatch(s)
	if m == nil {
		return "", nil, false
	}
	for _, e := range strings.Split(m[2], ",") {
		if e = strings.TrimSpace(e); e != "" {
			extras = append(extras, strings.ToLower(e))
		}
	}
	return pyNormalize(m[1]), extras, true
}

func (s *pyScan) addDep(raw, file string, line int) {
	name, extras, ok := parsePyRequirement(raw)
	if !ok || name == "python" {
		return
	}
	if old, seen := s.deps[name]; seen {
		old.Extras = pyUniq(append(old.Extras, extras...))
		s.deps[name] = old
		return
	}
	s.deps[name] = pyDep{Name: name, Extras: extras, File: file, Line: line}
}

// dependencies collects the runtime dependencies from the chosen manager's
// files, records the manifests to copy and whether the install needs the
// source.
func (s *pyScan) dependencies() {
	switch s.det.PackageManager {
	case "uv":
		s.uvDependencies()
	case "poetry":
		s.poetryDependencies()
	case "pdm":
		s.pdmDependencies()
	case "pipenv":
		s.pipenvDependencies()
	case "pip":
		if len(s.m.requirements) > 0 {
			s.pipRequirementsDependencies()
		} else {
			s.pipProjectDependencies()
		}
	}
	if s.det.PackageManager != "pip" {
		s.ignoredRequirements()
	}
	if s.member != nil {
		s.pathDependencies(s.member.dir, s.member.m)
	} else {
		s.pathDependencies(".", s.m)
	}
}

// uvDependencies reads pyproject.toml and uv.lock, and the workspace
// members uv installs with the root.
func (s *pyScan) uvDependencies() {
	m, f := s.m, s.facts
	f.Manifests = append(f.Manifests, "pyproject.toml", "uv.lock")
	f.Locked = m.hasUVLock
	if s.member != nil {
		s.memberDeps()
	} else {
		s.projectDeps()
		f.Installable = s.uvPackaged()
	}
	s.uvLockDeps()
	s.workspaceMembers()
}

// poetryDependencies reads pyproject.toml and the main group of
// poetry.lock.
func (s *pyScan) poetryDependencies() {
	m, f := s.m, s.facts
	f.Manifests = append(f.Manifests, "pyproject.toml")
	if m.hasPoetryLock {
		f.Manifests = append(f.Manifests, "poetry.lock")
		f.Locked = true
	} else {
		s.det.Notef("no poetry.lock: Poetry resolves the dependencies at build time, so two builds may install different versions; run `poetry lock` and commit poetry.lock")
	}
	s.projectDeps()
	s.poetryDeps()
	s.lockDeps("poetry.lock", pyPoetryMain)
	mode, hasMode := pyT(m.pyproject, "tool", "poetry", "package-mode").(bool)
	f.Installable = !hasMode || mode
}

// pyPoetryMain reports whether a poetry.lock package belongs to the main
// group: "groups" since Poetry 2, "category" before.
func pyPoetryMain(pkg map[string]any) bool {
	if groups, ok := pkg["groups"].([]any); ok {
		return slices.Contains(groups, any("main"))
	}
	if cat, ok := pkg["category"].(string); ok {
		return cat == "main"
	}
	return true
}

// pdmDependencies reads pyproject.toml and the default group of pdm.lock.
func (s *pyScan) pdmDependencies() {
	m, f := s.m, s.facts
	f.Manifests = append(f.Manifests, "pyproject.toml", "pdm.lock")
	f.Locked = true
	s.projectDeps()
	s.lockDeps("pdm.lock", pyPDMDefault)
	dist, hasDist := pyT(m.pyproject, "tool", "pdm", "distribution").(bool)
	f.Installable = pyT(m.pyproject, "build-system") != nil && (!hasDist || dist)
}

// pyPDMDefault reports whether a pdm.lock package belongs to the default
// group; a package without groups does.
func pyPDMDefault(pkg map[string]any) bool {
	groups, ok := pkg["groups"].([]any)
	return !ok || slices.Contains(groups, any("default"))
}

// pipenvDependencies reads the Pipfile's [packages].
func (s *pyScan) pipenvDependencies() {
	m, f := s.m, s.facts
	f.Manifests = append(f.Manifests, "Pipfile")
	if m.hasPipfileLock {
		f.Manifests = append(f.Manifests, "Pipfile.lock")
		f.Locked = true
	} else {
		s.det.Notef("no Pipfile.lock: pipenv resolves the dependencies at build time, so two builds may install different versions; run `pipenv lock` and commit Pipfile.lock")
	}
	s.pipfileDeps()
	f.Installable = m.hasSetupPy || pyT(m.pyproject, "build-system") != nil
}

// pipRequirementsDependencies installs the preferred requirements file and
// names the others it leaves out.
func (s *pyScan) pipRequirementsDependencies() {
	m, f := s.m, s.facts
	req := m.requirements[0]
	f.Requirements = req
	s.readRequirements(req, 0, false)
	s.serverRequirements(m.requirements[1:])
	var others []string
	for _, r := range m.requirements[1:] {
		if !pyContains(f.Manifests, r) {
			others = append(others, r)
		}
	}
	if len(others) > 0 {
		s.det.Notef("pip installs %s; %s not installed (pass --package-manager or edit the Dockerfile if one of them is the app's)", req, strings.Join(others, ", "))
	}
	f.Installable = m.hasSetupPy || pyT(m.pyproject, "build-system") != nil
}

// pipProjectDependencies installs with pip from pyproject.toml or setup.py
// when there is no requirements file.
func (s *pyScan) pipProjectDependencies() {
	m, f := s.m, s.facts
	s.projectDeps()
	s.setupDeps()
	f.Installable = m.hasPyproject || m.hasSetupPy
	switch {
	case pyT(m.pyproject, "project") != nil && !s.dynamicDeps():
		// [project] dependencies can be installed before the source
		// (the generator reads them from pyproject.toml).
		f.PyprojectDeps = true
		f.Manifests = append(f.Manifests, "pyproject.toml")
		if len(s.deps) > 0 {
			s.det.Notef("pyproject.toml has no lockfile: pip resolves its dependencies at build time, so two builds may install different versions; a lockfile (uv lock) pins them")
		}
	case len(s.deps) > 0 || s.dynamicDeps():
		// pip cannot install the dependencies without the project
		// itself, so the install runs after the source copy.
		f.InstallWithSource = true
		f.InstallProject = true
		s.det.Notef("%s declares its dependencies in code (setup.py or dynamic), so pip installs the project and its dependencies together after the source is copied: every source change reinstalls them; a requirements.txt or a lockfile lets Docker cache that layer", s.det.Evidence["packageManager"].File)
	}
}

// ignoredRequirements notes requirements files that the chosen manager does
// not read, so nobody wonders why an edit to them changes nothing.
func (s *pyScan) ignoredRequirements() {
	if len(s.m.requirements) > 0 {
		s.det.Notef("%s installs the dependencies; %s not read (an export for other tools?)", s.det.PackageManager, strings.Join(s.m.requirements, ", "))
	}
}

// projectDeps reads PEP 621 [project] dependencies.
func (s *pyScan) projectDeps() {
	for _, d := range pyTStrings(pyT(s.m.pyproject, "project", "dependencies")) {
		s.addDep(d, "pyproject.toml", pyLineOf(s.m.pyprojectData, d))
	}
}

// dynamicDeps reports whether [project] declares its dependencies dynamic
// (filled by the build backend, e.g. from requirements.txt).
func (s *pyScan) dynamicDeps() bool {
	for _, d := range pyTStrings(pyT(s.m.pyproject, "project", "dynamic")) {
		if d == "dependencies" {
			return true
		}
	}
	return false
}

// poetryDeps reads [tool.poetry.dependencies] (Poetry 1 style).
func (s *pyScan) poetryDeps() {
	deps, _ := pyT(s.m.pyproject, "tool", "poetry", "dependencies").(map[string]any)
	for _, name := range slices.Sorted(maps.Keys(deps)) {
		if strings.EqualFold(name, "python") {
			continue
		}
		var extras []string
		if t, ok := deps[name].(map[string]any); ok {
			extras = pyTStrings(t["extras"])
		}
		raw := name
		if len(extras) > 0 {
			raw += "[" + strings.Join(extras, ",") + "]"
		}
		s.addDep(raw, "pyproject.toml", pyLineOf(s.m.pyprojectData, name+" ="))
	}
}

// pipfileDeps reads Pipfile [packages] and, when present, the locked
// "default" section of Pipfile.lock (which includes transitive packages).
func (s *pyScan) pipfileDeps() {
	pk, _ := pyT(s.m.pipfile, "packages").(map[string]any)
	for _, name := range slices.Sorted(maps.Keys(pk)) {
		raw := name
		if t, ok := pk[name].(map[string]any); ok {
			if ex := pyTStrings(t["extras"]); len(ex) > 0 {
				raw += "[" + strings.Join(ex, ",") + "]"
			}
			if p, _ := t["path"].(string); p != "" {
				s.facts.InstallWithSource = true
			}
		}
		s.addDep(raw, "Pipfile", pyLineOf(s.m.pipfileData, name))
	}
	def, _ := s.m.pipfileLock["default"].(map[string]any)
	for _, name := range slices.Sorted(maps.Keys(def)) {
		raw := name
		if t, ok := def[name].(map[string]any); ok {
			if ex := pyTStrings(t["extras"]); len(ex) > 0 {
				raw += "[" + strings.Join(ex, ",") + "]"
			}
			if p, _ := t["path"].(string); p != "" {
				s.facts.InstallWithSource = true
			}
		}
		s.addDep(raw, "Pipfile.lock", 0)
	}
	if s.facts.InstallWithSource {
		s.det.Notef("Pipfile installs a local path, so the install runs after the source is copied")
	}
}

var pySetupInstallRequires = regexp.MustCompile(`(?s)install_requires\s*=\s*\[(.*?)\]`)

var pyQuoted = regexp.MustCompile(`["']([^"'\n]+)["']`)

// setupDeps reads install_requires from setup.py (literal lists only) and
// setup.cfg.
func (s *pyScan) setupDeps() {
	if data, ok := pyRead(s.fsys, s.det, "setup.py"); ok {
		if mm := pySetupInstallRequires.FindSubmatchIndex(data); mm != nil {
			body := data[mm[2]:mm[3]]
			for _, q := range pyQuoted.FindAllSubmatchIndex(body, -1) {
				s.addDep(string(body[q[2]:q[3]]), "setup.py", repo.LineAt(data, mm[2]+q[2]))
			}
		}
	}
	if data, ok := pyRead(s.fsys, s.det, "setup.cfg"); ok {
		in := false
		repo.Lines(data, func(n int, l string) bool {
			t := strings.TrimSpace(l)
			switch {
			case strings.HasPrefix(t, "install_requires"):
				in = true
				if _, v, ok := strings.Cut(t, "="); ok && strings.TrimSpace(v) != "" {
					s.addDep(v, "setup.cfg", n)
				}
			case in && (l == "" || (l[0] != ' ' && l[0] != '\t')):
				in = false
			case in && t != "" && !strings.HasPrefix(t, "#"):
				s.addDep(t, "setup.cfg", n)
			}
			return true
		})
	}
}

func pyContains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// pyServerReqRe matches a requirement line naming a production server.
var pyServerReqRe = regexp.MustCompile(`(?im)^\s*(gunicorn|uvicorn|granian|uwsgi|waitress|hypercorn|daphne)\b`)

// serverRequirements installs, besides the main requirements file, the
// other non-development ones that add a production server the main file
// lacks (requirements-server.txt with granian, requirements-prod.txt with
// gunicorn): the project keeps its server apart from the app's
// libraries, and the image needs both.
func (s *pyScan) serverRequirements(others []string) {
	for _, r := range others {
		if pyContains(s.facts.Manifests, r) || repo.CheckPath(r) != nil {
			continue
		}
		data, ok := pyRead(s.fsys, s.det, r)
		if !ok || pyBinary(data) {
			continue
		}
		m := pyServerReqRe.FindSubmatchIndex(data)
		if m == nil {
			continue
		}
		server := pyNormalize(string(data[m[2]:m[3]]))
		if _, ok := s.deps[server]; ok {
			continue
		}
		s.readRequirements(r, 0, false)
		s.facts.ServerRequirements = append(s.facts.ServerRequirements, r)
		s.det.Cite("serverRequirements", r, repo.LineAt(data, m[0]), string(data[m[2]:m[3]]))
		s.det.Notef("%s adds the production server %s, so pip installs it with %s", r, server, s.facts.Requirements)
	}
}
