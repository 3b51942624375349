package node

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// nxIntegratedFiles is an Nx repository with one package at the root and
// project.json files for an application and a library.
func nxIntegratedFiles(buildTarget string) map[string]string {
	return map[string]string{
		"package.json":           `{"name": "acme", "dependencies": {"express": "^5"}, "devDependencies": {"nx": "^21", "@nx/webpack": "^21"}}`,
		"package-lock.json":      "{}",
		"nx.json":                `{"targetDefaults": {}}`,
		"apps/api/project.json":  `{"name": "api", "projectType": "application", "sourceRoot": "apps/api/src", "targets": {"build": ` + buildTarget + `}}`,
		"apps/api/src/main.ts":   "const app = express();\napp.listen(process.env.PORT || 3333);\n",
		"libs/util/project.json": `{"name": "util", "projectType": "library", "targets": {"build": {"executor": "@nx/js:tsc", "options": {"outputPath": "dist/libs/util", "main": "libs/util/src/index.ts"}}}}`,
		"libs/util/src/index.ts": "export const x = 1;\n",
		"tools/demo/main.js":     "require('http').createServer().listen(9999);\n",
	}
}

func TestNodeNxIntegrated(t *testing.T) {
	tests := []struct {
		name   string
		target string
		start  string
	}{
		{"webpack", `{"executor": "@nx/webpack:webpack", "options": {"outputPath": "dist/apps/api", "main": "apps/api/src/main.ts", "tsConfig": "apps/api/tsconfig.app.json"}}`, "dist/apps/api/main.js"},
		{"esbuild with tokens", `{"executor": "@nx/esbuild:esbuild", "options": {"outputPath": "{workspaceRoot}/dist/{projectRoot}", "main": "{projectRoot}/src/main.ts"}}`, "dist/apps/api/main.js"},
		{"webpack with an output file name", `{"executor": "@nrwl/webpack:webpack", "options": {"outputPath": "build/api", "main": "apps/api/src/main.ts", "outputFileName": "server.js"}}`, "build/api/server.js"},
		{"tsc keeps the source path", `{"executor": "@nx/js:tsc", "options": {"outputPath": "dist/apps/api", "main": "apps/api/src/main.ts"}}`, "dist/apps/api/src/main.js"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := nxIntegratedFiles(tt.target)
			det := nodeDetect(t, files, nil)
			if len(det.Choices) != 1 || det.Choices[0].Key != "app" || det.Choices[0].Default != "apps/api" || !det.Choices[0].Safe {
				t.Fatalf("choices %+v, want a safe default apps/api", det.Choices)
			}
			det = nodeDetect(t, files, facts.Answers{"app": "apps/api"})
			nf := det.Node
			if det.Build != "npx nx build api" || !reflect.DeepEqual(det.Start, []string{"node", tt.start}) || !nf.StartFromRoot || nf.NxProject != "api" || nf.AppDir != "" {
				t.Errorf("build %q start %q fromRoot %v project %q appDir %q", det.Build, det.Start, nf.StartFromRoot, nf.NxProject, nf.AppDir)
			}
			if det.Port != 3333 {
				t.Errorf("port %d: the chosen project's sources give it", det.Port)
			}
			detecttest.WantCited(t, det, "start", "apps/api/project.json", 0, tt.start)
			detecttest.WantCited(t, det, "build", "apps/api/project.json", 0, "Nx build target of api")
		})
	}
}

func TestNodeNxInferredWebpack(t *testing.T) {
	files := nxIntegratedFiles("{}")
	files["apps/api/project.json"] = `{"name": "api", "projectType": "application"}`
	files["apps/api/webpack.config.js"] = "const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');\nconst { join } = require('path');\n\nmodule.exports = {\n  output: {\n    path: join(__dirname, '../../dist/apps/api'),\n  },\n  plugins: [\n    new NxAppWebpackPlugin({\n      target: 'node',\n      compiler: 'tsc',\n      main: './src/main.ts',\n    }),\n  ],\n};\n"
	det := nodeDetect(t, files, facts.Answers{"app": "api"})
	if det.Build != "npx nx build api" || !reflect.DeepEqual(det.Start, []string{"node", "dist/apps/api/main.js"}) {
		t.Errorf("build %q start %q", det.Build, det.Start)
	}
	detecttest.WantCited(t, det, "start", "apps/api/webpack.config.js", 6, "dist/apps/api/main.js")
}

func TestNodeNxChoices(t *testing.T) {
	files := nxIntegratedFiles(`{"executor": "@nx/webpack:webpack", "options": {"outputPath": "dist/apps/api", "main": "apps/api/src/main.ts"}}`)
	files["apps/worker/project.json"] = `{"name": "worker", "projectType": "application", "targets": {"build": {"executor": "@nx/esbuild:esbuild", "options": {"outputPath": "dist/apps/worker", "main": "apps/worker/src/index.ts"}}}}`
	det := nodeDetect(t, files, nil)
	if len(det.Choices) != 1 || det.Choices[0].Safe || len(det.Choices[0].Options) != 2 {
		t.Fatalf("two applications: choices %+v", det.Choices)
	}
	det = nodeDetect(t, files, facts.Answers{"app": "worker"})
	if det.Build != "npx nx build worker" || !reflect.DeepEqual(det.Start, []string{"node", "dist/apps/worker/index.js"}) {
		t.Errorf("worker: build %q start %q", det.Build, det.Start)
	}
	_, err := Detector{}.Detect(detecttest.MapFS(files), facts.Answers{"app": "libs/util"})
	if err == nil || !strings.Contains(err.Error(), "apps/api, apps/worker") {
		t.Errorf("a library as the app: err %v", err)
	}
}

func TestNodeNxWorkspacePackage(t *testing.T) {
	det := nodeDetect(t, map[string]string{
		"package.json":           `{"workspaces": ["apps/*"], "devDependencies": {"nx": "^21"}}`,
		"package-lock.json":      "{}",
		"nx.json":                "{}",
		"apps/api/package.json":  `{"name": "@acme/api", "dependencies": {"fastify": "^5"}}`,
		"apps/api/project.json":  `{"name": "api-svc", "targets": {"build": {"executor": "@nx/esbuild:esbuild", "options": {"outputPath": "dist/apps/api", "main": "apps/api/src/server.ts"}}}}`,
		"apps/api/src/server.ts": "app.listen({ port: 4000, host: '0.0.0.0' })\n",
	}, facts.Answers{"app": "apps/api"})
	if det.Build != "npx nx build api-svc" || !reflect.DeepEqual(det.Start, []string{"node", "dist/apps/api/server.js"}) || !det.Node.StartFromRoot {
		t.Errorf("build %q start %q fromRoot %v", det.Build, det.Start, det.Node.StartFromRoot)
	}
}

func TestNodeTurboAndNxNeedTheirDependency(t *testing.T) {
	files := map[string]string{
		"package.json":          `{"packageManager": "pnpm@9.0.0"}`,
		"pnpm-workspace.yaml":   "packages: ['apps/*']\n",
		"pnpm-lock.yaml":        "lockfileVersion: '9.0'\n",
		"turbo.json":            "{}",
		"nx.json":               "{}",
		"apps/api/package.json": `{"name": "api", "scripts": {"build": "tsc", "start": "node dist/index.js"}}`,
	}
	det := nodeDetect(t, files, facts.Answers{"app": "apps/api"})
	if det.Build != "pnpm --filter api... run build" || det.Node.Workspace.Turbo || det.Node.Workspace.Nx {
		t.Errorf("build %q turbo %v nx %v", det.Build, det.Node.Workspace.Turbo, det.Node.Workspace.Nx)
	}
	for _, want := range []string{"turbo.json is present but turbo is not a dependency", "nx.json is present but nx is not a dependency"} {
		if !detecttest.HasNote(det, want) {
			t.Errorf("notes %q lack %q", det.Notes, want)
		}
	}
	files["package.json"] = `{"packageManager": "pnpm@9.0.0", "devDependencies": {"turbo": "^2"}}`
	if det := nodeDetect(t, files, facts.Answers{"app": "apps/api"}); det.Build != "pnpm exec turbo run build --filter=api..." {
		t.Errorf("with turbo installed: build %q", det.Build)
	}
}

func TestNodeNxStandalone(t *testing.T) {
	files := map[string]string{
		"package.json":      `{"name": "api", "devDependencies": {"nx": "^21"}, "dependencies": {"express": "^5"}}`,
		"package-lock.json": "{}",
		"nx.json":           "{}",
		"project.json":      `{"name": "api", "projectType": "application", "targets": {"build": {"executor": "@nx/esbuild:esbuild", "options": {"outputPath": "dist/api", "main": "src/main.ts"}}}}`,
		"src/main.ts":       "app.listen(3000)\n",
	}
	det := nodeDetect(t, files, nil)
	if det.Build != "npx nx build api" || !reflect.DeepEqual(det.Start, []string{"node", "dist/api/main.js"}) || len(det.Choices) != 0 {
		t.Errorf("build %q start %q choices %+v", det.Build, det.Start, det.Choices)
	}
	// Without nx installed, the project files are not used.
	files["package.json"] = `{"name": "api", "scripts": {"build": "tsc", "start": "node dist/main.js"}}`
	det = nodeDetect(t, files, nil)
	if det.Build != "npm run build" || !detecttest.HasNote(det, "nx is not a dependency") {
		t.Errorf("build %q notes %q", det.Build, det.Notes)
	}
}
