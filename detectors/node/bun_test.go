package node

import (
	"reflect"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestNodeBunWithoutLockfile(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		manager string
		runtime string
		start   []string
		evFile  string // evidence of packageManager
		evText  string
	}{
		{
			name: "start script runs bun",
			files: map[string]string{
				"package.json": `{"scripts": {"start": "bun src/index.ts"}}`,
				"src/index.ts": "export default { port: 3000, fetch: () => new Response('ok') };\n",
			},
			manager: facts.NodeBun, runtime: "bun", start: []string{"bun", "src/index.ts"},
			evFile: "package.json", evText: `"start": "bun src/index.ts" runs bun`,
		},
		{
			name: "Bun.serve in the source, no scripts",
			files: map[string]string{
				"package.json": `{"module": "server.ts"}`,
				"server.ts":    "const server = Bun.serve({ port: 8080, fetch: () => new Response('hi') });\n",
			},
			manager: facts.NodeBun, runtime: "bun", start: []string{"bun", "run", "server.ts"},
			evFile: "server.ts", evText: "Bun.serve(",
		},
		{
			name: "import from bun:sqlite",
			files: map[string]string{
				"package.json": `{"main": "index.js"}`,
				"index.js":     "import { Database } from \"bun:sqlite\";\nexport default { fetch: () => new Response(String(new Database().query('select 1').get())) };\n",
			},
			manager: facts.NodeBun, runtime: "bun", start: []string{"bun", "run", "index.js"},
			evFile: "index.js", evText: `from "bun:sqlite"`,
		},
		{
			name: "build script runs bun, start runs the bundle",
			files: map[string]string{
				"package.json": `{"scripts": {"build": "bun build src/index.ts --outdir dist --target bun", "start": "bun dist/index.js"}}`,
				"src/index.ts": "console.log('hi')\n",
			},
			manager: facts.NodeBun, runtime: "bun", start: []string{"bun", "dist/index.js"},
			evFile: "package.json", evText: `"start": "bun dist/index.js" runs bun`,
		},
		{
			name: "bunfig.toml with a node start keeps Node as the runtime",
			files: map[string]string{
				"package.json": `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "^5"}}`,
				"bunfig.toml":  "[install]\nexact = true\n",
				"server.js":    nodeExpressServer,
			},
			manager: facts.NodeBun, runtime: "node", start: []string{"node", "server.js"},
			evFile: "bunfig.toml", evText: "bunfig.toml",
		},
		{
			name: "bunfig.toml alone runs on Bun",
			files: map[string]string{
				"package.json": `{"main": "server.js"}`,
				"bunfig.toml":  "[install]\nexact = true\n",
				"server.js":    "require('http').createServer((q, r) => r.end('ok')).listen(3000)\n",
			},
			manager: facts.NodeBun, runtime: "bun", start: []string{"bun", "run", "server.js"},
			evFile: "bunfig.toml", evText: "bunfig.toml",
		},
		{
			name: "a plain Node server without a lockfile stays npm",
			files: map[string]string{
				"package.json": `{"dependencies": {"express": "^5"}}`,
				"server.js":    nodeExpressServer,
			},
			manager: facts.NodeNPM, runtime: "node", start: []string{"node", "server.js"},
			evFile: "package.json", evText: "no lockfile",
		},
		{
			name: "npm's lockfile with a bun start: npm installs, Bun runs",
			files: map[string]string{
				"package.json":      `{"scripts": {"start": "bun run src/index.ts"}, "dependencies": {"hono": "^4"}}`,
				"package-lock.json": "{}",
				"src/index.ts":      "export default { fetch: () => new Response('ok') };\n",
			},
			manager: facts.NodeNPM, runtime: "bun", start: []string{"bun", "run", "src/index.ts"},
			evFile: "package-lock.json", evText: "lockfile",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := nodeDetect(t, tt.files, nil)
			if det.PackageManager != tt.manager || det.Node.Runtime != tt.runtime || !reflect.DeepEqual(det.Start, tt.start) {
				t.Errorf("manager %q runtime %q start %q, want %q %q %q", det.PackageManager, det.Node.Runtime, det.Start, tt.manager, tt.runtime, tt.start)
			}
			detecttest.WantCited(t, det, "packageManager", tt.evFile, 0, tt.evText)
			if tt.manager == facts.NodeBun && !detecttest.HasNote(det, "commit bun.lock") {
				t.Errorf("notes %q do not ask for bun.lock", det.Notes)
			}
			if tt.manager == facts.NodeBun && detecttest.HasNote(det, "package-lock.json") {
				t.Errorf("notes %q ask for npm's lockfile", det.Notes)
			}
		})
	}
}
