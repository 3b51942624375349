package catalog

import (
	"strconv"
	"strings"
)

// PythonToolPin is one release of a Python packaging tool and the oldest
// CPython minor it installs on (its requires-python lower bound).
type PythonToolPin struct {
	Version   string
	MinPython string
	// Released is the release date, for the next review.
	Released string
}

// pythonToolPins are, per tool, newest first: the release dgen installs
// by default, then for each older Python the newest release that still
// supports it. Lower bounds were read from each tag's pyproject.toml or
// setup.py (pypa/pipenv, python-poetry/poetry, pdm-project/pdm) and uv's
// Python support policy (docs.astral.sh/uv/reference/policies/python:
// 3.6 to 3.9 are Tier 2), checked 2026-12-05. pip has no row: dgen uses the
// pip each python image ships, which fits its Python by construction.
var pythonToolPins = map[string][]PythonToolPin{
	"uv": {
		{UVVersion, "3.6", "2026-09-15"},
	},
	"poetry": {
		{PoetryVersion, "3.10", "2026-05-09"},
		{"2.2.1", "3.9", "2025-09-21"}, // 2.3.0 requires 3.10
		{"1.8.5", "3.8", "2024-12-06"}, // 2.0.0 requires 3.9
		{"1.5.1", "3.7", "2023-05-29"}, // 1.6.0 requires 3.8; 1.1 has no install --only
	},
	"pdm": {
		{PDMVersion, "3.9", "2025-10-29"},
		{"2.20.1", "3.8", "2024-11-09"}, // 2.21.0 requires 3.9
		{"2.10.4", "3.7", "2023-11-24"}, // 2.11.0 requires 3.8
	},
	"pipenv": {
		{PipenvVersion, "3.10", "2026-06-07"},
		{"2025.0.4", "3.9", "2025-07-07"},  // 2025.1.0 requires 3.10
		{"2024.4.1", "3.8", "2025-01-22"},  // 2025.0.0 requires 3.9
		{"2023.10.3", "3.7", "2023-10-03"}, // 2023.10.20 requires 3.8
		{"2022.4.8", "3.6", "2022-04-08"},  // 2022.4.20 dropped 3.6
	},
}

// PythonToolPins returns a tool's pins, newest first (a copy), or nil for
// a tool dgen does not install.
func PythonToolPins(tool string) []PythonToolPin {
	return append([]PythonToolPin(nil), pythonToolPins[tool]...)
}

// PythonToolVersion returns the newest pinned release of tool ("uv",
// "poetry", "pdm", "pipenv") that installs on Python python ("3.9",
// "3.9.18"), and false when no pinned release supports it.
func PythonToolVersion(tool, python string) (string, bool) {
	for _, p := range pythonToolPins[tool] {
		if !PythonMinorBefore(python, p.MinPython) {
			return p.Version, true
		}
	}
	return "", false
}

// PythonMinorBefore reports whether CPython version a ("3.9", "3.9.18")
// is an older minor than b.
func PythonMinorBefore(a, b string) bool {
	am, an := pythonMinor(a)
	bm, bn := pythonMinor(b)
	return am < bm || am == bm && an < bn
}

func pythonMinor(v string) (int, int) {
	parts := strings.SplitN(v, ".", 3)
	maj, _ := strconv.Atoi(parts[0])
	minor := 0
	if len(parts) > 1 {
		minor, _ = strconv.Atoi(parts[1])
	}
	return maj, minor
}

// pythonServerPins are the servers dgen installs itself when the
// repository configures one it does not list as a dependency (a
// uwsgi.ini whose project installs uWSGI in its own Dockerfile). uWSGI
// 2.0.31 was released 2025-10-11 and builds with gcc 15 (uwsgi-docs
// Changelog-2.0.31), checked 2026-12-05.
var pythonServerPins = map[string]string{
	"uwsgi": "2.0.31",
}

// PythonServerPin returns the pinned release of a server dgen may
// install without the repository listing it, and false for any other.
func PythonServerPin(server string) (string, bool) {
	v, ok := pythonServerPins[server]
	return v, ok
}
