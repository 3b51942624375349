package node

import (
	"slices"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestNodeStartBuildStepsMoveToBuild(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		answers facts.Answers
		build   string
		start   []string
		moved   bool // the note that a start step moved to the build
	}{
		{
			name: "npm run scss && node app.js",
			files: map[string]string{
				"package.json":      `{"scripts": {"scss": "sass --no-source-map public/css:public/css", "start": "npm run scss && node app.js"}}`,
				"package-lock.json": "{}",
				"app.js":            "require('http').createServer().listen(3000)",
			},
			build: "npm run scss", start: []string{"node", "app.js"}, moved: true,
		},
		{
			name: "a compiler run directly before the server, with yarn",
			files: map[string]string{
				"package.json": `{"scripts": {"start": "tsc -p . && node dist/index.js"}}`,
				"yarn.lock":    "# yarn lockfile v1\n",
			},
			build: "yarn tsc -p .", start: []string{"node", "dist/index.js"}, moved: true,
		},
		{
			name: "prestart:prod runs tsc; start:prod runs the compiled main",
			files: map[string]string{
				"package.json":      `{"scripts": {"start": "npm run start:prod", "prestart:prod": "rimraf dist && tsc", "start:prod": "node dist/main.js"}}`,
				"package-lock.json": "{}",
			},
			build: "npm run prestart:prod", start: []string{"node", "dist/main.js"}, moved: true,
		},
		{
			name: "a prestart hook joins an existing build",
			files: map[string]string{
				"package.json":      `{"scripts": {"build": "webpack", "prestart": "npm run css", "css": "postcss in.css -o out.css", "start": "node server.js"}}`,
				"package-lock.json": "{}",
			},
			build: "npm run build && npm run prestart", start: []string{"node", "server.js"}, moved: true,
		},
		{
			name: "a prefix that is the build already is not run twice",
			files: map[string]string{
				"package.json":      `{"scripts": {"build": "tsc", "start": "npm run build && node dist/index.js"}}`,
				"package-lock.json": "{}",
			},
			build: "npm run build", start: []string{"node", "dist/index.js"},
		},
		{
			name: "a TypeScript start file runs as outDir's .js when a moved step runs tsc",
			files: map[string]string{
				"package.json":      `{"scripts": {"compile": "tsc", "start": "npm run compile && ts-node src/index.ts"}}`,
				"package-lock.json": "{}",
				"tsconfig.json":     `{"compilerOptions": {"outDir": "./build"}}`,
				"src/index.ts":      "",
			},
			build: "npm run compile", start: []string{"node", "build/index.js"}, moved: true,
		},
		{
			name: "node's flags and the program's arguments stay around the compiled file",
			files: map[string]string{
				"package.json":      `{"scripts": {"build": "tsc", "start": "node --enable-source-maps src/server.ts --port 4000"}}`,
				"package-lock.json": "{}",
				"src/server.ts":     "",
			},
			build: "npm run build", start: []string{"node", "--enable-source-maps", "dist/server.js", "--port", "4000"},
		},
		{
			name: "a TypeScript loader is dropped with the .ts file, other -r stay",
			files: map[string]string{
				"package.json":      `{"scripts": {"build": "tsc", "start": "node -r dotenv/config -r ts-node/register src/index.ts"}}`,
				"package-lock.json": "{}",
				"src/index.ts":      "",
			},
			build: "npm run build", start: []string{"node", "-r", "dotenv/config", "dist/index.js"},
		},
		{
			name: "a TypeScript main runs as the compiled file",
			files: map[string]string{
				"package.json":      `{"main": "index.ts", "scripts": {"build": "tsc"}}`,
				"package-lock.json": "{}",
				"tsconfig.json":     `{"compilerOptions": {"outDir": "dist"}}`,
				"index.ts":          "",
			},
			build: "npm run build", start: []string{"node", "dist/index.js"},
		},
		{
			name: "pnpm runs no pre hook without enable-pre-post-scripts",
			files: map[string]string{
				"package.json":   `{"packageManager": "pnpm@9.15.0", "scripts": {"prestart": "tsc", "start": "node dist/index.js"}}`,
				"pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
			},
			build: "", start: []string{"node", "dist/index.js"},
		},
		{
			name: "pnpm with enable-pre-post-scripts runs it",
			files: map[string]string{
				"package.json":   `{"packageManager": "pnpm@9.15.0", "scripts": {"prestart": "tsc", "start": "node dist/index.js"}}`,
				"pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
				".npmrc":         "enable-pre-post-scripts=true\n",
			},
			build: "pnpm run prestart", start: []string{"node", "dist/index.js"}, moved: true,
		},
		{
			name: "Yarn 2+ never runs pre hooks",
			files: map[string]string{
				"package.json": `{"packageManager": "yarn@4.1.0", "scripts": {"prestart": "tsc", "start": "node dist/index.js"}}`,
				"yarn.lock":    "__metadata:\n  version: 8\n",
			},
			build: "", start: []string{"node", "dist/index.js"},
		},
		{
			name: "turbo builds the app already: its build script in the prefix is not run again",
			files: map[string]string{
				"package.json":              `{"packageManager": "pnpm@9.0.0", "devDependencies": {"turbo": "^2"}}`,
				"pnpm-workspace.yaml":       "packages: ['apps/*', 'packages/*']\n",
				"pnpm-lock.yaml":            "lockfileVersion: '9.0'\n",
				"turbo.json":                "{}",
				"apps/api/package.json":     `{"name": "api", "scripts": {"build": "tsc", "start": "npm run build && node dist/index.js"}, "dependencies": {"lib": "workspace:*"}}`,
				"packages/lib/package.json": `{"name": "lib", "scripts": {"build": "tsc"}}`,
			},
			answers: facts.Answers{"app": "apps/api"},
			build:   "pnpm exec turbo run build --filter=api...", start: []string{"node", "dist/index.js"},
		},
		{
			name: "NestJS without a build script: prestart:prod writes dist/",
			files: map[string]string{
				"package.json":      `{"dependencies": {"@nestjs/core": "^10"}, "scripts": {"start": "node index.js", "prestart:prod": "rimraf dist && tsc", "start:prod": "node dist/main.js"}}`,
				"package-lock.json": "{}",
			},
			build: "npm run prestart:prod", start: []string{"node", "dist/main"}, moved: true,
		},
		{
			name: "a migration before the server is not a build step",
			files: map[string]string{
				"package.json":      `{"scripts": {"migrate": "knex migrate:latest", "start": "npm run migrate && node app.js"}}`,
				"package-lock.json": "{}",
				"app.js":            "",
			},
			build: "", start: []string{"node", "app.js"},
		},
		{
			name: "in a workspace app the step runs in the app's package",
			files: map[string]string{
				"package.json":          `{"workspaces": ["apps/*"]}`,
				"package-lock.json":     "{}",
				"apps/web/package.json": `{"name": "web", "scripts": {"styles": "sass s:c", "start": "npm run styles && node server.js"}}`,
			},
			answers: facts.Answers{"app": "apps/web"},
			build:   "npm run styles -w apps/web", start: []string{"node", "server.js"}, moved: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := nodeDetect(t, tt.files, tt.answers)
			if det.Build != tt.build {
				t.Errorf("build = %q, want %q", det.Build, tt.build)
			}
			if !slices.Equal(det.Start, tt.start) {
				t.Errorf("start = %q, want %q", det.Start, tt.start)
			}
			if got := detecttest.HasNote(det, "the image runs that step in the build stage"); got != tt.moved {
				t.Errorf("moved note %v, want %v: %q", got, tt.moved, det.Notes)
			}
		})
	}
}

func TestAndList(t *testing.T) {
	if got := andList(`npm run a && NODE_ENV=production node "b c.js"`); !slices.Equal(got, []string{"npm run a", `NODE_ENV=production node "b c.js"`}) {
		t.Errorf("andList = %q", got)
	}
	for _, s := range []string{"node a.js", "a || b", "a; b", "a | b", "a && b &"} {
		if got := andList(s); got != nil {
			t.Errorf("andList(%q) = %q, want nil", s, got)
		}
	}
}
