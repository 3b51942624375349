package golang

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// webEmbed is a package web that embeds its front end's build output.
const webEmbed = `package web

import "embed"

//go:embed all:dist
var Dist embed.FS
`

// serveWeb is a main package serving package web's embedded files.
var serveWeb = goMain([]string{`"io/fs"`, `"net/http"`, `"github.com/acme/shop/web"`},
	"\tsub, _ := fs.Sub(web.Dist, \"dist\")\n\thttp.Handle(\"/\", http.FileServer(http.FS(sub)))\n\thttp.ListenAndServe(\":8080\", nil)")

func TestGoFrontendEmbedded(t *testing.T) {
	files := map[string]string{
		"go.mod":                goModFile("github.com/acme/shop", "1.26"),
		"main.go":               serveWeb,
		"web/embed.go":          webEmbed,
		"web/package.json":      "{\n  \"scripts\": {\n    \"build\": \"vite build\"\n  },\n  \"devDependencies\": {\"vite\": \"^7\"}\n}\n",
		"web/package-lock.json": "{}\n",
		"web/.nvmrc":            "22\n",
		"web/src/main.js":       "console.log(1)\n",
	}
	det := detectGo(t, files, nil)
	g := det.Go
	if g.Frontend == nil {
		t.Fatalf("no front end; notes %v problems %v", det.Notes, det.Problems)
	}
	want := &facts.Frontend{Dir: "web", Manifests: []string{"web/package.json", "web/package-lock.json"}, Manager: "npm",
		Lockfile: "web/package-lock.json", Locked: true, Install: "npm ci", Cache: "/root/.npm", Build: "npm run build", NodeVersion: "22"}
	if !reflect.DeepEqual(g.Frontend, want) {
		t.Errorf("Frontend = %+v, want %+v", g.Frontend, want)
	}
	if !reflect.DeepEqual(g.FrontendEmbeds, []string{"web/dist"}) || len(g.FrontendAssets) != 0 {
		t.Errorf("embeds %v assets %v, want web/dist embedded only", g.FrontendEmbeds, g.FrontendAssets)
	}
	detecttest.WantCited(t, det, "frontend", "web/package.json", 3, `"build": "vite build"`)
	detecttest.WantCited(t, det, "frontendEmbed:web/dist", "web/embed.go", lineOf(t, webEmbed, "go:embed"), "embeds web/dist")
	detecttest.WantCited(t, det, "frontendNodeVersion", "web/.nvmrc", 0, "")
	if len(g.BuildNeeds) != 0 || len(g.Generate) != 0 {
		t.Errorf("the front end creates the embed; needs %v generate %v", g.BuildNeeds, g.Generate)
	}
	if !detecttest.HasNote(det, "its own node:22 stage") {
		t.Errorf("no note on the front-end stage: %v", det.Notes)
	}
}

func TestGoFrontendEmbedInMainWithStaleCopy(t *testing.T) {
	// A committed web/dist is a stale build: dist is a build-only folder,
	// so the front end is still built.
	src := "package main\n\nimport (\n\t\"embed\"\n\t\"net/http\"\n)\n\n//go:embed web/dist/*\nvar dist embed.FS\n\nfunc main() {\n\thttp.Handle(\"/\", http.FileServer(http.FS(dist)))\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"
	files := map[string]string{
		"go.mod":              goModFile("github.com/acme/shop", "1.26"),
		"main.go":             src,
		"web/package.json":    `{"packageManager": "pnpm@9.15.0", "scripts": {"build": "vite build"}}`,
		"web/pnpm-lock.yaml":  "lockfileVersion: '9.0'\n",
		"web/dist/index.html": "<p>old</p>",
	}
	det := detectGo(t, files, nil)
	g := det.Go
	if g.Frontend == nil || g.Frontend.Manager != facts.NodePNPM || !g.Frontend.Corepack || g.Frontend.ManagerVersion != "9.15.0" {
		t.Fatalf("Frontend = %+v", g.Frontend)
	}
	if !reflect.DeepEqual(g.FrontendEmbeds, []string{"web/dist"}) {
		t.Errorf("FrontendEmbeds = %v", g.FrontendEmbeds)
	}
}

func TestGoFrontendBesideWritingIntoThePackage(t *testing.T) {
	vite := "export default {\n  build: { outDir: \"../internal/site/dist\", emptyOutDir: true },\n}\n"
	files := map[string]string{
		"go.mod":                  goModFile("github.com/acme/shop", "1.26"),
		"main.go":                 goMain([]string{`"net/http"`, `"github.com/acme/shop/internal/site"`}, "	http.ListenAndServe(\":8080\", http.FileServer(http.FS(site.Dist)))"),
		"internal/site/site.go":   "package site\n\nimport \"embed\"\n\n//go:embed dist\nvar Dist embed.FS\n",
		"frontend/package.json":   `{"scripts": {"build": "vite build"}}`,
		"frontend/vite.config.ts": vite,
		"frontend/pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
		"admin/package.json":      `{"scripts": {"build": "vite build"}}`,
	}
	det := detectGo(t, files, nil)
	g := det.Go
	if g.Frontend == nil || g.Frontend.Dir != "frontend" || g.Frontend.Manager != facts.NodePNPM {
		t.Fatalf("Frontend = %+v; notes %v", g.Frontend, det.Notes)
	}
	if !reflect.DeepEqual(g.FrontendEmbeds, []string{"internal/site/dist"}) || len(g.BuildNeeds) != 0 {
		t.Errorf("embeds %v needs %v", g.FrontendEmbeds, g.BuildNeeds)
	}
	// A config that writes elsewhere is no evidence.
	files["frontend/vite.config.ts"] = strings.Replace(vite, "internal/site", "public", 1)
	det = detectGo(t, files, nil)
	if det.Go.Frontend != nil || len(det.Go.BuildNeeds) != 1 {
		t.Errorf("Frontend %+v BuildNeeds %v, want none and the missing embed said", det.Go.Frontend, det.Go.BuildNeeds)
	}
}

func TestGoFrontendReadFromDisk(t *testing.T) {
	main := goMain([]string{`"net/http"`},
		"\thttp.Handle(\"/\", http.FileServer(http.Dir(\"./frontend/build\")))\n\thttp.Handle(\"/t/\", http.FileServer(http.Dir(\"templates\")))\n\thttp.ListenAndServe(\":8080\", nil)")
	files := map[string]string{
		"go.mod":                  goModFile("github.com/acme/shop", "1.26"),
		"cmd/shop/main.go":        main,
		"frontend/package.json":   `{"scripts": {"build": "react-scripts build"}}`,
		"frontend/yarn.lock":      "# yarn lockfile v1\n",
		"frontend/src/index.js":   "x\n",
		"templates/index.html":    "<p>hi</p>",
		"frontend/public/a.html":  "<p>a</p>",
		"frontend/build/old.html": "stale",
	}
	det := detectGo(t, files, nil)
	g := det.Go
	if g.Frontend == nil || g.Frontend.Manager != facts.NodeYarn || g.Frontend.Install != "yarn install --frozen-lockfile" {
		t.Fatalf("Frontend = %+v", g.Frontend)
	}
	if !reflect.DeepEqual(g.FrontendAssets, []string{"frontend/build"}) || len(g.FrontendEmbeds) != 0 {
		t.Errorf("assets %v embeds %v, want frontend/build from disk", g.FrontendAssets, g.FrontendEmbeds)
	}
	// The front end's sources are not copied as an asset; templates are.
	if !reflect.DeepEqual(g.Assets, []string{"templates"}) {
		t.Errorf("Assets = %v, want templates only", g.Assets)
	}
	detecttest.WantCited(t, det, "frontendAsset:frontend/build", "cmd/shop/main.go", lineOf(t, main, "frontend/build"), "read from disk")
}

func TestGoFrontendNegatives(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		needs string // a BuildNeeds entry must hold this, "" for none
	}{
		{"an embedded source folder that exists", map[string]string{
			"main.go":          "package main\n\nimport (\n\t\"embed\"\n\t\"net/http\"\n)\n\n//go:embed static\nvar static embed.FS\n\nfunc main() { http.ListenAndServe(\":8080\", http.FileServer(http.FS(static))) }\n",
			"static/app.css":   "body{}",
			"web/package.json": `{"scripts": {"build": "vite build"}}`,
		}, ""},
		{"a public folder beside package.json is the front end's source", map[string]string{
			"main.go":             "package main\n\nimport (\n\t\"embed\"\n\t\"net/http\"\n)\n\n//go:embed web/public\nvar static embed.FS\n\nfunc main() { http.ListenAndServe(\":8080\", http.FileServer(http.FS(static))) }\n",
			"web/public/app.css":  "body{}",
			"web/package.json":    `{"scripts": {"build": "vite build"}}`,
			"web/package-lock.js": "{}",
		}, ""},
		{"no build script", map[string]string{
			"main.go":          "package main\n\nimport (\n\t\"embed\"\n\t\"net/http\"\n)\n\n//go:embed web/dist\nvar static embed.FS\n\nfunc main() { http.ListenAndServe(\":8080\", http.FileServer(http.FS(static))) }\n",
			"web/package.json": `{"scripts": {"dev": "vite"}}`,
		}, `pattern web/dist: no matching files found`},
		{"a build script that runs go build", map[string]string{
			"main.go":      "package main\n\nimport (\n\t\"embed\"\n\t\"net/http\"\n)\n\n//go:embed dist\nvar static embed.FS\n\nfunc main() { http.ListenAndServe(\":8080\", http.FileServer(http.FS(static))) }\n",
			"package.json": `{"scripts": {"build": "go build -o bin/app ."}}`,
		}, `pattern dist: no matching files found`},
		{"a literal into the front end's sources", map[string]string{
			"main.go":          goMain([]string{`"net/http"`}, "\thttp.ListenAndServe(\":8080\", http.FileServer(http.Dir(\"web/src\")))"),
			"web/package.json": `{"scripts": {"build": "vite build"}}`,
			"web/src/a.js":     "x",
		}, ""},
		{"a bare word is not a path", map[string]string{
			"main.go":      goMain([]string{`"fmt"`, `"net/http"`}, "\tfmt.Println(\"build\")\n\thttp.ListenAndServe(\":8080\", nil)"),
			"package.json": `{"scripts": {"build": "vite build"}}`,
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.files["go.mod"] = goModFile("github.com/acme/shop", "1.26")
			det := detectGo(t, tt.files, nil)
			g := det.Go
			if g.Frontend != nil || len(g.FrontendEmbeds)+len(g.FrontendAssets) != 0 {
				t.Errorf("front end %+v embeds %v assets %v, want none", g.Frontend, g.FrontendEmbeds, g.FrontendAssets)
			}
			got := strings.Join(g.BuildNeeds, "\n")
			if tt.needs == "" && got != "" || !strings.Contains(got, tt.needs) {
				t.Errorf("BuildNeeds = %q, want %q", got, tt.needs)
			}
		})
	}
}
