package node

import (
	"path"
	"regexp"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
)

var (
	// staticBuildRe matches a build that writes a static single-page
	// app, by tool; the group names the framework it stands for.
	staticBuildRe = regexp.MustCompile(`(?:^|[\s;&|(])(?:npx\s+|yarn\s+|pnpm\s+(?:exec\s+)?)?(vite\s+build|react-scripts\s+build|ng\s+build|vue-cli-service\s+build)(?:\s|$)`)
	// devServerRe matches a start that runs a front end's development
	// server: it watches sources and is never an image's program.
	devServerRe = regexp.MustCompile(`(?:^|[\s;&|(])(?:npx\s+|yarn\s+|pnpm\s+(?:exec\s+)?)?(?:vite(?:\s+(?:dev|serve|preview)\b|\s+-|\s*$|\s*[;&|)])|react-scripts\s+start|ng\s+serve|vue-cli-service\s+serve|webpack\s+serve|webpack-dev-server)`)
	// ownServerRe matches a start that runs a program of the app's own.
	ownServerRe    = regexp.MustCompile(`(?:^|[\s;&|(])(?:node|bun|nodemon|ts-node|tsx|node-dev|pm2|pm2-runtime)\s`)
	vueOutputDirRe = regexp.MustCompile(`\boutputDir\s*:\s*['"\x60]([^'"\x60]+)['"\x60]`)
)

// staticTools name the framework of each static build tool.
var staticTools = map[string]string{"vite": "vite", "react-scripts": "cra", "ng": "angular", "vue-cli-service": "vue"}

// serverLibs are the server libraries whose presence as a production
// dependency means the app serves itself.
var serverLibs = []string{"express", "fastify", "koa", "hono", "@hono/node-server", "@nestjs/core", "http-server", "serve"}

// startIsDevServer reports whether scripts.start, with the scripts it
// runs, starts a front end's development server.
func (a *nodeApp) startIsDevServer() bool {
	s := a.pkg.Scripts["start"]
	return s != "" && devServerRe.MatchString(a.expandScript(s, 0))
}

// noOwnServer reports whether the app has no server of its own: no
// server library among its production dependencies, and a start that is
// absent or a development server.
func (a *nodeApp) noOwnServer() bool {
	for _, l := range serverLibs {
		if a.pkg.hasProd(l) {
			return false
		}
	}
	s := a.pkg.Scripts["start"]
	if s == "" || a.startIsDevServer() {
		return true
	}
	return !ownServerRe.MatchString(a.expandScript(s, 0) + " ")
}

// staticFromBuild recognises a static single-page app by its build
// script when no dependency named a framework: the build tool may be a
// dependency of the workspace root (hoisted), not of the app.
func (a *nodeApp) staticFromBuild() {
	build := a.expandScript(a.det.Node.BuildScript, 0)
	m := staticBuildRe.FindStringSubmatch(build)
	if m == nil || !a.noOwnServer() {
		return
	}
	a.det.Framework = staticTools[strings.Fields(m[1])[0]]
	a.det.Cite("framework", a.rel("package.json"), a.pkg.keyLine("scripts", a.det.Node.BuildScriptName), "the build runs "+m[1]+" and the app has no server of its own")
	switch a.det.Framework {
	case "vite":
		a.vite()
	case "cra":
		a.cra()
	case "angular":
		a.angular()
	case "vue":
		a.vue()
	}
}

// vue serves Vue CLI's static build, in dist/ unless vue.config.js sets
// outputDir.
func (a *nodeApp) vue() {
	det, nf := a.det, a.det.Node
	nf.StaticDir = "dist"
	cited := false
	for _, f := range []string{"vue.config.js", "vue.config.cjs", "vue.config.mjs", "vue.config.ts"} {
		data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		if m := vueOutputDirRe.FindSubmatchIndex(data); m != nil {
			if d := path.Clean(string(data[m[2]:m[3]])); safePath(d) {
				nf.StaticDir = d
				det.Cite("static", a.rel(f), repo.LineAt(data, m[0]), string(data[m[0]:m[1]]))
				cited = true
			}
		}
		break
	}
	if !cited {
		det.Cite("static", a.rel("package.json"), a.pkg.depLine("@vue/cli-service"), "Vue CLI builds a static site to dist/")
	}
	a.staticStartNote()
}
