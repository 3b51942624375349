package detectors_test

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dgen-dev/dgen/detectors"
	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator"
)

// The Fuzz* targets below put arbitrary bytes under one manifest's name in
// an otherwise valid repository and run detection, then the whole resolve
// and render, on it. Whatever the bytes, dgen must not panic or hang, a
// fatal error must name a file, and what detection reports must keep its
// contract: evidence points at files that exist, choices use the allowed
// keys and flags and are not asked again once answered, ports are ports.
//
//	go test ./detectors -run '^$' -fuzz '^FuzzGoMod$' -fuzztime 1m
//
// Seeds are realistic files plus the hostile ones below; the corpus under
// testdata/fuzz/<target>/ keeps the inputs worth keeping.

const (
	fzGoMod   = "module example.com/shop\n\ngo 1.24\n\nrequire github.com/gin-gonic/gin v1.10.0\n"
	fzGoMain  = "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"
	fzPkg     = `{"name": "shop", "version": "1.0.0", "main": "server.js", "scripts": {"start": "node server.js", "build": "tsc"}, "dependencies": {"express": "^4.21.2"}, "engines": {"node": ">=22"}}`
	fzServer  = "const express = require('express');\nconst app = express();\napp.get('/healthz', (q, s) => s.send('ok'));\napp.listen(process.env.PORT || 3000);\n"
	fzFlask   = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get('/healthz')\ndef health():\n    return 'ok'\n"
	fzReqs    = "flask==3.1.0\ngunicorn==23.0.0\n"
	fzProject = "[project]\nname = \"shop\"\nversion = \"0.1.0\"\nrequires-python = \">=3.12\"\ndependencies = [\"flask>=3\", \"gunicorn\"]\n"
	fzPoetry  = "[tool.poetry]\nname = \"shop\"\nversion = \"0.1.0\"\n\n[tool.poetry.dependencies]\npython = \"^3.12\"\nflask = \"^3.0\"\n"
	fzPipfile = "[[source]]\nurl = \"https://pypi.org/simple\"\nverify_ssl = true\nname = \"pypi\"\n\n[packages]\nflask = \"*\"\n\n[requires]\npython_version = \"3.12\"\n"
)

// junkSeeds go into every target.
var junkSeeds = []string{
	"",
	"\x00",
	"\xef\xbb\xbf",
	"\xff\xfe\x00{",
	"{",
	"[",
	"null",
	"\n\n\n",
	strings.Repeat("{[", 500),
	strings.Repeat("a", 70000) + "\n",
	"$(id)\n`id`\n${HOME}\n",
	"<<EOF\nRUN id\nEOF\n",
}

// fuzzManifest fuzzes the file name in a repository made of base.
func fuzzManifest(f *testing.F, name string, base map[string]string, seeds ...string) {
	for _, s := range append(seeds, junkSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{}
		for k, v := range base {
			fsys[k] = &fstest.MapFile{Data: []byte(v), Mode: 0o644}
		}
		fsys[name] = &fstest.MapFile{Data: data, Mode: 0o644}
		checkDetection(t, fsys)
	})
}

var (
	choiceKeys  = map[string]string{"main": "--main", "packageManager": "--package-manager", "app": "--app"}
	languages   = []string{facts.LangGo, facts.LangPython, facts.LangNode}
	errNoAnswer = errors.New("no answer")
)

// checkDetection runs Detect over fsys, answering every choice in turn
// the way the resolver does, and checks the contract at each round; then
// it resolves and renders the repository.
func checkDetection(t *testing.T, fsys fstest.MapFS) {
	t.Helper()
	answers := facts.Answers{}
	for round := 0; round < 8; round++ {
		det, err := detectors.Detect(fsys, answers)
		if err != nil {
			checkFatal(t, fsys, err)
			break
		}
		checkContract(t, fsys, det, answers)
		next, err := answerOne(det, answers)
		if errors.Is(err, errNoAnswer) {
			break
		}
		answers = next
	}
	p, err := generator.Resolve(context.Background(), fsys, generator.Options{})
	if err != nil {
		if !generator.IsBadInput(err) && !errors.Is(err, generator.ErrNeedAnswer) {
			t.Fatalf("Resolve: an unexpected error (exit 1, not 2): %v", err)
		}
		return
	}
	if _, err := generator.Render(p, ""); err != nil && !generator.IsBadInput(err) {
		t.Fatalf("Render: an unexpected error (exit 1, not 2): %v", err)
	}
}

// checkFatal holds a fatal detection error to its contract: it names a
// file of the repository (or says there is no project at all).
func checkFatal(t *testing.T, fsys fstest.MapFS, err error) {
	t.Helper()
	msg := err.Error()
	if msg == "" {
		t.Fatal("Detect failed with an empty message")
	}
	if errors.Is(err, detectors.ErrNoProject) {
		return
	}
	for name := range fsys {
		if strings.Contains(msg, pathBase(name)) {
			return
		}
	}
	t.Fatalf("a fatal error must name the file at fault; got %q", msg)
}

func pathBase(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// checkContract checks what one Detect returned.
func checkContract(t *testing.T, fsys fstest.MapFS, det *facts.Detection, answers facts.Answers) {
	t.Helper()
	if det == nil {
		t.Fatal("Detect returned neither a Detection nor an error")
	}
	if !slices.Contains(languages, det.Language) {
		t.Fatalf("language %q", det.Language)
	}
	if det.Port < 0 || det.Port > 65535 {
		t.Fatalf("port %d", det.Port)
	}
	for field, ev := range det.Evidence {
		if ev.File == "" {
			continue
		}
		if _, err := fs.Stat(fsys, ev.File); err != nil {
			t.Fatalf("evidence for %s cites %q, which is not in the repository (%v)", field, ev.File, err)
		}
		if ev.Line < 0 {
			t.Fatalf("evidence for %s has line %d", field, ev.Line)
		}
	}
	for _, pr := range det.Problems {
		if pr.Message == "" {
			t.Fatalf("a problem with no message for %q", pr.File)
		}
	}
	for _, c := range det.Choices {
		flag, ok := choiceKeys[c.Key]
		if !ok || c.Flag != flag {
			t.Fatalf("choice %q with flag %q: keys are main, packageManager and app with their flags", c.Key, c.Flag)
		}
		if _, answered := answers[c.Key]; answered {
			t.Fatalf("choice %q asked again after it was answered with %q", c.Key, answers[c.Key])
		}
		if len(c.Options) == 0 {
			t.Fatalf("choice %q has no options", c.Key)
		}
		seen := map[string]bool{}
		for _, o := range c.Options {
			if seen[o.Value] {
				t.Fatalf("choice %q offers %q twice", c.Key, o.Value)
			}
			seen[o.Value] = true
		}
		if c.Default != "" && !seen[c.Default] {
			t.Fatalf("choice %q defaults to %q, which is not an option", c.Key, c.Default)
		}
	}
	if _, err := json.Marshal(det); err != nil {
		t.Fatalf("the detection does not encode as JSON (plan --json): %v", err)
	}
}

// answerOne answers the first open choice with its default (or first
// option), as the resolver does without a terminal.
func answerOne(det *facts.Detection, answers facts.Answers) (facts.Answers, error) {
	for _, c := range det.Choices {
		if _, ok := answers[c.Key]; ok {
			continue
		}
		v := c.Default
		if v == "" {
			v = c.Options[0].Value
		}
		next := facts.Answers{}
		for k, a := range answers {
			next[k] = a
		}
		next[c.Key] = v
		return next, nil
	}
	return nil, errNoAnswer
}

// --- Go ---

func FuzzGoMod(f *testing.F) {
	fuzzManifest(f, "go.mod", map[string]string{"main.go": fzGoMain, "cmd/worker/main.go": "package main\n\nfunc main() {}\n"},
		fzGoMod,
		"module example.com/shop\n\ngo 1.24.0\n\ntoolchain go1.26.2\n",
		"module \"example.com/odd path\"\n\ngo 1.24\n",
		"module example.com/shop\n\ngo 1.22\n\nrequire (\n\tgithub.com/mattn/go-sqlite3 v1.14.24\n\tgit.corp.example/team/lib v1.0.0\n)\n\nreplace git.corp.example/team/lib => ./lib\n",
		"module example.com/shop\n\ngo 1.99\n",
		"module example.com/shop\n\ngo 1\n",
		"module example.com/shop\nreplace example.com/x => ../outside\nreplace example.com/y => /abs\n",
		"module example.com/shop\n\ngodebug default=go1.21\nignore ./web\n",
	)
}

func FuzzGoWork(f *testing.F) {
	fuzzManifest(f, "go.work", map[string]string{"go.mod": fzGoMod, "main.go": fzGoMain, "api/go.mod": "module example.com/api\n\ngo 1.24\n", "api/main.go": fzGoMain},
		"go 1.24\n\nuse (\n\t.\n\t./api\n)\n",
		"go 1.24\n\nuse ../outside\n",
		"go 1.24\n\nuse ./missing\n",
		"go 1.24\nuse \"./a b\"\n",
	)
}

func FuzzGoSource(f *testing.F) {
	fuzzManifest(f, "main.go", map[string]string{"go.mod": fzGoMod},
		fzGoMain,
		"package main\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc main() { r := gin.Default(); r.GET(\"/health\", nil); r.Run(\":9090\") }\n",
		"package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\tport := os.Getenv(\"PORT\")\n\tif port == \"\" {\n\t\tport = \"8081\"\n\t}\n\thttp.ListenAndServe(\":\"+port, nil)\n}\n",
		"package main\n\n// #include <stdio.h>\nimport \"C\"\n\nfunc main() {}\n",
		"package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":99999\", nil); http.ListenAndServe(\":-1\", nil) }\n",
		"package main\n\nimport \"embed\"\n\n//go:embed static\nvar f embed.FS\n\nfunc main() {}\n",
		"package main\nfunc main() { x := \"\n",
	)
}

// --- Node ---

func FuzzPackageJSON(f *testing.F) {
	fuzzManifest(f, "package.json", map[string]string{"server.js": fzServer, "package-lock.json": `{"lockfileVersion": 3}`, "apps/web/package.json": `{"name":"web","scripts":{"start":"node i.js"}}`},
		fzPkg,
		"\xef\xbb\xbf"+fzPkg,
		`{"name": "mono", "private": true, "workspaces": ["apps/*", "packages/*"]}`,
		`{"name": "mono", "workspaces": {"packages": ["apps/*"]}, "packageManager": "pnpm@9.15.0+sha512.abc"}`,
		`{"scripts": 5, "dependencies": ["a"], "engines": "node 20", "main": 7}`,
		`{"scripts": {"start": "next start", "build": "next build"}, "dependencies": {"next": "15.0.0", "react": "19.0.0", "sharp": "1", "prisma": "5"}}`,
		`{"scripts": {"build": "vite build"}, "devDependencies": {"vite": "6"}}`,
		`{"type": "module", "main": "../../etc/passwd", "scripts": {"start": "node $(id).js && rm -rf /"}}`,
		`{"dependencies": {"local": "file:../outside", "x": "link:./x", "y": "workspace:*"}}`,
		`{"packageManager": "yarn@4.5.0", "engines": {"node": ">=20 <23 || ^24"}}`,
	)
}

func FuzzPackageLock(f *testing.F) {
	fuzzManifest(f, "package-lock.json", map[string]string{"package.json": fzPkg, "server.js": fzServer},
		`{"name": "shop", "lockfileVersion": 3, "requires": true, "packages": {"": {"name": "shop"}}}`,
		`{"lockfileVersion": 1, "dependencies": {}}`,
	)
}

func FuzzPnpmLock(f *testing.F) {
	fuzzManifest(f, "pnpm-lock.yaml", map[string]string{"package.json": fzPkg, "server.js": fzServer},
		"lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n\nimporters:\n  .:\n    dependencies:\n      express:\n        specifier: ^4.21.2\n        version: 4.21.2\n",
		"lockfileVersion: 5.4\n",
		"lockfileVersion: '6.0'\n",
		"lockfileVersion: 99\n",
		"lockfileVersion: [\n",
	)
}

func FuzzPnpmWorkspace(f *testing.F) {
	fuzzManifest(f, "pnpm-workspace.yaml", map[string]string{"package.json": `{"name":"mono","private":true}`, "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
		"apps/web/package.json": `{"name":"web","scripts":{"start":"node i.js","build":"tsc"}}`, "apps/web/i.js": fzServer,
		"apps/api/package.json": `{"name":"api","scripts":{"start":"node i.js"}}`, "apps/api/i.js": fzServer},
		"packages:\n  - 'apps/*'\n  - '!apps/legacy'\n",
		"packages: apps/*\n",
		"packages:\n  - '../**'\n  - '/abs/*'\n",
	)
}

func FuzzYarnrc(f *testing.F) {
	fuzzManifest(f, ".yarnrc.yml", map[string]string{"package.json": `{"name":"shop","packageManager":"yarn@4.5.0","scripts":{"start":"node server.js"}}`, "yarn.lock": "__metadata:\n  version: 8\n", "server.js": fzServer},
		"nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-4.5.0.cjs\n",
		"nodeLinker: pnp\nnpmAuthToken: abc\n",
		"npmScopes:\n  corp:\n    npmRegistryServer: https://npm.corp.example\n    npmAuthToken: ${NPM_TOKEN}\n",
	)
}

func FuzzNpmrc(f *testing.F) {
	fuzzManifest(f, ".npmrc", map[string]string{"package.json": fzPkg, "package-lock.json": `{"lockfileVersion": 3}`, "server.js": fzServer},
		"registry=https://npm.corp.example/\n",
		"//npm.corp.example/:_authToken=${NPM_TOKEN}\n@corp:registry=https://npm.corp.example/\n",
		"_auth=dXNlcjpwYXNz\nalways-auth=true\n",
		"engine-strict=true\nlegacy-peer-deps=true\n",
	)
}

func FuzzNvmrc(f *testing.F) {
	fuzzManifest(f, ".nvmrc", map[string]string{"package.json": fzPkg, "server.js": fzServer},
		"22\n", "v24.11.1", "lts/*", "lts/jod", "node", "stable", "20", "# pinned\n26\n", "iojs", "v0.12", "system", "99",
	)
}

// --- Python ---

func FuzzPyproject(f *testing.F) {
	fuzzManifest(f, "pyproject.toml", map[string]string{"app.py": fzFlask, "shop/__init__.py": "", "shop/cli.py": "def main():\n    pass\n"},
		fzProject,
		fzPoetry,
		fzProject+"\n[project.scripts]\nshop = \"shop.cli:main\"\nother = \"shop.cli:other\"\n",
		fzProject+"\n[tool.uv]\ndev-dependencies = [\"pytest\"]\n\n[[tool.uv.index]]\nname = \"corp\"\nurl = \"https://user:pass@pypi.corp.example/simple\"\n",
		"[project]\nname = 5\nrequires-python = 3.12\ndependencies = \"flask\"\n[project.scripts]\nshop = 7\n",
		"[project]\nrequires-python = \">=3.8,<3.9\"\n",
		"[project]\nrequires-python = \">=4\"\n",
		"[tool.pdm]\n[tool.pdm.dev-dependencies]\ntest = [\"pytest\"]\n",
		"[build-system]\nrequires = [\"setuptools\"]\n",
	)
}

func FuzzPipfile(f *testing.F) {
	fuzzManifest(f, "Pipfile", map[string]string{"app.py": fzFlask},
		fzPipfile,
		"[packages]\ndjango = \"*\"\npsycopg2 = \"*\"\n[requires]\npython_full_version = \"3.11.9\"\n",
		"[[source]]\nurl = \"https://${USER}:${PASS}@pypi.corp.example/simple\"\nname = \"corp\"\n",
		"[requires]\npython_version = 3.12\n",
	)
}

func FuzzPipfileLock(f *testing.F) {
	fuzzManifest(f, "Pipfile.lock", map[string]string{"Pipfile": fzPipfile, "app.py": fzFlask},
		`{"_meta": {"hash": {"sha256": "abc"}, "requires": {"python_version": "3.12"}}, "default": {"flask": {"version": "==3.1.0"}}, "develop": {}}`,
		`{"_meta": 5}`,
	)
}

func FuzzPoetryLock(f *testing.F) {
	fuzzManifest(f, "poetry.lock", map[string]string{"pyproject.toml": fzPoetry, "app.py": fzFlask},
		"[[package]]\nname = \"flask\"\nversion = \"3.1.0\"\n\n[metadata]\nlock-version = \"2.1\"\npython-versions = \"^3.12\"\n",
		"[metadata]\nlock-version = 7\n",
	)
}

func FuzzUvLock(f *testing.F) {
	fuzzManifest(f, "uv.lock", map[string]string{"pyproject.toml": fzProject, "app.py": fzFlask},
		"version = 1\nrequires-python = \">=3.12\"\n\n[[package]]\nname = \"flask\"\nversion = \"3.1.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n",
		"version = 1\n[[package]]\nname = \"psycopg2\"\nversion = \"2.9.10\"\nsource = { registry = \"https://pypi.org/simple\" }\n",
	)
}

func FuzzRequirements(f *testing.F) {
	fuzzManifest(f, "requirements.txt", map[string]string{"app.py": fzFlask},
		fzReqs,
		"-r base.txt\n-c constraints.txt\n--index-url https://user:pass@pypi.corp.example/simple\nDjango>=5 ; python_version >= '3.10'\npsycopg2==2.9.10 --hash=sha256:abc\n",
		"-e .\n./local-pkg\ngit+https://github.com/x/y.git#egg=y\n",
		"fastapi[standard]\nuvicorn[standard]\n",
		"streamlit\nopencv-python\n",
	)
}

func FuzzPythonVersion(f *testing.F) {
	fuzzManifest(f, ".python-version", map[string]string{"requirements.txt": fzReqs, "app.py": fzFlask},
		"3.12\n", "3.12.7", "pypy3.10", "3.10\n3.11\n", "system", "3", "3.99", "cpython-3.13.1-linux-x86_64-gnu",
	)
}

func FuzzProcfile(f *testing.F) {
	fuzzManifest(f, "Procfile", map[string]string{"requirements.txt": fzReqs, "app.py": fzFlask},
		"web: gunicorn app:app --bind 0.0.0.0:$PORT\nworker: celery -A app worker\n",
		"web: uvicorn app:app --host 0.0.0.0 --port ${PORT:-8000}\n",
		"release: python manage.py migrate\n",
		"web: sh -c 'gunicorn app:app; rm -rf /'\n",
		"web:\n",
	)
}

func FuzzDjangoSettings(f *testing.F) {
	fuzzManifest(f, "shop/settings.py", map[string]string{"requirements.txt": "django\ngunicorn\n",
		"manage.py":    "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
		"shop/wsgi.py": "application = None\n", "shop/asgi.py": "application = None\n", "shop/__init__.py": ""},
		"WSGI_APPLICATION = 'shop.wsgi.application'\nSTATIC_URL = '/static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n",
		"ASGI_APPLICATION = \"shop.asgi.application\"\nSECRET_KEY = os.environ['SECRET_KEY']\nDATABASES = {'default': dj_database_url.config()}\n",
		"WSGI_APPLICATION = '$(id)'\nSTATIC_ROOT = '/srv/$HOME'\n",
	)
}
