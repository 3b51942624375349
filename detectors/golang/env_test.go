package golang

import (
	"slices"
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestRequiredEnvGo(t *testing.T) {
	const mod = "module example.com/app\n\ngo 1.24\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "Getenv checked empty then fatal; a default is not required",
			files: map[string]string{"go.mod": mod, "main.go": `package main

import (
	"log"
	"os"
)

func main() {
	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		log.Fatal("DATABASE_URL is required")
	}
	region := os.Getenv("REGION")
	if region == "" {
		region = "eu"
	}
	if os.Getenv("API_TOKEN") == "" || len(os.Getenv("ALSO")) == 0 {
		os.Exit(1)
	}
	_ = dsn + region
}
`},
			want: []string{"DATABASE_URL main.go:10", "API_TOKEN main.go:17", "ALSO main.go:17"},
		},
		{
			name: "LookupEnv !ok, a returned error, a helper, a range over names, another package",
			files: map[string]string{"go.mod": mod, "main.go": `package main

import (
	"errors"
	"fmt"
	"log"
	"os"

	"example.com/app/config"
)

var secret = mustEnv("SESSION_SECRET")

func mustEnv(k string) string {
	v := os.Getenv(k)
	if v == "" {
		panic(k + " is not set")
	}
	return v
}

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	if _, ok := os.LookupEnv("QUEUE"); !ok {
		return errors.New("QUEUE missing")
	}
	for _, k := range []string{"S3_BUCKET", "S3_REGION"} {
		if os.Getenv(k) == "" {
			return fmt.Errorf("%s missing", k)
		}
	}
	config.Load()
	return nil
}

func unused() {
	if os.Getenv("NEVER_CALLED") == "" {
		log.Fatal("no")
	}
}
`, "config/config.go": `package config

import (
	"log"
	"os"
)

func Load() {
	if os.Getenv("CONFIG_URL") == "" {
		log.Fatalf("CONFIG_URL")
	}
}
`},
			want: []string{"SESSION_SECRET main.go:12", "QUEUE main.go:29", "S3_BUCKET main.go:32", "S3_REGION main.go:32", "CONFIG_URL config/config.go:9"},
		},
		{
			name: "only the subcommand the container runs: migrate's variables are not the server's",
			files: map[string]string{"go.mod": mod + "\nrequire github.com/spf13/cobra v1.8.0\n", "main.go": `package main

import (
	"log"
	"net/http"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{Use: "app", PersistentPreRun: func(*cobra.Command, []string) {
		if os.Getenv("LICENSE_KEY") == "" {
			log.Fatal("LICENSE_KEY")
		}
	}}
	root.AddCommand(&cobra.Command{Use: "serve", RunE: func(*cobra.Command, []string) error {
		if os.Getenv("SESSION_SECRET") == "" {
			log.Fatal("SESSION_SECRET")
		}
		return http.ListenAndServe(":8080", nil)
	}})
	root.AddCommand(&cobra.Command{Use: "migrate [flags]", RunE: func(*cobra.Command, []string) error {
		if os.Getenv("MIGRATIONS_DSN") == "" {
			log.Fatal("MIGRATIONS_DSN")
		}
		return nil
	}})
	_ = root.Execute()
}
`},
			want: []string{"LICENSE_KEY main.go:13", "SESSION_SECRET main.go:18"},
		},
		{
			name: "a check that only logs is not a requirement",
			files: map[string]string{"go.mod": mod, "main.go": `package main

import (
	"log"
	"os"
)

func main() {
	if os.Getenv("OPTIONAL") == "" {
		log.Print("OPTIONAL unset")
	}
}
`},
			want: nil,
		},
		{
			name: "struct tags: caarlos0/env, envconfig with a prefix, cleanenv; defaults are not required",
			files: map[string]string{"go.mod": mod + "\nrequire (\n\tgithub.com/caarlos0/env/v11 v11.0.0\n\tgithub.com/kelseyhightower/envconfig v1.4.0\n\tgithub.com/ilyakaznacheev/cleanenv v1.5.0\n)\n", "main.go": `package main

import (
	"github.com/caarlos0/env/v11"
	"github.com/ilyakaznacheev/cleanenv"
	"github.com/kelseyhightower/envconfig"
)

type A struct {
	DB    string ` + "`env:\"DB_DSN,required\"`" + `
	Port  int    ` + "`env:\"PORT\" envDefault:\"8080\"`" + `
	Key   string ` + "`env:\"SIGNING_KEY,notEmpty\"`" + `
	Level string ` + "`env:\"LEVEL,required\" envDefault:\"info\"`" + `
}

type B struct {
	BrokerURL string ` + "`required:\"true\" split_words:\"true\"`" + `
	Named     string ` + "`envconfig:\"queue_name\" required:\"true\"`" + `
	Opt       string ` + "`default:\"x\" required:\"true\"`" + `
}

type C struct {
	Token string ` + "`env:\"BOT_TOKEN\" env-required:\"true\"`" + `
	Mode  string ` + "`env:\"MODE\" env-required:\"true\" env-default:\"prod\"`" + `
}

func main() {
	var a A
	_ = env.Parse(&a)
	var b B
	envconfig.MustProcess("worker", &b)
	var c C
	_ = cleanenv.ReadEnv(&c)
}
`},
			want: []string{"DB_DSN main.go:10", "SIGNING_KEY main.go:12", "WORKER_BROKER_URL main.go:17", "QUEUE_NAME main.go:18", "BOT_TOKEN main.go:23"},
		},
		{
			name:  "required-looking tags without a library that reads them",
			files: map[string]string{"go.mod": mod, "main.go": "package main\n\ntype T struct {\n\tX string `env:\"X,required\"`\n}\n\nfunc main() {}\n"},
			want:  nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := detectGo(t, tt.files, nil)
			if got := detecttest.EnvNames(det); !slices.Equal(got, tt.want) {
				t.Errorf("required env %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSplitWords(t *testing.T) {
	for in, want := range map[string]string{"BrokerURL": "Broker_URL", "DatabaseURLPath": "Database_URL_Path", "Port": "Port", "APIKey": "API_Key"} {
		if got := splitWords(in); got != want {
			t.Errorf("splitWords(%q) = %q, want %q", in, got, want)
		}
	}
}
