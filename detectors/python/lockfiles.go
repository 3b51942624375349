package python

import (
	"path"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/pelletier/go-toml/v2"
)

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
	if s.member != nil {
		// Only what uv sync --package installs: the member and what it
		// depends on, workspace members included.
		roots = []string{pyNormalize(s.member.name)}
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
// manifests: uv reads every member to load the workspace, and refuses to
// sync without them.
func (s *pyScan) workspaceMembers() {
	if !s.facts.UVWorkspace {
		return
	}
	for _, m := range uvMembers(s.fsys, s.m.pyproject, &facts.Detection{}) {
		if m.dir != "." {
			s.facts.Manifests = append(s.facts.Manifests, path.Join(m.dir, "pyproject.toml"))
		}
	}
	if s.member != nil {
		s.det.Notef("uv workspace: the root pyproject.toml, uv.lock and each member's pyproject.toml are copied before the install, which syncs member %s (uv sync --package %s) without the workspace's own packages first, then with them after the source", s.member.dir, s.member.name)
		return
	}
	s.det.Notef("uv workspace: each member's pyproject.toml is copied before the install so `uv sync --locked` can check the lock; the workspace's own packages are installed after the source")
}
