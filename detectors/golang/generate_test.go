package golang

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// embedsGenerated is a package web that embeds dist, which its
// directives create.
func embedsGenerated(directives ...string) string {
	s := "package web\n\nimport \"embed\"\n\n"
	for _, d := range directives {
		s += "//go:generate " + d + "\n"
	}
	return s + "\n//go:embed dist\nvar Dist embed.FS\n"
}

// genProgram is a generator run with go run, left out of the build by
// its build tag.
const genProgram = "//go:build ignore\n\npackage main\n\nfunc main() {}\n"

func TestGoGenerateRunsOnlyWhatCreatesMissingFiles(t *testing.T) {
	web := embedsGenerated("go run gen.go -o dist", "mockgen -source=web.go -destination=mocks/web.go")
	files := map[string]string{
		"go.mod":     goModFile("github.com/acme/shop", "1.26"),
		"main.go":    serveWeb,
		"web/web.go": web,
		"web/gen.go": genProgram,
	}
	det := detectGo(t, files, nil)
	want := []facts.GoGenerate{{
		Package:    "./web",
		Run:        `^//go:generate\s+(go run gen\.go -o dist)$`,
		Directives: []string{"web/web.go:5: go run gen.go -o dist"},
	}}
	if !reflect.DeepEqual(det.Go.Generate, want) {
		t.Errorf("Generate = %+v, want %+v", det.Go.Generate, want)
	}
	if len(det.Go.BuildNeeds) != 0 {
		t.Errorf("BuildNeeds = %v", det.Go.BuildNeeds)
	}
	detecttest.WantCited(t, det, "generate:web/web.go:5", "web/web.go", 5, "go run gen.go")

	// Every directive of the package is needed: no -run.
	files["web/web.go"] = embedsGenerated("go run ./internal/gen -out=dist")
	files["web/internal/gen/gen.go"] = "package gen\n"
	det = detectGo(t, files, nil)
	if len(det.Go.Generate) != 1 || det.Go.Generate[0].Run != "" || det.Go.Generate[0].Package != "./web" {
		t.Errorf("Generate = %+v, want all of ./web", det.Go.Generate)
	}
}

func TestGoGenerateMissingGoFile(t *testing.T) {
	pill := "package main\n\n//go:generate go run golang.org/x/tools/cmd/stringer -type=Pill -output pill_string.go\ntype Pill int\n"
	files := map[string]string{
		"go.mod":  goModFile("github.com/acme/shop", "1.26", "require golang.org/x/tools v0.30.0"),
		"go.sum":  "",
		"main.go": goMain([]string{`"net/http"`}, stdlibServer),
		"pill.go": pill,
	}
	det := detectGo(t, files, nil)
	if len(det.Go.Generate) != 1 || det.Go.Generate[0].Package != "." || det.Go.Generate[0].Run != "" {
		t.Errorf("Generate = %+v, want the stringer directive of .", det.Go.Generate)
	}
	// Committed output: nothing runs (go generate is never run blindly).
	files["pill_string.go"] = "package main\n"
	det = detectGo(t, files, nil)
	if len(det.Go.Generate) != 0 || len(det.Go.BuildNeeds) != 0 {
		t.Errorf("output committed, but Generate = %+v BuildNeeds = %v", det.Go.Generate, det.Go.BuildNeeds)
	}
	// The tool is not a module go.mod requires: say so, run nothing.
	delete(files, "pill_string.go")
	files["pill.go"] = "package main\n\n//go:generate stringer -type=Pill -output pill_string.go\ntype Pill int\n"
	det = detectGo(t, files, nil)
	if len(det.Go.Generate) != 0 || len(det.Go.BuildNeeds) != 1 || !strings.Contains(det.Go.BuildNeeds[0], "pill_string.go is missing") || !strings.Contains(det.Go.BuildNeeds[0], "runs stringer") {
		t.Errorf("Generate = %+v BuildNeeds = %v", det.Go.Generate, det.Go.BuildNeeds)
	}
}

func TestGoGenerateUnsafeOrUnknown(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		needs []string
	}{
		{"a shell script", map[string]string{"web/web.go": embedsGenerated("sh build.sh")},
			[]string{"//go:embed dist (web/web.go:", "it runs sh, which the build image does not have"}},
		{"a tool fetched at a version", map[string]string{"web/web.go": embedsGenerated("go run github.com/acme/gen@v1.2.0 -o dist")},
			[]string{"it downloads github.com/acme/gen@v1.2.0 at build time"}},
		{"a Makefile target", map[string]string{
			"web/web.go": "package web\n\nimport \"embed\"\n\n//go:embed dist\nvar Dist embed.FS\n",
			"Makefile":   "all: web/dist\n\tgo build .\n\nweb/dist:\n\t./scripts/assets.sh\n",
		}, []string{"make web/dist (Makefile:4) creates it"}},
		{"a Makefile recipe naming it", map[string]string{
			"web/web.go": "package web\n\nimport \"embed\"\n\n//go:embed dist\nvar Dist embed.FS\n",
			"Makefile":   "VERSION := 1\n\nassets:\n\tmkdir -p web/dist && cp -r ui/* web/dist/\n",
		}, []string{"make assets (Makefile:3) creates it"}},
		{"nothing creates it", map[string]string{"web/web.go": "package web\n\nimport \"embed\"\n\n//go:embed dist/*.html\nvar Dist embed.FS\n"},
			[]string{`"pattern dist/*.html: no matching files found"`}},
		{"a folder of hidden files only", map[string]string{
			"web/web.go":        "package web\n\nimport \"embed\"\n\n//go:embed dist\nvar Dist embed.FS\n",
			"web/dist/.gitkeep": "",
		}, []string{`"pattern dist: no matching files found"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile("github.com/acme/shop", "1.26"), "main.go": serveWeb}
			for k, v := range tt.files {
				files[k] = v
			}
			det := detectGo(t, files, nil)
			if len(det.Go.Generate) != 0 {
				t.Errorf("Generate = %+v, want nothing run", det.Go.Generate)
			}
			if len(det.Go.BuildNeeds) != 1 {
				t.Fatalf("BuildNeeds = %v, want one", det.Go.BuildNeeds)
			}
			for _, w := range tt.needs {
				if !strings.Contains(det.Go.BuildNeeds[0], w) {
					t.Errorf("BuildNeeds[0] = %q, want it to hold %q", det.Go.BuildNeeds[0], w)
				}
			}
			if !detecttest.HasNote(det, det.Go.BuildNeeds[0]) {
				t.Errorf("BuildNeeds not in the notes: %v", det.Notes)
			}
		})
	}
}

func TestGoEmbedsThatExistNeedNothing(t *testing.T) {
	files := map[string]string{
		"go.mod":             goModFile("github.com/acme/shop", "1.26"),
		"main.go":            serveWeb,
		"web/web.go":         embedsGenerated("go run gen.go"),
		"web/gen.go":         genProgram,
		"web/dist/.gitkeep":  "",
		"web/dist/index.htm": "<p>hi</p>",
	}
	det := detectGo(t, files, nil)
	if len(det.Go.Generate)+len(det.Go.BuildNeeds) != 0 || det.Go.Frontend != nil {
		t.Errorf("Generate %+v BuildNeeds %v Frontend %+v, want none", det.Go.Generate, det.Go.BuildNeeds, det.Go.Frontend)
	}
}
