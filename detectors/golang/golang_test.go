package golang

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// goModFile is a go.mod for module path with a go line and extra lines.
func goModFile(path, goVersion string, extra ...string) string {
	s := "module " + path + "\n"
	if goVersion != "" {
		s += "\ngo " + goVersion + "\n"
	}
	for _, e := range extra {
		s += "\n" + e + "\n"
	}
	return s
}

// goMain is a package main file with the given imports and body of main.
func goMain(imports []string, body string, rest ...string) string {
	s := "package main\n\nimport (\n"
	for _, i := range imports {
		s += "\t" + i + "\n"
	}
	s += ")\n\nfunc main() {\n" + body + "\n}\n"
	for _, r := range rest {
		s += "\n" + r + "\n"
	}
	return s
}

// lineOf is the 1-based line of the first line in src containing marker.
func lineOf(t *testing.T, src, marker string) int {
	t.Helper()
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, marker) {
			return i + 1
		}
	}
	t.Fatalf("marker %q not in source", marker)
	return 0
}

// wantEvidence asserts det cites field from file at the line holding
// marker (marker "" means line 0: the file as a whole), with detail
// containing detail.
func wantEvidence(t *testing.T, det *facts.Detection, files map[string]string, field, file, marker, detail string) {
	t.Helper()
	ev, ok := det.Evidence[field]
	if !ok {
		t.Fatalf("no evidence for %s; have %v", field, det.Evidence)
	}
	if ev.File != file {
		t.Errorf("evidence %s: file %q, want %q (%s)", field, ev.File, file, ev)
	}
	line := 0
	if marker != "" {
		line = lineOf(t, files[file], marker)
	}
	if ev.Line != line {
		t.Errorf("evidence %s: line %d, want %d (%s)", field, ev.Line, line, ev)
	}
	if !strings.Contains(ev.Detail, detail) {
		t.Errorf("evidence %s: detail %q does not mention %q", field, ev.Detail, detail)
	}
}

func detectGo(t *testing.T, files map[string]string, answers facts.Answers) *facts.Detection {
	t.Helper()
	det, err := Detector{}.Detect(detecttest.MapFS(files), answers)
	if err != nil {
		t.Fatalf("Detect: %v", err)
	}
	if det.Language != facts.LangGo || det.PackageManager != "gomod" || det.Go == nil {
		t.Fatalf("not a Go detection: %+v", det)
	}
	return det
}

func hasProblem(det *facts.Detection, file, text string) bool {
	for _, p := range det.Problems {
		if p.File == file && strings.Contains(p.Message, text) {
			return true
		}
	}
	return false
}

const stdlibServer = `http.ListenAndServe(":8080", nil)`

func TestGoMarkers(t *testing.T) {
	for _, tc := range []struct {
		files []string
		want  string
	}{
		{[]string{"go.mod"}, "go.mod"},
		{[]string{"go.work"}, "go.work"},
		{[]string{"go.mod", "go.work"}, "go.mod,go.work"},
		{[]string{"main.go"}, ""},
	} {
		m := map[string]string{}
		for _, f := range tc.files {
			m[f] = ""
		}
		if got := strings.Join(Detector{}.Markers(detecttest.MapFS(m)), ","); got != tc.want {
			t.Errorf("Markers(%v) = %q, want %q", tc.files, got, tc.want)
		}
	}
}

func TestGoVersion(t *testing.T) {
	main := goMain([]string{`"net/http"`}, stdlibServer)
	for _, tc := range []struct {
		name             string
		files            map[string]string
		want             string
		evFile, evMarker string
		evDetail         string
		wantNote         string
	}{
		{
			name:  "go directive, patch dropped",
			files: map[string]string{"go.mod": goModFile("example.com/app", "1.26.2"), "main.go": main},
			want:  "1.26", evFile: "go.mod", evMarker: "go 1.26.2", evDetail: "go 1.26.2",
		},
		{
			name:  "toolchain line wins over the go directive",
			files: map[string]string{"go.mod": goModFile("example.com/app", "1.26", "toolchain go1.27.1"), "main.go": main},
			want:  "1.27", evFile: "go.mod", evMarker: "toolchain", evDetail: "toolchain go1.27.1",
		},
		{
			name:  "a release past end of support is honoured, with a note",
			files: map[string]string{"go.mod": goModFile("example.com/app", "1.24"), "main.go": main},
			want:  "1.24", evFile: "go.mod", evMarker: "go 1.24", evDetail: "go 1.24",
			wantNote: "no longer gets security fixes",
		},
		{
			name:  "a release with no Debian 13 image is raised to the oldest supported release",
			files: map[string]string{"go.mod": goModFile("example.com/app", "1.21"), "main.go": main},
			want:  catalog.GoVersions[1], evFile: "go.mod", evMarker: "go 1.21", evDetail: "a minimum",
			wantNote: "no golang:1.21-trixie image",
		},
		{
			name:  "no go line: .go-version",
			files: map[string]string{"go.mod": goModFile("example.com/app", ""), ".go-version": "1.27.3\n", "main.go": main},
			want:  "1.27", evFile: ".go-version", evMarker: "1.27.3", evDetail: "1.27.3",
		},
		{
			name:  "no go line: .tool-versions",
			files: map[string]string{"go.mod": goModFile("example.com/app", ""), ".tool-versions": "nodejs 22.1.0\ngolang 1.26.4\n", "main.go": main},
			want:  "1.26", evFile: ".tool-versions", evMarker: "golang", evDetail: "golang 1.26.4",
		},
		{
			name: "workspace: go.work decides",
			files: map[string]string{
				"go.work":     "go 1.27\n\nuse ./app\n",
				"app/go.mod":  goModFile("example.com/app", "1.26"),
				"app/main.go": main,
			},
			want: "1.27", evFile: "go.work", evMarker: "go 1.27", evDetail: "go 1.27",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			det := detectGo(t, tc.files, nil)
			if det.LanguageVersion != tc.want {
				t.Fatalf("LanguageVersion = %q, want %q", det.LanguageVersion, tc.want)
			}
			wantEvidence(t, det, tc.files, "languageVersion", tc.evFile, tc.evMarker, tc.evDetail)
			if tc.wantNote != "" && !strings.Contains(strings.Join(det.Notes, "\n"), tc.wantNote) {
				t.Errorf("notes %q lack %q", det.Notes, tc.wantNote)
			}
		})
	}
	t.Run("no version anywhere is left to the generator", func(t *testing.T) {
		det := detectGo(t, map[string]string{"go.mod": goModFile("example.com/app", ""), "main.go": main}, nil)
		if det.LanguageVersion != "" {
			t.Fatalf("LanguageVersion = %q, want empty", det.LanguageVersion)
		}
		if _, ok := det.Evidence["languageVersion"]; ok {
			t.Errorf("evidence for a version that was not found: %v", det.Evidence["languageVersion"])
		}
	})
}

func TestGoMalformedGoMod(t *testing.T) {
	for _, tc := range []struct {
		name, file, mod string
		want            string
	}{
		{"syntax error", "go.mod", "module example.com/app\n\ngo 1.26\nrequire (\n", "go.mod"},
		{"unknown directive", "go.mod", "module example.com/app\nfrobnicate x\n", "unknown directive"},
		{"no module line", "go.mod", "go 1.26\n", "no module line"},
		{"broken go.work", "go.work", "use (\n", "go.work"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{tc.file: tc.mod, "main.go": goMain(nil, "")}
			det, err := Detector{}.Detect(detecttest.MapFS(files), nil)
			if err == nil {
				t.Fatal("Detect succeeded on a malformed module file")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.file) {
				t.Errorf("error %q should name %s and say %q", err, tc.file, tc.want)
			}
			if det == nil || !hasProblem(det, tc.file, tc.file) {
				t.Errorf("no problem recorded for %s: %+v", tc.file, det)
			}
		})
	}
}

func TestGoSum(t *testing.T) {
	main := goMain([]string{`"net/http"`}, stdlibServer)
	t.Run("no dependencies, no go.sum: fine", func(t *testing.T) {
		det := detectGo(t, map[string]string{"go.mod": goModFile("example.com/app", "1.26"), "main.go": main}, nil)
		if det.Go.HasGoSum || len(det.Problems) != 0 {
			t.Errorf("HasGoSum=%v problems=%v", det.Go.HasGoSum, det.Problems)
		}
	})
	t.Run("requires without go.sum is a problem", func(t *testing.T) {
		det := detectGo(t, map[string]string{
			"go.mod":  goModFile("example.com/app", "1.26", "require github.com/go-chi/chi/v5 v5.2.0"),
			"main.go": main,
		}, nil)
		if !hasProblem(det, "go.mod", "missing go.sum entry") {
			t.Errorf("problems = %v", det.Problems)
		}
	})
	t.Run("go.sum present", func(t *testing.T) {
		det := detectGo(t, map[string]string{
			"go.mod":  goModFile("example.com/app", "1.26", "require github.com/go-chi/chi/v5 v5.2.0"),
			"go.sum":  "github.com/go-chi/chi/v5 v5.2.0 h1:x=\n",
			"main.go": main,
		}, nil)
		if !det.Go.HasGoSum || len(det.Problems) != 0 {
			t.Errorf("HasGoSum=%v problems=%v", det.Go.HasGoSum, det.Problems)
		}
	})
}

func TestGoVendor(t *testing.T) {
	files := map[string]string{
		"go.mod":                                 goModFile("example.com/app", "1.26", "require github.com/go-chi/chi/v5 v5.2.0"),
		"go.sum":                                 "",
		"vendor/modules.txt":                     "# github.com/go-chi/chi/v5 v5.2.0\n## explicit; go 1.20\ngithub.com/go-chi/chi/v5\n",
		"vendor/github.com/go-chi/chi/v5/chi.go": "package chi\n\nfunc ListenAndServe() {}\n",
		"main.go":                                goMain([]string{`"net/http"`, `"github.com/go-chi/chi/v5"`}, "r := chi.NewRouter()\nhttp.ListenAndServe(\":8080\", r)"),
	}
	det := detectGo(t, files, nil)
	if !det.Go.Vendor {
		t.Fatal("Vendor = false with vendor/modules.txt")
	}
	if !strings.Contains(det.Build, " -mod=vendor ") {
		t.Errorf("Build = %q, want -mod=vendor", det.Build)
	}
	wantEvidence(t, det, files, "vendor", "vendor/modules.txt", "", "-mod=vendor")
	for _, m := range det.Go.Mains {
		if strings.Contains(m, "vendor") {
			t.Errorf("vendored code taken as a main package: %v", det.Go.Mains)
		}
	}
}

func TestGoWorkspace(t *testing.T) {
	files := map[string]string{
		"go.work":             "go 1.26\n\nuse (\n\t./services/api\n\t./libs/greet\n)\n",
		"services/api/go.mod": goModFile("example.com/api", "1.26"),
		"services/api/main.go": goMain([]string{`"net/http"`, `"example.com/greet"`},
			"http.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(greet.Hi())) })\ngreet.Serve()"),
		"libs/greet/go.mod": goModFile("example.com/greet", "1.26"),
		"libs/greet/greet.go": "package greet\n\nimport \"net/http\"\n\nfunc Hi() string { return \"hi\" }\n\n" +
			"func Serve() { http.ListenAndServe(\":7070\", nil) }\n",
	}
	det := detectGo(t, files, nil)
	g := det.Go
	if !g.Workspace || g.Main != "./services/api" || g.ModuleDir != "services/api" || g.Binary != "api" {
		t.Fatalf("workspace facts = %+v", g)
	}
	if strings.Join(g.ModuleDirs, ",") != "services/api,libs/greet" {
		t.Errorf("ModuleDirs = %v", g.ModuleDirs)
	}
	wantEvidence(t, det, files, "workspace", "go.work", "", "2 modules")
	// The listener is in another workspace module the program imports.
	if det.Port != 7070 {
		t.Errorf("Port = %d, want 7070 from libs/greet", det.Port)
	}
	wantEvidence(t, det, files, "port", "libs/greet/greet.go", "ListenAndServe", `":7070"`)

	t.Run("use outside the repository is fatal", func(t *testing.T) {
		_, err := Detector{}.Detect(detecttest.MapFS(map[string]string{"go.work": "go 1.26\n\nuse ../elsewhere\n"}), nil)
		if err == nil || !strings.Contains(err.Error(), "outside the repository") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("use of a folder without go.mod is fatal", func(t *testing.T) {
		_, err := Detector{}.Detect(detecttest.MapFS(map[string]string{"go.work": "go 1.26\n\nuse ./gone\n", "x.go": "package x"}), nil)
		if err == nil || !strings.Contains(err.Error(), "gone/go.mod does not exist") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestGoLocalReplace(t *testing.T) {
	files := map[string]string{
		"go.mod": goModFile("example.com/app", "1.26",
			"require example.com/lib v0.0.0",
			"replace example.com/lib => ./lib",
			"replace example.com/gone => ../gone"),
		"go.sum":     "",
		"lib/go.mod": goModFile("example.com/lib", "1.26"),
		"lib/lib.go": "package lib\n\nimport \"net/http\"\n\nfunc Run() error { return http.ListenAndServe(\":9999\", nil) }\n",
		"main.go":    goMain([]string{`"example.com/lib"`}, "lib.Run()"),
	}
	det := detectGo(t, files, nil)
	if got := strings.Join(det.Go.ModuleDirs, ","); got != ".,lib" {
		t.Errorf("ModuleDirs = %q, want .,lib (go mod download reads lib/go.mod)", got)
	}
	if det.Port != 9999 {
		t.Errorf("Port = %d, want 9999 from the replaced module", det.Port)
	}
	if !hasProblem(det, "go.mod", "outside the repository") {
		t.Errorf("replace => ../gone not reported: %v", det.Problems)
	}
}

func TestGoMainDiscovery(t *testing.T) {
	server := goMain([]string{`"net/http"`}, stdlibServer)
	cli := goMain([]string{`"fmt"`}, `fmt.Println("done")`)
	for _, tc := range []struct {
		name       string
		module     string
		files      map[string]string
		answers    facts.Answers
		wantMain   string
		wantBinary string
		// wantChoice: "" no choice, "safe" or "ask".
		wantChoice string
		wantReason string
		wantMains  string
	}{
		{
			name: "root package main, binary from the module path without /v2", module: "github.com/acme/shop/v2",
			files:    map[string]string{"main.go": server},
			wantMain: ".", wantBinary: "shop", wantMains: ".",
		},
		{
			name: "single cmd/<name>", module: "example.com/app",
			files:    map[string]string{"cmd/api/main.go": server, "internal/x/x.go": "package x"},
			wantMain: "./cmd/api", wantBinary: "api", wantMains: "./cmd/api",
		},
		{
			name: "main deeper below the root", module: "example.com/app",
			files:    map[string]string{"services/billing/main.go": server},
			wantMain: "./services/billing", wantBinary: "billing", wantMains: "./services/billing",
		},
		{
			name: "several: the one that serves HTTP is a safe default", module: "example.com/app",
			files:    map[string]string{"cmd/api/main.go": server, "cmd/migrate/main.go": cli, "cmd/worker/main.go": cli},
			wantMain: "./cmd/api", wantBinary: "api", wantChoice: "safe", wantReason: "the only one that serves",
			wantMains: "./cmd/api,./cmd/migrate,./cmd/worker",
		},
		{
			name: "several serve: the one named like the module", module: "example.com/shop",
			files:    map[string]string{"cmd/admin/main.go": server, "cmd/shop/main.go": server},
			wantMain: "./cmd/shop", wantBinary: "shop", wantChoice: "safe", wantReason: "named like the module",
			wantMains: "./cmd/admin,./cmd/shop",
		},
		{
			name: "several serve: the one named server", module: "example.com/platform",
			files:    map[string]string{"cmd/admin/main.go": server, "cmd/server/main.go": server},
			wantMain: "./cmd/server", wantBinary: "server", wantChoice: "safe", wantReason: `named "server"`,
			wantMains: "./cmd/admin,./cmd/server",
		},
		{
			name: "several serve and no rule decides: ask", module: "example.com/platform",
			files:    map[string]string{"cmd/admin/main.go": server, "cmd/public/main.go": server},
			wantMain: "./cmd/admin", wantBinary: "admin", wantChoice: "ask", wantReason: "several serve",
			wantMains: "./cmd/admin,./cmd/public",
		},
		{
			name: "api is a server's name: it breaks the tie with another server", module: "example.com/two",
			files:    map[string]string{"cmd/api/main.go": server, "cmd/blog/main.go": server},
			wantMain: "./cmd/api", wantBinary: "api", wantChoice: "safe", wantReason: `named "api"`,
			wantMains: "./cmd/api,./cmd/blog",
		},
		{
			name: "none serves: the root package is named like the module", module: "example.com/tool",
			files:    map[string]string{"main.go": cli, "cmd/gen/main.go": cli},
			wantMain: ".", wantBinary: "tool", wantChoice: "safe", wantReason: "none serves",
			wantMains: ".,./cmd/gen",
		},
		{
			name: "none serves and no rule decides: ask", module: "example.com/tools",
			files:    map[string]string{"cmd/a/main.go": cli, "cmd/b/main.go": cli},
			wantMain: "./cmd/a", wantBinary: "a", wantChoice: "ask", wantMains: "./cmd/a,./cmd/b",
		},
		{
			name: "answer wins over the HTTP rule", module: "example.com/app",
			files:    map[string]string{"cmd/api/main.go": server, "cmd/worker/main.go": cli},
			answers:  facts.Answers{"main": "./cmd/worker"},
			wantMain: "./cmd/worker", wantBinary: "worker", wantMains: "./cmd/api,./cmd/worker",
		},
		{
			name: "answer without ./ and with a trailing slash", module: "example.com/app",
			files:    map[string]string{"cmd/api/main.go": server, "cmd/worker/main.go": cli},
			answers:  facts.Answers{"main": "cmd/worker/"},
			wantMain: "./cmd/worker", wantBinary: "worker", wantMains: "./cmd/api,./cmd/worker",
		},
		{
			name: "answer as an import path", module: "example.com/app",
			files:    map[string]string{"cmd/api/main.go": server, "cmd/worker/main.go": cli},
			answers:  facts.Answers{"main": "example.com/app/cmd/worker"},
			wantMain: "./cmd/worker", wantBinary: "worker", wantMains: "./cmd/api,./cmd/worker",
		},
		{
			name: "answer as a binary name", module: "example.com/app",
			files:    map[string]string{"cmd/api/main.go": server, "cmd/worker/main.go": cli},
			answers:  facts.Answers{"main": "worker"},
			wantMain: "./cmd/worker", wantBinary: "worker", wantMains: "./cmd/api,./cmd/worker",
		},
		{
			name: "answer naming a folder the walk skips", module: "example.com/app",
			files:    map[string]string{"cmd/api/main.go": server, "examples/demo/main.go": cli},
			answers:  facts.Answers{"main": "./examples/demo"},
			wantMain: "./examples/demo", wantBinary: "demo", wantMains: "./cmd/api",
		},
		{
			name: "ignored, foreign-OS, example, testdata, _ and nested-module mains are not candidates", module: "example.com/app",
			files: map[string]string{
				"cmd/api/main.go":             server,
				"internal/gen/gen.go":         "//go:build ignore\n\n" + cli,
				"cmd/winsvc/main_windows.go":  cli,
				"cmd/old/main.go":             "// +build ignore\n\n" + cli,
				"examples/hello/main.go":      cli,
				"internal/x/testdata/main.go": cli,
				"_scratch/main.go":            cli,
				"tools/go.mod":                goModFile("example.com/app/tools", "1.26"),
				"tools/lint/main.go":          cli,
				"plugin/go.mod":               goModFile("example.com/plugin", "1.26"),
				"plugin/main.go":              cli,
			},
			wantMain: "./cmd/api", wantBinary: "api", wantMains: "./cmd/api",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile(tc.module, "1.26")}
			for k, v := range tc.files {
				files[k] = v
			}
			det := detectGo(t, files, tc.answers)
			g := det.Go
			if g.Main != tc.wantMain || g.Binary != tc.wantBinary {
				t.Errorf("Main=%q Binary=%q, want %q %q", g.Main, g.Binary, tc.wantMain, tc.wantBinary)
			}
			if got := strings.Join(g.Mains, ","); got != tc.wantMains {
				t.Errorf("Mains = %q, want %q", got, tc.wantMains)
			}
			if want := "/out/" + tc.wantBinary + " " + tc.wantMain; !strings.HasSuffix(det.Build, want) {
				t.Errorf("Build = %q, want it to end in %q", det.Build, want)
			}
			if len(det.Start) != 1 || det.Start[0] != "/usr/local/bin/"+tc.wantBinary {
				t.Errorf("Start = %q", det.Start)
			}
			mainFile := strings.TrimPrefix(tc.wantMain, "./")
			if mainFile == "." {
				mainFile = "main.go"
			} else {
				mainFile += "/main.go"
			}
			wantEvidence(t, det, files, "main", mainFile, "package main", "package main")
			if tc.answers["main"] != "" {
				wantEvidence(t, det, files, "main", mainFile, "package main", "answer "+tc.answers["main"])
			}
			switch tc.wantChoice {
			case "":
				if len(det.Choices) != 0 {
					t.Errorf("unexpected choices %+v", det.Choices)
				}
			default:
				if len(det.Choices) != 1 {
					t.Fatalf("choices = %+v, want one", det.Choices)
				}
				c := det.Choices[0]
				if c.Key != "main" || c.Flag != "--main" || c.Default != tc.wantMain || c.Safe != (tc.wantChoice == "safe") {
					t.Errorf("choice = %+v", c)
				}
				if !strings.Contains(c.Reason, tc.wantReason) {
					t.Errorf("reason %q lacks %q", c.Reason, tc.wantReason)
				}
				var vals []string
				for _, o := range c.Options {
					vals = append(vals, o.Value)
					if o.Evidence == nil || !strings.HasSuffix(o.Evidence.File, ".go") {
						t.Errorf("option %s has no evidence", o.Value)
					}
				}
				if strings.Join(vals, ",") != tc.wantMains {
					t.Errorf("options = %v", vals)
				}
			}
		})
	}
}

func TestGoMainErrors(t *testing.T) {
	t.Run("no package main", func(t *testing.T) {
		_, err := Detector{}.Detect(detecttest.MapFS(map[string]string{"go.mod": goModFile("example.com/lib", "1.26"), "lib.go": "package lib\n"}), nil)
		if err == nil || !strings.Contains(err.Error(), "no package main") || !strings.Contains(err.Error(), "--main") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("answer that is no main package", func(t *testing.T) {
		files := map[string]string{"go.mod": goModFile("example.com/app", "1.26"), "cmd/api/main.go": goMain(nil, ""), "internal/x/x.go": "package x\n"}
		_, err := Detector{}.Detect(detecttest.MapFS(files), facts.Answers{"main": "./internal/x"})
		if err == nil || !strings.Contains(err.Error(), "./cmd/api") {
			t.Errorf("err = %v, want the candidates listed", err)
		}
	})
	t.Run("main in a folder with a hostile name is skipped", func(t *testing.T) {
		files := map[string]string{"go.mod": goModFile("example.com/app", "1.26"), "cmd/api/main.go": goMain(nil, ""), "cmd/x $(id)/main.go": goMain(nil, "")}
		det := detectGo(t, files, nil)
		if det.Go.Main != "./cmd/api" || !hasProblem(det, "cmd/x $(id)/main.go", "skipped") {
			t.Errorf("Main=%q problems=%v", det.Go.Main, det.Problems)
		}
	})
}

// TestGoPort has one row per way a Go program names its port.
func TestGoPort(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   map[string]string
		port    int
		portEnv string
		// evFile/evMarker/evDetail: the port's evidence.
		evFile, evMarker, evDetail string
		framework                  string
	}{
		{
			name:  "http.ListenAndServe literal",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`}, `http.ListenAndServe(":9000", nil)`)},
			port:  9000, evFile: "main.go", evMarker: "ListenAndServe", evDetail: `":9000"`,
		},
		{
			name: "http.Server Addr literal with srv.ListenAndServe()",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`},
				"srv := &http.Server{\n\t\tAddr: \":7000\",\n\t}\n\tsrv.ListenAndServe()")},
			port: 7000, evFile: "main.go", evMarker: "Addr:", evDetail: `Addr: ":7000"`,
		},
		{
			name: "gin r.Run with an address",
			files: map[string]string{"main.go": goMain([]string{`"github.com/gin-gonic/gin"`},
				"r := gin.Default()\n\tr.Run(\":8081\")")},
			port: 8081, evFile: "main.go", evMarker: "r.Run", evDetail: `":8081"`, framework: "gin",
		},
		{
			name: "gin r.Run without an address reads PORT, else 8080",
			files: map[string]string{"main.go": goMain([]string{`"github.com/gin-gonic/gin"`},
				"r := gin.New()\n\tr.Run()")},
			port: 8080, portEnv: "PORT", evFile: "main.go", evMarker: "r.Run", evDetail: "$PORT", framework: "gin",
		},
		{
			name: "echo e.Start",
			files: map[string]string{"main.go": goMain([]string{`"github.com/labstack/echo/v4"`},
				"e := echo.New()\n\te.Logger.Fatal(e.Start(\":1323\"))")},
			port: 1323, evFile: "main.go", evMarker: "e.Start", evDetail: `":1323"`, framework: "echo",
		},
		{
			name: "fiber app.Listen",
			files: map[string]string{"main.go": goMain([]string{`"github.com/gofiber/fiber/v2"`},
				"app := fiber.New()\n\tapp.Listen(\":3000\")")},
			port: 3000, evFile: "main.go", evMarker: "app.Listen", evDetail: `":3000"`, framework: "fiber",
		},
		{
			name: "os.Getenv(PORT) with an if fallback",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"os"`},
				"port := os.Getenv(\"PORT\")\n\tif port == \"\" {\n\t\tport = \"5000\"\n\t}\n\thttp.ListenAndServe(\":\"+port, nil)")},
			port: 5000, portEnv: "PORT", evFile: "main.go", evMarker: "ListenAndServe", evDetail: `$PORT, default "5000"`,
		},
		{
			name: "cmp.Or(os.Getenv(PORT), fallback)",
			files: map[string]string{"main.go": goMain([]string{`"cmp"`, `"net/http"`, `"os"`},
				"addr := \":\" + cmp.Or(os.Getenv(\"PORT\"), \"8181\")\n\thttp.ListenAndServe(addr, nil)")},
			port: 8181, portEnv: "PORT", evFile: "main.go", evMarker: "ListenAndServe", evDetail: `$PORT, default "8181"`,
		},
		{
			name: "os.LookupEnv with a fallback",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"os"`},
				"port, ok := os.LookupEnv(\"PORT\")\n\tif !ok {\n\t\tport = \"6060\"\n\t}\n\thttp.ListenAndServe(\":\"+port, nil)")},
			port: 6060, portEnv: "PORT", evFile: "main.go", evMarker: "ListenAndServe", evDetail: `default "6060"`,
		},
		{
			name: "flag.String addr default",
			files: map[string]string{"main.go": goMain([]string{`"flag"`, `"net/http"`},
				"addr := flag.String(\"addr\", \":8082\", \"listen address\")\n\tflag.Parse()\n\thttp.ListenAndServe(*addr, nil)")},
			port: 8082, evFile: "main.go", evMarker: "ListenAndServe", evDetail: `":8082"`,
		},
		{
			name: "flag.Int port default through fmt.Sprintf",
			files: map[string]string{"main.go": goMain([]string{`"flag"`, `"fmt"`, `"net/http"`},
				"port := flag.Int(\"port\", 8083, \"port\")\n\tflag.Parse()\n\thttp.ListenAndServe(fmt.Sprintf(\":%d\", *port), nil)")},
			port: 8083, evFile: "main.go", evMarker: "ListenAndServe", evDetail: `":8083"`,
		},
		{
			name: "flag.StringVar into a config field",
			files: map[string]string{"main.go": goMain([]string{`"flag"`, `"net/http"`},
				"var cfg config\n\tflag.StringVar(&cfg.Addr, \"http-addr\", \":8086\", \"\")\n\tflag.Parse()\n\thttp.ListenAndServe(cfg.Addr, nil)",
				"type config struct{ Addr string }")},
			port: 8086, evFile: "main.go", evMarker: "ListenAndServe", evDetail: `":8086"`,
		},
		{
			name: "getenv helper with a default",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"os"`},
				"http.ListenAndServe(\":\"+getEnv(\"PORT\", \"8084\"), nil)",
				"func getEnv(k, def string) string {\n\tif v := os.Getenv(k); v != \"\" {\n\t\treturn v\n\t}\n\treturn def\n}")},
			port: 8084, portEnv: "PORT", evFile: "main.go", evMarker: "ListenAndServe", evDetail: `default "8084"`,
		},
		{
			name: "struct tag env:PORT envDefault",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"strconv"`},
				"var cfg config\n\thttp.ListenAndServe(\":\"+strconv.Itoa(cfg.Port), nil)",
				"type config struct {\n\tPort int `env:\"PORT\" envDefault:\"8085\"`\n}")},
			port: 8085, portEnv: "PORT", evFile: "main.go", evMarker: "ListenAndServe", evDetail: `default "8085"`,
		},
		{
			name: "net.Listen for a gRPC server",
			files: map[string]string{"main.go": goMain([]string{`"net"`},
				"lis, _ := net.Listen(\"tcp\", \":50051\")\n\t_ = lis")},
			port: 50051, evFile: "main.go", evMarker: "net.Listen", evDetail: `":50051"`,
		},
		{
			name: "host and port literal",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`},
				`http.ListenAndServe("0.0.0.0:8443", nil)`)},
			port: 8443, evFile: "main.go", evMarker: "ListenAndServe", evDetail: `0.0.0.0:8443`,
		},
		{
			name: "PORT read with no default: 8080, set by the image",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"os"`},
				`http.ListenAndServe(":"+os.Getenv("PORT"), nil)`)},
			port: 8080, portEnv: "PORT", evFile: "main.go", evMarker: "ListenAndServe", evDetail: "no default",
		},
		{
			name: "listener whose address cannot be worked out: default 8080",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`},
				`http.ListenAndServe(loadAddr(), nil)`, "func loadAddr() string { return readConfig()[\"addr\"] }\n\nfunc readConfig() map[string]string { return nil }")},
			port: 8080, evFile: "main.go", evMarker: "ListenAndServe", evDetail: "no default found, so 8080 is guessed",
		},
		{
			name: "listener unresolved, PORT variable elsewhere in the package",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"os"`},
				"srv := newServer()\n\tsrv.ListenAndServe()",
				"var port = os.Getenv(\"PORT\")\n\nfunc init() {\n\tif port == \"\" {\n\t\tport = \"4000\"\n\t}\n}\n\nfunc newServer() *http.Server { return &http.Server{Handler: nil} }")},
			port: 4000, portEnv: "PORT", evFile: "main.go", evMarker: "var port", evDetail: `$PORT, default "4000"`,
		},
		{
			name: "web framework without a listener in view: default 8080",
			files: map[string]string{"main.go": goMain([]string{`"github.com/go-chi/chi/v5"`, `"example.com/app/platform"`},
				"r := chi.NewRouter()\n\tplatform.Run(r)")},
			port: 8080, evFile: "main.go", evMarker: "go-chi", evDetail: "no default found, so 8080 is guessed", framework: "chi",
		},
		{
			name: "listener in an internal package the main imports",
			files: map[string]string{
				"main.go": goMain([]string{`"example.com/app/internal/server"`}, "server.Run()"),
				"internal/server/server.go": "package server\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/gorilla/mux\"\n)\n\n" +
					"// Run serves.\nfunc Run() {\n\tr := mux.NewRouter()\n\thttp.ListenAndServe(\":8088\", r)\n}\n",
			},
			port: 8088, evFile: "internal/server/server.go", evMarker: "ListenAndServe", evDetail: `":8088"`, framework: "gorilla",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile("example.com/app", "1.26")}
			for k, v := range tc.files {
				files[k] = v
			}
			det := detectGo(t, files, nil)
			if det.Worker {
				t.Fatal("Worker = true for a server")
			}
			if det.Port != tc.port || det.Go.PortEnv != tc.portEnv {
				t.Errorf("Port=%d PortEnv=%q, want %d %q", det.Port, det.Go.PortEnv, tc.port, tc.portEnv)
			}
			wantEvidence(t, det, files, "port", tc.evFile, tc.evMarker, tc.evDetail)
			if det.Framework != tc.framework {
				t.Errorf("Framework = %q, want %q", det.Framework, tc.framework)
			}
		})
	}
}

func TestGoPortWarnings(t *testing.T) {
	t.Run("a hard-coded localhost listener is an error naming its line", func(t *testing.T) {
		for _, addr := range []string{`"127.0.0.1:8080"`, `"localhost:" + port`} {
			files := map[string]string{"go.mod": goModFile("example.com/app", "1.26"),
				"main.go": goMain([]string{`"net/http"`}, `const port = "8080"`+"\n\t"+`http.ListenAndServe(`+addr+`, nil)`)}
			_, err := Detector{}.Detect(detecttest.MapFS(files), nil)
			if err == nil || !strings.Contains(err.Error(), "main.go:9:") || !strings.Contains(err.Error(), "hard-coded") || !strings.Contains(err.Error(), `listen on ":8080"`) {
				t.Errorf("%s: err = %v, want a hard-coded loopback error at main.go:9", addr, err)
			}
		}
	})
	t.Run("a loopback host reached only through same-named fields is not called hard-coded", func(t *testing.T) {
		// Host is set from another type's field (Host: s.config.Hostname)
		// that a mock fills with "localhost": dgen follows fields by
		// name only, so this is a note, never an error.
		files := map[string]string{"go.mod": goModFile("example.com/app", "1.26"),
			"main.go":     goMain([]string{`"flag"`, `"example.com/app/srv"`}, `host := flag.String("host", "", "bind")`+"\n\t"+`port := flag.String("port", "9898", "port")`+"\n\t"+`flag.Parse()`+"\n\t"+`srv.New(&srv.Config{Host: *host, Port: *port}).Start()`),
			"srv/srv.go":  "package srv\n\nimport \"net/http\"\n\ntype Config struct {\n\tHost     string\n\tHostname string\n\tPort     string\n}\n\ntype Server struct{ config *Config }\n\nfunc New(c *Config) *Server { return &Server{config: c} }\n\nfunc (s *Server) Start() {\n\tsrv := &http.Server{\n\t\tAddr: s.config.Host + \":\" + s.config.Port,\n\t}\n\tsrv.ListenAndServe()\n}\n",
			"srv/echo.go": "package srv\n\ntype Peer struct{ Host string }\n\nfunc (s *Server) peer() Peer { return Peer{\n\tHost: s.config.Hostname,\n} }\n",
			"srv/mock.go": "package srv\n\nfunc NewMock() *Server {\n\tc := &Config{\n\t\tPort:     \"9898\",\n\t\tHostname: \"localhost\",\n\t}\n\treturn &Server{config: c}\n}\n",
		}
		det, err := Detector{}.Detect(detecttest.MapFS(files), nil)
		if err != nil {
			t.Fatalf("Detect: %v, want no error", err)
		}
		if det.Port != 9898 {
			t.Errorf("Port = %d, want 9898", det.Port)
		}
		if !detecttest.HasNote(det, "may resolve to localhost:9898") {
			t.Errorf("notes = %q, want one that the address may be loopback", det.Notes)
		}
	})
	t.Run("a loopback flag default is moved with the flag", func(t *testing.T) {
		files := map[string]string{"go.mod": goModFile("example.com/app", "1.26"),
			"main.go": goMain([]string{`"flag"`, `"net/http"`}, `addr := flag.String("addr", "127.0.0.1:8085", "listen address")`+"\n\t"+`flag.Parse()`+"\n\t"+`http.ListenAndServe(*addr, nil)`)}
		det := detectGo(t, files, nil)
		if want := []string{"/usr/local/bin/app", "--addr=0.0.0.0:8085"}; !slices.Equal(det.Start, want) || det.Port != 8085 {
			t.Errorf("Start = %q, Port = %d; want %q on 8085", det.Start, det.Port, want)
		}
		if !detecttest.HasNote(det, "the start command passes --addr=0.0.0.0:8085") {
			t.Errorf("notes = %q", det.Notes)
		}
	})
	t.Run("a second listener on another port is noted", func(t *testing.T) {
		files := map[string]string{"go.mod": goModFile("example.com/app", "1.26"),
			"main.go": goMain([]string{`"net/http"`}, "go http.ListenAndServe(\":9090\", nil)\n\thttp.ListenAndServe(\":8080\", nil)")}
		det := detectGo(t, files, nil)
		if det.Port != 9090 {
			t.Errorf("Port = %d, want the first listener's 9090", det.Port)
		}
		if !strings.Contains(strings.Join(det.Notes, "\n"), "also listens on 8080") {
			t.Errorf("notes = %v", det.Notes)
		}
	})
	t.Run("a database port variable is not the server's", func(t *testing.T) {
		files := map[string]string{"go.mod": goModFile("example.com/app", "1.26"),
			"main.go": goMain([]string{`"net/http"`, `"os"`},
				"dbPort := os.Getenv(\"DB_PORT\")\n\tif dbPort == \"\" {\n\t\tdbPort = \"5432\"\n\t}\n\t_ = dbPort\n\thttp.ListenAndServe(load(), nil)",
				"func load() string { return \"\" }")}
		det := detectGo(t, files, nil)
		if det.Port != 8080 || det.Go.PortEnv != "" {
			t.Errorf("Port=%d PortEnv=%q, want the default 8080", det.Port, det.Go.PortEnv)
		}
	})
}

func TestGoWorker(t *testing.T) {
	files := map[string]string{
		"go.mod": goModFile("example.com/janitor", "1.26"),
		// net/http as a client only: no listener, no router.
		"main.go": goMain([]string{`"net/http"`, `"time"`}, "for {\n\t\thttp.Get(\"https://example.com/\")\n\t\ttime.Sleep(time.Minute)\n\t}"),
	}
	det := detectGo(t, files, nil)
	if !det.Worker || det.Port != 0 || det.HealthPath != "" {
		t.Fatalf("Worker=%v Port=%d HealthPath=%q", det.Worker, det.Port, det.HealthPath)
	}
	wantEvidence(t, det, files, "port", "main.go", "package main", "a worker")
	if det.Framework != "" {
		t.Errorf("Framework = %q", det.Framework)
	}
	if _, ok := det.Evidence["framework"]; ok {
		t.Errorf("a worker cites a framework: %v", det.Evidence["framework"])
	}
}

func TestGoFramework(t *testing.T) {
	for _, tc := range []struct{ imp, want string }{
		{`"github.com/gin-gonic/gin"`, "gin"},
		{`"github.com/labstack/echo/v4"`, "echo"},
		{`"github.com/labstack/echo"`, "echo"},
		{`"github.com/go-chi/chi/v5"`, "chi"},
		{`"github.com/go-chi/chi"`, "chi"},
		{`"github.com/gofiber/fiber/v3"`, "fiber"},
		{`"github.com/gorilla/mux"`, "gorilla"},
		{`"net/http"`, ""},
	} {
		t.Run(tc.imp, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile("example.com/app", "1.26"),
				"main.go": goMain([]string{tc.imp, `h "net/http"`}, "_ = 1\n\th.ListenAndServe(\":8080\", nil)")}
			if tc.imp == `"net/http"` {
				files["main.go"] = goMain([]string{tc.imp}, stdlibServer)
			}
			det := detectGo(t, files, nil)
			if det.Framework != tc.want {
				t.Errorf("Framework = %q, want %q", det.Framework, tc.want)
			}
			detail := "imports " + tc.imp
			if tc.want == "" {
				detail = "standard library"
			}
			wantEvidence(t, det, files, "framework", "main.go", tc.imp, detail)
		})
	}
}

func TestGoHealthPath(t *testing.T) {
	for _, tc := range []struct {
		name     string
		imports  []string
		body     string
		want     string
		evMarker string
	}{
		{"stdlib HandleFunc", []string{`"net/http"`}, "http.HandleFunc(\"/healthz\", nil)\n\t" + stdlibServer, "/healthz", `"/healthz"`},
		{"Go 1.22 method pattern", []string{`"net/http"`}, "mux := http.NewServeMux()\n\tmux.HandleFunc(\"GET /livez\", nil)\n\thttp.ListenAndServe(\":8080\", mux)", "/livez", `"GET /livez"`},
		{"chi r.Get", []string{`"net/http"`, `"github.com/go-chi/chi/v5"`}, "r := chi.NewRouter()\n\tr.Get(\"/health\", nil)\n\thttp.ListenAndServe(\":8080\", r)", "/health", `"/health"`},
		{"gin r.GET", []string{`"github.com/gin-gonic/gin"`}, "r := gin.Default()\n\tr.GET(\"/ping\", nil)\n\tr.Run()", "/ping", `"/ping"`},
		{"healthz preferred over ping", []string{`"net/http"`}, "http.HandleFunc(\"/ping\", nil)\n\thttp.HandleFunc(\"/healthz\", nil)\n\t" + stdlibServer, "/healthz", `"/healthz"`},
		{"liveness preferred over readiness", []string{`"net/http"`}, "http.HandleFunc(\"/readyz\", nil)\n\thttp.HandleFunc(\"/livez\", nil)\n\t" + stdlibServer, "/livez", `"/livez"`},
		{"POST route is not probed", []string{`"net/http"`}, "http.HandleFunc(\"POST /healthz\", nil)\n\t" + stdlibServer, "", ""},
		{"route in a group has its prefix", []string{`"github.com/gin-gonic/gin"`}, "r := gin.Default()\n\tapi := r.Group(\"/api\")\n\tapi.GET(\"/health\", nil)\n\tr.Run()", "/api/health", `"/health"`},
		{"route in a chi Route callback has its prefix", []string{`"net/http"`, `"github.com/go-chi/chi/v5"`}, "r := chi.NewRouter()\n\tr.Route(\"/v1\", func(r chi.Router) {\n\t\tr.Get(\"/healthz\", nil)\n\t})\n\thttp.ListenAndServe(\":8080\", r)", "/v1/healthz", `"/healthz"`},
		{"route on a mounted router has its prefix", []string{`"net/http"`, `"github.com/go-chi/chi/v5"`}, "r := chi.NewRouter()\n\tsub := chi.NewRouter()\n\tsub.Get(\"/healthz\", nil)\n\tr.Mount(\"/admin\", sub)\n\thttp.ListenAndServe(\":8080\", r)", "/admin/healthz", `"/healthz"`},
		{"other paths are not health checks", []string{`"net/http"`}, "http.HandleFunc(\"/api/users\", nil)\n\t" + stdlibServer, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile("example.com/app", "1.26"), "main.go": goMain(tc.imports, tc.body)}
			det := detectGo(t, files, nil)
			if det.HealthPath != tc.want {
				t.Fatalf("HealthPath = %q, want %q", det.HealthPath, tc.want)
			}
			if tc.want == "" {
				if _, ok := det.Evidence["healthPath"]; ok {
					t.Errorf("evidence for no health path: %v", det.Evidence["healthPath"])
				}
				return
			}
			wantEvidence(t, det, files, "healthPath", "main.go", tc.evMarker, tc.evMarker)
		})
	}
}

func TestGoCGO(t *testing.T) {
	server := goMain([]string{`"net/http"`}, stdlibServer)
	for _, tc := range []struct {
		name             string
		mod              []string
		files            map[string]string
		want             bool
		modules          string
		evFile, evMarker string
		evDetail         string
	}{
		{
			name:  "import C in the program's own code",
			files: map[string]string{"main.go": server, "native.go": "package main\n\n// #include <stdlib.h>\nimport \"C\"\n"},
			want:  true, evFile: "native.go", evMarker: `import "C"`, evDetail: `import "C"`,
		},
		{
			name:  "import C in an imported internal package",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `_ "example.com/app/internal/native"`}, stdlibServer), "internal/native/n.go": "package native\n\nimport \"C\"\n"},
			want:  true, evFile: "internal/native/n.go", evMarker: `import "C"`, evDetail: `import "C"`,
		},
		{
			name:  "import C only in a package the program does not import",
			files: map[string]string{"main.go": server, "internal/unused/n.go": "package unused\n\nimport \"C\"\n"},
			want:  false, evFile: "main.go", evDetail: "CGO_ENABLED=0",
		},
		{
			name:  "import C only behind //go:build cgo",
			files: map[string]string{"main.go": server, "fast.go": "//go:build cgo\n\npackage main\n\nimport \"C\"\n", "slow.go": "//go:build !cgo\n\npackage main\n"},
			want:  false, evFile: "main.go", evDetail: "CGO_ENABLED=0",
		},
		{
			name:  "mattn/go-sqlite3 required and imported",
			mod:   []string{"require github.com/mattn/go-sqlite3 v1.14.22"},
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `_ "github.com/mattn/go-sqlite3"`}, stdlibServer), "go.sum": ""},
			want:  true, modules: "github.com/mattn/go-sqlite3", evFile: "main.go", evMarker: "go-sqlite3", evDetail: "fails at run time",
		},
		{
			name:  "confluent-kafka-go/v2 imported through its kafka package",
			mod:   []string{"require github.com/confluentinc/confluent-kafka-go/v2 v2.3.0"},
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `_ "github.com/confluentinc/confluent-kafka-go/v2/kafka"`}, stdlibServer), "go.sum": ""},
			want:  true, modules: "github.com/confluentinc/confluent-kafka-go", evFile: "main.go", evMarker: "confluent", evDetail: "librdkafka",
		},
		{
			name:  "gopacket/pcap imported",
			mod:   []string{"require github.com/google/gopacket v1.1.19"},
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `_ "github.com/google/gopacket/pcap"`}, stdlibServer), "go.sum": ""},
			want:  true, modules: "github.com/google/gopacket/pcap", evFile: "main.go", evMarker: "gopacket/pcap", evDetail: "libpcap",
		},
		{
			name:  "gopacket without pcap is pure Go",
			mod:   []string{"require github.com/google/gopacket v1.1.19"},
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `_ "github.com/google/gopacket/layers"`}, stdlibServer), "go.sum": ""},
			want:  false, evFile: "main.go", evDetail: "CGO_ENABLED=0",
		},
		{
			name:  "modernc.org/sqlite is pure Go",
			mod:   []string{"require modernc.org/sqlite v1.29.0"},
			files: map[string]string{"main.go": server, "go.sum": ""},
			want:  false, evFile: "go.mod", evMarker: "modernc", evDetail: "pure Go",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile("example.com/app", "1.26", tc.mod...)}
			for k, v := range tc.files {
				files[k] = v
			}
			det := detectGo(t, files, nil)
			if det.Go.CGO != tc.want {
				t.Fatalf("CGO = %v, want %v", det.Go.CGO, tc.want)
			}
			if got := strings.Join(det.Go.CGOModules, ","); got != tc.modules {
				t.Errorf("CGOModules = %q, want %q", got, tc.modules)
			}
			wantEvidence(t, det, files, "cgo", tc.evFile, tc.evMarker, tc.evDetail)
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

func TestGoAssets(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
		// evAsset is cited from evFile at the line holding marker.
		evAsset string
		evFile  string
		marker  string
	}{
		{
			name: "templates read from disk",
			files: map[string]string{
				"main.go":              goMain([]string{`"html/template"`, `"net/http"`}, "template.Must(template.ParseGlob(\"templates/*.html\"))\n\t"+stdlibServer),
				"templates/index.html": "<p>hi</p>",
			},
			want: "templates", evAsset: "templates", evFile: "main.go", marker: "templates/*.html",
		},
		{
			name: "static served with http.Dir and migrations by file:// URL",
			files: map[string]string{
				"main.go":             goMain([]string{`"net/http"`}, "http.Handle(\"/static/\", http.FileServer(http.Dir(\"./static\")))\n\tm := \"file://migrations\"\n\t_ = m\n\t"+stdlibServer),
				"static/app.css":      "body{}",
				"migrations/0001.sql": "select 1;",
			},
			want: "migrations,static", evAsset: "static", evFile: "main.go", marker: "./static",
		},
		{
			name: "embedded templates are not copied",
			files: map[string]string{
				"main.go":              goMain([]string{`"embed"`, `"html/template"`, `"net/http"`}, "template.Must(template.ParseFS(tmpl, \"templates/*.html\"))\n\t"+stdlibServer, "//go:embed templates\nvar tmpl embed.FS"),
				"templates/index.html": "<p>hi</p>",
			},
			want: "",
		},
		{
			name: "embedded with all: and a glob",
			files: map[string]string{
				"main.go":             goMain([]string{`"embed"`, `"net/http"`}, "_ = \"web/dist/index.html\"\n\t"+stdlibServer, "//go:embed all:web/dist/*\nvar dist embed.FS"),
				"web/dist/index.html": "<p>hi</p>",
			},
			want: "",
		},
		{
			name: "the deepest existing folder is copied",
			files: map[string]string{
				"main.go":                 goMain([]string{`"html/template"`, `"net/http"`}, "template.ParseGlob(\"web/templates/*.tmpl\")\n\t"+stdlibServer),
				"web/templates/a.tmpl":    "x",
				"web/frontend/src/app.ts": "x",
			},
			want: "web/templates", evAsset: "web/templates", evFile: "main.go", marker: "web/templates",
		},
		{
			name: "a literal naming a folder that does not exist",
			files: map[string]string{
				"main.go": goMain([]string{`"html/template"`, `"net/http"`}, "template.ParseGlob(\"templates/*.html\")\n\t"+stdlibServer),
			},
			want: "",
		},
		{
			name: "a folder nobody names in code",
			files: map[string]string{
				"main.go":        goMain([]string{`"net/http"`}, stdlibServer),
				"public/x.html":  "x",
				"templates/a.md": "x",
			},
			want: "",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile("example.com/app", "1.26")}
			for k, v := range tc.files {
				files[k] = v
			}
			det := detectGo(t, files, nil)
			if got := strings.Join(det.Go.Assets, ","); got != tc.want {
				t.Fatalf("Assets = %q, want %q", got, tc.want)
			}
			if tc.evAsset != "" {
				wantEvidence(t, det, files, "asset:"+tc.evAsset, tc.evFile, tc.marker, "read from disk at run time")
			}
		})
	}
}

func TestGoPrivate(t *testing.T) {
	server := goMain([]string{`"net/http"`}, stdlibServer)
	for _, tc := range []struct {
		name, file, content, want string
	}{
		{"Makefile export", "Makefile", "export GOPRIVATE=github.com/acme/*\n\nbuild:\n\tgo build ./...\n", "github.com/acme/*"},
		{"go env -w", ".envrc", "go env -w GOPRIVATE=gitlab.acme.io,github.com/acme-internal\n", "gitlab.acme.io,github.com/acme-internal"},
		{"CI workflow env", ".github/workflows/ci.yml", "env:\n  GOPRIVATE: \"github.com/acme/*\"\n", "github.com/acme/*"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile("example.com/app", "1.26"), "main.go": server, tc.file: tc.content}
			det := detectGo(t, files, nil)
			if det.Go.GoPrivate != tc.want {
				t.Fatalf("GoPrivate = %q, want %q", det.Go.GoPrivate, tc.want)
			}
			wantEvidence(t, det, files, "goPrivate", tc.file, "GOPRIVATE", "GOPRIVATE")
		})
	}
	t.Run("a value that is not a pattern list is refused", func(t *testing.T) {
		files := map[string]string{"go.mod": goModFile("example.com/app", "1.26"), "main.go": server, "Makefile": "GOPRIVATE=a;rm\n"}
		det := detectGo(t, files, nil)
		if det.Go.GoPrivate != "" || !hasProblem(det, "Makefile", "not a list of module path patterns") {
			t.Errorf("GoPrivate=%q problems=%v", det.Go.GoPrivate, det.Problems)
		}
	})
	t.Run("vendored builds fetch nothing", func(t *testing.T) {
		files := map[string]string{"go.mod": goModFile("example.com/app", "1.26"), "main.go": server, "Makefile": "GOPRIVATE=github.com/acme/*\n", "vendor/modules.txt": ""}
		det := detectGo(t, files, nil)
		if det.Go.GoPrivate != "" {
			t.Errorf("GoPrivate = %q with vendoring", det.Go.GoPrivate)
		}
	})
}

// TestGoBadSource: unparseable, truncated and oversized files never stop
// detection, and never panic.
func TestGoBadSource(t *testing.T) {
	big := "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n// " + strings.Repeat("x", repo.MaxSourceSize) + "\n"
	files := map[string]string{
		"go.mod":              goModFile("example.com/app", "1.26"),
		"main.go":             big,
		"broken.go":           "package main\n\nfunc (( {\n",
		"internal/x/x.go":     "\x00\xff garbage",
		"cmd/tool/main.go":    "package main\n\nimport \"C\nfunc",
		"cmd/empty/main.go":   "",
		"cmd/onlyhdr/main.go": "package",
	}
	det := detectGo(t, files, nil)
	if det.Port != 8080 {
		t.Errorf("Port = %d", det.Port)
	}
	for _, f := range []string{"broken.go", "internal/x/x.go", "cmd/empty/main.go", "cmd/onlyhdr/main.go"} {
		if !hasProblem(det, f, "not valid Go") {
			t.Errorf("%s not reported; problems = %v", f, det.Problems)
		}
	}
	if strings.Join(det.Go.Mains, ",") != ".,./cmd/tool" {
		t.Errorf("Mains = %v", det.Go.Mains)
	}
}

// FuzzGoDetect feeds arbitrary Go source and go.mod text to the detector:
// it may fail, but must not panic.
func FuzzGoDetect(f *testing.F) {
	f.Add("module x\ngo 1.26\n", goMain([]string{`"net/http"`}, stdlibServer))
	f.Add("module x\n", "package main\nfunc main() { a := b; b := a; http.ListenAndServe(a+b, nil) }")
	f.Add("module x\ntoolchain go1.99\n", "package main\nimport \"os\"\nfunc main() { p := os.Getenv(p); fmt.Sprintf(\"%s%d%\", p) }")
	f.Fuzz(func(t *testing.T, mod, src string) {
		fsys := detecttest.MapFS(map[string]string{"go.mod": mod, "main.go": src, "cmd/x/main.go": src})
		det, err := Detector{}.Detect(fsys, nil)
		if err == nil && det == nil {
			t.Fatal("nil detection without an error")
		}
	})
}

// TestGoDetectReadsOnlyTheFS runs the detector on an FS that fails every
// read outside the files it was given.
func TestGoDetectReadsOnlyTheFS(t *testing.T) {
	files := detecttest.MapFS(map[string]string{"go.mod": goModFile("example.com/app", "1.26"), "main.go": goMain([]string{`"net/http"`}, stdlibServer)})
	det, err := Detector{}.Detect(onlyFS{files}, nil)
	if err != nil || det.Port != 8080 {
		t.Fatalf("det=%+v err=%v", det, err)
	}
}

type onlyFS struct{ fstest.MapFS }

func (o onlyFS) Open(name string) (fs.File, error) {
	if strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return nil, errors.New("read outside the repository: " + name)
	}
	return o.MapFS.Open(name)
}

func TestSafePath(t *testing.T) {
	for p, want := range map[string]bool{
		".": true, "cmd/api": true, "services/api-v2": true, "a/b_c.d": true,
		"": false, "/abs": false, "../up": false, "a/../b": false, "-x": false, "a/-x": false,
		"a b": false, "a$b": false, `a"b`: false, "a'b": false, `a\b`: false, "a*b": false,
		"a?b": false, "a[b]": false, "a\nb": false, "a\tb": false,
	} {
		if got := repo.SafePath(p); got != want {
			t.Errorf("SafePath(%q) = %v, want %v", p, got, want)
		}
	}
}

// TestGoHostileAssignments: a name assigned many times from expressions
// naming it again must not make port resolution take exponential time
// (without a budget this input takes minutes).
func TestGoHostileAssignments(t *testing.T) {
	var b strings.Builder
	b.WriteString("package main\n\nimport \"net/http\"\n\nfunc main() {\n")
	for i := 0; i < 200; i++ {
		b.WriteString("\ta = a + a + b + c\n\tb = a + b + c\n\tc = f(a, b, c)\n")
	}
	b.WriteString("\thttp.ListenAndServe(a, nil)\n}\n")
	det := detectGo(t, map[string]string{"go.mod": goModFile("example.com/app", "1.26"), "main.go": b.String()}, nil)
	if det.Port != 8080 {
		t.Errorf("Port = %d, want the default for an address that cannot be worked out", det.Port)
	}
}
