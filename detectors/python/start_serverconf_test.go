package python

import (
	"slices"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

const pyFlaskApp = "from flask import Flask\n\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return 'ok'\n"

func TestPythonProjectServerBeatsDevServer(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		answers facts.Answers
		start   []string
		port    int
		cited   string // the file the start is cited from
		build   []string
	}{
		{
			name: "granian from requirements-server.txt, installed too",
			files: map[string]string{
				"requirements.txt":        "flask\n",
				"requirements-server.txt": "granian==2.5\n",
				"requirements-dev.txt":    "pytest\n",
				"web/__init__.py":         "",
				"web/app.py":              pyFlaskApp,
			},
			start: []string{"granian", "--interface", "wsgi", "--host", "0.0.0.0", "--port", "5000", "web.app:app"},
			cited: "web/app.py", build: []string{"gcc"}[:0],
		},
		{
			name: "uwsgi.ini in docker/ with its http-socket beats runserver",
			files: map[string]string{
				"requirements.txt":        "django\nuwsgi\n",
				"manage.py":               "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hc.settings')\nfrom django.core.management import execute_from_command_line\n",
				"hc/__init__.py":          "",
				"hc/settings.py":          "WSGI_APPLICATION = 'hc.wsgi.application'\nSECRET_KEY = 'x'\n",
				"hc/wsgi.py":              "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
				"docker/uwsgi.ini":        "[uwsgi]\nmaster\nhttp-socket = :8000\nmodule = hc.wsgi:application\n",
				"requirements-tests.txt":  "pytest\n",
				"docker/fetchstatus.py":   "",
				"static/css/base.css":     "",
				"templates/base.html":     "",
				"hc/api/__init__.py":      "",
				"hc/api/views.py":         "",
				"hc/front/__init__.py":    "",
				"hc/front/views.py":       "",
				"hc/accounts/__init__.py": "",
			},
			start: []string{"uwsgi", "--ini", "docker/uwsgi.ini", "--die-on-term"}, port: 8000, cited: "docker/uwsgi.ini",
			build: []string{"gcc", "libc6-dev"},
		},
		{
			name: "a top-level __main__ script that starts the app's server beats flask run",
			files: map[string]string{
				"requirements.txt":            "flask\neventlet\n",
				"trackerio/__init__.py":       "from trackerio.flask_app import app\n\ndef main():\n    import eventlet\n    from eventlet import wsgi\n    wsgi.server(eventlet.listen(('0.0.0.0', 5000)), app)\n",
				"trackerio/flask_app.py":      pyFlaskApp,
				"tracker.py":                  "from trackerio import main\n\nif __name__ == '__main__':\n    main()\n",
				"trackerio/tests/__init__.py": "",
			},
			start: []string{"python", "tracker.py"}, cited: "tracker.py",
		},
		{
			name: "the same through import pkg and pkg.main()",
			files: map[string]string{
				"requirements.txt":       "flask\neventlet\n",
				"trackerio/__init__.py":  "from trackerio.flask_app import app\n\ndef main():\n    import eventlet\n    from eventlet import wsgi\n    wsgi.server(eventlet.listen(('0.0.0.0', 5000)), app)\n",
				"trackerio/flask_app.py": pyFlaskApp,
				"tracker.py":             "#!/usr/bin/env python3\n\nimport trackerio\n\nif __name__ == '__main__':\n    trackerio.main()\n",
			},
			start: []string{"python", "tracker.py"}, cited: "tracker.py",
		},
		{
			name: "gunicorn.conf.py is passed with -c",
			files: map[string]string{
				"requirements.txt": "flask\ngunicorn\n",
				"gunicorn.conf.py": "workers = 4\ntimeout = 120\n",
				"app.py":           pyFlaskApp,
			},
			start: []string{"gunicorn", "-c", "gunicorn.conf.py", "--bind", "0.0.0.0:5000", "app:app"},
			cited: "app.py",
		},
		{
			name: "an ini that sets die-on-term and its own http socket gets no flags",
			files: map[string]string{
				"requirements.txt": "flask\nuwsgi\n",
				"uwsgi.ini":        "[uwsgi]\nhttp = 0.0.0.0:9000\ndie-on-term = true\nwsgi-file = app.py\ncallable = app\n",
				"app.py":           pyFlaskApp,
			},
			start: []string{"uwsgi", "--ini", "uwsgi.ini"}, port: 9000, cited: "uwsgi.ini",
		},
		{
			name: "an ini socket on $(PORT) is left to the variable the image sets, not doubled by --http-socket",
			files: map[string]string{
				"requirements.txt": "flask\nuwsgi\n",
				"uwsgi.ini":        "[uwsgi]\nhttp-socket=:$(PORT)\nmaster=true\nwsgi-file=app.py\n",
				"app.py":           pyFlaskApp,
			},
			start: []string{"uwsgi", "--ini", "uwsgi.ini", "--die-on-term"}, cited: "uwsgi.ini",
		},
		{
			name: "--main is left alone",
			files: map[string]string{
				"requirements.txt": "flask\nuwsgi\n",
				"uwsgi.ini":        "[uwsgi]\nhttp = :9000\n",
				"app.py":           pyFlaskApp,
			},
			answers: facts.Answers{"main": "app:app"},
			start:   []string{"uwsgi", "--http-socket", "0.0.0.0:5000", "--master", "--die-on-term", "--module", "app:app"},
			cited:   "app.py",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := pyDetect(t, tt.files, tt.answers)
			if !slices.Equal(det.Start, tt.start) {
				t.Fatalf("start = %q, want %q (notes %q)", det.Start, tt.start, det.Notes)
			}
			if tt.port != 0 && det.Port != tt.port {
				t.Errorf("port = %d, want %d", det.Port, tt.port)
			}
			if ev := det.Evidence["start"]; ev.File != tt.cited {
				t.Errorf("start cited from %q, want %q", ev.File, tt.cited)
			}
			for _, p := range tt.build {
				if !slices.Contains(det.Python.BuildPackages, p) {
					t.Errorf("build packages %q lack %s", det.Python.BuildPackages, p)
				}
			}
		})
	}
}

// TestPythonConfiguredServerInstalled: the repository's uwsgi.ini names
// uWSGI, which its own Dockerfile installs rather than a requirements
// file: pip installs the pinned uwsgi (compiled, so gcc in the build
// stage) and the start is uwsgi --ini.
func TestPythonConfiguredServerInstalled(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "django\n",
		"manage.py":        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hc.settings')\nfrom django.core.management import execute_from_command_line\n",
		"hc/__init__.py":   "",
		"hc/settings.py":   "WSGI_APPLICATION = 'hc.wsgi.application'\nSECRET_KEY = 'x'\n",
		"hc/wsgi.py":       "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
		"docker/uwsgi.ini": "[uwsgi]\nmaster\nsocket = /tmp/uwsgi.sock\n",
	}
	det := pyDetect(t, files, nil)
	want := []string{"uwsgi", "--ini", "docker/uwsgi.ini", "--http-socket", "0.0.0.0:8000", "--die-on-term", "--module", "hc.wsgi:application"}
	if !slices.Equal(det.Start, want) {
		t.Fatalf("start = %q, want %q (notes %q)", det.Start, want, det.Notes)
	}
	if !slices.Equal(det.Python.ServerPackages, []string{"uwsgi==2.0.31"}) {
		t.Errorf("server packages = %q", det.Python.ServerPackages)
	}
	if !slices.Contains(det.Python.BuildPackages, "gcc") {
		t.Errorf("build packages %q lack gcc", det.Python.BuildPackages)
	}
	detecttest.WantCited(t, det, "serverPackages", "docker/uwsgi.ini", 0, "uwsgi==2.0.31")
	if detecttest.HasNote(det, "not for production") {
		t.Errorf("the replaced development server's note stays: %q", det.Notes)
	}

	// A lockfile the image installs from is never edited: a note only.
	files["uv.lock"] = "version = 1\n"
	files["pyproject.toml"] = "[project]\nname = \"hc\"\nversion = \"1\"\ndependencies = [\"django\"]\n"
	det = pyDetect(t, files, nil)
	if len(det.Python.ServerPackages) != 0 || slices.Contains(det.Start, "--ini") {
		t.Errorf("uv project: server packages %q, start %q", det.Python.ServerPackages, det.Start)
	}
	if !detecttest.HasNote(det, "configures uWSGI, but uwsgi is not a dependency") {
		t.Errorf("notes %q lack the uWSGI note", det.Notes)
	}
}

func TestPythonServerRequirementsInstalled(t *testing.T) {
	det := pyDetect(t, map[string]string{
		"requirements.txt":        "flask\n",
		"requirements-server.txt": "-r requirements.txt\ngranian==2.5\n",
		"app.py":                  pyFlaskApp,
	}, nil)
	if !slices.Equal(det.Python.ServerRequirements, []string{"requirements-server.txt"}) {
		t.Errorf("server requirements = %q", det.Python.ServerRequirements)
	}
	if !slices.Contains(det.Python.Manifests, "requirements-server.txt") {
		t.Errorf("manifests %q lack requirements-server.txt", det.Python.Manifests)
	}
	detecttest.WantCited(t, det, "serverRequirements", "requirements-server.txt", 2, "granian")
	for _, n := range det.Notes {
		if strings.Contains(n, "not installed") {
			t.Errorf("note still says a file is not installed: %q", n)
		}
	}
}

func TestPythonConfigWithoutServerNotes(t *testing.T) {
	det := pyDetect(t, map[string]string{
		"requirements.txt":        "flask\n",
		"deploy/gunicorn.conf.py": "workers = 2\n",
		"app.py":                  pyFlaskApp,
	}, nil)
	if len(det.Start) == 0 || det.Start[0] != "flask" {
		t.Errorf("start = %q, want flask run (gunicorn is not installed)", det.Start)
	}
	if !detecttest.HasNote(det, "deploy/gunicorn.conf.py configures gunicorn, but gunicorn is not a dependency") {
		t.Errorf("notes %q lack the gunicorn.conf.py note", det.Notes)
	}
}

// TestPythonUwsgiSocketVariable: an ini whose socket reads a variable
// other than PORT gets that variable set by the image.
func TestPythonUwsgiSocketVariable(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "flask\nuwsgi\n",
		"uwsgi.ini":        "[uwsgi]\nhttp = :$(APP_PORT)\nwsgi-file = app.py\n",
		"app.py":           pyFlaskApp,
	}
	det := pyDetect(t, files, nil)
	if want := []string{"uwsgi", "--ini", "uwsgi.ini", "--die-on-term"}; !slices.Equal(det.Start, want) {
		t.Fatalf("start = %q, want %q", det.Start, want)
	}
	if det.Python.PortEnv != "APP_PORT" {
		t.Errorf("PortEnv = %q, want APP_PORT", det.Python.PortEnv)
	}
}
