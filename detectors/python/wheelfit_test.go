package python

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// uvLockPkg writes one uv.lock [[package]] with an sdist (unless sdist is
// false) and wheels for the given tags ("cp312-cp312-manylinux_2_17_x86_64").
func uvLockPkg(name, version string, sdist bool, tags []string, extra string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[[package]]\nname = %q\nversion = %q\nsource = { registry = \"https://pypi.org/simple\" }\n%s", name, version, extra)
	file := strings.ReplaceAll(name, "-", "_") + "-" + version
	if sdist {
		fmt.Fprintf(&b, "sdist = { url = \"https://files.pythonhosted.org/packages/aa/%s.tar.gz\", hash = \"sha256:00\" }\n", file)
	}
	if len(tags) > 0 {
		b.WriteString("wheels = [\n")
		for _, tag := range tags {
			fmt.Fprintf(&b, "    { url = \"https://files.pythonhosted.org/packages/bb/%s-%s.whl\", hash = \"sha256:00\" },\n", file, tag)
		}
		b.WriteString("]\n")
	}
	return b.String() + "\n"
}

// cpTags gives a cpXY-cpXY manylinux x86_64 tag for each minor lo..hi.
func cpTags(lo, hi int) []string {
	var out []string
	for m := lo; m <= hi; m++ {
		out = append(out, fmt.Sprintf("cp3%d-cp3%d-manylinux_2_17_x86_64.manylinux2014_x86_64", m, m))
	}
	return out
}

// uvProject is a uv project depending on deps, with its uv.lock root
// package and the locked packages after it.
func uvProject(requiresPython string, deps []string, pkgs ...string) map[string]string {
	var quoted, edges []string
	for _, d := range deps {
		quoted = append(quoted, fmt.Sprintf("%q", d))
		edges = append(edges, fmt.Sprintf("{ name = %q }", d))
	}
	pyproject := fmt.Sprintf("[project]\nname = \"app\"\nversion = \"0.1.0\"\nrequires-python = %q\ndependencies = [%s]\n", requiresPython, strings.Join(quoted, ", "))
	lock := fmt.Sprintf("version = 1\nrevision = 3\nrequires-python = %q\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { virtual = \".\" }\ndependencies = [%s]\n\n", requiresPython, strings.Join(edges, ", "))
	return map[string]string{"pyproject.toml": pyproject, "uv.lock": lock + strings.Join(pkgs, ""), "main.py": "print('hi')\n"}
}

func TestPythonWheelsNarrowRange(t *testing.T) {
	files := uvProject(">=3.10", []string{"numpy", "requests"},
		uvLockPkg("numpy", "1.26.4", true, cpTags(9, 12), ""),
		uvLockPkg("requests", "2.32.3", true, []string{"py3-none-any"}, ""),
	)
	det := pyDetect(t, files, nil)
	if det.LanguageVersion != "3.12" {
		t.Fatalf("languageVersion = %q, want 3.12 (notes %q)", det.LanguageVersion, det.Notes)
	}
	// Line 12 is numpy's [[package]] entry, not the root's dependency on it.
	if got := strings.Split(files["uv.lock"], "\n")[11]; got != `name = "numpy"` {
		t.Fatalf("fixture line 12 is %q", got)
	}
	detecttest.WantCited(t, det, "languageVersion", "uv.lock", 12, "numpy 1.26.4 has wheels for cp39–cp312 only")
	if !detecttest.HasNote(det, "uv.lock: numpy 1.26.4 has wheels for cp39–cp312 only, so Python 3.12 is the newest minor that pyproject.toml (requires-python = \">=3.10\") allows") {
		t.Errorf("no note on the narrowed range: %q", det.Notes)
	}
	if len(det.Python.BuildPackages) != 0 {
		t.Errorf("build packages %q, want none: every package has a wheel for 3.12", det.Python.BuildPackages)
	}
}

func TestPythonWheelsCoveredKeepsNewest(t *testing.T) {
	tests := []struct {
		name string
		pkgs []string
	}{
		{"pure wheels", []string{
			uvLockPkg("requests", "2.32.3", true, []string{"py3-none-any"}, ""),
			uvLockPkg("six", "1.17.0", true, []string{"py2.py3-none-any"}, ""),
		}},
		{"abi3 wheel", []string{
			uvLockPkg("cryptography", "44.0.0", true, []string{"cp39-abi3-manylinux_2_28_x86_64", "cp39-abi3-win_amd64"}, ""),
		}},
		{"wheels up to 3.14", []string{uvLockPkg("numpy", "2.3.4", true, cpTags(11, 14), "")}},
		{"Windows-only package without an sdist", []string{
			uvLockPkg("pywin32", "311", false, []string{"cp312-cp312-win_amd64", "cp313-cp313-win_amd64"}, ""),
		}},
		{"musllinux wheels only for old minors do not count", []string{
			uvLockPkg("numpy", "2.3.4", true, append(cpTags(11, 14), "cp39-cp39-musllinux_1_2_x86_64"), ""),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var deps []string
			for _, p := range tt.pkgs {
				deps = append(deps, strings.Trim(strings.SplitN(strings.SplitN(p, "\n", 3)[1], " = ", 2)[1], `"`))
			}
			det := pyDetect(t, uvProject(">=3.9", deps, tt.pkgs...), nil)
			if det.LanguageVersion != "3.14" {
				t.Errorf("languageVersion = %q, want 3.14", det.LanguageVersion)
			}
			detecttest.WantCited(t, det, "languageVersion", "pyproject.toml", 0, `requires-python = ">=3.9"`)
			if len(det.Python.BuildPackages) != 0 || detecttest.HasNote(det, "built from source") || detecttest.HasNote(det, "wheels for") {
				t.Errorf("build packages %q, notes %q; want neither", det.Python.BuildPackages, det.Notes)
			}
		})
	}
}

func TestPythonWheelsSdistOnly(t *testing.T) {
	files := uvProject(">=3.11", []string{"legacy-ext", "other-ext"},
		uvLockPkg("legacy-ext", "0.3.1", true, nil, ""),
		uvLockPkg("other-ext", "1.2", true, nil, ""),
	)
	det := pyDetect(t, files, nil)
	if det.LanguageVersion != "3.14" {
		t.Errorf("languageVersion = %q, want 3.14: an sdist builds on every minor alike", det.LanguageVersion)
	}
	for _, want := range []string{"gcc", "g++", "libc6-dev"} {
		if !slices.Contains(det.Python.BuildPackages, want) {
			t.Errorf("build packages %q lack %s", det.Python.BuildPackages, want)
		}
	}
	if !detecttest.HasNote(det, "uv.lock: legacy-ext 0.3.1 (sdist only), other-ext 1.2 (sdist only) are built from source for Python 3.14: g++ gcc libc6-dev in the build stage only") {
		t.Errorf("no source-build note: %q", det.Notes)
	}
}

func TestPythonWheelsNoMinorCovered(t *testing.T) {
	// 3.14 and 3.13 miss two packages' wheels, 3.12 misses one.
	files := uvProject(">=3.10", []string{"alpha", "beta", "gamma"},
		uvLockPkg("alpha", "1.0", true, cpTags(10, 12), ""),
		uvLockPkg("beta", "2.0", true, cpTags(13, 14), ""),
		uvLockPkg("gamma", "3.0", true, cpTags(10, 12), ""),
	)
	det := pyDetect(t, files, nil)
	if det.LanguageVersion != "3.12" {
		t.Fatalf("languageVersion = %q, want 3.12 (notes %q)", det.LanguageVersion, det.Notes)
	}
	detecttest.WantCited(t, det, "languageVersion", "uv.lock", 0, "alpha 1.0 has wheels for cp310–cp312 only")
	if !detecttest.HasNote(det, "no minor that pyproject.toml (requires-python = \">=3.10\") allows has a wheel of every compiled package, so Python 3.12") ||
		!detecttest.HasNote(det, "beta 2.0 has wheels for cp313–cp314 only") {
		t.Errorf("no note on the partial coverage: %q", det.Notes)
	}
	if !detecttest.HasNote(det, "uv.lock: beta 2.0 (wheels for cp313–cp314 only) is built from source for Python 3.12: g++ gcc libc6-dev in the build stage only") {
		t.Errorf("no source-build note: %q", det.Notes)
	}
	if !slices.Contains(det.Python.BuildPackages, "gcc") || !slices.Contains(det.Python.BuildPackages, "libc6-dev") {
		t.Errorf("build packages %q lack the compilers", det.Python.BuildPackages)
	}
}

func TestPythonWheelsExactPinKept(t *testing.T) {
	files := uvProject(">=3.10", []string{"numpy"}, uvLockPkg("numpy", "1.26.4", true, cpTags(9, 12), ""))
	files[".python-version"] = "3.13\n"
	det := pyDetect(t, files, nil)
	if det.LanguageVersion != "3.13" {
		t.Fatalf("languageVersion = %q, want the pinned 3.13", det.LanguageVersion)
	}
	detecttest.WantCited(t, det, "languageVersion", ".python-version", 1, "3.13")
	if !detecttest.HasNote(det, "numpy 1.26.4 (wheels for cp39–cp312 only) is built from source for Python 3.13") {
		t.Errorf("no source-build note: %q", det.Notes)
	}
	if !slices.Contains(det.Python.BuildPackages, "gcc") {
		t.Errorf("build packages %q lack gcc", det.Python.BuildPackages)
	}
}

func TestPythonWheelsMarkers(t *testing.T) {
	// backports-zoneinfo is only installed below 3.9; numpy is forked by
	// uv: 2.0.2 below 3.10, 2.3.4 from 3.10 on.
	files := uvProject(">=3.8", []string{"backports-zoneinfo", "numpy"},
		uvLockPkg("backports-zoneinfo", "0.2.1", true, cpTags(6, 8), ""),
		uvLockPkg("numpy", "2.0.2", true, cpTags(9, 9), "resolution-markers = [\"python_full_version < '3.10'\"]\n"),
		uvLockPkg("numpy", "2.3.4", true, cpTags(11, 14), "resolution-markers = [\"python_full_version >= '3.10'\"]\n"),
	)
	files["uv.lock"] = strings.Replace(files["uv.lock"], `{ name = "backports-zoneinfo" }`, `{ name = "backports-zoneinfo", marker = "python_full_version < '3.9'" }`, 1)
	det := pyDetect(t, files, nil)
	if det.LanguageVersion != "3.14" {
		t.Errorf("languageVersion = %q, want 3.14 (notes %q)", det.LanguageVersion, det.Notes)
	}
	if len(det.Python.BuildPackages) != 0 {
		t.Errorf("build packages %q, want none", det.Python.BuildPackages)
	}
}

func TestPythonWheelsDevOnlyIgnored(t *testing.T) {
	files := uvProject(">=3.10", []string{"requests"},
		uvLockPkg("requests", "2.32.3", true, []string{"py3-none-any"}, ""),
		uvLockPkg("old-linter", "0.1", true, cpTags(10, 11), ""),
	)
	files["uv.lock"] = strings.Replace(files["uv.lock"], "dependencies = [{ name = \"requests\" }]\n", "dependencies = [{ name = \"requests\" }]\n\n[package.dev-dependencies]\ndev = [{ name = \"old-linter\" }]\n", 1)
	det := pyDetect(t, files, nil)
	if det.LanguageVersion != "3.14" {
		t.Errorf("languageVersion = %q, want 3.14: a dev dependency is not installed (notes %q)", det.LanguageVersion, det.Notes)
	}
}

const poetryPyproject = `[project]
name = "app"
version = "0.1.0"
requires-python = "^3.9"
dependencies = ["numpy", "cryptography", "tomli"]

[project.optional-dependencies]
arrow = ["pyarrow"]

[build-system]
requires = ["poetry-core>=2.0.0"]
build-backend = "poetry.core.masonry.api"
`

func TestPythonWheelsPoetryLock(t *testing.T) {
	lock := `[[package]]
name = "cryptography"
version = "44.0.0"
optional = false
python-versions = ">=3.7"
groups = ["main"]
files = [
    {file = "cryptography-44.0.0-cp37-abi3-manylinux_2_28_x86_64.whl", hash = "sha256:00"},
    {file = "cryptography-44.0.0.tar.gz", hash = "sha256:00"},
]

[[package]]
name = "numpy"
version = "1.26.4"
optional = false
python-versions = ">=3.9"
groups = ["main"]
files = [
    {file = "numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:00"},
    {file = "numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:00"},
    {file = "numpy-1.26.4-cp313-cp313-win_amd64.whl", hash = "sha256:00"},
    {file = "numpy-1.26.4.tar.gz", hash = "sha256:00"},
]

[[package]]
name = "pyarrow"
version = "14.0.0"
optional = true
python-versions = ">=3.8"
groups = ["main"]
files = [
    {file = "pyarrow-14.0.0-cp39-cp39-manylinux_2_17_x86_64.whl", hash = "sha256:00"},
]

[[package]]
name = "tomli"
version = "2.0.2"
optional = false
python-versions = ">=3.8"
groups = ["main"]
markers = "python_version < \"3.11\""
files = [
    {file = "tomli-2.0.2-cp38-cp38-manylinux_2_17_x86_64.whl", hash = "sha256:00"},
    {file = "tomli-2.0.2.tar.gz", hash = "sha256:00"},
]

[metadata]
lock-version = "2.1"
python-versions = "^3.9"
content-hash = "00"
`
	det := pyDetect(t, map[string]string{"pyproject.toml": poetryPyproject, "poetry.lock": lock, "main.py": ""}, nil)
	if det.PackageManager != "poetry" || det.LanguageVersion != "3.12" {
		t.Fatalf("manager %q languageVersion %q, want poetry 3.12 (notes %q)", det.PackageManager, det.LanguageVersion, det.Notes)
	}
	detecttest.WantCited(t, det, "languageVersion", "poetry.lock", 13, "numpy 1.26.4 has wheels for cp311–cp312 only")
	if len(det.Python.BuildPackages) != 0 || detecttest.HasNote(det, "pyarrow") {
		t.Errorf("the optional pyarrow counted: build packages %q, notes %q", det.Python.BuildPackages, det.Notes)
	}
}

func TestPythonWheelsOldPoetryMetadataFiles(t *testing.T) {
	lock := `[[package]]
name = "numpy"
version = "1.24.4"
category = "main"
optional = false
python-versions = ">=3.8"

[metadata]
lock-version = "1.1"
python-versions = "^3.8"
content-hash = "00"

[metadata.files]
numpy = [
    {file = "numpy-1.24.4-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:00"},
    {file = "numpy-1.24.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:00"},
    {file = "numpy-1.24.4.tar.gz", hash = "sha256:00"},
]
`
	pyproject := "[tool.poetry]\nname = \"app\"\nversion = \"0.1.0\"\n\n[tool.poetry.dependencies]\npython = \"^3.8\"\nnumpy = \"^1.24\"\n"
	det := pyDetect(t, map[string]string{"pyproject.toml": pyproject, "poetry.lock": lock, "main.py": ""}, nil)
	if det.LanguageVersion != "3.11" {
		t.Fatalf("languageVersion = %q, want 3.11 (notes %q)", det.LanguageVersion, det.Notes)
	}
	detecttest.WantCited(t, det, "languageVersion", "poetry.lock", 0, "numpy 1.24.4 has wheels for cp310–cp311 only")
}

func TestPythonWheelsPDMLock(t *testing.T) {
	lock := `[metadata]
groups = ["default"]
strategy = ["inherit_metadata"]
lock_version = "4.5.0"

[[package]]
name = "pydantic-core"
version = "2.27.2"
requires_python = ">=3.8"
groups = ["default"]
files = [
    {file = "pydantic_core-2.27.2-cp310-cp310-manylinux_2_17_aarch64.manylinux2014_aarch64.whl", hash = "sha256:00"},
    {file = "pydantic_core-2.27.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:00"},
    {file = "pydantic_core-2.27.2-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:00"},
    {file = "pydantic_core-2.27.2-cp313-cp313-musllinux_1_1_x86_64.whl", hash = "sha256:00"},
    {file = "pydantic_core-2.27.2.tar.gz", hash = "sha256:00"},
]
`
	pyproject := "[project]\nname = \"app\"\nversion = \"0.1.0\"\nrequires-python = \">=3.9,<3.14\"\ndependencies = [\"pydantic-core\"]\n"
	det := pyDetect(t, map[string]string{"pyproject.toml": pyproject, "pdm.lock": lock, "main.py": ""}, nil)
	if det.PackageManager != "pdm" || det.LanguageVersion != "3.12" {
		t.Fatalf("manager %q languageVersion %q, want pdm 3.12 (notes %q)", det.PackageManager, det.LanguageVersion, det.Notes)
	}
	detecttest.WantCited(t, det, "languageVersion", "pdm.lock", 0, "pydantic-core 2.27.2 has wheels for cp310–cp312 only")
}

func TestPyPackageLine(t *testing.T) {
	lock := []byte("[[package]]\nname = \"app\"\ndependencies = [{ name = \"numpy\" }]\n\n[[package]]\nname = \"numpy\"\nversion = \"2.0.2\"\n\n[[package]]\nname = \"numpy\"\nversion = \"2.3.4\"\n")
	for _, tt := range []struct {
		name, version string
		want          int
	}{{"numpy", "2.0.2", 6}, {"numpy", "2.3.4", 10}, {"numpy", "9.9", 6}, {"scipy", "1.0", 0}} {
		if got := pyPackageLine(lock, tt.name, tt.version); got != tt.want {
			t.Errorf("pyPackageLine(%s %s) = %d, want %d", tt.name, tt.version, got, tt.want)
		}
	}
}

func TestPyFileListDistsMarkersByGroup(t *testing.T) {
	lock := map[string]any{"package": []any{map[string]any{
		"name": "tomli", "version": "2.0.2",
		"markers": map[string]any{"main": `python_version < "3.11"`, "dev": `python_version < "3.12"`},
		"files":   []any{map[string]any{"file": "tomli-2.0.2-cp310-cp310-manylinux_2_17_x86_64.whl"}},
	}}}
	dists := pyFileListDists(lock)
	if len(dists) != 1 {
		t.Fatalf("got %d distributions", len(dists))
	}
	d := dists[0]
	if !d.wheel || !d.fits[10] || d.fits[11] {
		t.Errorf("fits %s, want cp310", d.fits.describe())
	}
	if !d.neededAt(11) || d.neededAt(12) {
		t.Errorf("neededAt 3.11 = %v, 3.12 = %v; want true, false (markers %q)", d.neededAt(11), d.neededAt(12), d.when)
	}
}

func TestPythonWheelsNoteNamesAFew(t *testing.T) {
	var names, pkgs []string
	for i := range 7 {
		n := fmt.Sprintf("ext%d", i)
		names = append(names, n)
		pkgs = append(pkgs, uvLockPkg(n, "1.0", true, cpTags(10, 12), ""))
	}
	det := pyDetect(t, uvProject(">=3.10", names, pkgs...), nil)
	if det.LanguageVersion != "3.12" {
		t.Fatalf("languageVersion = %q, want 3.12", det.LanguageVersion)
	}
	if !detecttest.HasNote(det, "ext4 1.0 has wheels for cp310–cp312 only; 2 more, so Python 3.12") || detecttest.HasNote(det, "ext5 1.0") {
		t.Errorf("the note should name five packages and count the rest: %q", det.Notes)
	}
}

func TestPythonWheelsLockEdgeMarkers(t *testing.T) {
	// Poetry 1 writes no package markers: the edge from Django says when
	// backports-zoneinfo is installed.
	poetryLock := `[[package]]
name = "backports-zoneinfo"
version = "0.2.1"
category = "main"
optional = false
python-versions = ">=3.6"

[[package]]
name = "django"
version = "4.2.16"
category = "main"
optional = false
python-versions = ">=3.8"

[package.dependencies]
asgiref = ">=3.6.0,<4"
"backports.zoneinfo" = {version = "*", markers = "python_version < \"3.9\""}
numpy = [
    {version = ">=1.26", python = ">=3.12"},
]

[[package]]
name = "numpy"
version = "2.3.4"
category = "main"
optional = false
python-versions = ">=3.11"

[metadata]
lock-version = "1.1"
python-versions = "^3.8"
content-hash = "00"

[metadata.files]
backports-zoneinfo = [
    {file = "backports.zoneinfo-0.2.1-cp38-cp38-manylinux1_x86_64.whl", hash = "sha256:00"},
    {file = "backports.zoneinfo-0.2.1.tar.gz", hash = "sha256:00"},
]
django = [
    {file = "Django-4.2.16-py3-none-any.whl", hash = "sha256:00"},
]
numpy = [
    {file = "numpy-2.3.4-cp312-cp312-manylinux_2_17_x86_64.whl", hash = "sha256:00"},
    {file = "numpy-2.3.4-cp313-cp313-manylinux_2_17_x86_64.whl", hash = "sha256:00"},
    {file = "numpy-2.3.4-cp314-cp314-manylinux_2_17_x86_64.whl", hash = "sha256:00"},
]
`
	pyproject := "[tool.poetry]\nname = \"app\"\nversion = \"0.1.0\"\n\n[tool.poetry.dependencies]\npython = \"^3.8\"\ndjango = \"^4.2\"\n"
	det := pyDetect(t, map[string]string{"pyproject.toml": pyproject, "poetry.lock": poetryLock, "main.py": ""}, nil)
	if det.LanguageVersion != "3.14" || len(det.Python.BuildPackages) != 0 {
		t.Errorf("poetry: languageVersion %q, build packages %q; want 3.14 and none (notes %q)", det.LanguageVersion, det.Python.BuildPackages, det.Notes)
	}

	pdmLock := `[metadata]
groups = ["default"]
lock_version = "4.5.0"

[[package]]
name = "django"
version = "4.2.16"
groups = ["default"]
dependencies = [
    "asgiref<4,>=3.6.0",
    "backports-zoneinfo; python_version < \"3.9\"",
]
files = [
    {file = "Django-4.2.16-py3-none-any.whl", hash = "sha256:00"},
]

[[package]]
name = "backports-zoneinfo"
version = "0.2.1"
groups = ["default"]
files = [
    {file = "backports.zoneinfo-0.2.1-cp38-cp38-manylinux1_x86_64.whl", hash = "sha256:00"},
    {file = "backports.zoneinfo-0.2.1.tar.gz", hash = "sha256:00"},
]
`
	pyproject = "[project]\nname = \"app\"\nversion = \"0.1.0\"\nrequires-python = \">=3.8\"\ndependencies = [\"django>=4.2\"]\n"
	det = pyDetect(t, map[string]string{"pyproject.toml": pyproject, "pdm.lock": pdmLock, "main.py": ""}, nil)
	if det.LanguageVersion != "3.14" || len(det.Python.BuildPackages) != 0 {
		t.Errorf("pdm: languageVersion %q, build packages %q; want 3.14 and none (notes %q)", det.LanguageVersion, det.Python.BuildPackages, det.Notes)
	}
}

func TestPyAddLockEdges(t *testing.T) {
	e := newPyEdges()
	pyAddLockEdges(e, map[string]any{
		"numpy": []any{
			map[string]any{"version": ">=2", "python": ">=3.12"},
			map[string]any{"version": "<2", "python": "<3.10", "markers": `sys_platform == "linux"`},
		},
	})
	d := &pyLockDist{name: "numpy"}
	e.apply([]*pyLockDist{d})
	for m, want := range map[int]bool{9: true, 10: false, 11: false, 12: true, 14: true} {
		if got := d.neededAt(m); got != want {
			t.Errorf("neededAt 3.%d = %v, want %v", m, got, want)
		}
	}
}
