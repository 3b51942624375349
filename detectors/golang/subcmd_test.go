package golang

import (
	"slices"
	"strings"
	"testing"
)

// cobraServe is a cobra program: a root command and a serve subcommand
// that listens. root is the root's extra fields, serve the subcommand's.
func cobraServe(root, serve, extra string) string {
	return `package main

import (
	"net/http"

	"github.com/spf13/cobra"
)

func main() {
	rootCmd := &cobra.Command{Use: "shop"` + root + `}
	rootCmd.AddCommand(newServeCmd(), versionCmd)
	rootCmd.Execute()
}

var versionCmd = &cobra.Command{Use: "version", Run: func(cmd *cobra.Command, args []string) {}}

func newServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use: "serve` + serve + `",
		RunE: func(cmd *cobra.Command, args []string) error {
			return http.ListenAndServe(":8080", nil)
		},
	}
` + extra + `
	return cmd
}
`
}

// TestGoSubcommands has one row per way a program says that its server
// runs only as a subcommand, and what that subcommand needs.
func TestGoSubcommands(t *testing.T) {
	const cobraImp = "\n\nrequire github.com/spf13/cobra v1.10.2"
	for _, tc := range []struct {
		name  string
		files map[string]string
		start []string
		// startAt: the start evidence's file and a marker on its line.
		startAt, marker string
		note            string
		configFile      string
		port            int
	}{
		{
			name:  "cobra root without Run: serve",
			files: map[string]string{"main.go": cobraServe("", "", "")},
			start: []string{"/usr/local/bin/shop", "serve"}, startAt: "main.go", marker: "cmd := &cobra.Command{",
		},
		{
			name:  "cobra root whose Run only prints help: serve",
			files: map[string]string{"main.go": cobraServe(", Run: func(cmd *cobra.Command, args []string) { cmd.Help() }", "", "")},
			start: []string{"/usr/local/bin/shop", "serve"}, startAt: "main.go", marker: "cmd := &cobra.Command{",
		},
		{
			name:  "cobra root that listens itself: no subcommand",
			files: map[string]string{"main.go": cobraServe(", RunE: func(cmd *cobra.Command, args []string) error { return http.ListenAndServe(\":9090\", nil) }", "", "")},
			start: []string{"/usr/local/bin/shop"}, port: 9090,
		},
		{
			name: "a required --config flag is filled from the repository's config file",
			files: map[string]string{
				"main.go":             cobraServe("", "", "\tcmd.Flags().String(\"config\", \"\", \"config file\")\n\tcmd.MarkFlagRequired(\"config\")"),
				"configs/config.yaml": "server:\n  port: 9443\ndatabase:\n  port: 5432\n",
				"configs/dev.yaml":    "server:\n  port: 1\n",
			},
			start: []string{"/usr/local/bin/shop", "serve", "--config", "configs/config.yaml"}, startAt: "main.go", marker: "cmd := &cobra.Command{",
			configFile: "configs/config.yaml", port: 9443,
		},
		{
			name: "a positional config argument; a template config is not taken",
			files: map[string]string{
				"main.go":            strings.Replace(cobraServe("", " [flags] <config file>", ""), "RunE:", "Args: cobra.ExactArgs(1),\n\t\tRunE:", 1),
				"config.docker.yaml": "web:\n  http: {{ getenv \"HTTP\" \"0.0.0.0:1\" }}\n",
				"config.dev.yaml":    "storage:\n  addr: 0.0.0.0:6379\nweb:\n  http: 0.0.0.0:5556\n",
				"tsconfig.json":      "{}",
			},
			start: []string{"/usr/local/bin/shop", "serve", "config.dev.yaml"}, startAt: "main.go", marker: "cmd := &cobra.Command{",
			configFile: "config.dev.yaml", port: 5556,
		},
		{
			name:  "a required config with no config file in the repository is a note",
			files: map[string]string{"main.go": cobraServe("", "", "\tcmd.MarkFlagRequired(\"config\")")},
			start: []string{"/usr/local/bin/shop", "serve"}, note: "needs a config file",
		},
		{
			name:  "a required flag that is no config is a note",
			files: map[string]string{"main.go": cobraServe("", "", "\tcmd.MarkFlagRequired(\"token\")")},
			start: []string{"/usr/local/bin/shop", "serve"}, note: "requires --token",
		},
		{
			name: "urfave/cli app without an Action: web",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"os"`, `"github.com/urfave/cli/v2"`}, `app := &cli.App{
		Name: "shop",
		Commands: []*cli.Command{
			{Name: "migrate", Action: func(c *cli.Context) error { return nil }},
			{Name: "web", Action: func(c *cli.Context) error { return http.ListenAndServe(":8080", nil) }},
		},
	}
	app.Run(os.Args)`)},
			start: []string{"/usr/local/bin/shop", "web"}, startAt: "main.go", marker: `{Name: "web"`,
		},
		{
			name: "urfave/cli app with an Action: no subcommand",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"os"`, `"github.com/urfave/cli/v2"`}, `app := &cli.App{
		Action: func(c *cli.Context) error { return http.ListenAndServe(":8080", nil) },
		Commands: []*cli.Command{{Name: "serve", Action: func(c *cli.Context) error { return nil }}},
	}
	app.Run(os.Args)`)},
			start: []string{"/usr/local/bin/shop"},
		},
		{
			name: "kingpin commands: server",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"os"`, `"gopkg.in/alecthomas/kingpin.v2"`}, `app := kingpin.New("shop", "")
	srv := app.Command("server", "run the server")
	switch kingpin.MustParse(app.Parse(os.Args[1:])) {
	case srv.FullCommand():
		http.ListenAndServe(":8080", nil)
	}`)},
			start: []string{"/usr/local/bin/shop", "server"}, startAt: "main.go", marker: `app.Command("server"`,
		},
		{
			name: "kingpin default command: no subcommand",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"os"`, `"gopkg.in/alecthomas/kingpin.v2"`}, `app := kingpin.New("shop", "")
	app.Command("serve", "run the server").Default()
	kingpin.MustParse(app.Parse(os.Args[1:]))
	http.ListenAndServe(":8080", nil)`)},
			start: []string{"/usr/local/bin/shop"},
		},
		{
			name: "a switch on os.Args[1]: start",
			files: map[string]string{"main.go": goMain([]string{`"fmt"`, `"net/http"`, `"os"`}, `switch os.Args[1] {
	case "migrate":
		fmt.Println("migrating")
	case "start":
		http.ListenAndServe(":8080", nil)
	default:
		fmt.Println("usage: shop migrate|start")
		os.Exit(2)
	}`)},
			start: []string{"/usr/local/bin/shop", "start"}, startAt: "main.go", marker: `case "start"`,
		},
		{
			name: "a switch without a tag is no subcommand switch",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"os"`}, `switch {
	case len(os.Args) > 1:
		http.ListenAndServe(os.Args[1], nil)
	default:
		http.ListenAndServe(":8080", nil)
	}`)},
			start: []string{"/usr/local/bin/shop"},
		},
		{
			name: "a switch on os.Args[1] whose default serves: no subcommand",
			files: map[string]string{"main.go": goMain([]string{`"fmt"`, `"net/http"`, `"os"`}, `switch os.Args[1] {
	case "run":
		fmt.Println("one run")
	default:
		http.ListenAndServe(":8080", nil)
	}`)},
			start: []string{"/usr/local/bin/shop"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile("example.com/shop", "1.26") + cobraImp, "go.sum": ""}
			for k, v := range tc.files {
				files[k] = v
			}
			det := detectGo(t, files, nil)
			if len(det.Problems) != 0 {
				t.Errorf("problems: %v", det.Problems)
			}
			if !slices.Equal(det.Start, tc.start) {
				t.Errorf("Start = %q, want %q", det.Start, tc.start)
			}
			if tc.startAt != "" {
				wantEvidence(t, det, files, "start", tc.startAt, tc.marker, "does nothing without a subcommand")
			}
			if det.Go.ConfigFile != tc.configFile {
				t.Errorf("ConfigFile = %q, want %q", det.Go.ConfigFile, tc.configFile)
			}
			if tc.port != 0 && det.Port != tc.port {
				t.Errorf("Port = %d, want %d (%v)", det.Port, tc.port, det.Evidence["port"])
			}
			if tc.note != "" && !slices.ContainsFunc(det.Notes, func(n string) bool { return strings.Contains(n, tc.note) }) {
				t.Errorf("notes %q lack %q", det.Notes, tc.note)
			}
		})
	}
}

// TestGoFlagPathsOnTheStartPath: a path flag's default is a runtime
// folder only when the command the image starts declares the flag: serve's
// --ui-path is copied, gen's --dir (which it writes) is not.
func TestGoFlagPathsOnTheStartPath(t *testing.T) {
	main := `package main

import (
	"net/http"

	"github.com/spf13/cobra"
)

func main() {
	rootCmd := &cobra.Command{Use: "site"}
	rootCmd.AddCommand(newServeCmd(), newGenCmd())
	rootCmd.Execute()
}

func newServeCmd() *cobra.Command {
	var ui string
	cmd := &cobra.Command{
		Use: "serve",
		RunE: func(cmd *cobra.Command, args []string) error {
			http.Handle("/", http.FileServer(http.Dir(ui)))
			return http.ListenAndServe(":8080", nil)
		},
	}
	cmd.Flags().StringVar(&ui, "ui-path", "ui", "UI folder")
	return cmd
}

func newGenCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use: "gen",
		RunE: func(cmd *cobra.Command, args []string) error { return nil },
	}
	cmd.Flags().StringVar(&dir, "dir", "docs/data", "output dir")
	return cmd
}
`
	files := map[string]string{
		"go.mod":             goModFile("example.com/site", "1.26") + "\n\nrequire github.com/spf13/cobra v1.10.2",
		"go.sum":             "",
		"main.go":            main,
		"ui/index.html":      "<html>",
		"docs/data/a.json":   "{}",
		"docs/data/b.json":   "{}",
		"docs/data/c/d.json": "{}",
	}
	det := detectGo(t, files, nil)
	if want := []string{"/usr/local/bin/site", "serve"}; !slices.Equal(det.Start, want) {
		t.Fatalf("Start = %q, want %q", det.Start, want)
	}
	var got []string
	for _, r := range det.RuntimeFiles {
		got = append(got, r.Path)
	}
	if !slices.Equal(got, []string{"ui"}) {
		t.Errorf("runtime files = %q, want only ui (gen's --dir is another command's)", got)
	}
}
