package backing

import (
	"regexp"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// goRules are Go module paths (prefixes) that talk to a backing service.
var goRules = []depRule{
	{"github.com/jackc/pgx", facts.ServicePostgres}, {"github.com/lib/pq", facts.ServicePostgres},
	{"gorm.io/driver/postgres", facts.ServicePostgres}, {"github.com/uptrace/bun/driver/pgdriver", facts.ServicePostgres},
	{"github.com/go-pg/pg", facts.ServicePostgres},
	{"github.com/go-sql-driver/mysql", facts.ServiceMySQL}, {"gorm.io/driver/mysql", facts.ServiceMySQL},
	{"github.com/redis/go-redis", facts.ServiceRedis}, {"github.com/go-redis/redis", facts.ServiceRedis},
	{"github.com/gomodule/redigo", facts.ServiceRedis}, {"github.com/redis/rueidis", facts.ServiceRedis},
	{"github.com/valkey-io/valkey-go", facts.ServiceRedis}, {"github.com/hibiken/asynq", facts.ServiceRedis},
	{"go.mongodb.org/mongo-driver", facts.ServiceMongo},
	{"github.com/rabbitmq/amqp091-go", facts.ServiceRabbitMQ}, {"github.com/streadway/amqp", facts.ServiceRabbitMQ},
}

// goEnvRes find the variables Go code reads: os.Getenv, os.LookupEnv and
// the struct tags of env-config libraries (caarlos0/env, envconfig).
var goEnvRes = []*regexp.Regexp{
	regexp.MustCompile(`os\.(?:Getenv|LookupEnv)\(\s*"([A-Z][A-Z0-9_]*)"`),
	regexp.MustCompile(`\b(?:env|envconfig):"([A-Z][A-Z0-9_]*)`),
}

func (s *scan) golang() {
	s.manifestDeps("go.mod", goRules, func(line, dep string) bool {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
		return len(f) >= 2 && (f[0] == dep || strings.HasPrefix(f[0], dep+"/")) && !strings.HasPrefix(f[0], "//")
	})
	for _, src := range s.sources(".go") {
		s.envReads(src, goEnvRes)
		s.urlLiterals(src)
	}
}
