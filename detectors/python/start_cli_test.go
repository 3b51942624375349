package python

import (
	"reflect"
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestPythonFrameworkCLIs(t *testing.T) {
	flaskApp := "from flask import Flask\napp = Flask(__name__)\n"
	tests := []struct {
		name  string
		files map[string]string
		start []string
		port  int
		note  string
	}{
		{"flask run with gunicorn runs gunicorn on the app found",
			map[string]string{"requirements.txt": "flask\ngunicorn\n", "hello.py": flaskApp, "Procfile": "web: flask run\n"},
			[]string{"gunicorn", "--bind", "0.0.0.0:5000", "hello:app"}, 0, "development server"},
		{"flask --app with a factory and a literal port",
			map[string]string{"requirements.txt": "flask\ngunicorn\n", "web/__init__.py": "from flask import Flask\ndef create_app():\n    return Flask(__name__)\n", "Procfile": "web: flask --app 'web:create_app()' run --port 5001\n"},
			[]string{"gunicorn", "--bind", "0.0.0.0:5001", "web:create_app()"}, 5001, "gunicorn, which is a dependency"},
		{"FLASK_APP from the Procfile",
			map[string]string{"requirements.txt": "flask\nwaitress\n", "site.py": flaskApp, "Procfile": "web: FLASK_APP=site python -m flask run --host 0.0.0.0\n"},
			[]string{"waitress-serve", "--listen=0.0.0.0:5000", "site:app"}, 0, "waitress"},
		{"flask run without a production server keeps it, reachable",
			map[string]string{"requirements.txt": "flask\n", "hello.py": flaskApp, "Procfile": "web: flask run -h 127.0.0.1\n"},
			[]string{"flask", "run", "-h", "0.0.0.0", "--port", "5000"}, 0, "not for production"},
		{"litestar run gets host and port",
			map[string]string{"requirements.txt": "litestar\n", "app.py": "from litestar import Litestar\napp = Litestar([])\n", "Procfile": "web: litestar run\n"},
			[]string{"litestar", "run", "--host", "0.0.0.0", "--port", "8000"}, 0, ""},
		{"a Litestar app without uvicorn runs with the litestar CLI",
			map[string]string{"requirements.txt": "litestar\n", "app.py": "from litestar import Litestar\napp = Litestar(route_handlers=[])\n"},
			[]string{"litestar", "--app", "app:app", "run", "--host", "0.0.0.0", "--port", "8000"}, 0, ""},
		{"a Litestar app with litestar[standard] runs with uvicorn",
			map[string]string{"requirements.txt": "litestar[standard]\n", "svc/main.py": "from litestar import Litestar\napp = Litestar(route_handlers=[])\n"},
			[]string{"uvicorn", "svc.main:app", "--host", "0.0.0.0", "--port", "8000"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := pyDetect(t, tt.files, nil)
			if !reflect.DeepEqual(det.Start, tt.start) {
				t.Errorf("Start = %q, want %q", det.Start, tt.start)
			}
			if det.Port != tt.port {
				t.Errorf("Port = %d, want %d", det.Port, tt.port)
			}
			if det.Python.PortArg == nil {
				t.Error("no port argument: --port could not change it")
			}
			if tt.note != "" && !detecttest.HasNote(det, tt.note) {
				t.Errorf("no note with %q: %q", tt.note, det.Notes)
			}
		})
	}
}
