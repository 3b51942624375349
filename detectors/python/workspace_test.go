package python

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// pyUVWorkspace is a uv workspace with a virtual root: packages/api (a
// FastAPI app in a src layout that depends on packages/core), packages/core
// (a library) and tools/report (a worker); extra files are added or
// replaced.
func pyUVWorkspace(extra map[string]string) map[string]string {
	build := "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n"
	files := map[string]string{
		"pyproject.toml":                          "[tool.uv.workspace]\nmembers = [\"tools/*\", \"packages/*\"]\nexclude = [\"packages/legacy\"]\n",
		".python-version":                         "3.13\n",
		"packages/api/pyproject.toml":             "[project]\nname = \"shop-api\"\nrequires-python = \">=3.12\"\ndependencies = [\"fastapi\", \"uvicorn\", \"shop-core\"]\n[tool.uv.sources]\nshop-core = { workspace = true }\n" + build,
		"packages/api/src/shop_api/__init__.py":   "",
		"packages/api/src/shop_api/main.py":       "from fastapi import FastAPI\nfrom shop_core import total\n\napp = FastAPI()\n\n@app.get('/health')\ndef health():\n    return {'ok': True}\n",
		"packages/core/pyproject.toml":            "[project]\nname = \"shop-core\"\ndependencies = [\"pydantic\"]\n" + build,
		"packages/core/src/shop_core/__init__.py": "def total(xs):\n    return sum(xs)\n",
		"packages/legacy/pyproject.toml":          "[project]\nname = \"legacy\"\ndependencies = [\"flask\"]\n",
		"tools/report/pyproject.toml":             "[project]\nname = \"report\"\ndependencies = [\"shop-core\"]\n",
		"tools/report/report.py":                  "if __name__ == '__main__':\n    print('report')\n",
		"uv.lock": `version = 1
requires-python = ">=3.12"

[manifest]
members = ["report", "shop-api", "shop-core"]

[[package]]
name = "shop-api"
version = "0.1.0"
source = { editable = "packages/api" }
dependencies = [
    { name = "fastapi" },
    { name = "shop-core" },
    { name = "uvicorn" },
]

[[package]]
name = "shop-core"
version = "0.1.0"
source = { editable = "packages/core" }
dependencies = [{ name = "pydantic" }]

[[package]]
name = "report"
version = "0.1.0"
source = { virtual = "tools/report" }
dependencies = [{ name = "shop-core" }, { name = "rich" }]

[[package]]
name = "fastapi"
version = "0.115.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "starlette" }]

[[package]]
name = "starlette"
version = "0.40.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "uvicorn"
version = "0.30.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pydantic"
version = "2.9.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "rich"
version = "13.0.0"
source = { registry = "https://pypi.org/simple" }
`,
	}
	for k, v := range extra {
		if v == "" && strings.HasSuffix(k, "/") {
			for f := range files {
				if strings.HasPrefix(f, k) {
					delete(files, f)
				}
			}
			continue
		}
		files[k] = v
	}
	return files
}

// TestPythonUVWorkspaceMember: the member that is the only web app is the
// safe default; chosen, it is detected in its own folder, its evidence
// named from the root, and its dependencies walked from its uv.lock entry.
func TestPythonUVWorkspaceMember(t *testing.T) {
	det := pyDetect(t, pyUVWorkspace(nil), nil)
	if det.Start != nil || len(det.Choices) != 1 {
		t.Fatalf("without an answer: Start %q, choices %+v; want one open choice", det.Start, det.Choices)
	}
	c := det.Choices[0]
	if c.Key != "app" || c.Flag != "--app" || c.Default != "packages/api" || !c.Safe || len(c.Options) != 1 {
		t.Errorf("choice = %+v, want a safe default packages/api, the only web member", c)
	}

	for _, answer := range []string{"packages/api", "./packages/api/", "shop-api", "shop_api"} {
		det = pyDetect(t, pyUVWorkspace(nil), facts.Answers{"app": answer})
		pf := det.Python
		if pf.Member != "packages/api" || pf.MemberPackage != "shop-api" || !pf.UVWorkspace {
			t.Errorf("app %s: Member %q MemberPackage %q UVWorkspace %v", answer, pf.Member, pf.MemberPackage, pf.UVWorkspace)
		}
	}
	pf := det.Python
	want := []string{"uvicorn", "shop_api.main:app", "--app-dir", "src", "--host", "0.0.0.0", "--port", "8000"}
	if !reflect.DeepEqual(det.Start, want) {
		t.Errorf("Start = %q, want %q", det.Start, want)
	}
	detecttest.WantCited(t, det, "start", "packages/api/src/shop_api/main.py", 4, "FastAPI(")
	detecttest.WantCited(t, det, "healthPath", "packages/api/src/shop_api/main.py", 0, "/health")
	detecttest.WantCited(t, det, "app", "packages/api/pyproject.toml", 0, "shop-api")
	wantManifests := []string{"pyproject.toml", "uv.lock", "packages/api/pyproject.toml", "packages/core/pyproject.toml", "tools/report/pyproject.toml"}
	if !reflect.DeepEqual(pf.Manifests, wantManifests) {
		t.Errorf("Manifests = %q, want %q (packages/legacy is excluded)", pf.Manifests, wantManifests)
	}
	wantDeps := []string{"fastapi", "pydantic", "shop-core", "starlette", "uvicorn"}
	if !reflect.DeepEqual(pf.Dependencies, wantDeps) {
		t.Errorf("Dependencies = %q, want %q (not report's rich)", pf.Dependencies, wantDeps)
	}
	if !pf.Installable || det.LanguageVersion != "3.13" || det.Framework != "fastapi" {
		t.Errorf("Installable %v version %q framework %q", pf.Installable, det.LanguageVersion, det.Framework)
	}
}

// TestPythonUVWorkspaceChoices: several web members make an open question;
// an answer that is no member is an error naming the members; a root
// project with library members is built without a question.
func TestPythonUVWorkspaceChoices(t *testing.T) {
	files := pyUVWorkspace(map[string]string{"tools/report/pyproject.toml": "[project]\nname = \"report\"\ndependencies = [\"streamlit\"]\n"})
	det := pyDetect(t, files, nil)
	if len(det.Choices) != 1 || det.Choices[0].Safe || len(det.Choices[0].Options) != 2 {
		t.Fatalf("choices = %+v, want one open choice between two web members", det.Choices)
	}
	var vals []string
	for _, o := range det.Choices[0].Options {
		vals = append(vals, o.Value)
	}
	if !reflect.DeepEqual(vals, []string{"packages/api", "tools/report"}) {
		t.Errorf("options = %q", vals)
	}

	_, err := Detector{}.Detect(detecttest.MapFS(files), facts.Answers{"app": "packages/legacy"})
	if err == nil || !strings.Contains(err.Error(), "packages/api, packages/core, tools/report") {
		t.Errorf("answer outside the workspace: err = %v", err)
	}
	_, err = Detector{}.Detect(detecttest.MapFS(map[string]string{"requirements.txt": "flask\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"}), facts.Answers{"app": "web"})
	if err == nil || !strings.Contains(err.Error(), "no uv workspace") {
		t.Errorf("answer without a workspace: err = %v", err)
	}

	root := pyUVWorkspace(map[string]string{
		"packages/api/":    "",
		"pyproject.toml":   "[project]\nname = \"shop\"\ndependencies = [\"shop-core\", \"typer\"]\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\nexclude = [\"packages/legacy\"]\n[tool.uv.sources]\nshop-core = { workspace = true }\n",
		"shop/__main__.py": "print('shop')\n",
		"shop/__init__.py": "",
	})
	det = pyDetect(t, root, nil)
	if len(det.Choices) != 0 || det.Python.Member != "" || !det.Python.UVWorkspace {
		t.Errorf("root project: choices %+v Member %q UVWorkspace %v", det.Choices, det.Python.Member, det.Python.UVWorkspace)
	}
	if !reflect.DeepEqual(det.Start, []string{"python", "-m", "shop"}) || !detecttest.HasNote(det, "the root project is built") {
		t.Errorf("root project: Start %q notes %q", det.Start, det.Notes)
	}
}

// TestPythonUVWorkspaceDjangoMember: a Django member keeps manage.py and
// its catalogs relative to its folder, where the build steps run, while
// the folders kept out of the build context are named from the root.
func TestPythonUVWorkspaceDjangoMember(t *testing.T) {
	files := pyUVWorkspace(map[string]string{
		"packages/api/":                                 "",
		"packages/site/pyproject.toml":                  "[project]\nname = \"site\"\ndependencies = [\"django\", \"gunicorn\", \"shop-core\"]\n",
		"packages/site/manage.py":                       "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
		"packages/site/site1/__init__.py":               "",
		"packages/site/site1/wsgi.py":                   "application = None\n",
		"packages/site/site1/settings.py":               "WSGI_APPLICATION = 'site1.wsgi.application'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n",
		"packages/site/locale/fr/LC_MESSAGES/django.po": "",
	})
	det := pyDetect(t, files, facts.Answers{"app": "packages/site"})
	pf := det.Python
	if pf.ManagePy != "manage.py" || pf.StaticRoot != "packages/site/staticfiles" || !slices.Contains(pf.IgnoreDirs, "packages/site/staticfiles") {
		t.Errorf("ManagePy %q StaticRoot %q IgnoreDirs %q", pf.ManagePy, pf.StaticRoot, pf.IgnoreDirs)
	}
	if pf.Translations != "django" || len(pf.Catalogs) != 1 || pf.Catalogs[0].Dir != "locale" {
		t.Errorf("Translations %q Catalogs %+v", pf.Translations, pf.Catalogs)
	}
	if !reflect.DeepEqual(det.Start, []string{"gunicorn", "--bind", "0.0.0.0:8000", "site1.wsgi:application"}) {
		t.Errorf("Start = %q", det.Start)
	}
	detecttest.WantCited(t, det, "djangoSettings", "packages/site/manage.py", 2, "site1.settings")
	detecttest.WantCited(t, det, "translations", "packages/site/locale/fr/LC_MESSAGES/django.po", 0, "")
}

func TestDeclaresMember(t *testing.T) {
	fsys := detecttest.MapFS(pyUVWorkspace(nil))
	for _, tt := range []struct {
		app  string
		want bool
	}{
		{"packages/api", true}, {"tools/report", true}, {"packages/legacy", false},
		{"packages/api/src", false}, {".", false}, {"../x", false}, {"packages/missing", false},
	} {
		if got := DeclaresMember(fsys, tt.app); got != tt.want {
			t.Errorf("DeclaresMember(%q) = %v, want %v", tt.app, got, tt.want)
		}
	}
	if DeclaresMember(detecttest.MapFS(map[string]string{"pyproject.toml": "[project]\nname = \"x\"\n", "uv.lock": "", "a/pyproject.toml": ""}), "a") {
		t.Error("a pyproject.toml without [tool.uv.workspace] declares a member")
	}
	noLock := pyUVWorkspace(nil)
	delete(noLock, "uv.lock")
	if DeclaresMember(detecttest.MapFS(noLock), "packages/api") {
		t.Error("a workspace without uv.lock, which dgen does not build as one, declares a member")
	}
}

// TestPythonUVWorkspaceVersion: a virtual workspace root states no
// requires-python; the member's comes first, then uv.lock's, which every
// member allows.
func TestPythonUVWorkspaceVersion(t *testing.T) {
	files := pyUVWorkspace(map[string]string{".python-version": "# none\n"})
	det := pyDetect(t, files, facts.Answers{"app": "packages/api"})
	detecttest.WantCited(t, det, "languageVersion", "packages/api/pyproject.toml", 3, ">=3.12")

	files["packages/api/pyproject.toml"] = strings.Replace(files["packages/api/pyproject.toml"], "requires-python = \">=3.12\"\n", "", 1)
	files["uv.lock"] = strings.Replace(files["uv.lock"], ">=3.12", ">=3.11,<3.13", 1)
	det = pyDetect(t, files, facts.Answers{"app": "packages/api"})
	detecttest.WantCited(t, det, "languageVersion", "uv.lock", 2, ">=3.11,<3.13")
	if det.LanguageVersion != "3.12" {
		t.Errorf("LanguageVersion = %q, want 3.12 from uv.lock's range", det.LanguageVersion)
	}
}
