package node

import (
	"path"
	"reflect"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestNodeWorker(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		worker  bool
		start   []string
		answers facts.Answers
	}{
		{
			name: "queue consumer with a start script",
			files: map[string]string{
				"package.json":  `{"scripts": {"start": "node src/worker.js"}, "dependencies": {"bullmq": "^5", "axios": "^1"}}`,
				"src/worker.js": "const { Worker } = require('bullmq');\nnew Worker('jobs', async (job) => { await axios.post(url, job.data) });\n",
			},
			worker: true, start: []string{"node", "src/worker.js"},
		},
		{
			name: "bot run from main",
			files: map[string]string{
				"package.json": `{"main": "bot.js", "dependencies": {"discord.js": "^14"}}`,
				"bot.js":       "const client = new Client({});\nclient.login(process.env.TOKEN);\n",
			},
			worker: true, start: []string{"node", "bot.js"},
		},
		{
			name: "http.createServer listens",
			files: map[string]string{
				"package.json": `{"main": "index.js"}`,
				"index.js":     "require('http').createServer(handler).listen(process.env.PORT)\n",
			},
		},
		{
			name: "a server package means a server even without a listen in sight",
			files: map[string]string{
				"package.json": `{"main": "index.js", "dependencies": {"express": "^5"}}`,
				"index.js":     "module.exports = require('./lib/start')\n",
			},
		},
		{
			name: "Hono's serve()",
			files: map[string]string{
				"package.json": `{"main": "index.mjs", "dependencies": {"@hono/node-server": "^1"}}`,
				"index.mjs":    "serve({ fetch: app.fetch })\n",
			},
		},
		{
			name: "a WebSocket server on a port",
			files: map[string]string{
				"package.json": `{"main": "index.js", "dependencies": {"ws": "^8"}}`,
				"index.js":     "const wss = new WebSocketServer({ port: 8080 });\n",
			},
		},
		{
			name: "a workspace app that starts the server a sibling package defines",
			files: map[string]string{
				"package.json":                 `{"private": true, "workspaces": ["apps/*", "packages/*"]}`,
				"apps/runner/package.json":     `{"name": "runner", "scripts": {"start": "node index.js"}, "dependencies": {"@acme/server": "*"}}`,
				"apps/runner/index.js":         "require('@acme/server').start()\n",
				"packages/server/package.json": `{"name": "@acme/server", "main": "index.js"}`,
				"packages/server/index.js":     "exports.start = () => require('http').createServer(h).listen(8080)\n",
			},
			answers: facts.Answers{"app": "apps/runner"},
		},
		{
			name: "a workspace worker whose siblings do not listen",
			files: map[string]string{
				"package.json":               `{"private": true, "workspaces": ["apps/*", "packages/*"]}`,
				"apps/runner/package.json":   `{"name": "runner", "scripts": {"start": "node index.js"}, "dependencies": {"@acme/jobs": "*"}}`,
				"apps/runner/index.js":       "require('@acme/jobs').run()\n",
				"packages/jobs/package.json": `{"name": "@acme/jobs", "main": "index.js"}`,
				"packages/jobs/index.js":     "exports.run = () => setInterval(poll, 1000)\n",
			},
			worker: true, start: []string{"node", "index.js"}, answers: facts.Answers{"app": "apps/runner"},
		},
		{
			name: "a port in the start script",
			files: map[string]string{
				"package.json": `{"scripts": {"start": "PORT=4000 node index.js"}}`,
				"index.js":     "require('./server')\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := nodeDetect(t, tt.files, tt.answers)
			if det.Worker != tt.worker {
				t.Fatalf("worker %v, want %v (port %d, evidence %v)", det.Worker, tt.worker, det.Port, det.Evidence["port"])
			}
			if len(det.Start) == 0 {
				t.Fatalf("no start command: the app was not detected (choices %+v)", det.Choices)
			}
			if !tt.worker {
				return
			}
			if det.Port != 0 || det.HealthPath != "" {
				t.Errorf("a worker has port %d health %q", det.Port, det.HealthPath)
			}
			if !reflect.DeepEqual(det.Start, tt.start) {
				t.Errorf("start %q, want %q", det.Start, tt.start)
			}
			detecttest.WantCited(t, det, "port", path.Join(det.Node.AppDir, "package.json"), 0, "a worker")
		})
	}
}
