package golang

import (
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// runtimeSummary renders the runtime files as "path" or "path/" and the
// writable folders as "dir" or "dir(ENV=value)", comma-separated.
func runtimeSummary(det *facts.Detection) (string, string) {
	var files, dirs []string
	for _, f := range det.RuntimeFiles {
		p := f.Path
		if f.Dir {
			p += "/"
		}
		files = append(files, p)
	}
	for _, w := range det.Writable {
		d := w.Dir
		if w.Env != "" {
			d += "(" + w.Env + "=" + w.Value + ")"
		}
		dirs = append(dirs, d)
	}
	return strings.Join(files, ","), strings.Join(dirs, ",")
}

func TestGoRuntimeFiles(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
		// marker is on the line the first runtime file is cited from.
		marker string
	}{
		{
			name: "VERSION read with os.ReadFile (config.yaml is the loaded config file)",
			files: map[string]string{
				"main.go":     goMain([]string{`"net/http"`, `"os"`}, "os.ReadFile(\"config.yaml\")\n\tv, _ := os.ReadFile(\"./VERSION\")\n\t_ = v\n\t"+stdlibServer),
				"config.yaml": "name: x\n",
				"VERSION":     "1.2.3\n",
			},
			want: "VERSION", marker: `os.ReadFile("./VERSION")`,
		},
		{
			name: "a path from a constant and filepath.Join",
			files: map[string]string{
				"main.go":         goMain([]string{`"net/http"`, `"os"`, `"path/filepath"`}, "os.Open(filepath.Join(\"conf\", \"app.toml\"))\n\t"+stdlibServer),
				"conf/app.toml":   "a = 1\n",
				"conf/other.toml": "a = 1\n",
			},
			want: "conf/app.toml", marker: "filepath.Join",
		},
		{
			name: "ini.Load of a file in a conf folder",
			files: map[string]string{
				"main.go":      goMain([]string{`"net/http"`, `"gopkg.in/ini.v1"`}, "ini.Load(\"conf/app.ini\")\n\t"+stdlibServer),
				"conf/app.ini": "[server]\n",
			},
			want: "conf/app.ini", marker: "ini.Load",
		},
		{
			name: "viper finds config.toml in the working directory",
			files: map[string]string{
				"main.go":     goMain([]string{`"net/http"`, `"github.com/spf13/viper"`}, "viper.SetConfigName(\"config\")\n\tviper.AddConfigPath(\"/etc/app\")\n\tviper.AddConfigPath(\".\")\n\tviper.ReadInConfig()\n\t"+stdlibServer),
				"config.toml": "port = 1\n",
			},
			want: "config.toml", marker: "viper.SetConfigName",
		},
		{
			name: "golang-migrate and goose folders outside the asset roots",
			files: map[string]string{
				"main.go":              goMain([]string{`"net/http"`, `"github.com/golang-migrate/migrate/v4"`, `"github.com/pressly/goose/v3"`}, "migrate.New(\"file://db/migrations\", dsn)\n\tgoose.Up(db, \"sql/schema\")\n\t"+stdlibServer),
				"db/migrations/1.sql":  "select 1;",
				"sql/schema/00001.sql": "select 1;",
			},
			want: "db/migrations/,sql/schema/", marker: "migrate.New",
		},
		{
			name: "goose reading embedded migrations",
			files: map[string]string{
				"main.go":             goMain([]string{`"embed"`, `"net/http"`, `"github.com/pressly/goose/v3"`}, "goose.SetBaseFS(migrations)\n\tgoose.Up(db, \"db/migrations\")\n\t"+stdlibServer, "//go:embed db/migrations/*.sql\nvar migrations embed.FS"),
				"db/migrations/1.sql": "select 1;",
			},
			want: "",
		},
		{
			name: "a .env file is never copied",
			files: map[string]string{
				"main.go":  goMain([]string{`"net/http"`, `"os"`}, "os.ReadFile(\".env\")\n\tos.Open(\"prod.env\")\n\t"+stdlibServer),
				".env":     "SECRET=x\n",
				"prod.env": "SECRET=x\n",
			},
			want: "",
		},
		{
			name: "a file that is not in the repository, or outside the module",
			files: map[string]string{
				"main.go": goMain([]string{`"net/http"`, `"os"`}, "os.ReadFile(\"missing.yaml\")\n\tos.ReadFile(\"/etc/app.yaml\")\n\tos.ReadFile(\"../shared.yaml\")\n\t"+stdlibServer),
			},
			want: "",
		},
		{
			name: "flag defaults that name a path in the repository",
			files: map[string]string{
				"main.go":             goMain([]string{`"flag"`, `"net/http"`, `"github.com/spf13/viper"`}, "fs := flag.NewFlagSet(\"serve\", flag.ExitOnError)\n\tui := fs.String(\"ui-path\", \"./ui\", \"the web UI\")\n\tvar site string\n\tflag.StringVar(&site, \"site\", \"site\", \"directory of the pages\")\n\tviper.SetDefault(\"server.buildDir\", \"frontend/build\")\n\tconf := flag.String(\"schema-path\", \"api/schema.json\", \"\")\n\t_, _ = ui, conf\n\t"+stdlibServer),
				"ui/index.html":       "<html>",
				"site/index.md":       "# hi",
				"frontend/build/a.js": "x",
				"api/schema.json":     "{}",
			},
			want: "ui/,site/,frontend/build/,api/schema.json", marker: "ui-path",
		},
		{
			name: "flag defaults that are no path, are missing, absolute or unmarked",
			files: map[string]string{
				"main.go":       goMain([]string{`"flag"`, `"net/http"`}, "a := flag.String(\"name\", \"ui\", \"the service name\")\n\tb := flag.String(\"data-dir\", \"./data\", \"\")\n\tc := flag.String(\"root\", \"/srv/www\", \"\")\n\td := flag.String(\"ui-dir\", \".\", \"\")\n\t_, _, _, _ = a, b, c, d\n\t"+stdlibServer),
				"ui/index.html": "<html>",
			},
			want: "",
		},
		{
			name: "a flag default that names a Go package folder is code, not a runtime folder",
			files: map[string]string{
				"main.go":            goMain([]string{`"flag"`, `"net/http"`}, "dir := flag.String(\"configDir\", \"config\", \"config dir\")\n\t_ = dir\n\t"+stdlibServer),
				"config/loader.go":   "package config\n",
				"config/default.yml": "a: 1\n",
			},
			want: "",
		},
		{
			name: "a folder already copied as an asset is not listed again",
			files: map[string]string{
				"main.go":             goMain([]string{`"net/http"`, `"os"`}, "os.ReadDir(\"migrations\")\n\t"+stdlibServer),
				"migrations/0001.sql": "select 1;",
			},
			want: "",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile("example.com/app", "1.26")}
			for k, v := range tc.files {
				files[k] = v
			}
			det := detectGo(t, files, nil)
			got, _ := runtimeSummary(det)
			if got != tc.want {
				t.Fatalf("RuntimeFiles = %q, want %q", got, tc.want)
			}
			if _, ok := tc.files["config.yaml"]; ok && det.Go.ConfigFile != "config.yaml" {
				t.Errorf("ConfigFile = %q, want config.yaml (copied as the loaded config)", det.Go.ConfigFile)
			}
			if tc.marker != "" {
				ev := det.RuntimeFiles[0].Evidence
				if ev.File != "main.go" || ev.Line != lineOf(t, files["main.go"], tc.marker) {
					t.Errorf("evidence %s, want main.go at %q", ev, tc.marker)
				}
			}
		})
	}
}

func TestGoWritable(t *testing.T) {
	for _, tc := range []struct {
		name   string
		body   string
		want   string
		marker string
	}{
		{name: "gorm's sqlite driver with a file in the working directory", body: "gorm.Open(sqlite.Open(\"app.db\"), &gorm.Config{})", want: ".", marker: "sqlite.Open"},
		{name: "database/sql sqlite with a DSN under data/", body: "sql.Open(\"sqlite\", \"file:data/app.db?_pragma=busy_timeout(5000)\")", want: "data", marker: "sql.Open"},
		{name: "the path from a variable moves into data/", body: "p := os.Getenv(\"DATABASE_PATH\")\n\tif p == \"\" {\n\t\tp = \"app.db\"\n\t}\n\tsql.Open(\"sqlite3\", p)", want: "data(DATABASE_PATH=data/app.db)", marker: "sql.Open"},
		{name: "uploads folder created with os.MkdirAll", body: "os.MkdirAll(\"uploads/avatars\", 0o750)", want: "uploads/avatars", marker: "os.MkdirAll"},
		{name: "a file opened for appending", body: "os.OpenFile(\"logs/app.log\", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)", want: "logs", marker: "os.OpenFile"},
		{name: "an in-memory database writes nothing", body: "sql.Open(\"sqlite3\", \":memory:\")\n\tsqlite.Open(\"file::memory:?cache=shared\")", want: ""},
		{name: "an absolute path is not next to the program", body: "os.MkdirAll(\"/tmp/cache\", 0o750)\n\tsql.Open(\"sqlite3\", cmp.Or(os.Getenv(\"DB\"), \"/var/lib/app/app.db\"))", want: ""},
		{name: "a read-only open writes nothing", body: "os.OpenFile(\"data/x\", os.O_RDONLY, 0)", want: ""},
		{name: "a non-sqlite database", body: "sql.Open(\"postgres\", \"host=db\")", want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			main := goMain([]string{`"cmp"`, `"database/sql"`, `"net/http"`, `"os"`, `"gorm.io/driver/sqlite"`, `"gorm.io/gorm"`}, tc.body+"\n\t"+stdlibServer)
			files := map[string]string{"go.mod": goModFile("example.com/app", "1.26"), "main.go": main}
			det := detectGo(t, files, nil)
			_, got := runtimeSummary(det)
			if got != tc.want {
				t.Fatalf("Writable = %q, want %q", got, tc.want)
			}
			if tc.marker != "" {
				w := det.Writable[0]
				if w.Evidence.File != "main.go" || w.Evidence.Line != lineOf(t, main, tc.marker) || w.What == "" {
					t.Errorf("writable %+v, want evidence at %q and what is written", w, tc.marker)
				}
			}
		})
	}
}

func TestHasPathWord(t *testing.T) {
	for s, want := range map[string]bool{
		"ui-path": true, "staticDir": true, "UIPath": true, "web.root": true, "TEMPLATES_DIR": true,
		"path to the UI": true, "guide": false, "build": false, "name": false, "": false, "rootless": false,
	} {
		if got := hasWord(s, pathFlagWords); got != want {
			t.Errorf("hasWord(%q) = %v, want %v", s, got, want)
		}
	}
}
