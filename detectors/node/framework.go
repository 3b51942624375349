package node

import (
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
)

var (
	nextOutputRe = regexp.MustCompile(`\boutput\s*:\s*['"\x60](standalone|export)['"\x60]`)
	viteOutDirRe = regexp.MustCompile(`\boutDir\s*:\s*['"\x60]([^'"\x60]+)['"\x60]`)
)

// frameworkRule recognises one framework by its dependencies.
type frameworkRule struct {
	// name is the framework's name in Detection.Framework.
	name string
	// deps mark the framework; the first one present is cited.
	deps []string
	// when, if set, must hold as well: Vite builds many kinds of app and
	// is the framework only of a plain static site.
	when func(a *nodeApp) bool
	// apply sets what the framework implies (start, static folder, port);
	// nil for server libraries, whose start is found the generic way.
	apply func(a *nodeApp)
}

// frameworkRules are tried in order: a meta-framework wins over the server
// library or build tool it is built on, which its package.json lists too.
var frameworkRules = []frameworkRule{
	{name: "nextjs", deps: []string{"next"}, apply: (*nodeApp).nextjs},
	{name: "nuxt", deps: []string{"nuxt"}, apply: (*nodeApp).nuxt},
	{name: "sveltekit", deps: []string{"@sveltejs/kit"}, apply: (*nodeApp).sveltekit},
	{name: "astro", deps: []string{"astro"}, apply: (*nodeApp).astro},
	{name: "remix", deps: remixDeps, apply: (*nodeApp).remix},
	{name: "nestjs", deps: []string{"@nestjs/core"}, apply: (*nodeApp).nestjs},
	{name: "angular", deps: []string{"@angular/core"}, apply: (*nodeApp).angular},
	{name: "cra", deps: []string{"react-scripts"}, apply: (*nodeApp).cra},
	{name: "express", deps: []string{"express"}},
	{name: "fastify", deps: []string{"fastify"}},
	{name: "koa", deps: []string{"koa"}},
	{name: "hono", deps: []string{"hono", "@hono/node-server"}},
	{name: "vite", deps: []string{"vite"}, when: (*nodeApp).viteSite, apply: (*nodeApp).vite},
	{name: "vue", deps: []string{"@vue/cli-service"}, when: (*nodeApp).noOwnServer, apply: (*nodeApp).vue},
}

// remixDeps mark a Remix (or React Router 7 framework) app, the package
// that serves it first.
var remixDeps = []string{"@remix-run/serve", "@react-router/serve", "@remix-run/dev"}

// framework recognises the app framework from the dependencies and sets
// Framework, Start, StaticDir and what the framework implies.
func (a *nodeApp) framework() {
	for _, r := range frameworkRules {
		dep := a.pkg.firstDep(r.deps)
		if dep == "" || (r.when != nil && !r.when(a)) {
			continue
		}
		a.det.Framework = r.name
		a.det.Cite("framework", a.rel("package.json"), a.pkg.depLine(dep), `"`+dep+`": "`+a.pkg.depSpec(dep)+`"`)
		if r.apply != nil {
			r.apply(a)
		}
		return
	}
	a.staticFromBuild()
}

// firstDep returns the first of deps the package depends on, or "".
func (p *packageJSON) firstDep(deps []string) string {
	for _, d := range deps {
		if p.has(d) {
			return d
		}
	}
	return ""
}

// defaultPort sets the framework's default port from the catalog; file is
// where the evidence points and server names what listens on it.
func (a *nodeApp) defaultPort(file, server string) {
	n, _ := catalog.FrameworkPort(a.det.Framework)
	a.det.Port = n
	a.det.Cite("port", a.rel(file), 0, server+" default port "+strconv.Itoa(n))
}

// nextConfigs are the names next.config may have; the first present is
// the one Next.js reads.
var nextConfigs = []string{"next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs", "next.config.mts"}

// nextjs runs the standalone server, serves an export as a static site, or
// runs next start.
func (a *nodeApp) nextjs() {
	det, nf := a.det, a.det.Node
	nf.NextPublic = repo.IsDir(a.fsys, "public")
	a.nextOutput()
	switch nf.NextOutput {
	case "standalone":
		// server.js sits at the app's path inside the standalone
		// tree (Next traces from the workspace root in a monorepo).
		det.Start = []string{"node", path.Join(a.dir, "server.js")}
		nf.HostEnv = "HOSTNAME"
		det.Cite("start", a.rel("package.json"), 0, "Next.js output: 'standalone' writes .next/standalone/server.js")
	case "export":
		nf.StaticDir = "out"
		det.Cite("static", a.rel("package.json"), 0, "Next.js output: 'export' writes a static site to out/")
	default:
		det.Start = []string{"node", "node_modules/next/dist/bin/next", "start"}
		det.Cite("start", a.rel("package.json"), 0, "next start, run with node directly (output: 'standalone' in next.config would make the image much smaller)")
	}
	a.defaultPort("package.json", "Next.js")
}

// nextOutput reads output: 'standalone' or 'export' from next.config.
func (a *nodeApp) nextOutput() {
	for _, f := range nextConfigs {
		data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		if m := nextOutputRe.FindSubmatchIndex(data); m != nil {
			a.det.Node.NextOutput = string(data[m[2]:m[3]])
			a.det.Cite("nextOutput", a.rel(f), repo.LineAt(data, m[0]), string(data[m[0]:m[1]]))
		}
		return
	}
}

// nuxt serves nuxt generate's static site, or runs the self-contained
// .output server.
func (a *nodeApp) nuxt() {
	det, nf, pkg := a.det, a.det.Node, a.pkg
	if strings.Contains(pkg.Scripts["build"], "nuxt generate") {
		nf.StaticDir = ".output/public"
		det.Cite("static", a.rel("package.json"), pkg.keyLine("scripts", "build"), "nuxt generate writes a static site to .output/public")
		return
	}
	nf.SelfContained = ".output"
	nf.HostEnv = "HOST"
	det.Start = []string{"node", ".output/server/index.mjs"}
	det.Cite("start", a.rel("package.json"), 0, "Nuxt builds a self-contained server in .output/server/index.mjs")
	a.defaultPort("package.json", "Nuxt")
}

// sveltekit serves adapter-static's site, or runs adapter-node's server
// (with a note when no adapter builds one).
func (a *nodeApp) sveltekit() {
	det, nf, pkg := a.det, a.det.Node, a.pkg
	switch {
	case pkg.has("@sveltejs/adapter-static"):
		nf.StaticDir = "build"
		det.Cite("static", a.rel("package.json"), pkg.depLine("@sveltejs/adapter-static"), "@sveltejs/adapter-static writes a static site to build/")
		return
	case !pkg.has("@sveltejs/adapter-node"):
		det.Notef("SvelteKit without @sveltejs/adapter-node builds no server that runs in a container (adapter-auto targets hosting platforms); add @sveltejs/adapter-node and use it in svelte.config.js")
	}
	nf.HostEnv = "HOST"
	det.Start = []string{"node", "build"}
	det.Cite("start", a.rel("package.json"), pkg.depLine("@sveltejs/adapter-node"), "@sveltejs/adapter-node writes the server to build/")
	a.defaultPort("package.json", "SvelteKit adapter-node")
}

// astro runs the @astrojs/node server, or serves the static site.
func (a *nodeApp) astro() {
	det, nf, pkg := a.det, a.det.Node, a.pkg
	if !pkg.has("@astrojs/node") {
		nf.StaticDir = "dist"
		det.Cite("static", a.rel("package.json"), 0, "Astro without a server adapter builds a static site to dist/")
		return
	}
	nf.HostEnv = "HOST"
	det.Start = []string{"node", "dist/server/entry.mjs"}
	det.Cite("start", a.rel("package.json"), pkg.depLine("@astrojs/node"), "@astrojs/node (standalone) writes dist/server/entry.mjs")
	a.defaultPort("package.json", "Astro")
}

// remix follows scripts.start, or runs remix-serve (react-router-serve) on
// the server build.
func (a *nodeApp) remix() {
	det, pkg := a.det, a.pkg
	if argv := a.startScript(); argv != nil {
		return
	}
	dep := pkg.firstDep(remixDeps)
	entry := "build/index.js"
	if repo.IsFile(a.fsys, "vite.config.ts") || repo.IsFile(a.fsys, "vite.config.js") {
		entry = "build/server/index.js"
	}
	bin := "node_modules/@remix-run/serve/dist/cli.js"
	if dep == "@react-router/serve" {
		bin = "node_modules/@react-router/serve/dist/cli.js"
	}
	det.Start = []string{"node", bin, entry}
	det.Cite("start", a.rel("package.json"), pkg.depLine(dep), "remix-serve "+entry+", run with node directly")
	a.defaultPort("package.json", "remix-serve")
}

// nestjs runs the compiled entry file, dist/main unless nest-cli.json
// names another.
func (a *nodeApp) nestjs() {
	entry := "dist/main"
	if data, err := repo.ReadPrefix(a.fsys, "nest-cli.json", 64<<10); err == nil {
		var cfg struct {
			EntryFile string `json:"entryFile"`
		}
		if json.Unmarshal(data, &cfg) == nil && cfg.EntryFile != "" && safePath(cfg.EntryFile) {
			entry = path.Join("dist", cfg.EntryFile)
		}
	}
	a.det.Start = []string{"node", entry}
	a.det.Cite("start", a.rel("package.json"), 0, "NestJS builds to dist/; node "+entry)
	if a.det.Build == "" {
		// Without a build script, the hook that compiles before the
		// production start (prestart:prod: tsc) is what writes dist/.
		for _, name := range []string{"start:prod", "start"} {
			if st, ok := a.preHook(name); ok {
				a.moveToBuild(name, []buildStep{st})
				break
			}
		}
	}
}

// cra serves Create React App's static build.
func (a *nodeApp) cra() {
	a.det.Node.StaticDir = "build"
	a.det.Cite("static", a.rel("package.json"), a.pkg.depLine("react-scripts"), "Create React App builds a static site to build/")
	a.staticStartNote()
}

// viteSite reports whether a Vite app is a static site: it has an
// index.html, or no start script that would run a server (a dev server
// is none).
func (a *nodeApp) viteSite() bool {
	return repo.IsFile(a.fsys, "index.html") || a.pkg.Scripts["start"] == "" || a.startIsDevServer()
}

// viteConfigs are the names vite.config may have.
var viteConfigs = []string{"vite.config.ts", "vite.config.js", "vite.config.mjs", "vite.config.mts"}

// vite serves the static build, in dist/ unless vite.config sets outDir.
func (a *nodeApp) vite() {
	det, nf := a.det, a.det.Node
	nf.StaticDir = "dist"
	if !a.viteOutDir() {
		det.Cite("static", a.rel("package.json"), a.pkg.depLine("vite"), "Vite builds a static site to dist/")
	}
	a.staticStartNote()
}

// viteOutDir sets StaticDir from the first vite.config whose outDir dgen
// accepts, and reports whether one did.
func (a *nodeApp) viteOutDir() bool {
	for _, f := range viteConfigs {
		data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		m := viteOutDirRe.FindSubmatchIndex(data)
		if m == nil {
			continue
		}
		if d := path.Clean(string(data[m[2]:m[3]])); safePath(d) {
			a.det.Node.StaticDir = d
			a.det.Cite("static", a.rel(f), repo.LineAt(data, m[0]), string(data[m[0]:m[1]]))
			return true
		}
	}
	return false
}

// staticStartNote tells the user a start script is not what the image
// runs for a static site.
func (a *nodeApp) staticStartNote() {
	if s := a.pkg.Scripts["start"]; s != "" {
		a.det.Notef("scripts.start (%s) is a development or preview server; the image serves the built %s/ with nginx instead (pass --start to run your own command with Node)", s, a.det.Node.StaticDir)
	}
}

// angular reads angular.json for the output folder: dist/<project>/browser
// with the application builder (Angular 17+), dist/<project> before.
func (a *nodeApp) angular() {
	det, nf := a.det, a.det.Node
	nf.StaticDir = "dist"
	data, err := repo.ReadFile(a.fsys, "angular.json")
	if err != nil {
		det.Cite("static", a.rel("package.json"), 0, "Angular builds to dist/ (no angular.json found)")
		return
	}
	var cfg struct {
		DefaultProject string `json:"defaultProject"`
		Projects       map[string]struct {
			ProjectType string `json:"projectType"`
			Architect   map[string]struct {
				Builder string `json:"builder"`
				Options struct {
					OutputPath json.RawMessage `json:"outputPath"`
					Server     json.RawMessage `json:"server"`
					SSR        json.RawMessage `json:"ssr"`
				} `json:"options"`
			} `json:"architect"`
		} `json:"projects"`
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		det.Problemf(a.rel("angular.json"), "%s; assuming dist/", describeJSONError(data, err))
		return
	}
	names := slices.Sorted(maps.Keys(cfg.Projects))
	project := cfg.DefaultProject
	if _, ok := cfg.Projects[project]; !ok {
		project = ""
		for _, n := range names {
			if cfg.Projects[n].ProjectType == "application" {
				project = n
				break
			}
		}
	}
	if project == "" {
		return
	}
	build := cfg.Projects[project].Architect["build"]
	out := "dist/" + project
	var s string
	var obj struct {
		Base    string `json:"base"`
		Browser string `json:"browser"`
	}
	switch {
	case json.Unmarshal(build.Options.OutputPath, &s) == nil && s != "":
		out = path.Clean(s)
	case json.Unmarshal(build.Options.OutputPath, &obj) == nil && obj.Base != "":
		out = path.Clean(obj.Base)
	}
	application := strings.HasSuffix(build.Builder, ":application")
	browser := out
	if application {
		sub := "browser"
		if obj.Browser != "" {
			sub = obj.Browser
		}
		browser = path.Join(out, sub)
	}
	if !safePath(browser) {
		det.Problemf(a.rel("angular.json"), "outputPath %q has characters dgen will not write into a Dockerfile; assuming dist/", browser)
		return
	}
	ssr := application && len(build.Options.SSR) > 0 && string(build.Options.SSR) != "false" && a.pkg.has("@angular/ssr")
	if ssr {
		nf.StaticDir = ""
		nf.HostEnv = "HOST"
		det.Start = []string{"node", path.Join(out, "server", "server.mjs")}
		det.Cite("start", a.rel("angular.json"), 0, "Angular SSR (@angular/ssr) server "+det.Start[1])
		a.defaultPort("angular.json", "Angular SSR")
		return
	}
	nf.StaticDir = browser
	det.Cite("static", a.rel("angular.json"), 0, fmt.Sprintf("project %s, builder %s: static site in %s/", project, build.Builder, browser))
	a.staticStartNote()
}
