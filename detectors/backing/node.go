package backing

import (
	"encoding/json"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// nodeRules are the npm packages that talk to a backing service.
var nodeRules = []depRule{
	{"pg", facts.ServicePostgres}, {"postgres", facts.ServicePostgres}, {"pg-promise", facts.ServicePostgres}, {"slonik", facts.ServicePostgres},
	{"mysql", facts.ServiceMySQL}, {"mysql2", facts.ServiceMySQL},
	{"mariadb", facts.ServiceMariaDB},
	{"redis", facts.ServiceRedis}, {"ioredis", facts.ServiceRedis}, {"@redis/client", facts.ServiceRedis}, {"bullmq", facts.ServiceRedis},
	{"bull", facts.ServiceRedis}, {"bee-queue", facts.ServiceRedis}, {"connect-redis", facts.ServiceRedis}, {"iovalkey", facts.ServiceRedis},
	{"mongodb", facts.ServiceMongo}, {"mongoose", facts.ServiceMongo},
	{"amqplib", facts.ServiceRabbitMQ}, {"amqp-connection-manager", facts.ServiceRabbitMQ}, {"rascal", facts.ServiceRabbitMQ},
}

// prismaProviders are Prisma datasource providers and their services.
var prismaProviders = map[string]string{
	"postgresql": facts.ServicePostgres, "postgres": facts.ServicePostgres,
	"mysql": facts.ServiceMySQL, "mongodb": facts.ServiceMongo,
}

var (
	nodeEnvRes = []*regexp.Regexp{
		regexp.MustCompile(`process\.env\.([A-Z][A-Z0-9_]*)`),
		regexp.MustCompile(`process\.env\[\s*["'` + "`" + `]([A-Z][A-Z0-9_]*)`),
		regexp.MustCompile(`import\.meta\.env\.([A-Z][A-Z0-9_]*)`),
	}
	prismaProviderRe = regexp.MustCompile(`^\s*provider\s*=\s*"([a-z]+)"`)
	prismaEnvRe      = regexp.MustCompile(`env\(\s*"([A-Z][A-Z0-9_]*)"\s*\)`)
	bullWorkerRe     = regexp.MustCompile(`new\s+Worker\s*\(`)
)

// nodePackage is the part of package.json read here.
type nodePackage struct {
	Dependencies    map[string]json.RawMessage `json:"dependencies"`
	DevDependencies map[string]json.RawMessage `json:"devDependencies"`
}

func (s *scan) node() {
	dir := "."
	if n := s.det.Node; n != nil && n.AppDir != "" && repo.CheckPath(n.AppDir) == nil {
		dir = n.AppDir
	}
	pkgFile := path.Join(dir, "package.json")
	var pkg nodePackage
	if data, err := repo.ReadFile(s.fsys, pkgFile); err == nil {
		_ = json.Unmarshal(data, &pkg)
	}
	var rules []depRule
	for _, r := range nodeRules {
		if _, ok := pkg.Dependencies[r.name]; ok {
			rules = append(rules, r)
		}
	}
	s.manifestDeps(pkgFile, rules, func(line, dep string) bool { return strings.Contains(line, `"`+dep+`"`) })
	s.prisma(dir, pkg)
	srcs := s.sources(".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
	for _, src := range srcs {
		s.envReads(src, nodeEnvRes)
		s.urlLiterals(src)
	}
	s.procfile()
	if _, ok := pkg.Dependencies["bullmq"]; ok {
		s.bullWorkers(srcs)
	}
}

// prisma reads the Prisma schema: its datasource provider names the
// database and env("…") the variable holding its URL. `prisma migrate
// deploy` is the migration command when the prisma CLI is a runtime
// dependency (the image has no dev dependencies) and migrations exist.
func (s *scan) prisma(dir string, pkg nodePackage) {
	for _, name := range []string{"prisma/schema.prisma", "schema.prisma"} {
		file := path.Join(dir, name)
		data, err := repo.ReadPrefix(s.fsys, file, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		inSource := false
		repo.Lines(data, func(n int, line string) bool {
			t := strings.TrimSpace(line)
			if strings.HasPrefix(t, "datasource ") {
				inSource = true
			} else if strings.HasPrefix(t, "}") {
				inSource = false
			}
			if !inSource {
				return true
			}
			if m := prismaProviderRe.FindStringSubmatch(line); m != nil && prismaProviders[m[1]] != "" {
				s.out.Add(prismaProviders[m[1]], facts.Evidence{File: file, Line: n, Detail: `Prisma provider = "` + m[1] + `"`})
			}
			if m := prismaEnvRe.FindStringSubmatch(line); m != nil {
				s.connectionEnv(m[1], facts.Evidence{File: file, Line: n, Detail: t})
			}
			return true
		})
		_, cli := pkg.Dependencies["prisma"]
		if cli && repo.IsDir(s.fsys, path.Join(path.Dir(file), "migrations")) && s.out.Migrate == nil {
			s.out.Migrate = &facts.Process{Name: "migrate", Command: []string{"npx", "--no-install", "prisma", "migrate", "deploy"},
				Evidence: facts.Evidence{File: path.Join(path.Dir(file), "migrations"), Detail: "Prisma migrations"}}
		}
		return
	}
}

// bullWorkers runs each JavaScript file that creates a BullMQ Worker as
// its own service, unless it is the file the image starts. TypeScript
// sources are compiled to paths dgen cannot name for sure, so they are
// left to a Procfile entry.
func (s *scan) bullWorkers(srcs []source) {
	var found []facts.Process
	for _, src := range srcs {
		if !hasExt(src.path, []string{".js", ".mjs", ".cjs"}) || !strings.Contains(string(src.data), "bullmq") || repo.CheckPath(src.path) != nil {
			continue
		}
		loc := bullWorkerRe.FindIndex(src.data)
		if loc == nil || slices.ContainsFunc(s.det.Start, func(a string) bool { return strings.HasSuffix(a, src.path) }) {
			continue
		}
		found = append(found, facts.Process{Command: []string{"node", src.path},
			Evidence: facts.Evidence{File: src.path, Line: repo.LineAt(src.data, loc[0]), Detail: "BullMQ Worker"}})
	}
	for _, p := range found {
		p.Name = "worker"
		if len(found) > 1 {
			p.Name = "worker-" + serviceName(strings.TrimSuffix(path.Base(p.Command[1]), path.Ext(p.Command[1])))
		}
		s.out.AddProcess(p)
	}
}

// serviceName makes s a compose service name: lower case, letters,
// digits and dashes.
func serviceName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
