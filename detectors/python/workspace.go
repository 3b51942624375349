package python

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/pelletier/go-toml/v2"
)

// pyMember is one package of a uv workspace.
type pyMember struct {
	// dir is the member's folder, "." for a root that is a project too.
	dir string
	// name is its [project] name, which uv sync --package takes.
	name string
	// web says why it is a web app ("django", "manage.py"); "" for a
	// library or a worker.
	web string
	m   *pyManifests
}

// pyPackageNameRe is a distribution name dgen writes into a command.
var pyPackageNameRe = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$`)

// pyWebDeps are dependencies that make a workspace member a web app.
var pyWebDeps = []string{
	"django", "fastapi", "flask", "starlette", "litestar", "quart", "sanic", "aiohttp",
	"tornado", "falcon", "bottle", "robyn", "streamlit", "gradio",
	"gunicorn", "uvicorn", "hypercorn", "daphne", "waitress", "granian",
}

// uvMembers lists the members [tool.uv.workspace] declares (members globs
// less exclude globs, each a folder with a pyproject.toml), sorted by
// folder, with the root first when it is a project itself.
func uvMembers(fsys fs.FS, root map[string]any, det *facts.Detection) []pyMember {
	globs := pyTStrings(pyT(root, "tool", "uv", "workspace", "members"))
	if len(globs) == 0 {
		return nil
	}
	var members []pyMember
	if name, _ := pyT(root, "project", "name").(string); name != "" {
		members = append(members, pyMember{dir: ".", name: name})
	}
	excl := pyTStrings(pyT(root, "tool", "uv", "workspace", "exclude"))
	seen := map[string]bool{}
	for _, g := range globs {
		matches, err := fs.Glob(fsys, path.Clean(strings.TrimPrefix(g, "./")))
		if err != nil {
			det.Problemf("pyproject.toml", "[tool.uv.workspace] members %q: %v", g, err)
			continue
		}
		for _, dir := range matches {
			if seen[dir] || dir == "." || pyGlobsMatch(excl, dir) || !repo.IsFile(fsys, path.Join(dir, "pyproject.toml")) {
				continue
			}
			seen[dir] = true
			if err := repo.CheckPath(dir); err != nil {
				det.Problemf(path.Join(dir, "pyproject.toml"), "workspace member skipped: %v", err)
				continue
			}
			members = append(members, pyMember{dir: dir})
		}
	}
	rest := members
	if len(rest) > 0 && rest[0].dir == "." {
		rest = rest[1:]
	}
	slices.SortStableFunc(rest, func(a, b pyMember) int { return strings.Compare(a.dir, b.dir) })
	return members
}

// pyGlobsMatch reports whether dir matches one of the globs.
func pyGlobsMatch(globs []string, dir string) bool {
	for _, g := range globs {
		if ok, _ := path.Match(path.Clean(strings.TrimPrefix(g, "./")), dir); ok {
			return true
		}
	}
	return false
}

// DeclaresMember reports whether the pyproject.toml at the top of fsys
// declares a uv workspace ([tool.uv.workspace] members, with uv.lock
// beside it) that includes app, a slash-separated folder below it with a
// pyproject.toml. The generator
// asks it of each parent of a --dir, as it asks the Node detector, to find
// the build context of a workspace member.
func DeclaresMember(fsys fs.FS, app string) bool {
	app = path.Clean(app)
	if app == "." || !fs.ValidPath(app) || !repo.IsFile(fsys, "pyproject.toml") || !repo.IsFile(fsys, "uv.lock") {
		return false
	}
	data, err := repo.ReadFile(fsys, "pyproject.toml")
	if err != nil {
		return false
	}
	var doc map[string]any
	if toml.Unmarshal(data, &doc) != nil {
		return false
	}
	for _, m := range uvMembers(fsys, doc, &facts.Detection{}) {
		if m.dir == app {
			return true
		}
	}
	return false
}

// workspaceApp settles which package of a uv workspace is built: the
// answer to "app" (a folder or a package name), else the only member that
// is a web app, else the root project when no member is one; otherwise a
// Choice. open is true while the choice is unanswered: Detect then stops,
// and the resolver runs it again with the answer.
func (s *pyScan) workspaceApp() (open bool, err error) {
	want := strings.TrimSpace(s.answers["app"])
	var members []pyMember
	if s.det.PackageManager == "uv" {
		members = uvMembers(s.fsys, s.m.pyproject, s.det)
	}
	if len(members) == 0 {
		if want != "" && want != "." {
			return false, fmt.Errorf("app %q: pyproject.toml declares no uv workspace ([tool.uv.workspace] members, with uv.lock), so there is no member to choose; run dgen in the app's folder instead", want)
		}
		return false, nil
	}
	s.facts.UVWorkspace = true
	for i := range members {
		s.readMember(&members[i])
	}
	if want != "" {
		clean := strings.TrimSuffix(path.Clean(strings.TrimPrefix(want, "./")), "/")
		for i := range members {
			m := &members[i]
			if m.dir == clean || m.name != "" && pyNormalize(m.name) == pyNormalize(want) {
				s.useMember(m, "chosen member "+m.dir+" ("+m.name+")")
				return false, nil
			}
		}
		var dirs []string
		for _, m := range members {
			dirs = append(dirs, m.dir)
		}
		return false, fmt.Errorf("app %q is not a member of this uv workspace; the members are %s (pass --app with one of them)", want, strings.Join(dirs, ", "))
	}
	return s.memberChoice(members), nil
}

// readMember reads a member's pyproject.toml: its name and whether it is
// a web app.
func (s *pyScan) readMember(m *pyMember) {
	if m.dir == "." {
		m.m = s.m
	} else {
		sub, err := fs.Sub(s.fsys, m.dir)
		if err != nil {
			return
		}
		scratch := &facts.Detection{}
		m.m = readPyManifests(sub, scratch)
		for _, pr := range scratch.Problems {
			s.det.Problemf(path.Join(m.dir, pr.File), "%s", pr.Message)
		}
		m.name, _ = pyT(m.m.pyproject, "project", "name").(string)
	}
	if m.name != "" && !pyPackageNameRe.MatchString(m.name) {
		s.det.Problemf(path.Join(m.dir, "pyproject.toml"), "[project] name %q is not a valid package name; the member is not offered as the app", m.name)
		m.name = ""
	}
	if repo.IsFile(s.fsys, path.Join(m.dir, "manage.py")) {
		m.web = "manage.py"
		return
	}
	for _, d := range pyTStrings(pyT(m.m.pyproject, "project", "dependencies")) {
		if n, _, ok := parsePyRequirement(d); ok && slices.Contains(pyWebDeps, n) {
			m.web = n
			return
		}
	}
}

// memberChoice records the "app" choice and reports whether it stays
// open; the root project is built (no choice) when no member is a web
// app and the root is a project.
func (s *pyScan) memberChoice(members []pyMember) bool {
	var web, offered []pyMember
	for _, m := range members {
		if m.name == "" {
			continue
		}
		offered = append(offered, m)
		if m.web != "" {
			web = append(web, m)
		}
	}
	if len(web) == 0 && len(members) > 0 && members[0].dir == "." {
		s.det.Notef("uv workspace: no member is a web app (none depends on a web framework or server), so the root project is built; pass --app <member> to build a member")
		return false
	}
	if len(web) > 0 {
		offered = web
	}
	var opts []facts.Option
	for _, m := range offered {
		label := m.name
		if m.web != "" {
			label += " (" + m.web + ")"
		}
		opts = append(opts, facts.Option{Value: m.dir, Label: label, Evidence: &facts.Evidence{File: path.Join(m.dir, "pyproject.toml"), Detail: m.name}})
	}
	c := facts.Choice{
		Key:      "app",
		Question: "This is a uv workspace with several packages. Which one should the image run?",
		Options:  opts,
		Flag:     "--app",
	}
	switch len(web) {
	case 1:
		c.Default, c.Safe = web[0].dir, true
		c.Reason = "the only workspace member that is a web app (it depends on " + web[0].web + "); the others are libraries or workers"
	case 0:
		c.Reason = "no workspace member depends on a web framework or server"
	default:
		c.Reason = "several workspace members are web apps"
	}
	s.det.AddChoice(c)
	return true
}

// useMember makes m the package built: its dependencies are walked from
// its own entry in uv.lock, and its folder is where the app is detected.
func (s *pyScan) useMember(m *pyMember, why string) {
	s.det.Cite("app", path.Join(m.dir, "pyproject.toml"), 0, why)
	if m.dir == "." {
		return
	}
	s.member = m
	s.facts.Member = m.dir
	s.facts.MemberPackage = m.name
}

// memberDeps reads the chosen member's [project] dependencies and whether
// uv installs it as a package.
func (s *pyScan) memberDeps() {
	m := s.member
	file := path.Join(m.dir, "pyproject.toml")
	for _, d := range pyTStrings(pyT(m.m.pyproject, "project", "dependencies")) {
		s.addDep(d, file, pyLineOf(m.m.pyprojectData, d))
	}
	if pkg, ok := pyT(m.m.pyproject, "tool", "uv", "package").(bool); ok {
		s.facts.Installable = pkg
		return
	}
	s.facts.Installable = pyT(m.m.pyproject, "build-system") != nil
}

// pyMemberScope is what enterMember saved to put back and rebase.
type pyMemberScope struct {
	fsys     fs.FS
	m        *pyManifests
	evidence map[string]facts.Evidence
	problems int
}

// enterMember makes the member's folder the repository the start
// command, the port, the health path and the assets are read from, as if
// dgen ran there; leaveMember puts the workspace root back.
func (s *pyScan) enterMember() (*pyMemberScope, error) {
	sub, err := fs.Sub(s.fsys, s.member.dir)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", s.member.dir, err)
	}
	scope := &pyMemberScope{fsys: s.fsys, m: s.m, evidence: map[string]facts.Evidence{}, problems: len(s.det.Problems)}
	for k, v := range s.det.Evidence {
		scope.evidence[k] = v
	}
	s.fsys, s.m = sub, s.member.m
	return scope, nil
}

// leaveMember restores the workspace root and rewrites what was found in
// the member's folder relative to the root: evidence, problems, the
// assets stage's paths, STATIC_ROOT and the build context's ignored
// folders. ManagePy and the catalogs stay relative to the member, where
// the build steps and the app run (PythonFacts.Member).
func (s *pyScan) leaveMember(scope *pyMemberScope) {
	dir := s.member.dir
	s.fsys, s.m = scope.fsys, scope.m
	join := func(p string) string {
		if p == "" || strings.HasPrefix(p, "/") {
			return p
		}
		return path.Join(dir, p)
	}
	for k, v := range s.det.Evidence {
		if old, ok := scope.evidence[k]; (!ok || old != v) && v.File != "" {
			v.File = join(v.File)
			s.det.Evidence[k] = v
		}
	}
	for i := scope.problems; i < len(s.det.Problems); i++ {
		s.det.Problems[i].File = join(s.det.Problems[i].File)
	}
	for i := range s.det.Writable {
		s.det.Writable[i].Evidence.File = join(s.det.Writable[i].Evidence.File)
	}
	for i := range s.det.Env {
		s.det.Env[i].Evidence.File = join(s.det.Env[i].Evidence.File)
	}
	f := s.facts
	f.AppDir = join(f.AppDir)
	if f.StaticRoot != "" {
		f.StaticRoot = join(f.StaticRoot)
	}
	for i := range f.IgnoreDirs {
		f.IgnoreDirs[i] = join(f.IgnoreDirs[i])
	}
	if f.AssetsDir != "" {
		f.AssetsDir = join(f.AssetsDir)
		f.AssetsOutput = join(f.AssetsOutput)
		for i := range f.AssetsManifests {
			f.AssetsManifests[i] = join(f.AssetsManifests[i])
		}
		f.AssetsLockfile = join(f.AssetsLockfile)
		for i := range f.AssetsManifestDirs {
			f.AssetsManifestDirs[i] = join(f.AssetsManifestDirs[i])
		}
	}
}
