package generator

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/backing"
	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// ComposeMode says whether compose.yaml is written.
type ComposeMode string

// Compose modes: ComposeAuto writes compose.yaml when the repository
// shows backing services or extra processes; the others are --compose and
// --no-compose (or the compose key of dgen.yaml).
const (
	ComposeAuto   ComposeMode = ""
	ComposeAlways ComposeMode = "always"
	ComposeNever  ComposeMode = "never"
)

// ComposeFile and EnvExampleFile are the files the compose plan renders.
const (
	ComposeFile    = "compose.yaml"
	EnvExampleFile = ".env.example"
)

// ComposePlan is compose.yaml: the app built from the Dockerfile, the
// backing services it talks to, its other processes and its migrations.
type ComposePlan struct {
	// Env are the connection variables the app reads, with the values
	// that reach the services on the internal network; passwords are
	// ${VAR:?…} interpolations from .env.
	Env []ComposeEnv `json:"env"`
	// Services are the backing services, in a stable order.
	Services []ComposeService `json:"services"`
	// Workers are the app's other processes, run from the same image.
	Workers []ComposeProcess `json:"workers,omitempty"`
	// Migrate is the one-shot migration service, nil when none.
	Migrate *ComposeProcess `json:"migrate,omitempty"`
	// EnvFile are the variables .env must set (.env.example lists them).
	EnvFile []ComposeSecret `json:"envFile,omitempty"`
	// Limits are the app's (and each worker's) resource limits.
	Limits ComposeLimits `json:"limits"`
	// Tmpfs are the folders the app writes; when there are some the
	// container's root filesystem is read-only and these are tmpfs.
	Tmpfs []string `json:"tmpfs,omitempty"`
	// Unreached are services found that no variable the app reads points
	// at: the file says so in a comment.
	Unreached []string `json:"unreached,omitempty"`
}

// ComposeEnv is one environment variable of a service.
type ComposeEnv struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ComposeService is one backing service.
type ComposeService struct {
	// Name is the compose service name, also its host name.
	Name string `json:"name"`
	// Image is the pinned official image.
	Image string `json:"image"`
	// Port is the port it serves on the internal network (never
	// published).
	Port int `json:"port"`
	// Volume is the named volume holding its data at DataPath.
	Volume   string `json:"volume"`
	DataPath string `json:"dataPath"`
	// Environment configures the image (user, database, password).
	Environment []ComposeEnv `json:"environment,omitempty"`
	// Command overrides the image's command ("" when it does not).
	Command []string `json:"command,omitempty"`
	// Hostname is set when the server keys its data by host name
	// (RabbitMQ).
	Hostname string `json:"hostname,omitempty"`
	// Health is the health check that gates the app's start.
	Health ComposeHealth `json:"health"`
	// CPUs and Memory are its resource limits.
	CPUs   string `json:"cpus"`
	Memory string `json:"memory"`
	// Why is the evidence for it, one line, written as a comment.
	Why string `json:"why"`
}

// ComposeHealth is a compose health check.
type ComposeHealth struct {
	Test        []string `json:"test"`
	Interval    string   `json:"interval"`
	Timeout     string   `json:"timeout"`
	Retries     int      `json:"retries"`
	StartPeriod string   `json:"startPeriod"`
}

// ComposeProcess is a process of the app's image: a worker or the
// migration.
type ComposeProcess struct {
	Name    string   `json:"name"`
	Command []string `json:"command"`
	// Why is where it was found, one line, written as a comment.
	Why string `json:"why"`
}

// ComposeSecret is one variable of .env.
type ComposeSecret struct {
	Name string `json:"name"`
	// Placeholder is the value .env.example shows.
	Placeholder string `json:"placeholder"`
	// Why says what reads it.
	Why string `json:"why"`
}

// ComposeLimits are deploy.resources.limits.
type ComposeLimits struct {
	CPUs   string `json:"cpus"`
	Memory string `json:"memory"`
}

// Connection defaults inside compose.yaml: one user and one database,
// both named app; only the password is a secret.
const (
	composeUser = "app"
	composeDB   = "app"
)

// passwordVars are the .env variables holding each service's passwords,
// the first being the app's.
var passwordVars = map[string][]string{
	facts.ServicePostgres: {"POSTGRES_PASSWORD"},
	facts.ServiceMySQL:    {"MYSQL_PASSWORD", "MYSQL_ROOT_PASSWORD"},
	facts.ServiceMariaDB:  {"MARIADB_PASSWORD", "MARIADB_ROOT_PASSWORD"},
	facts.ServiceMongo:    {"MONGO_PASSWORD"},
	facts.ServiceRabbitMQ: {"RABBITMQ_PASSWORD"},
}

// secretRef is the interpolation that reads a secret from .env and stops
// compose with a clear message when it is not set.
func secretRef(name string) string {
	return "${" + name + ":?set " + name + " in .env (see .env.example)}"
}

// planCompose decides compose.yaml, or returns nil when it is not
// written: by default only when the repository shows backing services or
// processes besides the app.
func planCompose(det *facts.Detection, p *Plan, mode ComposeMode) *ComposePlan {
	sf := det.Services
	if sf == nil {
		sf = &facts.ServiceFacts{}
	}
	switch {
	case mode == ComposeNever:
		return nil
	case mode == ComposeAuto && len(sf.Services) == 0 && len(sf.Processes) == 0:
		return nil
	}
	c := &ComposePlan{Env: []ComposeEnv{}, Services: []ComposeService{}, Limits: ComposeLimits{CPUs: "1.0", Memory: "512M"}}
	for _, b := range sf.Services {
		img, ok := catalog.ServiceImageFor(b.Kind)
		if !ok {
			continue
		}
		c.Services = append(c.Services, composeService(img, b))
		for i, name := range passwordVars[b.Kind] {
			why := b.Kind + " password of user " + composeUser
			if i > 0 {
				why = b.Kind + " root password"
			}
			c.EnvFile = append(c.EnvFile, ComposeSecret{Name: name, Placeholder: "change-me", Why: why})
		}
	}
	reached := map[string]bool{}
	for _, e := range sf.Env {
		kind := e.Service
		if kind == "" {
			kind = primaryDatabase(sf)
		}
		if kind == "" || !sf.Has(kind) {
			continue
		}
		if v, ok := connectionValue(kind, e.Role); ok {
			c.Env = append(c.Env, ComposeEnv{Name: e.Name, Value: v})
			reached[kind] = true
		}
	}
	c.requiredEnv(det)
	// The root filesystem is made read-only only where dgen knows every
	// folder the app writes: Next.js writes only its cache (and /tmp).
	if p.Node != nil && len(p.Node.Writable) > 0 {
		c.Tmpfs = append([]string{"/tmp"}, p.Node.Writable...)
	}
	for _, s := range c.Services {
		if !reached[s.Name] {
			c.Unreached = append(c.Unreached, s.Name)
		}
	}
	taken := map[string]bool{"app": true, "migrate": true}
	for _, s := range c.Services {
		taken[s.Name] = true
	}
	for _, w := range sf.Processes {
		name := w.Name
		if taken[name] {
			// A Procfile entry called redis or app runs the app's image,
			// not the service of that name.
			name = "app-" + name
		}
		taken[name] = true
		c.Workers = append(c.Workers, ComposeProcess{Name: name, Command: w.Command, Why: oneLine(w.Evidence.String())})
	}
	// A migration needs a database to migrate; a Procfile's release
	// entry is the project's own word and is always kept.
	if m := sf.Migrate; m != nil && (primaryDatabase(sf) != "" || m.Evidence.File == "Procfile") {
		c.Migrate = &ComposeProcess{Name: "migrate", Command: m.Command, Why: oneLine(m.Evidence.String())}
	}
	return c
}

// requiredEnv adds the settings the app cannot start without (the
// variables Django's settings read at import time) that no service
// provides: a host list gets the local names the health check and the
// published port use, anything else is a secret from .env.
func (c *ComposePlan) requiredEnv(det *facts.Detection) {
	if det.Python == nil {
		return
	}
	have := map[string]bool{"DJANGO_SETTINGS_MODULE": true}
	for _, e := range c.Env {
		have[e.Name] = true
	}
	for _, name := range slices.Sorted(maps.Keys(det.Python.CollectStaticEnv)) {
		if have[name] || !envName.MatchString(name) {
			continue
		}
		if _, _, conn := backing.Classify(name); conn {
			continue // a database dgen did not find: the user's to set
		}
		if strings.HasSuffix(name, "ALLOWED_HOSTS") {
			c.Env = append(c.Env, ComposeEnv{Name: name, Value: "localhost,127.0.0.1"})
			continue
		}
		c.Env = append(c.Env, ComposeEnv{Name: name, Value: secretRef(name)})
		c.EnvFile = append(c.EnvFile, ComposeSecret{Name: name, Placeholder: "change-me", Why: name + ": the settings need it to start"})
	}
	slices.SortStableFunc(c.Env, func(a, b ComposeEnv) int { return strings.Compare(a.Name, b.Name) })
}

func composeService(img catalog.ServiceImage, b facts.BackingService) ComposeService {
	h := catalog.Health()
	s := ComposeService{Name: b.Kind, Image: img.Image, Port: img.Port, Volume: b.Kind + "-data", DataPath: img.DataPath,
		Health: ComposeHealth{Test: img.Health, Interval: "10s", Timeout: "5s", Retries: h.Retries + 2, StartPeriod: img.StartPeriod},
		CPUs:   img.CPUs, Memory: img.Memory}
	var why []string
	for i, ev := range b.Evidence {
		if i == 3 {
			why = append(why, fmt.Sprintf("and %d more", len(b.Evidence)-3))
			break
		}
		why = append(why, ev.String())
	}
	s.Why = oneLine(strings.Join(why, "; "))
	env := func(k, v string) { s.Environment = append(s.Environment, ComposeEnv{Name: k, Value: v}) }
	switch b.Kind {
	case facts.ServicePostgres:
		env("POSTGRES_USER", composeUser)
		env("POSTGRES_DB", composeDB)
		env("POSTGRES_PASSWORD", secretRef("POSTGRES_PASSWORD"))
	case facts.ServiceMySQL:
		env("MYSQL_USER", composeUser)
		env("MYSQL_DATABASE", composeDB)
		env("MYSQL_PASSWORD", secretRef("MYSQL_PASSWORD"))
		env("MYSQL_ROOT_PASSWORD", secretRef("MYSQL_ROOT_PASSWORD"))
	case facts.ServiceMariaDB:
		env("MARIADB_USER", composeUser)
		env("MARIADB_DATABASE", composeDB)
		env("MARIADB_PASSWORD", secretRef("MARIADB_PASSWORD"))
		env("MARIADB_ROOT_PASSWORD", secretRef("MARIADB_ROOT_PASSWORD"))
	case facts.ServiceMongo:
		env("MONGO_INITDB_ROOT_USERNAME", composeUser)
		env("MONGO_INITDB_ROOT_PASSWORD", secretRef("MONGO_PASSWORD"))
	case facts.ServiceRedis:
		// Append-only persistence, so queued jobs survive a restart.
		s.Command = []string{"redis-server", "--appendonly", "yes"}
	case facts.ServiceRabbitMQ:
		env("RABBITMQ_DEFAULT_USER", composeUser)
		env("RABBITMQ_DEFAULT_PASS", secretRef("RABBITMQ_PASSWORD"))
		s.Hostname = "rabbitmq"
	}
	return s
}

// primaryDatabase is the service a DATABASE_URL points at: the SQL
// database found, else MongoDB; "" when there is none.
func primaryDatabase(sf *facts.ServiceFacts) string {
	for _, k := range []string{facts.ServicePostgres, facts.ServiceMySQL, facts.ServiceMariaDB, facts.ServiceMongo} {
		if sf.Has(k) {
			return k
		}
	}
	return ""
}

// connectionValue is what a variable of role holds to reach kind inside
// compose's network; ok is false when compose sets nothing for it (Redis
// has no password on the internal network).
func connectionValue(kind, role string) (string, bool) {
	img, _ := catalog.ServiceImageFor(kind)
	port := strconv.Itoa(img.Port)
	var pw string
	if vars := passwordVars[kind]; len(vars) > 0 {
		pw = secretRef(vars[0])
	}
	switch role {
	case "host":
		return kind, true
	case "port":
		return port, true
	case "user":
		return composeUser, kind != facts.ServiceRedis
	case "password":
		return pw, pw != ""
	case "database":
		if kind == facts.ServiceRedis {
			return "0", true
		}
		return composeDB, kind != facts.ServiceRabbitMQ
	}
	auth := composeUser + ":" + pw + "@"
	switch kind {
	case facts.ServicePostgres:
		return "postgresql://" + auth + kind + ":" + port + "/" + composeDB, true
	case facts.ServiceMySQL, facts.ServiceMariaDB:
		return "mysql://" + auth + kind + ":" + port + "/" + composeDB, true
	case facts.ServiceMongo:
		return "mongodb://" + auth + kind + ":" + port + "/" + composeDB + "?authSource=admin", true
	case facts.ServiceRabbitMQ:
		return "amqp://" + auth + kind + ":" + port + "/", true
	case facts.ServiceRedis:
		return "redis://" + kind + ":" + port + "/0", true
	}
	return "", false
}

// oneLine keeps repository text to one line for a comment.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
