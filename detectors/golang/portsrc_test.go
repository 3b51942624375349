package golang

import (
	"slices"
	"strings"
	"testing"
)

// TestGoPortSources has one row per place a program takes its port from
// beyond a literal in its listening call.
func TestGoPortSources(t *testing.T) {
	const mod = "example.com/shop"
	for _, tc := range []struct {
		name             string
		files            map[string]string
		port             int
		portEnv, addrEnv string
		evFile, evDetail string
		// start is the start command's arguments after the binary.
		start []string
		note  string
		// configFile is the config file copied into the image.
		configFile string
	}{
		{
			name: "an Echo instance returned by a constructor in another package",
			files: map[string]string{
				"main.go":              goMain([]string{`"example.com/shop/internal/server"`}, `s := server.New()`+"\n\t"+`s.Start(":8087")`),
				"internal/server/s.go": "package server\n\nimport \"github.com/labstack/echo/v4\"\n\nfunc New() *echo.Echo { return echo.New() }\n",
			},
			port: 8087, evFile: "main.go", evDetail: `s.Start(":8087")`,
		},
		{
			name: "a Start(ctx) of something else is no listener",
			files: map[string]string{
				"main.go": goMain([]string{`"context"`, `"example.com/shop/internal/server"`, `"net/http"`},
					`server.Worker{}.Start(context.Background())`+"\n\t"+`http.ListenAndServe(":9001", nil)`),
				"internal/server/s.go": "package server\n\nimport (\n\t\"context\"\n\n\t\"github.com/labstack/echo/v4\"\n)\n\nvar _ = echo.New\n\ntype Worker struct{}\n\nfunc (Worker) Start(context.Context) {}\n",
			},
			port: 9001, evFile: "main.go", evDetail: `":9001"`,
		},
		{
			name: "a config struct's envconfig default in another package",
			files: map[string]string{
				"main.go":            goMain([]string{`"net/http"`, `"strconv"`, `"example.com/shop/config"`}, `cfg := config.Load()`+"\n\t"+`http.ListenAndServe(":"+strconv.Itoa(cfg.Port), nil)`),
				"config/config.go":   "package config\n\ntype Config struct {\n\tMailPort int `envconfig:\"MAIL_SMTP_PORT\" default:\"25\"`\n}\n\ntype Server struct {\n\tPort int `envconfig:\"SHOP_PORT\" default:\"8089\"`\n}\n\nfunc Load() Server { return Server{} }\n",
				"config/mailport.go": "package config\n\ntype Mail struct {\n\tPort int `envconfig:\"SHOP_MAIL_PORT\" default:\"587\"`\n}\n",
			},
			port: 8089, portEnv: "SHOP_PORT", evFile: "main.go", evDetail: `$SHOP_PORT, default "8089"`,
		},
		{
			name: "a package-level default in another package",
			files: map[string]string{
				"main.go":          goMain([]string{`"net/http"`, `"example.com/shop/config"`}, `http.ListenAndServe(config.Listen, nil)`),
				"config/config.go": "package config\n\nvar Listen = \"[::]:8025\"\n",
			},
			port: 8025, evFile: "main.go", evDetail: `"[::]:8025"`,
		},
		{
			name: "viper SetDefault",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"github.com/spf13/viper"`},
				`viper.SetDefault("server.port", 4533)`+"\n\t"+`viper.SetDefault("db.port", 5432)`+"\n\t"+`http.ListenAndServe(viper.GetString("server.address"), nil)`)},
			port: 4533, evFile: "main.go", evDetail: `viper.SetDefault("server.port", 4533)`,
		},
		{
			name: "a cobra flag bound with StringVarP",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"github.com/spf13/cobra"`},
				`var addr string`+"\n\t"+`cmd := &cobra.Command{Use: "shop", Run: func(*cobra.Command, []string) { http.ListenAndServe(load(), nil) }}`+"\n\t"+`cmd.Flags().StringVarP(&addr, "listen", "l", "0.0.0.0:8091", "")`+"\n\t"+`cmd.Execute()`,
				"func load() string { return \"\" }")},
			port: 8091, evFile: "main.go", evDetail: `"listen", "l", "0.0.0.0:8091"`,
		},
		{
			name: "a urfave/cli flag with its variable",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"github.com/urfave/cli/v2"`},
				`_ = &cli.StringFlag{Name: "metrics-addr", Value: ":9100"}`+"\n\t"+`_ = &cli.StringFlag{Name: "server-addr", EnvVars: []string{"SHOP_SERVER_ADDR"}, Value: ":8000"}`+"\n\t"+`http.ListenAndServe(load(), nil)`,
				"func load() string { return \"\" }")},
			port: 8000, addrEnv: "SHOP_SERVER_ADDR", evFile: "main.go", evDetail: "flag server-addr",
		},
		{
			name: "a logging field named port is no flag",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"go.uber.org/zap"`},
				`zap.L().Info("up", zap.Uint16("port", 80))`+"\n\t"+`http.ListenAndServe(load(), nil)`,
				"func load() string { return \"\" }")},
			port: 8080, evFile: "main.go", evDetail: "no default found, so 8080 is guessed",
		},
		{
			name: "a kingpin flag default",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"gopkg.in/alecthomas/kingpin.v2"`},
				`addr := kingpin.Flag("web.listen-address", "").Default(":9093").String()`+"\n\t"+`kingpin.Parse()`+"\n\t"+`http.ListenAndServe(load(*addr), nil)`,
				"func load(s string) string { return s + \"\" }")},
			port: 9093, evFile: "main.go", evDetail: `Default(":9093")`,
		},
		{
			name: "a config file the program loads wins over the code's default",
			files: map[string]string{
				"main.go":     goMain([]string{`"net/http"`, `"os"`}, `_, _ = os.ReadFile("config.yml")`+"\n\t"+`http.ListenAndServe(":"+getenv("PORT", "8080"), nil)`, "func getenv(k, d string) string { return d }"),
				"config.yml":  "database:\n  port: 5432\nserver:\n  port: 3000\n",
				"config.json": "{}",
			},
			port: 3000, evFile: "config.yml", evDetail: "server.port: 3000", configFile: "config.yml",
		},
		{
			name: "an example environment file sets the variable the port is read from",
			files: map[string]string{
				"main.go":      goMain([]string{`"net/http"`, `"os"`}, `http.ListenAndServe(":"+os.Getenv("APP_PORT"), nil)`),
				".env.example": "DB_PORT=5432\nexport APP_PORT=\"3001\"\n",
			},
			port: 3001, portEnv: "APP_PORT", evFile: ".env.example", evDetail: "APP_PORT=3001",
		},
		{
			name: "a literal address in the call is not overridden by a config file",
			files: map[string]string{
				"main.go":    goMain([]string{`"net/http"`, `"os"`}, `_, _ = os.ReadFile("config.yml")`+"\n\t"+`http.ListenAndServe(":8080", nil)`),
				"config.yml": "port: 3000\n",
			},
			port: 8080, evFile: "main.go", evDetail: `":8080"`, configFile: "config.yml",
		},
		{
			name: "a config file the program loads without a port is still copied",
			files: map[string]string{
				"main.go":          goMain([]string{`"flag"`, `"net/http"`}, `cfg := flag.String("config", "./config/local.yml", "")`+"\n\t"+`flag.Parse()`+"\n\t"+`_ = cfg`+"\n\t"+`http.ListenAndServe(":8080", nil)`),
				"config/local.yml": "dsn: postgres://db/app\n",
			},
			port: 8080, evFile: "main.go", evDetail: `":8080"`, configFile: "config/local.yml",
		},
		{
			name: "a required port variable with no default: the image sets it",
			files: map[string]string{
				"main.go":          goMain([]string{`"net/http"`, `"example.com/shop/config"`}, `http.ListenAndServe(config.Addr(), nil)`),
				"config/config.go": "package config\n\ntype HTTP struct {\n\tPort string `env:\"HTTP_PORT,required\"`\n}\n\ntype GRPC struct {\n\tPort string `env:\"GRPC_PORT,required\"`\n}\n\nfunc Addr() string { return \"\" }\n",
			},
			port: 8080, portEnv: "HTTP_PORT", evFile: "config/config.go", evDetail: "reads $HTTP_PORT with no default",
		},
		{
			name: "a port variable a struct tag names without requiring it is not set",
			files: map[string]string{
				"main.go":           goMain([]string{`"net/http"`, `"example.com/shop/restapi"`}, `_ = restapi.Server{}`+"\n\t"+`http.ListenAndServe(load(), nil)`, "func load() string { return \"\" }"),
				"restapi/server.go": "package restapi\n\ntype Server struct {\n\tPort int `long:\"port\" env:\"PORT\"`\n}\n",
			},
			port: 8080, evFile: "main.go", evDetail: "no default found, so 8080 is guessed",
		},
		{
			name: "pprof on a branch, a metrics server and a TLS redirect are not the app's port",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `_ "net/http/pprof"`, `"github.com/prometheus/client_golang/prometheus/promhttp"`},
				`if cfg.EnablePprof {`+"\n\t\t"+`go http.ListenAndServe("127.0.0.1:6060", nil)`+"\n\t}\n\t"+
					`go http.ListenAndServe(":9090", promhttp.Handler())`+"\n\t"+
					`go http.ListenAndServe(":80", http.HandlerFunc(redirectToTLS))`+"\n\t"+
					`http.ListenAndServe(":8443", nil)`,
				"var cfg struct{ EnablePprof bool }\n\nfunc redirectToTLS(w http.ResponseWriter, r *http.Request) {}")},
			port: 8443, evFile: "main.go", evDetail: `":8443"`, note: "a metrics server listens on 9090",
		},
		{
			name: "an app router wrapped in a metrics middleware is still the app",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`},
				`go http.ListenAndServe(":9100", promhttp.Handler())`+"\n\t"+`http.ListenAndServe(":8070", withMetrics(http.NewServeMux()))`,
				"func withMetrics(h http.Handler) http.Handler { return h }")},
			port: 8070, evFile: "main.go", evDetail: `":8070"`, note: "a metrics server listens on 9100",
		},
		{
			name: "a program whose only listener looks like a side one is served by it",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`}, `runHealthServer()`,
				"func runHealthServer() { http.ListenAndServe(\":8086\", nil) }")},
			port: 8086, evFile: "main.go", evDetail: `":8086"`,
		},
		{
			name:  "port 80 from a variable: the image runs it on 8080",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`}, `http.ListenAndServe(":"+getenv("PORT", "80"), nil)`, "func getenv(k, d string) string { return d }")},
			port:  8080, portEnv: "PORT", evFile: "main.go", evDetail: `default "80"`, note: "the image sets $PORT to run it on 8080",
		},
		{
			name:  "port 80 from a flag: the start command passes 8080",
			files: map[string]string{"main.go": goMain([]string{`"flag"`, `"net/http"`}, `addr := flag.String("addr", ":80", "")`+"\n\t"+`flag.Parse()`+"\n\t"+`http.ListenAndServe(*addr, nil)`)},
			port:  8080, evFile: "main.go", evDetail: `":80"`, start: []string{"--addr=:8080"}, note: "passes --addr=:8080",
		},
		{
			name:  "port 80 in a literal: said, not changed",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`}, `http.ListenAndServe(":80", nil)`)},
			port:  80, evFile: "main.go", evDetail: `":80"`, note: "ip_unprivileged_port_start",
		},
		{
			name: "a flag whose default is the struct field it sets: the struct literal's value",
			files: map[string]string{"main.go": goMain([]string{`"flag"`, `"net/http"`},
				`flag.StringVar(&server.Listen, "listen", server.Listen, "listen address")`+"\n\t"+`flag.Parse()`+"\n\t"+`http.ListenAndServe(server.Listen, nil)`,
				"type Server struct{ Listen, Path string }\n\nvar server = Server{\n\tPath:   \"/tmp/data\",\n\tListen: \":8000\",\n}")},
			port: 8000, evFile: "main.go", evDetail: `":8000"`,
		},
		{
			name: "a pflag VarP flag's default, not its shorthand",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"github.com/spf13/pflag"`},
				`var addr string`+"\n\t"+`pflag.StringVarP(&addr, "listen", "l", ":8093", "")`+"\n\t"+`http.ListenAndServe(addr, nil)`)},
			port: 8093, evFile: "main.go", evDetail: `":8093"`,
		},
		{
			name: "a default tag on a config field named port in its file (configor)",
			files: map[string]string{
				"main.go": goMain([]string{`"net/http"`, `"example.com/shop/config"`}, `http.ListenAndServe(config.Addr(), nil)`),
				"config/config.go": "package config\n\nimport \"github.com/jinzhu/configor\"\n\nvar _ = configor.Load\n\n" +
					"type Server struct {\n\tDBPort int `yaml:\"db_port\" default:\"5432\"`\n\tHTTPPort int `yaml:\"port\" default:\"8095\"`\n}\n\nfunc Addr() string { return load() }\n\nfunc load() string { return \"\" }\n",
			},
			port: 8095, evFile: "config/config.go", evDetail: `default:"8095"`,
		},
		{
			name: "a go-envconfig default in the env tag's options",
			files: map[string]string{"main.go": goMain([]string{`"fmt"`, `"net/http"`, `"github.com/sethvargo/go-envconfig"`},
				`var cfg Config`+"\n\t"+`_ = envconfig.Process`+"\n\t"+`http.ListenAndServe(fmt.Sprintf(":%d", cfg.Port), nil)`,
				"type Config struct {\n\tPort int `env:\"HTTP_PORT,default=8097\"`\n}")},
			port: 8097, portEnv: "HTTP_PORT", evFile: "main.go", evDetail: `$HTTP_PORT, default "8097"`,
		},
		{
			name: "a helper fills a field from a variable; the struct literal gives its default",
			files: map[string]string{
				"main.go": goMain([]string{`"net"`, `"net/http"`, `"example.com/shop/config"`},
					`c := config.Get()`+"\n\t"+`l, _ := net.Listen("tcp", addr(c))`+"\n\t"+`http.Serve(l, nil)`,
					"func addr(c *config.Config) string { return \"\" }"),
				"config/config.go": "package config\n\nimport \"os\"\n\nconst EnvServerPort = \"SHOP_SERVER_PORT\"\n\ntype Server struct{ Port int }\n\ntype Config struct{ Server Server }\n\n" +
					"func Get() *Config {\n\tc := &Config{Server: Server{Port: 80}}\n\tparseInt(&c.Server.Port, EnvServerPort)\n\treturn c\n}\n\nfunc parseInt(p *int, env string) { _ = os.Getenv(env) }\n",
			},
			port: 8080, portEnv: "SHOP_SERVER_PORT", evFile: "config/config.go", evDetail: `$SHOP_SERVER_PORT, default "80"`,
			note: "the image sets $SHOP_SERVER_PORT to run it on 8080",
		},
		{
			name: "a table of variable defaults with a loopback listen address: the image sets it",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`},
				`http.ListenAndServe(listenAddr(), nil)`,
				"func listenAddr() string { return lookup(\"LISTEN_ADDR\") }\n\nfunc lookup(k string) string { return opts[k].raw }\n\ntype option struct{ raw string }\n\nvar opts = map[string]*option{\n\t\"DB_PORT\": {raw: \"5432\"},\n\t\"LISTEN_ADDR\": {raw: \"127.0.0.1:8099\"},\n}")},
			port: 8099, addrEnv: "LISTEN_ADDR", evFile: "main.go", evDetail: `$LISTEN_ADDR, default "127.0.0.1:8099"`,
		},
		{
			name: "a kong default tag on a listen field",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`, `"github.com/alecthomas/kong"`},
				`var cli CLI`+"\n\t"+`kong.Parse(&cli)`+"\n\t"+`http.ListenAndServe(load(), nil)`,
				"type CLI struct {\n\tListen string `name:\"listen\" default:\":7001\"`\n}\n\nfunc load() string { return \"\" }")},
			port: 7001, evFile: "main.go", evDetail: "a config default",
		},
		{
			name:  "a loopback default address read from a variable: the image sets it",
			files: map[string]string{"main.go": goMain([]string{`"net/http"`}, `http.ListenAndServe(getenv("LISTEN_ADDR", "127.0.0.1:8088"), nil)`, "func getenv(k, d string) string { return d }")},
			port:  8088, addrEnv: "LISTEN_ADDR", evFile: "main.go", evDetail: `$LISTEN_ADDR, default "127.0.0.1:8088"`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile(mod, "1.26")}
			for k, v := range tc.files {
				files[k] = v
			}
			det := detectGo(t, files, nil)
			if det.Port != tc.port || det.Go.PortEnv != tc.portEnv || det.Go.AddrEnv != tc.addrEnv {
				t.Errorf("Port=%d PortEnv=%q AddrEnv=%q, want %d %q %q (%v)", det.Port, det.Go.PortEnv, det.Go.AddrEnv, tc.port, tc.portEnv, tc.addrEnv, det.Evidence["port"])
			}
			if ev := det.Evidence["port"]; ev.File != tc.evFile || !strings.Contains(ev.Detail, tc.evDetail) {
				t.Errorf("port evidence %s, want %s with %q", ev, tc.evFile, tc.evDetail)
			}
			if want := append([]string{"/usr/local/bin/shop"}, tc.start...); !slices.Equal(det.Start, want) {
				t.Errorf("Start = %q, want %q", det.Start, want)
			}
			if tc.note != "" && !slices.ContainsFunc(det.Notes, func(n string) bool { return strings.Contains(n, tc.note) }) {
				t.Errorf("notes %q lack %q", det.Notes, tc.note)
			}
			if det.Go.ConfigFile != tc.configFile {
				t.Errorf("ConfigFile = %q, want %q", det.Go.ConfigFile, tc.configFile)
			}
		})
	}
}
