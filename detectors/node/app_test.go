package node

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
	"github.com/dgen-dev/dgen/generator/catalog"
)

const nodeExpressServer = `const express = require("express");
const app = express();
app.listen(process.env.PORT || 3000);
`

func TestNodeFramework(t *testing.T) {
	tests := []struct {
		name      string
		files     map[string]string
		framework string
		start     []string
		static    string
		port      int
		hostEnv   string
		evField   string
		evFile    string
		evDetail  string
		note      string
	}{
		{
			name: "next standalone",
			files: map[string]string{
				"package.json":   `{"scripts": {"build": "next build"}, "dependencies": {"next": "16.0.0"}}`,
				"next.config.js": "module.exports = {\n  output: 'standalone',\n};\n",
			},
			framework: "nextjs", start: []string{"node", "server.js"}, port: 3000, hostEnv: "HOSTNAME",
			evField: "nextOutput", evFile: "next.config.js", evDetail: "output: 'standalone'",
		},
		{
			name: "next export is static",
			files: map[string]string{
				"package.json":   `{"scripts": {"build": "next build"}, "dependencies": {"next": "16.0.0"}}`,
				"next.config.ts": "export default { output: \"export\" };\n",
			},
			framework: "nextjs", static: "out", port: 8080, evField: "static", evFile: "package.json", evDetail: "out/",
		},
		{
			name:      "next start by default",
			files:     map[string]string{"package.json": `{"scripts": {"build": "next build", "start": "next start"}, "dependencies": {"next": "16.0.0"}}`},
			framework: "nextjs", start: []string{"node", "node_modules/next/dist/bin/next", "start"}, port: 3000,
			evField: "start", evFile: "package.json", evDetail: "next start",
		},
		{
			name:      "nuxt",
			files:     map[string]string{"package.json": `{"scripts": {"build": "nuxt build"}, "dependencies": {"nuxt": "^4.0.0"}}`},
			framework: "nuxt", start: []string{"node", ".output/server/index.mjs"}, port: 3000, hostEnv: "HOST",
			evField: "start", evFile: "package.json", evDetail: ".output/server/index.mjs",
		},
		{
			name:      "nuxt generate is static",
			files:     map[string]string{"package.json": `{"scripts": {"build": "nuxt generate"}, "dependencies": {"nuxt": "^4.0.0"}}`},
			framework: "nuxt", static: ".output/public", port: 8080, evField: "static", evFile: "package.json", evDetail: "nuxt generate",
		},
		{
			name:      "sveltekit adapter-node",
			files:     map[string]string{"package.json": `{"scripts": {"build": "vite build"}, "devDependencies": {"@sveltejs/kit": "^2", "@sveltejs/adapter-node": "^5", "vite": "^7"}}`},
			framework: "sveltekit", start: []string{"node", "build"}, port: 3000, hostEnv: "HOST",
			evField: "start", evFile: "package.json", evDetail: "adapter-node",
		},
		{
			name:      "sveltekit adapter-static",
			files:     map[string]string{"package.json": `{"scripts": {"build": "vite build"}, "devDependencies": {"@sveltejs/kit": "^2", "@sveltejs/adapter-static": "^3"}}`},
			framework: "sveltekit", static: "build", port: 8080, evField: "static", evFile: "package.json", evDetail: "adapter-static",
		},
		{
			name:      "sveltekit adapter-auto gets a note",
			files:     map[string]string{"package.json": `{"scripts": {"build": "vite build"}, "devDependencies": {"@sveltejs/kit": "^2", "@sveltejs/adapter-auto": "^3"}}`},
			framework: "sveltekit", start: []string{"node", "build"}, port: 3000, hostEnv: "HOST",
			evField: "framework", evFile: "package.json", evDetail: "@sveltejs/kit", note: "adapter-node",
		},
		{
			name:      "astro with the node adapter",
			files:     map[string]string{"package.json": `{"scripts": {"build": "astro build"}, "dependencies": {"astro": "^5", "@astrojs/node": "^9"}}`},
			framework: "astro", start: []string{"node", "dist/server/entry.mjs"}, port: 4321, hostEnv: "HOST",
			evField: "port", evFile: "package.json", evDetail: "4321",
		},
		{
			name:      "astro static",
			files:     map[string]string{"package.json": `{"scripts": {"build": "astro build"}, "dependencies": {"astro": "^5"}}`},
			framework: "astro", static: "dist", port: 8080, evField: "static", evFile: "package.json", evDetail: "dist/",
		},
		{
			name:      "remix-serve from scripts.start",
			files:     map[string]string{"package.json": "{\"scripts\": {\"build\": \"remix vite:build\",\n\"start\": \"remix-serve ./build/server/index.js\"}, \"dependencies\": {\"@remix-run/serve\": \"^2\"}}"},
			framework: "remix", start: []string{"node", "node_modules/@remix-run/serve/dist/cli.js", "./build/server/index.js"},
			evField: "start", evFile: "package.json", evDetail: "remix-serve",
		},
		{
			name:      "remix without a start script",
			files:     map[string]string{"package.json": `{"scripts": {"build": "remix vite:build"}, "dependencies": {"@remix-run/serve": "^2"}}`, "vite.config.ts": ""},
			framework: "remix", start: []string{"node", "node_modules/@remix-run/serve/dist/cli.js", "build/server/index.js"}, port: 3000,
			evField: "start", evFile: "package.json", evDetail: "remix-serve build/server/index.js",
		},
		{
			name:      "nestjs",
			files:     map[string]string{"package.json": `{"scripts": {"build": "nest build"}, "dependencies": {"@nestjs/core": "^11"}}`, "src/main.ts": "await app.listen(process.env.PORT ?? 3000);\n"},
			framework: "nestjs", start: []string{"node", "dist/main"}, port: 3000,
			evField: "port", evFile: "src/main.ts", evDetail: "process.env.PORT ?? 3000",
		},
		{
			name: "angular application builder",
			files: map[string]string{
				"package.json": `{"scripts": {"build": "ng build", "start": "ng serve"}, "dependencies": {"@angular/core": "^20"}}`,
				"angular.json": `{"projects": {"shop": {"projectType": "application", "architect": {"build": {"builder": "@angular/build:application", "options": {"outputPath": "dist/shop"}}}}}}`,
			},
			framework: "angular", static: "dist/shop/browser", port: 8080,
			evField: "static", evFile: "angular.json", evDetail: "dist/shop/browser", note: "ng serve",
		},
		{
			name: "angular browser builder",
			files: map[string]string{
				"package.json": `{"scripts": {"build": "ng build"}, "dependencies": {"@angular/core": "^15"}}`,
				"angular.json": `{"defaultProject": "web", "projects": {"web": {"architect": {"build": {"builder": "@angular-devkit/build-angular:browser", "options": {"outputPath": "dist/web"}}}}}}`,
			},
			framework: "angular", static: "dist/web", port: 8080, evField: "static", evFile: "angular.json", evDetail: "dist/web/",
		},
		{
			name: "angular ssr",
			files: map[string]string{
				"package.json": `{"scripts": {"build": "ng build"}, "dependencies": {"@angular/core": "^20", "@angular/ssr": "^20"}}`,
				"angular.json": `{"projects": {"shop": {"projectType": "application", "architect": {"build": {"builder": "@angular/build:application", "options": {"outputPath": "dist/shop", "ssr": {"entry": "src/server.ts"}}}}}}}`,
			},
			framework: "angular", start: []string{"node", "dist/shop/server/server.mjs"}, port: 4000, hostEnv: "HOST",
			evField: "start", evFile: "angular.json", evDetail: "server.mjs",
		},
		{
			name:      "create react app",
			files:     map[string]string{"package.json": `{"scripts": {"build": "react-scripts build", "start": "react-scripts start"}, "dependencies": {"react-scripts": "5.0.1"}}`},
			framework: "cra", static: "build", port: 8080, evField: "static", evFile: "package.json", evDetail: "build/", note: "react-scripts start",
		},
		{
			name:      "vite spa",
			files:     map[string]string{"package.json": `{"scripts": {"build": "vite build"}, "devDependencies": {"vite": "^7"}}`, "index.html": "<html></html>"},
			framework: "vite", static: "dist", port: 8080, evField: "static", evFile: "package.json", evDetail: "dist/",
		},
		{
			name: "vite spa with outDir",
			files: map[string]string{
				"package.json":   `{"scripts": {"build": "vite build"}, "devDependencies": {"vite": "^7"}}`,
				"index.html":     "<html></html>",
				"vite.config.ts": "export default {\n  build: { outDir: 'public/app' },\n};\n",
			},
			framework: "vite", static: "public/app", port: 8080, evField: "static", evFile: "vite.config.ts", evDetail: "outDir",
		},
		{
			name:      "express",
			files:     map[string]string{"package.json": `{"dependencies": {"express": "^5"}}`, "server.js": nodeExpressServer},
			framework: "express", start: []string{"node", "server.js"}, port: 3000,
			evField: "framework", evFile: "package.json", evDetail: `"express": "^5"`,
		},
		{
			name:      "express server with vite for its client is a server",
			files:     map[string]string{"package.json": `{"dependencies": {"express": "^5"}, "devDependencies": {"vite": "^7"}}`, "server.js": nodeExpressServer, "index.html": ""},
			framework: "express", start: []string{"node", "server.js"}, port: 3000,
			evField: "start", evFile: "server.js", evDetail: "entry file",
		},
		{
			name:      "fastify",
			files:     map[string]string{"package.json": `{"dependencies": {"fastify": "^5"}}`, "app.js": "fastify.listen({ port: 8081, host: '0.0.0.0' })\n"},
			framework: "fastify", start: []string{"node", "app.js"}, port: 8081,
			evField: "port", evFile: "app.js", evDetail: "port: 8081",
		},
		{
			name:      "koa",
			files:     map[string]string{"package.json": `{"dependencies": {"koa": "^3"}}`, "index.js": "app.listen(5050);\n"},
			framework: "koa", start: []string{"node", "index.js"}, port: 5050,
			evField: "port", evFile: "index.js", evDetail: "app.listen(5050)",
		},
		{
			name:      "hono on node",
			files:     map[string]string{"package.json": `{"type": "module", "dependencies": {"hono": "^4", "@hono/node-server": "^1"}}`, "src/index.js": "serve({ fetch: app.fetch, port: 8787 })\n"},
			framework: "hono", start: []string{"node", "src/index.js"}, port: 8787,
			evField: "port", evFile: "src/index.js", evDetail: "port: 8787",
		},
		{
			name:      "no framework",
			files:     map[string]string{"package.json": `{}`, "index.js": "require('http').createServer(h).listen(9000)\n"},
			framework: "", start: []string{"node", "index.js"}, port: 9000,
			evField: "start", evFile: "index.js", evDetail: "entry file",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := nodeDetect(t, tt.files, nil)
			nf := det.Node
			if det.Framework != tt.framework || !reflect.DeepEqual(det.Start, tt.start) || nf.StaticDir != tt.static ||
				det.Port != tt.port || nf.HostEnv != tt.hostEnv {
				t.Errorf("got framework %q start %q static %q port %d host %q, want %q %q %q %d %q",
					det.Framework, det.Start, nf.StaticDir, det.Port, nf.HostEnv, tt.framework, tt.start, tt.static, tt.port, tt.hostEnv)
			}
			detecttest.WantCited(t, det, tt.evField, tt.evFile, 0, tt.evDetail)
			if tt.framework != "" {
				detecttest.WantCited(t, det, "framework", "package.json", 0, "")
			}
			if tt.note != "" && !detecttest.HasNote(det, tt.note) {
				t.Errorf("notes %q lack %q", det.Notes, tt.note)
			}
		})
	}
}

func TestNodeStart(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		answers  facts.Answers
		start    []string
		port     int
		evFile   string
		evLine   int
		evDetail string
		note     string
		choice   string // default of a "main" choice, "" for none
	}{
		{
			name:  "scripts.start with node",
			files: map[string]string{"package.json": "{\n\"scripts\": {\n\"start\": \"node --enable-source-maps lib/server.js\"}}"},
			start: []string{"node", "--enable-source-maps", "lib/server.js"}, evFile: "package.json", evLine: 3, evDetail: `"start": "node --enable-source-maps lib/server.js"`,
		},
		{
			name:  "PORT assignment in scripts.start",
			files: map[string]string{"package.json": `{"scripts": {"start": "cross-env NODE_ENV=production PORT=4100 node app.js"}}`},
			start: []string{"node", "app.js"}, port: 4100, evFile: "package.json", evDetail: `"start"`,
		},
		{
			name:  "next start -p sets the port",
			files: map[string]string{"package.json": `{"scripts": {"start": "next start -p 4000"}}`},
			start: []string{"node", "node_modules/next/dist/bin/next", "start", "-p", "4000"}, port: 4000, evFile: "package.json", evDetail: "next start -p 4000",
		},
		{
			name:  "nodemon becomes node",
			files: map[string]string{"package.json": `{"scripts": {"start": "nodemon --watch src src/index.js"}}`},
			start: []string{"node", "src/index.js"}, evFile: "package.json", evDetail: "nodemon", note: "development watcher",
		},
		{
			name:  "npm run follows the script",
			files: map[string]string{"package.json": `{"scripts": {"start": "npm run serve", "serve": "node serve.js --port=7000"}}`},
			start: []string{"node", "serve.js", "--port=7000"}, port: 7000, evFile: "package.json", evDetail: `"serve": "node serve.js --port=7000"`,
		},
		{
			name:  "a compound script falls back to entry files",
			files: map[string]string{"package.json": `{"scripts": {"start": "npm run migrate && node server.js"}}`, "server.js": "x.listen(3000)"},
			start: []string{"node", "server.js"}, port: 3000, evFile: "server.js", evDetail: "entry file", note: "not a single command",
		},
		{
			name:  "shell quoting: a leading assignment and an escaped space",
			files: map[string]string{"package.json": `{"scripts": {"start": "PORT=4200 node my\\ server.js"}}`},
			start: []string{"node", "my server.js"}, port: 4200, evFile: "package.json", evDetail: `"start"`,
		},
		{
			name:  "a shell comment is not an argument",
			files: map[string]string{"package.json": `{"scripts": {"start": "node server.js # production"}}`},
			start: []string{"node", "server.js"}, evFile: "package.json", evDetail: `"start": "node server.js # production"`,
		},
		{
			name:  "a glob needs the shell: entry files instead",
			files: map[string]string{"package.json": `{"scripts": {"start": "node dist/*.js"}}`, "server.js": "x.listen(3000)"},
			start: []string{"node", "server.js"}, port: 3000, evFile: "server.js", evDetail: "entry file", note: "not a single command",
		},
		{
			name:  "main field",
			files: map[string]string{"package.json": "{\n  \"main\": \"lib/index.js\"\n}", "lib/index.js": ""},
			start: []string{"node", "lib/index.js"}, evFile: "package.json", evLine: 2, evDetail: `"main": "lib/index.js"`,
		},
		{
			name:  "main in dist with a build",
			files: map[string]string{"package.json": `{"main": "dist/index.js", "scripts": {"build": "tsc"}}`},
			start: []string{"node", "dist/index.js"}, evFile: "package.json", evDetail: `"main"`,
		},
		{
			name:  "src entry file",
			files: map[string]string{"package.json": `{}`, "src/app.mjs": "listen(3000)"},
			start: []string{"node", "src/app.mjs"}, evFile: "src/app.mjs", evDetail: "entry file",
		},
		{
			name: "typescript entry compiled to outDir",
			files: map[string]string{
				"package.json":  `{"scripts": {"build": "tsc"}, "devDependencies": {"typescript": "^5"}}`,
				"tsconfig.json": `{"compilerOptions": {"outDir": "./build", "rootDir": "src"}}`,
				"src/server.ts": "app.listen(3000)",
			},
			start: []string{"node", "build/server.js"}, port: 3000, evFile: "src/server.ts", evDetail: "built to build/server.js",
		},
		{
			name:  "several entry files: the one calling listen is the safe default",
			files: map[string]string{"package.json": `{}`, "app.js": "module.exports = app", "server.js": "require('./app').listen(3000)", "index.js": "exports.x = 1"},
			start: []string{"node", "server.js"}, port: 3000, evFile: "server.js", evDetail: "entry file", choice: "server.js",
		},
		{
			name:  "several entry files, none listens: first by convention",
			files: map[string]string{"package.json": `{}`, "app.js": "module.exports = app", "index.js": "require('./app')"},
			start: []string{"node", "app.js"}, evFile: "app.js", evDetail: "entry file", choice: "app.js",
		},
		{
			name:    "answer picks the entry",
			files:   map[string]string{"package.json": `{}`, "app.js": "", "server.js": ""},
			answers: facts.Answers{"main": "./app.js"},
			start:   []string{"node", "app.js"}, evFile: "app.js", evDetail: "chosen entry app.js",
		},
		{
			name:  "unparseable start script runs through the package manager",
			files: map[string]string{"package.json": `{"scripts": {"start": "./bin/run || exit 1"}}`},
			start: []string{"npm", "run", "start"}, evFile: "package.json", evDetail: "scripts.start", note: "through the package manager",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := nodeDetect(t, tt.files, tt.answers)
			if !reflect.DeepEqual(det.Start, tt.start) || det.Port != tt.port {
				t.Errorf("start %q port %d, want %q %d", det.Start, det.Port, tt.start, tt.port)
			}
			detecttest.WantCited(t, det, "start", tt.evFile, tt.evLine, tt.evDetail)
			if tt.note != "" && !detecttest.HasNote(det, tt.note) {
				t.Errorf("notes %q lack %q", det.Notes, tt.note)
			}
			var main *facts.Choice
			for i := range det.Choices {
				if det.Choices[i].Key == "main" {
					main = &det.Choices[i]
				}
			}
			switch {
			case tt.choice == "" && main != nil:
				t.Errorf("unexpected main choice %+v", main)
			case tt.choice != "" && (main == nil || main.Default != tt.choice || !main.Safe || main.Flag != "--main"):
				t.Errorf("main choice = %+v, want safe default %q", main, tt.choice)
			}
		})
	}
}

func TestNodePortAndHealth(t *testing.T) {
	tests := []struct {
		name       string
		src        string
		port       int
		portLine   int
		portDetail string
		health     string
		hLine      int
	}{
		{"env or", "const app = express();\napp.get('/healthz', ok);\napp.listen(process.env.PORT || 8000);\n", 8000, 3, "process.env.PORT || 8000", "/healthz", 2},
		{"env nullish with a string", "const port = parseInt(process.env.PORT ?? \"5001\", 10);\n", 5001, 1, `process.env.PORT ?? "5001"`, "", 0},
		{"env bracket", "server.listen(Number(process.env['PORT']) || 3300)\n", 3300, 1, "3300", "", 0},
		{"listen literal", "\n\nhttp.createServer(h).listen(8088);\n", 8088, 3, "listen(8088)", "", 0},
		{"listen options", "await fastify.listen({\n  host: '0.0.0.0',\n  port: 3030,\n});\nfastify.get(\"/health\", h)\n", 3030, 1, "fastify.listen({", "/health", 5},
		{"port constant", "const PORT = 4444;\napp.listen(PORT);\napp.get(`/ping`, pong)\n", 4444, 1, "const PORT = 4444", "/ping", 3},
		{"env fallback beats a constant", "const DEFAULT_PORT = 1111;\nlisten(process.env.PORT || 2222)\n", 2222, 2, "2222", "", 0},
		{"url comparison", "if (req.url === '/livez') { res.end('ok') }\nserver.listen(3000)\n", 3000, 2, "listen(3000)", "/livez", 1},
		{"nest controller", "@Controller('healthz')\nexport class H {\n  @Get()\n  check() {}\n}\n", 0, 0, "", "/healthz", 1},
		{"no route, no port", "console.log('worker')\n", 0, 0, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := nodeDetect(t, map[string]string{"package.json": `{"main": "src/server.js"}`, "src/server.js": tt.src}, nil)
			if det.Port != tt.port || det.HealthPath != tt.health {
				t.Fatalf("port %d health %q, want %d %q", det.Port, det.HealthPath, tt.port, tt.health)
			}
			if tt.port != 0 {
				detecttest.WantCited(t, det, "port", "src/server.js", tt.portLine, tt.portDetail)
			}
			if tt.health != "" {
				// The route as written: Nest's @Controller('healthz') has no slash.
				detecttest.WantCited(t, det, "healthPath", "src/server.js", tt.hLine, strings.TrimPrefix(tt.health, "/"))
			}
		})
	}
}

func TestNodeNextHealthRoutes(t *testing.T) {
	for file, want := range map[string]string{
		"app/healthz/route.ts":        "/healthz",
		"src/app/api/health/route.js": "/api/health",
		"pages/api/health.ts":         "/api/health",
	} {
		det := nodeDetect(t, map[string]string{"package.json": `{"dependencies": {"next": "16"}}`, file: "export function GET() {}"}, nil)
		if det.HealthPath != want {
			t.Errorf("%s: health %q, want %q", file, det.HealthPath, want)
		}
		detecttest.WantCited(t, det, "healthPath", file, 0, "route")
	}
}

func TestNodeBunRuntime(t *testing.T) {
	det := nodeDetect(t, map[string]string{
		"package.json": `{"module": "index.ts", "dependencies": {"hono": "^4"}}`,
		"bun.lock":     "{}",
		"index.ts":     "import { Hono } from 'hono'\nconst app = new Hono()\nBun.serve({ port: 3001, fetch: app.fetch })\n",
	}, nil)
	if det.Node.Runtime != "bun" || !reflect.DeepEqual(det.Start, []string{"bun", "run", "index.ts"}) || det.Port != 3001 {
		t.Errorf("runtime %q start %q port %d", det.Node.Runtime, det.Start, det.Port)
	}
	detecttest.WantCited(t, det, "runtime", "index.ts", 3, "Bun.serve(")
	det = nodeDetect(t, map[string]string{"package.json": `{"scripts": {"start": "bun run src/main.ts"}}`, "bun.lock": "{}"}, nil)
	if det.Node.Runtime != "bun" || !reflect.DeepEqual(det.Start, []string{"bun", "run", "src/main.ts"}) {
		t.Errorf("bun start script: runtime %q start %q", det.Node.Runtime, det.Start)
	}
	detecttest.WantCited(t, det, "runtime", "package.json", 0, "scripts.start runs bun")
	// Bun as the installer of a plain Node app keeps Node.
	det = nodeDetect(t, map[string]string{"package.json": `{"dependencies": {"express": "^5"}}`, "bun.lock": "{}", "server.js": nodeExpressServer}, nil)
	if det.Node.Runtime != "node" || det.Start[0] != "node" {
		t.Errorf("express with bun.lock: runtime %q start %q", det.Node.Runtime, det.Start)
	}
}

func TestNodeNative(t *testing.T) {
	det := nodeDetect(t, map[string]string{
		"package.json": "{\"dependencies\": {\n\"@prisma/client\": \"^6\",\n\"bcrypt\": \"^6\",\n\"canvas\": \"^3\",\n\"sharp\": \"^0.34\",\n\"puppeteer\": \"^24\"}, \"main\": \"index.js\"}",
		"index.js":     "",
	}, nil)
	nf := det.Node
	if !nf.Prisma || !nf.Canvas || !reflect.DeepEqual(nf.NativeDeps, []string{"bcrypt", "canvas"}) {
		t.Errorf("prisma %v canvas %v native %v", nf.Prisma, nf.Canvas, nf.NativeDeps)
	}
	detecttest.WantCited(t, det, "prisma", "package.json", 2, "@prisma/client")
	detecttest.WantCited(t, det, "nativeDeps", "package.json", 0, "node-gyp")
	if !detecttest.HasNote(det, "sharp ships prebuilt") || !detecttest.HasNote(det, "puppeteer downloads a browser") {
		t.Errorf("notes = %q", det.Notes)
	}
	det = nodeDetect(t, map[string]string{"package.json": `{"main": "index.js"}`, "index.js": "", "binding.gyp": "{}"}, nil)
	if !reflect.DeepEqual(det.Node.NativeDeps, []string{"binding.gyp"}) {
		t.Errorf("binding.gyp: native %v", det.Node.NativeDeps)
	}
	detecttest.WantCited(t, det, "nativeDeps", "binding.gyp", 0, "native addon")
	det = nodeDetect(t, map[string]string{"package.json": `{"packageManager": "pnpm@10.1.0", "dependencies": {"better-sqlite3": "^12"}}`, "pnpm-lock.yaml": "lockfileVersion: '9.0'\n"}, nil)
	if !detecttest.HasNote(det, "onlyBuiltDependencies") {
		t.Errorf("pnpm 10 with a native dependency: notes %q", det.Notes)
	}
}

func TestNodeInstallFiles(t *testing.T) {
	det := nodeDetect(t, map[string]string{
		"package.json":                  `{"packageManager": "yarn@4.5.0", "dependencies": {"local-lib": "file:./vendor/local-lib", "far": "file:../outside"}}`,
		"yarn.lock":                     "__metadata:\n  version: 8\n",
		".yarnrc.yml":                   "yarnPath: .yarn/releases/yarn-4.5.0.cjs\n",
		".yarn/releases/yarn-4.5.0.cjs": "//",
		"patches/x.patch":               "",
		".npmrc":                        "registry=https://npm.example.com/\nnode-linker=hoisted\n",
		"vendor/local-lib/package.json": "{}",
		"server.js":                     "",
	}, nil)
	want := []string{"package.json", "yarn.lock", ".npmrc", ".yarnrc.yml", ".yarn/releases/", "patches/", "vendor/local-lib/"}
	if !reflect.DeepEqual(det.Node.InstallFiles, want) {
		t.Errorf("InstallFiles = %v, want %v", det.Node.InstallFiles, want)
	}
	if det.Node.YarnNodeLinker != "pnp" || det.Node.NpmrcSecret {
		t.Errorf("linker %q secret %v", det.Node.YarnNodeLinker, det.Node.NpmrcSecret)
	}
	detecttest.WantCited(t, det, "npmrc", ".npmrc", 0, "without credentials")
	if !detecttest.HasFileProblem(det, "package.json", "outside the repository") {
		t.Errorf("problems = %v", det.Problems)
	}
	det = nodeDetect(t, map[string]string{"package.json": `{}`, "yarn.lock": "", ".yarnrc.yml": "nodeLinker: \"node-modules\"\n"}, nil)
	if det.Node.YarnNodeLinker != "node-modules" {
		t.Errorf("linker = %q", det.Node.YarnNodeLinker)
	}
	detecttest.WantCited(t, det, "yarnNodeLinker", ".yarnrc.yml", 1, "nodeLinker")

	for _, rc := range []string{
		"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n",
		"@acme:registry=https://npm.acme.dev/\n//npm.acme.dev/:_auth=abc\n",
		"_password=secret\n",
	} {
		det = nodeDetect(t, map[string]string{"package.json": `{}`, ".npmrc": rc}, nil)
		if !det.Node.NpmrcSecret || contains(det.Node.InstallFiles, ".npmrc") {
			t.Errorf(".npmrc %q: secret %v install files %v", rc, det.Node.NpmrcSecret, det.Node.InstallFiles)
		}
		detecttest.WantCited(t, det, "npmrc", ".npmrc", 0, "credential")
	}
}

// Every framework whose server the node detector starts on its default
// port has that port in the catalog: a missing or misspelt key would leave
// the framework on port 0.
func TestNodeFrameworkPortsAreInTheCatalog(t *testing.T) {
	known := map[string]bool{}
	for _, r := range frameworkRules {
		known[r.name] = true
	}
	for _, name := range []string{"nextjs", "nuxt", "sveltekit", "astro", "remix", "angular"} {
		if !known[name] {
			t.Errorf("%s: no framework rule has that name", name)
		}
		if port, ok := catalog.FrameworkPort(name); !ok || port < 1 || port > 65535 {
			t.Errorf("catalog.FrameworkPort(%q) = %d, %v", name, port, ok)
		}
	}
}
