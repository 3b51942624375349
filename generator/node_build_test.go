package generator

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
)

func TestPlanNodeImageBuildScript(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json":      `{"scripts": {"build": "tsc --watch", "build:docker": "tsc -p tsconfig.build.json", "start": "node dist/index.js"}, "dependencies": {"express": "^5"}, "devDependencies": {"typescript": "^5"}, "engines": {"node": "22"}}`,
		"package-lock.json": "{}",
		"src/index.ts":      "app.listen(process.env.PORT || 3000)\n",
	}, Options{})
	if p.Build != "npm run build:docker" {
		t.Fatalf("build %q", p.Build)
	}
	df, img := nodeChecked(t, p)
	if !strings.Contains(df, "RUN npm run build:docker\n") || strings.Contains(df, "RUN npm run build\n") {
		t.Errorf("the image script must replace build:\n%s", df)
	}
	if !reflect.DeepEqual(img.Cmd, []string{"node", "dist/index.js"}) {
		t.Errorf("CMD %q", img.Cmd)
	}
	said := false
	for _, n := range p.Notes {
		said = said || strings.Contains(n, "scripts.build:docker is meant for image builds")
	}
	if !said {
		t.Errorf("notes %q do not say why build:docker runs", p.Notes)
	}
}

// npmCommandRe finds npm run by a RUN line or its continuation.
var npmCommandRe = regexp.MustCompile(`(?m)^(?:RUN |\s+)(?:--mount\S* \\\n\s+)?npm `)

func TestPlanNodeBunWithoutLockfile(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json": `{"module": "server.ts"}`,
		"server.ts":    "Bun.serve({ port: Number(Bun.env.PORT ?? 3000), fetch: () => new Response('ok') });\n",
	}, Options{})
	if p.PackageManager != "bun" || !strings.HasPrefix(p.Images.Build, "oven/bun:") || p.Images.Runtime != p.Images.Build {
		t.Fatalf("manager %q images %+v", p.PackageManager, p.Images)
	}
	if p.Node.Install != "bun install --production" {
		t.Errorf("install %q", p.Node.Install)
	}
	df, img := nodeChecked(t, p)
	if !reflect.DeepEqual(img.Cmd, []string{"bun", "run", "server.ts"}) || img.User != "1000:1000" {
		t.Errorf("CMD %q user %q\n%s", img.Cmd, img.User, df)
	}
	if npmCommandRe.MatchString(df) {
		t.Errorf("npm in a Bun image:\n%s", df)
	}
}

func TestPlanNodeOtherManagerBunRuntime(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json":      `{"scripts": {"start": "bun run src/index.ts"}, "dependencies": {"hono": "^4"}, "engines": {"node": "22"}}`,
		"package-lock.json": "{}",
		"src/index.ts":      "export default { port: 3000, fetch: () => new Response('ok') };\n",
	}, Options{})
	if !strings.HasPrefix(p.Images.Build, "node:22") || !strings.HasPrefix(p.Images.Runtime, "oven/bun:") {
		t.Fatalf("images %+v", p.Images)
	}
	df, img := nodeChecked(t, p)
	build, runtime, _ := strings.Cut(df, "AS runtime")
	if !strings.Contains(build, "npm ci --omit=dev") || npmCommandRe.MatchString(runtime) {
		t.Errorf("npm installs in Node's image only:\n%s", df)
	}
	if !reflect.DeepEqual(img.Cmd, []string{"bun", "run", "src/index.ts"}) || img.Healthcheck[1] != "bun" {
		t.Errorf("CMD %q health %q", img.Cmd, img.Healthcheck)
	}

	// A build script that runs bun gets Bun in Node's build stage.
	p = nodePlanFor(t, map[string]string{
		"package.json":      `{"scripts": {"build": "bun build src/index.ts --outdir dist --target node", "start": "node dist/index.js"}, "engines": {"node": "22"}}`,
		"package-lock.json": "{}",
		"src/index.ts":      "require('http').createServer().listen(3000);\n",
	}, Options{})
	df, img = nodeChecked(t, p)
	if i, j := strings.Index(df, "npm install -g bun@"), strings.Index(df, "RUN npm run build"); i < 0 || j < i {
		t.Errorf("bun must be installed before the build:\n%s", df)
	}
	if !strings.HasPrefix(p.Images.Runtime, "node:22") || img.Cmd[0] != "node" {
		t.Errorf("runtime %q CMD %q", p.Images.Runtime, img.Cmd)
	}
}

func TestPlanNodeNx(t *testing.T) {
	files := map[string]string{
		"package.json":          `{"name": "acme", "dependencies": {"express": "^5"}, "devDependencies": {"nx": "^21", "@nx/webpack": "^21"}, "engines": {"node": "22"}}`,
		"package-lock.json":     "{}",
		"nx.json":               "{}",
		"apps/api/project.json": `{"name": "api", "projectType": "application", "targets": {"build": {"executor": "@nx/webpack:webpack", "options": {"outputPath": "dist/apps/api", "main": "apps/api/src/main.ts"}}}}`,
		"apps/api/src/main.ts":  "app.listen(process.env.PORT || 3333);\n",
	}
	p := nodePlanFor(t, files, Options{})
	if p.Build != "npx nx build api" || p.Node.Workdir != "/app" {
		t.Fatalf("build %q workdir %q", p.Build, p.Node.Workdir)
	}
	df, img := nodeChecked(t, p)
	if !reflect.DeepEqual(img.Cmd, []string{"node", "dist/apps/api/main.js"}) || img.WorkingDir != "/app" || !reflect.DeepEqual(img.ExposedPorts, []string{"3333/tcp"}) {
		t.Errorf("image %+v", img)
	}
	if !strings.Contains(df, "RUN npx nx build api\n") {
		t.Errorf("Dockerfile:\n%s", df)
	}
	_, ignore := nodeRender(t, p)
	if !strings.Contains(ignore, "\ndist\n") {
		t.Errorf("the root dist/ is rebuilt in the image, so it is ignored:\n%s", ignore)
	}

	// In a pnpm workspace, deploy gathers the app and the root dist/
	// output is copied beside it.
	p = nodePlanFor(t, map[string]string{
		"package.json":            `{"packageManager": "pnpm@9.15.0", "devDependencies": {"nx": "^21"}, "engines": {"node": "22"}}`,
		"pnpm-lock.yaml":          "lockfileVersion: '9.0'\n",
		"pnpm-workspace.yaml":     "packages: ['apps/*']\n",
		"nx.json":                 "{}",
		"apps/api/package.json":   `{"name": "api", "dependencies": {"express": "^5"}}`,
		"apps/api/project.json":   `{"targets": {"build": {"executor": "@nx/esbuild:esbuild", "options": {"outputPath": "dist/apps/api", "main": "apps/api/src/main.ts"}}}}`,
		"apps/api/src/main.ts":    "app.listen(3000);\n",
		"apps/other/package.json": `{"name": "other"}`,
	}, Options{Answers: facts.Answers{"app": "apps/api"}})
	var copies []string
	for _, c := range p.Node.Copies {
		copies = append(copies, c.Sources[0]+" -> "+c.Dest)
	}
	if want := []string{"/prod/app/ -> /app/", "/app/dist/apps/api -> /app/dist/apps/api/"}; !reflect.DeepEqual(copies, want) || p.Build != "pnpm exec nx build api" {
		t.Errorf("copies %q build %q", copies, p.Build)
	}
	_, img = nodeChecked(t, p)
	if !reflect.DeepEqual(img.Cmd, []string{"node", "dist/apps/api/main.js"}) || img.WorkingDir != "/app" {
		t.Errorf("image %+v", img)
	}
}

func TestPlanNodeTurbo(t *testing.T) {
	for _, tt := range []struct {
		name, app string
		start     []string
	}{
		{"start script", `{"name": "api", "scripts": {"build": "tsc", "start": "node dist/server.js"}, "dependencies": {"lib": "workspace:*", "express": "^5"}}`, []string{"node", "dist/server.js"}},
		{"main", `{"name": "api", "main": "dist/index.js", "scripts": {"build": "tsc"}, "dependencies": {"lib": "workspace:*", "express": "^5"}}`, []string{"node", "dist/index.js"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := nodePlanFor(t, map[string]string{
				"package.json":              `{"packageManager": "pnpm@9.15.0", "devDependencies": {"turbo": "^2"}, "engines": {"node": "22"}}`,
				"pnpm-lock.yaml":            "lockfileVersion: '9.0'\n",
				"pnpm-workspace.yaml":       "packages: ['apps/*', 'packages/*']\n",
				"turbo.json":                `{"tasks": {"build": {"dependsOn": ["^build"], "outputs": ["dist/**"]}}}`,
				"apps/api/package.json":     tt.app,
				"apps/api/src/server.ts":    "app.listen(3000)\n",
				"packages/lib/package.json": `{"name": "lib", "scripts": {"build": "tsc"}}`,
			}, Options{Answers: facts.Answers{"app": "apps/api"}})
			if p.Build != "pnpm exec turbo run build --filter=api..." {
				t.Errorf("build %q", p.Build)
			}
			df, img := nodeChecked(t, p)
			if !reflect.DeepEqual(img.Cmd, tt.start) || !strings.Contains(df, "COPY --from=build /app/apps/api/dist /app/dist/") {
				t.Errorf("CMD %q\n%s", img.Cmd, df)
			}
		})
	}
}
