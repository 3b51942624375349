package facts

// Backing service kinds: the servers an app talks to that compose.yaml
// runs next to it.
const (
	ServicePostgres = "postgres"
	ServiceMySQL    = "mysql"
	ServiceMariaDB  = "mariadb"
	ServiceRedis    = "redis"
	ServiceMongo    = "mongo"
	ServiceRabbitMQ = "rabbitmq"
)

// ServiceFacts is what a repository shows about the servers it needs and
// the processes it runs besides the main one: the input of compose.yaml.
type ServiceFacts struct {
	// Services are the backing services found, in a stable order, each
	// with every piece of evidence for it.
	Services []BackingService `json:"services,omitempty"`
	// Env are the connection variables the app reads (DATABASE_URL,
	// REDIS_URL, POSTGRES_HOST, …), sorted by name.
	Env []ConnectionEnv `json:"env,omitempty"`
	// Processes are programs run from the same image besides the main
	// one: Celery worker and beat, RQ, BullMQ workers, a Procfile's
	// non-web entries.
	Processes []Process `json:"processes,omitempty"`
	// Migrate is the one-shot command that applies database migrations
	// (manage.py migrate, alembic upgrade head, a Procfile release
	// entry), nil when none is known.
	Migrate *Process `json:"migrate,omitempty"`
}

// BackingService is one server the app talks to.
type BackingService struct {
	// Kind is one of the Service* constants.
	Kind string `json:"kind"`
	// Evidence is every file and line that shows it.
	Evidence []Evidence `json:"evidence"`
}

// ConnectionEnv is one environment variable the app reads to reach a
// backing service.
type ConnectionEnv struct {
	// Name is the variable, e.g. "DATABASE_URL".
	Name string `json:"name"`
	// Service is the Kind it points at, "" when the name alone does not
	// say (DATABASE_URL): the generator then takes the database found.
	Service string `json:"service,omitempty"`
	// Role is what the variable holds: "url", "host", "port", "user",
	// "password" or "database".
	Role string `json:"role"`
	// Evidence is where the app reads it.
	Evidence Evidence `json:"evidence"`
}

// Process is a command run from the app's image.
type Process struct {
	// Name is the service name compose gives it ("worker", "beat").
	Name string `json:"name"`
	// Command is its argv.
	Command []string `json:"command"`
	// Evidence is why dgen runs it.
	Evidence Evidence `json:"evidence"`
}

// Has reports whether a service of kind was found.
func (s *ServiceFacts) Has(kind string) bool {
	if s == nil {
		return false
	}
	for _, b := range s.Services {
		if b.Kind == kind {
			return true
		}
	}
	return false
}

// Add records evidence for a service of kind, once per file and line.
func (s *ServiceFacts) Add(kind string, ev Evidence) {
	for i := range s.Services {
		if s.Services[i].Kind != kind {
			continue
		}
		for _, have := range s.Services[i].Evidence {
			if have.File == ev.File && have.Line == ev.Line {
				return
			}
		}
		s.Services[i].Evidence = append(s.Services[i].Evidence, ev)
		return
	}
	s.Services = append(s.Services, BackingService{Kind: kind, Evidence: []Evidence{ev}})
}

// AddEnv records a connection variable, the first place it is read.
func (s *ServiceFacts) AddEnv(e ConnectionEnv) {
	for _, have := range s.Env {
		if have.Name == e.Name {
			return
		}
	}
	s.Env = append(s.Env, e)
}

// AddProcess records a process unless one of the same name is there.
func (s *ServiceFacts) AddProcess(p Process) {
	for _, have := range s.Processes {
		if have.Name == p.Name {
			return
		}
	}
	s.Processes = append(s.Processes, p)
}

// Empty reports whether nothing was found.
func (s *ServiceFacts) Empty() bool {
	return s == nil || len(s.Services) == 0 && len(s.Processes) == 0 && s.Migrate == nil
}
