package python

import (
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
)

// pyFileURLRe is a PEP 508 direct reference to a local path, as PDM
// writes it ("common @ file:///${PROJECT_ROOT}/libs/common") or plainly
// ("file:///${PROJECT_ROOT}/libs/common").
var pyFileURLRe = regexp.MustCompile(`^(?:-e\s+)?(?:([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*@\s*)?file://(?:/\$\{PROJECT_ROOT\}|\{root:uri\})/?(.*)$`)

// pathDependencies finds the local paths the dependency install reads —
// Poetry's {path = "libs/common"}, a PDM file:///${PROJECT_ROOT}/…
// reference, uv's [tool.uv.sources] name = {path = "…"} — and copies them
// before the install, which builds them: without them the install step
// fails. dir is the folder of the pyproject.toml that declares them ("."
// for the root, the member's folder in a uv workspace). A path outside
// the repository is a Problem: the build context cannot reach it.
func (s *pyScan) pathDependencies(dir string, m *pyManifests) {
	if m == nil || m.pyproject == nil {
		return
	}
	file := path.Join(dir, "pyproject.toml")
	found := map[string]string{} // path as written → what declares it
	switch s.det.PackageManager {
	case "poetry":
		deps, _ := pyT(m.pyproject, "tool", "poetry", "dependencies").(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(deps)) {
			if t, ok := deps[name].(map[string]any); ok {
				if p, _ := t["path"].(string); p != "" {
					found[p] = name + " = {path = \"" + p + "\"}"
				}
			}
		}
	case "pdm":
		for _, d := range pyTStrings(pyT(m.pyproject, "project", "dependencies")) {
			if mm := pyFileURLRe.FindStringSubmatch(strings.TrimSpace(d)); mm != nil {
				found[pyOr(mm[2], ".")] = d
			}
		}
	case "uv":
		runtime := map[string]bool{}
		for _, d := range pyTStrings(pyT(m.pyproject, "project", "dependencies")) {
			if n, _, ok := parsePyRequirement(d); ok {
				runtime[n] = true
			}
		}
		srcs, _ := pyT(m.pyproject, "tool", "uv", "sources").(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(srcs)) {
			if t, ok := srcs[name].(map[string]any); ok && runtime[pyNormalize(name)] {
				if p, _ := t["path"].(string); p != "" {
					found[p] = name + " = { path = \"" + p + "\" }"
				}
			}
		}
	}
	for _, raw := range slices.Sorted(maps.Keys(found)) {
		s.addLocalPath(dir, file, raw, found[raw], m.pyprojectData)
	}
}

// addLocalPath records one path dependency, relative to the repository
// root, to copy before the install.
func (s *pyScan) addLocalPath(dir, file, raw, decl string, data []byte) {
	p := path.Clean(path.Join(dir, strings.TrimPrefix(raw, "./")))
	line := pyLineOf(data, raw)
	switch {
	case p == "." || p == path.Clean(dir):
		// The project itself: installed after the source, as always.
		return
	case p == ".." || strings.HasPrefix(p, "../") || strings.HasPrefix(raw, "/"):
		s.det.Problemf(file, "line %d: path dependency %s is outside the repository, which is the build context: the install cannot read it; run dgen in a folder that holds both (a workspace root) or publish the package", line, decl)
		return
	}
	if err := repo.CheckPath(p); err != nil {
		s.det.Problemf(file, "line %d: path dependency %s cannot be written into a Dockerfile: %v", line, decl, err)
		return
	}
	switch {
	case repo.IsDir(s.fsys, p):
		s.facts.LocalPaths = append(s.facts.LocalPaths, p)
	case repo.IsFile(s.fsys, p):
		// A wheel or an sdist in the repository.
		s.facts.Manifests = append(s.facts.Manifests, p)
	default:
		s.det.Problemf(file, "line %d: path dependency %s: %s is not in the repository; the install will fail without it", line, decl, p)
		return
	}
	if _, ok := s.det.Evidence["localPaths"]; !ok {
		s.det.Cite("localPaths", file, line, decl)
	}
	s.det.Notef("%s:%d: path dependency %s: %s is copied before the dependency install, which builds it", file, line, decl, p)
}
