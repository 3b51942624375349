package generator_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/dgen-dev/dgen/generator"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// composeEnv is what a user's .env would hold: a value for every secret
// .env.example lists.
func composeEnv(t *testing.T, files []generator.File) types.Mapping {
	t.Helper()
	env := types.Mapping{}
	for _, f := range files {
		if f.Name != generator.EnvExampleFile {
			continue
		}
		for _, line := range strings.Split(string(f.Data), "\n") {
			if k, _, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
				env[k] = "s3cret" + k
			}
		}
	}
	return env
}

// loadCompose loads compose.yaml with the Compose Specification's own
// loader, schema validation, interpolation and consistency checks on.
func loadCompose(t *testing.T, data []byte, env types.Mapping) (*types.Project, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, "compose.yaml"), Content: data}},
		Environment: env,
	}, func(o *loader.Options) { o.SetProjectName("dgen-test", true) })
}

// secretLiteralRe is a password-like key holding something other than an
// interpolation from .env.
var secretLiteralRe = regexp.MustCompile(`(?m)^\s*[A-Z_]*(PASSWORD|PASS|SECRET|SECRET_KEY|TOKEN)\s*:\s*"(?:[^$]|\$[^{])`)

// checkCompose holds a generated compose.yaml to the Compose
// Specification (zero load errors) and to dgen's policy: health-gated
// start order, no published database port, named volumes, no literal
// secret, limits, the app on 127.0.0.1.
func checkCompose(t *testing.T, p *generator.Plan, files []generator.File) *types.Project {
	t.Helper()
	var data []byte
	for _, f := range files {
		if f.Name == generator.ComposeFile {
			data = f.Data
		}
	}
	if data == nil {
		t.Fatal("no compose.yaml rendered")
	}
	checkComposeText(t, data)
	env := composeEnv(t, files)
	secrets := len(env) > 0 // the loader adds COMPOSE_PROJECT_NAME to env
	proj, err := loadCompose(t, data, env)
	if err != nil {
		t.Fatalf("compose.yaml does not load: %v\n%s", err, data)
	}
	if secrets {
		if _, err := loadCompose(t, data, types.Mapping{}); err == nil || !strings.Contains(err.Error(), "in .env") {
			t.Errorf("without .env the file loads (err %v); a missing secret must be a clear error", err)
		}
	}
	backing := checkBackingServices(t, p, proj)
	for name, svc := range proj.Services {
		checkEveryService(t, name, svc)
		if !backing[name] {
			checkAppService(t, p, name, svc, backing)
		}
	}
	app := proj.Services["app"]
	if p.Port != nil {
		if len(app.Ports) != 1 || app.Ports[0].HostIP != "127.0.0.1" || int(app.Ports[0].Target) != *p.Port {
			t.Errorf("app ports %+v; want the port on 127.0.0.1", app.Ports)
		}
	}
	for _, e := range p.Compose.Env {
		if _, ok := app.Environment[e.Name]; !ok {
			t.Errorf("app lacks %s", e.Name)
		}
	}
	for _, w := range p.Compose.Workers {
		svc, ok := proj.Services[w.Name]
		if !ok || len(svc.Ports) > 0 || !slices.Equal([]string(svc.Command), w.Command) {
			t.Errorf("worker %s = %+v; want its command, no port", w.Name, svc)
		}
		checkNoHealthCheck(t, w.Name, svc)
	}
	if p.Compose.Migrate != nil {
		checkNoHealthCheck(t, "migrate", proj.Services["migrate"])
	}
	return proj
}

// checkNoHealthCheck checks that a process that serves no HTTP turns the
// image's health check off with test: ["NONE"], the form every compose
// implementation reads: podman-compose 1.0.3 ignores disable: true and
// would run the app's HTTP probe against the worker.
func checkNoHealthCheck(t *testing.T, name string, svc types.ServiceConfig) {
	t.Helper()
	if hc := svc.HealthCheck; hc == nil || hc.Disable || !slices.Equal([]string(hc.Test), []string{"NONE"}) {
		t.Errorf("%s health check %+v; want test: [\"NONE\"]", name, hc)
	}
}

// checkComposeText checks what only the raw file shows.
func checkComposeText(t *testing.T, data []byte) {
	t.Helper()
	if regexp.MustCompile(`(?m)^version:`).Match(data) {
		t.Error("compose.yaml has the obsolete top-level version:")
	}
	if m := secretLiteralRe.Find(data); m != nil {
		t.Errorf("compose.yaml holds a literal secret: %q", m)
	}
	if strings.Contains(string(data), "change-me") {
		t.Error("compose.yaml holds a placeholder value from .env.example")
	}
}

// checkBackingServices checks each backing service: health check, a
// catalog image, named volumes, the internal network only, no port. It
// returns their names.
func checkBackingServices(t *testing.T, p *generator.Plan, proj *types.Project) map[string]bool {
	t.Helper()
	backing := map[string]bool{}
	for _, s := range p.Compose.Services {
		backing[s.Name] = true
		svc, ok := proj.Services[s.Name]
		if !ok {
			t.Fatalf("service %s missing", s.Name)
		}
		if len(svc.Ports) > 0 {
			t.Errorf("%s publishes %v; a backing service stays on the internal network", s.Name, svc.Ports)
		}
		if svc.HealthCheck == nil || svc.HealthCheck.Disable || len(svc.HealthCheck.Test) < 2 {
			t.Errorf("%s has no health check", s.Name)
		}
		if !catalog.TagKnown(svc.Image) {
			t.Errorf("%s image %s is not a tag the catalog vouches for", s.Name, svc.Image)
		}
		if len(svc.Volumes) == 0 {
			t.Errorf("%s keeps its data in no volume", s.Name)
		}
		for _, v := range svc.Volumes {
			if _, named := proj.Volumes[v.Source]; v.Type != types.VolumeTypeVolume || !named {
				t.Errorf("%s volume %+v is not a named volume", s.Name, v)
			}
		}
		if _, internal := svc.Networks["backend"]; !internal || len(svc.Networks) != 1 {
			t.Errorf("%s networks %v; want only the internal backend", s.Name, svc.Networks)
		}
	}
	if n, ok := proj.Networks["backend"]; !ok || !n.Internal {
		t.Error("backend network is not internal")
	}
	return backing
}

// checkEveryService checks what every service has: limits, rotated logs,
// no-new-privileges.
func checkEveryService(t *testing.T, name string, svc types.ServiceConfig) {
	t.Helper()
	if svc.Deploy == nil || svc.Deploy.Resources.Limits == nil || svc.Deploy.Resources.Limits.NanoCPUs <= 0 || svc.Deploy.Resources.Limits.MemoryBytes <= 0 {
		t.Errorf("%s has no cpu and memory limits", name)
	}
	if svc.Logging == nil || svc.Logging.Driver != "json-file" || svc.Logging.Options["max-size"] == "" {
		t.Errorf("%s logs without rotation", name)
	}
	if !slices.Contains(svc.SecurityOpt, "no-new-privileges:true") {
		t.Errorf("%s lacks no-new-privileges", name)
	}
}

// checkAppService checks a service of the app's image (the app, a
// worker, the migration): no capabilities, health-gated start order,
// read_only exactly when writable folders are known.
func checkAppService(t *testing.T, p *generator.Plan, name string, svc types.ServiceConfig, backing map[string]bool) {
	t.Helper()
	if !slices.Contains(svc.CapDrop, "ALL") {
		t.Errorf("%s keeps its capabilities", name)
	}
	for b := range backing {
		if dep, ok := svc.DependsOn[b]; !ok || dep.Condition != types.ServiceConditionHealthy {
			t.Errorf("%s does not wait for %s to be healthy (%+v)", name, b, svc.DependsOn)
		}
	}
	if p.Compose.Migrate != nil && name != "migrate" {
		if dep, ok := svc.DependsOn["migrate"]; !ok || dep.Condition != types.ServiceConditionCompletedSuccessfully {
			t.Errorf("%s does not wait for the migrations", name)
		}
	}
	if (len(p.Compose.Tmpfs) > 0) != svc.ReadOnly {
		t.Errorf("%s read_only = %v with tmpfs %v", name, svc.ReadOnly, p.Compose.Tmpfs)
	}
}

// composeFixtures are repositories with backing services in every
// ecosystem, each with what compose.yaml must hold.
var composeFixtures = map[string]struct {
	files    map[string]string
	services []string
	env      []string
	workers  []string
	migrate  bool
}{
	"django celery postgres redis": {
		files: map[string]string{
			"requirements.txt": "Django==5.2\npsycopg[binary]\ncelery[redis]\ndj-database-url\ngunicorn\n",
			"manage.py":        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
			"proj/__init__.py": "",
			"proj/settings.py": "import os, dj_database_url\nDATABASES = {'default': dj_database_url.config()}\nCELERY_BROKER_URL = os.environ['CELERY_BROKER_URL']\nCELERY_BEAT_SCHEDULE = {}\n",
			"proj/celery.py":   "from celery import Celery\napp = Celery('proj')\n",
			"proj/wsgi.py":     "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
		},
		services: []string{"postgres", "redis"}, env: []string{"CELERY_BROKER_URL", "DATABASE_URL"}, workers: []string{"worker", "beat"}, migrate: true,
	},
	"flask rq procfile with shell": {
		files: map[string]string{
			"requirements.txt": "flask\ngunicorn\nrq\nredis\n",
			"app.py":           "import os\nfrom flask import Flask\napp = Flask(__name__)\nREDIS = os.getenv('REDIS_URL')\n",
			"Procfile":         "web: gunicorn app:app\nworker: rq worker --url $REDIS_URL\n",
		},
		services: []string{"redis"}, env: []string{"REDIS_URL"}, workers: []string{"worker"},
	},
	"node prisma bullmq": {
		files: map[string]string{
			"package.json":              `{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"^5","bullmq":"^5","@prisma/client":"^6","prisma":"^6"}}`,
			"package-lock.json":         `{"lockfileVersion":3}`,
			"server.js":                 "const app = require('express')();\napp.listen(3000);\n",
			"worker.js":                 "const { Worker } = require('bullmq');\nnew Worker('q', async () => {}, { connection: { host: process.env.REDIS_HOST, port: process.env.REDIS_PORT } });\n",
			"prisma/schema.prisma":      "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n",
			"prisma/migrations/0/m.sql": "create table t();\n",
		},
		services: []string{"postgres", "redis"}, env: []string{"DATABASE_URL", "REDIS_HOST", "REDIS_PORT"}, workers: []string{"worker"}, migrate: true,
	},
	"go pgx go-redis": {
		files: map[string]string{
			"go.mod":  "module example.com/api\n\ngo 1.25\n\nrequire (\n\tgithub.com/jackc/pgx/v5 v5.7.5\n\tgithub.com/redis/go-redis/v9 v9.12.0\n)\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\t_ = os.Getenv(\"DATABASE_URL\")\n\t_ = os.Getenv(\"REDIS_URL\")\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		},
		services: []string{"postgres", "redis"}, env: []string{"DATABASE_URL", "REDIS_URL"},
	},
	"node mysql": {
		files: map[string]string{
			"package.json": `{"name":"api","scripts":{"start":"node index.js"},"dependencies":{"mysql2":"^3"}}`,
			"index.js":     "const c = { host: process.env.MYSQL_HOST, user: process.env.MYSQL_USER, password: process.env.MYSQL_PASSWORD, database: process.env.MYSQL_DATABASE };\nrequire('http').createServer().listen(3000);\n",
		},
		services: []string{"mysql"}, env: []string{"MYSQL_DATABASE", "MYSQL_HOST", "MYSQL_PASSWORD", "MYSQL_USER"},
	},
	"python mariadb mongo rabbit": {
		files: map[string]string{
			"requirements.txt": "fastapi\nuvicorn\nmariadb\npymongo\npika\n",
			"main.py":          "import os\nfrom fastapi import FastAPI\napp = FastAPI()\nDB = os.environ['DATABASE_URL']\nMONGO = os.environ['MONGO_URL']\nAMQP = os.environ['RABBITMQ_URL']\n",
		},
		services: []string{"mariadb", "mongo", "rabbitmq"}, env: []string{"DATABASE_URL", "MONGO_URL", "RABBITMQ_URL"},
	},
}

func planFor(t *testing.T, files map[string]string, mode generator.ComposeMode) (*generator.Plan, []generator.File) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	p, err := generator.Resolve(context.Background(), fsys, generator.Options{Compose: mode})
	if err != nil {
		t.Fatal(err)
	}
	out, err := generator.Render(p, "")
	if err != nil {
		t.Fatal(err)
	}
	return p, out
}

func TestComposeFixtures(t *testing.T) {
	for name, fx := range composeFixtures {
		t.Run(name, func(t *testing.T) {
			p, files := planFor(t, fx.files, generator.ComposeAuto)
			if p.Compose == nil {
				t.Fatal("no compose plan for a repository with backing services")
			}
			proj := checkCompose(t, p, files)
			var got []string
			for _, s := range p.Compose.Services {
				got = append(got, s.Name)
			}
			if !slices.Equal(got, fx.services) {
				t.Errorf("services = %v, want %v", got, fx.services)
			}
			got = nil
			for _, e := range p.Compose.Env {
				got = append(got, e.Name)
			}
			if !slices.Equal(got, fx.env) {
				t.Errorf("env = %v, want %v", got, fx.env)
			}
			got = nil
			for _, w := range p.Compose.Workers {
				got = append(got, w.Name)
			}
			if !slices.Equal(got, fx.workers) {
				t.Errorf("workers = %v, want %v", got, fx.workers)
			}
			if (p.Compose.Migrate != nil) != fx.migrate {
				t.Errorf("migrate = %+v, want %v", p.Compose.Migrate, fx.migrate)
			}
			if _, ok := proj.Services["migrate"]; ok != fx.migrate {
				t.Errorf("migrate service present = %v", ok)
			}
		})
	}
}

func TestComposeConnectionValues(t *testing.T) {
	p, files := planFor(t, composeFixtures["django celery postgres redis"].files, generator.ComposeAuto)
	proj := checkCompose(t, p, files)
	app := proj.Services["app"]
	if v := app.Environment["DATABASE_URL"]; v == nil || *v != "postgresql://app:s3cretPOSTGRES_PASSWORD@postgres:5432/app" {
		t.Errorf("DATABASE_URL = %v", v)
	}
	if v := app.Environment["CELERY_BROKER_URL"]; v == nil || *v != "redis://redis:6379/0" {
		t.Errorf("CELERY_BROKER_URL = %v", v)
	}
	if pg := proj.Services["postgres"]; pg.Environment["POSTGRES_PASSWORD"] == nil || *pg.Environment["POSTGRES_PASSWORD"] != "s3cretPOSTGRES_PASSWORD" {
		t.Errorf("postgres password not from .env: %v", pg.Environment)
	}
	beat := proj.Services["beat"]
	if !slices.Contains([]string(beat.Command), "/tmp/celerybeat-schedule") {
		t.Errorf("beat writes its schedule where the app user cannot: %v", beat.Command)
	}
	// The Procfile's $REDIS_URL reaches the container's shell, not
	// compose's interpolation.
	p, files = planFor(t, composeFixtures["flask rq procfile with shell"].files, generator.ComposeAuto)
	proj = checkCompose(t, p, files)
	if cmd := proj.Services["worker"].Command; !slices.Equal([]string(cmd), []string{"sh", "-c", "rq worker --url $REDIS_URL"}) {
		t.Errorf("worker command = %q", cmd)
	}
}

func TestComposeModes(t *testing.T) {
	plain := map[string]string{
		"requirements.txt": "flask\ngunicorn\n",
		"app.py":           "from flask import Flask\napp = Flask(__name__)\n",
	}
	if p, files := planFor(t, plain, generator.ComposeAuto); p.Compose != nil || len(files) != 2 {
		t.Errorf("compose written by default for an app with no services: %+v", p.Compose)
	}
	p, files := planFor(t, plain, generator.ComposeAlways)
	if p.Compose == nil || len(p.Compose.Services) != 0 {
		t.Fatalf("--compose: %+v", p.Compose)
	}
	checkCompose(t, p, files)
	for _, f := range files {
		if f.Name == generator.EnvExampleFile {
			t.Error(".env.example written with no secret to hold")
		}
	}
	if p, _ := planFor(t, composeFixtures["go pgx go-redis"].files, generator.ComposeNever); p.Compose != nil {
		t.Error("--no-compose still plans compose.yaml")
	}
}

func TestComposeReadOnlyWithKnownWritablePaths(t *testing.T) {
	p, _ := planFor(t, composeFixtures["go pgx go-redis"].files, generator.ComposeAuto)
	p.Compose.Tmpfs = []string{"/tmp", "/app/cache"}
	files, err := generator.Render(p, "")
	if err != nil {
		t.Fatal(err)
	}
	proj := checkCompose(t, p, files)
	app := proj.Services["app"]
	if !app.ReadOnly || !slices.Equal(app.Tmpfs, []string{"/tmp", "/app/cache"}) {
		t.Errorf("read_only %v tmpfs %v", app.ReadOnly, app.Tmpfs)
	}
	p.Compose.Tmpfs = nil
	files, _ = generator.Render(p, "")
	if !strings.Contains(string(files[2].Data), "read_only: true is left off") {
		t.Error("no comment says why read_only is left off")
	}
}

func TestComposeWorkerNamesDoNotShadowServices(t *testing.T) {
	p, files := planFor(t, map[string]string{
		"requirements.txt": "flask\ngunicorn\nredis\n",
		"app.py":           "from flask import Flask\napp = Flask(__name__)\n",
		"Procfile":         "web: gunicorn app:app\nredis: python listener.py\napp: python other.py\n",
	}, generator.ComposeAuto)
	proj := checkCompose(t, p, files)
	if proj.Services["redis"].Image == "" || len(proj.Services["app-redis"].Command) == 0 || len(proj.Services["app-app"].Command) == 0 {
		t.Errorf("services = %v", proj.ServiceNames())
	}
}

func TestComposeRequiredSettings(t *testing.T) {
	files := map[string]string{}
	for k, v := range composeFixtures["django celery postgres redis"].files {
		files[k] = v
	}
	files["proj/settings.py"] += "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nALLOWED_HOSTS = os.environ['DJANGO_ALLOWED_HOSTS'].split(',')\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n"
	p, out := planFor(t, files, generator.ComposeAuto)
	proj := checkCompose(t, p, out)
	app := proj.Services["app"]
	if v := app.Environment["DJANGO_SECRET_KEY"]; v == nil || *v != "s3cretDJANGO_SECRET_KEY" {
		t.Errorf("DJANGO_SECRET_KEY = %v; want it from .env", v)
	}
	if v := app.Environment["DJANGO_ALLOWED_HOSTS"]; v == nil || *v != "localhost,127.0.0.1" {
		t.Errorf("DJANGO_ALLOWED_HOSTS = %v", v)
	}
}

// TestComposeRepositoryTextIsInert: a Procfile line full of YAML and
// interpolation syntax reaches the container as written.
func TestComposeRepositoryTextIsInert(t *testing.T) {
	line := `python -c "print('a: b # c', \"${HOME:?boom}\")" && echo '}]{[' | cat`
	p, files := planFor(t, map[string]string{
		"requirements.txt": "flask\ngunicorn\nredis\n",
		"app.py":           "from flask import Flask\napp = Flask(__name__)\n",
		"Procfile":         "web: gunicorn app:app\nodd: " + line + "\n",
	}, generator.ComposeAuto)
	proj := checkCompose(t, p, files)
	if cmd := proj.Services["odd"].Command; !slices.Equal([]string(cmd), []string{"sh", "-c", line}) {
		t.Errorf("command = %q, want sh -c %q", cmd, line)
	}
}

func TestComposeReadOnlyForNextStandalone(t *testing.T) {
	p, files := planFor(t, map[string]string{
		"package.json": `{"scripts": {"build": "next build", "start": "next start"}, "dependencies": {"next": "16", "pg": "^8"}}`, "package-lock.json": "{}",
		"next.config.mjs": "export default { output: 'standalone' }", "public/robots.txt": "",
		"lib/db.js": "export const url = process.env.DATABASE_URL;\n",
	}, generator.ComposeAuto)
	proj := checkCompose(t, p, files)
	app := proj.Services["app"]
	if !app.ReadOnly || !slices.Equal(app.Tmpfs, []string{"/tmp", "/app/.next/cache"}) {
		t.Errorf("read_only %v tmpfs %v; want the Next.js cache and /tmp", app.ReadOnly, app.Tmpfs)
	}
}
