package generator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Node repositories that reach bun in some stage: Bun as manager, runtime
// or build tool, with and without a lockfile, next to other managers.
var bunFixtures = map[string]map[string]string{
	"bun lockfile, bun runtime": {
		"package.json": `{"scripts": {"start": "bun run index.ts"}}`,
		"bun.lock":     "{}",
		"index.ts":     "Bun.serve({ port: 3000, fetch: () => new Response('ok') });\n",
	},
	"bun lockfile, node runtime": {
		"package.json": `{"dependencies": {"express": "^5"}}`,
		"bun.lock":     "{}",
		"server.js":    "require('express')().listen(3000);\n",
	},
	"bun lockfile, build with bun, node runtime": {
		"package.json": `{"scripts": {"build": "bun build src/index.ts --outdir dist --target node", "start": "node dist/index.js"}}`,
		"bun.lock":     "{}",
		"src/index.ts": "require('http').createServer().listen(3000);\n",
	},
	"no lockfile, start runs bun": {
		"package.json": `{"scripts": {"start": "bun src/index.ts"}}`,
		"src/index.ts": "export default { port: 3000, fetch: () => new Response('ok') };\n",
	},
	"no lockfile, Bun.serve": {
		"package.json": `{"module": "server.ts"}`,
		"server.ts":    "Bun.serve({ port: 3000, fetch: () => new Response('ok') });\n",
	},
	"no lockfile, build and start with bun": {
		"package.json": `{"scripts": {"build": "bun build src/index.ts --outdir dist --target bun", "start": "bun dist/index.js"}}`,
		"src/index.ts": "Bun.serve({ port: 3000, fetch: () => new Response('ok') });\n",
	},
	"no lockfile, bunfig.toml, node start": {
		"package.json": `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "^5"}}`,
		"bunfig.toml":  "[install]\nexact = true\n",
		"server.js":    "require('express')().listen(3000);\n",
	},
	"npm lockfile, bun start": {
		"package.json":      `{"scripts": {"start": "bun run src/index.ts"}, "dependencies": {"hono": "^4"}}`,
		"package-lock.json": "{}",
		"src/index.ts":      "export default { port: 3000, fetch: () => new Response('ok') };\n",
	},
	"npm lockfile, build with bun": {
		"package.json":      `{"scripts": {"build": "bun build src/index.ts --outdir dist --target node", "start": "node dist/index.js"}}`,
		"package-lock.json": "{}",
		"src/index.ts":      "require('http').createServer().listen(3000);\n",
	},
	"pnpm lockfile, build with bunx, bun start": {
		"package.json":   `{"packageManager": "pnpm@9.15.0", "scripts": {"build": "bunx tsc", "start": "bun dist/index.js"}}`,
		"pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
		"src/index.ts":   "Bun.serve({ port: 3000, fetch: () => new Response('ok') });\n",
	},
	"npm workspace, a library built with bun": {
		"package.json":              `{"workspaces": ["apps/*", "packages/*"]}`,
		"package-lock.json":         "{}",
		"apps/api/package.json":     `{"name": "api", "scripts": {"start": "node src/index.js"}, "dependencies": {"lib": "*", "express": "^5"}}`,
		"apps/api/src/index.js":     "require('express')().listen(3000);\n",
		"packages/lib/package.json": `{"name": "lib", "scripts": {"build": "bun build src/index.ts --outdir dist --target node"}}`,
	},
	"bun workspace": {
		"package.json":          `{"workspaces": ["apps/*"]}`,
		"bun.lock":              "{}",
		"apps/api/package.json": `{"name": "api", "scripts": {"build": "bun build src/index.ts --outdir dist", "start": "bun dist/index.js"}}`,
		"apps/api/src/index.ts": "Bun.serve({ port: 3000, fetch: () => new Response('ok') });\n",
	},
}

// bunWordRe finds bun or bunx run as a command in a shell line or an
// exec form's first word.
var bunWordRe = regexp.MustCompile(`(?:^|[;&|(]\s*|&&\s*|\\\s*)(?:bun|bunx)(?:\s|$)`)

// TestNoBunCommandWithoutBun renders every Node example and the fixtures
// above and fails when a stage runs bun (RUN, CMD, HEALTHCHECK) while its
// image has no bun: not Bun's image, and no earlier RUN of the stage
// installed it.
func TestNoBunCommandWithoutBun(t *testing.T) {
	type rendered struct {
		name string
		df   []byte
		// bunScripts are the package.json scripts that run bun: a RUN
		// of one of them runs bun too.
		bunScripts []string
	}
	var all []rendered
	for _, dir := range exampleDirs(t) {
		p, files := generateExample(t, dir)
		if p.Language == facts.LangNode {
			all = append(all, rendered{dir, files[0].Data, bunScriptsIn(t, os.DirFS(dir))})
		}
	}
	for name, files := range bunFixtures {
		fsys := fstest.MapFS{}
		for n, body := range files {
			fsys[n] = &fstest.MapFile{Data: []byte(body)}
		}
		p, err := generator.Resolve(context.Background(), fsys, generator.Options{Answers: facts.Answers{"app": appOf(files)}})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		out, err := generator.Render(p, "")
		if err != nil {
			t.Fatalf("%s: render: %v", name, err)
		}
		if !bytes.Contains(out[0].Data, []byte("bun")) {
			t.Errorf("%s: the fixture should reach bun somewhere:\n%s", name, out[0].Data)
		}
		all = append(all, rendered{name, out[0].Data, bunScriptsIn(t, fsys)})
	}
	for _, r := range all {
		res, err := parser.Parse(bytes.NewReader(r.df))
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		stages, _, err := instructions.Parse(res.AST, linter.New(&linter.Config{}))
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		for _, st := range stages {
			hasBun := strings.HasPrefix(st.BaseName, "oven/bun:")
			for _, c := range st.Commands {
				var line string
				switch c := c.(type) {
				case *instructions.RunCommand:
					line = strings.Join(c.CmdLine, " ")
				case *instructions.CmdCommand:
					line = strings.Join(c.CmdLine, " ")
				case *instructions.EntrypointCommand:
					line = strings.Join(c.CmdLine, " ")
				case *instructions.HealthCheckCommand:
					if len(c.Health.Test) > 1 {
						line = strings.Join(c.Health.Test[1:], " ")
					}
				default:
					continue
				}
				runsBun := bunWordRe.MatchString(line)
				for _, sc := range r.bunScripts {
					runsBun = runsBun || regexp.MustCompile(`\brun (?:--filter \S+ )?`+regexp.QuoteMeta(sc)+`(?:\s|$)`).MatchString(line)
				}
				if runsBun && !hasBun {
					t.Errorf("%s: stage %s (FROM %s) runs bun without having it: %s\n%s", r.name, st.Name, st.BaseName, line, r.df)
				}
				if strings.Contains(line, "install -g bun@") {
					hasBun = true
				}
			}
		}
	}
}

// bunScriptsIn lists the names of the scripts, in any package.json of
// fsys, whose command runs bun.
func bunScriptsIn(t *testing.T, fsys fs.FS) []string {
	t.Helper()
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() && d.Name() == "node_modules" {
			return err
		}
		if d.Name() != "package.json" {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		var pkg struct {
			Scripts map[string]string `json:"scripts"`
		}
		if err := json.Unmarshal(data, &pkg); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		for n, s := range pkg.Scripts {
			if bunWordRe.MatchString(s) {
				names = append(names, n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// appOf answers the workspace question of a fixture: its only app folder.
func appOf(files map[string]string) string {
	for n := range files {
		if strings.HasPrefix(n, "apps/") && strings.HasSuffix(n, "/package.json") {
			return strings.TrimSuffix(n, "/package.json")
		}
	}
	return ""
}
