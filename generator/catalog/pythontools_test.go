package catalog

import (
	"slices"
	"testing"
)

// requiresPython is each pinned release's requires-python lower bound as
// published upstream (the tag's pyproject.toml or setup.py; uv's support
// policy), kept apart from the table so that a pin edited in one place
// and not the other fails.
var requiresPython = map[string]string{
	"uv " + UVVersion:         "3.6",
	"poetry " + PoetryVersion: "3.10",
	"poetry 2.2.1":            "3.9",
	"poetry 1.8.5":            "3.8",
	"poetry 1.5.1":            "3.7",
	"pdm " + PDMVersion:       "3.9",
	"pdm 2.20.1":              "3.8",
	"pdm 2.10.4":              "3.7",
	"pipenv " + PipenvVersion: "3.10",
	"pipenv 2025.0.4":         "3.9",
	"pipenv 2024.4.1":         "3.8",
	"pipenv 2023.10.3":        "3.7",
	"pipenv 2022.4.8":         "3.6",
}

// TestPythonToolPinsFitEveryPython walks every Python dgen writes images
// for, and the older 3.6 and 3.7 it still honours when pinned, and checks
// that the chosen release of each tool installs on it.
func TestPythonToolPinsFitEveryPython(t *testing.T) {
	pythons := append(slices.Clone(PythonVersions), "3.7", "3.6")
	for _, tool := range []string{"uv", "poetry", "pdm", "pipenv"} {
		for _, py := range pythons {
			v, ok := PythonToolVersion(tool, py)
			if !ok {
				if tool == "uv" || !PythonMinorBefore(py, "3.8") {
					t.Errorf("%s: no release for Python %s", tool, py)
				}
				continue
			}
			min, known := requiresPython[tool+" "+v]
			if !known {
				t.Errorf("%s %s (for Python %s): its requires-python is not recorded in this test", tool, v, py)
				continue
			}
			if PythonMinorBefore(py, min) {
				t.Errorf("%s %s requires Python >= %s, chosen for Python %s", tool, v, min, py)
			}
		}
	}
}

func TestPythonToolPinsOrder(t *testing.T) {
	defaults := map[string]string{"uv": UVVersion, "poetry": PoetryVersion, "pdm": PDMVersion, "pipenv": PipenvVersion}
	for tool, def := range defaults {
		pins := PythonToolPins(tool)
		if len(pins) == 0 || pins[0].Version != def {
			t.Errorf("%s: the first pin is %v, want the default %s", tool, pins, def)
			continue
		}
		for i := 1; i < len(pins); i++ {
			// Each row serves the Pythons the row above no longer does.
			if !PythonMinorBefore(pins[i].MinPython, pins[i-1].MinPython) {
				t.Errorf("%s: %s (>= %s) is not for an older Python than %s (>= %s)", tool, pins[i].Version, pins[i].MinPython, pins[i-1].Version, pins[i-1].MinPython)
			}
		}
	}
	if v, _ := PythonToolVersion("pipenv", "3.6.15"); v != "2022.4.8" {
		t.Errorf("pipenv for 3.6.15 = %s, want 2022.4.8 (2022.4.20 dropped 3.6)", v)
	}
	if _, ok := PythonToolVersion("pdm", "3.6"); ok {
		t.Error("pdm has a release for Python 3.6; none of its releases supports it")
	}
	if !PythonMinorBefore("3.9", "3.10") || PythonMinorBefore("3.10", "3.9") || PythonMinorBefore("3.9.18", "3.9") {
		t.Error("PythonMinorBefore compares minors as numbers, ignoring the patch")
	}
}
