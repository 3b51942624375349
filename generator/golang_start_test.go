package generator

import (
	"slices"
	"strings"
	"testing"
)

// TestPlanGoServeSubcommandWithConfig renders a cobra program whose
// server runs as `serve --config <file>`: the config file is copied
// next to the binary's working directory and the start command passes
// it, and the port comes from the file.
func TestPlanGoServeSubcommandWithConfig(t *testing.T) {
	files := map[string]string{
		"go.mod": goModText("1.26", "require github.com/spf13/cobra v1.10.2"),
		"cmd/shop/main.go": `package main

import (
	"net/http"

	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{Use: "shop"}
	serve := &cobra.Command{Use: "serve", RunE: func(*cobra.Command, []string) error { return http.ListenAndServe(":8080", nil) }}
	serve.Flags().String("config", "", "")
	serve.MarkFlagRequired("config")
	root.AddCommand(serve)
	root.Execute()
}
`,
		"configs/config.yaml": "http:\n  port: 9090\n",
	}
	p := goPlanFor(t, files, Options{})
	want := []string{"/usr/local/bin/shop", "serve", "--config", "configs/config.yaml"}
	if !slices.Equal(p.Start, want) {
		t.Fatalf("Start = %q, want %q", p.Start, want)
	}
	if p.PortNumber() != 9090 {
		t.Errorf("port = %d, want 9090 from the config file", p.PortNumber())
	}
	df, _ := goRender(t, p)
	for _, line := range []string{
		"COPY configs/config.yaml ./configs/config.yaml\n",
		`ENTRYPOINT ["/usr/local/bin/shop","serve","--config","configs/config.yaml"]` + "\n",
		"EXPOSE 9090\n",
	} {
		if !strings.Contains(df, line) {
			t.Errorf("Dockerfile lacks %q:\n%s", line, df)
		}
	}
}

// TestPlanGoPortVariables renders programs whose port the image moves or
// opens through the variable they read: a default below 1024 becomes
// 8080 through $PORT, and a loopback default address is replaced through
// its variable, so EXPOSE, the listener and the probe agree.
func TestPlanGoPortVariables(t *testing.T) {
	for _, tc := range []struct {
		name, main string
		lines      []string
	}{
		{
			name:  "port 80 read from PORT",
			main:  "http.ListenAndServe(\":\"+getenv(\"PORT\", \"80\"), nil)",
			lines: []string{"ENV PORT=8080\n", "EXPOSE 8080\n", `"127.0.0.1","8080"`},
		},
		{
			name:  "a loopback address read from LISTEN_ADDR",
			main:  "http.ListenAndServe(getenv(\"LISTEN_ADDR\", \"127.0.0.1:8088\"), nil)",
			lines: []string{"ENV LISTEN_ADDR=0.0.0.0:8088\n", "EXPOSE 8088\n", `"127.0.0.1","8088"`},
		},
		{
			name:  "a loopback host read from HOST",
			main:  "http.ListenAndServe(getenv(\"HOST\", \"127.0.0.1\")+\":\"+getenv(\"PORT\", \"8082\"), nil)",
			lines: []string{"ENV PORT=8082\n", "ENV HOST=0.0.0.0\n", "EXPOSE 8082\n"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{
				"go.mod":  goModText("1.26"),
				"main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {\n\t" + tc.main + "\n}\n\nfunc getenv(k, d string) string { return d }\n",
			}
			p := goPlanFor(t, files, Options{})
			df, _ := goRender(t, p)
			for _, l := range tc.lines {
				if !strings.Contains(df, l) {
					t.Errorf("Dockerfile lacks %q:\n%s", l, df)
				}
			}
		})
	}
}

// TestPlanGoHealthRouteUnderPrefix renders a program whose health route
// sits in a gin group: the probe asks for the full path.
func TestPlanGoHealthRouteUnderPrefix(t *testing.T) {
	files := map[string]string{
		"go.mod": goModText("1.26", "require github.com/gin-gonic/gin v1.10.0"),
		"go.sum": "",
		"main.go": `package main

import "github.com/gin-gonic/gin"

func main() {
	r := gin.Default()
	api := r.Group("/api/v1")
	api.GET("/healthz", func(c *gin.Context) {})
	r.Run(":8080")
}
`,
	}
	p := goPlanFor(t, files, Options{})
	df, _ := goRender(t, p)
	if want := `"http://127.0.0.1:8080/api/v1/healthz"`; !strings.Contains(df, want) {
		t.Errorf("health check does not probe %s:\n%s", want, df)
	}
}
