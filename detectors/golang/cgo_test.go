package golang

import (
	"strings"
	"testing"
)

// TestGoCGOReach: a cgo-only module counts only when a package the main
// package reaches imports it, directly or through a package known to; a
// requirement alone, a tool's or a tools.go import never switches cgo on.
func TestGoCGOReach(t *testing.T) {
	server := goMain([]string{`"net/http"`}, stdlibServer)
	const sqlite3 = "require github.com/mattn/go-sqlite3 v1.14.22"
	for _, tc := range []struct {
		name   string
		goLine string
		mod    []string
		files  map[string]string
		want   bool
		// evFile, evMarker and evDetail locate the cgo evidence; note is
		// a phrase the note about an unused cgo module holds ("" for no
		// such note).
		evFile, evMarker, evDetail, note string
	}{
		{
			name: "required but imported by nothing", goLine: "1.26", mod: []string{sqlite3 + " // indirect"},
			files: map[string]string{"main.go": server},
			want:  false, evFile: "go.mod", evMarker: "go-sqlite3", evDetail: "no package that . imports uses it", note: "built without cgo",
		},
		{
			name: "imported only by another command", goLine: "1.26", mod: []string{sqlite3},
			files: map[string]string{
				"cmd/api/main.go":     server,
				"cmd/migrate/main.go": goMain([]string{`_ "github.com/mattn/go-sqlite3"`}, ""),
			},
			want: false, evFile: "go.mod", evMarker: "go-sqlite3", evDetail: "no package that ./cmd/api imports", note: "built without cgo",
		},
		{
			name: "gorm's old sqlite dialect in a go 1.16 module, whose go.mod lists only gorm", goLine: "1.16",
			mod: []string{"require github.com/jinzhu/gorm v1.9.16"},
			files: map[string]string{
				"main.go":           goMain([]string{`"net/http"`, `_ "example.com/app/internal/db"`}, stdlibServer),
				"internal/db/db.go": "package db\n\nimport (\n\t\"github.com/jinzhu/gorm\"\n\t_ \"github.com/jinzhu/gorm/dialects/sqlite\"\n)\n\nvar _ *gorm.DB\n",
			},
			want: true, evFile: "internal/db/db.go", evMarker: "dialects/sqlite", evDetail: "imports github.com/mattn/go-sqlite3",
		},
		{
			name: "gorm.io/driver/sqlite imported", goLine: "1.26",
			mod:   []string{"require gorm.io/driver/sqlite v1.5.7", sqlite3 + " // indirect"},
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"gorm.io/driver/sqlite"`}, "_ = sqlite.Open\n\t"+stdlibServer)},
			want:  true, evFile: "main.go", evMarker: "gorm.io/driver/sqlite", evDetail: "which imports github.com/mattn/go-sqlite3",
		},
		{
			name: "a tools.go import", goLine: "1.26", mod: []string{sqlite3},
			files: map[string]string{
				"main.go":  server,
				"tools.go": "//go:build tools\n\npackage main\n\nimport _ \"github.com/mattn/go-sqlite3\"\n",
			},
			want: false, evFile: "go.mod", evMarker: "go-sqlite3", evDetail: "only tools.go:5 imports it", note: "-tags tools",
		},
		{
			name: "an old-style +build tools file in its own folder", goLine: "1.16", mod: []string{sqlite3},
			files: map[string]string{
				"main.go":        server,
				"tools/tools.go": "// +build tools\n\npackage tools\n\nimport _ \"github.com/mattn/go-sqlite3\"\n",
			},
			want: false, evFile: "go.mod", evMarker: "go-sqlite3", evDetail: "only tools/tools.go:5 imports it", note: "-tags tools",
		},
		{
			name: "a go.mod tool directive", goLine: "1.26", mod: []string{sqlite3, "tool github.com/mattn/go-sqlite3/upgrade"},
			files: map[string]string{"main.go": server},
			want:  false, evFile: "go.mod", evMarker: "go-sqlite3 v1", evDetail: "only as a tool (go.mod:7 tool github.com/mattn/go-sqlite3/upgrade)", note: "only as a tool",
		},
		{
			name: "a tools.go import and a real one", goLine: "1.26", mod: []string{sqlite3},
			files: map[string]string{
				"main.go":  goMain([]string{`"net/http"`, `_ "github.com/mattn/go-sqlite3"`}, stdlibServer),
				"tools.go": "//go:build tools\n\npackage main\n\nimport _ \"github.com/mattn/go-sqlite3\"\n",
			},
			want: true, evFile: "main.go", evMarker: "go-sqlite3", evDetail: "binds the SQLite C library",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile("example.com/app", tc.goLine, tc.mod...), "go.sum": ""}
			for k, v := range tc.files {
				files[k] = v
			}
			det := detectGo(t, files, nil)
			if det.Go.CGO != tc.want {
				t.Fatalf("CGO = %v, want %v; evidence %v", det.Go.CGO, tc.want, det.Evidence["cgo"])
			}
			mods := strings.Join(det.Go.CGOModules, ",")
			if tc.want != (mods == "github.com/mattn/go-sqlite3") {
				t.Errorf("CGOModules = %q with CGO %v", mods, tc.want)
			}
			wantEvidence(t, det, files, "cgo", tc.evFile, tc.evMarker, tc.evDetail)
			if tc.note == "" {
				if hasNote(det.Notes, "github.com/mattn/go-sqlite3") {
					t.Errorf("note about an unused cgo module: %q", det.Notes)
				}
			} else if !hasNote(det.Notes, "go.mod:", "requires github.com/mattn/go-sqlite3", tc.note, `import _ "github.com/mattn/go-sqlite3"`) {
				t.Errorf("no note on the unused cgo module with %q: %q", tc.note, det.Notes)
			}
			env := "CGO_ENABLED=0 "
			if tc.want {
				env = "CGO_ENABLED=1 "
			}
			if !strings.HasPrefix(det.Build, env) {
				t.Errorf("Build = %q, want %q", det.Build, env)
			}
		})
	}
}

// TestGoCGOVendored: with vendored dependencies the real import graph is
// read, so a cgo package imported deep inside a dependency counts even
// when no table lists the dependency.
func TestGoCGOVendored(t *testing.T) {
	const modules = "# github.com/acme/sqlstore v1.0.0\n## explicit; go 1.21\ngithub.com/acme/sqlstore\ngithub.com/acme/sqlstore/internal/drv\n" +
		"# github.com/mattn/go-sqlite3 v1.14.22\n## explicit; go 1.19\ngithub.com/mattn/go-sqlite3\n"
	base := map[string]string{
		"go.mod":  goModFile("example.com/app", "1.26", "require github.com/acme/sqlstore v1.0.0", "require github.com/mattn/go-sqlite3 v1.14.22 // indirect"),
		"go.sum":  "",
		"main.go": goMain([]string{`"net/http"`, `"github.com/acme/sqlstore"`}, "_ = sqlstore.Open\n\t"+stdlibServer),
		"vendor/github.com/acme/sqlstore/store.go":          "package sqlstore\n\nimport _ \"github.com/acme/sqlstore/internal/drv\"\n\nfunc Open() {}\n",
		"vendor/github.com/mattn/go-sqlite3/sqlite3.go":     "package sqlite3\n\nimport \"C\"\n",
		"vendor/github.com/acme/sqlstore/internal/drv/x.go": "package drv\n",
	}
	for _, tc := range []struct {
		name     string
		drv      string
		modules  string
		want     bool
		evFile   string
		evMarker string
		evDetail string
	}{
		{
			name: "imported by a vendored package's internal package", modules: modules,
			drv:  "package drv\n\nimport _ \"github.com/mattn/go-sqlite3\"\n",
			want: true, evFile: "main.go", evMarker: "acme/sqlstore", evDetail: "vendor/github.com/acme/sqlstore/internal/drv/drv.go:3",
		},
		{
			name: "imported only in a vendored file that needs cgo anyway", modules: modules,
			drv:  "package drv\n\n// #include <stdio.h>\nimport \"C\"\n\nimport _ \"github.com/mattn/go-sqlite3\"\n",
			want: false, evFile: "go.mod", evMarker: "go-sqlite3", evDetail: "no package that . imports uses it",
		},
		{
			name: "vendor folder not used: its code is not what is built", modules: strings.Replace(modules, "## explicit; go 1.21\n", "", 1),
			drv:  "package drv\n\nimport _ \"github.com/mattn/go-sqlite3\"\n",
			want: false, evFile: "go.mod", evMarker: "go-sqlite3", evDetail: "no package that . imports uses it",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"vendor/modules.txt": tc.modules, "vendor/github.com/acme/sqlstore/internal/drv/drv.go": tc.drv}
			for k, v := range base {
				files[k] = v
			}
			det := detectGo(t, files, nil)
			if det.Go.CGO != tc.want {
				t.Fatalf("CGO = %v, want %v; evidence %v, vendor %v", det.Go.CGO, tc.want, det.Evidence["cgo"], det.Go.Vendor)
			}
			wantEvidence(t, det, files, "cgo", tc.evFile, tc.evMarker, tc.evDetail)
		})
	}
}
