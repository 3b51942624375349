package golang

import (
	"slices"
	"strings"
	"testing"
)

// cobraTree is a cobra program: a root command with rootFields, and the
// given subcommand declarations (package-level vars added in init).
func cobraTree(rootFields, subs, initBody string, added ...string) string {
	return `package main

import (
	"fmt"
	"net/http"

	"github.com/spf13/cobra"
)

var rootCmd = &cobra.Command{Use: "shop"` + rootFields + `}

` + subs + `

func init() {
	rootCmd.AddCommand(` + strings.Join(added, ", ") + `)
` + initBody + `
}

func build() error { fmt.Println("built"); return nil }

func serveSite(addr string) error { return http.ListenAndServe(addr, nil) }

func main() { rootCmd.Execute() }
`
}

// TestGoStartPath: the port and the start come from one code path.
func TestGoStartPath(t *testing.T) {
	const buildRoot = `, RunE: func(*cobra.Command, []string) error { return build() }`
	for _, tc := range []struct {
		name   string
		main   string
		start  []string
		port   int
		portEv string
		// startEv is a fragment of the start evidence, when it is cited.
		startEv string
	}{
		{
			name: "a root that builds and a server subcommand that listens: the start runs the subcommand",
			main: cobraTree(buildRoot, `var serverCmd = &cobra.Command{Use: "server", RunE: func(*cobra.Command, []string) error { return http.ListenAndServe(":1313", nil) }}`,
				"", "serverCmd"),
			start: []string{"/usr/local/bin/shop", "server"}, port: 1313, startEv: `"server" subcommand's path`,
		},
		{
			name: "the port flag is the subcommand's; its loopback bind flag is passed",
			main: cobraTree(buildRoot, `var bind string
var port int
var serverCmd = &cobra.Command{Use: "server", RunE: func(*cobra.Command, []string) error { return serveSite(fmt.Sprintf("%s:%d", bind, port)) }}`,
				"\tserverCmd.Flags().IntVar(&port, \"port\", 1313, \"port\")\n\tserverCmd.Flags().StringVar(&bind, \"bind\", \"127.0.0.1\", \"interface\")", "serverCmd"),
			start: []string{"/usr/local/bin/shop", "server", "--bind=0.0.0.0"}, port: 1313, portEv: `"port", 1313`,
		},
		{
			name: "a deprecated serve is passed over for server",
			main: cobraTree("", `var serveCmd = &cobra.Command{Use: "serve", Deprecated: "use server instead", RunE: func(*cobra.Command, []string) error { return serveSite(":8080") }}
var serverCmd = &cobra.Command{Use: "server", RunE: func(*cobra.Command, []string) error { return serveSite(":8080") }}`,
				"", "serveCmd", "serverCmd"),
			start: []string{"/usr/local/bin/shop", "server"}, port: 8080,
		},
		{
			name: "a hidden serve is never started",
			main: cobraTree("", `var serveCmd = &cobra.Command{Use: "serve", Hidden: true, RunE: func(*cobra.Command, []string) error { return http.ListenAndServe(":8080", nil) }}`,
				"", "serveCmd"),
			start: []string{"/usr/local/bin/shop"},
		},
		{
			name: "another subcommand's port flag is not the served one's",
			main: cobraTree("", `var addr string
var mcpAddr string
var serveCmd = &cobra.Command{Use: "serve", RunE: func(*cobra.Command, []string) error { return serveSite(addr) }}
var mcpCmd = &cobra.Command{Use: "mcp", RunE: func(*cobra.Command, []string) error { return serveSite(mcpAddr) }}`,
				"\tmcpCmd.Flags().StringVar(&mcpAddr, \"addr\", \":3001\", \"MCP address\")", "serveCmd", "mcpCmd"),
			start: []string{"/usr/local/bin/shop", "serve"}, port: 8080,
		},
		{
			name: "handlers named by Run and commands that share the variable name cmd",
			main: `package main

import (
	"fmt"
	"net"
	"net/http"

	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{Use: "shop"}
	root.AddCommand(openCmd(), serverCmd())
	root.Execute()
}

func openCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "open", Run: openHandler}
	cmd.Flags().IntP("archive-port", "p", 0, "")
	return cmd
}

func openHandler(cmd *cobra.Command, args []string) {
	l, _ := net.Listen("tcp", ":4000")
	http.Serve(l, nil)
}

func serverCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "server", Run: newServerHandler()}
	cmd.Flags().IntP("port", "p", 8086, "")
	return cmd
}

func newServerHandler() func(*cobra.Command, []string) {
	return func(cmd *cobra.Command, args []string) {
		port, _ := cmd.Flags().GetInt("port")
		http.ListenAndServe(fmt.Sprintf(":%d", port), nil)
	}
}
`,
			start: []string{"/usr/local/bin/shop", "server"}, port: 8086, portEv: `"port", "p", 8086`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile("example.com/shop", "1.26") + "\n\nrequire github.com/spf13/cobra v1.10.2", "go.sum": "", "main.go": tc.main}
			det := detectGo(t, files, nil)
			if !slices.Equal(det.Start, tc.start) {
				t.Errorf("Start = %q, want %q (%v)", det.Start, tc.start, det.Evidence["start"])
			}
			if det.Port != tc.port && tc.port != 0 {
				t.Errorf("Port = %d, want %d (%v)", det.Port, tc.port, det.Evidence["port"])
			}
			if tc.portEv != "" && !strings.Contains(det.Evidence["port"].Detail, tc.portEv) {
				t.Errorf("port evidence %v lacks %q", det.Evidence["port"], tc.portEv)
			}
			if tc.startEv != "" && !strings.Contains(det.Evidence["start"].Detail, tc.startEv) {
				t.Errorf("start evidence %v lacks %q", det.Evidence["start"], tc.startEv)
			}
		})
	}
}

// TestGoToolMainAsks: a generator under internal/ that listens nowhere
// is never the silent pick; the listening examples are offered.
func TestGoToolMainAsks(t *testing.T) {
	files := map[string]string{
		"go.mod":                  goModFile("example.com/shop", "1.26"),
		"shop.go":                 "package shop\n\nfunc New() int { return 1 }\n",
		"internal/gen/main.go":    "package main\n\nimport \"os\"\n\nfunc main() { os.WriteFile(\"out.go\", nil, 0o644) }\n",
		"examples/base/main.go":   "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8090\", nil) }\n",
		"examples/script/main.go": "package main\n\nfunc main() {}\n",
	}
	det := detectGo(t, files, nil)
	if len(det.Choices) != 1 {
		t.Fatalf("choices = %+v, want one", det.Choices)
	}
	c := det.Choices[0]
	var opts []string
	for _, o := range c.Options {
		opts = append(opts, o.Value)
	}
	if c.Safe || c.Default != "./examples/base" || !slices.Equal(opts, []string{"./examples/base", "./internal/gen"}) {
		t.Errorf("choice = safe %v, default %q, options %q; want an unsafe choice of ./examples/base over ./internal/gen", c.Safe, c.Default, opts)
	}
	det = detectGo(t, files, map[string]string{"main": "./examples/base"})
	if det.Go.Main != "./examples/base" || det.Port != 8090 {
		t.Errorf("answered: main %q port %d, want ./examples/base on 8090", det.Go.Main, det.Port)
	}

}

// TestGoSimplecobraServer: simplecobra commands are types with a Name
// method; the root is the one passed to simplecobra.New. A root that
// builds and a server type that declares the port and a loopback bind
// flag start as `server --bind=0.0.0.0`.
func TestGoSimplecobraServer(t *testing.T) {
	src := `package main

import (
	"context"
	"net"
	"net/http"
	"strconv"

	"github.com/bep/simplecobra"
)

type rootCommand struct{ commands []simplecobra.Commander }

func (c *rootCommand) Name() string { return "site" }

func (c *rootCommand) Run(ctx context.Context, cd *simplecobra.Commandeer, args []string) error { return build() }

type serverCommand struct {
	port int
	bind string
}

func (c *serverCommand) Name() string { return "server" }

func (c *serverCommand) Init(cd *simplecobra.Commandeer) error {
	cmd := cd.CobraCommand
	cmd.Flags().IntVarP(&c.port, "port", "p", 1414, "port")
	cmd.Flags().StringVarP(&c.bind, "bind", "", "127.0.0.1", "interface")
	return nil
}

func (c *serverCommand) Run(ctx context.Context, cd *simplecobra.Commandeer, args []string) error {
	l, err := net.Listen("tcp", net.JoinHostPort(c.bind, strconv.Itoa(c.port)))
	if err != nil {
		return err
	}
	return http.Serve(l, nil)
}

func build() error { return nil }

func main() {
	rootCmd := &rootCommand{commands: []simplecobra.Commander{&serverCommand{}}}
	x, _ := simplecobra.New(rootCmd)
	x.Execute(context.Background(), nil)
}
`
	files := map[string]string{"go.mod": goModFile("example.com/site", "1.26") + "\n\nrequire github.com/bep/simplecobra v0.6.1", "go.sum": "", "main.go": src}
	det := detectGo(t, files, nil)
	if want := []string{"/usr/local/bin/site", "server", "--bind=0.0.0.0"}; !slices.Equal(det.Start, want) || det.Port != 1414 {
		t.Errorf("Start = %q, Port = %d; want %q on 1414 (%v)", det.Start, det.Port, want, det.Evidence["port"])
	}
}

// TestGoToolMainRankedFirst: among mains that do not serve, a generator
// that ranks first is only a suggestion.
func TestGoToolMainRankedFirst(t *testing.T) {
	files := map[string]string{
		"go.mod":             goModFile("example.com/gendocs", "1.26"),
		"gendocs/main.go":    "package main\n\nfunc main() {}\n",
		"cmd/report/main.go": "package main\n\nfunc main() {}\n",
	}
	det := detectGo(t, files, nil)
	if len(det.Choices) != 1 || det.Choices[0].Default != "./gendocs" || det.Choices[0].Safe || !strings.Contains(det.Choices[0].Reason, "internal tool or generator") {
		t.Errorf("choices = %+v, want ./gendocs offered as an unsafe suggestion", det.Choices)
	}
}
