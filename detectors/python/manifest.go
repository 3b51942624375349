package python

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
	"github.com/pelletier/go-toml/v2"
)

// pyManifests is what the dependency files say, read once per Detect.
type pyManifests struct {
	pyproject     map[string]any // nil when absent or unreadable
	pyprojectData []byte
	pipfile       map[string]any
	pipfileData   []byte
	pipfileLock   map[string]any

	hasPyproject, hasPipfile, hasPipfileLock bool
	hasUVLock, hasPoetryLock, hasPDMLock     bool
	hasSetupPy, hasSetupCfg                  bool

	// requirements are the root requirements files in preference order.
	requirements []string
}

// readPyManifests reads the manifests at the root. An unparseable file is
// a Problem; detection goes on without it.
func readPyManifests(fsys fs.FS, det *facts.Detection) *pyManifests {
	m := &pyManifests{}
	if data, ok := pyRead(fsys, det, "pyproject.toml"); ok {
		m.hasPyproject = true
		m.pyprojectData = data
		switch err := toml.Unmarshal(data, &m.pyproject); {
		case pyBinary(data):
			det.Problemf("pyproject.toml", "holds binary data, not TOML; it is ignored: fix it or remove it")
			m.pyproject = nil
		case err != nil:
			det.Problemf("pyproject.toml", "not valid TOML: %v; it is ignored: fix it (`python -c \"import tomllib; tomllib.load(open('pyproject.toml','rb'))\"` shows the same error)", pyTOMLErr(err))
			m.pyproject = nil
		default:
			pyCheckTypes(det, m.pyproject, data)
		}
	}
	if data, ok := pyRead(fsys, det, "Pipfile"); ok {
		m.hasPipfile = true
		m.pipfileData = data
		if err := toml.Unmarshal(data, &m.pipfile); err != nil {
			det.Problemf("Pipfile", "not valid TOML: %v", pyTOMLErr(err))
			m.pipfile = nil
		}
	}
	if data, ok := pyRead(fsys, det, "Pipfile.lock"); ok {
		m.hasPipfileLock = true
		if err := json.Unmarshal(data, &m.pipfileLock); err != nil {
			det.Problemf("Pipfile.lock", "not valid JSON: %v; run `pipenv lock` to rewrite it", err)
			m.pipfileLock = nil
		}
	}
	m.hasUVLock = repo.IsFile(fsys, "uv.lock")
	m.hasPoetryLock = repo.IsFile(fsys, "poetry.lock")
	m.hasPDMLock = repo.IsFile(fsys, "pdm.lock")
	m.hasSetupPy = repo.IsFile(fsys, "setup.py")
	m.hasSetupCfg = repo.IsFile(fsys, "setup.cfg")
	m.requirements = pyRequirementsCandidates(fsys)
	return m
}

// pyBinary reports whether data cannot be a text manifest: it holds NUL
// bytes or is not UTF-8.
func pyBinary(data []byte) bool {
	return bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data)
}

// pyTypeRules are the pyproject.toml keys dgen reads and the TOML type each
// must have; a key of another type is ignored with a Problem.
var pyTypeRules = []struct {
	keys []string
	kind string // "string", "strings" (array of strings), "table"
}{
	{[]string{"project", "name"}, "string"},
	{[]string{"project", "requires-python"}, "string"},
	{[]string{"project", "dependencies"}, "strings"},
	{[]string{"project", "dynamic"}, "strings"},
	{[]string{"project", "scripts"}, "table"},
	{[]string{"tool", "poetry", "dependencies"}, "table"},
	{[]string{"tool", "poetry", "scripts"}, "table"},
	{[]string{"tool", "uv", "required-version"}, "string"},
}

// pyCheckTypes records a Problem for each key of the wrong type, and drops
// it so that nothing reads it by mistake.
func pyCheckTypes(det *facts.Detection, doc map[string]any, data []byte) {
	for _, r := range pyTypeRules {
		v := pyT(doc, r.keys...)
		if v == nil {
			continue
		}
		ok := true
		switch r.kind {
		case "string":
			_, ok = v.(string)
		case "table":
			t, isTable := v.(map[string]any)
			ok = isTable
			if isTable && r.keys[len(r.keys)-1] == "scripts" {
				for _, name := range slices.Sorted(maps.Keys(t)) {
					switch t[name].(type) {
					case string, map[string]any:
					default:
						det.Problemf("pyproject.toml", "line %d: [%s] %s = %v is not a string; ignored", pyLineOf(data, name), strings.Join(r.keys, "."), name, t[name])
						delete(t, name)
					}
				}
			}
		case "strings":
			list, isList := v.([]any)
			ok = isList
			for _, e := range list {
				if _, isString := e.(string); !isString {
					ok = false
				}
			}
		}
		if !ok {
			key := r.keys[len(r.keys)-1]
			kind := map[string]string{"string": "a string", "strings": "a list of strings", "table": "a table"}[r.kind]
			det.Problemf("pyproject.toml", "line %d: [%s] %s = %v is not %s; ignored", pyLineOf(data, key), strings.Join(r.keys[:len(r.keys)-1], "."), key, v, kind)
			parent, _ := pyT(doc, r.keys[:len(r.keys)-1]...).(map[string]any)
			delete(parent, key)
		}
	}
}

// pyTOMLErr shortens a go-toml error to its message with the line.
func pyTOMLErr(err error) string {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		return fmt.Sprintf("line %d column %d: %s", row, col, de.Error())
	}
	return err.Error()
}

// pyRequirementsPreference ranks requirements files: the plain one, then
// files named for production, then a shared base. Files for development,
// tests, docs or linting are never installed into the image.
var pyRequirementsPreference = []string{
	"requirements.txt",
	"requirements/production.txt", "requirements/prod.txt",
	"requirements-production.txt", "requirements-prod.txt", "requirements_prod.txt",
	"requirements/main.txt", "requirements/base.txt", "requirements/common.txt",
	"requirements-base.txt",
}

var pyDevRequirements = regexp.MustCompile(`(?i)(^|[-_./])(dev|devel|develop|development|test|tests|testing|doc|docs|lint|ci|local|debug|typing|mypy)([-_.]|$)`)

// pyRequirementsRank orders requirements files by pyRequirementsPreference;
// development files rank 1000 and are never installed.
func pyRequirementsRank(f string) int {
	for i, p := range pyRequirementsPreference {
		if p == f {
			return i
		}
	}
	if pyDevRequirements.MatchString(path.Base(f)) {
		return 1000
	}
	return 100
}

// pyRequirementsCandidates lists the requirements files that could be the
// app's, best first.
func pyRequirementsCandidates(fsys fs.FS) []string {
	var all []string
	if ents, err := fs.ReadDir(fsys, "."); err == nil {
		for _, e := range ents {
			if pyIsRequirementsName(e.Name()) && e.Type().IsRegular() {
				all = append(all, e.Name())
			}
		}
	}
	all = append(all, pyRequirementsInDir(fsys, "requirements")...)
	rank := pyRequirementsRank
	sort.SliceStable(all, func(i, j int) bool {
		ri, rj := rank(all[i]), rank(all[j])
		if ri != rj {
			return ri < rj
		}
		return all[i] < all[j]
	})
	var out []string
	for _, f := range all {
		if rank(f) < 1000 {
			out = append(out, f)
		}
	}
	return out
}

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

// pyPMCandidate is one package manager the repository shows evidence of.
type pyPMCandidate struct {
	name string
	ev   facts.Evidence
}

// packageManager picks the package manager: from answers["packageManager"],
// else the only one with evidence, else a Choice defaulting to the first in
// pythonManagerOrder (a safe default: each lockfile pins the same
// dependencies, and the stricter tool is preferred).
func (s *pyScan) packageManager() error {
	m := s.m
	var cands []pyPMCandidate
	add := func(name, file, detail string, line int) {
		for _, c := range cands {
			if c.name == name {
				return
			}
		}
		cands = append(cands, pyPMCandidate{name, facts.Evidence{File: file, Line: line, Detail: detail}})
	}
	if m.hasUVLock {
		add("uv", "uv.lock", "uv.lock", 0)
	}
	if m.hasPoetryLock {
		add("poetry", "poetry.lock", "poetry.lock", 0)
	} else if pyT(m.pyproject, "tool", "poetry") != nil {
		add("poetry", "pyproject.toml", "[tool.poetry]", pyLineOf(m.pyprojectData, "[tool.poetry"))
	}
	if m.hasPDMLock {
		add("pdm", "pdm.lock", "pdm.lock", 0)
	}
	if m.hasPipfileLock {
		add("pipenv", "Pipfile.lock", "Pipfile.lock", 0)
	} else if m.hasPipfile {
		add("pipenv", "Pipfile", "Pipfile", 0)
	}
	if len(m.requirements) > 0 {
		add("pip", m.requirements[0], m.requirements[0], 0)
	}
	if len(cands) == 0 {
		switch {
		case m.hasPyproject:
			add("pip", "pyproject.toml", "pyproject.toml without a lockfile: pip install .", 0)
		case m.hasSetupPy:
			add("pip", "setup.py", "setup.py: pip install .", 0)
		case m.hasSetupCfg:
			add("pip", "setup.cfg", "setup.cfg: pip install .", 0)
		default:
			add("pip", "", "no dependency manifest: only the standard library", 0)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return pyPMRank(cands[i].name) < pyPMRank(cands[j].name) })
	if m.hasUVLock && !m.hasPyproject {
		s.det.Problemf("uv.lock", "found without pyproject.toml, which uv sync needs; commit pyproject.toml")
	}

	chosen := cands[0]
	if want := s.answers["packageManager"]; want != "" {
		found := false
		for _, c := range cands {
			if c.name == want {
				chosen, found = c, true
			}
		}
		if !found {
			var names []string
			for _, c := range cands {
				names = append(names, c.name)
			}
			if pyPMRank(want) == len(pythonManagerOrder) {
				return fmt.Errorf("--package-manager %s: not a Python package manager; use one of %s", want, strings.Join(pythonManagerOrder, ", "))
			}
			if want == "pip" && (m.hasPyproject || m.hasSetupPy) {
				chosen = pyPMCandidate{"pip", facts.Evidence{File: "pyproject.toml", Detail: "pip install ."}}
				if !m.hasPyproject {
					chosen.ev.File = "setup.py"
				}
			} else {
				return fmt.Errorf("--package-manager %s: the repository has no %s files (found: %s); pass one of those or add the %s lockfile", want, want, strings.Join(names, ", "), want)
			}
		}
		s.det.Cite("packageManager", chosen.ev.File, chosen.ev.Line, chosen.ev.Detail+" (packageManager = "+want+")")
	} else {
		s.det.Cite("packageManager", chosen.ev.File, chosen.ev.Line, chosen.ev.Detail)
		if len(cands) > 1 {
			var opts []facts.Option
			for _, c := range cands {
				ev := c.ev
				opts = append(opts, facts.Option{Value: c.name, Label: "install with " + c.name + " from " + c.ev.File, Evidence: &ev})
			}
			s.det.AddChoice(facts.Choice{
				Key:      "packageManager",
				Question: "Several Python dependency files were found. Which package manager installs the app?",
				Options:  opts,
				Default:  cands[0].name,
				Safe:     true,
				Reason:   "dgen prefers uv > poetry > pdm > pipenv > pip: the stricter lock wins",
				Flag:     "--package-manager",
			})
		}
	}
	s.det.PackageManager = chosen.name
	s.managerVersion()
	return nil
}

func pyPMRank(name string) int {
	for i, n := range pythonManagerOrder {
		if n == name {
			return i
		}
	}
	return len(pythonManagerOrder)
}

var pyPoetryLockHeader = regexp.MustCompile(`@generated by Poetry (\d+\.\d+(?:\.\d+)?)`)

// managerVersion reads the exact tool version a repository pins: uv's
// [tool.uv] required-version, Poetry's lock header. A range is checked
// against the version dgen installs.
func (s *pyScan) managerVersion() {
	det, m := s.det, s.m
	switch det.PackageManager {
	case "uv":
		rv, _ := pyT(m.pyproject, "tool", "uv", "required-version").(string)
		if rv == "" {
			return
		}
		line := pyLineOf(m.pyprojectData, "required-version")
		if v, ok := pyExactVersion(rv); ok {
			det.PackageManagerVersion = v
			det.Cite("packageManagerVersion", "pyproject.toml", line, "[tool.uv] required-version = "+rv)
			return
		}
		r, err := parsePyRange(rv)
		if err != nil {
			det.Problemf("pyproject.toml", "[tool.uv] required-version %q: %v", rv, err)
			return
		}
		if !r.allows(mustPyVersion(catalog.UVVersion)) {
			det.Notef("pyproject.toml: [tool.uv] required-version %q excludes uv %s, which dgen installs; pin an exact version there (required-version = \"==X.Y.Z\") and dgen uses it", rv, catalog.UVVersion)
		}
	case "poetry":
		if req, _ := pyT(m.pyproject, "tool", "poetry", "requires-poetry").(string); req != "" {
			if r, err := parsePyRange(req); err == nil && !r.allows(mustPyVersion(catalog.PoetryVersion)) {
				det.Notef("pyproject.toml: [tool.poetry] requires-poetry %q excludes Poetry %s, which dgen installs", req, catalog.PoetryVersion)
			}
		}
		if !m.hasPoetryLock {
			return
		}
		data, err := repo.ReadPrefix(s.fsys, "poetry.lock", 4096)
		if err != nil {
			det.Problemf("poetry.lock", "cannot read it: %v", err)
			return
		}
		mm := pyPoetryLockHeader.FindSubmatch(data)
		if mm == nil {
			return
		}
		v := string(mm[1])
		pv, err := pyVersion(v)
		if err != nil {
			return
		}
		if pv.LessThan(mustPyVersion("1.2.0")) {
			det.Notef("poetry.lock was written by Poetry %s, which has no `install --only`; dgen installs Poetry %s instead (run `poetry lock` with it to refresh the lockfile)", v, catalog.PoetryVersion)
			return
		}
		det.PackageManagerVersion = v
		det.Cite("packageManagerVersion", "poetry.lock", repo.LineAt(data, strings.Index(string(data), "@generated")), "@generated by Poetry "+v)
	}
}

// dependencies collects the runtime dependencies from the chosen manager's
// files, records the manifests to copy and whether the install needs the
// source.
func (s *pyScan) dependencies() {
	m, f := s.m, s.facts
	switch s.det.PackageManager {
	case "uv":
		f.Manifests = append(f.Manifests, "pyproject.toml", "uv.lock")
		f.Locked = m.hasUVLock
		s.projectDeps()
		s.uvLockDeps()
		f.Installable = s.uvPackaged()
		s.workspaceMembers()
	case "poetry":
		f.Manifests = append(f.Manifests, "pyproject.toml")
		if m.hasPoetryLock {
			f.Manifests = append(f.Manifests, "poetry.lock")
			f.Locked = true
		} else {
			s.det.Notef("no poetry.lock: Poetry resolves the dependencies at build time, so two builds may install different versions; run `poetry lock` and commit poetry.lock")
		}
		s.projectDeps()
		s.poetryDeps()
		s.lockDeps("poetry.lock", func(pkg map[string]any) bool {
			if groups, ok := pkg["groups"].([]any); ok {
				for _, g := range groups {
					if g == "main" {
						return true
					}
				}
				return false
			}
			if cat, ok := pkg["category"].(string); ok {
				return cat == "main"
			}
			return true
		})
		mode, hasMode := pyT(m.pyproject, "tool", "poetry", "package-mode").(bool)
		f.Installable = !hasMode || mode
	case "pdm":
		f.Manifests = append(f.Manifests, "pyproject.toml", "pdm.lock")
		f.Locked = true
		s.projectDeps()
		s.lockDeps("pdm.lock", func(pkg map[string]any) bool {
			groups, ok := pkg["groups"].([]any)
			if !ok {
				return true
			}
			for _, g := range groups {
				if g == "default" {
					return true
				}
			}
			return false
		})
		dist, hasDist := pyT(m.pyproject, "tool", "pdm", "distribution").(bool)
		f.Installable = pyT(m.pyproject, "build-system") != nil && (!hasDist || dist)
	case "pipenv":
		f.Manifests = append(f.Manifests, "Pipfile")
		if m.hasPipfileLock {
			f.Manifests = append(f.Manifests, "Pipfile.lock")
			f.Locked = true
		} else {
			s.det.Notef("no Pipfile.lock: pipenv resolves the dependencies at build time, so two builds may install different versions; run `pipenv lock` and commit Pipfile.lock")
		}
		s.pipfileDeps()
		f.Installable = m.hasSetupPy || pyT(m.pyproject, "build-system") != nil
	case "pip":
		if len(m.requirements) > 0 {
			req := m.requirements[0]
			f.Requirements = req
			s.readRequirements(req, 0, false)
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
		} else {
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
	}
	if s.det.PackageManager != "pip" {
		s.ignoredRequirements()
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

// lockDeps reads [[package]] names from a TOML lockfile, keeping those
// keep accepts (runtime groups).
func (s *pyScan) lockDeps(file string, keep func(map[string]any) bool) {
	data, ok := pyRead(s.fsys, s.det, file)
	if !ok {
		return
	}
	var lock map[string]any
	if err := toml.Unmarshal(data, &lock); err != nil {
		s.det.Problemf(file, "not valid TOML: %v; regenerate the lockfile", pyTOMLErr(err))
		return
	}
	for _, p := range pyTSlice(lock["package"]) {
		pkg, _ := p.(map[string]any)
		name, _ := pkg["name"].(string)
		if name == "" || !keep(pkg) {
			continue
		}
		s.addDep(name, file, pyLineOf(data, `name = "`+name+`"`))
		if src, ok := pkg["source"].(map[string]any); ok {
			if u, _ := src["url"].(string); u != "" {
				if t, _ := src["type"].(string); t == "legacy" {
					s.addIndex(u, file, pyLineOf(data, u))
				}
			}
		}
	}
}

// uvLockDeps walks uv.lock from the project's own package through its
// runtime dependencies (not dev-dependencies), so only what `uv sync
// --no-dev` installs counts.
func (s *pyScan) uvLockDeps() {
	if !s.m.hasUVLock {
		s.det.Notef("no uv.lock: uv resolves the dependencies at build time; run `uv lock` and commit uv.lock (dgen's install uses --locked)")
		return
	}
	data, ok := pyRead(s.fsys, s.det, "uv.lock")
	if !ok {
		return
	}
	var lock map[string]any
	if err := toml.Unmarshal(data, &lock); err != nil {
		s.det.Problemf("uv.lock", "not valid TOML: %v; run `uv lock` to rewrite it", pyTOMLErr(err))
		return
	}
	pkgs := map[string]map[string]any{}
	var roots []string
	for _, p := range pyTSlice(lock["package"]) {
		pkg, _ := p.(map[string]any)
		name, _ := pkg["name"].(string)
		if name == "" {
			continue
		}
		pkgs[pyNormalize(name)] = pkg
		if src, ok := pkg["source"].(map[string]any); ok {
			if v, _ := src["editable"].(string); v != "" {
				roots = append(roots, pyNormalize(name))
			} else if v, _ := src["virtual"].(string); v != "" {
				roots = append(roots, pyNormalize(name))
			} else if reg, _ := src["registry"].(string); reg != "" {
				s.addIndex(reg, "uv.lock", pyLineOf(data, reg))
			}
		}
	}
	// Walk the graph by (package, extra): uvicorn[standard] brings more
	// than uvicorn.
	type node struct{ name, extra string }
	seen := map[node]bool{}
	var queue []node
	for _, r := range roots {
		queue = append(queue, node{r, ""})
	}
	follow := func(list any) {
		for _, d := range pyTSlice(list) {
			dm, _ := d.(map[string]any)
			dn, _ := dm["name"].(string)
			if dn == "" {
				continue
			}
			queue = append(queue, node{pyNormalize(dn), ""})
			for _, ex := range pyTStrings(dm["extra"]) {
				queue = append(queue, node{pyNormalize(dn), ex})
			}
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if seen[n] {
			continue
		}
		seen[n] = true
		pkg := pkgs[n.name]
		if pkg == nil {
			continue
		}
		if n.extra != "" {
			follow(pyTMap(pkg["optional-dependencies"])[n.extra])
			continue
		}
		if !pyContains(roots, n.name) {
			s.addDep(n.name, "uv.lock", pyLineOf(data, `name = "`+n.name+`"`))
		}
		follow(pkg["dependencies"])
	}
}

// uvPackaged reports whether uv installs the project itself: it has a
// [build-system] and does not say [tool.uv] package = false.
func (s *pyScan) uvPackaged() bool {
	if pkg, ok := pyT(s.m.pyproject, "tool", "uv", "package").(bool); ok {
		return pkg
	}
	return pyT(s.m.pyproject, "build-system") != nil
}

// workspaceMembers adds each uv workspace member's pyproject.toml to the
// manifests: `uv sync --locked` refuses to run without them.
func (s *pyScan) workspaceMembers() {
	members := pyTStrings(pyT(s.m.pyproject, "tool", "uv", "workspace", "members"))
	for _, pat := range members {
		matches, err := fs.Glob(s.fsys, path.Join(pat, "pyproject.toml"))
		if err != nil {
			s.det.Problemf("pyproject.toml", "[tool.uv.workspace] members %q: %v", pat, err)
			continue
		}
		s.facts.Manifests = append(s.facts.Manifests, matches...)
	}
	if len(members) > 0 {
		s.det.Notef("uv workspace: each member's pyproject.toml is copied before the install so `uv sync --locked` can check the lock")
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

// pyMaxRequirementsDepth bounds -r includes (a loop is cut, not followed).
const pyMaxRequirementsDepth = 5

// readRequirements reads a pip requirements file: requirements, -r and -c
// includes (copied too, keeping their paths), index options, and local
// paths that make the install need the source.
func (s *pyScan) readRequirements(name string, depth int, constraintsOnly bool) {
	if depth > pyMaxRequirementsDepth || pyContains(s.facts.Manifests, name) {
		return
	}
	data, ok := pyRead(s.fsys, s.det, name)
	if !ok {
		if depth > 0 {
			s.det.Problemf(name, "included by another requirements file but missing")
		}
		return
	}
	if pyBinary(data) {
		s.det.Problemf(name, "holds binary data, not requirements; it is ignored: fix it or remove it")
		return
	}
	s.facts.Manifests = append(s.facts.Manifests, name)
	dir := path.Dir(name)
	var logical strings.Builder
	start := 0
	repo.Lines(data, func(n int, l string) bool {
		if logical.Len() == 0 {
			start = n
		}
		if strings.HasSuffix(l, "\\") {
			logical.WriteString(strings.TrimSuffix(l, "\\") + " ")
			return true
		}
		logical.WriteString(l)
		line := logical.String()
		logical.Reset()
		s.requirementLine(name, dir, start, line, depth, constraintsOnly)
		return true
	})
}

var pyReqComment = regexp.MustCompile(`(^|\s)#.*$`)

func (s *pyScan) requirementLine(file, dir string, n int, line string, depth int, constraintsOnly bool) {
	line = strings.TrimSpace(pyReqComment.ReplaceAllString(line, ""))
	if line == "" {
		return
	}
	fields := strings.Fields(line)
	opt, arg := fields[0], ""
	if strings.HasPrefix(opt, "-") {
		if k, v, ok := strings.Cut(opt, "="); ok {
			opt, arg = k, v
		} else if len(fields) > 1 {
			arg = fields[1]
		} else if len(opt) > 2 && opt[1] != '-' {
			opt, arg = opt[:2], opt[2:]
		}
		switch opt {
		case "-r", "--requirement", "-c", "--constraint":
			inc := path.Clean(path.Join(dir, arg))
			if strings.Contains(arg, "://") || strings.HasPrefix(inc, "../") || path.IsAbs(arg) {
				s.det.Problemf(file, "line %d: %s %s is outside the repository; dgen cannot copy it", n, opt, arg)
				return
			}
			s.readRequirements(inc, depth+1, constraintsOnly || opt == "-c" || opt == "--constraint")
		case "-e", "--editable":
			if pyLocalPath(arg) {
				s.needsSource(file, n, line)
			} else {
				s.addDep(arg, file, n)
			}
		case "-i", "--index-url", "--extra-index-url":
			s.addIndex(arg, file, n)
		case "-f", "--find-links":
			if pyLocalPath(arg) || !strings.Contains(arg, "://") {
				s.needsSource(file, n, line)
			} else {
				s.addIndex(arg, file, n)
			}
		}
		return
	}
	if pyLocalPath(fields[0]) {
		s.needsSource(file, n, line)
		return
	}
	if _, _, ok := parsePyRequirement(line); !ok {
		s.det.Problemf(file, "line %d: %q is not a requirement pip understands; fix it", n, pyShorten(line))
		return
	}
	if !constraintsOnly {
		s.addDep(line, file, n)
	}
}

// pyShorten cuts s for a message.
func pyShorten(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

func (s *pyScan) needsSource(file string, n int, line string) {
	if !s.facts.InstallWithSource {
		s.det.Notef("%s:%d: %q installs a local path, so the install runs after the source is copied (dependency layers are rebuilt on every source change)", file, n, line)
	}
	s.facts.InstallWithSource = true
}

// pyLocalPath reports whether a requirement names a local path rather than
// a package or URL.
func pyLocalPath(s string) bool {
	return s == "." || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") ||
		strings.HasPrefix(s, "/") || strings.HasPrefix(s, "file:") ||
		strings.HasSuffix(s, ".whl") || strings.HasSuffix(s, ".tar.gz") || strings.HasSuffix(s, ".zip")
}

// pyPublicIndexes need no credentials.
var pyPublicIndexes = map[string]bool{
	"pypi.org": true, "pypi.python.org": true, "files.pythonhosted.org": true,
	"test.pypi.org": true, "download.pytorch.org": true,
}

// addIndex records a package index. One that is not a public index may
// need credentials: the install step mounts a netrc secret for it. An
// index URL with credentials in it is a leak, said in a Note.
func (s *pyScan) addIndex(raw, file string, line int) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		if strings.Contains(raw, "${") {
			host := pyHostOf(raw)
			s.det.Notef("%s:%d: the index URL expands environment variables (%s); dgen mounts ~/.netrc as a build secret instead, so put the credentials there and drop them from the URL", file, line, raw)
			if !pyContains(s.facts.PrivateIndexes, host) {
				s.det.Cite("privateIndex", file, line, host)
			}
			s.facts.PrivateIndexes = append(s.facts.PrivateIndexes, host)
		}
		return
	}
	host := u.Hostname()
	if pyPublicIndexes[host] {
		return
	}
	if u.User != nil {
		if _, hasPass := u.User.Password(); hasPass || strings.Contains(u.User.String(), "${") {
			s.det.Notef("%s:%d: the index URL for %s carries credentials; they end up in the build context and the build stage's layers. Move them to ~/.netrc (machine %s login … password …) and build with --secret id=netrc,src=$HOME/.netrc", file, line, host, host)
		}
	}
	if !pyContains(s.facts.PrivateIndexes, host) {
		s.det.Cite("privateIndex", file, line, host)
	}
	s.facts.PrivateIndexes = append(s.facts.PrivateIndexes, host)
}

// pyHostOf extracts a host from an index URL that may hold ${VARS}.
func pyHostOf(raw string) string {
	h := raw
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	if i := strings.LastIndex(h, "@"); i >= 0 {
		h = h[i+1:]
	}
	if i := strings.IndexAny(h, "/:"); i >= 0 {
		h = h[:i]
	}
	return h
}

// privateIndexes reads the index declarations of every manager: Poetry
// sources, uv indexes, PDM sources, Pipfile sources.
func (s *pyScan) privateIndexes() {
	m := s.m
	for _, src := range pyTSlice(pyT(m.pyproject, "tool", "poetry", "source")) {
		if u, _ := pyTMap(src)["url"].(string); u != "" {
			s.addIndex(u, "pyproject.toml", pyLineOf(m.pyprojectData, u))
		}
	}
	for _, src := range pyTSlice(pyT(m.pyproject, "tool", "uv", "index")) {
		if u, _ := pyTMap(src)["url"].(string); u != "" {
			s.addIndex(u, "pyproject.toml", pyLineOf(m.pyprojectData, u))
		}
	}
	if u, _ := pyT(m.pyproject, "tool", "uv", "index-url").(string); u != "" {
		s.addIndex(u, "pyproject.toml", pyLineOf(m.pyprojectData, u))
	}
	for _, u := range pyTStrings(pyT(m.pyproject, "tool", "uv", "extra-index-url")) {
		s.addIndex(u, "pyproject.toml", pyLineOf(m.pyprojectData, u))
	}
	for _, src := range pyTSlice(pyT(m.pyproject, "tool", "pdm", "source")) {
		if u, _ := pyTMap(src)["url"].(string); u != "" {
			s.addIndex(u, "pyproject.toml", pyLineOf(m.pyprojectData, u))
		}
	}
	if s.det.PackageManager == "pipenv" {
		for _, src := range pyTSlice(pyT(m.pipfile, "source")) {
			if u, _ := pyTMap(src)["url"].(string); u != "" {
				s.addIndex(u, "Pipfile", pyLineOf(m.pipfileData, u))
			}
		}
	}
}

// pyT walks nested TOML tables; nil when any step is missing.
func pyT(m map[string]any, keys ...string) any {
	var cur any = m
	for _, k := range keys {
		t, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = t[k]
	}
	return cur
}

func pyTMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func pyTSlice(v any) []any {
	switch s := v.(type) {
	case []any:
		return s
	case []map[string]any:
		out := make([]any, len(s))
		for i := range s {
			out[i] = s[i]
		}
		return out
	}
	return nil
}

// pyTStrings returns the strings of a TOML array (a single string counts as
// one), skipping other values.
func pyTStrings(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	var out []string
	for _, e := range pyTSlice(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func pyContains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}
