package node

import (
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestNodePortSources(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		port    int
		portEnv string
		file    string // where the port is cited
		detail  string
	}{
		{
			name:  "a variable with an env fallback",
			files: map[string]string{"src/server.js": "const port = process.env.PORT || 8081;\napp.listen(port);\n"},
			port:  8081, portEnv: "PORT", file: "src/server.js", detail: "const port = process.env.PORT || 8081;",
		},
		{
			name:  "parseInt with a radix",
			files: map[string]string{"src/server.js": "const port = parseInt(process.env.PORT, 10) || 5050;\napp.listen(port);\n"},
			port:  5050, portEnv: "PORT", file: "src/server.js", detail: "parseInt",
		},
		{
			name:  "another variable name",
			files: map[string]string{"src/server.js": "const port = Number(process.env.APP_PORT ?? 4000);\napp.listen(port);\n"},
			port:  4000, portEnv: "APP_PORT", file: "src/server.js", detail: "APP_PORT ?? 4000",
		},
		{
			name:  "a destructured default",
			files: map[string]string{"src/server.js": "const { PORT = 7070, NODE_ENV } = process.env;\napp.listen(PORT);\n"},
			port:  7070, portEnv: "PORT", file: "src/server.js", detail: "PORT = 7070",
		},
		{
			name: "a chain of lookups, and a test helper's port left out",
			files: map[string]string{
				"www/app.js":     "app.set('port', process.env.PORT || process.env.OPENSHIFT_NODEJS_PORT || 8080);\n",
				"test/helper.js": "process.env.PORT = process.env.PORT || '9999';\n",
				"src/server.js":  "app.listen(app.get('port'));\n",
			},
			port: 8080, portEnv: "PORT", file: "www/app.js", detail: "OPENSHIFT_NODEJS_PORT || 8080",
		},
		{
			name: "an env schema default",
			files: map[string]string{
				"src/server.js":        "app.listen(config.port);\n",
				"src/config/config.js": "const schema = Joi.object({\n  SMTP_PORT: Joi.number().default(587),\n  PORT: Joi.number().default(3300),\n});\nmodule.exports = { port: env.PORT };\n",
			},
			port: 3300, portEnv: "PORT", file: "src/config/config.js", detail: "PORT: Joi.number().default(3300)",
		},
		{
			name:  "a zod env schema",
			files: map[string]string{"src/server.js": "const env = z.object({ APP_PORT: z.coerce.number().default(4100) }).parse(process.env);\napp.listen(env.APP_PORT);\n"},
			port:  4100, portEnv: "APP_PORT", file: "src/server.js", detail: "default(4100)",
		},
		{
			name: "a database port is not the app's",
			files: map[string]string{"src/server.js": "const db = { port: process.env.DB_PORT || 5432 };\nconst redis = process.env.REDIS_PORT || 6379;\napp.listen(process.env.PORT);\n",
				".env.example": "DB_PORT=5432\nPORT=3100\n"},
			port: 3100, portEnv: "PORT", file: ".env.example", detail: "PORT=3100",
		},
		{
			name:  "a metrics listener is not the app's port",
			files: map[string]string{"src/server.js": "if (process.env.METRICS) {\n  metricsServer.listen(9464);\n}\napp.listen(3500);\n"},
			port:  3500, file: "src/server.js", detail: "app.listen(3500)",
		},
		{
			name: "config object with a JSON config",
			files: map[string]string{
				"src/server.js":       "const config = require('config');\napp.listen(config.port);\n",
				"config/default.json": "{\n  \"port\": 8090,\n  \"db\": {}\n}\n",
			},
			port: 8090, file: "config/default.json", detail: `"port": 8090`,
		},
		{
			name: "node-config's production file wins under NODE_ENV=production",
			files: map[string]string{
				"src/server.js":          "app.listen(config.server.port);\n",
				"config/default.json":    `{"server": {"port": 8090}}`,
				"config/production.json": `{"server": {"port": 80}}`,
			},
			port: 80, file: "config/production.json", detail: `"port": 80`,
		},
		{
			name: "a YAML config",
			files: map[string]string{
				"src/server.js":      "app.listen(config.get('server').port);\napp.listen(conf.server.port);\n",
				"config/default.yml": "server:\n  port: 8091\n",
			},
			port: 8091, file: "config/default.yml", detail: `"port": 8091`,
		},
		{
			name:  "a hapi server",
			files: map[string]string{"src/server.js": "const server = Hapi.server({\n  port: 3400,\n  host: '0.0.0.0',\n});\nawait server.start();\n"},
			port:  3400, file: "src/server.js", detail: "Hapi.server({",
		},
		{
			name: "config module with a literal",
			files: map[string]string{
				"src/server.js":        "const cfg = require('./config/index');\napp.listen(cfg.http.port);\n",
				"src/config/index.js":  "module.exports = {\n  http: {\n    port: 8765,\n  },\n};\n",
				"src/routes/things.js": "router.get('/things', list)\n",
			},
			port: 8765, file: "src/config/index.js", detail: "port: 8765",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"package.json": `{"main": "src/server.js", "dependencies": {"express": "^5"}}`}
			for k, v := range tt.files {
				files[k] = v
			}
			det := nodeDetect(t, files, nil)
			if det.Port != tt.port || det.Node.PortEnv != tt.portEnv {
				t.Fatalf("port %d env %q, want %d %q (evidence %v)", det.Port, det.Node.PortEnv, tt.port, tt.portEnv, det.Evidence["port"])
			}
			detecttest.WantCited(t, det, "port", tt.file, -1, tt.detail)
		})
	}
}

func TestNodeListenAddress(t *testing.T) {
	tests := []struct {
		name    string
		fw      string
		src     string
		hostEnv string
		note    string
	}{
		{"host from a variable with a loopback default", "express", "const host = process.env.HOST || 'localhost';\napp.listen(3000, host);\n", "HOST", "the image sets HOST=0.0.0.0"},
		{"another host variable", "express", "app.listen(3000, process.env.BIND_HOST ?? '127.0.0.1');\n", "BIND_HOST", "BIND_HOST=0.0.0.0"},
		{"Fastify host from a variable", "fastify", "await app.listen({ port: 3000, host: process.env.HOST ?? 'localhost' });\n", "HOST", "the image sets HOST=0.0.0.0"},
		{"Fastify with 0.0.0.0", "fastify", "await app.listen({ port: 3000, host: '0.0.0.0' });\n", "", ""},
		{"Fastify with options dgen cannot read", "fastify", "await app.listen(opts);\n", "", "Fastify listens on localhost"},
		{"a host name set to a loopback is only a note", "express", "const host = 'localhost';\napp.listen(3000, host);\n", "", "the listen host host may be localhost"},
		{"express binds every address by default", "express", "app.listen(3000);\n", "", ""},
		{"a database host is not the listen address", "express", "const db = connect(process.env.DB_HOST || 'localhost');\napp.listen(3000);\n", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := nodeDetect(t, map[string]string{
				"package.json": `{"main": "server.js", "dependencies": {"` + tt.fw + `": "^5"}}`,
				"server.js":    tt.src,
			}, nil)
			if det.Node.HostEnv != tt.hostEnv {
				t.Errorf("HostEnv %q, want %q", det.Node.HostEnv, tt.hostEnv)
			}
			if tt.note == "" && detecttest.HasNote(det, "unreachable") {
				t.Errorf("unexpected note in %q", det.Notes)
			}
			if tt.note != "" && !detecttest.HasNote(det, tt.note) {
				t.Errorf("notes %q lack %q", det.Notes, tt.note)
			}
		})
	}
}

// TestNodeHardLoopback: a loopback host written in the listen call
// itself, or a Fastify listen call with no host, stops detection with the
// file, the line and the change to make; in a developer script it is a
// note.
func TestNodeHardLoopback(t *testing.T) {
	tests := []struct {
		name string
		fw   string
		file string
		src  string
		want []string // in the error; nil: no error
		note string
	}{
		{"a literal loopback bind", "express", "server.js", "app.listen(3000, 'localhost', () => {});\n", []string{"server.js:1:", "listens on localhost", `listen(port, "0.0.0.0")`}, ""},
		{"a literal loopback in listen options", "fastify", "server.js", "// start\nawait app.listen({ port: 3000, host: '127.0.0.1' });\n", []string{"server.js:2:", "127.0.0.1", `listen({ port, host: "0.0.0.0" })`}, ""},
		{"hapi on localhost", "@hapi/hapi", "server.js", "const server = Hapi.server({ port: 3000, host: 'localhost' });\n", []string{"server.js:1:", `host: "0.0.0.0"`}, ""},
		{"Fastify without a host", "fastify", "server.js", "await app.listen({ port: 3000 });\n", []string{"server.js:1:", "Fastify listens on localhost", `listen({ port, host: "0.0.0.0" })`}, ""},
		{"Fastify with a port and a callback", "fastify", "server.js", "app.listen(process.env.PORT || 3000, (err) => { if (err) throw err });\n", []string{"server.js:1:", "gives none"}, ""},
		{"Nest on Fastify without a host", "@nestjs/core,@nestjs/platform-fastify", "src/main.js", "const app = await NestFactory.create(AppModule, new FastifyAdapter());\nawait app.listen(process.env.PORT ?? 3000);\n", []string{"src/main.js:2:", `app.listen(port, "0.0.0.0")`}, ""},
		{"a loopback in the start file, wherever it is", "express", "scripts/serve.js", "app.listen(3000, 'localhost');\n", []string{"scripts/serve.js:1:", "listens on localhost"}, ""},
		{"a loopback in a development server", "express", "src/dev-server.js", "app.listen(3000, 'localhost');\n", nil, "listens on localhost only"},
		{"a loopback in a developer script", "express", "scripts/run.js", "app.listen(3000, 'localhost');\n", nil, "listens on localhost only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// fw lists the dependencies, comma-separated.
			pkg := `{"main": "` + tt.file + `", "dependencies": {"` + strings.ReplaceAll(tt.fw, ",", `": "^10", "`) + `": "^10"}}`
			files := map[string]string{"package.json": pkg, tt.file: tt.src}
			if tt.want == nil {
				// The app's own server binds every address; tt.file
				// is a helper beside it.
				files["package.json"] = strings.Replace(pkg, tt.file, "server.js", 1)
				files["server.js"] = "app.listen(3000, '0.0.0.0');\n"
			}
			_, err := Detector{}.Detect(detecttest.MapFS(files), nil)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Detect: %v", err)
				}
				det := nodeDetect(t, files, nil)
				if !detecttest.HasNote(det, tt.note) {
					t.Errorf("notes %q lack %q", det.Notes, tt.note)
				}
				return
			}
			if err == nil {
				t.Fatalf("Detect succeeded, want an error with %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestNodeFastifyCLI: fastify start listens on localhost unless given an
// address, so the image sets FASTIFY_ADDRESS; -a is left alone.
func TestNodeFastifyCLI(t *testing.T) {
	for _, tt := range []struct{ start, hostEnv string }{
		{"fastify start -l info app.js", "FASTIFY_ADDRESS"},
		{"fastify start -a 0.0.0.0 -l info app.js", ""},
	} {
		det := nodeDetect(t, map[string]string{
			"package.json": `{"scripts": {"start": "` + tt.start + `"}, "dependencies": {"fastify": "^5", "fastify-cli": "^7"}}`,
			"app.js":       "module.exports = async function (fastify) {\n  fastify.get('/', async () => ({ ok: true }))\n}\n",
		}, nil)
		if det.Node.HostEnv != tt.hostEnv {
			t.Errorf("%s: HostEnv %q, want %q (notes %q)", tt.start, det.Node.HostEnv, tt.hostEnv, det.Notes)
		}
		if tt.hostEnv == "" && detecttest.HasNote(det, "unreachable") {
			t.Errorf("%s: unexpected note in %q", tt.start, det.Notes)
		}
		if tt.hostEnv != "" {
			detecttest.WantCited(t, det, "hostEnv", "package.json", -1, "fastify start")
		}
	}
}

func TestNodeLowPort(t *testing.T) {
	det := nodeDetect(t, map[string]string{
		"package.json": `{"main": "server.js", "dependencies": {"express": "^5"}}`,
		"server.js":    "app.listen(process.env.PORT || 80);\n",
	}, nil)
	if det.Port != 8080 || det.Node.PortEnv != "PORT" || !detecttest.HasNote(det, "sets PORT=8080") {
		t.Errorf("port %d env %q notes %q: a port from a variable moves to 8080", det.Port, det.Node.PortEnv, det.Notes)
	}
	detecttest.WantCited(t, det, "port", "server.js", 1, "moved to 8080 through PORT")

	det = nodeDetect(t, map[string]string{
		"package.json": `{"main": "server.js", "dependencies": {"express": "^5"}}`,
		"server.js":    "app.listen(443);\n",
	}, nil)
	if det.Port != 443 || !detecttest.HasNote(det, "below 1024") || !detecttest.HasNote(det, "Podman") {
		t.Errorf("port %d notes %q: a fixed low port is kept and reported", det.Port, det.Notes)
	}
}

func TestNodeMetricsListenerIsReported(t *testing.T) {
	det := nodeDetect(t, map[string]string{
		"package.json": `{"main": "server.js", "dependencies": {"express": "^5"}}`,
		"server.js":    "metricsApp.listen(9464);\napp.listen(3500);\n",
	}, nil)
	if det.Port != 3500 || !detecttest.HasNote(det, "metrics or debug server on port 9464") {
		t.Errorf("port %d notes %q", det.Port, det.Notes)
	}
}
