package generator

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/generator/dockerfilecheck"
)

// nodeChecked renders p, holds the Dockerfile to BuildKit's checks and
// dgen's policy, and returns it with the final image's configuration.
func nodeChecked(t *testing.T, p *Plan) (string, dockerfilecheck.Image) {
	t.Helper()
	files, err := Render(p, "")
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	df, di := files[0].Data, files[1].Data
	res, err := dockerfilecheck.Check(context.Background(), df, di, dockerfilecheck.Expect{Port: p.PortNumber(), Healthcheck: p.Port != nil})
	if err != nil {
		t.Fatalf("Dockerfile does not build: %v\n%s", err, df)
	}
	for _, pr := range res.Problems() {
		t.Errorf("%s\n--- Dockerfile ---\n%s", pr, df)
	}
	return string(df), res.Image
}

func TestPlanNodeWorker(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json":      `{"scripts": {"start": "node src/worker.js"}, "dependencies": {"bullmq": "^5"}, "engines": {"node": "22"}}`,
		"package-lock.json": "{}",
		"src/worker.js":     "const { Worker } = require('bullmq');\nnew Worker('jobs', async (job) => job.data);\n",
	}, Options{})
	if p.Port != nil || p.Healthcheck != nil {
		t.Fatalf("worker: port %v healthcheck %+v", p.Port, p.Healthcheck)
	}
	df, img := nodeChecked(t, p)
	if len(img.ExposedPorts) != 0 || len(img.Healthcheck) != 0 || strings.Contains(df, "EXPOSE") || strings.Contains(df, "HEALTHCHECK") {
		t.Errorf("a worker exposes %v, health check %v:\n%s", img.ExposedPorts, img.Healthcheck, df)
	}
	if !reflect.DeepEqual(img.Cmd, []string{"node", "src/worker.js"}) {
		t.Errorf("CMD %q", img.Cmd)
	}
	for _, e := range img.Env {
		if strings.HasPrefix(e, "PORT=") {
			t.Errorf("a worker gets %s", e)
		}
	}
}

func TestPlanNodeWorkspaceRankedApp(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json":               `{"name": "mono", "private": true, "workspaces": ["apps/*", "examples/*"], "scripts": {"start": "npm start -w apps/api"}, "engines": {"node": "22"}}`,
		"package-lock.json":          "{}",
		"apps/api/package.json":      `{"name": "@acme/api", "scripts": {"start": "node src/index.js"}, "dependencies": {"express": "^5"}}`,
		"apps/api/src/index.js":      "app.listen(process.env.PORT || 4000)\n",
		"apps/admin/package.json":    `{"name": "@acme/admin", "scripts": {"start": "node index.js"}, "dependencies": {"fastify": "^5"}}`,
		"examples/demo/package.json": `{"name": "demo", "scripts": {"start": "node index.js"}}`,
	}, Options{})
	if p.Node.Workdir != "/app/apps/api" || p.PortNumber() != 4000 {
		t.Fatalf("workdir %q port %d", p.Node.Workdir, p.PortNumber())
	}
	said := false
	for _, d := range p.Decisions {
		said = said || (strings.Contains(d, "apps/api") && strings.Contains(d, "scripts.start") && strings.Contains(d, "--app"))
	}
	if !said {
		t.Errorf("the ranked choice is not reported with its reason and flag: %q", p.Decisions)
	}
	_, img := nodeChecked(t, p)
	if img.WorkingDir != "/app/apps/api" || !reflect.DeepEqual(img.Cmd, []string{"node", "src/index.js"}) || !reflect.DeepEqual(img.ExposedPorts, []string{"4000/tcp"}) {
		t.Errorf("image %+v", img)
	}
}

func TestPlanNodePortVariables(t *testing.T) {
	tests := []struct {
		name string
		src  string
		port int
		env  []string // settings the image must have
	}{
		{"the variable the app reads", "const port = Number(process.env.APP_PORT ?? 4000);\napp.listen(port);\n", 4000, []string{"PORT=4000", "APP_PORT=4000"}},
		{"a loopback host default is overridden", "app.listen(process.env.PORT || 3000, process.env.HOST || 'localhost');\n", 3000, []string{"PORT=3000", "HOST=0.0.0.0"}},
		{"a low port from a variable moves up", "app.listen(process.env.PORT || 80);\n", 8080, []string{"PORT=8080"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := nodePlanFor(t, map[string]string{
				"package.json":      `{"main": "server.js", "dependencies": {"express": "^5"}, "engines": {"node": "22"}}`,
				"package-lock.json": "{}",
				"server.js":         tt.src,
			}, Options{})
			if p.PortNumber() != tt.port {
				t.Fatalf("port %d, want %d", p.PortNumber(), tt.port)
			}
			_, img := nodeChecked(t, p)
			for _, want := range tt.env {
				found := false
				for _, e := range img.Env {
					found = found || e == want
				}
				if !found {
					t.Errorf("image env %q lacks %s", img.Env, want)
				}
			}
			if want := []string{strconv.Itoa(tt.port) + "/tcp"}; !reflect.DeepEqual(img.ExposedPorts, want) {
				t.Errorf("exposed %q, want %q", img.ExposedPorts, want)
			}
			if len(img.Healthcheck) < 2 || !strings.Contains(strings.Join(img.Healthcheck, " "), "127.0.0.1:"+strconv.Itoa(tt.port)) {
				t.Errorf("health check %q does not probe port %d", img.Healthcheck, tt.port)
			}
		})
	}
}

func TestPlanNodeHealthPrefix(t *testing.T) {
	files := map[string]string{
		"package.json":      `{"main": "server.js", "dependencies": {"express": "^5"}, "engines": {"node": "22"}}`,
		"package-lock.json": "{}",
		"server.js":         "const app = express();\nconst router = express.Router();\nrouter.get('/health', ok);\napp.use('/api/v1', router);\napp.listen(process.env.PORT || 3000);\n",
	}
	p := nodePlanFor(t, files, Options{})
	_, img := nodeChecked(t, p)
	if hc := strings.Join(img.Healthcheck, " "); !strings.Contains(hc, `http://127.0.0.1:3000/api/v1/health`) {
		t.Errorf("health check %q does not probe the mounted route", hc)
	}

	// The same router mounted under a prefix dgen cannot read: any HTTP
	// answer proves liveness, never a guessed /health.
	files["server.js"] = "const app = express();\nconst router = express.Router();\nrouter.get('/health', ok);\napp.use(config.base, router);\napp.listen(process.env.PORT || 3000);\n"
	p = nodePlanFor(t, files, Options{})
	_, img = nodeChecked(t, p)
	hc := strings.Join(img.Healthcheck, " ")
	if strings.Contains(hc, "/health") || !strings.Contains(hc, `http://127.0.0.1:3000/`) {
		t.Errorf("health check %q: an unresolved prefix must fall back to any HTTP answer", hc)
	}
}

func TestPlanNodeEnvFile(t *testing.T) {
	tests := []struct {
		name    string
		script  string
		version string
		start   []string
		note    string
	}{
		{"Node 22 has --env-file-if-exists", "node --env-file=.env server.js", "22", []string{"node", "--env-file-if-exists=.env", "server.js"}, "--env-file-if-exists=.env instead"},
		{"Node 20 (20.19) has it too", "node --env-file .env.production server.js", "20", []string{"node", "--env-file-if-exists=.env.production", "server.js"}, "instead"},
		{"Node 18 has not: the flag goes", "node --env-file=.env server.js", "18", []string{"node", "server.js"}, "the flag is dropped"},
		{"a file the image keeps stays", "node --env-file=config/app.env server.js", "22", []string{"node", "--env-file=config/app.env", "server.js"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := nodePlanFor(t, map[string]string{
				"package.json":      `{"scripts": {"start": "` + tt.script + `"}, "dependencies": {"express": "^5"}, "engines": {"node": "` + tt.version + `"}}`,
				"package-lock.json": "{}",
				"server.js":         "app.listen(process.env.PORT || 3000)\n",
			}, Options{})
			if !reflect.DeepEqual(p.Start, tt.start) {
				t.Errorf("start %q, want %q", p.Start, tt.start)
			}
			said := false
			for _, n := range p.Notes {
				said = said || (tt.note != "" && strings.Contains(n, tt.note))
			}
			if said != (tt.note != "") {
				t.Errorf("notes %q, want one with %q", p.Notes, tt.note)
			}
			_, img := nodeChecked(t, p)
			if !reflect.DeepEqual(img.Cmd, tt.start) {
				t.Errorf("CMD %q", img.Cmd)
			}
		})
	}
}

func TestPlanNodePublicBuildArgs(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json":      `{"scripts": {"build": "vite build"}, "devDependencies": {"vite": "^7"}, "engines": {"node": "22"}}`,
		"package-lock.json": "{}",
		"index.html":        "<div id=app></div>",
		"src/main.ts":       "fetch(import.meta.env.VITE_API_URL)\n",
		".env.production":   "VITE_API_URL=https://api.example.com\n",
	}, Options{})
	df, _ := nodeChecked(t, p)
	arg := strings.Index(df, "ARG VITE_API_URL\n")
	build := strings.Index(df, "RUN npm run build")
	install := strings.Index(df, "npm ci")
	if arg < 0 || build < arg || arg < install {
		t.Errorf("the ARG must come after the install and before the build:\n%s", df)
	}
	if !strings.Contains(df, "--build-arg") {
		t.Errorf("the ARG has no comment saying how to pass it:\n%s", df)
	}
}

// Browser and Electron downloads of development packages are stopped in
// the build stage; a production dependency keeps its download.
func TestPlanNodeSkipsDevBinaryDownloads(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json":      `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "^5", "puppeteer": "^23"}, "devDependencies": {"cypress": "^13", "@playwright/test": "^1.48", "playwright": "^1.48"}, "engines": {"node": "22"}}`,
		"package-lock.json": "{}",
		"server.js":         "app.get('/healthz', ok)\napp.listen(process.env.PORT || 3000)\n",
	}, Options{})
	df, _ := nodeChecked(t, p)
	for _, want := range []string{"CYPRESS_INSTALL_BINARY=0", "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %s:\n%s", want, df)
		}
	}
	if strings.Count(df, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD") != 1 || strings.Contains(df, "PUPPETEER_SKIP_DOWNLOAD") {
		t.Errorf("playwright set twice, or puppeteer's browser skipped although the app depends on it:\n%s", df)
	}
	build, _, _ := strings.Cut(df, "AS runtime")
	if !strings.Contains(build, "CYPRESS_INSTALL_BINARY") || strings.Contains(df[len(build):], "CYPRESS_INSTALL_BINARY") {
		t.Errorf("the variables belong to the build stage only:\n%s", df)
	}
}

// TestPlanNodeLockedAddonsGetCompilers: native addons found only in the
// lockfile, deep below the direct dependencies, put node-gyp's compilers
// in the build stage; the comment names a few of them and counts the rest.
func TestPlanNodeLockedAddonsGetCompilers(t *testing.T) {
	var pkgs []string
	for _, n := range []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"} {
		pkgs = append(pkgs, `"node_modules/x/node_modules/`+n+`": {"hasInstallScript": true, "dependencies": {"node-gyp-build": "^4"}}`)
	}
	p := nodePlanFor(t, map[string]string{
		"package.json":      `{"scripts": {"start": "node server.js"}, "dependencies": {"x": "1"}, "engines": {"node": "22"}}`,
		"package-lock.json": `{"lockfileVersion": 3, "packages": {` + strings.Join(pkgs, ",") + `}}`,
		"server.js":         "require('http').createServer().listen(3000)\n",
	}, Options{})
	if !reflect.DeepEqual(p.Node.BuildPackages, []string{"python3", "make", "g++"}) {
		t.Errorf("build packages = %q", p.Node.BuildPackages)
	}
	if want := "(a1, a2, a3, a4, a5, a6, and 2 more)"; !strings.Contains(p.Node.BuildPackagesWhy, want) {
		t.Errorf("why = %q, want %q", p.Node.BuildPackagesWhy, want)
	}
	df, _ := nodeChecked(t, p)
	if !strings.Contains(df, "g++") {
		t.Errorf("Dockerfile installs no compilers:\n%s", df)
	}
}
