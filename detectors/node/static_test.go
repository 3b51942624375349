package node

import (
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestNodeStaticSiteByBuild(t *testing.T) {
	tests := []struct {
		name      string
		files     map[string]string
		answers   facts.Answers
		framework string
		static    string
		start     bool // a start command was chosen
	}{
		{
			name: "the root's start delegates to a workspace app whose build runs a hoisted vite",
			files: map[string]string{
				"package.json":              `{"private": true, "workspaces": ["web-app", "packages/*"], "devDependencies": {"vite": "5"}, "scripts": {"start": "yarn --cwd ./web-app start"}}`,
				"yarn.lock":                 "# yarn lockfile v1\n",
				"web-app/package.json":      `{"name": "web-app", "scripts": {"build": "yarn build:app", "build:app": "vite build", "start": "yarn && vite"}}`,
				"web-app/vite.config.mts":   `export default { build: { outDir: "build" } }`,
				"packages/lib/package.json": `{"name": "@x/lib", "scripts": {"build": "tsc"}}`,
			},
			framework: "vite", static: "build",
		},
		{
			name: "a vite dependency with a dev-server start and no index.html at the top",
			files: map[string]string{
				"package.json":      `{"scripts": {"build": "vite build", "start": "vite --port 3000"}, "devDependencies": {"vite": "5"}}`,
				"package-lock.json": "{}",
				"public/index.html": "<html>",
			},
			framework: "vite", static: "dist",
		},
		{
			name: "Vue CLI with outputDir",
			files: map[string]string{
				"package.json":      `{"scripts": {"build": "vue-cli-service build", "serve": "vue-cli-service serve"}, "devDependencies": {"@vue/cli-service": "5"}}`,
				"package-lock.json": "{}",
				"vue.config.js":     `module.exports = { outputDir: 'public_html' }`,
			},
			framework: "vue", static: "public_html",
		},
		{
			name: "ng build through npx without @angular/core in the app",
			files: map[string]string{
				"package.json":      `{"scripts": {"build": "npx ng build", "start": "ng serve"}}`,
				"package-lock.json": "{}",
			},
			framework: "angular", static: "dist",
		},
		{
			name: "a vite build with an express server of its own is not static",
			files: map[string]string{
				"package.json":      `{"scripts": {"build": "vite build", "start": "node server.js"}, "dependencies": {"express": "4"}}`,
				"package-lock.json": "{}",
				"server.js":         "app.listen(3000)",
			},
			framework: "express", start: true,
		},
		{
			name: "a vite build with node starting a server file is not static",
			files: map[string]string{
				"package.json":      `{"scripts": {"build": "tsc && vite build", "start": "node dist/server.js"}}`,
				"package-lock.json": "{}",
			},
			framework: "", start: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := nodeDetect(t, tt.files, tt.answers)
			if ws := det.Node.Workspace; ws != nil && ws.App == "" {
				// Take the safe default the resolver would take.
				for _, c := range det.Choices {
					if c.Key == "app" && c.Safe {
						det = nodeDetect(t, tt.files, facts.Answers{"app": c.Default})
					}
				}
			}
			if det.Framework != tt.framework || det.Node.StaticDir != tt.static {
				t.Errorf("framework %q static %q, want %q %q", det.Framework, det.Node.StaticDir, tt.framework, tt.static)
			}
			if got := det.Start != nil; got != tt.start {
				t.Errorf("start %q, want one: %v", det.Start, tt.start)
			}
		})
	}
}

func TestNodeDevServerIsNeverTheStart(t *testing.T) {
	det := nodeDetect(t, map[string]string{
		"package.json":      `{"scripts": {"start": "npm install && webpack serve --mode development"}}`,
		"package-lock.json": "{}",
	}, nil)
	if det.Start != nil {
		t.Errorf("start = %q, want none", det.Start)
	}
	if !detecttest.HasNote(det, "runs a development server") {
		t.Errorf("notes %q lack the development server note", det.Notes)
	}
}

func TestNodeRootDevDelegates(t *testing.T) {
	det := nodeDetect(t, map[string]string{
		"package.json":          `{"private": true, "workspaces": ["apps/*", "packages/*"], "scripts": {"dev": "npm -w apps/web run dev"}}`,
		"package-lock.json":     "{}",
		"apps/web/package.json": `{"name": "web", "scripts": {"dev": "vite", "build": "vite build"}, "devDependencies": {"vite": "5"}}`,
		"apps/api/package.json": `{"name": "api", "scripts": {"start": "node index.js"}}`,
	}, nil)
	got := appDefault(det)
	if got != "apps/web" {
		t.Errorf("app default = %q, want apps/web (from scripts.dev): %+v", got, det.Choices)
	}
}

func TestNodeVueCLIPackageIsAnApp(t *testing.T) {
	det := nodeDetect(t, map[string]string{
		"package.json":             `{"private": true, "workspaces": ["apps/*", "packages/*"]}`,
		"package-lock.json":        "{}",
		"apps/web/package.json":    `{"name": "web", "scripts": {"serve": "vue-cli-service serve", "build": "vue-cli-service build"}, "devDependencies": {"@vue/cli-service": "5"}}`,
		"packages/ui/package.json": `{"name": "ui", "scripts": {"build": "tsc"}}`,
	}, nil)
	got := appDefault(det)
	if got != "apps/web" {
		t.Errorf("app default = %q, want apps/web, the only app: %+v", got, det.Choices)
	}
}

// appDefault is the default of the "app" choice, "" when there is none.
func appDefault(det *facts.Detection) string {
	for _, c := range det.Choices {
		if c.Key == "app" {
			return c.Default
		}
	}
	return ""
}
