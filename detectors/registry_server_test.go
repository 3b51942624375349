package detectors_test

import (
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors"
	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// A Python server next to a JavaScript front end with far more source is
// a Python app when the repository shows the server; without that
// evidence, source volume decides.
func TestDetectServerEvidenceBeatsVolume(t *testing.T) {
	frontEnd := map[string]string{
		"package.json":     `{"scripts": {"build": "vite build"}, "devDependencies": {"vite": "^6"}}`,
		"src/main.tsx":     strings.Repeat("export const x = 1;\n", 4000),
		"src/App.tsx":      strings.Repeat("export const y = 2;\n", 4000),
		"requirements.txt": "flask\ngunicorn\n",
	}
	tests := []struct {
		name   string
		extra  map[string]string
		lang   string
		evFile string
	}{
		{"a Flask app object", map[string]string{"api.py": "from flask import Flask\napp = Flask(__name__)\n"}, facts.LangPython, "api.py"},
		{"a Procfile web: process", map[string]string{"Procfile": "web: gunicorn api:app\n", "api.py": "import flask\n"}, facts.LangPython, "Procfile"},
		{"Django's manage.py", map[string]string{"manage.py": "import django\n", "requirements.txt": "django\n"}, facts.LangPython, "manage.py"},
		{"no server: volume decides", map[string]string{"tools/gen.py": "print('codegen')\n"}, facts.LangNode, "package.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range frontEnd {
				files[k] = v
			}
			for k, v := range tt.extra {
				files[k] = v
			}
			det, err := detectors.Detect(detecttest.MapFS(files), nil)
			if err != nil {
				t.Fatal(err)
			}
			if det.Language != tt.lang {
				t.Fatalf("language %q, want %q (evidence %v)", det.Language, tt.lang, det.Evidence["language"])
			}
			if got := det.Evidence["language"].File; got != tt.evFile {
				t.Errorf("language evidence %v, want file %s", det.Evidence["language"], tt.evFile)
			}
			if tt.lang == facts.LangPython && !detecttest.HasNote(det, "whatever the source volume") {
				t.Errorf("no note on the front end left out: %q", det.Notes)
			}
		})
	}
}

// A Python mock server among a Node app's scripts shows no Python server.
func TestDetectIncidentalPythonServer(t *testing.T) {
	files := map[string]string{
		"package.json":           `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "^4"}}`,
		"server.js":              "require('express')().listen(3000)\n" + strings.Repeat("// route\n", 800),
		"requirements.txt":       "flask\n",
		"scripts/mock_server.py": "from flask import Flask\napp = Flask(__name__)\n" + strings.Repeat("# mock\n", 400),
	}
	det, err := detectors.Detect(detecttest.MapFS(files), nil)
	if err != nil {
		t.Fatal(err)
	}
	if det.Language != facts.LangNode {
		t.Errorf("language %q, want node (evidence %v)", det.Language, det.Evidence["language"])
	}
}

// A Go main that listens, next to a larger JavaScript front end, makes a
// Go app; a Go module whose only program listens on nothing leaves the
// choice to source volume.
func TestDetectGoServerBeatsVolume(t *testing.T) {
	frontEnd := map[string]string{
		"package.json":     `{"scripts": {"build": "vite build"}, "devDependencies": {"vite": "^6"}}`,
		"web/src/main.tsx": strings.Repeat("export const x = 1;\n", 4000),
		"web/src/App.tsx":  strings.Repeat("export const y = 2;\n", 4000),
		"go.mod":           "module example.com/shop\n\ngo 1.26\n",
	}
	server := "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"
	tool := "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"codegen\")\n}\n"
	for _, tt := range []struct {
		name, main, lang, evFile string
	}{
		{"a main that listens", server, facts.LangGo, "cmd/shop/main.go"},
		{"a tool that listens on nothing", tool, facts.LangNode, "package.json"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"cmd/shop/main.go": tt.main}
			for k, v := range frontEnd {
				files[k] = v
			}
			det, err := detectors.Detect(detecttest.MapFS(files), nil)
			if err != nil {
				t.Fatal(err)
			}
			if det.Language != tt.lang || det.Evidence["language"].File != tt.evFile {
				t.Errorf("language %q from %v, want %q from %s", det.Language, det.Evidence["language"], tt.lang, tt.evFile)
			}
		})
	}
}
