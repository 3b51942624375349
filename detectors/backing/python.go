package backing

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// pythonRules are the PyPI distributions (PEP 503 names) that talk to a
// backing service.
var pythonRules = []depRule{
	{"psycopg", facts.ServicePostgres}, {"psycopg-binary", facts.ServicePostgres}, {"psycopg-c", facts.ServicePostgres},
	{"psycopg-pool", facts.ServicePostgres}, {"psycopg2", facts.ServicePostgres}, {"psycopg2-binary", facts.ServicePostgres},
	{"asyncpg", facts.ServicePostgres}, {"pg8000", facts.ServicePostgres}, {"aiopg", facts.ServicePostgres},
	{"mysqlclient", facts.ServiceMySQL}, {"pymysql", facts.ServiceMySQL}, {"mysql-connector-python", facts.ServiceMySQL},
	{"aiomysql", facts.ServiceMySQL}, {"asyncmy", facts.ServiceMySQL},
	{"mariadb", facts.ServiceMariaDB},
	{"redis", facts.ServiceRedis}, {"aioredis", facts.ServiceRedis}, {"django-redis", facts.ServiceRedis}, {"hiredis", facts.ServiceRedis},
	{"rq", facts.ServiceRedis}, {"django-rq", facts.ServiceRedis}, {"arq", facts.ServiceRedis}, {"channels-redis", facts.ServiceRedis},
	{"valkey", facts.ServiceRedis},
	{"pymongo", facts.ServiceMongo}, {"motor", facts.ServiceMongo}, {"mongoengine", facts.ServiceMongo}, {"beanie", facts.ServiceMongo},
	{"djongo", facts.ServiceMongo}, {"odmantic", facts.ServiceMongo},
	{"pika", facts.ServiceRabbitMQ}, {"aio-pika", facts.ServiceRabbitMQ}, {"aiormq", facts.ServiceRabbitMQ},
}

// pythonManifests are the files whose lines name the dependencies.
var pythonManifests = []string{"requirements.txt", "requirements/base.txt", "requirements/production.txt", "requirements/prod.txt",
	"requirements/common.txt", "pyproject.toml", "Pipfile", "setup.py", "setup.cfg"}

// pyDepLineRe finds a requirement name at the start of a line or of a
// quoted string, with an extra such as celery[redis].
var pyDepLineRe = regexp.MustCompile(`(?:^|["'\s])([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?`)

// pyNorm is PEP 503's normalization.
func pyNorm(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("_", "-", ".", "-").Replace(s)
}

// pyLineNames returns the normalized requirement names a manifest line
// holds (the requirement itself and the services its extras pull in).
func pyLineHas(line, dep string) bool {
	t := strings.TrimSpace(line)
	if strings.HasPrefix(t, "#") {
		return false
	}
	for _, m := range pyDepLineRe.FindAllStringSubmatch(line, -1) {
		name := pyNorm(m[1])
		if name == dep {
			return true
		}
		// celery[redis] and kombu[redis] pull in the redis client.
		if m[2] != "" && (name == "celery" || name == "kombu" || name == "dramatiq") && strings.Contains(pyNorm(m[2]), dep) {
			return true
		}
	}
	return false
}

// pyEnvRes find the variables Python code reads: os.environ, os.getenv,
// django-environ's env("X") and env.db("X"), python-decouple's config("X").
var pyEnvRes = []*regexp.Regexp{
	regexp.MustCompile(`environ\[\s*["']([A-Z][A-Z0-9_]*)["']`),
	regexp.MustCompile(`environ\.get\(\s*["']([A-Z][A-Z0-9_]*)["']`),
	regexp.MustCompile(`getenv\(\s*["']([A-Z][A-Z0-9_]*)["']`),
	regexp.MustCompile(`\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']`),
	regexp.MustCompile(`\bconfig\(\s*["']([A-Z][A-Z0-9_]*)["']`),
	regexp.MustCompile(`dj_database_url\.\w+\([^)]*env\s*=\s*["']([A-Z][A-Z0-9_]*)["']`),
}

// pyDefaultURLRes are calls that read DATABASE_URL without naming it.
var pyDefaultURLRes = []*regexp.Regexp{
	regexp.MustCompile(`dj_database_url\.config\(\s*(?:\)|default|conn_max_age|ssl_require|engine)`),
	regexp.MustCompile(`\benv\.db(?:_url)?\(\s*\)`),
}

// pySettingsFieldRe is a field of a pydantic BaseSettings class, read
// from the variable of the same name in capitals.
var pySettingsFieldRe = regexp.MustCompile(`(?m)^\s{4}([a-z][a-z0-9_]*)\s*:\s*[A-Za-z]`)

// djangoEngines are the database engines of Django settings.
var djangoEngines = []depRule{
	{"django.db.backends.postgresql", facts.ServicePostgres},
	{"django.db.backends.postgresql_psycopg2", facts.ServicePostgres},
	{"django.contrib.gis.db.backends.postgis", facts.ServicePostgres},
	{"django.db.backends.mysql", facts.ServiceMySQL},
	{"django.contrib.gis.db.backends.mysql", facts.ServiceMySQL},
}

var celeryAppRe = regexp.MustCompile(`\bCelery\(`)
var celeryBeatRe = regexp.MustCompile(`beat_schedule|CELERY_BEAT_SCHEDULE|CELERYBEAT_SCHEDULE|add_periodic_task|@periodic_task`)

func (s *scan) python() {
	py := s.det.Python
	deps := map[string]bool{}
	if py != nil {
		for _, d := range py.Dependencies {
			deps[d] = true
		}
	}
	var rules []depRule
	for _, r := range pythonRules {
		if deps[r.name] || deps["celery"] || deps["kombu"] {
			rules = append(rules, r)
		}
	}
	for _, m := range pythonManifests {
		s.manifestDeps(m, rules, pyLineHas)
	}
	srcs := s.sources(".py")
	for _, src := range srcs {
		s.pySource(src)
	}
	s.procfile()
	s.pyWorkers(srcs, deps)
	s.pyMigrate(deps)
}

// pySource reads one Python file for connection variables, URLs and
// Django database engines.
func (s *scan) pySource(src source) {
	s.envReads(src, pyEnvRes)
	for _, re := range pyDefaultURLRes {
		if loc := re.FindIndex(src.data); loc != nil {
			s.connectionEnv("DATABASE_URL", facts.Evidence{File: src.path, Line: repo.LineAt(src.data, loc[0]), Detail: "reads DATABASE_URL (" + strings.TrimSpace(string(src.data[loc[0]:loc[1]])) + ")"})
		}
	}
	if strings.Contains(string(src.data), "BaseSettings") {
		for _, m := range pySettingsFieldRe.FindAllSubmatchIndex(src.data, -1) {
			name := strings.ToUpper(string(src.data[m[2]:m[3]]))
			s.connectionEnv(name, facts.Evidence{File: src.path, Line: repo.LineAt(src.data, m[0]), Detail: "settings field " + string(src.data[m[2]:m[3]])})
		}
	}
	s.urlLiterals(src)
	for _, e := range djangoEngines {
		for _, q := range []string{`"`, `'`} {
			if i := strings.Index(string(src.data), q+e.name+q); i >= 0 {
				s.out.Add(e.kind, facts.Evidence{File: src.path, Line: repo.LineAt(src.data, i), Detail: "Django ENGINE " + e.name})
			}
		}
	}
}

// pyWorkers adds Celery's worker and beat, an RQ worker and django-rq's
// rqworker when the dependencies hold them and no Procfile entry runs
// them already.
func (s *scan) pyWorkers(srcs []source, deps map[string]bool) {
	runs := func(prog string) bool {
		if slices.Contains(s.det.Start, prog) {
			return true
		}
		for _, p := range s.out.Processes {
			if strings.Contains(strings.Join(p.Command, " "), prog) {
				return true
			}
		}
		return false
	}
	if deps["celery"] && !runs("celery") {
		s.celery(srcs, deps)
	}
	switch {
	case deps["django-rq"] && s.det.Python != nil && s.det.Python.ManagePy != "" && !runs("rqworker"):
		s.out.AddProcess(facts.Process{Name: "worker", Command: []string{"python", s.det.Python.ManagePy, "rqworker", "default"},
			Evidence: facts.Evidence{File: s.pyManifest(), Detail: "depends on django-rq"}})
	case deps["rq"] && !deps["django-rq"] && !runs("rq"):
		ev := facts.Evidence{File: s.pyManifest(), Detail: "depends on rq; rq worker reads RQ_REDIS_URL"}
		s.out.AddProcess(facts.Process{Name: "worker", Command: []string{"rq", "worker"}, Evidence: ev})
		s.out.AddEnv(facts.ConnectionEnv{Name: "RQ_REDIS_URL", Service: facts.ServiceRedis, Role: "url", Evidence: ev})
		s.out.Add(facts.ServiceRedis, ev)
	}
}

// celery finds the module that creates the Celery app and runs its
// worker, and its beat when the code schedules periodic tasks.
func (s *scan) celery(srcs []source, deps map[string]bool) {
	var app *source
	var line int
	var beat *facts.Evidence
	for i := range srcs {
		src := &srcs[i]
		if loc := celeryAppRe.FindIndex(src.data); loc != nil && app == nil {
			app, line = src, repo.LineAt(src.data, loc[0])
		}
		if loc := celeryBeatRe.FindIndex(src.data); loc != nil && beat == nil {
			beat = &facts.Evidence{File: src.path, Line: repo.LineAt(src.data, loc[0]), Detail: string(src.data[loc[0]:loc[1]])}
		}
	}
	if app == nil {
		return
	}
	mod := s.pyModule(app.path)
	if mod == "" {
		return
	}
	ev := facts.Evidence{File: app.path, Line: line, Detail: "Celery app"}
	s.out.AddProcess(facts.Process{Name: "worker", Command: []string{"celery", "-A", mod, "worker", "--loglevel=INFO"}, Evidence: ev})
	if deps["django-celery-beat"] && beat == nil {
		beat = &facts.Evidence{File: s.pyManifest(), Detail: "depends on django-celery-beat"}
	}
	if beat != nil {
		// The schedule file goes to /tmp: the app folder belongs to root
		// and the container runs as a non-root user.
		cmd := []string{"celery", "-A", mod, "beat", "--loglevel=INFO", "--schedule", "/tmp/celerybeat-schedule"}
		if deps["django-celery-beat"] {
			cmd = []string{"celery", "-A", mod, "beat", "--loglevel=INFO", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"}
		}
		s.out.AddProcess(facts.Process{Name: "beat", Command: cmd, Evidence: *beat})
	}
}

// pyModule is the import name of a file, relative to the app folder; a
// package's celery.py is named by its package, as `celery -A proj` finds
// proj.celery.
func (s *scan) pyModule(file string) string {
	rel := file
	if py := s.det.Python; py != nil && py.AppDir != "" && py.AppDir != "." {
		var ok bool
		if rel, ok = strings.CutPrefix(file, py.AppDir+"/"); !ok {
			return ""
		}
	}
	rel = strings.TrimSuffix(rel, ".py")
	if path.Base(rel) == "celery" && path.Dir(rel) != "." {
		rel = path.Dir(rel)
	}
	mod := strings.ReplaceAll(rel, "/", ".")
	if repo.CheckPath(rel) != nil {
		return ""
	}
	return mod
}

// pyManifest is the manifest cited for a dependency.
func (s *scan) pyManifest() string {
	if py := s.det.Python; py != nil && len(py.Manifests) > 0 {
		return py.Manifests[0]
	}
	return "requirements.txt"
}

// pyMigrate records Django's migrate, or Alembic's upgrade when the
// repository has an alembic.ini, unless a Procfile release: entry said.
func (s *scan) pyMigrate(deps map[string]bool) {
	if s.out.Migrate != nil {
		return
	}
	py := s.det.Python
	switch {
	case py != nil && py.ManagePy != "":
		s.out.Migrate = &facts.Process{Name: "migrate", Command: []string{"python", py.ManagePy, "migrate", "--noinput"},
			Evidence: facts.Evidence{File: py.ManagePy, Detail: "Django project"}}
	case deps["alembic"] && repo.IsFile(s.fsys, "alembic.ini"):
		s.out.Migrate = &facts.Process{Name: "migrate", Command: []string{"alembic", "upgrade", "head"},
			Evidence: facts.Evidence{File: "alembic.ini", Detail: "Alembic migrations"}}
	}
}
