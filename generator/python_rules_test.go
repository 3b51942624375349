package generator

import (
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/generator/catalog"
)

// TestPlanPythonClientWorker: a program that only uses HTTP and websocket
// clients serves nothing, so its image has no port, EXPOSE or probe and
// runs the script with a __main__ guard.
func TestPlanPythonClientWorker(t *testing.T) {
	files := map[string]string{
		"requirements.txt":  "aiohttp\nwebsockets\n",
		"relay/__init__.py": "",
		"relay/sink.py":     "SINK = 'https://sink.example'\n",
		"relay/run.py":      "import asyncio\nimport aiohttp\nimport websockets\n\nfrom .sink import SINK\n\nasync def main():\n    async with websockets.connect('wss://feed.example') as ws, aiohttp.ClientSession() as s:\n        await s.post(SINK, data=await ws.recv())\n\nif __name__ == '__main__':\n    asyncio.run(main())\n",
	}
	p := pythonPlanFor(t, files, Options{})
	if p.Port != nil || p.Healthcheck != nil {
		t.Errorf("worker has port %v, health check %+v", p.Port, p.Healthcheck)
	}
	df, di := pythonRender(t, p)
	pythonLacks(t, "Dockerfile", df, "EXPOSE", "HEALTHCHECK", "PORT=")
	pythonHas(t, "Dockerfile", df, `CMD ["python","-m","relay.run"]`)
	pythonCheck(t, p, df, di)
}

// TestPlanPythonPortVariable: the app reads its port from APP_PORT with a
// default; the image sets APP_PORT to the EXPOSEd port, also when --port
// changes it, so the listener, EXPOSE and the probe agree.
func TestPlanPythonPortVariable(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "aiohttp\n",
		"main.py":          "import os\nfrom aiohttp import web\n\napp = web.Application()\n\nif __name__ == '__main__':\n    web.run_app(app, host=os.getenv('HOST', '127.0.0.1'), port=int(os.getenv('APP_PORT', '8081')))\n",
	}
	for _, tt := range []struct {
		opts Options
		port string
	}{{Options{}, "8081"}, {Options{Port: 9000}, "9000"}} {
		p := pythonPlanFor(t, files, tt.opts)
		df, di := pythonRender(t, p)
		pythonHas(t, "Dockerfile", df, "APP_PORT="+tt.port, "HOST=0.0.0.0", "EXPOSE "+tt.port, "127.0.0.1:"+tt.port+"/", `CMD ["python","main.py"]`)
		pythonCheck(t, p, df, di)
	}
}

// TestPlanPythonHealthPrefix: the probe asks for the route's full path,
// its router's prefixes included; an unknown prefix falls back to the
// probe that takes any HTTP answer.
func TestPlanPythonHealthPrefix(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "fastapi\nuvicorn\n",
		"main.py":          "from fastapi import FastAPI\nfrom routes import router\napp = FastAPI()\napp.include_router(router, prefix='/api/v1')\n",
		"routes.py":        "from fastapi import APIRouter\nrouter = APIRouter(prefix='/ops')\n@router.get('/health')\ndef h(): ...\n",
	}
	p := pythonPlanFor(t, files, Options{})
	df, di := pythonRender(t, p)
	pythonHas(t, "Dockerfile", df, "urlopen('http://127.0.0.1:8000/api/v1/ops/health'")
	pythonCheck(t, p, df, di)

	files["main.py"] = "import os\nfrom fastapi import FastAPI\nfrom routes import router\napp = FastAPI()\napp.include_router(router, prefix=os.environ['PREFIX'])\n"
	p = pythonPlanFor(t, files, Options{})
	df, di = pythonRender(t, p)
	pythonHas(t, "Dockerfile", df, "OpenerDirector", "o.open('http://127.0.0.1:8000/'")
	pythonLacks(t, "Dockerfile", df, "/health")
	pythonCheck(t, p, df, di)
}

// TestPlanPythonFlaskRunBecomesGunicorn: a Procfile's flask run (the
// development server) runs the same app with gunicorn when it is a
// dependency, on the port the image EXPOSEs.
func TestPlanPythonFlaskRunBecomesGunicorn(t *testing.T) {
	files := map[string]string{"requirements.txt": "flask\ngunicorn\n", "app.py": pyFlaskApp, "Procfile": "web: flask run --port 5001\n"}
	p := pythonPlanFor(t, files, Options{})
	df, di := pythonRender(t, p)
	pythonHas(t, "Dockerfile", df, `CMD ["gunicorn","--bind","0.0.0.0:5001","app:app"]`, "EXPOSE 5001", "127.0.0.1:5001/healthz")
	pythonCheck(t, p, df, di)
}

// TestPlanPythonServerRequirements: the production server sits in
// requirements-server.txt; pip installs it with requirements.txt, both
// files are copied before the install, and the server runs the app.
func TestPlanPythonServerRequirements(t *testing.T) {
	files := map[string]string{
		"requirements.txt":        "flask\n",
		"requirements-server.txt": "granian==2.5\n",
		"app.py":                  "from flask import Flask\n\napp = Flask(__name__)\n",
	}
	p := pythonPlanFor(t, files, Options{})
	if p.Build != "pip install -r requirements.txt -r requirements-server.txt" {
		t.Errorf("build = %q", p.Build)
	}
	df, di := pythonRender(t, p)
	pythonHas(t, "Dockerfile", df, "requirements-server.txt", `CMD ["granian","--interface","wsgi"`)
	pythonCheck(t, p, df, di)
}

// TestPlanPythonToolPinFitsPython: an old Python gets the newest pipenv
// (Poetry) that installs on it, with a note; a current one the default.
func TestPlanPythonToolPinFitsPython(t *testing.T) {
	for _, tt := range []struct {
		files map[string]string
		want  string
		note  bool
	}{
		{map[string]string{
			"Pipfile":      "[packages]\nflask = \"*\"\n\n[requires]\npython_version = \"3.6\"\n",
			"Pipfile.lock": `{"_meta": {"requires": {"python_version": "3.6"}}, "default": {"flask": {"version": "==1.1.4"}}}`,
			"app.py":       "from flask import Flask\napp = Flask(__name__)\n",
		}, "pipenv==2022.4.8", true},
		{map[string]string{
			"pyproject.toml": "[tool.poetry]\nname = \"x\"\nversion = \"0.1.0\"\n\n[tool.poetry.dependencies]\npython = \"~3.8\"\nflask = \"*\"\n",
			"poetry.lock":    "[metadata]\nlock-version = \"2.0\"\n",
			"app.py":         "from flask import Flask\napp = Flask(__name__)\n",
		}, "poetry==1.8.5", true},
		{map[string]string{
			"Pipfile":      "[packages]\nflask = \"*\"\n\n[requires]\npython_version = \"3.12\"\n",
			"Pipfile.lock": `{"_meta": {"requires": {"python_version": "3.12"}}, "default": {"flask": {"version": "==3.0.0"}}}`,
			"app.py":       "from flask import Flask\napp = Flask(__name__)\n",
		}, "pipenv==" + catalog.PipenvVersion, false},
	} {
		p := pythonPlanFor(t, tt.files, Options{})
		if got := strings.Join(p.Python.ToolInstall, " && "); !strings.Contains(got, tt.want) {
			t.Errorf("Python %s: tool install %q, want %s", p.LanguageVersion, got, tt.want)
		}
		noted := false
		for _, n := range p.Notes {
			noted = noted || strings.Contains(n, "the newest release that does")
		}
		if noted != tt.note {
			t.Errorf("Python %s: pin note %v, want %v: %q", p.LanguageVersion, noted, tt.note, p.Notes)
		}
	}
}

// TestPlanPythonConfiguredServerInstalled: a uwsgi.ini with no uwsgi in
// the requirements installs the pinned uwsgi with them, compiles it with
// gcc in the build stage only, and runs uwsgi --ini.
func TestPlanPythonConfiguredServerInstalled(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "flask\n",
		"uwsgi.ini":        "[uwsgi]\nmodule = app:app\nhttp-socket = :9090\nmaster = true\n",
		"app.py":           "from flask import Flask\n\napp = Flask(__name__)\n",
	}
	p := pythonPlanFor(t, files, Options{})
	if want := "pip install -r requirements.txt 'uwsgi==2.0.31'"; p.Build != want {
		t.Errorf("build = %q, want %q", p.Build, want)
	}
	if p.PortNumber() != 9090 {
		t.Errorf("port = %d, want 9090 from http-socket", p.PortNumber())
	}
	df, di := pythonRender(t, p)
	pythonHas(t, "Dockerfile", df, `CMD ["uwsgi","--ini","uwsgi.ini","--die-on-term"]`, "gcc")
	pythonCheck(t, p, df, di)
}
