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
