package node

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"go.yaml.in/yaml/v3"
)

// npmNameRe is what npm accepts as a package name (old names may hold
// capitals); nothing in it means anything to a shell.
var npmNameRe = regexp.MustCompile(`^(?:@[A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*$`)

// workspace is a detected workspace with what this package reads of each
// of its packages.
type workspace struct {
	*facts.NodeWorkspace
	// manifests are the packages' package.json, by folder.
	manifests map[string]*packageJSON
	// badName holds the folders whose package name npm would not accept.
	badName map[string]bool
}

// detectWorkspace reads the workspace declaration at the root, or returns
// nil when the repository is not a workspace.
func detectWorkspace(fsys fs.FS, root *packageJSON, det *facts.Detection) *workspace {
	var globs []string
	ws := &workspace{NodeWorkspace: &facts.NodeWorkspace{}, manifests: map[string]*packageJSON{}, badName: map[string]bool{}}
	switch {
	case repo.IsFile(fsys, "pnpm-workspace.yaml"):
		ws.Tool = facts.NodePNPM
		data, err := repo.ReadFile(fsys, "pnpm-workspace.yaml")
		if err != nil {
			det.Problemf("pnpm-workspace.yaml", "cannot read: %v", err)
			return nil
		}
		var doc struct {
			Packages []string `yaml:"packages"`
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			det.Problemf("pnpm-workspace.yaml", "invalid YAML: %v; the workspace is ignored", err)
			return nil
		}
		globs = doc.Packages
		if len(globs) == 0 {
			// pnpm's default when packages is omitted: every folder.
			globs = []string{"**"}
		}
		det.Cite("workspace", "pnpm-workspace.yaml", 0, "packages: "+strings.Join(globs, ", "))
	case root.HasWorkspaces:
		ws.Tool = facts.NodeNPM
		globs = root.Workspaces
		root.cite(det, "workspace", "", "workspaces", `"workspaces": `+strings.Join(globs, ", "))
	case repo.IsFile(fsys, "lerna.json"):
		data, err := repo.ReadFile(fsys, "lerna.json")
		if err != nil {
			det.Problemf("lerna.json", "cannot read: %v", err)
			return nil
		}
		var doc struct {
			Packages []string `yaml:"packages"`
		}
		// JSON is YAML: the YAML decoder reads it without a second parser.
		if err := yaml.Unmarshal(data, &doc); err != nil {
			det.Problemf("lerna.json", "invalid JSON: %v; ignored", err)
			return nil
		}
		if len(doc.Packages) == 0 {
			doc.Packages = []string{"packages/*"}
		}
		ws.Tool = "lerna"
		globs = doc.Packages
		det.Cite("workspace", "lerna.json", 0, "packages: "+strings.Join(globs, ", "))
	default:
		return nil
	}
	// turbo and nx run from node_modules: without the dependency, the
	// image build would have to download them, so the plain workspace
	// build is used.
	for _, t := range []struct {
		file, dep string
		set       *bool
	}{{"turbo.json", "turbo", &ws.Turbo}, {"nx.json", "nx", &ws.Nx}} {
		if !repo.IsFile(fsys, t.file) {
			continue
		}
		if *t.set = root.has(t.dep); !*t.set {
			det.Notef("%s is present but %s is not a dependency of the root package.json: the image builds each package with the package manager instead (add %s to devDependencies to build through it)", t.file, t.dep, t.dep)
		}
	}
	ws.Lerna = repo.IsFile(fsys, "lerna.json")

	include, exclude := splitGlobs(globs)
	_ = repo.Walk(fsys, ".", func(p string, d fs.DirEntry) error {
		if d.Name() != "package.json" || p == "package.json" {
			return nil
		}
		dir := path.Dir(p)
		if !matchAny(include, dir) || matchAny(exclude, dir) {
			return nil
		}
		if !safePath(dir) {
			det.Problemf(p, "folder name has characters dgen will not write into a Dockerfile; package skipped")
			return nil
		}
		pkg, err := readPackageJSON(fsys, p, det)
		if err != nil {
			det.Problemf(p, "%v", err)
			return nil
		}
		wp := facts.NodeWorkspacePackage{Dir: dir, Name: pkg.Name, HasBuild: pkg.Scripts["build"] != ""}
		ws.manifests[dir] = pkg
		if wp.Name == "" {
			wp.Name = path.Base(dir)
		}
		if npmNameRe.MatchString(wp.Name) {
			wp.Deployable, wp.Why = deployable(fsys, dir, pkg)
		} else {
			// The name goes into build commands (--filter <name>): a name
			// npm would not accept is never written into one.
			det.Problemf(p, "%q is not a valid npm package name; the package is installed but is not offered as the app", wp.Name)
			wp.HasBuild, ws.badName[dir] = false, true
		}
		ws.Packages = append(ws.Packages, wp)
		return nil
	})
	sort.Slice(ws.Packages, func(i, j int) bool { return ws.Packages[i].Dir < ws.Packages[j].Dir })
	if len(ws.Packages) == 0 {
		det.Notef("the workspace declares %s but no package.json matches; building the root package", strings.Join(globs, ", "))
		return nil
	}
	return ws
}

// deployable reports whether a workspace package is an app rather than a
// library, and why.
func deployable(fsys fs.FS, dir string, pkg *packageJSON) (bool, string) {
	if pkg.has("storybook") && pkg.Scripts["start"] == "" && (pkg.Scripts["build"] == "" || strings.Contains(pkg.Scripts["build"], "storybook")) {
		// A Storybook package is a component catalogue for developers,
		// not the app (its Vite index.html would say otherwise).
		return false, ""
	}
	for _, fw := range []struct{ dep, name string }{
		{"next", "Next.js"}, {"nuxt", "Nuxt"}, {"@sveltejs/kit", "SvelteKit"},
		{"astro", "Astro"}, {"@remix-run/serve", "Remix"}, {"@remix-run/node", "Remix"},
		{"@react-router/serve", "React Router"}, {"@nestjs/core", "NestJS"},
		{"@angular/core", "Angular"}, {"react-scripts", "Create React App"},
		{"@vue/cli-service", "Vue CLI"},
	} {
		if pkg.has(fw.dep) {
			return true, fw.name
		}
	}
	if s := pkg.Scripts["start"]; s != "" {
		return true, "scripts.start"
	}
	if pkg.has("vite") && repo.IsFile(fsys, path.Join(dir, "index.html")) {
		return true, "Vite app (index.html)"
	}
	for _, srv := range []string{"express", "fastify", "koa", "hono", "@hono/node-server"} {
		if pkg.hasProd(srv) {
			return true, srv + " server"
		}
	}
	return false, ""
}

// matchAny reports whether dir matches one of the workspace globs.
func matchAny(globs []string, dir string) bool {
	for _, g := range globs {
		if globMatch(strings.Split(g, "/"), strings.Split(dir, "/")) {
			return true
		}
	}
	return false
}

// globMatch matches path segments against pattern segments, where "**"
// matches any number of segments and other segments use path.Match.
func globMatch(pat, segs []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			if len(pat) == 1 {
				return true
			}
			for i := 0; i <= len(segs); i++ {
				if globMatch(pat[1:], segs[i:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, err := path.Match(pat[0], segs[0]); err != nil || !ok {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0
}

// chooseApp settles which workspace app is built: the answer, or a
// Choice whose safe default is the package the root scripts delegate to,
// else the only deployable package. Packages under examples/, docs/,
// test*/ and e2e/ are never offered. It returns the chosen package or nil.
func chooseApp(root *packageJSON, ws *workspace, det *facts.Detection, answers facts.Answers) (*facts.NodeWorkspacePackage, error) {
	if a := answers["app"]; a != "" {
		want := strings.TrimSuffix(strings.TrimPrefix(path.Clean(strings.TrimSpace(a)), "./"), "/")
		for i := range ws.Packages {
			p := &ws.Packages[i]
			if (p.Dir == want || p.Name == a) && !ws.badName[p.Dir] {
				det.Cite("app", path.Join(p.Dir, "package.json"), 0, "chosen app "+p.Dir+" ("+p.Name+")")
				return p, nil
			}
		}
		var dirs []string
		for _, p := range ws.Packages {
			dirs = append(dirs, p.Dir)
		}
		return nil, fmt.Errorf("app %q is not a package of this workspace; the workspace packages are %s (pass --app with one of them)", a, strings.Join(dirs, ", "))
	}
	apps, candidates, ranked, rankedOK := appCandidates(root, ws)
	var opts []facts.Option
	for _, p := range candidates {
		label := p.Name
		if p.Why != "" {
			label += " (" + p.Why + ")"
		}
		opts = append(opts, facts.Option{Value: p.Dir, Label: label, Evidence: &facts.Evidence{File: path.Join(p.Dir, "package.json"), Detail: p.Why}})
	}
	c := facts.Choice{
		Key:      "app",
		Question: "This is a workspace with several packages. Which app should the image run?",
		Options:  opts,
		Flag:     "--app",
	}
	switch {
	case rankedOK:
		c.Default, c.Safe = ranked.dir, true
		c.Reason = fmt.Sprintf("the root package.json's scripts.%s (%s) runs it", ranked.script, ranked.text)
	case len(apps) == 1:
		c.Default, c.Safe = apps[0].Dir, true
		c.Reason = "the only workspace package that is an app (" + apps[0].Why + "); the others are libraries"
	case len(apps) == 0:
		c.Reason = "no workspace package has a start script or an app framework"
	default:
		c.Reason = "several workspace packages are apps"
	}
	det.AddChoice(c)
	return nil, nil
}

// appCandidates returns the deployable packages outside examples/, docs/,
// test*/ and e2e/, the packages to offer (the apps; every package when
// none is an app; the ranked package as well), and the package the root
// scripts delegate to when they name one.
func appCandidates(root *packageJSON, ws *workspace) (apps, candidates []*facts.NodeWorkspacePackage, ranked delegation, rankedOK bool) {
	for i := range ws.Packages {
		if ws.Packages[i].Deployable && !excludedDir(ws.Packages[i].Dir) {
			apps = append(apps, &ws.Packages[i])
		}
	}
	ranked, rankedOK = rankedApp(root, ws)
	if len(apps) > 0 && !rankedOK {
		return apps, apps, ranked, rankedOK
	}
	for i := range ws.Packages {
		p := &ws.Packages[i]
		if !ws.badName[p.Dir] && !excludedDir(p.Dir) && (p.Deployable || len(apps) == 0 || p.Dir == ranked.dir) {
			candidates = append(candidates, p)
		}
	}
	return apps, candidates, ranked, rankedOK
}

// appDeps returns the workspace packages app depends on, transitively,
// dependencies before dependents.
func appDeps(ws *workspace, app *facts.NodeWorkspacePackage) []facts.NodeWorkspacePackage {
	byName := map[string]*facts.NodeWorkspacePackage{}
	for i := range ws.Packages {
		byName[ws.Packages[i].Name] = &ws.Packages[i]
	}
	var out []facts.NodeWorkspacePackage
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(p *facts.NodeWorkspacePackage)
	visit = func(p *facts.NodeWorkspacePackage) {
		if state[p.Name] != 0 {
			return
		}
		state[p.Name] = 1
		for _, d := range ws.manifests[p.Dir].allDeps() {
			if dep, ok := byName[d]; ok && dep != p && !ws.badName[dep.Dir] {
				visit(dep)
			}
		}
		state[p.Name] = 2
		if p != app {
			out = append(out, *p)
		}
	}
	visit(app)
	return out
}

// WorkspaceRoot finds the workspace that holds the package in dir, for
// a --dir that points into a monorepo: it looks at dir's parents, nearest
// first, for one whose pnpm-workspace.yaml, package.json "workspaces" or
// lerna.json includes dir. It returns that folder (the build context) and
// dir relative to it (the answer to the "app" choice). dir and root are
// slash-separated paths in fsys ("." is its top). ok is false when dir
// holds no package.json or no parent declares it as a workspace package.
func WorkspaceRoot(fsys fs.FS, dir string) (root, app string, ok bool) {
	dir = path.Clean(dir)
	if dir == "." || !repo.IsFile(fsys, path.Join(dir, "package.json")) {
		return "", "", false
	}
	for parent := path.Dir(dir); ; parent = path.Dir(parent) {
		rel := dir
		if parent != "." {
			rel = strings.TrimPrefix(dir, parent+"/")
		}
		if include, exclude := workspaceGlobs(fsys, parent); matchAny(include, rel) && !matchAny(exclude, rel) {
			return parent, rel, true
		}
		if parent == "." || parent == "/" {
			return "", "", false
		}
	}
}

// workspaceGlobs reads the workspace globs declared in folder dir, split
// into included and excluded (!glob) patterns; none when it declares no
// workspace or cannot be read.
func workspaceGlobs(fsys fs.FS, dir string) (include, exclude []string) {
	var globs []string
	scratch := &facts.Detection{}
	switch {
	case repo.IsFile(fsys, path.Join(dir, "pnpm-workspace.yaml")):
		data, err := repo.ReadFile(fsys, path.Join(dir, "pnpm-workspace.yaml"))
		var doc struct {
			Packages []string `yaml:"packages"`
		}
		if err != nil || yaml.Unmarshal(data, &doc) != nil {
			return nil, nil
		}
		globs = doc.Packages
	case repo.IsFile(fsys, path.Join(dir, "package.json")):
		pkg, err := readPackageJSON(fsys, path.Join(dir, "package.json"), scratch)
		if err != nil {
			return nil, nil
		}
		globs = pkg.Workspaces
		if !pkg.HasWorkspaces && repo.IsFile(fsys, path.Join(dir, "lerna.json")) {
			data, err := repo.ReadFile(fsys, path.Join(dir, "lerna.json"))
			var doc struct {
				Packages []string `yaml:"packages"`
			}
			if err != nil || yaml.Unmarshal(data, &doc) != nil {
				return nil, nil
			}
			globs = doc.Packages
			if len(globs) == 0 {
				globs = []string{"packages/*"}
			}
		}
	}
	return splitGlobs(globs)
}

// splitGlobs separates workspace globs into included and excluded (!glob)
// patterns, without "./" prefixes or trailing slashes.
func splitGlobs(globs []string) (include, exclude []string) {
	for _, g := range globs {
		g = strings.TrimPrefix(strings.TrimSpace(g), "./")
		if strings.HasPrefix(g, "!") {
			exclude = append(exclude, strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(g, "!"), "./"), "/"))
		} else if g != "" {
			include = append(include, strings.TrimSuffix(g, "/"))
		}
	}
	return include, exclude
}
