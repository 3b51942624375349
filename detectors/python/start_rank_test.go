package python

import (
	"reflect"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

const pyBuildSystem = "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n"

func TestPythonScriptVersusApp(t *testing.T) {
	pyproject := func(scripts string) string {
		return "[project]\nname = \"svc\"\ndependencies = [\"fastapi\", \"uvicorn\", \"click\", \"typer\"]\n\n[project.scripts]\n" + scripts + pyBuildSystem
	}
	app := "from fastapi import FastAPI\napp = FastAPI()\n"
	tests := []struct {
		name    string
		files   map[string]string
		start   []string
		choice  []string // options of the main choice, nil for none
		safe    bool
		install bool
	}{
		{"a script that starts no server loses to the app object",
			map[string]string{"pyproject.toml": pyproject("svc = \"svc.cli:main\"\n"), "svc/__init__.py": "", "svc/main.py": app,
				"svc/cli.py": "import sys\n\ndef main():\n    print('migrating')\n    sys.exit(0)\n"},
			[]string{"uvicorn", "svc.main:app", "--host", "0.0.0.0", "--port", "8000"}, []string{"svc.main:app", "svc"}, true, false},
		{"a script that runs uvicorn is the start command",
			map[string]string{"pyproject.toml": pyproject("svc = \"svc.cli:main\"\n"), "svc/__init__.py": "", "svc/main.py": app,
				"svc/cli.py": "import uvicorn\n\ndef main():\n    uvicorn.run('svc.main:app', host='0.0.0.0', port=8081)\n"},
			[]string{"svc"}, nil, false, true},
		{"a script that serves through a helper in another module",
			map[string]string{"pyproject.toml": pyproject("svc = \"svc.cli:main\"\n"), "svc/__init__.py": "", "svc/main.py": app,
				"svc/cli.py":    "from .server import run_server\n\ndef main():\n    run_server()\n",
				"svc/server.py": "import uvicorn\n\ndef run_server():\n    uvicorn.run('svc.main:app')\n"},
			[]string{"svc"}, nil, false, true},
		{"a script that runs gunicorn in a subprocess serves",
			map[string]string{"pyproject.toml": pyproject("svc = \"svc.cli:main\"\n"), "svc/__init__.py": "", "svc/main.py": app,
				"svc/cli.py": "import subprocess\n\ndef main():\n    subprocess.run(['gunicorn', '-k', 'uvicorn.workers.UvicornWorker', 'svc.main:app'])\n"},
			[]string{"svc"}, nil, false, true},
		{"of several scripts, the one that serves",
			map[string]string{"pyproject.toml": pyproject("svc-migrate = \"svc.cli:migrate\"\nsvc-api = \"svc.cli:api\"\n"), "svc/__init__.py": "", "svc/main.py": app,
				"svc/cli.py": "import uvicorn\n\ndef migrate():\n    pass\n\ndef api():\n    uvicorn.run('svc.main:app')\n"},
			[]string{"svc-api"}, nil, false, true},
		{"click group: the serve subcommand",
			map[string]string{"pyproject.toml": pyproject("svc = \"svc.cli:cli\"\n"), "svc/__init__.py": "", "svc/main.py": app,
				"svc/cli.py": "import click\nimport uvicorn\n\n@click.group()\ndef cli():\n    pass\n\n@cli.command()\ndef migrate():\n    pass\n\n@cli.command()\n@click.option('--port', default=8000)\ndef serve(port):\n    uvicorn.run('svc.main:app', host='0.0.0.0', port=port)\n"},
			[]string{"svc", "serve", "--port", "8000"}, nil, false, true},
		{"click serve command with multi-line host and port options",
			map[string]string{"pyproject.toml": pyproject("svc = \"svc.cli:cli\"\n"), "svc/__init__.py": "", "svc/main.py": app,
				"svc/cli.py": "import click\nimport uvicorn\n\n@click.group(default='serve')\ndef cli():\n    pass\n\n@cli.command()\n@click.argument('files', nargs=-1)\n@click.option(\n    '-h',\n    '--host',\n    default='127.0.0.1',\n)\n@click.option(\n    '-p',\n    '--port',\n    default=8001,\n    type=click.IntRange(0, 65535),\n)\ndef serve(files, host, port):\n    uvicorn.run('svc.main:app', host=host, port=port)\n"},
			[]string{"svc", "serve", "--host", "0.0.0.0", "--port", "8001"}, nil, false, true},
		{"typer app: a named run command",
			map[string]string{"pyproject.toml": pyproject("svc = \"svc.cli:app\"\n"), "svc/__init__.py": "", "svc/main.py": app,
				"svc/cli.py": "import typer\nimport uvicorn\n\napp = typer.Typer()\n\n@app.command(\"run\")\ndef run_api():\n    uvicorn.run('svc.main:app')\n\n@app.command()\ndef seed():\n    pass\n"},
			[]string{"svc", "run"}, nil, false, true},
		{"argparse subparsers: the serve subcommand",
			map[string]string{"pyproject.toml": pyproject("svc = \"svc.cli:main\"\n"), "svc/__init__.py": "", "svc/main.py": app,
				"svc/cli.py": "import argparse\nimport uvicorn\n\ndef main():\n    p = argparse.ArgumentParser()\n    sub = p.add_subparsers(dest='cmd')\n    sub.add_parser('check')\n    sub.add_parser('serve')\n    a = p.parse_args()\n    if a.cmd == 'serve':\n        uvicorn.run('svc.main:app')\n"},
			[]string{"svc", "serve"}, nil, false, true},
		{"a click group without a serve command loses to the app",
			map[string]string{"pyproject.toml": pyproject("svc = \"svc.cli:cli\"\n"), "svc/__init__.py": "", "svc/main.py": app,
				"svc/cli.py": "import click\n\n@click.group()\ndef cli():\n    pass\n\n@cli.command()\ndef migrate():\n    pass\n"},
			[]string{"uvicorn", "svc.main:app", "--host", "0.0.0.0", "--port", "8000"}, []string{"svc.main:app", "svc"}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := pyDetect(t, tt.files, nil)
			if !reflect.DeepEqual(det.Start, tt.start) {
				t.Errorf("Start = %q, want %q", det.Start, tt.start)
			}
			if det.Python.InstallProject != tt.install {
				t.Errorf("InstallProject = %v, want %v", det.Python.InstallProject, tt.install)
			}
			var got []string
			for _, c := range det.Choices {
				if c.Key != "main" {
					continue
				}
				for _, o := range c.Options {
					got = append(got, o.Value)
				}
				if c.Safe != tt.safe || c.Reason == "" {
					t.Errorf("choice Safe = %v (want %v), Reason %q", c.Safe, tt.safe, c.Reason)
				}
			}
			if !reflect.DeepEqual(got, tt.choice) {
				t.Errorf("main choice options = %q, want %q", got, tt.choice)
			}
		})
	}
}

func TestPythonScriptAnswer(t *testing.T) {
	files := map[string]string{
		"pyproject.toml":  "[project]\nname = \"svc\"\ndependencies = [\"fastapi\", \"uvicorn\"]\n\n[project.scripts]\nsvc = \"svc.cli:main\"\n" + pyBuildSystem,
		"svc/__init__.py": "", "svc/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
		"svc/cli.py": "def main():\n    print('hello')\n",
	}
	det := pyDetect(t, files, facts.Answers{"main": "svc"})
	if !reflect.DeepEqual(det.Start, []string{"svc"}) || !det.Python.InstallProject {
		t.Errorf("--main svc: Start = %q, InstallProject %v", det.Start, det.Python.InstallProject)
	}
	detecttest.WantCited(t, det, "start", "pyproject.toml", 6, "--main svc")
}

func TestPythonAppTies(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "fastapi\nuvicorn\n",
		"alpha/main.py":    "from fastapi import FastAPI\napp = FastAPI()\n",
		"beta/main.py":     "from fastapi import FastAPI\napp = FastAPI()\n",
	}
	det := pyDetect(t, files, nil)
	if len(det.Choices) != 1 || det.Choices[0].Safe {
		t.Fatalf("two alike apps: choices = %+v, want one unsafe main choice", det.Choices)
	}
}

// A console script that hands over to the litestar CLI serves through its
// run command; its module lives under a source root dgen does not infer.
func TestPythonScriptRunsLitestarCLI(t *testing.T) {
	files := map[string]string{
		"pyproject.toml":         "[project]\nname = \"svc\"\ndependencies = [\"litestar[standard]\"]\n\n[project.scripts]\nsvc = \"svc.__main__:run_cli\"\n" + pyBuildSystem,
		"src/py/svc/__init__.py": "",
		"src/py/svc/__main__.py": "import os\n\ndef run_cli():\n    os.environ.setdefault('LITESTAR_APP', 'svc.asgi:create_app')\n    from litestar.cli.main import litestar_group\n    litestar_group()\n",
		"src/py/svc/asgi.py":     "from litestar import Litestar\n\ndef create_app():\n    return Litestar([])\n",
		"src/py/svc/mail.py":     "import os\nSMTP_HOST = os.getenv('EMAIL_SMTP_HOST', 'localhost')\n",
	}
	det := pyDetect(t, files, nil)
	want := []string{"svc", "run", "--host", "0.0.0.0", "--port", "8000"}
	if !reflect.DeepEqual(det.Start, want) {
		t.Errorf("Start = %q, want %q", det.Start, want)
	}
	if det.Python.PortArg == nil || det.Python.PortArg.Index != 5 {
		t.Errorf("PortArg = %+v", det.Python.PortArg)
	}
	if _, ok := det.Python.Env["EMAIL_SMTP_HOST"]; ok {
		t.Errorf("another service's host was opened: %v", det.Python.Env)
	}
}

// A console script's typer command takes --host and --port: the image
// binds 0.0.0.0 and the port default is the port, cited where it is.
func TestPythonScriptTyperOptions(t *testing.T) {
	files := map[string]string{
		"pyproject.toml":  "[project]\nname = \"svc\"\ndependencies = [\"typer\", \"uvicorn\"]\n\n[project.scripts]\nsvc = \"svc.cli:app\"\n" + pyBuildSystem,
		"svc/__init__.py": "",
		"svc/cli.py":      "import typer\nimport uvicorn\n\napp = typer.Typer()\n\n@app.command()\ndef serve(\n    host: str = '127.0.0.1',\n    port: int = typer.Option(8010, help='port'),\n):\n    uvicorn.run('svc.web:api', host=host, port=port)\n",
	}
	det := pyDetect(t, files, nil)
	want := []string{"svc", "serve", "--host", "0.0.0.0", "--port", "8010"}
	if !reflect.DeepEqual(det.Start, want) {
		t.Errorf("Start = %q, want %q", det.Start, want)
	}
	if det.Port != 8010 || det.Python.PortArg == nil || det.Python.PortArg.Index != 5 {
		t.Errorf("Port = %d, PortArg %+v", det.Port, det.Python.PortArg)
	}
	detecttest.WantCited(t, det, "port", "svc/cli.py", 9, "--port default 8010")
}

// A package below a folder that is not one imports itself from that
// folder: the server runs from there, unless the code imports itself
// through the folder.
func TestPythonPackageRoot(t *testing.T) {
	files := map[string]string{
		"requirements.txt":         "fastapi\nuvicorn\n",
		"backend/app/__init__.py":  "",
		"backend/app/core.py":      "NAME = 'x'\n",
		"backend/app/main.py":      "from fastapi import FastAPI\nfrom app.core import NAME\napp = FastAPI(title=NAME)\n",
		"backend/scripts/seed.txt": "",
	}
	det := pyDetect(t, files, nil)
	want := []string{"uvicorn", "app.main:app", "--app-dir", "backend", "--host", "0.0.0.0", "--port", "8000"}
	if !reflect.DeepEqual(det.Start, want) {
		t.Errorf("Start = %q, want %q", det.Start, want)
	}
	files["backend/app/main.py"] = "from fastapi import FastAPI\nfrom backend.app.core import NAME\napp = FastAPI(title=NAME)\n"
	det = pyDetect(t, files, nil)
	want = []string{"uvicorn", "backend.app.main:app", "--host", "0.0.0.0", "--port", "8000"}
	if !reflect.DeepEqual(det.Start, want) {
		t.Errorf("imports through the folder: Start = %q, want %q", det.Start, want)
	}
}
