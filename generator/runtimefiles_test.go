package generator

import (
	"strings"
	"testing"

	"github.com/moby/patternmatcher"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// goServerWith is goServer with extra imports and statements at the top
// of main.
func goServerWith(imports, body string) string {
	s := strings.Replace(goServer, "\t\"os\"\n", "\t\"os\"\n"+imports, 1)
	return strings.Replace(s, "func main() {\n", "func main() {\n"+body, 1)
}

func TestPlanGoRuntimeFilesAndWritable(t *testing.T) {
	files := map[string]string{
		"go.mod": goModText("1.26"),
		"main.go": goServerWith("", `	v, _ := os.ReadFile("VERSION")
	_ = v
	os.MkdirAll("data/uploads", 0o750)
`),
		"VERSION": "1.0.0\n",
	}
	p := goPlanFor(t, files, Options{})
	if len(p.RuntimeFiles) != 1 || p.RuntimeFiles[0].Src != "VERSION" || p.RuntimeFiles[0].Dest != "/app/VERSION" || p.RuntimeFiles[0].Evidence.File != "main.go" {
		t.Fatalf("RuntimeFiles = %+v", p.RuntimeFiles)
	}
	if len(p.Writable) != 1 || p.Writable[0].Path != "/app/data/uploads" || p.Writable[0].Evidence.Line != lineContaining(files["main.go"], "os.MkdirAll") {
		t.Fatalf("Writable = %+v", p.Writable)
	}
	df, _ := goRender(t, p)
	for _, want := range []string{
		"COPY VERSION /app/VERSION\n",
		// distroless has no shell: the build stage makes an empty folder
		// the runtime copies with the user as owner.
		"RUN mkdir -p /out/writable\n",
		"COPY --from=build --chown=65532:65532 /out/writable/ /app/data/uploads/\n",
		"# main.go:11: os.MkdirAll(",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if strings.Contains(df, "chmod") || strings.Contains(df, "VOLUME") {
		t.Errorf("Dockerfile has chmod or VOLUME:\n%s", df)
	}
	if strings.Index(df, "/app/data/uploads/") > strings.Index(df, "USER 65532") {
		t.Errorf("writable folder created after USER:\n%s", df)
	}
}

func TestPlanGoWritableSlimWithVariable(t *testing.T) {
	files := map[string]string{
		"go.mod": goModText("1.26", "require github.com/mattn/go-sqlite3 v1.14.22"),
		"go.sum": "",
		"main.go": goImporting(goServerWith("\t\"database/sql\"\n", `	dbPath := os.Getenv("DATABASE_PATH")
	if dbPath == "" {
		dbPath = "shop.db"
	}
	sql.Open("sqlite3", dbPath)
`), "github.com/mattn/go-sqlite3"),
	}
	p := goPlanFor(t, files, Options{})
	if !p.CGO || len(p.Writable) != 1 {
		t.Fatalf("CGO %v, Writable = %+v", p.CGO, p.Writable)
	}
	w := p.Writable[0]
	if w.Path != "/app/data" || w.Env != "DATABASE_PATH" || w.Value != "/app/data/shop.db" {
		t.Fatalf("Writable = %+v", w)
	}
	if !strings.Contains(w.Why, "the SQLite database shop.db") || !strings.Contains(w.Why, "Mount a volume at /app/data") {
		t.Errorf("Why = %q", w.Why)
	}
	df, _ := goRender(t, p)
	for _, want := range []string{
		"RUN mkdir -p /app/data \\\n    && chown 10001:10001 /app/data\n",
		"ENV DATABASE_PATH=/app/data/shop.db\n",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if strings.Contains(df, "/out/writable") {
		t.Errorf("a runtime with a shell copies no empty folder:\n%s", df)
	}
}

func TestPlanGoWritableWorkdir(t *testing.T) {
	files := map[string]string{
		"go.mod":  goModText("1.26"),
		"main.go": goServerWith("", "\tos.WriteFile(\"state.json\", nil, 0o600)\n"),
	}
	p := goPlanFor(t, files, Options{})
	if len(p.Writable) != 1 || p.Writable[0].Path != "/app" || p.Writable[0].Env != "" {
		t.Fatalf("Writable = %+v", p.Writable)
	}
	df, _ := goRender(t, p)
	if !p.Writable[0].Workdir || !strings.Contains(df, "COPY --from=build --chown=65532:65532 /out/writable/ /app/\nWORKDIR /app\n") || !strings.Contains(p.Writable[0].Why, "not the files in it") {
		t.Errorf("working directory not created writable before WORKDIR, or no comment saying the user does not own the files in it:\n%s", df)
	}
	if strings.Count(df, "/out/writable/ /app/") != 1 {
		t.Errorf("working directory copied more than once:\n%s", df)
	}
}

func TestPlanStartNamesConfigFile(t *testing.T) {
	files := map[string]string{
		"go.mod":        goModText("1.26"),
		"main.go":       goServer,
		"conf/app.toml": "port = 8080\n",
		".env":          "SECRET=x\n",
	}
	for _, tc := range []struct {
		start []string
		want  string
	}{
		{[]string{"/usr/local/bin/shop", "-c", "conf/app.toml"}, "/app/conf/app.toml"},
		{[]string{"/usr/local/bin/shop --config=./conf/app.toml"}, "/app/conf/app.toml"},
		{[]string{"/usr/local/bin/shop", "--config", "conf/missing.toml"}, ""},
		{[]string{"/usr/local/bin/shop", "--config", ".env"}, ""},
		{[]string{"/usr/local/bin/shop", "--config", "/etc/shop.toml"}, ""},
	} {
		p := goPlanFor(t, files, Options{Start: tc.start})
		got := ""
		if len(p.RuntimeFiles) > 0 {
			got = p.RuntimeFiles[0].Dest
		}
		if got != tc.want || len(p.RuntimeFiles) > 1 {
			t.Errorf("start %q: RuntimeFiles = %+v, want %q", tc.start, p.RuntimeFiles, tc.want)
		}
		if tc.want != "" {
			df, _ := goRender(t, p)
			if !strings.Contains(df, "COPY conf/app.toml /app/conf/app.toml\n") {
				t.Errorf("start %q: config file not copied:\n%s", tc.start, df)
			}
		}
	}
}

// lineContaining is the 1-based line of the first line of src holding
// marker, 0 when none does.
func lineContaining(src, marker string) int {
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, marker) {
			return i + 1
		}
	}
	return 0
}

func TestPlanPythonWritable(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "flask\ngunicorn\n",
		"app.py":           pyFlaskApp + "\nimport os, sqlite3\n\ndef db():\n    return sqlite3.connect(os.environ.get(\"NOTES_DB\", \"notes.db\"))\n\nos.makedirs(\"uploads\", exist_ok=True)\n",
	}
	p := pythonPlanFor(t, files, Options{})
	if len(p.RuntimeFiles) != 0 {
		t.Errorf("the Python image copies the whole app, yet RuntimeFiles = %+v", p.RuntimeFiles)
	}
	if len(p.Writable) != 2 || p.Writable[0].Path != "/app/data" || p.Writable[0].Env != "NOTES_DB" || p.Writable[0].Value != "/app/data/notes.db" || p.Writable[1].Path != "/app/uploads" {
		t.Fatalf("Writable = %+v", p.Writable)
	}
	df, di := pythonRender(t, p)
	pythonCheck(t, p, df, di)
	pythonHas(t, "Dockerfile", df,
		"RUN mkdir -p /app/data /app/uploads \\\n    && chown 10001:10001 /app/data /app/uploads\nENV NOTES_DB=/app/data/notes.db\nUSER 10001:10001\n",
		"# app.py:12: return sqlite3.connect(",
		"# app.py:14: os.makedirs(")
	pythonLacks(t, "Dockerfile", df, "chmod", "VOLUME")
}

func TestPlanPythonDjangoSQLiteInWorkdir(t *testing.T) {
	files := map[string]string{
		"requirements.txt":  "django\ngunicorn\n",
		"manage.py":         "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
		"site1/wsgi.py":     "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
		"site1/settings.py": "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\nWSGI_APPLICATION = 'site1.wsgi.application'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\nMEDIA_ROOT = BASE_DIR / 'media'\n",
	}
	p := pythonPlanFor(t, files, Options{})
	if len(p.Writable) != 2 || p.Writable[0].Path != "/app" || p.Writable[1].Path != "/app/media" {
		t.Fatalf("Writable = %+v", p.Writable)
	}
	if !strings.Contains(p.Writable[0].Why, "not the files in it") || !strings.Contains(p.Writable[1].Why, "Mount a volume at /app/media") {
		t.Errorf("Why = %q / %q", p.Writable[0].Why, p.Writable[1].Why)
	}
	df, di := pythonRender(t, p)
	pythonCheck(t, p, df, di)
	pythonHas(t, "Dockerfile", df, "RUN mkdir -p /app /app/media \\\n    && chown 10001:10001 /app /app/media\n")
	// A local database must not ride into the image, root-owned.
	pythonHas(t, ".dockerignore", di, "**/*.sqlite3\n")
}

func TestPlanNodeRuntimeFilesWithStandalone(t *testing.T) {
	files := map[string]string{
		"package.json":        `{"name":"blog","scripts":{"build":"next build","start":"next start"},"dependencies":{"next":"^16","react":"^19","react-dom":"^19"}}`,
		"package-lock.json":   "{}",
		"next.config.mjs":     "export default { output: \"standalone\" };\n",
		"app/page.tsx":        "import fs from 'node:fs'\nconst posts = JSON.parse(fs.readFileSync('content/posts.json', 'utf8'))\nexport default function Page() { return null }\n",
		"app/api/up/route.ts": "import Database from 'better-sqlite3'\nconst db = new Database(process.env.DB_FILE || 'blog.db')\n",
		"content/posts.json":  "[]",
	}
	p := nodePlanFor(t, files, Options{})
	want := RuntimeFile{From: "build", Src: "/app/content/posts.json", Dest: "/app/content/posts.json"}
	if len(p.RuntimeFiles) != 1 || p.RuntimeFiles[0].From != want.From || p.RuntimeFiles[0].Src != want.Src || p.RuntimeFiles[0].Dest != want.Dest || p.RuntimeFiles[0].Evidence.File != "app/page.tsx" {
		t.Fatalf("RuntimeFiles = %+v", p.RuntimeFiles)
	}
	if len(p.Writable) != 1 || p.Writable[0].Path != "/app/data" || p.Writable[0].Env != "DB_FILE" || p.Writable[0].Value != "/app/data/blog.db" {
		t.Fatalf("Writable = %+v", p.Writable)
	}
	df, _ := nodeRender(t, p)
	for _, want := range []string{
		"COPY --from=build /app/content/posts.json /app/content/posts.json\n",
		"RUN mkdir -p /app/data \\\n    && chown 1000:1000 /app/data\nENV DB_FILE=/app/data/blog.db\n",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
}

func TestPlanNodeWholeAppCopiesNoRuntimeFiles(t *testing.T) {
	files := map[string]string{
		"package.json":      `{"name":"api","scripts":{"start":"node src/server.js"},"dependencies":{"express":"^4","multer":"^1"}}`,
		"package-lock.json": "{}",
		"src/server.js":     "const cfg = require('fs').readFileSync('config/app.json')\nconst upload = multer({ dest: 'uploads/' })\napp.listen(3000)\n",
		"config/app.json":   "{}",
	}
	p := nodePlanFor(t, files, Options{})
	if len(p.RuntimeFiles) != 0 {
		t.Errorf("the runtime copies the whole app, yet RuntimeFiles = %+v", p.RuntimeFiles)
	}
	if len(p.Writable) != 1 || p.Writable[0].Path != "/app/uploads" {
		t.Fatalf("Writable = %+v", p.Writable)
	}
	df, _ := nodeRender(t, p)
	if !strings.Contains(df, "RUN mkdir -p /app/uploads \\\n    && chown 1000:1000 /app/uploads\n") {
		t.Errorf("uploads/ not made writable:\n%s", df)
	}
}

// The Python image copies the whole build context, so the files an app
// reads at start are there unless .dockerignore leaves them out: it must
// leave out .env files and local databases, and nothing an app loads.
func TestPythonDockerignoreKeepsRuntimeFiles(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "flask\ngunicorn\n",
		"app.py":           pyFlaskApp,
	}
	p := pythonPlanFor(t, files, Options{})
	pm, err := patternmatcher.New(ignorePatterns(p.Dockerignore))
	if err != nil {
		t.Fatal(err)
	}
	for _, keep := range []string{"config.yaml", "config/settings.toml", "conf/app.ini", "VERSION", "settings/prod.json", "migrations/0001_initial.py", "alembic/env.py", "templates/index.html", "locale/fr/LC_MESSAGES/django.po"} {
		if ignored, _ := pm.MatchesOrParentMatches(keep); ignored {
			t.Errorf(".dockerignore leaves out %s, which the app may read at start", keep)
		}
	}
	for _, drop := range []string{".env", "config/.env.production", "db.sqlite3"} {
		if ignored, _ := pm.MatchesOrParentMatches(drop); !ignored {
			t.Errorf(".dockerignore lets %s into the image", drop)
		}
	}
}

// ignorePatterns are the .dockerignore lines without comments and blanks.
func ignorePatterns(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// A file the program reads that .dockerignore keeps out (a TLS key) is not
// copied, which would fail the build, and a note says to mount it.
func TestPlanGoRuntimeFileLeftOutByDockerignore(t *testing.T) {
	files := map[string]string{
		"go.mod":           goModText("1.26"),
		"main.go":          goServerWith("", "\tos.ReadFile(\"certs/server.key\")\n\tos.ReadFile(\"VERSION\")\n"),
		"certs/server.key": "-----BEGIN PRIVATE KEY-----\n",
		"VERSION":          "1\n",
	}
	p := goPlanFor(t, files, Options{})
	if len(p.RuntimeFiles) != 1 || p.RuntimeFiles[0].Src != "VERSION" {
		t.Fatalf("RuntimeFiles = %+v", p.RuntimeFiles)
	}
	found := false
	for _, n := range p.Notes {
		found = found || (strings.Contains(n, "certs/server.key") && strings.Contains(n, "mount it at /app/certs/server.key"))
	}
	if !found {
		t.Errorf("no note about the left-out key: %q", p.Notes)
	}
	df, _ := goRender(t, p)
	if strings.Contains(df, "server.key") {
		t.Errorf("the Dockerfile copies a file .dockerignore leaves out:\n%s", df)
	}
}

func TestPlanNodeSQLiteOutsideTheApp(t *testing.T) {
	const pkg = `{"name":"todo","scripts":{"start":"node src/index.js"},"dependencies":{"express":"^4","sqlite3":"^5"}}`
	for _, tc := range []struct {
		name, src  string
		path, env  string
		note       bool
		dockerfile string
		why        string
	}{
		{
			name:       "the app's variable with an absolute fallback moves the file into /app/data",
			src:        "const sqlite3 = require('sqlite3')\nconst location = process.env.SQLITE_DB_LOCATION || '/etc/todos/todo.db'\nconst db = new sqlite3.Database(location, err => {})\n",
			path:       "/app/data",
			env:        "SQLITE_DB_LOCATION=/app/data/todo.db",
			dockerfile: "RUN mkdir -p /app/data \\\n    && chown 1000:1000 /app/data\nENV SQLITE_DB_LOCATION=/app/data/todo.db\n",
			why:        "new sqlite3.Database(location, …) with const location = process.env.SQLITE_DB_LOCATION || '/etc/todos/todo.db': the program writes the SQLite database todo.db (and its journal, beside it; its default /etc/todos/todo.db lies outside the app, and SQLITE_DB_LOCATION moves it here)",
		},
		{
			name:       "a fixed absolute path: that folder is created and owned, with a note",
			src:        "const sqlite3 = require('sqlite3')\nconst db = new sqlite3.Database('/etc/todos/todo.db')\n",
			path:       "/etc/todos",
			note:       true,
			dockerfile: "RUN mkdir -p /etc/todos \\\n    && chown 1000:1000 /etc/todos\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"package.json": pkg, "package-lock.json": "{}", "src/index.js": tc.src + "app.listen(3000)\n"}
			p := nodePlanFor(t, files, Options{})
			if len(p.Writable) != 1 || p.Writable[0].Path != tc.path {
				t.Fatalf("Writable = %+v, want %s", p.Writable, tc.path)
			}
			if env := p.Writable[0].Env + "=" + p.Writable[0].Value; tc.env != "" && env != tc.env {
				t.Errorf("variable %s, want %s", env, tc.env)
			}
			if ev := p.Writable[0].Evidence; ev.File != "src/index.js" || ev.Line != lineContaining(tc.src, "new sqlite3.Database") {
				t.Errorf("evidence %s", ev)
			}
			if !strings.Contains(p.Writable[0].Why, tc.why) {
				t.Errorf("why %q, want %q in it", p.Writable[0].Why, tc.why)
			}
			noted := false
			for _, n := range p.Notes {
				noted = noted || strings.Contains(n, "fixed path /etc/todos, outside the app")
			}
			if noted != tc.note {
				t.Errorf("note about the fixed path: %v, want %v (notes %q)", noted, tc.note, p.Notes)
			}
			df, _ := nodeRender(t, p)
			if !strings.Contains(df, tc.dockerfile) || strings.Contains(df, "chmod") {
				t.Errorf("Dockerfile lacks %q (or has chmod):\n%s", tc.dockerfile, df)
			}
			if strings.Index(df, tc.dockerfile) > strings.Index(df, "USER ") {
				t.Errorf("writable folder created after USER:\n%s", df)
			}
		})
	}
}

func TestPlanFixedWritableSystemFolders(t *testing.T) {
	for _, tc := range []struct {
		dir, note string
		created   bool
	}{
		{dir: "/srv/data", note: "outside the app", created: true},
		{dir: "/app/state", created: true},
		{dir: "/tmp/cache"},
		{dir: "/dev/shm/x"},
		{dir: "/usr/share/app", note: "a system folder"},
		{dir: "/", note: "will not write"},
		{dir: "/etc", note: "a system folder"},
		{dir: "/etc/todos", note: "outside the app", created: true},
		{dir: "/root/.app", note: "a system folder"},
		{dir: "/data", note: "outside the app", created: true},
	} {
		p := &Plan{User: User{UID: 1000, GID: 1000}}
		planWritable(facts.WritablePath{Dir: tc.dir, What: "x", Evidence: facts.Evidence{File: "a.js", Line: 1}}, "/app", p)
		if created := len(p.Writable) == 1 && p.Writable[0].Path == tc.dir; created != tc.created {
			t.Errorf("%s: created %v, want %v (%+v)", tc.dir, created, tc.created, p.Writable)
		}
		if got := strings.Join(p.Notes, "\n"); (tc.note == "") != (got == "") || !strings.Contains(got, tc.note) {
			t.Errorf("%s: notes %q, want one with %q", tc.dir, got, tc.note)
		}
	}
}

func TestPlanGoFlagDefaultPaths(t *testing.T) {
	files := map[string]string{
		"go.mod": goModText("1.26"),
		"main.go": goServerWith("\t\"flag\"\n", `	ui := flag.String("ui-path", "./ui", "folder of the web UI")
	key := flag.String("tls-key-path", "certs/server.key", "")
	_, _ = ui, key
`),
		"ui/index.html":    "<html>",
		"certs/server.key": "-----BEGIN PRIVATE KEY-----",
	}
	p := goPlanFor(t, files, Options{})
	if len(p.RuntimeFiles) != 1 || p.RuntimeFiles[0].Src != "ui" || p.RuntimeFiles[0].Dest != "/app/ui" || !p.RuntimeFiles[0].Dir ||
		p.RuntimeFiles[0].Evidence.File != "main.go" || p.RuntimeFiles[0].Evidence.Line != lineContaining(files["main.go"], "ui-path") {
		t.Fatalf("RuntimeFiles = %+v", p.RuntimeFiles)
	}
	noted := false
	for _, n := range p.Notes {
		noted = noted || strings.Contains(n, "opens certs/server.key at start, but .dockerignore keeps it out")
	}
	if !noted {
		t.Errorf("no note that .dockerignore keeps the flag's key file out: %q", p.Notes)
	}
	df, _ := goRender(t, p)
	if !strings.Contains(df, "COPY ui/ /app/ui/\n") || strings.Contains(df, "server.key") {
		t.Errorf("Dockerfile does not copy ui/ alone:\n%s", df)
	}
}
