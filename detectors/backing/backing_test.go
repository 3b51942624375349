package backing_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dgen-dev/dgen/detectors"
	"github.com/dgen-dev/dgen/detectors/backing"
	"github.com/dgen-dev/dgen/detectors/facts"
)

func run(t *testing.T, files map[string]string) *facts.ServiceFacts {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	det, err := detectors.Detect(fsys, nil)
	if err != nil {
		t.Fatal(err)
	}
	return backing.Detect(fsys, det)
}

func kinds(s *facts.ServiceFacts) []string {
	var out []string
	if s == nil {
		return out
	}
	for _, b := range s.Services {
		out = append(out, b.Kind)
	}
	return out
}

func envNames(s *facts.ServiceFacts) map[string]facts.ConnectionEnv {
	out := map[string]facts.ConnectionEnv{}
	if s != nil {
		for _, e := range s.Env {
			out[e.Name] = e
		}
	}
	return out
}

func process(s *facts.ServiceFacts, name string) *facts.Process {
	for i := range s.Processes {
		if s.Processes[i].Name == name {
			return &s.Processes[i]
		}
	}
	return nil
}

func TestDjangoCeleryPostgresRedis(t *testing.T) {
	s := run(t, map[string]string{
		"requirements.txt":       "Django==5.2\npsycopg[binary]==3.2.9\ncelery[redis]==5.5.3\ndj-database-url==3.0\ngunicorn\n",
		"manage.py":              "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
		"proj/__init__.py":       "from .celery import app as celery_app\n",
		"proj/settings.py":       "import os\nimport dj_database_url\nDATABASES = {'default': dj_database_url.config(conn_max_age=600)}\nCELERY_BROKER_URL = os.environ.get('CELERY_BROKER_URL', 'redis://localhost:6379/0')\nCELERY_BEAT_SCHEDULE = {}\n",
		"proj/celery.py":         "from celery import Celery\napp = Celery('proj')\n",
		"proj/wsgi.py":           "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
		"tests/test_settings.py": "import os\nos.environ['TEST_DATABASE_URL']\n",
	})
	if got := kinds(s); !slices.Equal(got, []string{"postgres", "redis"}) {
		t.Fatalf("services = %v, want postgres, redis", got)
	}
	pg := s.Services[0].Evidence[0]
	if pg.File != "requirements.txt" || pg.Line != 2 {
		t.Errorf("postgres evidence = %v, want requirements.txt:2", pg)
	}
	env := envNames(s)
	if e := env["DATABASE_URL"]; e.Role != "url" || e.Evidence.File != "proj/settings.py" || e.Evidence.Line != 3 {
		t.Errorf("DATABASE_URL = %+v", e)
	}
	if e := env["CELERY_BROKER_URL"]; e.Service != facts.ServiceRedis {
		t.Errorf("CELERY_BROKER_URL points at %q, want redis", e.Service)
	}
	if _, ok := env["TEST_DATABASE_URL"]; ok {
		t.Error("a variable read only by tests was taken")
	}
	if w := process(s, "worker"); w == nil || strings.Join(w.Command, " ") != "celery -A proj worker --loglevel=INFO" {
		t.Errorf("worker = %+v", w)
	}
	if b := process(s, "beat"); b == nil || !slices.Contains(b.Command, "beat") || b.Evidence.File != "proj/settings.py" {
		t.Errorf("beat = %+v", b)
	}
	if s.Migrate == nil || strings.Join(s.Migrate.Command, " ") != "python manage.py migrate --noinput" {
		t.Errorf("migrate = %+v", s.Migrate)
	}
}

func TestDjangoEngineAndSettingsVariables(t *testing.T) {
	s := run(t, map[string]string{
		"requirements.txt": "django\nmysqlclient\n",
		"manage.py":        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
		"site/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'HOST': os.getenv('DB_HOST'), 'PASSWORD': os.environ['DB_PASSWORD'], 'NAME': env('DB_NAME')}}\n",
	})
	if got := kinds(s); !slices.Equal(got, []string{"mysql"}) {
		t.Fatalf("services = %v", got)
	}
	env := envNames(s)
	for name, role := range map[string]string{"DB_HOST": "host", "DB_PASSWORD": "password", "DB_NAME": "database"} {
		if env[name].Role != role {
			t.Errorf("%s role = %q, want %q", name, env[name].Role, role)
		}
	}
}

func TestPydanticSettingsAndAlembic(t *testing.T) {
	s := run(t, map[string]string{
		"pyproject.toml": "[project]\nname = \"api\"\ndependencies = [\n  \"fastapi\",\n  \"asyncpg>=0.30\",\n  \"alembic\",\n  \"pydantic-settings\",\n]\n",
		"alembic.ini":    "[alembic]\n",
		"app/main.py":    "from fastapi import FastAPI\napp = FastAPI()\n",
		"app/config.py":  "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    database_url: str\n    debug: bool = False\n",
	})
	if got := kinds(s); !slices.Equal(got, []string{"postgres"}) {
		t.Fatalf("services = %v", got)
	}
	if e := envNames(s)["DATABASE_URL"]; e.Evidence.File != "app/config.py" || e.Evidence.Line != 4 {
		t.Errorf("DATABASE_URL = %+v", e)
	}
	if s.Migrate == nil || strings.Join(s.Migrate.Command, " ") != "alembic upgrade head" {
		t.Errorf("migrate = %+v", s.Migrate)
	}
}

func TestProcfileWorkersAndRelease(t *testing.T) {
	s := run(t, map[string]string{
		"requirements.txt": "flask\ngunicorn\nrq\nredis\n",
		"app.py":           "from flask import Flask\napp = Flask(__name__)\n",
		"Procfile":         "web: gunicorn app:app\nworker: rq worker --url $REDIS_URL high default\nclock: python clock.py\nrelease: flask db upgrade\n",
	})
	w := process(s, "worker")
	if w == nil || !slices.Equal(w.Command, []string{"sh", "-c", "rq worker --url $REDIS_URL high default"}) || w.Evidence.Line != 2 {
		t.Errorf("worker = %+v, want the Procfile line through sh -c", w)
	}
	if c := process(s, "clock"); c == nil || !slices.Equal(c.Command, []string{"python", "clock.py"}) {
		t.Errorf("clock = %+v", c)
	}
	if len(s.Processes) != 2 {
		t.Errorf("processes = %+v; rq's own worker must not be added twice", s.Processes)
	}
	if s.Migrate == nil || s.Migrate.Evidence.Detail != "release: flask db upgrade" {
		t.Errorf("migrate = %+v", s.Migrate)
	}
	if !s.Has(facts.ServiceRedis) {
		t.Error("redis not found")
	}
}

func TestRQWorkerReadsItsURL(t *testing.T) {
	s := run(t, map[string]string{
		"requirements.txt": "flask\nrq\n",
		"app.py":           "from flask import Flask\napp = Flask(__name__)\n",
	})
	w := process(s, "worker")
	if w == nil || !slices.Equal(w.Command, []string{"rq", "worker"}) {
		t.Fatalf("worker = %+v", w)
	}
	if e := envNames(s)["RQ_REDIS_URL"]; e.Service != facts.ServiceRedis {
		t.Errorf("RQ_REDIS_URL = %+v", e)
	}
}

func TestNodePostgresRedisBullMQPrisma(t *testing.T) {
	s := run(t, map[string]string{
		"package.json":              `{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"^5","ioredis":"^5","bullmq":"^5","@prisma/client":"^6","prisma":"^6"}}`,
		"package-lock.json":         `{"lockfileVersion":3}`,
		"server.js":                 "const app = require('express')();\nconst redis = new (require('ioredis'))(process.env.REDIS_URL);\napp.listen(process.env.PORT || 3000);\n",
		"worker.js":                 "const { Worker } = require('bullmq');\nnew Worker('mail', async () => {}, { connection: { host: process.env.REDIS_HOST } });\n",
		"prisma/schema.prisma":      "generator client {\n  provider = \"prisma-client-js\"\n}\n\ndatasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n",
		"prisma/migrations/0/x.sql": "create table t();\n",
	})
	if got := kinds(s); !slices.Equal(got, []string{"postgres", "redis"}) {
		t.Fatalf("services = %v", got)
	}
	if ev := s.Services[0].Evidence[0]; ev.File != "prisma/schema.prisma" || ev.Line != 6 {
		t.Errorf("postgres evidence = %v", ev)
	}
	env := envNames(s)
	for _, n := range []string{"DATABASE_URL", "REDIS_URL", "REDIS_HOST"} {
		if _, ok := env[n]; !ok {
			t.Errorf("%s not found", n)
		}
	}
	if _, ok := env["PORT"]; ok {
		t.Error("PORT is not a connection variable")
	}
	if w := process(s, "worker"); w == nil || !slices.Equal(w.Command, []string{"node", "worker.js"}) {
		t.Errorf("worker = %+v", w)
	}
	if s.Migrate == nil || !slices.Contains(s.Migrate.Command, "deploy") {
		t.Errorf("migrate = %+v", s.Migrate)
	}
}

func TestNodeMongoAndRabbit(t *testing.T) {
	s := run(t, map[string]string{
		"package.json": `{"name":"api","scripts":{"start":"node index.js"},"dependencies":{"mongoose":"^8","amqplib":"^0.10"}}`,
		"index.js":     "require('mongoose').connect(process.env.MONGODB_URI);\nrequire('amqplib').connect(process.env.AMQP_URL);\nrequire('http').createServer().listen(3000);\n",
	})
	if got := kinds(s); !slices.Equal(got, []string{"mongo", "rabbitmq"}) {
		t.Fatalf("services = %v", got)
	}
	env := envNames(s)
	if env["MONGODB_URI"].Service != facts.ServiceMongo || env["AMQP_URL"].Service != facts.ServiceRabbitMQ {
		t.Errorf("env = %+v", env)
	}
}

func TestGoModules(t *testing.T) {
	s := run(t, map[string]string{
		"go.mod":  "module example.com/api\n\ngo 1.25\n\nrequire (\n\tgithub.com/jackc/pgx/v5 v5.7.5\n\tgithub.com/redis/go-redis/v9 v9.12.0\n)\n",
		"main.go": "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\t_ = os.Getenv(\"DATABASE_URL\")\n\t_ = os.Getenv(\"REDIS_ADDR\")\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
	})
	if got := kinds(s); !slices.Equal(got, []string{"postgres", "redis"}) {
		t.Fatalf("services = %v", got)
	}
	if ev := s.Services[0].Evidence[0]; ev.File != "go.mod" || ev.Line != 6 {
		t.Errorf("postgres evidence = %v", ev)
	}
	if _, ok := envNames(s)["DATABASE_URL"]; !ok {
		t.Error("DATABASE_URL not found")
	}
}

func TestNothingFound(t *testing.T) {
	s := run(t, map[string]string{
		"requirements.txt": "flask\n# redis later\n",
		"app.py":           "from flask import Flask\nimport os\napp = Flask(__name__)\nSECRET = os.environ['SECRET_KEY']\n",
	})
	if s != nil {
		t.Errorf("found %+v in an app with no backing service", s)
	}
}

func TestMariaDBWinsOverMySQL(t *testing.T) {
	s := run(t, map[string]string{
		"package.json": `{"name":"api","scripts":{"start":"node index.js"},"dependencies":{"mariadb":"^3","mysql2":"^3"}}`,
		"index.js":     "require('http').createServer().listen(3000);\nconst host = process.env.MYSQL_HOST;\n",
	})
	if got := kinds(s); !slices.Equal(got, []string{"mariadb"}) {
		t.Fatalf("services = %v", got)
	}
	if e := envNames(s)["MYSQL_HOST"]; e.Service != facts.ServiceMariaDB {
		t.Errorf("MYSQL_HOST points at %q", e.Service)
	}
}

func TestClassify(t *testing.T) {
	for name, want := range map[string][3]string{
		"DATABASE_URL":      {"", "url", "true"},
		"POSTGRES_HOST":     {"postgres", "host", "true"},
		"PGPASSWORD":        {"postgres", "password", "true"},
		"REDIS_URL":         {"redis", "url", "true"},
		"CELERY_BROKER_URL": {"broker", "url", "true"},
		"MONGO_URI":         {"mongo", "url", "true"},
		"RABBITMQ_URL":      {"rabbitmq", "url", "true"},
		"DB_NAME":           {"", "database", "true"},
		"SECRET_KEY":        {"", "", "false"},
		"DATABASE_DATABASE": {"", "", "false"},
		"PORT":              {"", "", "false"},
	} {
		k, r, ok := backing.Classify(name)
		if k != want[0] || r != want[1] || (ok != (want[2] == "true")) {
			t.Errorf("Classify(%s) = %q, %q, %v; want %v", name, k, r, ok, want)
		}
	}
}

func TestEnvExampleNamesSettings(t *testing.T) {
	s := run(t, map[string]string{
		"requirements.txt": "flask\nredis\n",
		"app.py":           "from flask import Flask\napp = Flask(__name__)\n",
		".env.example":     "# settings\nREDIS_URL=redis://localhost:6379/0\nSECRET_KEY=x\n",
	})
	if e := envNames(s)["REDIS_URL"]; e.Evidence.File != ".env.example" || e.Evidence.Line != 2 {
		t.Errorf("REDIS_URL = %+v", e)
	}
	// The .env.example dgen writes lists compose's secrets, not what the
	// app reads: reading it back would change compose.yaml on every run.
	s = run(t, map[string]string{
		"requirements.txt": "flask\nredis\n",
		"app.py":           "from flask import Flask\napp = Flask(__name__)\n",
		".env.example":     "# .env.example written by dgen: the secrets compose.yaml reads.\nPOSTGRES_PASSWORD=change-me\n",
	})
	if _, ok := envNames(s)["POSTGRES_PASSWORD"]; ok {
		t.Error("dgen's own .env.example was read as the app's settings")
	}
}
