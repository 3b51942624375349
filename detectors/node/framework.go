package node

import (
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
)

var (
	nextOutputRe = regexp.MustCompile(`\boutput\s*:\s*['"\x60](standalone|export)['"\x60]`)
	viteOutDirRe = regexp.MustCompile(`\boutDir\s*:\s*['"\x60]([^'"\x60]+)['"\x60]`)
)

// framework recognises the app framework from the dependencies and sets
// Framework, Start, StaticDir and what the framework implies.
func (a *nodeApp) framework() {
	det, nf, pkg := a.det, a.det.Node, a.pkg
	cite := func(name, dep, detail string) {
		det.Framework = name
		det.Cite("framework", a.rel("package.json"), pkg.depLine(dep), detail)
	}
	switch {
	case pkg.has("next"):
		cite("nextjs", "next", `"next": "`+pkg.depSpec("next")+`"`)
		nf.NextPublic = repo.IsDir(a.fsys, "public")
		for _, f := range []string{"next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs", "next.config.mts"} {
			data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
			if err != nil {
				continue
			}
			if m := nextOutputRe.FindSubmatchIndex(data); m != nil {
				nf.NextOutput = string(data[m[2]:m[3]])
				det.Cite("nextOutput", a.rel(f), repo.LineAt(data, m[0]), string(data[m[0]:m[1]]))
			}
			break
		}
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
		det.Port = 3000
		det.Cite("port", a.rel("package.json"), 0, "Next.js default port 3000")
	case pkg.has("nuxt"):
		cite("nuxt", "nuxt", `"nuxt": "`+pkg.depSpec("nuxt")+`"`)
		if strings.Contains(pkg.Scripts["build"], "nuxt generate") {
			nf.StaticDir = ".output/public"
			det.Cite("static", a.rel("package.json"), pkg.keyLine("scripts", "build"), "nuxt generate writes a static site to .output/public")
			break
		}
		nf.SelfContained = ".output"
		nf.HostEnv = "HOST"
		det.Start = []string{"node", ".output/server/index.mjs"}
		det.Cite("start", a.rel("package.json"), 0, "Nuxt builds a self-contained server in .output/server/index.mjs")
		det.Port = 3000
		det.Cite("port", a.rel("package.json"), 0, "Nuxt default port 3000")
	case pkg.has("@sveltejs/kit"):
		cite("sveltekit", "@sveltejs/kit", `"@sveltejs/kit": "`+pkg.depSpec("@sveltejs/kit")+`"`)
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
		det.Port = 3000
		det.Cite("port", a.rel("package.json"), 0, "SvelteKit adapter-node default port 3000")
	case pkg.has("astro"):
		cite("astro", "astro", `"astro": "`+pkg.depSpec("astro")+`"`)
		if !pkg.has("@astrojs/node") {
			nf.StaticDir = "dist"
			det.Cite("static", a.rel("package.json"), 0, "Astro without a server adapter builds a static site to dist/")
			return
		}
		nf.HostEnv = "HOST"
		det.Start = []string{"node", "dist/server/entry.mjs"}
		det.Cite("start", a.rel("package.json"), pkg.depLine("@astrojs/node"), "@astrojs/node (standalone) writes dist/server/entry.mjs")
		det.Port = 4321
		det.Cite("port", a.rel("package.json"), 0, "Astro default port 4321")
	case pkg.has("@remix-run/serve") || pkg.has("@remix-run/dev") || pkg.has("@react-router/serve"):
		dep := "@remix-run/serve"
		if !pkg.has(dep) {
			dep = "@react-router/serve"
			if !pkg.has(dep) {
				dep = "@remix-run/dev"
			}
		}
		cite("remix", dep, `"`+dep+`": "`+pkg.depSpec(dep)+`"`)
		if argv := a.startScript(); argv != nil {
			return
		}
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
		det.Port = 3000
		det.Cite("port", a.rel("package.json"), 0, "remix-serve default port 3000")
	case pkg.has("@nestjs/core"):
		cite("nestjs", "@nestjs/core", `"@nestjs/core": "`+pkg.depSpec("@nestjs/core")+`"`)
		entry := "dist/main"
		if data, err := repo.ReadPrefix(a.fsys, "nest-cli.json", 64<<10); err == nil {
			var cfg struct {
				EntryFile string `json:"entryFile"`
			}
			if json.Unmarshal(data, &cfg) == nil && cfg.EntryFile != "" && safePath(cfg.EntryFile) {
				entry = path.Join("dist", cfg.EntryFile)
			}
		}
		det.Start = []string{"node", entry}
		det.Cite("start", a.rel("package.json"), 0, "NestJS builds to dist/; node "+entry)
	case pkg.has("@angular/core"):
		cite("angular", "@angular/core", `"@angular/core": "`+pkg.depSpec("@angular/core")+`"`)
		a.angular()
	case pkg.has("react-scripts"):
		cite("cra", "react-scripts", `"react-scripts": "`+pkg.depSpec("react-scripts")+`"`)
		nf.StaticDir = "build"
		det.Cite("static", a.rel("package.json"), pkg.depLine("react-scripts"), "Create React App builds a static site to build/")
		a.staticStartNote()
	default:
		for _, srv := range []string{"express", "fastify", "koa", "hono", "@hono/node-server"} {
			if pkg.has(srv) {
				name := strings.TrimPrefix(strings.TrimSuffix(srv, "/node-server"), "@")
				cite(name, srv, `"`+srv+`": "`+pkg.depSpec(srv)+`"`)
				return
			}
		}
		if pkg.has("vite") && (repo.IsFile(a.fsys, "index.html") || pkg.Scripts["start"] == "") {
			cite("vite", "vite", `"vite": "`+pkg.depSpec("vite")+`"`)
			nf.StaticDir = "dist"
			for _, f := range []string{"vite.config.ts", "vite.config.js", "vite.config.mjs", "vite.config.mts"} {
				data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
				if err != nil {
					continue
				}
				if m := viteOutDirRe.FindSubmatchIndex(data); m != nil {
					if d := path.Clean(string(data[m[2]:m[3]])); safePath(d) {
						nf.StaticDir = d
						det.Cite("static", a.rel(f), repo.LineAt(data, m[0]), string(data[m[0]:m[1]]))
						break
					}
				}
			}
			if det.Evidence["static"].File == "" {
				det.Cite("static", a.rel("package.json"), pkg.depLine("vite"), "Vite builds a static site to dist/")
			}
			a.staticStartNote()
		}
	}
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
		det.Port = 4000
		det.Cite("port", a.rel("angular.json"), 0, "Angular SSR default port 4000")
		return
	}
	nf.StaticDir = browser
	det.Cite("static", a.rel("angular.json"), 0, fmt.Sprintf("project %s, builder %s: static site in %s/", project, build.Builder, browser))
	a.staticStartNote()
}
