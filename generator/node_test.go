package generator

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// nodePlanFor resolves a Plan for an in-memory Node repository.
func nodePlanFor(t *testing.T, files map[string]string, opts Options) *Plan {
	t.Helper()
	p := resolveFiles(t, files, opts)
	if p.Node == nil {
		t.Fatalf("plan has no Node part: %+v", p)
	}
	return p
}

// nodeRender renders p and returns the Dockerfile and .dockerignore.
func nodeRender(t *testing.T, p *Plan) (string, string) {
	t.Helper()
	files, err := Render(p, "")
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return string(files[0].Data), string(files[1].Data)
}

func TestPlanNodeNoBuildInstallsProductionOnly(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json":      `{"dependencies": {"express": "^5"}, "engines": {"node": "22"}}`,
		"package-lock.json": "{}",
		"server.js":         "app.get('/healthz', ok)\napp.listen(process.env.PORT || 3000)\n",
	}, Options{})
	np := p.Node
	if np.Install != "npm ci --omit=dev --no-audit --no-fund" || np.Prune != "" || p.Build != "" || np.Setup != "" {
		t.Errorf("install %q prune %q build %q setup %q", np.Install, np.Prune, p.Build, np.Setup)
	}
	if p.Template != "node" || p.Images.Build != "node:22-trixie-slim" || p.Images.Runtime != "node:22-trixie-slim" {
		t.Errorf("template %q images %+v", p.Template, p.Images)
	}
	if p.User != (User{UID: 1000, GID: 1000, Name: "node"}) || !reflect.DeepEqual(p.Start, []string{"node", "server.js"}) {
		t.Errorf("user %+v start %q", p.User, p.Start)
	}
	if !reflect.DeepEqual(np.Copies, []NodeCopy{{From: "build", Sources: []string{"/app/"}, Dest: "/app/", Why: np.Copies[0].Why}}) {
		t.Errorf("copies %+v", np.Copies)
	}
	if !reflect.DeepEqual(np.Env, []NodeEnv{{"NODE_ENV", "production"}, {"PORT", "3000"}}) {
		t.Errorf("env %+v", np.Env)
	}
	hc := p.Healthcheck
	wantJS := `fetch("http://127.0.0.1:3000/healthz").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`
	if hc == nil || !reflect.DeepEqual(hc.Cmd, []string{"node", "-e", wantJS}) || hc.Path != "/healthz" || hc.Interval != "30s" || hc.Retries != 3 {
		t.Errorf("healthcheck %+v", hc)
	}
	df, _ := nodeRender(t, p)
	for _, want := range []string{
		"FROM node:22-trixie-slim AS build",
		"COPY package.json package-lock.json ./\n",
		"RUN --mount=type=cache,target=/root/.npm \\\n    npm ci --omit=dev --no-audit --no-fund\nCOPY . .\n",
		"USER 1000:1000\nEXPOSE 3000\n",
		`CMD ["node","server.js"]`,
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
}

func TestPlanNodeBuildThenPrune(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json":   `{"packageManager": "pnpm@9.12.0+sha512.x", "scripts": {"build": "tsc", "start": "node dist/index.js"}, "devDependencies": {"typescript": "^5"}, "engines": {"node": ">=22 <25"}}`,
		"pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
	}, Options{})
	np := p.Node
	if p.LanguageVersion != "24" {
		t.Fatalf("version %q", p.LanguageVersion)
	}
	// Node 24 still bundles corepack.
	if np.Setup != "corepack enable && corepack install -g pnpm@9.12.0" || !strings.Contains(np.SetupWhy, "packageManager") {
		t.Errorf("setup %q (%s)", np.Setup, np.SetupWhy)
	}
	if np.Install != "pnpm install --frozen-lockfile" || p.Build != "pnpm run build" || np.Prune != "pnpm prune --prod" ||
		np.CacheTarget != "/root/.local/share/pnpm/store" {
		t.Errorf("install %q build %q prune %q cache %q", np.Install, p.Build, np.Prune, np.CacheTarget)
	}
	if !reflect.DeepEqual(np.BuildEnv, []NodeEnv{{"COREPACK_ENABLE_DOWNLOAD_PROMPT", "0"}}) {
		t.Errorf("build env %+v", np.BuildEnv)
	}
	df, ignore := nodeRender(t, p)
	if !strings.Contains(df, "RUN pnpm run build\n") || !strings.Contains(df, "    pnpm prune --prod\n") {
		t.Errorf("Dockerfile:\n%s", df)
	}
	// dist/ is rebuilt inside the image, so the context leaves it out.
	if !strings.Contains(ignore, "\ndist\n") || !strings.Contains(ignore, "**/node_modules\n") {
		t.Errorf(".dockerignore:\n%s", ignore)
	}
}

func TestPlanNodeManagers(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		version string
		setup   string
		install string
		prune   string
		cache   string
		env     []NodeEnv
	}{
		{
			name:    "yarn 1 on Node 24 uses the image's yarn",
			files:   map[string]string{"package.json": `{"scripts": {"build": "tsc"}, "main": "dist/a.js"}`, "yarn.lock": "# yarn lockfile v1\n", ".nvmrc": "24"},
			setup:   "",
			install: "yarn install --frozen-lockfile", prune: "yarn install --frozen-lockfile --production --ignore-scripts --prefer-offline",
			cache: "/usr/local/share/.cache/yarn",
		},
		{
			name:    "yarn 1 on Node 26 gets it through corepack",
			files:   map[string]string{"package.json": `{"scripts": {"build": "tsc"}, "main": "dist/a.js"}`, "yarn.lock": "# yarn lockfile v1\n", ".nvmrc": "26"},
			setup:   "npm install -g corepack@" + catalog.CorepackVersion + " && corepack enable && corepack install -g yarn@" + catalog.YarnClassicVersion,
			install: "yarn install --frozen-lockfile", prune: "yarn install --frozen-lockfile --production --ignore-scripts --prefer-offline",
			cache: "/usr/local/share/.cache/yarn", env: []NodeEnv{{"COREPACK_ENABLE_DOWNLOAD_PROMPT", "0"}},
		},
		{
			name:    "yarn berry with Plug'n'Play gets node_modules",
			files:   map[string]string{"package.json": `{"packageManager": "yarn@4.9.0", "scripts": {"build": "tsc"}, "main": "dist/a.js"}`, "yarn.lock": "__metadata:\n  version: 8\n"},
			setup:   "npm install -g corepack@" + catalog.CorepackVersion + " && corepack enable && corepack install -g yarn@4.9.0",
			install: "yarn install --immutable", prune: "yarn workspaces focus --all --production",
			cache: "/root/.yarn/berry/cache", env: []NodeEnv{{"COREPACK_ENABLE_DOWNLOAD_PROMPT", "0"}, {"YARN_NODE_LINKER", "node-modules"}},
		},
		{
			name:    "yarn 3 keeps its cache in the project",
			files:   map[string]string{"package.json": `{"scripts": {"build": "tsc"}, "main": "dist/a.js"}`, "yarn.lock": "__metadata:\n  version: 6\n", ".yarnrc.yml": "nodeLinker: node-modules\n", ".nvmrc": "22"},
			setup:   "corepack enable && corepack install -g yarn@3",
			install: "yarn install --immutable", prune: "yarn workspaces focus --all --production",
			cache: "/app/.yarn/cache", env: []NodeEnv{{"COREPACK_ENABLE_DOWNLOAD_PROMPT", "0"}},
		},
		{
			name:    "pnpm from the lockfile major",
			files:   map[string]string{"package.json": `{"scripts": {"build": "tsc"}, "main": "dist/a.js"}`, "pnpm-lock.yaml": "lockfileVersion: '6.0'\n", ".nvmrc": "26"},
			setup:   "npm install -g corepack@" + catalog.CorepackVersion + " && corepack enable && corepack install -g pnpm@8",
			install: "pnpm install --frozen-lockfile", prune: "pnpm prune --prod",
			cache: "/root/.local/share/pnpm/store", env: []NodeEnv{{"COREPACK_ENABLE_DOWNLOAD_PROMPT", "0"}},
		},
		{
			name:    "bun installs, node runs",
			files:   map[string]string{"package.json": `{"scripts": {"build": "tsc"}, "main": "dist/a.js"}`, "bun.lock": "{}"},
			setup:   "npm install -g bun@" + catalog.BunVersion,
			install: "bun install --frozen-lockfile", prune: "find . -name node_modules -type d -prune -exec rm -rf {} + && bun install --frozen-lockfile --production",
			cache: "/root/.bun/install/cache",
		},
		{
			name:    "npm without a lockfile",
			files:   map[string]string{"package.json": `{"scripts": {"build": "tsc"}, "main": "dist/a.js"}`},
			install: "npm install --no-audit --no-fund", prune: "npm prune --omit=dev --no-audit --no-fund", cache: "/root/.npm",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := nodePlanFor(t, tt.files, Options{})
			np := p.Node
			if np.Setup != tt.setup || np.Install != tt.install || np.Prune != tt.prune || np.CacheTarget != tt.cache || !reflect.DeepEqual(np.BuildEnv, tt.env) {
				t.Errorf("setup %q install %q prune %q cache %q env %+v", np.Setup, np.Install, np.Prune, np.CacheTarget, np.BuildEnv)
			}
			if _, err := Render(p, ""); err != nil {
				t.Errorf("Render: %v", err)
			}
		})
	}
}

func TestPlanNodeStatic(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json":      `{"scripts": {"build": "vite build", "start": "vite preview"}, "devDependencies": {"vite": "^7"}}`,
		"package-lock.json": "{}",
		"index.html":        "<html></html>",
	}, Options{})
	np := p.Node
	if p.Template != "static" || p.Images.Runtime != "nginxinc/nginx-unprivileged:"+catalog.NginxUnprivilegedTag || p.Images.Build != "node:26-trixie-slim" {
		t.Errorf("template %q images %+v", p.Template, p.Images)
	}
	if p.PortNumber() != 8080 || p.User.UID != 101 || np.StaticDir != "/app/dist" || np.Prune != "" || p.Build != "npm run build" {
		t.Errorf("port %d user %+v static %q prune %q build %q", p.PortNumber(), p.User, np.StaticDir, np.Prune, p.Build)
	}
	if !reflect.DeepEqual(p.Healthcheck.Cmd, []string{"curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/"}) {
		t.Errorf("healthcheck %q", p.Healthcheck.Cmd)
	}
	found := false
	for _, n := range p.Notes {
		found = found || strings.Contains(n, "vite preview")
	}
	if !found {
		t.Errorf("notes %q do not say the start script is not used", p.Notes)
	}
	df, ignore := nodeRender(t, p)
	for _, want := range []string{
		"FROM nginxinc/nginx-unprivileged:" + catalog.NginxUnprivilegedTag + " AS runtime",
		"'        try_files $uri $uri/ /index.html;' \\",
		"'    listen 8080;' \\",
		"COPY --from=build /app/dist/ /usr/share/nginx/html/",
		"USER 101:101\nEXPOSE 8080\n",
		`CMD ["nginx","-g","daemon off;"]`,
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if strings.Contains(df, "<<") {
		t.Error("Dockerfile uses a heredoc")
	}
	if !strings.Contains(ignore, "\ndist\n") {
		t.Errorf(".dockerignore lacks dist:\n%s", ignore)
	}

	// --start turns static serving off, and says so.
	p = nodePlanFor(t, map[string]string{
		"package.json": `{"scripts": {"build": "vite build"}, "devDependencies": {"vite": "^7"}}`, "index.html": "",
	}, Options{Start: []string{"node", "serve.js"}})
	if p.Template != "node" || !reflect.DeepEqual(p.Start, []string{"node", "serve.js"}) {
		t.Errorf("with --start: template %q start %q", p.Template, p.Start)
	}
	found = false
	for _, n := range p.Notes {
		found = found || strings.Contains(n, "--start overrides")
	}
	if !found {
		t.Errorf("notes %q", p.Notes)
	}
	// A static site without a build script cannot be served.
	_, err := Resolve(context.Background(), fstest.MapFS{
		"package.json": {Data: []byte(`{"dependencies": {"react-scripts": "5"}}`)},
	}, Options{})
	if err == nil || !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "scripts.build") {
		t.Errorf("no build script: err = %v", err)
	}
}

func TestPlanNodeFrameworkRuntimes(t *testing.T) {
	t.Run("next standalone", func(t *testing.T) {
		p := nodePlanFor(t, map[string]string{
			"package.json": `{"scripts": {"build": "next build"}, "dependencies": {"next": "16"}}`, "package-lock.json": "{}",
			"next.config.mjs": "export default { output: 'standalone' }", "public/robots.txt": "",
		}, Options{})
		np := p.Node
		var srcs []string
		for _, c := range np.Copies {
			srcs = append(srcs, c.Sources[0]+" -> "+c.Dest)
		}
		want := []string{"/app/.next/standalone -> /app/", "/app/.next/static -> /app/.next/static/", "/app/public -> /app/public/"}
		if !reflect.DeepEqual(srcs, want) || np.Prune != "" {
			t.Errorf("copies %q prune %q", srcs, np.Prune)
		}
		if !reflect.DeepEqual(np.Env, []NodeEnv{{"NODE_ENV", "production"}, {"PORT", "3000"}, {"HOSTNAME", "0.0.0.0"}}) ||
			!reflect.DeepEqual(np.BuildEnv, []NodeEnv{{"NEXT_TELEMETRY_DISABLED", "1"}}) {
			t.Errorf("env %+v build env %+v", np.Env, np.BuildEnv)
		}
		if !reflect.DeepEqual(np.Writable, []string{"/app/.next/cache"}) {
			t.Errorf("writable %q", np.Writable)
		}
		df, _ := nodeRender(t, p)
		if !strings.Contains(df, "RUN mkdir -p /app/.next/cache \\\n    && chown 1000:1000 /app/.next/cache\n") {
			t.Errorf("Dockerfile:\n%s", df)
		}
		// No health route: any HTTP answer proves liveness.
		if p.Healthcheck.Path != "" || !strings.Contains(p.Healthcheck.Cmd[2], `fetch("http://127.0.0.1:3000/").then(() => process.exit(0)`) {
			t.Errorf("healthcheck %+v", p.Healthcheck)
		}
	})
	t.Run("nuxt", func(t *testing.T) {
		p := nodePlanFor(t, map[string]string{
			"package.json": `{"scripts": {"build": "nuxt build"}, "dependencies": {"nuxt": "4"}}`, "package-lock.json": "{}",
		}, Options{})
		np := p.Node
		if len(np.Copies) != 1 || np.Copies[0].Sources[0] != "/app/.output" || np.Copies[0].Dest != "/app/.output/" || np.Prune != "" {
			t.Errorf("copies %+v prune %q", np.Copies, np.Prune)
		}
		if !reflect.DeepEqual(np.Env[2], NodeEnv{"HOST", "0.0.0.0"}) || !reflect.DeepEqual(p.Start, []string{"node", ".output/server/index.mjs"}) {
			t.Errorf("env %+v start %q", np.Env, p.Start)
		}
	})
	t.Run("bun runtime", func(t *testing.T) {
		p := nodePlanFor(t, map[string]string{
			"package.json": `{"packageManager": "bun@1.3.2", "scripts": {"start": "bun run src/index.ts"}}`, "bun.lock": "{}",
			"src/index.ts": "Bun.serve({ port: 3000, fetch })\n",
		}, Options{})
		if p.Images.Build != "oven/bun:1.3.2-slim" || p.Images.Runtime != "oven/bun:1.3.2-slim" || p.User.Name != "bun" || p.Node.Setup != "" {
			t.Errorf("images %+v user %+v setup %q", p.Images, p.User, p.Node.Setup)
		}
		if p.Healthcheck.Cmd[0] != "bun" || !reflect.DeepEqual(p.Start, []string{"bun", "run", "src/index.ts"}) {
			t.Errorf("healthcheck %q start %q", p.Healthcheck.Cmd, p.Start)
		}
	})
	t.Run("worker has no port and no healthcheck", func(t *testing.T) {
		p := nodePlanFor(t, map[string]string{"package.json": `{"main": "worker.js"}`, "worker.js": "setInterval(work, 1000)"}, Options{NoPort: true})
		if p.Port != nil || p.Healthcheck != nil || !reflect.DeepEqual(p.Node.Env, []NodeEnv{{"NODE_ENV", "production"}}) {
			t.Errorf("port %v healthcheck %+v env %+v", p.Port, p.Healthcheck, p.Node.Env)
		}
		df, _ := nodeRender(t, p)
		if strings.Contains(df, "EXPOSE") || strings.Contains(df, "HEALTHCHECK") {
			t.Errorf("worker Dockerfile:\n%s", df)
		}
	})
	t.Run("no start command", func(t *testing.T) {
		_, err := Resolve(context.Background(), fstest.MapFS{"package.json": {Data: []byte(`{}`)}}, Options{})
		if err == nil || !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "--start") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestPlanNodeNativeAndPrisma(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json":      `{"scripts": {"build": "tsc"}, "main": "dist/index.js", "dependencies": {"@prisma/client": "6", "bcrypt": "6", "canvas": "3"}, "devDependencies": {"prisma": "6"}}`,
		"package-lock.json": "{}",
	}, Options{})
	np := p.Node
	for _, want := range []string{"python3", "make", "g++", "libcairo2-dev", "openssl"} {
		if !containsString(np.BuildPackages, want) {
			t.Errorf("build packages %q lack %s", np.BuildPackages, want)
		}
	}
	for _, want := range []string{"openssl", "libcairo2", "libpango-1.0-0"} {
		if !containsString(np.RuntimePackages, want) {
			t.Errorf("runtime packages %q lack %s", np.RuntimePackages, want)
		}
	}
	if containsString(np.RuntimePackages, "g++") || !reflect.DeepEqual(np.Generate, []string{"npx --no-install prisma generate"}) {
		t.Errorf("runtime %q generate %q", np.RuntimePackages, np.Generate)
	}
	df, _ := nodeRender(t, p)
	build, runtime, _ := strings.Cut(df, "AS runtime")
	if !strings.Contains(build, "apt-get install -y --no-install-recommends python3 make g++") || !strings.Contains(build, "rm -rf /var/lib/apt/lists/*") {
		t.Errorf("build stage:\n%s", build)
	}
	if strings.Contains(runtime, "g++") || !strings.Contains(runtime, "--no-install-recommends libcairo2") {
		t.Errorf("runtime stage:\n%s", runtime)
	}
	if i, j := strings.Index(df, "prisma generate"), strings.Index(df, "RUN npm run build"); i < 0 || j < i {
		t.Errorf("prisma generate must run before the build:\n%s", df)
	}
}

func TestPlanNodeNpmrc(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json": `{"main": "index.js"}`, "package-lock.json": "{}", "index.js": "",
		".npmrc": "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n",
	}, Options{})
	if len(p.Secrets) != 1 || p.Secrets[0].ID != "npmrc" || p.Secrets[0].Target != "/root/.npmrc" {
		t.Fatalf("secrets %+v", p.Secrets)
	}
	df, ignore := nodeRender(t, p)
	if !strings.Contains(df, "--mount=type=secret,id=npmrc,target=/root/.npmrc") || strings.Contains(df, "COPY package.json package-lock.json .npmrc") {
		t.Errorf("Dockerfile:\n%s", df)
	}
	if !strings.Contains(ignore, "**/.npmrc") {
		t.Errorf("a .npmrc with a token must stay ignored:\n%s", ignore)
	}

	p = nodePlanFor(t, map[string]string{
		"package.json": `{"main": "index.js"}`, "package-lock.json": "{}", "index.js": "",
		".npmrc": "registry=https://npm.example.com/\n",
	}, Options{})
	df, ignore = nodeRender(t, p)
	if len(p.Secrets) != 0 || !strings.Contains(df, "COPY package.json package-lock.json .npmrc ./") {
		t.Errorf("secrets %+v Dockerfile:\n%s", p.Secrets, df)
	}
	if strings.Contains(ignore, "**/.npmrc") {
		t.Errorf("a token-free .npmrc that the Dockerfile copies is ignored:\n%s", ignore)
	}
}

func TestPlanNodeWorkspaces(t *testing.T) {
	files := map[string]string{
		"package.json":              `{"private": true, "packageManager": "pnpm@10.2.0"}`,
		"pnpm-lock.yaml":            "lockfileVersion: '9.0'\n",
		"pnpm-workspace.yaml":       "packages: ['apps/*', 'packages/*']\n",
		"apps/api/package.json":     `{"name": "api", "scripts": {"build": "tsc", "start": "node dist/main.js"}, "dependencies": {"lib": "workspace:*"}}`,
		"apps/web/package.json":     `{"name": "web", "scripts": {"build": "vite build"}, "devDependencies": {"vite": "7"}}`,
		"apps/web/index.html":       "",
		"packages/lib/package.json": `{"name": "lib"}`,
	}
	// Two apps and nobody to ask: the run stops and names --app.
	fsys := fstest.MapFS{}
	for k, v := range files {
		fsys[k] = &fstest.MapFile{Data: []byte(v)}
	}
	if _, err := Resolve(context.Background(), fsys, Options{}); !errors.Is(err, ErrNeedAnswer) || !strings.Contains(err.Error(), "--app") {
		t.Fatalf("err = %v, want ErrNeedAnswer naming --app", err)
	}
	p := nodePlanFor(t, files, Options{Answers: facts.Answers{"app": "apps/api"}})
	np := p.Node
	if np.Prune != "pnpm --filter api deploy --legacy --prod /prod/app" || p.Build != "pnpm --filter api... run build" {
		t.Errorf("prune %q build %q", np.Prune, p.Build)
	}
	var copies []string
	for _, c := range np.Copies {
		copies = append(copies, c.Sources[0]+" -> "+c.Dest)
	}
	if !reflect.DeepEqual(copies, []string{"/prod/app/ -> /app/", "/app/apps/api/dist -> /app/dist/"}) || np.Workdir != "/app" {
		t.Errorf("copies %q workdir %q", copies, np.Workdir)
	}
	var manifests []string
	for _, m := range np.Manifests {
		manifests = append(manifests, strings.Join(m.Sources, " ")+" -> "+m.Dest)
	}
	want := []string{"package.json pnpm-lock.yaml pnpm-workspace.yaml -> ./", "apps/api/package.json -> apps/api/", "apps/web/package.json -> apps/web/", "packages/lib/package.json -> packages/lib/"}
	if !reflect.DeepEqual(manifests, want) {
		t.Errorf("manifests %q, want %q", manifests, want)
	}
	df, ignore := nodeRender(t, p)
	if i, j := strings.Index(df, "COPY packages/lib/package.json"), strings.Index(df, "pnpm install --frozen-lockfile"); i < 0 || j < i {
		t.Errorf("workspace manifests must be copied before the install:\n%s", df)
	}
	if !strings.Contains(ignore, "apps/api/dist\n") {
		t.Errorf(".dockerignore:\n%s", ignore)
	}

	// pnpm 9 has no --legacy flag.
	files["package.json"] = `{"private": true, "packageManager": "pnpm@9.15.0"}`
	p = nodePlanFor(t, files, Options{Answers: facts.Answers{"app": "apps/api"}})
	if p.Node.Prune != "pnpm --filter api deploy --prod /prod/app" {
		t.Errorf("pnpm 9 prune %q", p.Node.Prune)
	}

	// npm workspaces: the whole workspace is pruned and the app runs in
	// its folder.
	p = nodePlanFor(t, map[string]string{
		"package.json":          `{"workspaces": ["apps/*"]}`,
		"package-lock.json":     "{}",
		"apps/api/package.json": `{"name": "api", "scripts": {"build": "tsc", "start": "node dist/main.js"}}`,
	}, Options{})
	if p.Node.Workdir != "/app/apps/api" || p.Node.Prune != "npm prune --omit=dev --no-audit --no-fund" || p.Build != "npm run build -w apps/api" {
		t.Errorf("npm workspace: workdir %q prune %q build %q", p.Node.Workdir, p.Node.Prune, p.Build)
	}
	if len(p.Decisions) == 0 || !strings.Contains(p.Decisions[0], "app") {
		t.Errorf("the safe app default is not reported: %q", p.Decisions)
	}
}

func TestPlanNodeHealthPathIsQuoted(t *testing.T) {
	p := nodePlanFor(t, map[string]string{"package.json": `{"main": "index.js"}`, "index.js": "listen(3000)"},
		Options{HealthPath: `/a"b'c`})
	js := p.Healthcheck.Cmd[2]
	if !strings.Contains(js, `fetch("http://127.0.0.1:3000/a\"b'c")`) {
		t.Errorf("health check JS %q does not quote the path as a JS string", js)
	}
	df, _ := nodeRender(t, p)
	if !strings.Contains(df, `CMD ["node","-e","fetch(\"http://127.0.0.1:3000/a\\\"b'c\")`) {
		t.Errorf("Dockerfile:\n%s", df)
	}
}
