package python

import (
	"strings"
	"testing"
)

// writableSummary renders the writable folders as "dir" or
// "dir(ENV=value)", comma-separated.
func writableSummary(ws []struct{ Dir, Env, Value string }) string {
	var out []string
	for _, w := range ws {
		d := w.Dir
		if w.Env != "" {
			d += "(" + w.Env + "=" + w.Value + ")"
		}
		out = append(out, d)
	}
	return strings.Join(out, ",")
}

func TestPyWritable(t *testing.T) {
	const djangoSettings = "from pathlib import Path\nimport os\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
		// evFile and marker locate the first folder's evidence.
		evFile, marker string
	}{
		{
			name:  "sqlite3.connect with a file in the working directory",
			files: map[string]string{"app.py": "import sqlite3\n\ndb = sqlite3.connect(\"notes.db\")\n"},
			want:  ".", evFile: "app.py", marker: "sqlite3.connect",
		},
		{
			name:  "sqlite3.connect through the app's variable moves into data/",
			files: map[string]string{"app.py": "import os, sqlite3\n\ndb = sqlite3.connect(os.environ.get(\"NOTES_DB\", \"notes.db\"))\n"},
			want:  "data(NOTES_DB=data/notes.db)", evFile: "app.py", marker: "sqlite3.connect",
		},
		{
			name: "Django's default SQLite database and MEDIA_ROOT in a project folder",
			files: map[string]string{
				"site/manage.py":        "import django\n",
				"site/shop/settings.py": djangoSettings + "DATABASES = {\n    \"default\": {\n        \"ENGINE\": \"django.db.backends.sqlite3\",\n        \"NAME\": BASE_DIR / \"db.sqlite3\",\n    }\n}\nMEDIA_ROOT = BASE_DIR / \"media\"\n",
			},
			want: "site,site/media", evFile: "site/shop/settings.py", marker: "\"NAME\"",
		},
		{
			name: "Django NAME through a variable, os.path.join style",
			files: map[string]string{
				"shop/settings.py": "import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\nDATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.sqlite3\", \"NAME\": os.environ.get(\"SQLITE_PATH\", os.path.join(BASE_DIR, \"db.sqlite3\"))}}\n",
			},
			want: "data(SQLITE_PATH=data/db.sqlite3)", evFile: "shop/settings.py", marker: "\"NAME\"",
		},
		{
			name:  "a SQLAlchemy URL relative to the working directory",
			files: map[string]string{"app/db.py": "from sqlalchemy import create_engine\nengine = create_engine(\"sqlite:///./var/app.db\")\n"},
			want:  "var", evFile: "app/db.py", marker: "sqlite:///",
		},
		{
			name:  "Flask-SQLAlchemy keeps a relative SQLite file in instance/",
			files: map[string]string{"app.py": "from flask_sqlalchemy import SQLAlchemy\nSQLALCHEMY_DATABASE_URI = \"sqlite:///site.db\"\n"},
			want:  "instance", evFile: "app.py", marker: "sqlite:///",
		},
		{
			name:  "upload folders created or configured",
			files: map[string]string{"app.py": "import os\nfrom pathlib import Path\napp.config[\"UPLOAD_FOLDER\"] = \"uploads\"\nos.makedirs(\"cache/thumbs\", exist_ok=True)\nPath(\"exports\").mkdir(exist_ok=True)\n"},
			want:  "cache/thumbs,exports,uploads", evFile: "app.py", marker: "os.makedirs",
		},
		{
			name:  "a file opened for writing",
			files: map[string]string{"worker.py": "with open(\"out/report.csv\", \"w\") as f:\n    f.write(\"x\")\nopen(\"README.md\").read()\n"},
			want:  "out", evFile: "worker.py", marker: "open(\"out",
		},
		{
			name: "negatives: absolute paths, in-memory and server databases, reads, a Postgres Django",
			files: map[string]string{
				"app.py":           "import sqlite3, os\nsqlite3.connect(\":memory:\")\nsqlite3.connect(\"/var/lib/app/app.db\")\nos.makedirs(\"/tmp/x\", exist_ok=True)\nopen(\"config.json\", \"r\")\nURL = \"sqlite:////data/app.db\"\n",
				"shop/settings.py": djangoSettings + "DATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.postgresql\", \"NAME\": BASE_DIR / \"x\"}}\nMEDIA_ROOT = \"/srv/media\"\n",
			},
			want: "",
		},
		{
			name:  "tests are not the app",
			files: map[string]string{"app.py": "print(1)\n", "tests/test_db.py": "import sqlite3\nsqlite3.connect(\"test.db\")\n"},
			want:  "",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"requirements.txt": "flask\n"}
			for k, v := range tc.files {
				files[k] = v
			}
			det := pyDetect(t, files, nil)
			var ws []struct{ Dir, Env, Value string }
			for _, w := range det.Writable {
				ws = append(ws, struct{ Dir, Env, Value string }{w.Dir, w.Env, w.Value})
			}
			if got := writableSummary(ws); got != tc.want {
				t.Fatalf("Writable = %q, want %q (%+v)", got, tc.want, det.Writable)
			}
			if tc.marker == "" {
				return
			}
			ev := det.Writable[0].Evidence
			line := 0
			for i, l := range strings.Split(files[tc.evFile], "\n") {
				if strings.Contains(l, tc.marker) {
					line = i + 1
					break
				}
			}
			if ev.File != tc.evFile || ev.Line != line || det.Writable[0].What == "" {
				t.Errorf("evidence %s, want %s:%d", ev, tc.evFile, line)
			}
		})
	}
}
