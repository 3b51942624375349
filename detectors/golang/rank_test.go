package golang

import (
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// TestGoMainRanking has one row per piece of evidence that ranks several
// main packages.
func TestGoMainRanking(t *testing.T) {
	const mod = "example.com/shop"
	server := goMain([]string{`"net/http"`}, stdlibServer)
	// A main that starts the server of a shared package.
	viaPkg := goMain([]string{`"example.com/shop/internal/web"`}, "web.Serve()")
	// A main that only uses the shared package's handlers.
	usesPkg := goMain([]string{`"example.com/shop/internal/web"`}, "_ = web.Handler")
	webPkg := "package web\n\nimport \"net/http\"\n\nvar Handler http.Handler\n\nfunc Serve() { http.ListenAndServe(\":8080\", Handler) }\n"
	for _, tc := range []struct {
		name   string
		files  map[string]string
		want   string
		safe   bool
		reason string
	}{
		{
			name: "a listener in its own code beats a shared package that can listen",
			files: map[string]string{
				"cmd/front/main.go": goMain([]string{`"net/http"`, `"example.com/shop/internal/web"`}, `http.ListenAndServe(":8080", web.Handler)`),
				"cmd/tool/main.go":  usesPkg,
				"internal/web/w.go": webPkg,
			},
			want: "./cmd/front", safe: true, reason: "the only one that opens a listener in its own code (cmd/front/main.go:",
		},
		{
			name: "a package below the main's folder is its own code",
			files: map[string]string{
				"cmd/front/main.go":           goMain([]string{`"example.com/shop/cmd/front/internal/srv"`, `"example.com/shop/internal/web"`}, "srv.Run(web.Handler)"),
				"cmd/front/internal/srv/s.go": "package srv\n\nimport \"net/http\"\n\nfunc Run(h http.Handler) { http.ListenAndServe(\":8080\", h) }\n",
				"cmd/tool/main.go":            usesPkg,
				"internal/web/w.go":           webPkg,
				"cmd/other/main.go":           usesPkg,
			},
			want: "./cmd/front", safe: true, reason: "own code (cmd/front/internal/srv/s.go:",
		},
		{
			name: "a CLI that imports the server's client package is not the server",
			files: map[string]string{
				"cmd/shopper/main.go":   viaPkg,
				"cmd/shopcli/main.go":   goMain([]string{`"example.com/shop/pkg/apiclient"`}, "apiclient.Call()"),
				"pkg/apiclient/c.go":    "package apiclient\n\nimport \"example.com/shop/internal/web\"\n\nvar _ = web.Handler\n\nfunc Call() {}\n",
				"internal/web/w.go":     webPkg,
				"cmd/shopper/extra.go":  "package main\n",
				"pkg/apiclient/doc.go":  "package apiclient\n",
				"internal/web/serve.go": "package web\n",
			},
			want: "./cmd/shopper", safe: true, reason: `./cmd/shopcli is a client (cmd/shopcli/main.go:4: imports the client package "example.com/shop/pkg/apiclient")`,
		},
		{
			name:  "a daemon's …d name breaks a tie",
			files: map[string]string{"cmd/admin/main.go": server, "cmd/stored/main.go": server, "cmd/catalogd/main.go": server},
			want:  "./cmd/catalogd", safe: true, reason: `./cmd/catalogd is named "catalogd", a server's name`,
		},
		{
			name: "the Makefile's build target breaks a tie",
			files: map[string]string{"cmd/alpha/main.go": server, "cmd/beta/main.go": server,
				"Makefile": "build:\n\tgo build -o bin/beta ./cmd/beta\n"},
			want: "./cmd/beta", safe: true, reason: "Makefile:2: built by the Makefile: go build -o bin/beta ./cmd/beta",
		},
		{
			name: "a Makefile that builds every program decides nothing",
			files: map[string]string{"cmd/alpha/main.go": server, "cmd/beta/main.go": server,
				"Makefile": "build:\n\tgo build ./cmd/alpha\n\tgo build ./cmd/beta/...\n"},
			want: "./cmd/alpha", safe: false, reason: "./cmd/alpha, ./cmd/beta tie",
		},
		{
			name: "GoReleaser's build main breaks a tie",
			files: map[string]string{"cmd/alpha/main.go": server, "cmd/beta/main.go": server,
				".goreleaser.yml": "version: 2\nbuilds:\n  - id: beta\n    main: ./cmd/beta/main.go\n    binary: beta\n"},
			want: "./cmd/beta", safe: true, reason: "GoReleaser builds it (main: ./cmd/beta)",
		},
		{
			name: "the Procfile's web process breaks a tie",
			files: map[string]string{"cmd/alpha/main.go": server, "cmd/beta/main.go": server,
				"Procfile": "release: bin/alpha migrate\nweb: bin/beta --verbose\n"},
			want: "./cmd/beta", safe: true, reason: "Procfile:2: the Procfile's web process runs it",
		},
		{
			name: "README usage breaks a tie",
			files: map[string]string{"cmd/alpha/main.go": server, "cmd/beta/main.go": server,
				"README.md": "# Shop\n\nInstall with\n\n    go install example.com/shop/cmd/beta@latest\n"},
			want: "./cmd/beta", safe: true, reason: "README.md:5: the README runs it",
		},
		{
			name:  "truly tied servers are asked about",
			files: map[string]string{"cmd/alpha/main.go": server, "cmd/beta/main.go": server},
			want:  "./cmd/alpha", safe: false, reason: "no rule decides",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile(mod, "1.26")}
			for k, v := range tc.files {
				files[k] = v
			}
			det := detectGo(t, files, nil)
			if det.Go.Main != tc.want {
				t.Errorf("Main = %q, want %q", det.Go.Main, tc.want)
			}
			if len(det.Choices) != 1 {
				t.Fatalf("choices = %+v, want one", det.Choices)
			}
			c := det.Choices[0]
			if c.Default != tc.want || c.Safe != tc.safe {
				t.Errorf("choice default %q safe %v, want %q %v", c.Default, c.Safe, tc.want, tc.safe)
			}
			if !strings.Contains(c.Reason, tc.reason) {
				t.Errorf("reason %q lacks %q", c.Reason, tc.reason)
			}
		})
	}
}

// TestGoMainClientLabel checks that the client set aside says so in the
// question's options, and that an answer still builds it.
func TestGoMainClientLabel(t *testing.T) {
	files := map[string]string{
		"go.mod":             goModFile("example.com/app", "1.26"),
		"cmd/server/main.go": goMain([]string{`"net/http"`}, stdlibServer),
		"cmd/appctl/main.go": goMain([]string{`"fmt"`}, `fmt.Println("status")`),
	}
	det := detectGo(t, files, nil)
	labels := map[string]string{}
	for _, o := range det.Choices[0].Options {
		labels[o.Value] = o.Label
	}
	if !strings.Contains(labels["./cmd/appctl"], "a client of the server") {
		t.Errorf("labels = %v", labels)
	}
	det = detectGo(t, files, facts.Answers{"main": "./cmd/appctl"})
	if det.Go.Main != "./cmd/appctl" || !det.Worker {
		t.Errorf("answered client: Main=%q Worker=%v", det.Go.Main, det.Worker)
	}
}

// TestGoBinaryInCmd names the binary of a main right in cmd/ after the
// module, as for a root package: "cmd" says nothing about the program.
func TestGoBinaryInCmd(t *testing.T) {
	files := map[string]string{
		"go.mod":      goModFile("github.com/acme/forward-auth/v2", "1.26"),
		"cmd/main.go": goMain([]string{`"net/http"`}, stdlibServer),
	}
	det := detectGo(t, files, nil)
	if det.Go.Binary != "forward-auth" || det.Start[0] != "/usr/local/bin/forward-auth" || !strings.HasSuffix(det.Build, "-o /out/forward-auth ./cmd") {
		t.Errorf("Binary=%q Start=%q Build=%q", det.Go.Binary, det.Start, det.Build)
	}
}
