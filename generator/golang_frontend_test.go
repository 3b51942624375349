package generator

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/generator/catalog"
)

const goWebEmbed = "package web\n\nimport \"embed\"\n\n//go:embed all:dist\nvar Dist embed.FS\n"

var goServeWeb = strings.Replace(goServer, "\t\"os\"\n", "\t\"os\"\n\n\t\"github.com/acme/shop/web\"\n", 1) + "\nvar _ = web.Dist\n"

// goHasInOrder asserts that df holds each part, in that order.
func goHasInOrder(t *testing.T, df string, parts ...string) {
	t.Helper()
	at := 0
	for _, p := range parts {
		i := strings.Index(df[at:], p)
		if i < 0 {
			t.Errorf("Dockerfile lacks %q after byte %d:\n%s", p, at, df)
			return
		}
		at += i + len(p)
	}
}

func TestPlanGoFrontendEmbedded(t *testing.T) {
	files := map[string]string{
		"go.mod":                goModText("1.26"),
		"main.go":               goServeWeb,
		"web/embed.go":          goWebEmbed,
		"web/package.json":      `{"scripts": {"build": "node build.js"}}`,
		"web/package-lock.json": "{}\n",
		"web/build.js":          "require('fs').mkdirSync('dist')\n",
	}
	p := goPlanFor(t, files, Options{})
	fp := p.Go.Frontend
	if fp == nil || fp.Workdir != "/src/web" || fp.Install != "npm ci" || fp.Build != "npm run build" || !fp.BuildPlatform {
		t.Fatalf("Frontend = %+v", fp)
	}
	if img := p.Images.Extra["frontend"]; img != "node:"+catalog.NodeDefault+"-trixie-slim" {
		t.Errorf("frontend image %q", img)
	}
	if !reflect.DeepEqual(p.Go.FrontendEmbeds, []string{"web/dist"}) {
		t.Errorf("FrontendEmbeds = %v", p.Go.FrontendEmbeds)
	}
	df, di := goRender(t, p)
	goHasInOrder(t, df,
		"# frontend builds the web front end; neither Node nor node_modules ships.\nFROM --platform=$BUILDPLATFORM node:"+catalog.NodeDefault+"-trixie-slim AS frontend\nWORKDIR /src/web\n",
		// npm's registry checks, of no use to the image, are off.
		"ENV NPM_CONFIG_AUDIT=false \\\n    NPM_CONFIG_FUND=false \\\n    NPM_CONFIG_UPDATE_NOTIFIER=false\n",
		"COPY web/package.json web/package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm \\\n    npm ci\nCOPY . /src/\nRUN npm run build\n",
		" AS build\n",
		"go mod download\nCOPY . .\n",
		"COPY --from=frontend /src/web/dist ./web/dist\n",
		p.Build,
		" AS runtime\n")
	if strings.Contains(df[strings.Index(df, " AS runtime"):], "--from=frontend") {
		t.Errorf("embedded output copied into the runtime image too:\n%s", df)
	}
	for _, want := range []string{"**/node_modules\n", "web/dist/\n"} {
		if !strings.Contains(di, want) {
			t.Errorf(".dockerignore lacks %q:\n%s", want, di)
		}
	}
}

func TestPlanGoFrontendReadFromDiskWithYarnBerry(t *testing.T) {
	main := strings.Replace(goServer, `http.ListenAndServe(":"+port, nil)`, `http.Handle("/", http.FileServer(http.Dir("ui/dist")))
	http.ListenAndServe(":"+port, nil)`, 1)
	files := map[string]string{
		"go.mod":                       goModText("1.26"),
		"cmd/shop/main.go":             main,
		"ui/package.json":              `{"packageManager": "yarn@4.5.0", "scripts": {"build": "vite build"}}`,
		"ui/yarn.lock":                 "__metadata:\n  version: 8\n",
		"ui/.yarnrc.yml":               "yarnPath: .yarn/releases/yarn-4.5.0.cjs\n",
		"ui/.yarn/releases/yarn.cjs":   "//\n",
		"ui/.nvmrc":                    "24\n",
		"ui/src/main.ts":               "x\n",
		"cmd/shop/templates/page.html": "",
	}
	p := goPlanFor(t, files, Options{})
	if p.Go.Frontend == nil || len(p.Go.FrontendEmbeds) != 0 {
		t.Fatalf("Frontend %+v embeds %v", p.Go.Frontend, p.Go.FrontendEmbeds)
	}
	if !reflect.DeepEqual(p.Go.FrontendAssets, []GoAsset{{Src: "/src/ui/dist", Dest: "ui/dist"}}) {
		t.Errorf("FrontendAssets = %+v", p.Go.FrontendAssets)
	}
	df, _ := goRender(t, p)
	goHasInOrder(t, df,
		"FROM --platform=$BUILDPLATFORM node:24-trixie-slim AS frontend\nWORKDIR /src/ui\nENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0 \\\n    YARN_NODE_LINKER=node-modules \\\n    NPM_CONFIG_AUDIT=false \\\n",
		"corepack enable && corepack install -g yarn@4.5.0\n",
		"COPY ui/package.json ui/yarn.lock ui/.yarnrc.yml ./\nCOPY ui/.yarn/releases/ .yarn/releases/\nRUN --mount=type=cache,target=/root/.yarn/berry/cache \\\n    yarn install --immutable\nCOPY . /src/\nRUN yarn run build\n",
		" AS runtime\n",
		"WORKDIR /app\n",
		"COPY --from=frontend /src/ui/dist ./ui/dist\n",
		"ENTRYPOINT")
	if strings.Contains(df, "COPY ui/ ./ui/") {
		t.Errorf("the front end's sources are copied as an asset:\n%s", df)
	}
}

func TestPlanGoGenerate(t *testing.T) {
	web := "package web\n\nimport \"embed\"\n\n//go:generate go run gen.go -o dist\n//go:generate mockgen -destination=mocks/x.go\n\n//go:embed dist\nvar Dist embed.FS\n"
	files := map[string]string{
		"go.mod":     goModText("1.26"),
		"main.go":    goServeWeb,
		"web/web.go": web,
		"web/gen.go": "//go:build ignore\n\npackage main\n\nfunc main() {}\n",
	}
	p := goPlanFor(t, files, Options{})
	want := []string{`go generate -run '^//go:generate\s+(go run gen\.go -o dist)$' ./web`}
	if !reflect.DeepEqual(p.Go.Generate, want) {
		t.Fatalf("Generate = %q, want %q", p.Go.Generate, want)
	}
	df, _ := goRender(t, p)
	goHasInOrder(t, df,
		"COPY . .\n",
		"# Only the go:generate directives that create files the build needs and the\n# repository lacks run here (web/web.go:5: go run gen.go -o dist).\n",
		"RUN --mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=cache,target=/root/.cache/go-build \\\n    "+want[0]+"\n",
		p.Build)
}

func TestPlanGoBuildNeedsAreSaid(t *testing.T) {
	web := "package web\n\nimport \"embed\"\n\n//go:generate sh build.sh\n\n//go:embed dist\nvar Dist embed.FS\n"
	files := map[string]string{"go.mod": goModText("1.26"), "main.go": goServeWeb, "web/web.go": web}
	p := goPlanFor(t, files, Options{})
	if len(p.Go.Generate) != 0 || len(p.Go.BuildNeeds) != 1 {
		t.Fatalf("Generate %v BuildNeeds %v", p.Go.Generate, p.Go.BuildNeeds)
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "//go:embed dist (web/web.go:7) matches no file") {
		t.Errorf("no note on the missing embed: %v", p.Notes)
	}
	df, _ := goRender(t, p)
	goHasInOrder(t, df, "COPY . .\n", "# Missing before go build: //go:embed dist (web/web.go:7) matches no file in\n", "sh build.sh", p.Build)
}

func TestPlanGoWithoutFrontendUnchanged(t *testing.T) {
	p := goPlanFor(t, map[string]string{"go.mod": goModText("1.26"), "main.go": goServer, "package.json": `{"scripts": {"build": "vite build"}}`}, Options{})
	if p.Go.Frontend != nil || p.Images.Extra["frontend"] != "" || len(p.Go.Generate)+len(p.Go.BuildNeeds) != 0 {
		t.Errorf("a package.json the program never reads made a front end: %+v %v", p.Go.Frontend, p.Images.Extra)
	}
	df, di := goRender(t, p)
	if strings.Contains(df, "frontend") || strings.Contains(di, "node_modules") {
		t.Errorf("front-end lines without a front end:\n%s\n%s", df, di)
	}
}

func TestPlanGoFrontendWritingIntoAnotherFolder(t *testing.T) {
	site := "package site\n\nimport \"embed\"\n\n//go:embed dist\nvar Dist embed.FS\n"
	files := map[string]string{
		"go.mod":                  goModText("1.26"),
		"main.go":                 strings.Replace(goServer, "\t\"os\"\n", "\t\"os\"\n\n\t\"github.com/acme/shop/internal/site\"\n", 1) + "\nvar _ = site.Dist\n",
		"internal/site/site.go":   site,
		"frontend/package.json":   `{"scripts": {"build": "vite build --outDir ../internal/site/dist"}}`,
		"frontend/bun.lock":       "{\n  \"lockfileVersion\": 1\n}\n",
		"frontend/src/main.ts":    "x\n",
		"frontend/vite.config.ts": "export default {}\n",
	}
	p := goPlanFor(t, files, Options{})
	if p.Go.Frontend == nil || p.Images.Extra["frontend"] != "oven/bun:"+catalog.BunVersion+"-slim" {
		t.Fatalf("Frontend %+v image %q", p.Go.Frontend, p.Images.Extra["frontend"])
	}
	df, di := goRender(t, p)
	goHasInOrder(t, df,
		"AS frontend\nWORKDIR /src/frontend\nCOPY frontend/package.json frontend/bun.lock ./\nRUN --mount=type=cache,target=/root/.bun/install/cache \\\n    bun install --frozen-lockfile\nCOPY . /src/\nRUN bun run build\n",
		"COPY --from=frontend /src/internal/site/dist ./internal/site/dist\n",
		p.Build)
	if !strings.Contains(di, "\ninternal/site/dist/\n") {
		t.Errorf(".dockerignore lacks the output folder:\n%s", di)
	}
}
