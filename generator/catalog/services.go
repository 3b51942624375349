package catalog

// ServiceImage is how compose.yaml runs one kind of backing service: its
// official image, pinned like the Dockerfile's, the port it serves on
// the internal network, the folder its data lives in (a named volume)
// and the health check its image's documentation teaches.
type ServiceImage struct {
	// Kind is the service kind (facts.Service*), also its compose name.
	Kind string
	// Image is the pinned reference; every one is in pinnedTags.
	Image string
	// Port is the port clients connect to.
	Port int
	// DataPath is the folder the server keeps its data in.
	DataPath string
	// Health is the health-check test, exec form ("CMD", …).
	Health []string
	// StartPeriod is how long start-up failures do not count.
	StartPeriod string
	// CPUs and Memory are the resource limits written for it.
	CPUs, Memory string
}

// serviceImages are the backing services' images. The tags were read in
// the official-images snapshot of the tag table (TagsTaken, commit
// 37079fb336f5 of 2026-08-21): the newest major or LTS line of each, on
// Debian 13 where the image is built on Debian (PostgreSQL, Redis); the
// others are built on Ubuntu or Oracle Linux only. PostgreSQL 18 keeps its
// data in a versioned folder under /var/lib/postgresql, which is its
// volume. Valkey has no official image; its clients speak the Redis
// protocol, so Redis serves them.
var serviceImages = []ServiceImage{
	{Kind: "postgres", Image: "postgres:18-trixie", Port: 5432, DataPath: "/var/lib/postgresql",
		Health: []string{"CMD", "pg_isready", "-U", "app", "-d", "app"}, StartPeriod: "30s", CPUs: "1.0", Memory: "1G"},
	{Kind: "mysql", Image: "mysql:8.4", Port: 3306, DataPath: "/var/lib/mysql",
		Health: []string{"CMD", "mysqladmin", "ping", "-h", "127.0.0.1", "--silent"}, StartPeriod: "60s", CPUs: "1.0", Memory: "1G"},
	{Kind: "mariadb", Image: "mariadb:11.8-noble", Port: 3306, DataPath: "/var/lib/mysql",
		Health: []string{"CMD", "healthcheck.sh", "--connect", "--innodb_initialized"}, StartPeriod: "60s", CPUs: "1.0", Memory: "1G"},
	{Kind: "mongo", Image: "mongo:8.0-noble", Port: 27017, DataPath: "/data/db",
		Health: []string{"CMD", "mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"}, StartPeriod: "40s", CPUs: "1.0", Memory: "1G"},
	{Kind: "redis", Image: "redis:8.10-trixie", Port: 6379, DataPath: "/data",
		Health: []string{"CMD", "redis-cli", "ping"}, StartPeriod: "10s", CPUs: "0.5", Memory: "256M"},
	{Kind: "rabbitmq", Image: "rabbitmq:4.3", Port: 5672, DataPath: "/var/lib/rabbitmq",
		Health: []string{"CMD", "rabbitmq-diagnostics", "-q", "ping"}, StartPeriod: "60s", CPUs: "1.0", Memory: "512M"},
}

// ServiceImageFor returns how compose.yaml runs a service of kind; ok is
// false for an unknown kind.
func ServiceImageFor(kind string) (ServiceImage, bool) {
	for _, s := range serviceImages {
		if s.Kind == kind {
			s.Health = append([]string(nil), s.Health...)
			return s, true
		}
	}
	return ServiceImage{}, false
}

// ServiceImages lists every backing service image. The caller gets a copy.
func ServiceImages() []ServiceImage {
	out := make([]ServiceImage, len(serviceImages))
	for i, s := range serviceImages {
		out[i], _ = ServiceImageFor(s.Kind)
	}
	return out
}
