package generator_test

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator"
	"github.com/dgen-dev/dgen/generator/catalog"
	"github.com/dgen-dev/dgen/generator/dockerfilecheck"
)

// Repositories for every template path the examples do not take: each
// pins its language version in its own files, through a "%V" placeholder.
var tagFixtures = map[string]struct {
	lang  string
	files map[string]string
}{
	"go static": {facts.LangGo, map[string]string{
		"go.mod":  "module example.com/api\n\ngo %V\n",
		"main.go": "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n",
	}},
	"go cgo": {facts.LangGo, map[string]string{
		"go.mod":  "module example.com/db\n\ngo %V\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n",
		"go.sum":  "github.com/mattn/go-sqlite3 v1.14.22 h1:x=\n",
		"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t_ \"github.com/mattn/go-sqlite3\"\n)\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n",
	}},
	"python pdm": {facts.LangPython, map[string]string{
		".python-version": "%V\n",
		"pyproject.toml":  "[project]\nname = \"app\"\ndependencies = [\"flask\", \"gunicorn\"]\n",
		"pdm.lock":        "",
		"app.py":          "from flask import Flask\n\napp = Flask(__name__)\n",
	}},
	"python pip": {facts.LangPython, map[string]string{
		".python-version":  "%V\n",
		"requirements.txt": "flask\ngunicorn\n",
		"app.py":           "from flask import Flask\n\napp = Flask(__name__)\n",
	}},
	"python uv": {facts.LangPython, map[string]string{
		".python-version": "%V\n",
		"pyproject.toml":  "[project]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"fastapi\", \"uvicorn\"]\n",
		"uv.lock":         "version = 1\n",
		"main.py":         "from fastapi import FastAPI\napp = FastAPI()\n",
	}},
	"node npm": {facts.LangNode, map[string]string{
		".nvmrc":            "%V\n",
		"package.json":      `{"name":"api","scripts":{"start":"node index.js"},"dependencies":{"express":"^4.19.2"}}`,
		"package-lock.json": `{"name":"api","lockfileVersion":3,"requires":true,"packages":{}}`,
		"index.js":          "require('express')().listen(3000);\n",
	}},
	"node pnpm": {facts.LangNode, map[string]string{
		".nvmrc":         "%V\n",
		"package.json":   `{"name":"api","scripts":{"start":"node index.js"},"dependencies":{"express":"^4.19.2"}}`,
		"pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
		"index.js":       "require('express')().listen(3000);\n",
	}},
	"node yarn classic": {facts.LangNode, map[string]string{
		".nvmrc":       "%V\n",
		"package.json": `{"name":"api","scripts":{"start":"node index.js"},"dependencies":{"express":"^4.19.2"}}`,
		"yarn.lock":    "# yarn lockfile v1\n",
		"index.js":     "require('express')().listen(3000);\n",
	}},
	"node static nginx": {facts.LangNode, map[string]string{
		".nvmrc":            "%V\n",
		"package.json":      `{"name":"spa","scripts":{"build":"vite build"},"devDependencies":{"vite":"^7"}}`,
		"package-lock.json": `{"name":"spa","lockfileVersion":3,"requires":true,"packages":{}}`,
		"index.html":        "<!doctype html><div id=app></div>\n",
	}},
	"node bun": {facts.LangNode, map[string]string{
		".nvmrc":       "%V\n",
		"package.json": `{"name":"api","scripts":{"start":"bun run index.ts"}}`,
		"bun.lock":     "{\n  \"lockfileVersion\": 1\n}\n",
		"index.ts":     "Bun.serve({ port: 3000, fetch: () => new Response('ok') });\n",
	}},
	// The front end of a Python app is built on the Node its own files
	// ask for: the Node versions are walked here.
	"python assets npm": {facts.LangNode, map[string]string{
		"requirements.txt":  "django\ngunicorn\n",
		"manage.py":         "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
		"site1/settings.py": "WSGI_APPLICATION = 'site1.wsgi.application'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n",
		"site1/views.py":    strings.Repeat("# view code\n", 100),
		"package.json":      `{"scripts": {"build": "vite build"}, "devDependencies": {"vite": "^7"}}`,
		"package-lock.json": `{"lockfileVersion":3,"requires":true,"packages":{}}`,
		".nvmrc":            "%V\n",
	}},
	"python assets pnpm": {facts.LangNode, map[string]string{
		"requirements.txt":  "django\ngunicorn\n",
		"manage.py":         "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
		"site1/settings.py": "WSGI_APPLICATION = 'site1.wsgi.application'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n",
		"site1/views.py":    strings.Repeat("# view code\n", 100),
		"package.json":      `{"scripts": {"build": "vite build"}, "devDependencies": {"vite": "^7"}}`,
		"pnpm-lock.yaml":    "lockfileVersion: '9.0'\n",
		".nvmrc":            "%V\n",
	}},
}

// tableVersions are the versions of one language the test walks: every
// row of its table in versions.go, and for Python the older minors that
// still have images on an older Debian release.
func tableVersions(lang string) []string {
	switch lang {
	case facts.LangGo:
		return catalog.GoVersions
	case facts.LangPython:
		return append(append([]string{}, catalog.PythonVersions...), "3.7", "3.6")
	}
	var out []string
	for _, r := range catalog.NodeReleases {
		out = append(out, r.Major)
	}
	return out
}

// walkedPath names the template path a plan takes: its template and
// manager, and whether it links cgo or builds a front end.
func walkedPath(p *generator.Plan) string {
	s := p.Template + " " + p.PackageManager
	if p.CGO {
		s += " cgo"
	}
	if p.Images.Extra["assets"] != "" {
		s += " assets"
	}
	return s
}

// checkFromTags renders p and fails on any image it pulls that the tag
// table does not vouch for.
func checkFromTags(t *testing.T, what string, p *generator.Plan) {
	t.Helper()
	files, err := generator.Render(p, "")
	if err != nil {
		t.Fatalf("%s: render: %v", what, err)
	}
	images, err := dockerfilecheck.Images(files[0].Data)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if len(images) == 0 {
		t.Fatalf("%s: no FROM found in\n%s", what, files[0].Data)
	}
	for _, ref := range images {
		if !catalog.TagKnown(ref) {
			t.Errorf("%s: FROM %s is not in the tag table (taken %s)", what, ref, catalog.TagsTaken)
		}
	}
}

// TestEveryFromIsATagThatExists walks every template path (the examples
// and the fixtures above) over every version in the version tables and
// holds each image the Dockerfile pulls to the tag table.
func TestEveryFromIsATagThatExists(t *testing.T) {
	if testing.Short() {
		t.Skip("walks every example over every version")
	}
	seen := map[string]bool{}
	for _, dir := range exampleDirs(t) {
		p, _ := generateExample(t, dir)
		seen[walkedPath(p)] = true
		root, err := os.OpenRoot(dir)
		if err != nil {
			t.Fatal(err)
		}
		fsys := root.FS()
		if p.Language == facts.LangGo {
			// A version below the go line is refused (the image's
			// toolchain would not build the module), so the walk over
			// every Go release reads the example with the oldest go line.
			fsys = withOldestGoLine(t, fsys)
		}
		cfg, err := generator.LoadConfig(fsys)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range tableVersions(p.Language) {
			var opts generator.Options
			cfg.Apply(&opts)
			opts.LanguageVersion = v
			vp, err := generator.Resolve(context.Background(), fsys, opts)
			if err != nil {
				t.Errorf("%s on %s %s: %v", dir, p.Language, v, err)
				continue
			}
			checkFromTags(t, dir+" on "+v, vp)
		}
		root.Close()
	}
	for name, fx := range tagFixtures {
		for _, v := range tableVersions(fx.lang) {
			fsys := fstest.MapFS{}
			for n, body := range fx.files {
				fsys[n] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(body, "%V", v))}
			}
			p, err := generator.Resolve(context.Background(), fsys, generator.Options{})
			if err != nil {
				t.Errorf("%s on %s: %v", name, v, err)
				continue
			}
			seen[walkedPath(p)] = true
			// The walk is only worth something if the pinned version is
			// the one built: Go may raise an old go line, nothing else.
			switch got := p.LanguageVersion; {
			case p.Images.Extra["assets"] != "":
				got = strings.TrimPrefix(strings.SplitN(p.Images.Extra["assets"], "-", 2)[0], "node:")
				if got != v {
					t.Errorf("%s on %s: the front end is built on %s", name, v, p.Images.Extra["assets"])
				}
			case fx.lang != facts.LangGo && got != v:
				t.Errorf("%s on %s: planned for %s", name, v, got)
			}
			checkFromTags(t, name+" on "+v, p)
		}
	}
	// The walk must reach every template and manager, or a new path would
	// go unchecked.
	for _, want := range []string{
		"go gomod", "go gomod cgo", "python uv", "python poetry", "python pdm", "python pipenv", "python pip",
		"python pip assets", "node npm", "node yarn", "node yarn-berry", "node pnpm", "node bun", "static npm", "static yarn",
	} {
		if !seen[want] {
			t.Errorf("no example or fixture takes the %q path", want)
		}
	}
	t.Logf("paths walked: %v", slices.Sorted(maps.Keys(seen)))
}

// TestPlanPicksAnImageThatExists pins versions whose images are not on the
// current Debian release, or do not exist at all.
func TestPlanPicksAnImageThatExists(t *testing.T) {
	flask := map[string]string{"requirements.txt": "flask\ngunicorn\n", "app.py": "from flask import Flask\n\napp = Flask(__name__)\n"}
	express := map[string]string{
		"package.json":      `{"name":"api","scripts":{"start":"node index.js"},"dependencies":{"express":"^4.19.2"}}`,
		"package-lock.json": `{"name":"api","lockfileVersion":3,"requires":true,"packages":{}}`,
		"index.js":          "require('express')().listen(3000);\n",
	}
	goAPI := map[string]string{"main.go": "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n"}
	with := func(base map[string]string, more ...string) map[string]string {
		out := maps.Clone(base)
		for i := 0; i+1 < len(more); i += 2 {
			out[more[i]] = more[i+1]
		}
		return out
	}
	for _, tt := range []struct {
		name      string
		files     map[string]string
		version   string // --language-version, "" for none
		wantImage string // the build image, or the front end's for a Python app with assets
		wantNote  string
		wantErr   []string
	}{
		{name: "node 18", files: with(express, ".nvmrc", "18\n"), wantImage: "node:18-bookworm-slim",
			wantNote: ".nvmrc: Node 18 has no Debian 13 (trixie) images; the image is node:18-bookworm-slim, on Debian 12 (bookworm)"},
		{name: "node 20 on trixie", files: with(express, ".nvmrc", "20\n"), wantImage: "node:20-trixie-slim"},
		{name: "node 14 flag", files: express, version: "14", wantImage: "node:14-bullseye-slim",
			wantNote: "Node 14 has no Debian 13 (trixie) images; the image is node:14-bullseye-slim, on Debian 11 (bullseye)"},
		{name: "node 4 flag", files: express, version: "4",
			wantErr: []string{"--language-version 4 asks for Node 4, which has no official node:4-slim image", "--language-version " + catalog.NodeDefault}},
		{name: "python 3.8", files: with(flask, ".python-version", "3.8\n"), wantImage: "python:3.8-slim-bookworm",
			wantNote: ".python-version: Python 3.8 has no Debian 13 (trixie) images; the image is python:3.8-slim-bookworm, on Debian 12 (bookworm)"},
		{name: "python 3.7", files: with(flask, ".python-version", "3.7\n"), wantImage: "python:3.7-slim-bookworm",
			wantNote: "the image is python:3.7-slim-bookworm"},
		{name: "python 3.6", files: with(flask, ".python-version", "3.6\n"), wantImage: "python:3.6-slim-bullseye",
			wantNote: ".python-version: Python 3.6 has no Debian 13 (trixie) images; the image is python:3.6-slim-bullseye, on Debian 11 (bullseye)"},
		{name: "python 3.9 on trixie", files: with(flask, ".python-version", "3.9\n"), wantImage: "python:3.9-slim-trixie"},
		{name: "python 3.3", files: with(flask, ".python-version", "3.3\n"),
			wantErr: []string{".python-version", "asks for Python 3.3, which has no official python:3.3-slim image on any Debian release", "--language-version " + catalog.PythonSupported[0]}},
		{name: "python 3.2 flag", files: flask, version: "3.2",
			wantErr: []string{"--language-version 3.2 asks for Python 3.2"}},
		{name: "front end on node 18", files: with(flask, "package.json", `{"scripts": {"build": "vite build"}, "devDependencies": {"vite": "^7"}}`,
			"package-lock.json", `{"lockfileVersion":3,"requires":true,"packages":{}}`, ".nvmrc", "18\n", "static/.keep", ""),
			wantImage: "node:18-bookworm-slim", wantNote: "front end (package.json): Node 18 has no Debian 13 (trixie) images; the image is node:18-bookworm-slim"},
		{name: "front end on node 4", files: with(flask, "package.json", `{"scripts": {"build": "vite build"}, "devDependencies": {"vite": "^7"}}`,
			"package-lock.json", `{"lockfileVersion":3,"requires":true,"packages":{}}`, ".nvmrc", "4\n", "static/.keep", ""),
			wantErr: []string{".nvmrc", "asks for Node 4 for the front end, which has no official node:4-slim image", "pin one of " + catalog.NodeDefault}},
		{name: "go 1.22 flag", files: with(goAPI, "go.mod", "module example.com/api\n\ngo 1.21\n"), version: "1.22", wantImage: "golang:" + catalog.GoVersions[1] + "-trixie",
			wantNote: "Go 1.22 has no golang:1.22-trixie image (its images are on bookworm, bullseye); the go line is a minimum, so the image builds with Go " + catalog.GoVersions[1]},
		{name: "go newer than the table", files: with(goAPI, "go.mod", "module example.com/api\n\ngo 1.99\n"),
			wantErr: []string{"go.mod:3: go 1.99 asks for Go 1.99, which has no official golang:1.99-trixie image", "--language-version " + catalog.GoVersions[0]}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for n, body := range tt.files {
				fsys[n] = &fstest.MapFile{Data: []byte(body)}
			}
			p, err := generator.Resolve(context.Background(), fsys, generator.Options{LanguageVersion: tt.version})
			if len(tt.wantErr) > 0 {
				if err == nil || !generator.IsBadInput(err) {
					t.Fatalf("err = %v, want a bad-input error", err)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q\nlacks %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			image := p.Images.Build
			if a := p.Images.Extra["assets"]; a != "" {
				image = a
			}
			if image != tt.wantImage {
				t.Errorf("image = %q, want %q", image, tt.wantImage)
			}
			found := tt.wantNote == ""
			for _, n := range p.Notes {
				if strings.Contains(n, "Debian 13 (trixie)") && tt.wantNote == "" {
					t.Errorf("unexpected note %q", n)
				}
				found = found || strings.Contains(n, tt.wantNote)
			}
			if !found {
				t.Errorf("no note contains %q; notes: %q", tt.wantNote, p.Notes)
			}
			checkFromTags(t, tt.name, p)
		})
	}
}

// withOldestGoLine copies a Go example into memory with every go.mod's go
// line set to the oldest release in the version table.
func withOldestGoLine(t *testing.T, fsys fs.FS) fs.FS {
	t.Helper()
	oldest := catalog.GoVersions[len(catalog.GoVersions)-1]
	out := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if path.Base(name) == "go.mod" {
			data = regexp.MustCompile(`(?m)^go [0-9.]+$`).ReplaceAll(data, []byte("go "+oldest))
			data = regexp.MustCompile(`(?m)^toolchain .*$`).ReplaceAll(data, nil)
		}
		out[name] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
