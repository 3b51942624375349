package node

import (
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestNodeImageBuildScript(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		answers facts.Answers
		build   string
		cited   string // evidence detail of "build"
		note    bool   // the note that the image script wins
	}{
		{
			name: "build:docker wins over build",
			files: map[string]string{
				"package.json":      `{"scripts": {"build": "tsc --watch", "build:docker": "tsc -p tsconfig.prod.json", "start": "node dist/index.js"}}`,
				"package-lock.json": "{}",
			},
			build: "npm run build:docker", cited: `"build:docker": "tsc -p tsconfig.prod.json"`, note: true,
		},
		{
			name: "docker:build with yarn",
			files: map[string]string{
				"package.json": `{"scripts": {"build": "webpack", "docker:build": "webpack --mode production", "start": "node dist/main.js"}}`,
				"yarn.lock":    "# yarn lockfile v1\n",
			},
			build: "yarn run docker:build", cited: `"docker:build"`, note: true,
		},
		{
			name: "build-docker alone",
			files: map[string]string{
				"package.json":      `{"scripts": {"build-docker": "tsc", "start": "node dist/index.js"}}`,
				"package-lock.json": "{}",
			},
			build: "npm run build-docker", cited: `"build-docker": "tsc"`,
		},
		{
			name: "build:prod in a pnpm workspace builds the libraries with build first",
			files: map[string]string{
				"package.json":              `{"packageManager": "pnpm@9.15.0"}`,
				"pnpm-lock.yaml":            "lockfileVersion: '9.0'\n",
				"pnpm-workspace.yaml":       "packages: ['apps/*', 'packages/*']\n",
				"apps/api/package.json":     `{"name": "api", "scripts": {"build": "tsc", "build:prod": "tsc -p tsconfig.build.json", "start": "node dist/main.js"}, "dependencies": {"lib": "workspace:*"}}`,
				"packages/lib/package.json": `{"name": "lib", "scripts": {"build": "tsc"}}`,
			},
			answers: facts.Answers{"app": "apps/api"},
			build:   "pnpm --filter api^... run build && pnpm --filter api run build:prod", cited: `"build:prod"`, note: true,
		},
		{
			name: "build:prod in an npm workspace",
			files: map[string]string{
				"package.json":              `{"workspaces": ["apps/*", "packages/*"]}`,
				"package-lock.json":         "{}",
				"apps/api/package.json":     `{"name": "api", "scripts": {"build:prod": "tsc", "start": "node dist/main.js"}, "dependencies": {"lib": "*"}}`,
				"packages/lib/package.json": `{"name": "lib", "scripts": {"build": "tsc"}}`,
			},
			answers: facts.Answers{"app": "apps/api"},
			build:   "npm run build -w packages/lib && npm run build:prod -w apps/api", cited: `"build:prod"`,
		},
		{
			name: "turbo builds the dependencies, then the app's image script",
			files: map[string]string{
				"package.json":              `{"packageManager": "pnpm@9.0.0", "devDependencies": {"turbo": "^2"}}`,
				"pnpm-workspace.yaml":       "packages: ['apps/*', 'packages/*']\n",
				"pnpm-lock.yaml":            "lockfileVersion: '9.0'\n",
				"turbo.json":                "{}",
				"apps/api/package.json":     `{"name": "api", "scripts": {"build": "tsc", "build:docker": "tsc -b", "start": "node dist/index.js"}, "dependencies": {"lib": "workspace:*"}}`,
				"packages/lib/package.json": `{"name": "lib", "scripts": {"build": "tsc"}}`,
			},
			answers: facts.Answers{"app": "apps/api"},
			build:   "pnpm exec turbo run build --filter=api^... && pnpm --filter api run build:docker", cited: `"build:docker"`, note: true,
		},
		{
			name: "any script named build and docker wins over build",
			files: map[string]string{
				"package.json": `{"scripts": {"build": "yarn build:app", "build:app": "vite build", "build:app:docker": "cross-env VITE_APP_DISABLE_SENTRY=true vite build", "start": "node server.js"}}`,
				"yarn.lock":    "# yarn lockfile v1\n",
			},
			build: "yarn run build:app:docker", cited: `"build:app:docker"`, note: true,
		},
		{
			name: "plain build stays",
			files: map[string]string{
				"package.json":      `{"scripts": {"build": "tsc", "start": "node dist/index.js"}}`,
				"package-lock.json": "{}",
			},
			build: "npm run build", cited: `"build": "tsc"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := nodeDetect(t, tt.files, tt.answers)
			if det.Build != tt.build {
				t.Errorf("build = %q, want %q", det.Build, tt.build)
			}
			file := "package.json"
			if tt.answers["app"] != "" {
				file = tt.answers["app"] + "/package.json"
			}
			detecttest.WantCited(t, det, "build", file, 0, tt.cited)
			if got := detecttest.HasNote(det, "meant for image builds"); got != tt.note {
				t.Errorf("note present %v, want %v: %q", got, tt.note, det.Notes)
			}
		})
	}
}
