package detectors_test

import (
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors"
	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestPythonRegistryPicksPython(t *testing.T) {
	// A Django app with a package.json for its assets is a Python app.
	files := map[string]string{
		"manage.py":         "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n" + strings.Repeat("# code\n", 200),
		"site1/settings.py": "WSGI_APPLICATION = 'site1.wsgi.application'\n" + strings.Repeat("X = 1\n", 200),
		"requirements.txt":  "django\n",
		"package.json":      `{"scripts": {"build": "esbuild a.js --outdir=static/dist"}}`,
		"a.js":              "console.log(1)\n",
	}
	det, err := detectors.Detect(detecttest.MapFS(files), nil)
	if err != nil {
		t.Fatal(err)
	}
	if det.Language != facts.LangPython || det.Framework != "django" || det.Python.AssetsOutput != "static/dist" {
		t.Errorf("language %q framework %q assets %q", det.Language, det.Framework, det.Python.AssetsOutput)
	}
}
