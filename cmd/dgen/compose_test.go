package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/generator/prompttest"
)

// djangoPostgres is a Django app with PostgreSQL and a Celery worker.
var djangoPostgres = map[string]string{
	"requirements.txt": "Django==5.2\npsycopg[binary]\ncelery[redis]\ndj-database-url\ngunicorn\n",
	"manage.py":        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
	"proj/__init__.py": "",
	"proj/settings.py": "import os, dj_database_url\nDATABASES = {'default': dj_database_url.config()}\nCELERY_BROKER_URL = os.environ['CELERY_BROKER_URL']\n",
	"proj/celery.py":   "from celery import Celery\napp = Celery('proj')\n",
	"proj/wsgi.py":     "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
	".gitignore":       "__pycache__/\n",
}

func TestInitWritesComposeWhenServicesAreFound(t *testing.T) {
	dir := writeRepo(t, djangoPostgres)
	r := runDgen(t, nil, nil, "init", "--yes", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	compose := readFile(t, filepath.Join(dir, "compose.yaml"))
	for _, want := range []string{"postgres:", "redis:", "worker:", "migrate:", "DATABASE_URL:", "CELERY_BROKER_URL:"} {
		if !strings.Contains(compose, want) {
			t.Errorf("compose.yaml lacks %q", want)
		}
	}
	if env := readFile(t, filepath.Join(dir, ".env.example")); !strings.Contains(env, "POSTGRES_PASSWORD=") {
		t.Errorf(".env.example = %q", env)
	}
	if gi := readFile(t, filepath.Join(dir, ".gitignore")); !strings.HasPrefix(gi, "__pycache__/\n") || !strings.Contains(gi, "\n.env\n") {
		t.Errorf(".gitignore = %q; want the user's lines kept and .env added", gi)
	}
	if !strings.Contains(r.stderr, "docker compose") || !strings.Contains(r.stderr, ".env.example") {
		t.Errorf("next steps do not say how to start compose:\n%s", r.stderr)
	}
	// A re-run changes nothing; --diff agrees.
	if r := runDgen(t, nil, nil, "init", "--yes", "--dir", dir); r.code != 0 || strings.Contains(r.stderr, "wrote") {
		t.Errorf("re-run: exit %d, %s", r.code, r.stderr)
	}
	if r := runDgen(t, nil, nil, "init", "--diff", "--dir", dir); r.code != 0 {
		t.Errorf("--diff after a run: exit %d", r.code)
	}
	// A hand-edited compose.yaml is never overwritten without --force.
	mine := compose + "# mine\n"
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runDgen(t, nil, nil, "init", "--yes", "--dir", dir); r.code != exitExists || !strings.Contains(r.stderr, "compose.yaml") {
		t.Errorf("exit %d, %s; want %d naming compose.yaml", r.code, r.stderr, exitExists)
	}
	if r := runDgen(t, nil, nil, "init", "--diff", "--dir", dir); r.code != exitDrift || !strings.Contains(r.stdout, "-# mine") {
		t.Errorf("--diff: exit %d, %s", r.code, r.stdout)
	}
	if r := runDgen(t, nil, nil, "init", "--yes", "--force", "--dir", dir); r.code != 0 || readFile(t, filepath.Join(dir, "compose.yaml")) != compose {
		t.Errorf("--force: exit %d, %s", r.code, r.stderr)
	}
}

func TestComposeFlagsAndConfig(t *testing.T) {
	plain := map[string]string{"requirements.txt": "flask\ngunicorn\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"}
	planHas := func(dir string, args ...string) bool {
		t.Helper()
		r := runDgen(t, nil, nil, append([]string{"plan", "--json", "--dir", dir}, args...)...)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		var p map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
			t.Fatal(err)
		}
		_, ok := p["compose"]
		return ok
	}
	dir := writeRepo(t, plain)
	if planHas(dir) || !planHas(dir, "--compose") {
		t.Error("--compose does not add compose to a plan with no services, or it is there without it")
	}
	if r := runDgen(t, nil, nil, "plan", "--compose", "--no-compose", "--dir", dir); r.code != exitBadInput {
		t.Errorf("--compose --no-compose: exit %d", r.code)
	}
	svc := writeRepo(t, djangoPostgres)
	if !planHas(svc) || planHas(svc, "--no-compose") {
		t.Error("--no-compose does not drop compose")
	}
	if err := os.WriteFile(filepath.Join(svc, "dgen.yaml"), []byte("compose: false\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if planHas(svc) || !planHas(svc, "--compose") {
		t.Error("dgen.yaml compose: false is not honoured, or beats the flag")
	}
	r := runDgen(t, nil, nil, "init", "--yes", "--compose", "--save-config", "--dir", dir)
	if r.code != 0 || !strings.Contains(readFile(t, filepath.Join(dir, "dgen.yaml")), "compose: true") {
		t.Errorf("--save-config does not keep --compose: exit %d", r.code)
	}
	if _, err := os.Stat(filepath.Join(dir, "compose.yaml")); err != nil {
		t.Error(err)
	}
}

func TestInteractiveComposeQuestion(t *testing.T) {
	dir := writeRepo(t, goService)
	pr := prompttest.New(t,
		prompttest.Step{Key: "accept", Answer: false},
		prompttest.Step{Key: "port"},
		prompttest.Step{Key: "languageVersion"},
		prompttest.Step{Key: "start"},
		prompttest.Step{Key: "compose", Answer: true},
		prompttest.Step{Key: "accept"},
		prompttest.Step{Key: "saveConfig", Answer: false},
	)
	r := runDgen(t, pr, nil, "init", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "compose.yaml")); err != nil {
		t.Errorf("compose.yaml not written after yes at the prompt: %v", err)
	}
}
