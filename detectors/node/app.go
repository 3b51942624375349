package node

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// nodeApp is the app being built: the repository root, or one workspace
// package (then fsys is that folder and dir its path from the root).
type nodeApp struct {
	fsys    fs.FS
	dir     string
	pkg     *packageJSON
	ws      *workspace // nil outside a workspace
	det     *facts.Detection
	answers facts.Answers

	sources []string // source files scanned for ports and routes
}

// rel turns an app-relative path into a root-relative one for evidence.
func (a *nodeApp) rel(p string) string { return path.Join(a.dir, p) }

func (a *nodeApp) detect() {
	det, nf, pkg := a.det, a.det.Node, a.pkg
	nf.TypeScript = repo.IsFile(a.fsys, "tsconfig.json") || pkg.has("typescript")
	nf.Husky = pkg.has("husky")
	if s := pkg.Scripts["build"]; s != "" {
		nf.BuildScript = s
		det.Build = buildCommand(det)
		pkg.cite(det, "build", "scripts", "build", `"build": "`+s+`"`)
	} else if ws := nf.Workspace; ws != nil {
		// The app builds nothing itself, but a workspace package it uses
		// may have to be compiled first.
		for _, d := range ws.AppDeps {
			if d.HasBuild {
				det.Build = buildCommand(det)
				det.Cite("build", path.Join(d.Dir, "package.json"), a.ws.manifests[d.Dir].keyLine("scripts", "build"), d.Name+" (used by the app) has a build script")
				break
			}
		}
	}
	a.framework()
	if det.Start == nil && nf.StaticDir == "" {
		a.genericStart()
	}
	a.bunRuntime()
	a.port()
	a.healthPath()
}

// buildCommand is the command that runs the app's build script with the
// package manager; in a workspace it builds the app's workspace
// dependencies first.
func buildCommand(det *facts.Detection) string {
	nf := det.Node
	ws := nf.Workspace
	if ws == nil || ws.App == "" {
		switch det.PackageManager {
		case facts.NodeYarn, facts.NodeYarnBerry:
			return "yarn run build"
		default:
			return det.PackageManager + " run build"
		}
	}
	if ws.Turbo {
		runner := map[string]string{facts.NodeNPM: "npx", facts.NodePNPM: "pnpm exec", facts.NodeYarn: "yarn", facts.NodeYarnBerry: "yarn", facts.NodeBun: "bunx"}[det.PackageManager]
		return runner + " turbo run build --filter=" + ws.AppName + "..."
	}
	if ws.Nx {
		// Nx builds the project's dependencies first (dependsOn ^build).
		runner := map[string]string{facts.NodeNPM: "npx", facts.NodePNPM: "pnpm exec", facts.NodeYarn: "yarn", facts.NodeYarnBerry: "yarn", facts.NodeBun: "bunx"}[det.PackageManager]
		return runner + " nx run " + ws.AppName + ":build"
	}
	var withBuild []facts.NodeWorkspacePackage
	for _, d := range ws.AppDeps {
		if d.HasBuild {
			withBuild = append(withBuild, d)
		}
	}
	if nf.BuildScript != "" {
		withBuild = append(withBuild, facts.NodeWorkspacePackage{Dir: ws.App, Name: ws.AppName, HasBuild: true})
	}
	var cmds []string
	switch det.PackageManager {
	case facts.NodePNPM:
		// "name..." selects the app and everything it depends on; pnpm
		// runs them in dependency order and skips packages without the
		// script.
		return "pnpm --filter " + ws.AppName + "... run build"
	case facts.NodeNPM:
		args := ""
		for _, p := range withBuild {
			args += " -w " + p.Dir
		}
		return "npm run build" + args
	case facts.NodeBun:
		for _, p := range withBuild {
			cmds = append(cmds, "bun run --filter "+p.Name+" build")
		}
	default:
		for _, p := range withBuild {
			cmds = append(cmds, "yarn workspace "+p.Name+" run build")
		}
	}
	return strings.Join(cmds, " && ")
}

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

// startScript parses scripts.start into an argv that runs node (or bun)
// directly. It sets Start and returns it, or returns nil when the script
// is not a plain command (&&, pipes, a dev server).
func (a *nodeApp) startScript() []string {
	det, pkg := a.det, a.pkg
	script := "start"
	s := pkg.Scripts[script]
	for depth := 0; s != "" && depth < 3; depth++ {
		words := splitWords(s)
		if words == nil {
			det.Notef("scripts.%s (%s) is not a single command; dgen runs node directly instead of it", script, s)
			return nil
		}
		var env []string
		for len(words) > 0 && (strings.Contains(words[0], "=") || words[0] == "cross-env" || words[0] == "env" || words[0] == "dotenv") {
			if strings.Contains(words[0], "=") {
				env = append(env, words[0])
			}
			words = words[1:]
			if len(words) > 0 && words[0] == "--" {
				words = words[1:]
			}
		}
		if len(words) == 0 {
			return nil
		}
		line := pkg.keyLine("scripts", script)
		var argv []string
		switch cmd, rest := words[0], words[1:]; cmd {
		case "node":
			argv = append([]string{"node"}, rest...)
		case "bun":
			argv = append([]string{"bun"}, rest...)
		case "nodemon", "node-dev", "supervisor":
			argv = append([]string{"node"}, dropFlags(rest)...)
			det.Notef("scripts.%s uses %s, a development watcher; the image runs node directly", script, cmd)
		case "next":
			argv = append([]string{"node", "node_modules/next/dist/bin/next"}, rest...)
		case "remix-serve":
			argv = append([]string{"node", "node_modules/@remix-run/serve/dist/cli.js"}, rest...)
		case "react-router-serve":
			argv = append([]string{"node", "node_modules/@react-router/serve/dist/cli.js"}, rest...)
		case "npm", "pnpm", "yarn":
			// `npm run serve` → follow scripts.serve.
			if len(rest) >= 2 && rest[0] == "run" {
				script, s = rest[1], pkg.Scripts[rest[1]]
				continue
			}
			if cmd == "yarn" && len(rest) == 1 && pkg.Scripts[rest[0]] != "" {
				script, s = rest[0], pkg.Scripts[rest[0]]
				continue
			}
			return nil
		default:
			return nil
		}
		det.Start = argv
		det.Cite("start", a.rel("package.json"), line, fmt.Sprintf(`"%s": "%s"`, script, pkg.Scripts[script]))
		for _, e := range env {
			if v, ok := strings.CutPrefix(e, "PORT="); ok {
				if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 65536 {
					det.Port = n
					det.Cite("port", a.rel("package.json"), line, e+" in scripts."+script)
				}
			}
		}
		if n, flag := portFlag(argv); n > 0 {
			det.Port = n
			det.Cite("port", a.rel("package.json"), line, flag+" in scripts."+script)
		}
		return argv
	}
	return nil
}

// dropFlags removes leading option flags (nodemon --watch src …).
func dropFlags(words []string) []string {
	for i := 0; i < len(words); i++ {
		if !strings.HasPrefix(words[i], "-") {
			return words[i:]
		}
		if !strings.Contains(words[i], "=") && (words[i] == "--watch" || words[i] == "-w" || words[i] == "--ext" || words[i] == "-e" || words[i] == "--exec" || words[i] == "--ignore" || words[i] == "-i") {
			i++
		}
	}
	return nil
}

// portFlag finds -p N, --port N or --port=N in an argv.
func portFlag(argv []string) (int, string) {
	for i, w := range argv {
		val := ""
		switch {
		case (w == "-p" || w == "--port" || w == "-P") && i+1 < len(argv):
			val = argv[i+1]
		case strings.HasPrefix(w, "--port="):
			val = strings.TrimPrefix(w, "--port=")
		case strings.HasPrefix(w, "-p="):
			val = strings.TrimPrefix(w, "-p=")
		default:
			continue
		}
		if n, err := strconv.Atoi(val); err == nil && n > 0 && n < 65536 {
			if strings.Contains(w, "=") {
				return n, w
			}
			return n, w + " " + val
		}
	}
	return 0, ""
}

// splitWords splits a package.json script into words with shell quoting,
// or returns nil when it is more than one simple command.
func splitWords(s string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case strings.IndexByte("&|;<>`$()\n", c) >= 0:
			return nil
		case c == '\\':
			return nil
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// entryNames are the files a Node server is conventionally started from,
// in order of preference.
var entryNames = []string{"server", "app", "index", "main"}

// genericStart finds the start command of a plain Node server: an answer,
// scripts.start, "main", or a conventional entry file.
func (a *nodeApp) genericStart() {
	det, nf, pkg := a.det, a.det.Node, a.pkg
	if m := a.answers["main"]; m != "" {
		m = strings.TrimPrefix(path.Clean(m), "./")
		det.Start = []string{"node", m}
		det.Cite("start", a.rel(m), 0, "chosen entry "+m)
		return
	}
	if a.startScript() != nil {
		return
	}
	built := nf.BuildScript != ""
	if pkg.Main != "" {
		m := strings.TrimPrefix(path.Clean(pkg.Main), "./")
		if repo.IsFile(a.fsys, m) || repo.IsFile(a.fsys, m+".js") || (built && underOutDir(m)) {
			det.Start = []string{"node", m}
			pkg.cite(det, "start", "", "main", `"main": "`+pkg.Main+`"`)
			return
		}
	}
	// Conventional files: JavaScript at the root, then src/, then
	// TypeScript compiled to the tsconfig outDir.
	var found []facts.Option
	for _, dir := range []string{".", "src"} {
		for _, n := range entryNames {
			for _, ext := range []string{".js", ".mjs", ".cjs"} {
				f := path.Join(dir, n+ext)
				if repo.IsFile(a.fsys, f) {
					found = append(found, facts.Option{Value: f, Evidence: &facts.Evidence{File: a.rel(f), Detail: "entry file"}})
				}
			}
		}
		if len(found) > 0 {
			break
		}
	}
	if len(found) == 0 && built && nf.TypeScript {
		outDir, rootDir := tsconfigDirs(a.fsys)
		for _, dir := range []string{"src", "."} {
			for _, n := range entryNames {
				f := path.Join(dir, n+".ts")
				if !repo.IsFile(a.fsys, f) {
					continue
				}
				relTo := rootDir
				if relTo == "" {
					relTo = dir
				}
				r := strings.TrimPrefix(strings.TrimPrefix(f, relTo+"/"), "./")
				out := path.Join(outDir, strings.TrimSuffix(r, ".ts")+".js")
				found = append(found, facts.Option{Value: out, Label: "compiled from " + f, Evidence: &facts.Evidence{File: a.rel(f), Detail: "TypeScript entry, built to " + out}})
			}
			if len(found) > 0 {
				break
			}
		}
	}
	if len(found) == 0 {
		if pkg.Scripts["start"] != "" {
			det.Notef("scripts.start (%s) could not be turned into a node command; the image runs it through the package manager", pkg.Scripts["start"])
			det.Start = []string{det.PackageManager, "run", "start"}
			if det.PackageManager == facts.NodeYarn || det.PackageManager == facts.NodeYarnBerry {
				det.Start = []string{"yarn", "run", "start"}
			}
			pkg.cite(det, "start", "scripts", "start", "scripts.start")
		}
		return
	}
	pick := found[0]
	if len(found) > 1 {
		// The file that calls listen() is the server; the others are
		// usually modules it imports.
		reason := "first of " + strings.Join(entryNames, ", ")
		for _, o := range found {
			data, err := repo.ReadPrefix(a.fsys, strings.TrimPrefix(o.Evidence.File, a.dir+"/"), repo.MaxSourceSize)
			if err == nil && listenRe.Match(data) {
				pick, reason = o, "it calls listen()"
				break
			}
		}
		det.AddChoice(facts.Choice{
			Key:      "main",
			Question: "Several entry files were found. Which one starts the server?",
			Options:  found,
			Default:  pick.Value,
			Safe:     true,
			Reason:   reason,
			Flag:     "--main",
		})
	}
	det.Start = []string{"node", pick.Value}
	det.Cite("start", pick.Evidence.File, 0, pick.Evidence.Detail)
}

var listenRe = regexp.MustCompile(`\.listen\(|serve\(\s*\{|Bun\.serve\(`)

// underOutDir reports whether p is in a usual build output folder.
func underOutDir(p string) bool {
	for _, d := range []string{"dist/", "build/", "lib/", "out/"} {
		if strings.HasPrefix(p, d) {
			return true
		}
	}
	return false
}

var (
	tsOutDirRe  = regexp.MustCompile(`"outDir"\s*:\s*"([^"]+)"`)
	tsRootDirRe = regexp.MustCompile(`"rootDir"\s*:\s*"([^"]+)"`)
)

// tsconfigDirs returns tsconfig.json's outDir ("dist" by default) and
// rootDir ("" when unset).
func tsconfigDirs(fsys fs.FS) (outDir, rootDir string) {
	outDir = "dist"
	data, err := repo.ReadPrefix(fsys, "tsconfig.json", 64<<10)
	if err != nil {
		return outDir, ""
	}
	if m := tsOutDirRe.FindSubmatch(data); m != nil {
		if d := strings.TrimPrefix(path.Clean(string(m[1])), "./"); safePath(d) {
			outDir = d
		}
	}
	if m := tsRootDirRe.FindSubmatch(data); m != nil {
		rootDir = strings.TrimPrefix(path.Clean(string(m[1])), "./")
	}
	return outDir, rootDir
}

// bunRuntime switches to Bun when the app is written against Bun: Bun is
// the package manager and the start script runs bun, the code calls
// Bun.serve, or bun-types are installed.
func (a *nodeApp) bunRuntime() {
	det, nf, pkg := a.det, a.det.Node, a.pkg
	if det.PackageManager != facts.NodeBun || nf.StaticDir != "" {
		return
	}
	why := ""
	switch {
	case len(det.Start) > 0 && det.Start[0] == "bun":
		why = "scripts.start runs bun"
	case pkg.has("@types/bun") || pkg.has("bun-types"):
		why = "Bun's types are a dependency"
	default:
		for _, f := range a.sourceFiles() {
			data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
			if err == nil {
				if i := strings.Index(string(data), "Bun.serve("); i >= 0 {
					why = "Bun.serve( in " + a.rel(f)
					det.Cite("runtime", a.rel(f), repo.LineAt(data, i), "Bun.serve(")
					break
				}
			}
		}
	}
	if why == "" {
		return
	}
	nf.Runtime = "bun"
	if _, ok := det.Evidence["runtime"]; !ok {
		det.Cite("runtime", a.rel("package.json"), 0, why)
	}
	switch {
	case len(det.Start) > 0 && det.Start[0] == "bun":
	case len(det.Start) == 2 && det.Start[0] == "node":
		det.Start = []string{"bun", "run", det.Start[1]}
	default:
		for _, f := range []string{pkg.Module, pkg.Main, "index.ts", "src/index.ts", "server.ts", "src/server.ts"} {
			if f != "" && repo.IsFile(a.fsys, f) {
				det.Start = []string{"bun", "run", strings.TrimPrefix(path.Clean(f), "./")}
				det.Cite("start", a.rel(f), 0, "Bun runs TypeScript directly")
				break
			}
		}
	}
}

// sourceFiles lists the app's JavaScript and TypeScript sources (tests
// left out), the start file first; bounded by Walk's limits and 400 files.
func (a *nodeApp) sourceFiles() []string {
	if a.sources != nil {
		return a.sources
	}
	var files []string
	first := ""
	if s := a.det.Start; len(s) >= 2 {
		first = strings.TrimPrefix(s[len(s)-1], "./")
	}
	_ = repo.Walk(a.fsys, ".", func(p string, d fs.DirEntry) error {
		switch path.Ext(p) {
		case ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx":
		default:
			return nil
		}
		base := path.Base(p)
		if strings.Contains(base, ".test.") || strings.Contains(base, ".spec.") || strings.Contains(p, "__tests__/") ||
			strings.HasSuffix(base, ".d.ts") || strings.HasSuffix(base, ".config.js") || strings.HasSuffix(base, ".config.ts") || strings.HasSuffix(base, ".config.mjs") {
			return nil
		}
		if len(files) >= 400 {
			return fs.SkipAll
		}
		files = append(files, p)
		return nil
	})
	sort.SliceStable(files, func(i, j int) bool {
		return files[i] == first && files[j] != first
	})
	a.sources = files
	if a.sources == nil {
		a.sources = []string{}
	}
	return a.sources
}

var portPatterns = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`(?:process\.env|Bun\.env|import\.meta\.env)(?:\.PORT|\[\s*['"]PORT['"]\s*\])\s*\)?\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})\b`), "PORT fallback"},
	{regexp.MustCompile(`\.listen\(\s*(\d{2,5})\b`), "listen"},
	{regexp.MustCompile(`(?s)(?:listen|serve)\(\s*\{[^}]{0,300}?\bport\s*:\s*(\d{2,5})\b`), "listen options"},
	{regexp.MustCompile(`\b(?:const|let|var)\s+(?:PORT|port|DEFAULT_PORT)\s*=\s*(\d{2,5})\b`), "port constant"},
}

// port finds the port from the source code, unless the framework or the
// start script already said, and sets 8080 for static sites (nginx).
func (a *nodeApp) port() {
	det, nf := a.det, a.det.Node
	if nf.StaticDir != "" {
		det.Port = 8080
		det.Cite("port", "", 0, "static site served by nginx on 8080 (unprivileged port)")
		return
	}
	if det.Port != 0 && det.Evidence["port"].Line > 0 {
		return // from the start script
	}
	files := a.sourceFiles()
	for _, pat := range portPatterns {
		for _, f := range files {
			data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
			if err != nil {
				continue
			}
			m := pat.re.FindSubmatchIndex(data)
			if m == nil {
				continue
			}
			n, err := strconv.Atoi(string(data[m[2]:m[3]]))
			if err != nil || n < 1 || n > 65535 {
				continue
			}
			det.Port = n
			det.Cite("port", a.rel(f), repo.LineAt(data, m[0]), lineText(data, m[0]))
			return
		}
	}
}

var (
	healthRouteRe = regexp.MustCompile(`(?:\.(?:get|all|head|route|use|on)\(\s*(?:['"]GET['"]\s*,\s*)?|@Get\(\s*|===?\s*|case\s+|path\s*:\s*|url\s*:\s*)['"\x60](/(?:api/)?(?:healthz|health|livez|readyz|ping))['"\x60]`)
	nestHealthRe  = regexp.MustCompile(`@Controller\(\s*['"\x60]/?((?:api/)?(?:healthz|health|livez|ping))['"\x60]`)
)

// healthPath finds a health route registered in the server code or, for
// Next.js, an app/ or pages/api route folder.
func (a *nodeApp) healthPath() {
	det, nf := a.det, a.det.Node
	if nf.StaticDir != "" {
		return
	}
	if det.Framework == "nextjs" {
		for _, base := range []string{"app", "src/app"} {
			for _, r := range []string{"healthz", "health", "api/health", "api/healthz", "livez"} {
				for _, ext := range []string{"ts", "js"} {
					f := path.Join(base, r, "route."+ext)
					if repo.IsFile(a.fsys, f) {
						det.HealthPath = "/" + r
						det.Cite("healthPath", a.rel(f), 0, "route handler "+f)
						return
					}
				}
			}
		}
		for _, r := range []string{"health", "healthz"} {
			for _, ext := range []string{"ts", "js"} {
				for _, base := range []string{"pages/api", "src/pages/api"} {
					f := path.Join(base, r+"."+ext)
					if repo.IsFile(a.fsys, f) {
						det.HealthPath = "/api/" + r
						det.Cite("healthPath", a.rel(f), 0, "API route "+f)
						return
					}
				}
			}
		}
	}
	for _, f := range a.sourceFiles() {
		data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		if m := healthRouteRe.FindSubmatchIndex(data); m != nil {
			det.HealthPath = string(data[m[2]:m[3]])
			det.Cite("healthPath", a.rel(f), repo.LineAt(data, m[0]), lineText(data, m[0]))
			return
		}
		if m := nestHealthRe.FindSubmatchIndex(data); m != nil {
			det.HealthPath = "/" + string(data[m[2]:m[3]])
			det.Cite("healthPath", a.rel(f), repo.LineAt(data, m[0]), lineText(data, m[0]))
			return
		}
	}
}

// nodeGypDeps are packages known to compile a native addon with node-gyp
// when no prebuilt binary fits (so python3, make and g++ must be there).
var nodeGypDeps = []string{
	"@discordjs/opus", "argon2", "bcrypt", "better-sqlite3", "canvas", "cpu-features",
	"isolated-vm", "kerberos", "libxmljs", "libxmljs2", "microtime", "node-expat",
	"node-sass", "re2", "sqlite3", "usb", "zeromq", "@serialport/bindings-cpp",
}

// detectNative records what native code the app needs: Prisma, node-gyp
// builds, node-canvas; and notes sharp and puppeteer.
func detectNative(fsys fs.FS, root *packageJSON, a *nodeApp, det *facts.Detection) {
	nf := det.Node
	pkgs := []*packageJSON{a.pkg}
	if root != a.pkg {
		pkgs = append(pkgs, root)
	}
	for _, p := range pkgs {
		for _, dep := range []string{"@prisma/client", "prisma"} {
			if p.has(dep) && !nf.Prisma {
				nf.Prisma = true
				det.Cite("prisma", p.file, p.depLine(dep), dep+": prisma generate at build time; OpenSSL in the runtime image")
			}
		}
		for _, dep := range nodeGypDeps {
			if p.has(dep) && !contains(nf.NativeDeps, dep) {
				nf.NativeDeps = append(nf.NativeDeps, dep)
				det.Cite("nativeDeps", p.file, p.depLine(dep), dep+" may compile with node-gyp")
			}
		}
		if p.has("canvas") {
			nf.Canvas = true
		}
		if p.has("sharp") {
			det.Notef("sharp ships prebuilt binaries for glibc (Debian) images: nothing extra is installed")
		}
		if p.has("puppeteer") && !p.has("puppeteer-core") {
			det.Notef("puppeteer downloads a browser that needs many system libraries; dgen does not install them: use a browser image (e.g. ghcr.io/puppeteer/puppeteer) or puppeteer-core with a remote browser")
		}
	}
	for _, f := range []string{"binding.gyp", path.Join(a.dir, "binding.gyp")} {
		if repo.IsFile(fsys, f) && !contains(nf.NativeDeps, "binding.gyp") {
			nf.NativeDeps = append(nf.NativeDeps, "binding.gyp")
			det.Cite("nativeDeps", f, 0, "the package builds its own native addon")
		}
	}
	sort.Strings(nf.NativeDeps)
	if len(nf.NativeDeps) > 0 && det.PackageManager == facts.NodePNPM {
		if maj, err := strconv.Atoi(nf.ManagerMajor); err == nil && maj >= 10 {
			det.Notef("pnpm %d runs no dependency build scripts unless they are allowed (onlyBuiltDependencies in pnpm-workspace.yaml or package.json): allow %s, or the native build is skipped", maj, strings.Join(nf.NativeDeps, ", "))
		}
	}
}

// lineText returns the trimmed source line holding byte offset off, cut to
// 120 bytes, for evidence.
func lineText(data []byte, off int) string {
	start := strings.LastIndexByte(string(data[:off]), '\n') + 1
	end := strings.IndexByte(string(data[off:]), '\n')
	if end < 0 {
		end = len(data)
	} else {
		end += off
	}
	l := strings.TrimSpace(string(data[start:end]))
	if len(l) > 120 {
		l = l[:120] + "…"
	}
	return l
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
