package python

import (
	"io/fs"
	"path"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// pyServerPrograms are the programs a Procfile web: process runs when the
// server is written in Python.
var pyServerPrograms = map[string]bool{
	"gunicorn": true, "uvicorn": true, "daphne": true, "hypercorn": true, "waitress-serve": true,
	"granian": true, "flask": true, "streamlit": true, "litestar": true, "fastapi": true, "panel": true,
}

// ServerEvidence reports where the repository shows a Python server: a
// Procfile web: process that runs a Python server or python itself,
// Django's manage.py, or a module that creates a WSGI/ASGI app object. It
// lets a Python server with a larger JavaScript front end be a Python app
// (see detectors.Detect).
func (Detector) ServerEvidence(fsys fs.FS, _ facts.Answers) (facts.Evidence, *facts.Detection, bool) {
	ev, ok := serverEvidence(fsys)
	return ev, nil, ok
}

// serverEvidence finds the Python server without running detection.
func serverEvidence(fsys fs.FS) (facts.Evidence, bool) {
	det := &facts.Detection{}
	if data, ok := pyRead(fsys, det, "Procfile"); ok && !pyBinary(data) {
		var ev facts.Evidence
		found := false
		repo.Lines(data, func(n int, l string) bool {
			name, cmd, ok := strings.Cut(strings.TrimSpace(l), ":")
			if !ok || strings.TrimSpace(name) != "web" {
				return true
			}
			argv, _, _, err := pyShellArgv(strings.TrimSpace(cmd))
			if err != nil {
				argv = strings.Fields(cmd)
			}
			for len(argv) > 0 && strings.Contains(argv[0], "=") {
				argv = argv[1:]
			}
			if len(argv) > 0 && (pyServerPrograms[path.Base(argv[0])] || strings.HasPrefix(path.Base(argv[0]), "python")) {
				ev, found = facts.Evidence{File: "Procfile", Line: n, Detail: "web: " + strings.TrimSpace(cmd)}, true
			}
			return false
		})
		if found {
			return ev, true
		}
	}
	s := &pyScan{fsys: fsys, det: det, facts: &facts.PythonFacts{}, deps: map[string]pyDep{}}
	if m := s.findManagePy(); m != "" {
		if data, err := repo.ReadPrefix(fsys, m, repo.MaxSourceSize); err == nil && strings.Contains(string(data), "django") {
			return facts.Evidence{File: m, Detail: "Django's manage.py"}, true
		}
	}
	s.src = scanPySources(fsys, det)
	for _, a := range s.apps() {
		if pyIncidentalPath(a.file.path) {
			continue
		}
		return facts.Evidence{File: a.file.path, Line: a.line, Detail: a.text}, true
	}
	return facts.Evidence{}, false
}

// pyIncidentalPath reports whether a file sits where a repository keeps
// helpers rather than its server: developer scripts and tools, mocks,
// fixtures, samples, end-to-end tests.
func pyIncidentalPath(p string) bool {
	for _, seg := range strings.Split(path.Dir(p), "/") {
		l := strings.ToLower(seg)
		if pyToolDirs[l] || strings.Contains(l, "mock") || strings.Contains(l, "fixture") || strings.Contains(l, "sample") || strings.Contains(l, "e2e") || strings.HasPrefix(l, "test") || l == "example" || l == "demo" {
			return true
		}
	}
	return false
}
