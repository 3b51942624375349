package detectors

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// NodeWorkspace describes a monorepo: the workspace root is the build
// context, and one app of it is built.
type NodeWorkspace struct {
	// Tool is what declares the workspace: "pnpm" (pnpm-workspace.yaml),
	// "npm", "yarn" or "bun" (package.json "workspaces"), or "lerna".
	Tool string `json:"tool"`
	// Turbo is true with a turbo.json at the root: the build runs
	// through turbo with a filter.
	Turbo bool `json:"turbo,omitempty"`
	// Nx is true with an nx.json at the root: the build runs the app's
	// Nx build target.
	Nx bool `json:"nx,omitempty"`
	// Lerna is true with a lerna.json at the root.
	Lerna bool `json:"lerna,omitempty"`
	// Packages are every workspace package, sorted by folder.
	Packages []NodeWorkspacePackage `json:"packages"`
	// App is the folder of the app being built ("apps/api"), "" while no
	// app is chosen.
	App string `json:"app,omitempty"`
	// AppName is the app's package name.
	AppName string `json:"appName,omitempty"`
	// AppDeps are the workspace packages the app depends on, directly or
	// not, in build order (dependencies first), excluding the app.
	AppDeps []NodeWorkspacePackage `json:"appDeps,omitempty"`
}

// NodeWorkspacePackage is one package of a workspace.
type NodeWorkspacePackage struct {
	// Dir is the folder, relative to the workspace root.
	Dir string `json:"dir"`
	// Name is the package name from its package.json.
	Name string `json:"name"`
	// Deployable is true for an app (a start script or an app
	// framework), false for a library.
	Deployable bool `json:"deployable,omitempty"`
	// HasBuild is true when the package has a build script.
	HasBuild bool `json:"hasBuild,omitempty"`
	// Why says what made it deployable.
	Why string `json:"why,omitempty"`

	pkg     *packageJSON
	badName bool
}

// npmNameRe is what npm accepts as a package name (old names may hold
// capitals); nothing in it means anything to a shell.
var npmNameRe = regexp.MustCompile(`^(?:@[A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*$`)

// detectWorkspace reads the workspace declaration at the root, or returns
// nil when the repository is not a workspace.
func detectWorkspace(fsys fs.FS, root *packageJSON, det *Detection) *NodeWorkspace {
	var globs []string
	ws := &NodeWorkspace{}
	switch {
	case IsFile(fsys, "pnpm-workspace.yaml"):
		ws.Tool = NodePNPM
		data, err := ReadFile(fsys, "pnpm-workspace.yaml")
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
		ws.Tool = NodeNPM
		globs = root.Workspaces
		root.cite(det, "workspace", "", "workspaces", `"workspaces": `+strings.Join(globs, ", "))
	case IsFile(fsys, "lerna.json"):
		data, err := ReadFile(fsys, "lerna.json")
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
	ws.Turbo = IsFile(fsys, "turbo.json")
	ws.Nx = IsFile(fsys, "nx.json")
	ws.Lerna = IsFile(fsys, "lerna.json")

	include, exclude := splitGlobs(globs)
	_ = Walk(fsys, ".", func(p string, d fs.DirEntry) error {
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
		wp := NodeWorkspacePackage{Dir: dir, Name: pkg.Name, pkg: pkg, HasBuild: pkg.Scripts["build"] != ""}
		if wp.Name == "" {
			wp.Name = path.Base(dir)
		}
		if npmNameRe.MatchString(wp.Name) {
			wp.Deployable, wp.Why = deployable(fsys, dir, pkg)
		} else {
			// The name goes into build commands (--filter <name>): a name
			// npm would not accept is never written into one.
			det.Problemf(p, "%q is not a valid npm package name; the package is installed but is not offered as the app", wp.Name)
			wp.HasBuild, wp.badName = false, true
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
	for _, fw := range []struct{ dep, name string }{
		{"next", "Next.js"}, {"nuxt", "Nuxt"}, {"@sveltejs/kit", "SvelteKit"},
		{"astro", "Astro"}, {"@remix-run/serve", "Remix"}, {"@remix-run/node", "Remix"},
		{"@react-router/serve", "React Router"}, {"@nestjs/core", "NestJS"},
		{"@angular/core", "Angular"}, {"react-scripts", "Create React App"},
	} {
		if pkg.has(fw.dep) {
			return true, fw.name
		}
	}
	if s := pkg.Scripts["start"]; s != "" {
		return true, "scripts.start"
	}
	if pkg.has("vite") && IsFile(fsys, path.Join(dir, "index.html")) {
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

// chooseApp settles which workspace app is built: the answer, the only
// deployable package, or a Choice. It returns the chosen package or nil.
func chooseApp(ws *NodeWorkspace, det *Detection, answers Answers) (*NodeWorkspacePackage, error) {
	if a := answers["app"]; a != "" {
		want := strings.TrimSuffix(strings.TrimPrefix(path.Clean(strings.TrimSpace(a)), "./"), "/")
		for i := range ws.Packages {
			p := &ws.Packages[i]
			if (p.Dir == want || p.Name == a) && !p.badName {
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
	var apps []*NodeWorkspacePackage
	for i := range ws.Packages {
		if ws.Packages[i].Deployable {
			apps = append(apps, &ws.Packages[i])
		}
	}
	candidates := apps
	if len(candidates) == 0 {
		for i := range ws.Packages {
			if !ws.Packages[i].badName {
				candidates = append(candidates, &ws.Packages[i])
			}
		}
	}
	var opts []Option
	for _, p := range candidates {
		label := p.Name
		if p.Why != "" {
			label += " (" + p.Why + ")"
		}
		opts = append(opts, Option{Value: p.Dir, Label: label, Evidence: &Evidence{File: path.Join(p.Dir, "package.json"), Detail: p.Why}})
	}
	c := Choice{
		Key:      "app",
		Question: "This is a workspace with several packages. Which app should the image run?",
		Options:  opts,
		Flag:     "--app",
	}
	switch {
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

// appDeps returns the workspace packages app depends on, transitively,
// dependencies before dependents.
func appDeps(ws *NodeWorkspace, app *NodeWorkspacePackage) []NodeWorkspacePackage {
	byName := map[string]*NodeWorkspacePackage{}
	for i := range ws.Packages {
		byName[ws.Packages[i].Name] = &ws.Packages[i]
	}
	var out []NodeWorkspacePackage
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(p *NodeWorkspacePackage)
	visit = func(p *NodeWorkspacePackage) {
		if state[p.Name] != 0 {
			return
		}
		state[p.Name] = 1
		for _, d := range p.pkg.allDeps() {
			if dep, ok := byName[d]; ok && dep != p && !dep.badName {
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

// NodeWorkspaceRoot finds the workspace that holds the package in dir, for
// a --dir that points into a monorepo: it looks at dir's parents, nearest
// first, for one whose pnpm-workspace.yaml, package.json "workspaces" or
// lerna.json includes dir. It returns that folder (the build context) and
// dir relative to it (the answer to the "app" choice). dir and root are
// slash-separated paths in fsys ("." is its top). ok is false when dir
// holds no package.json or no parent declares it as a workspace package.
func NodeWorkspaceRoot(fsys fs.FS, dir string) (root, app string, ok bool) {
	dir = path.Clean(dir)
	if dir == "." || !IsFile(fsys, path.Join(dir, "package.json")) {
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
	scratch := &Detection{}
	switch {
	case IsFile(fsys, path.Join(dir, "pnpm-workspace.yaml")):
		data, err := ReadFile(fsys, path.Join(dir, "pnpm-workspace.yaml"))
		var doc struct {
			Packages []string `yaml:"packages"`
		}
		if err != nil || yaml.Unmarshal(data, &doc) != nil {
			return nil, nil
		}
		globs = doc.Packages
	case IsFile(fsys, path.Join(dir, "package.json")):
		pkg, err := readPackageJSON(fsys, path.Join(dir, "package.json"), scratch)
		if err != nil {
			return nil, nil
		}
		globs = pkg.Workspaces
		if !pkg.HasWorkspaces && IsFile(fsys, path.Join(dir, "lerna.json")) {
			data, err := ReadFile(fsys, path.Join(dir, "lerna.json"))
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
