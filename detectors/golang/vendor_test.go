package golang

import (
	"strings"
	"testing"
)

// TestGoVendorConsistency: -mod=vendor only when vendor/modules.txt
// agrees with go.mod the way the go command checks it; otherwise the
// build downloads modules and a note says why.
func TestGoVendorConsistency(t *testing.T) {
	chiMain := goMain([]string{`"net/http"`, `"github.com/go-chi/chi/v5"`}, "r := chi.NewRouter()\nhttp.ListenAndServe(\":8080\", r)")
	const chiReq = "require github.com/go-chi/chi/v5 v5.2.0"
	for _, tc := range []struct {
		name    string
		goLine  string
		mod     []string
		modules string
		want    bool
		// evFile and evMarker locate the cited disagreement; note is a
		// phrase the note must hold.
		evFile, evMarker, note string
	}{
		{
			name: "consistent, go 1.17 and later", goLine: "1.26", mod: []string{chiReq},
			modules: "# github.com/go-chi/chi/v5 v5.2.0\n## explicit; go 1.20\ngithub.com/go-chi/chi/v5\n",
			want:    true, evFile: "vendor/modules.txt",
		},
		{
			name: "consistent with a local replacement", goLine: "1.26",
			mod:     []string{chiReq, "replace github.com/go-chi/chi/v5 => ./third_party/chi"},
			modules: "# github.com/go-chi/chi/v5 v5.2.0 => ./third_party/chi\n## explicit; go 1.20\ngithub.com/go-chi/chi/v5\n# github.com/go-chi/chi/v5 => ./third_party/chi\n",
			want:    true, evFile: "vendor/modules.txt",
		},
		{
			name: "consistent before Go 1.14, which wrote no explicit marks", goLine: "1.13", mod: []string{chiReq},
			modules: "# github.com/go-chi/chi/v5 v5.2.0\ngithub.com/go-chi/chi/v5\n",
			want:    true, evFile: "vendor/modules.txt",
		},
		{
			name: "required version differs", goLine: "1.26", mod: []string{"require github.com/go-chi/chi/v5 v5.2.1"},
			modules: "# github.com/go-chi/chi/v5 v5.2.0\n## explicit; go 1.20\ngithub.com/go-chi/chi/v5\n",
			evFile:  "go.mod", evMarker: "chi/v5 v5.2.1", note: "does not list as explicit",
		},
		{
			name: "requirement missing from modules.txt", goLine: "1.26", mod: []string{chiReq, "require github.com/google/uuid v1.6.0"},
			modules: "# github.com/go-chi/chi/v5 v5.2.0\n## explicit; go 1.20\ngithub.com/go-chi/chi/v5\n",
			evFile:  "go.mod", evMarker: "google/uuid", note: "github.com/google/uuid v1.6.0",
		},
		{
			name: "version mismatch before Go 1.14", goLine: "1.13", mod: []string{chiReq},
			modules: "# github.com/go-chi/chi/v5 v5.1.0\ngithub.com/go-chi/chi/v5\n",
			evFile:  "go.mod", evMarker: "chi/v5", note: "holds v5.1.0",
		},
		{
			name: "replacement missing from modules.txt", goLine: "1.26",
			mod:     []string{chiReq, "replace github.com/go-chi/chi/v5 => ./third_party/chi"},
			modules: "# github.com/go-chi/chi/v5 v5.2.0\n## explicit; go 1.20\ngithub.com/go-chi/chi/v5\n",
			evFile:  "go.mod", evMarker: "replace", note: "replaces github.com/go-chi/chi/v5",
		},
		{
			name: "different replacement", goLine: "1.26",
			mod:     []string{chiReq, "replace github.com/go-chi/chi/v5 => ./third_party/chi"},
			modules: "# github.com/go-chi/chi/v5 v5.2.0 => ./forks/chi\n## explicit; go 1.20\ngithub.com/go-chi/chi/v5\n# github.com/go-chi/chi/v5 => ./forks/chi\n",
			evFile:  "go.mod", evMarker: "replace", note: "./forks/chi",
		},
		{
			name: "replacement only in modules.txt", goLine: "1.26", mod: []string{chiReq},
			modules: "# github.com/go-chi/chi/v5 v5.2.0 => ./forks/chi\n## explicit; go 1.20\ngithub.com/go-chi/chi/v5\n",
			evFile:  "vendor/modules.txt", note: "marks github.com/go-chi/chi/v5@v5.2.0 as replaced",
		},
		{
			name: "explicit in modules.txt but no longer required", goLine: "1.26",
			modules: "# github.com/go-chi/chi/v5 v5.2.0\n## explicit; go 1.20\ngithub.com/go-chi/chi/v5\n",
			evFile:  "vendor/modules.txt", note: "no go.mod requires it",
		},
		{
			name: "go 1.17 and later without go annotations", goLine: "1.22", mod: []string{chiReq},
			modules: "# github.com/go-chi/chi/v5 v5.2.0\n## explicit\ngithub.com/go-chi/chi/v5\n",
			evFile:  "vendor/modules.txt", note: "Go 1.16",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{
				"go.mod":                                 goModFile("example.com/app", tc.goLine, tc.mod...),
				"go.sum":                                 "",
				"main.go":                                chiMain,
				"vendor/modules.txt":                     tc.modules,
				"vendor/github.com/go-chi/chi/v5/chi.go": "package chi\n",
				"third_party/chi/go.mod":                 "module github.com/go-chi/chi/v5\n\ngo 1.20\n",
			}
			det := detectGo(t, files, nil)
			if det.Go.Vendor != tc.want {
				t.Fatalf("Vendor = %v, want %v; notes %q", det.Go.Vendor, tc.want, det.Notes)
			}
			if got := strings.Contains(det.Build, " -mod=vendor "); got != tc.want {
				t.Errorf("Build = %q, -mod=vendor %v, want %v", det.Build, got, tc.want)
			}
			if tc.want {
				wantEvidence(t, det, files, "vendor", tc.evFile, "", "-mod=vendor")
				for _, n := range det.Notes {
					if strings.Contains(n, "vendor") {
						t.Errorf("note about vendoring for a consistent vendor folder: %q", n)
					}
				}
				return
			}
			wantEvidence(t, det, files, "vendor", tc.evFile, tc.evMarker, tc.note)
			if !hasNote(det.Notes, "inconsistent vendoring", tc.note, "downloads modules") {
				t.Errorf("no note that says why vendor/ is not used; notes %q", det.Notes)
			}
		})
	}
}

// TestGoVendorWithoutModulesTxt: a vendor folder go mod vendor did not
// write is not used, and the user is told.
func TestGoVendorWithoutModulesTxt(t *testing.T) {
	files := map[string]string{
		"go.mod":              goModFile("example.com/app", "1.26", "require github.com/google/uuid v1.6.0"),
		"go.sum":              "",
		"main.go":             goMain([]string{`"net/http"`}, stdlibServer),
		"vendor/x/y/y.go":     "package y\n",
		"vendor/x/y/LICENSE":  "MIT",
		"internal/app/app.go": "package app\n",
	}
	det := detectGo(t, files, nil)
	if det.Go.Vendor || strings.Contains(det.Build, "-mod=vendor") {
		t.Fatalf("Vendor = %v, Build = %q", det.Go.Vendor, det.Build)
	}
	if !hasNote(det.Notes, "no modules.txt", "downloads modules") {
		t.Errorf("notes %q", det.Notes)
	}
}

// TestGoVendorWorkspace: `go work vendor` marks its modules.txt; one
// written by go mod vendor does not serve a workspace.
func TestGoVendorWorkspace(t *testing.T) {
	base := map[string]string{
		"go.work":             "go 1.26\n\nuse (\n\t./api\n\t./lib\n)\n",
		"api/go.mod":          goModFile("example.com/api", "1.26", "require github.com/google/uuid v1.6.0"),
		"api/go.sum":          "",
		"api/main.go":         goMain([]string{`"net/http"`, `_ "example.com/lib"`}, stdlibServer),
		"lib/go.mod":          goModFile("example.com/lib", "1.26"),
		"lib/lib.go":          "package lib\n",
		"vendor/uuid/uuid.go": "package uuid\n",
	}
	for _, tc := range []struct {
		name, modules string
		want          bool
	}{
		{"written by go work vendor", "## workspace\n# github.com/google/uuid v1.6.0\n## explicit; go 1.21\ngithub.com/google/uuid\n", true},
		{"written by go mod vendor", "# github.com/google/uuid v1.6.0\n## explicit; go 1.21\ngithub.com/google/uuid\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"vendor/modules.txt": tc.modules}
			for k, v := range base {
				files[k] = v
			}
			det := detectGo(t, files, nil)
			if det.Go.Vendor != tc.want {
				t.Fatalf("Vendor = %v, want %v; notes %q", det.Go.Vendor, tc.want, det.Notes)
			}
			if !tc.want && !hasNote(det.Notes, "not written by go work vendor", "run go work vendor") {
				t.Errorf("notes %q", det.Notes)
			}
		})
	}
}

// TestGoVendorWorkspaceReplace: in a workspace modules.txt spells a
// module's local replacement relative to the workspace root, as
// go work vendor writes it.
func TestGoVendorWorkspaceReplace(t *testing.T) {
	for _, tc := range []struct {
		name, target string
		want         bool
	}{
		{"same folder", "./dep", true},
		{"another folder", "./old/dep", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{
				"go.work":            "go 1.22\n\nuse (\n\t./api\n\t./lib\n)\n",
				"api/go.mod":         goModFile("example.com/api", "1.22"),
				"api/main.go":        goMain([]string{`"net/http"`, `_ "example.com/lib"`}, stdlibServer),
				"lib/go.mod":         goModFile("example.com/lib", "1.22", "require example.com/dep v0.0.0", "replace example.com/dep => ../dep"),
				"lib/go.sum":         "",
				"lib/lib.go":         "package lib\n\nimport _ \"example.com/dep\"\n",
				"dep/go.mod":         goModFile("example.com/dep", "1.21"),
				"dep/dep.go":         "package dep\n",
				"vendor/modules.txt": "## workspace\n# example.com/dep v0.0.0 => " + tc.target + "\n## explicit; go 1.21\nexample.com/dep\n# example.com/dep => " + tc.target + "\n",
			}
			det := detectGo(t, files, nil)
			if det.Go.Vendor != tc.want {
				t.Fatalf("Vendor = %v, want %v; notes %q", det.Go.Vendor, tc.want, det.Notes)
			}
			if !tc.want {
				wantEvidence(t, det, files, "vendor", "lib/go.mod", "replace", "with ./dep, but vendor/modules.txt with ./old/dep")
			}
		})
	}
}

// hasNote reports whether one note holds every phrase.
func hasNote(notes []string, phrases ...string) bool {
	for _, n := range notes {
		all := true
		for _, p := range phrases {
			all = all && strings.Contains(n, p)
		}
		if all {
			return true
		}
	}
	return false
}
