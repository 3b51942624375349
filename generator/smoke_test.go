package generator_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/dgen-dev/dgen/generator"
	"github.com/dgen-dev/dgen/generator/dockerfilecheck"
)

// TestSmallReposPassEveryGate runs small, ordinary repositories of each
// ecosystem — the shapes people run dgen on first — through detection,
// rendering and every Dockerfile check, as `dgen init --yes` would.
func TestSmallReposPassEveryGate(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"python script no deps": {
			"main.py":          "print('hello')\n",
			"requirements.txt": "",
		},
		"python pyproject no deps": {
			"pyproject.toml":   "[project]\nname = \"tool\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\n",
			"tool/__init__.py": "",
			"tool/__main__.py": "print('hi')\n",
		},
		"python setup.py": {
			"setup.py": "from setuptools import setup\nsetup(name='x', py_modules=['app'], install_requires=['flask'])\n",
			"app.py":   "from flask import Flask\napp = Flask(__name__)\n",
		},
		"python flask requirements": {
			"requirements.txt": "flask==3.0.0\ngunicorn==22.0.0\n",
			"app.py":           "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return 'hi'\n",
		},
		"python fastapi main": {
			"requirements.txt": "fastapi\nuvicorn[standard]\n",
			"main.py":          "from fastapi import FastAPI\napp = FastAPI()\n",
		},
		"node express npm": {
			"package.json":      `{"name":"api","version":"1.0.0","main":"index.js","scripts":{"start":"node index.js"},"dependencies":{"express":"^4.19.2"}}`,
			"package-lock.json": `{"name":"api","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{"":{"name":"api","version":"1.0.0","dependencies":{"express":"^4.19.2"}}}}`,
			"index.js":          "const express = require('express');\nconst app = express();\napp.listen(process.env.PORT || 3000);\n",
		},
		"node no lockfile": {
			"package.json": `{"name":"srv","scripts":{"start":"node server.js"}}`,
			"server.js":    "require('http').createServer((q, r) => r.end('ok')).listen(8080);\n",
		},
		"node typescript build": {
			"package.json":      `{"name":"ts","scripts":{"build":"tsc","start":"node dist/index.js"},"devDependencies":{"typescript":"^5.6.0"},"dependencies":{"fastify":"^5.0.0"}}`,
			"package-lock.json": `{"name":"ts","lockfileVersion":3,"requires":true,"packages":{}}`,
			"src/index.ts":      "import Fastify from 'fastify';\nconst app = Fastify();\napp.listen({ port: 3000, host: '0.0.0.0' });\n",
		},
		"node worker": {
			"package.json": `{"name":"w","main":"worker.js","dependencies":{}}`,
			"worker.js":    "setInterval(() => console.log('tick'), 1000);\n",
		},
		"go root main no go.sum": {
			"go.mod":  "module example.com/x\n\ngo 1.23\n",
			"main.go": "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":9000\", nil) }\n",
		},
		"go cli worker": {
			"go.mod":  "module example.com/cli\n\ngo 1.26\n",
			"main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n",
		},
		"go vendored gin": {
			"go.mod":             "module example.com/g\n\ngo 1.25\n\nrequire github.com/gin-gonic/gin v1.10.0\n",
			"go.sum":             "",
			"vendor/modules.txt": "# github.com/gin-gonic/gin v1.10.0\n## explicit\ngithub.com/gin-gonic/gin\n",
			"main.go":            "package main\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc main() { r := gin.Default(); r.GET(\"/ping\", nil); r.Run(\":8081\") }\n",
		},
	} {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for n, body := range files {
				fsys[n] = &fstest.MapFile{Data: []byte(body)}
			}
			p, err := generator.Resolve(context.Background(), fsys, generator.Options{})
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			out, err := generator.Render(p, "")
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			res, err := dockerfilecheck.Check(context.Background(), out[0].Data, out[1].Data,
				dockerfilecheck.Expect{Port: p.PortNumber(), Healthcheck: p.Port != nil})
			if err != nil {
				t.Fatalf("Check: %v\n%s", err, out[0].Data)
			}
			for _, pr := range res.Problems() {
				t.Errorf("%s", pr)
			}
			if t.Failed() {
				t.Logf("Dockerfile:\n%s", out[0].Data)
			}
		})
	}
}
