package node

import (
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestNodeHealthPrefixes(t *testing.T) {
	tests := []struct {
		name  string
		fw    string
		files map[string]string
		want  string // "" when the full path is not known
		file  string // where it is cited
	}{
		{
			name:  "express router mounted in the same file",
			fw:    "express",
			files: map[string]string{"server.js": "const app = express();\nconst router = express.Router();\nrouter.get('/health', ok);\napp.use('/api/v1', router);\napp.listen(3000);\n"},
			want:  "/api/v1/health", file: "server.js",
		},
		{
			name: "express router required by another file",
			fw:   "express",
			files: map[string]string{
				"server.js":        "const express = require('express');\nconst health = require('./routes/health');\nconst app = express();\napp.use('/api', auth, health);\napp.listen(3000);\n",
				"routes/health.js": "const router = require('express').Router();\nrouter.get('/healthz', (req, res) => res.send('ok'));\nmodule.exports = router;\n",
			},
			want: "/api/healthz", file: "routes/health.js",
		},
		{
			name: "express router imported in TypeScript, two levels deep",
			fw:   "express",
			files: map[string]string{
				"src/index.ts":         "import express from 'express';\nimport api from './routes/index.js';\nconst app = express();\napp.use('/api', api);\napp.listen(3000);\n",
				"src/routes/index.ts":  "import { Router } from 'express';\nimport status from './status';\nconst router = Router();\nrouter.use('/v2', status);\nexport default router;\n",
				"src/routes/status.ts": "import { Router } from 'express';\nconst r = Router();\nr.get('/ping', pong);\nexport default r;\n",
			},
			want: "/api/v2/ping", file: "src/routes/status.ts",
		},
		{
			name: "express router mounted without a path",
			fw:   "express",
			files: map[string]string{
				"app.js":    "const app = express();\napp.use(require('./health'));\napp.listen(8080);\n",
				"health.js": "const router = express.Router();\nrouter.get('/health', ok);\nmodule.exports = router;\n",
			},
			want: "/health", file: "health.js",
		},
		{
			name:  "a router nobody mounts is not resolved",
			fw:    "express",
			files: map[string]string{"server.js": "const app = express();\napp.listen(3000);\nconst router = express.Router();\nrouter.get('/health', ok);\n"},
		},
		{
			name:  "a prefix from a variable is not resolved",
			fw:    "express",
			files: map[string]string{"server.js": "const app = express();\nconst router = express.Router();\nrouter.get('/health', ok);\napp.use(BASE + '/v1', router);\napp.listen(3000);\n"},
		},
		{
			name: "routes registered by a function given the app",
			fw:   "express",
			files: map[string]string{
				"index.js":  "const app = express();\nrequire('./routes')(app);\napp.listen(3000);\n",
				"routes.js": "module.exports = (app) => {\n  app.get('/healthz', ok);\n};\n",
			},
			want: "/healthz", file: "routes.js",
		},
		{
			name: "fastify plugin registered with a prefix",
			fw:   "fastify",
			files: map[string]string{
				"server.js": "const fastify = Fastify();\nconst health = require('./health');\nfastify.register(health, { prefix: '/status' });\nfastify.listen({ port: 3000, host: '0.0.0.0' });\n",
				"health.js": "module.exports = async function (app) {\n  app.get('/health', async () => ({ ok: true }));\n};\n",
			},
			want: "/status/health", file: "health.js",
		},
		{
			name:  "hono sub-app mounted with route()",
			fw:    "hono",
			files: map[string]string{"index.ts": "const app = new Hono();\nconst api = new Hono();\napi.get('/health', (c) => c.text('ok'));\napp.route('/api', api);\nserve(app);\n"},
			want:  "/api/health", file: "index.ts",
		},
		{
			name:  "koa-router with its own prefix",
			fw:    "koa",
			files: map[string]string{"index.js": "const app = new Koa();\nconst router = new Router({ prefix: '/v1' });\nrouter.get('/health', ok);\napp.use(router.routes());\napp.listen(3000);\n"},
			want:  "/v1/health", file: "index.js",
		},
		{
			name:  "route objects under some prefix are not resolved",
			fw:    "fastify",
			files: map[string]string{"server.js": "fastify.register(routes, { prefix: '/api' });\nfastify.route({ method: 'GET', url: '/health', handler });\nfastify.listen({ port: 3000, host: '0.0.0.0' });\n"},
		},
		{
			name: "nest global prefix",
			fw:   "@nestjs/core",
			files: map[string]string{
				"src/main.ts":              "const app = await NestFactory.create(AppModule);\napp.setGlobalPrefix('api');\nawait app.listen(3000);\n",
				"src/health.controller.ts": "@Controller('health')\nexport class HealthController {\n  @Get()\n  check() { return 'ok' }\n}\n",
			},
			want: "/api/health", file: "src/health.controller.ts",
		},
		{
			name: "nest route in a controller without a path",
			fw:   "@nestjs/core",
			files: map[string]string{
				"src/main.ts":           "const app = await NestFactory.create(AppModule);\nawait app.listen(3000);\n",
				"src/app.controller.ts": "@Controller()\nexport class AppController {\n  @Get('healthz')\n  h() {}\n}\n",
			},
			want: "/healthz", file: "src/app.controller.ts",
		},
		{
			name: "nest global prefix with exclusions is not resolved",
			fw:   "@nestjs/core",
			files: map[string]string{
				"src/main.ts":              "app.setGlobalPrefix('api', { exclude: ['health'] });\nawait app.listen(3000);\n",
				"src/health.controller.ts": "@Controller('health')\nexport class HealthController {\n  @Get()\n  check() {}\n}\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"package.json": `{"dependencies": {"` + tt.fw + `": "^5"}, "scripts": {"start": "node index.js"}}`}
			for k, v := range tt.files {
				files[k] = v
			}
			det := nodeDetect(t, files, nil)
			if det.HealthPath != tt.want {
				t.Fatalf("health %q, want %q (evidence %v)", det.HealthPath, tt.want, det.Evidence["healthPath"])
			}
			if tt.want != "" {
				detecttest.WantCited(t, det, "healthPath", tt.file, 0, "")
			}
		})
	}
}

func TestNodeNextBasePath(t *testing.T) {
	files := map[string]string{
		"package.json":        `{"scripts": {"build": "next build", "start": "next start"}, "dependencies": {"next": "16"}}`,
		"app/health/route.ts": "export const GET = () => new Response('ok')\n",
		"next.config.mjs":     "export default { basePath: '/docs', output: 'standalone' }\n",
	}
	if det := nodeDetect(t, files, nil); det.HealthPath != "/docs/health" {
		t.Errorf("health %q, want the route under basePath", det.HealthPath)
	}
	files["next.config.mjs"] = "export default { basePath: process.env.BASE_PATH }\n"
	if det := nodeDetect(t, files, nil); det.HealthPath != "" {
		t.Errorf("health %q with a basePath from a variable, want none", det.HealthPath)
	}
}
