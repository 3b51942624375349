package node

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func nodeWorkspaceFiles() map[string]string {
	return map[string]string{
		"package.json":                  `{"name": "mono", "private": true, "packageManager": "pnpm@9.15.0"}`,
		"pnpm-lock.yaml":                "lockfileVersion: '9.0'\n",
		"pnpm-workspace.yaml":           "packages:\n  - 'apps/*'\n  - 'packages/**'\n  - '!packages/legacy'\n",
		"apps/web/package.json":         `{"name": "@m/web", "scripts": {"build": "next build"}, "dependencies": {"next": "16", "@m/ui": "workspace:*"}}`,
		"apps/web/next.config.mjs":      "export default { output: 'standalone' }",
		"apps/api/package.json":         `{"name": "@m/api", "scripts": {"build": "tsc", "start": "node dist/main.js"}, "dependencies": {"@m/db": "workspace:^", "fastify": "^5"}}`,
		"apps/api/src/main.ts":          "app.listen({ port: 4000, host: '0.0.0.0' })\napp.get('/healthz', ok)\n",
		"apps/api/.nvmrc":               "22\n",
		"packages/ui/package.json":      `{"name": "@m/ui", "scripts": {"build": "tsc"}}`,
		"packages/db/package.json":      `{"name": "@m/db", "scripts": {"build": "tsc"}, "dependencies": {"@m/util": "workspace:*"}}`,
		"packages/db/util/package.json": `{"name": "@m/util"}`,
		"packages/legacy/package.json":  `{"name": "@m/legacy", "scripts": {"start": "node ."}}`,
	}
}

func TestNodeWorkspaceChoice(t *testing.T) {
	det := nodeDetect(t, nodeWorkspaceFiles(), nil)
	ws := det.Node.Workspace
	if ws == nil || ws.Tool != "pnpm" {
		t.Fatalf("workspace = %+v", ws)
	}
	var dirs []string
	for _, p := range ws.Packages {
		dirs = append(dirs, p.Dir)
	}
	if !reflect.DeepEqual(dirs, []string{"apps/api", "apps/web", "packages/db", "packages/db/util", "packages/ui"}) {
		t.Errorf("packages = %v (packages/legacy is excluded by the negated glob)", dirs)
	}
	detecttest.WantCited(t, det, "workspace", "pnpm-workspace.yaml", 0, "apps/*")
	if len(det.Choices) != 1 || det.Choices[0].Key != "app" || det.Choices[0].Safe || det.Choices[0].Flag != "--app" || len(det.Choices[0].Options) != 2 {
		t.Fatalf("choices = %+v, want one open app choice between the two apps", det.Choices)
	}
	// Every workspace package.json is copied before the install.
	for _, want := range []string{"package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", "apps/api/package.json", "apps/web/package.json",
		"packages/db/package.json", "packages/db/util/package.json", "packages/ui/package.json"} {
		if !contains(det.Node.InstallFiles, want) {
			t.Errorf("InstallFiles %v lack %s", det.Node.InstallFiles, want)
		}
	}
}

func TestNodeWorkspaceApp(t *testing.T) {
	det := nodeDetect(t, nodeWorkspaceFiles(), facts.Answers{"app": "apps/api"})
	nf := det.Node
	if len(det.Choices) != 0 {
		t.Errorf("choices after the answer: %+v", det.Choices)
	}
	if nf.AppDir != "apps/api" || nf.Workspace.AppName != "@m/api" || det.Framework != "fastify" || det.Port != 4000 || det.HealthPath != "/healthz" {
		t.Errorf("app %q name %q framework %q port %d health %q", nf.AppDir, nf.Workspace.AppName, det.Framework, det.Port, det.HealthPath)
	}
	if !reflect.DeepEqual(det.Start, []string{"node", "dist/main.js"}) {
		t.Errorf("start = %q", det.Start)
	}
	detecttest.WantCited(t, det, "app", "apps/api/package.json", 0, "apps/api")
	detecttest.WantCited(t, det, "port", "apps/api/src/main.ts", 1, "port: 4000")
	detecttest.WantCited(t, det, "languageVersion", "apps/api/.nvmrc", 1, "22")
	detecttest.WantCited(t, det, "framework", "apps/api/package.json", 0, "fastify")
	var deps []string
	for _, d := range nf.Workspace.AppDeps {
		deps = append(deps, d.Name)
	}
	if !reflect.DeepEqual(deps, []string{"@m/util", "@m/db"}) {
		t.Errorf("app deps = %v, want dependencies first", deps)
	}
	if det.Build != "pnpm --filter @m/api... run build" {
		t.Errorf("build = %q", det.Build)
	}
	// By package name, and the Next.js app with its standalone path.
	det = nodeDetect(t, nodeWorkspaceFiles(), facts.Answers{"app": "@m/web"})
	if det.Node.AppDir != "apps/web" || !reflect.DeepEqual(det.Start, []string{"node", "apps/web/server.js"}) {
		t.Errorf("web: dir %q start %q", det.Node.AppDir, det.Start)
	}
	detecttest.WantCited(t, det, "nextOutput", "apps/web/next.config.mjs", 1, "standalone")
	// A folder that is not a package is an error naming the choices.
	_, err := Detector{}.Detect(detecttest.MapFS(nodeWorkspaceFiles()), facts.Answers{"app": "apps/nope"})
	if err == nil || !strings.Contains(err.Error(), "apps/api, apps/web") || !strings.Contains(err.Error(), "--app") {
		t.Errorf("unknown app: err = %v", err)
	}
}

func TestNodeWorkspaceKinds(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		tool  string
		build string
		safe  string // the safe default app
	}{
		{
			name: "npm workspaces array, one app",
			files: map[string]string{
				"package.json":                 `{"workspaces": ["packages/*"]}`,
				"package-lock.json":            "{}",
				"packages/server/package.json": `{"name": "server", "scripts": {"build": "tsc", "start": "node dist/index.js"}, "dependencies": {"lib": "*"}}`,
				"packages/lib/package.json":    `{"name": "lib", "scripts": {"build": "tsc"}}`,
			},
			tool: "npm", build: "npm run build -w packages/lib -w packages/server", safe: "packages/server",
		},
		{
			name: "an app without a build script still builds the library it uses",
			files: map[string]string{
				"package.json":                 `{"workspaces": ["packages/*"]}`,
				"yarn.lock":                    "# yarn lockfile v1\n",
				"packages/server/package.json": `{"name": "server", "scripts": {"start": "node index.js"}, "dependencies": {"lib": "*"}}`,
				"packages/lib/package.json":    `{"name": "lib", "scripts": {"build": "tsc"}}`,
			},
			tool: "yarn", build: "yarn workspace lib run build", safe: "packages/server",
		},
		{
			name: "yarn workspaces object",
			files: map[string]string{
				"package.json":           `{"workspaces": {"packages": ["apps/*"]}}`,
				"yarn.lock":              "# yarn lockfile v1\n",
				"apps/site/package.json": `{"name": "site", "scripts": {"build": "vite build"}, "devDependencies": {"vite": "^7"}}`,
				"apps/site/index.html":   "<html></html>",
			},
			tool: "yarn", build: "yarn workspace site run build", safe: "apps/site",
		},
		{
			name: "bun workspaces",
			files: map[string]string{
				"package.json":          `{"workspaces": ["apps/*"]}`,
				"bun.lock":              "{}",
				"apps/api/package.json": `{"name": "api", "scripts": {"build": "bun build src/index.ts --outdir dist", "start": "bun dist/index.js"}}`,
			},
			tool: "bun", build: "bun run --filter api build", safe: "apps/api",
		},
		{
			name: "turbo builds with a filter",
			files: map[string]string{
				"package.json":          `{"packageManager": "pnpm@9.0.0", "devDependencies": {"turbo": "^2"}}`,
				"pnpm-workspace.yaml":   "packages: ['apps/*']\n",
				"pnpm-lock.yaml":        "lockfileVersion: '9.0'\n",
				"turbo.json":            "{}",
				"apps/api/package.json": `{"name": "api", "scripts": {"build": "tsc", "start": "node dist/index.js"}}`,
			},
			tool: "pnpm", build: "pnpm exec turbo run build --filter=api...", safe: "apps/api",
		},
		{
			name: "nx runs the project's build target",
			files: map[string]string{
				"package.json":          `{"workspaces": ["apps/*"], "devDependencies": {"nx": "^21"}}`,
				"package-lock.json":     "{}",
				"nx.json":               "{}",
				"apps/api/package.json": `{"name": "api", "scripts": {"build": "tsc", "start": "node dist/index.js"}}`,
			},
			tool: "npm", build: "npx nx build api", safe: "apps/api",
		},
		{
			name: "lerna packages",
			files: map[string]string{
				"package.json":             `{}`,
				"package-lock.json":        "{}",
				"lerna.json":               `{"packages": ["modules/*"]}`,
				"modules/app/package.json": `{"name": "app", "dependencies": {"express": "^5"}}`,
				"modules/app/server.js":    "app.listen(3000)",
			},
			tool: "lerna", build: "", safe: "modules/app",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := nodeDetect(t, tt.files, nil)
			if det.Node.Workspace == nil || det.Node.Workspace.Tool != tt.tool {
				t.Fatalf("workspace = %+v", det.Node.Workspace)
			}
			if len(det.Choices) != 1 || det.Choices[0].Default != tt.safe || !det.Choices[0].Safe || det.Choices[0].Reason == "" {
				t.Fatalf("choices = %+v, want a safe default %q", det.Choices, tt.safe)
			}
			det = nodeDetect(t, tt.files, facts.Answers{"app": tt.safe})
			if det.Build != tt.build {
				t.Errorf("build = %q, want %q", det.Build, tt.build)
			}
			if det.Node.AppDir != tt.safe || (len(det.Start) == 0 && det.Node.StaticDir == "") {
				t.Errorf("app %q start %q", det.Node.AppDir, det.Start)
			}
		})
	}
	_, err := Detector{}.Detect(detecttest.MapFS(map[string]string{"package.json": `{}`}), facts.Answers{"app": "apps/x"})
	if err == nil || !strings.Contains(err.Error(), "no workspaces") {
		t.Errorf("--app without a workspace: err = %v", err)
	}
}

func TestNodeUnsafeNamesAreSkipped(t *testing.T) {
	det := nodeDetect(t, map[string]string{
		"package.json":            `{"workspaces": ["pkgs/*"]}`,
		"pkgs/ok/package.json":    `{"name": "ok", "scripts": {"start": "node ."}}`,
		"pkgs/$(x)/package.json":  `{"name": "bad", "scripts": {"start": "node ."}}`,
		"pkgs/a b/package.json":   `{"name": "spaced"}`,
		"pkgs/named/package.json": `{"name": "x; rm -rf /", "scripts": {"start": "node ."}}`,
	}, nil)
	for _, f := range det.Node.InstallFiles {
		if !safePath(strings.TrimSuffix(f, "/")) {
			t.Errorf("unsafe install file %q", f)
		}
	}
	if !detecttest.HasFileProblem(det, "pkgs/$(x)/package.json", "characters") || !detecttest.HasFileProblem(det, "pkgs/a b/package.json", "characters") {
		t.Errorf("problems = %v", det.Problems)
	}
	if !detecttest.HasFileProblem(det, "pkgs/named/package.json", "not a valid npm package name") {
		t.Errorf("problems = %v, want the bad package name reported", det.Problems)
	}
	if len(det.Choices) != 1 || det.Choices[0].Default != "pkgs/ok" || len(det.Choices[0].Options) != 1 {
		t.Fatalf("choices = %+v, want pkgs/ok as the only app", det.Choices)
	}
	if _, err := (Detector{}).Detect(detecttest.MapFS(map[string]string{
		"package.json": `{"workspaces": ["pkgs/*"]}`, "pkgs/named/package.json": `{"name": "x; rm -rf /"}`,
	}), facts.Answers{"app": "pkgs/named"}); err == nil {
		t.Error("a package with an unsafe name was accepted as the app")
	}
}

func TestNodeGlobMatch(t *testing.T) {
	for _, tt := range []struct {
		glob, dir string
		want      bool
	}{
		{"apps/*", "apps/web", true},
		{"apps/*", "apps/web/x", false},
		{"packages/**", "packages/a/b", true},
		{"**", "a", true},
		{"tools", "tools", true},
		{"apps/*-svc", "apps/pay-svc", true},
		{"apps/*-svc", "apps/web", false},
	} {
		if got := matchAny([]string{tt.glob}, tt.dir); got != tt.want {
			t.Errorf("matchAny(%q, %q) = %v", tt.glob, tt.dir, got)
		}
	}
}

func TestNodeWorkspaceRoot(t *testing.T) {
	fsys := detecttest.MapFS(map[string]string{
		"repos/mono/package.json":              `{"private": true}`,
		"repos/mono/pnpm-workspace.yaml":       "packages: ['apps/*', '!apps/old']\n",
		"repos/mono/apps/api/package.json":     `{"name": "api"}`,
		"repos/mono/apps/old/package.json":     `{"name": "old"}`,
		"repos/mono/apps/api/src/package.json": `{"type": "module"}`,
		"repos/npm/package.json":               `{"workspaces": ["packages/*"]}`,
		"repos/npm/packages/lib/package.json":  `{"name": "lib"}`,
		"repos/lerna/package.json":             `{}`,
		"repos/lerna/lerna.json":               `{"packages": ["mods/*"]}`,
		"repos/lerna/mods/a/package.json":      `{}`,
		"repos/plain/package.json":             `{}`,
		"repos/plain/sub/package.json":         `{}`,
	})
	for _, tt := range []struct {
		dir, root, app string
		ok             bool
	}{
		{"repos/mono/apps/api", "repos/mono", "apps/api", true},
		{"repos/mono/apps/api/", "repos/mono", "apps/api", true},
		{"repos/mono/apps/old", "", "", false},
		{"repos/mono/apps/api/src", "", "", false},
		{"repos/npm/packages/lib", "repos/npm", "packages/lib", true},
		{"repos/lerna/mods/a", "repos/lerna", "mods/a", true},
		{"repos/plain/sub", "", "", false},
		{"repos/mono", "", "", false},
		{"nowhere", "", "", false},
	} {
		root, app, ok := WorkspaceRoot(fsys, tt.dir)
		if root != tt.root || app != tt.app || ok != tt.ok {
			t.Errorf("NodeWorkspaceRoot(%q) = %q, %q, %v; want %q, %q, %v", tt.dir, root, app, ok, tt.root, tt.app, tt.ok)
		}
	}
}

func TestDeclaresApp(t *testing.T) {
	fsys := detecttest.MapFS(map[string]string{
		"package.json":              `{"private": true}`,
		"pnpm-workspace.yaml":       "packages: ['apps/*', '!apps/old']\n",
		"apps/api/package.json":     `{"name": "api"}`,
		"apps/old/package.json":     `{"name": "old"}`,
		"apps/api/src/package.json": `{"type": "module"}`,
		"apps/nopkg/index.js":       "",
	})
	npm := detecttest.MapFS(map[string]string{
		"package.json":              `{"workspaces": ["packages/*"]}`,
		"packages/lib/package.json": `{"name": "lib"}`,
	})
	lerna := detecttest.MapFS(map[string]string{
		"package.json":        `{}`,
		"lerna.json":          `{"packages": ["mods/*"]}`,
		"mods/a/package.json": `{}`,
	})
	plain := detecttest.MapFS(map[string]string{"package.json": `{}`, "sub/package.json": `{}`})
	for _, tt := range []struct {
		name string
		fsys fs.FS
		app  string
		want bool
	}{
		{"pnpm app", fsys, "apps/api", true},
		{"trailing slash", fsys, "apps/api/", true},
		{"excluded", fsys, "apps/old", false},
		{"too deep", fsys, "apps/api/src", false},
		{"no package.json", fsys, "apps/nopkg", false},
		{"the root itself", fsys, ".", false},
		{"outside", fsys, "../x", false},
		{"npm workspaces", npm, "packages/lib", true},
		{"lerna", lerna, "mods/a", true},
		{"no workspace", plain, "sub", false},
	} {
		if got := DeclaresApp(tt.fsys, tt.app); got != tt.want {
			t.Errorf("%s: DeclaresApp(%q) = %v, want %v", tt.name, tt.app, got, tt.want)
		}
	}
}
