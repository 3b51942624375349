package generator

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// pyWorkspaceFiles is a uv workspace with a virtual root: packages/api, a
// FastAPI app that depends on packages/core, a library.
func pyWorkspaceFiles() map[string]string {
	build := "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n"
	return map[string]string{
		"pyproject.toml":                          "[tool.uv.workspace]\nmembers = [\"packages/*\"]\n",
		".python-version":                         "3.13\n",
		"packages/api/pyproject.toml":             "[project]\nname = \"shop-api\"\ndependencies = [\"fastapi\", \"uvicorn\", \"shop-core\"]\n[tool.uv.sources]\nshop-core = { workspace = true }\n" + build,
		"packages/api/src/shop_api/__init__.py":   "",
		"packages/api/src/shop_api/main.py":       "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get('/healthz')\ndef healthz():\n    return {}\n",
		"packages/core/pyproject.toml":            "[project]\nname = \"shop-core\"\ndependencies = []\n" + build,
		"packages/core/src/shop_core/__init__.py": "",
		"uv.lock": "version = 1\nrequires-python = \">=3.12\"\n\n[[package]]\nname = \"shop-api\"\nversion = \"0.1.0\"\nsource = { editable = \"packages/api\" }\ndependencies = [{ name = \"fastapi\" }, { name = \"shop-core\" }, { name = \"uvicorn\" }]\n\n[[package]]\nname = \"shop-core\"\nversion = \"0.1.0\"\nsource = { editable = \"packages/core\" }\n",
	}
}

// TestPlanPythonUVWorkspaceMember: the only web member is built from the
// workspace root: the workspace manifests before the source, uv sync
// --package without the workspace's packages, then with them, and the app
// run in the member's folder.
func TestPlanPythonUVWorkspaceMember(t *testing.T) {
	for _, opts := range []Options{{}, {Answers: map[string]string{"app": "packages/api"}}} {
		p := pythonPlanFor(t, pyWorkspaceFiles(), opts)
		pp := p.Python
		if pp.Member != "packages/api" || pp.MemberPackage != "shop-api" || !pp.UVWorkspace {
			t.Errorf("Member %q MemberPackage %q UVWorkspace %v", pp.Member, pp.MemberPackage, pp.UVWorkspace)
		}
		wantCopies := []PythonCopy{{Sources: []string{"pyproject.toml", "uv.lock"}, Dest: "./"},
			{Sources: []string{"packages/api/pyproject.toml"}, Dest: "packages/api/"}, {Sources: []string{"packages/core/pyproject.toml"}, Dest: "packages/core/"}}
		if !reflect.DeepEqual(pp.ManifestCopies, wantCopies) {
			t.Errorf("ManifestCopies = %+v, want %+v", pp.ManifestCopies, wantCopies)
		}
		if p.Build != "uv sync --frozen --no-dev --no-install-workspace --package shop-api" {
			t.Errorf("Build = %q", p.Build)
		}
		df, di := pythonRender(t, p)
		build, runtime, _ := strings.Cut(df, "AS runtime")
		pythonHas(t, "build stage", build,
			"COPY pyproject.toml uv.lock ./\nCOPY packages/api/pyproject.toml packages/api/\nCOPY packages/core/pyproject.toml packages/core/\n",
			"    uv sync --frozen --no-dev --no-install-workspace --package shop-api\nCOPY . .\n",
			"    uv sync --frozen --no-dev --no-editable --package shop-api\n")
		pythonHas(t, "runtime stage", runtime, "WORKDIR /app/packages/api\n", "COPY --from=build /app /app",
			`CMD ["uvicorn","shop_api.main:app","--app-dir","src","--host","0.0.0.0","--port","8000"]`, "127.0.0.1:8000/healthz")
		pythonHas(t, ".dockerignore", di, "packages/api/.venv/")
		pythonCheck(t, p, df, di)
		pythonRunsPlan(t, p, df)
		if ev := p.Evidence["start"]; ev.File != "packages/api/src/shop_api/main.py" {
			t.Errorf("start evidence %+v, want the member's module named from the root", ev)
		}
	}
}

// TestPlanPythonUVWorkspaceQuestion: with two web members and no answer,
// the plan stops on the "app" question and names both.
func TestPlanPythonUVWorkspaceQuestion(t *testing.T) {
	files := pyWorkspaceFiles()
	files["packages/admin/pyproject.toml"] = "[project]\nname = \"admin\"\ndependencies = [\"flask\", \"gunicorn\"]\n"
	files["packages/admin/app.py"] = pyFlaskApp
	_, err := Resolve(context.Background(), mapFS(files), Options{Answers: map[string]string{"language": "python"}})
	var need *NeedAnswerError
	if !errors.As(err, &need) || !errors.Is(err, ErrNeedAnswer) {
		t.Fatalf("err = %v, want a NeedAnswerError", err)
	}
	if len(need.Plan.Questions) != 1 || need.Plan.Questions[0].Name != "app" || need.Plan.Questions[0].Flag != "--app" {
		t.Fatalf("questions = %+v", need.Plan.Questions)
	}
	var vals []string
	for _, c := range need.Plan.Questions[0].Candidates {
		vals = append(vals, c.Value)
	}
	if !reflect.DeepEqual(vals, []string{"packages/admin", "packages/api"}) {
		t.Errorf("candidates = %q", vals)
	}
	p := pythonPlanFor(t, files, Options{Answers: map[string]string{"app": "admin"}})
	df, di := pythonRender(t, p)
	pythonHas(t, "Dockerfile", df, "uv sync --frozen --no-dev --no-install-workspace --package admin", "WORKDIR /app/packages/admin\n",
		`CMD ["gunicorn","--bind","0.0.0.0:5000","app:app"]`)
	pythonCheck(t, p, df, di)
}

// TestPlanPythonUVWorkspaceRoot: a root project in a workspace whose
// members are libraries is built at the root, its first sync leaving out
// the members, whose source is not copied yet.
func TestPlanPythonUVWorkspaceRoot(t *testing.T) {
	files := pyWorkspaceFiles()
	delete(files, "packages/api/pyproject.toml")
	delete(files, "packages/api/src/shop_api/main.py")
	delete(files, "packages/api/src/shop_api/__init__.py")
	files["pyproject.toml"] = "[project]\nname = \"shop\"\ndependencies = [\"flask\", \"gunicorn\", \"shop-core\"]\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\n[tool.uv.sources]\nshop-core = { workspace = true }\n"
	files["app.py"] = pyFlaskApp
	p := pythonPlanFor(t, files, Options{})
	if p.Python.Member != "" || p.Build != "uv sync --locked --no-dev --no-install-workspace" {
		t.Errorf("Member %q Build %q", p.Python.Member, p.Build)
	}
	df, di := pythonRender(t, p)
	pythonHas(t, "Dockerfile", df, "COPY packages/core/pyproject.toml packages/core/", "uv sync --locked --no-dev --no-editable\n", "WORKDIR /app\nCOPY --from=build /opt/venv")
	pythonCheck(t, p, df, di)
}

// TestOpenRepositoryFindsTheUVWorkspace: --dir pointing at a uv workspace
// member opens the workspace root with the member as the app, as for a
// Node workspace.
func TestOpenRepositoryFindsTheUVWorkspace(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range pyWorkspaceFiles() {
		p := filepath.Join(tmp, "ws", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct{ dir, root, app string }{
		{"ws/packages/api", "ws", "packages/api"},
		{"ws/packages/api/src", "ws/packages/api/src", ""},
		{"ws", "ws", ""},
	} {
		r, err := OpenRepository(filepath.Join(tmp, tt.dir), true)
		if err != nil {
			t.Fatalf("%s: %v", tt.dir, err)
		}
		if want := filepath.Join(tmp, tt.root); r.Dir != want || r.App != tt.app {
			t.Errorf("OpenRepository(%s) = %s, app %q; want %s, app %q", tt.dir, r.Dir, r.App, want, tt.app)
		}
		r.Close()
	}
}

// TestPlanPythonPathDependencies: a Poetry path dependency is copied
// before poetry install, which builds it, and stays where the editable
// install points at run time.
func TestPlanPythonPathDependencies(t *testing.T) {
	files := map[string]string{
		"pyproject.toml":             "[tool.poetry]\nname = \"app\"\npackage-mode = false\n[tool.poetry.dependencies]\npython = \"^3.12\"\nflask = \"^3\"\ngunicorn = \"*\"\ncommon = {path = \"libs/common\", develop = true}\n",
		"poetry.lock":                "",
		"libs/common/pyproject.toml": "[project]\nname = \"common\"\n",
		"libs/common/common.py":      "",
		"app.py":                     pyFlaskApp,
	}
	p := pythonPlanFor(t, files, Options{})
	want := []PythonCopy{{Sources: []string{"pyproject.toml", "poetry.lock"}, Dest: "./"}, {Sources: []string{"libs/common/"}, Dest: "libs/common/"}}
	if !reflect.DeepEqual(p.Python.ManifestCopies, want) {
		t.Errorf("ManifestCopies = %+v, want %+v", p.Python.ManifestCopies, want)
	}
	df, di := pythonRender(t, p)
	pythonHas(t, "Dockerfile", df, "COPY pyproject.toml poetry.lock ./\nCOPY libs/common/ libs/common/\nRUN --mount=type=cache,target=/root/.cache/pypoetry \\\n    poetry install --only main --no-root --no-interaction\nCOPY . .\n")
	pythonCheck(t, p, df, di)
	pythonRunsPlan(t, p, df)
}

// TestPlanPythonUVWorkspaceDjangoMember: a Django member's build steps run
// in its folder, where manage.py and its catalogs are, and its local
// STATIC_ROOT is kept out of the build context by its path from the root.
func TestPlanPythonUVWorkspaceDjangoMember(t *testing.T) {
	files := pyWorkspaceFiles()
	for k, v := range map[string]string{
		"packages/site/pyproject.toml":                  "[project]\nname = \"site\"\ndependencies = [\"django\", \"gunicorn\", \"shop-core\"]\n",
		"packages/site/manage.py":                       "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
		"packages/site/site1/__init__.py":               "",
		"packages/site/site1/wsgi.py":                   "application = None\n",
		"packages/site/site1/settings.py":               "WSGI_APPLICATION = 'site1.wsgi.application'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\nSECRET_KEY = os.environ['SECRET_KEY']\n",
		"packages/site/locale/fr/LC_MESSAGES/django.po": "",
	} {
		files[k] = v
	}
	p := pythonPlanFor(t, files, Options{Answers: map[string]string{"app": "packages/site"}})
	df, di := pythonRender(t, p)
	build, runtime, _ := strings.Cut(df, "AS runtime")
	pythonHas(t, "build stage", build,
		"uv sync --frozen --no-dev --no-editable --package site\n# The workspace member's own build steps run in its folder.\nWORKDIR /app/packages/site\n",
		"    python manage.py compilemessages\n", "    python manage.py collectstatic --noinput\n")
	pythonHas(t, "runtime stage", runtime, "WORKDIR /app/packages/site\n", `CMD ["gunicorn","--bind","0.0.0.0:8000","site1.wsgi:application"]`)
	pythonHas(t, ".dockerignore", di, "packages/site/staticfiles/", "packages/site/.venv/")
	pythonCheck(t, p, df, di)
	pythonRunsPlan(t, p, df)
}

// A uv workspace member that writes a SQLite file by a fixed name writes
// it in its own folder, the working directory: that folder is the one
// made the user's, and the evidence names the file from the root.
func TestPlanPythonUVWorkspaceMemberWritable(t *testing.T) {
	files := pyWorkspaceFiles()
	files["packages/api/src/shop_api/main.py"] = "import sqlite3\nfrom fastapi import FastAPI\n\ndb = sqlite3.connect(\"shop.db\")\napp = FastAPI()\n\n@app.get('/healthz')\ndef healthz():\n    return {}\n"
	p := pythonPlanFor(t, files, Options{})
	if len(p.Writable) != 1 || p.Writable[0].Path != "/app/packages/api" || p.Writable[0].Evidence.File != "packages/api/src/shop_api/main.py" {
		t.Fatalf("Writable = %+v, want /app/packages/api from packages/api/src/shop_api/main.py", p.Writable)
	}
	df, di := pythonRender(t, p)
	pythonCheck(t, p, df, di)
}
