// Package backing finds what an app needs besides its own image: the
// backing services it talks to (PostgreSQL, MySQL/MariaDB, Redis, MongoDB,
// RabbitMQ), the environment variables it reads to reach them, the other
// processes it runs from the same image (workers, schedulers) and the
// command that applies its database migrations. Like every detector it
// reads only through an fs.FS and records the file and line of each fact;
// the generator turns the result into compose.yaml.
package backing

import (
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// maxSourceFiles bounds how many source files one scan reads: connection
// settings live near the top of a repository (settings, config, main).
const maxSourceFiles = 400

// Detect reads fsys for the services, connection variables, processes
// and migrations of the app det describes. It returns nil when nothing
// was found.
func Detect(fsys fs.FS, det *facts.Detection) *facts.ServiceFacts {
	s := &scan{fsys: fsys, det: det, out: &facts.ServiceFacts{}}
	switch det.Language {
	case facts.LangPython:
		s.python()
	case facts.LangNode:
		s.node()
	case facts.LangGo:
		s.golang()
	}
	s.envExamples()
	s.finish()
	if s.out.Empty() && len(s.out.Env) == 0 {
		return nil
	}
	return s.out
}

// scan is one run of Detect.
type scan struct {
	fsys fs.FS
	det  *facts.Detection
	out  *facts.ServiceFacts
}

// source is one file read for settings.
type source struct {
	path string
	data []byte
}

// sources reads the repository's files whose extension is in exts,
// shallowest first, leaving out tests, up to maxSourceFiles.
func (s *scan) sources(exts ...string) []source {
	var out []source
	_ = repo.Walk(s.fsys, ".", func(p string, _ fs.DirEntry) error {
		if len(out) >= maxSourceFiles {
			return fs.SkipAll
		}
		if !hasExt(p, exts) || isTestPath(p) {
			return nil
		}
		data, err := repo.ReadPrefix(s.fsys, p, repo.MaxSourceSize)
		if err == nil {
			out = append(out, source{p, data})
		}
		return nil
	})
	return out
}

func hasExt(p string, exts []string) bool {
	for _, e := range exts {
		if strings.HasSuffix(p, e) {
			return true
		}
	}
	return false
}

// isTestPath reports whether p is a test file or lives in a test folder:
// the variables tests read are not the app's.
func isTestPath(p string) bool {
	for _, part := range strings.Split(p, "/") {
		switch part {
		case "test", "tests", "__tests__", "spec", "testdata", "e2e", "fixtures":
			return true
		}
	}
	base := path.Base(p)
	return strings.HasPrefix(base, "test_") || strings.Contains(base, "_test.") || strings.Contains(base, ".test.") ||
		strings.Contains(base, ".spec.") || base == "conftest.py"
}

// depRule maps a dependency name to the service it talks to.
type depRule struct {
	name, kind string
}

// urlSchemes are connection URL schemes and the service each names; a
// literal such as "redis://localhost:6379/0" in settings is evidence.
var urlSchemeRe = regexp.MustCompile(`\b(postgres|postgresql|postgresql\+\w+|mysql|mysql\+\w+|mariadb|mariadb\+\w+|redis|rediss|valkey|mongodb|mongodb\+srv|amqp|amqps)://`)

func schemeKind(scheme string) string {
	scheme, _, _ = strings.Cut(scheme, "+")
	switch scheme {
	case "postgres", "postgresql":
		return facts.ServicePostgres
	case "mysql":
		return facts.ServiceMySQL
	case "mariadb":
		return facts.ServiceMariaDB
	case "redis", "rediss", "valkey":
		return facts.ServiceRedis
	case "mongodb":
		return facts.ServiceMongo
	case "amqp", "amqps":
		return facts.ServiceRabbitMQ
	}
	return ""
}

// urlLiterals records the services named by connection URLs in src.
func (s *scan) urlLiterals(src source) {
	for _, m := range urlSchemeRe.FindAllSubmatchIndex(src.data, -1) {
		scheme := string(src.data[m[2]:m[3]])
		if kind := schemeKind(scheme); kind != "" {
			s.out.Add(kind, facts.Evidence{File: src.path, Line: repo.LineAt(src.data, m[0]), Detail: scheme + ":// URL"})
		}
	}
}

// envRead finds the variable names a source file reads; each ecosystem
// has its own patterns.
func (s *scan) envReads(src source, patterns []*regexp.Regexp) {
	for _, re := range patterns {
		for _, m := range re.FindAllSubmatchIndex(src.data, -1) {
			name := string(src.data[m[2]:m[3]])
			s.connectionEnv(name, facts.Evidence{File: src.path, Line: repo.LineAt(src.data, m[0]), Detail: "reads " + name})
		}
	}
}

// connectionEnv records name when it is a connection setting.
func (s *scan) connectionEnv(name string, ev facts.Evidence) {
	kind, role, ok := Classify(name)
	if !ok {
		return
	}
	s.out.AddEnv(facts.ConnectionEnv{Name: name, Service: kind, Role: role, Evidence: ev})
}

// prefixes say which service a NAME_HOST-style variable belongs to.
var prefixes = []struct{ prefix, kind string }{
	{"POSTGRES_", facts.ServicePostgres}, {"POSTGRESQL_", facts.ServicePostgres},
	{"MYSQL_", facts.ServiceMySQL}, {"MARIADB_", facts.ServiceMariaDB},
	{"REDIS_", facts.ServiceRedis}, {"VALKEY_", facts.ServiceRedis},
	{"MONGODB_", facts.ServiceMongo}, {"MONGO_", facts.ServiceMongo},
	{"RABBITMQ_", facts.ServiceRabbitMQ}, {"AMQP_", facts.ServiceRabbitMQ},
	{"DATABASE_", ""}, {"DB_", ""},
}

// roles are the suffixes of a connection variable and what it holds.
var roles = map[string]string{
	"URL": "url", "URI": "url", "DSN": "url",
	"HOST": "host", "HOSTNAME": "host", "SERVER": "host",
	"PORT": "port",
	"USER": "user", "USERNAME": "user",
	"PASSWORD": "password", "PASS": "password",
	"DB": "database", "NAME": "database", "DATABASE": "database", "DBNAME": "database",
}

// exactNames are connection variables whose name does not follow the
// PREFIX_ROLE shape.
var exactNames = map[string][2]string{
	"DATABASE_URL":            {"", "url"},
	"SQLALCHEMY_DATABASE_URI": {"", "url"},
	"SQLALCHEMY_DATABASE_URL": {"", "url"},
	"CELERY_BROKER_URL":       {"broker", "url"},
	"BROKER_URL":              {"broker", "url"},
	"CELERY_RESULT_BACKEND":   {facts.ServiceRedis, "url"},
	"RQ_REDIS_URL":            {facts.ServiceRedis, "url"},
	"CACHE_URL":               {facts.ServiceRedis, "url"},
	"CLOUDAMQP_URL":           {facts.ServiceRabbitMQ, "url"},
	"PGHOST":                  {facts.ServicePostgres, "host"},
	"PGPORT":                  {facts.ServicePostgres, "port"},
	"PGUSER":                  {facts.ServicePostgres, "user"},
	"PGPASSWORD":              {facts.ServicePostgres, "password"},
	"PGDATABASE":              {facts.ServicePostgres, "database"},
}

// Classify says whether name is a connection variable: the service it
// points at ("" for a database not named, "broker" for a task broker)
// and the role of its value. DATABASE_URL is ("", "url"), REDIS_HOST is
// ("redis", "host"), SECRET_KEY is not one.
func Classify(name string) (kind, role string, ok bool) {
	if e, ok := exactNames[name]; ok {
		return e[0], e[1], true
	}
	for _, p := range prefixes {
		rest, found := strings.CutPrefix(name, p.prefix)
		if !found {
			continue
		}
		if r, ok := roles[rest]; ok {
			if (p.prefix == "DATABASE_" || p.prefix == "DB_") && rest == "DATABASE" {
				continue
			}
			return p.kind, r, true
		}
	}
	return "", "", false
}

// dgenEnvExample opens the .env.example dgen writes.
const dgenEnvExample = "# .env.example written by dgen"

// envExamples reads the variable names of a committed .env.example (or
// .env.sample, .env.template): a project documents its settings there.
func (s *scan) envExamples() {
	for _, name := range []string{".env.example", ".env.sample", ".env.template", ".env.dist", "example.env"} {
		data, err := repo.ReadPrefix(s.fsys, name, repo.MaxSourceSize)
		if err != nil || strings.HasPrefix(string(data), dgenEnvExample) {
			// dgen's own .env.example lists what compose.yaml sets, not
			// what the app reads.
			continue
		}
		repo.Lines(data, func(n int, line string) bool {
			line = strings.TrimPrefix(strings.TrimSpace(line), "export ")
			key, val, ok := strings.Cut(line, "=")
			if !ok || strings.HasPrefix(key, "#") {
				return true
			}
			key = strings.TrimSpace(key)
			s.connectionEnv(key, facts.Evidence{File: name, Line: n, Detail: key})
			if m := urlSchemeRe.FindStringSubmatch(val); m != nil {
				if kind := schemeKind(m[1]); kind != "" {
					s.out.Add(kind, facts.Evidence{File: name, Line: n, Detail: key + " is a " + m[1] + ":// URL"})
				}
			}
			return true
		})
	}
}

// finish settles what the evidence implies together: a broker variable
// with Redis found points at Redis, MariaDB beats MySQL when both are
// named (the MySQL clients speak to both), and the lists get a stable
// order.
func (s *scan) finish() {
	o := s.out
	if o.Has(facts.ServiceMariaDB) && o.Has(facts.ServiceMySQL) {
		var keep []facts.BackingService
		for _, b := range o.Services {
			if b.Kind == facts.ServiceMySQL {
				continue
			}
			keep = append(keep, b)
		}
		o.Services = keep
	}
	for i := range o.Env {
		e := &o.Env[i]
		if e.Service == "broker" {
			e.Service = ""
			switch {
			case o.Has(facts.ServiceRedis):
				e.Service = facts.ServiceRedis
			case o.Has(facts.ServiceRabbitMQ):
				e.Service = facts.ServiceRabbitMQ
			}
		}
		if e.Service == facts.ServiceMySQL && o.Has(facts.ServiceMariaDB) {
			e.Service = facts.ServiceMariaDB
		}
	}
	order := map[string]int{facts.ServicePostgres: 0, facts.ServiceMySQL: 1, facts.ServiceMariaDB: 2, facts.ServiceMongo: 3, facts.ServiceRedis: 4, facts.ServiceRabbitMQ: 5}
	sort.SliceStable(o.Services, func(i, j int) bool { return order[o.Services[i].Kind] < order[o.Services[j].Kind] })
	sort.SliceStable(o.Env, func(i, j int) bool { return o.Env[i].Name < o.Env[j].Name })
}

// manifestDeps records the services named by dependencies in the lines
// of a manifest. norm turns a line into the form the rule names are in.
func (s *scan) manifestDeps(file string, rules []depRule, match func(line, dep string) bool) {
	data, err := repo.ReadPrefix(s.fsys, file, repo.MaxManifestSize)
	if err != nil {
		return
	}
	repo.Lines(data, func(n int, line string) bool {
		for _, r := range rules {
			if match(line, r.name) {
				s.out.Add(r.kind, facts.Evidence{File: file, Line: n, Detail: "depends on " + r.name})
			}
		}
		return true
	})
}
