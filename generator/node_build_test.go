package generator

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
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
