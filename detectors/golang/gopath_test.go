package golang

import (
	"slices"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// TestGoGOPATHMode: a top-level package main with a pre-modules
// dependency folder or file and no go.mod is claimed, and Detect stops
// with advice naming go mod init and the import path it can find.
func TestGoGOPATHMode(t *testing.T) {
	const main = "package main\n\nfunc main() {}\n"
	for _, tc := range []struct {
		name    string
		files   map[string]string
		markers []string
		// want are fragments of the error; nil when not claimed.
		want []string
	}{
		{
			name: "vendor/ and a canonical import comment",
			files: map[string]string{
				"main.go":               "package main // import \"github.com/mailhog/MailHog\"\n\nfunc main() {}\n",
				"vendor/github.com/x/y": "",
			},
			markers: []string{"main.go", "vendor"},
			want:    []string{"GOPATH mode", "vendor/ is at the top", "`go mod init github.com/mailhog/MailHog`", "canonical import comment in main.go"},
		},
		{
			name:    "Godeps.json's ImportPath",
			files:   map[string]string{"app.go": main, "Godeps/Godeps.json": `{"ImportPath": "github.com/acme/app", "Deps": []}`},
			markers: []string{"app.go", "Godeps"},
			want:    []string{"`go mod init github.com/acme/app`", "Godeps/Godeps.json"},
		},
		{
			name:    "glide.yaml's package",
			files:   map[string]string{"main.go": main, "glide.yaml": "package: github.com/acme/tool\nimport:\n- package: github.com/pkg/errors\n"},
			markers: []string{"main.go", "glide.yaml"},
			want:    []string{"`go mod init github.com/acme/tool`"},
		},
		{
			name:    "no import path anywhere: a placeholder and where to find it",
			files:   map[string]string{"main.go": main, "Gopkg.toml": "[[constraint]]\n"},
			markers: []string{"main.go", "Gopkg.toml"},
			want:    []string{"`go mod init <import path>`", "e.g. github.com/owner/repo"},
		},
		{
			name:  "vendor/ without a top-level main is not claimed",
			files: map[string]string{"lib.go": "package lib\n", "vendor/x.go": "package x\n"},
		},
		{
			name:    "a module with vendor/ is not GOPATH mode",
			files:   map[string]string{"go.mod": goModFile("example.com/app", "1.26"), "main.go": main, "vendor/modules.txt": ""},
			markers: []string{"go.mod"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := detecttest.MapFS(tc.files)
			if got := (Detector{}).Markers(fsys); !slices.Equal(got, tc.markers) {
				t.Errorf("Markers = %q, want %q", got, tc.markers)
			}
			if tc.want == nil {
				return
			}
			_, err := Detector{}.Detect(fsys, nil)
			if err == nil {
				t.Fatal("Detect succeeded, want the GOPATH-mode advice")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
