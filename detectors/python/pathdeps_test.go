package python

import (
	"reflect"
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// TestPythonPathDependencies: local path dependencies that the install
// builds are copied before it; one outside the repository is a problem,
// and development-only sources are not copied.
func TestPythonPathDependencies(t *testing.T) {
	app := "from flask import Flask\napp = Flask(__name__)\n"
	tests := []struct {
		name      string
		files     map[string]string
		paths     []string
		manifests []string
		problem   string
	}{
		{"Poetry develop path", map[string]string{
			"pyproject.toml":                 "[tool.poetry]\nname = \"app\"\npackage-mode = false\n[tool.poetry.dependencies]\npython = \"^3.12\"\nflask = \"^3\"\ncommon = {path = \"libs/common\", develop = true}\nwheel = {path = \"./dist/tool-1.0-py3-none-any.whl\"}\n",
			"poetry.lock":                    "",
			"libs/common/pyproject.toml":     "[project]\nname = \"common\"\n",
			"dist/tool-1.0-py3-none-any.whl": "",
			"app.py":                         app,
		}, []string{"libs/common"}, []string{"pyproject.toml", "poetry.lock", "dist/tool-1.0-py3-none-any.whl"}, ""},
		{"Poetry path outside the repository", map[string]string{
			"pyproject.toml": "[tool.poetry]\nname = \"app\"\n[tool.poetry.dependencies]\nflask = \"^3\"\nlib = {path = \"../lib\", develop = true}\n",
			"poetry.lock":    "",
			"app.py":         app,
		}, nil, []string{"pyproject.toml", "poetry.lock"}, "path dependency lib = {path = \"../lib\"} is outside the repository"},
		{"PDM file URL", map[string]string{
			"pyproject.toml":           "[project]\nname = \"app\"\ndependencies = [\"flask\", \"common @ file:///${PROJECT_ROOT}/packages/common\"]\n",
			"pdm.lock":                 "",
			"packages/common/setup.py": "",
			"app.py":                   app,
		}, []string{"packages/common"}, []string{"pyproject.toml", "pdm.lock"}, ""},
		{"uv path source, dev source left out", map[string]string{
			"pyproject.toml":                 "[project]\nname = \"app\"\ndependencies = [\"flask\", \"common\"]\n[dependency-groups]\ndev = [\"devtools\"]\n[tool.uv.sources]\ncommon = { path = \"vendor/common\", editable = true }\ndevtools = { path = \"vendor/devtools\" }\n",
			"uv.lock":                        "",
			"vendor/common/pyproject.toml":   "",
			"vendor/devtools/pyproject.toml": "",
			"app.py":                         app,
		}, []string{"vendor/common"}, []string{"pyproject.toml", "uv.lock"}, ""},
		{"missing path", map[string]string{
			"pyproject.toml": "[tool.poetry]\nname = \"app\"\n[tool.poetry.dependencies]\nflask = \"^3\"\nlib = {path = \"libs/gone\"}\n",
			"poetry.lock":    "",
			"app.py":         app,
		}, nil, []string{"pyproject.toml", "poetry.lock"}, "libs/gone is not in the repository"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := pyDetect(t, tt.files, nil)
			if !reflect.DeepEqual(det.Python.LocalPaths, tt.paths) {
				t.Errorf("LocalPaths = %q, want %q", det.Python.LocalPaths, tt.paths)
			}
			if !reflect.DeepEqual(det.Python.Manifests, tt.manifests) {
				t.Errorf("Manifests = %q, want %q", det.Python.Manifests, tt.manifests)
			}
			if tt.paths != nil {
				detecttest.WantCited(t, det, "localPaths", "pyproject.toml", 0, "")
			}
			if tt.problem != "" && !detecttest.HasFileProblem(det, "pyproject.toml", tt.problem) {
				t.Errorf("no problem containing %q: %v", tt.problem, det.Problems)
			}
		})
	}
}
