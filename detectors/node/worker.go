package node

import (
	"io/fs"
	"path"
	"regexp"

	"github.com/dgen-dev/dgen/detectors/repo"
)

// serverDeps are packages whose presence means the app serves requests
// even when dgen sees no listen call in its own code (the library calls
// it, or a framework CLI starts the server).
var serverDeps = []string{
	"express", "fastify", "koa", "hono", "@hono/node-server", "@nestjs/core",
	"@hapi/hapi", "hapi", "restify", "polka", "micro", "sails", "@feathersjs/feathers",
	"@apollo/server", "apollo-server", "apollo-server-express", "graphql-yoga",
	"socket.io", "next", "nuxt", "@sveltejs/kit", "astro", "@remix-run/serve",
	"@react-router/serve", "@angular/ssr", "json-server", "http-server", "serve",
	"@adonisjs/core", "loopback", "@loopback/core", "moleculer-web", "elysia",
}

// listenCallRe matches code that opens a listener: (server.)listen(…),
// serve(…) (Hono, Bun, Deno), createServer(…) with listen elsewhere,
// gRPC's bindAsync and a WebSocket server.
var listenCallRe = regexp.MustCompile(`\blisten\(|\bserve\(|\.bindAsync\(|new\s+(?:WebSocket\.)?(?:WebSocketServer|Server)\(\s*\{[^}]*\bport\b`)

// worker marks an app that never listens as a worker: it has its own
// source, no framework or server package, no listen call and no port in
// its start script. It gets no port, EXPOSE or HTTP health check; its
// start stays the start script or the main entry.
func (a *nodeApp) worker() {
	det, nf := a.det, a.det.Node
	if det.Framework != "" || nf.StaticDir != "" || det.Port != 0 || len(det.Start) == 0 {
		return
	}
	pkgs := []*packageJSON{a.pkg}
	if a.ws != nil {
		for _, d := range nf.Workspace.AppDeps {
			pkgs = append(pkgs, a.ws.manifests[d.Dir])
		}
	}
	for _, p := range pkgs {
		if dep := p.firstDep(serverDeps); dep != "" {
			return
		}
	}
	files := a.sourceFiles()
	if len(files) == 0 {
		// Nothing to read (a start command that runs a CLI): not known to
		// be a worker.
		return
	}
	for _, f := range files {
		data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
		if err != nil || listenCallRe.Match(data) {
			return
		}
	}
	if a.ws != nil && a.depListens() {
		return
	}
	det.Worker = true
	det.Cite("port", a.rel("package.json"), 0, "no listen()/serve() call in the app's code and no web framework or server package: a worker")
}

// depListens reports whether a workspace package the app depends on
// opens a listener (the app may start a server its sibling defines).
func (a *nodeApp) depListens() bool {
	listens := false
	for _, d := range a.det.Node.Workspace.AppDeps {
		n := 0
		_ = repo.Walk(a.root, d.Dir, func(p string, _ fs.DirEntry) error {
			switch path.Ext(p) {
			case ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts":
			default:
				return nil
			}
			if n++; n > 400 || testDir(path.Dir(p)) {
				return nil
			}
			if data, err := repo.ReadPrefix(a.root, p, repo.MaxSourceSize); err == nil && listenCallRe.Match(data) {
				listens = true
				return fs.SkipAll
			}
			return nil
		})
		if listens {
			return true
		}
	}
	return false
}
