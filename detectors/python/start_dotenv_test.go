package python

import (
	"reflect"
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestPythonDotenv(t *testing.T) {
	app := "from flask import Flask\napp = Flask(__name__)\n"
	tests := []struct {
		name, procfile string
		start          []string
		note           string
	}{
		{"dotenv -f .env run --", "web: dotenv -f .env run -- gunicorn --bind 0.0.0.0:$PORT app:app\n", []string{"gunicorn", "--bind", "0.0.0.0:5000", "app:app"}, "dotenv run reads .env"},
		{"python -m dotenv run", "web: python -m dotenv --file=.env.prod run --no-override gunicorn app:app\n", []string{"gunicorn", "app:app"}, "reads .env.prod"},
		{"no wrapper", "web: gunicorn --bind 0.0.0.0:$PORT app:app\n", []string{"gunicorn", "--bind", "0.0.0.0:5000", "app:app"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := pyDetect(t, map[string]string{"requirements.txt": "flask\ngunicorn\npython-dotenv\n", "app.py": app, "Procfile": tt.procfile}, nil)
			if !reflect.DeepEqual(det.Start, tt.start) {
				t.Errorf("Start = %q, want %q", det.Start, tt.start)
			}
			if tt.note != "" && !detecttest.HasNote(det, tt.note) {
				t.Errorf("no note with %q: %q", tt.note, det.Notes)
			}
			if tt.note == "" && detecttest.HasNote(det, "dotenv") {
				t.Errorf("a note on dotenv without the wrapper: %q", det.Notes)
			}
		})
	}
	det := pyDetect(t, map[string]string{"requirements.txt": "flask\ngunicorn\npython-dotenv\n", "app.py": "from dotenv import load_dotenv, find_dotenv\nload_dotenv(find_dotenv(raise_error_if_not_found=True))\n" + app}, nil)
	if !detecttest.HasNote(det, "app.py:2: the app stops when it finds no .env file") {
		t.Errorf("required .env: notes %q", det.Notes)
	}
}
