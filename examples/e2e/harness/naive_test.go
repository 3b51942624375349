package harness

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParsePlan(t *testing.T) {
	p, err := ParsePlan([]byte(`{"language":"go","packageManager":"gomod","port":8080,"start":["/app"],
		"images":{"build":"golang:1.26-trixie","runtime":"gcr.io/distroless/static-debian13:nonroot"},
		"user":{"uid":65532,"gid":65532,"name":"nonroot","create":false},
		"healthcheck":{"cmd":["/usr/local/bin/busybox","wget"],"path":"/healthz"},
		"answers":{"main":"./cmd/api"},"evidence":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	if p.Language != "go" || *p.Port != 8080 || p.Images.Build != "golang:1.26-trixie" || p.User.UID != 65532 ||
		p.Healthcheck.Path != "/healthz" || p.Answers["main"] != "./cmd/api" {
		t.Errorf("got %+v", p)
	}
	worker, err := ParsePlan([]byte(`{"language":"python","port":null,"healthcheck":null}`))
	if err != nil || worker.Port != nil || worker.Healthcheck != nil {
		t.Errorf("worker plan = %+v, %v", worker, err)
	}
	for _, bad := range []string{"", "{}", "not json"} {
		if _, err := ParsePlan([]byte(bad)); err == nil {
			t.Errorf("ParsePlan(%q) gave no error", bad)
		}
	}
}

func TestNaiveFor(t *testing.T) {
	withReqs := fstest.MapFS{"requirements.txt": {Data: []byte("\n")}, "app.py": {Data: []byte("\n")}}
	tests := []struct {
		name string
		plan Plan
		fs   fstest.MapFS
		want Naive
		err  string
	}{
		{"go with a chosen main", Plan{Language: "go", Answers: map[string]string{"main": "./cmd/api"}},
			nil, Naive{"go.Dockerfile", map[string]string{"BASE": "golang:1.26-trixie", "MAIN": "./cmd/api"}}, ""},
		{"go main from the Go plan", Plan{Language: "go", Go: &GoPlan{Main: "./cmd/worker"}},
			nil, Naive{"go.Dockerfile", map[string]string{"BASE": "golang:1.26-trixie", "MAIN": "./cmd/worker"}}, ""},
		{"go with a front end to build", Plan{Language: "go", Go: &GoPlan{Main: ".", Frontend: []byte(`{"stage": "frontend"}`)}},
			nil, Naive{}, "no Node to build the front end"},
		{"go at the root", Plan{Language: "go"},
			nil, Naive{"go.Dockerfile", map[string]string{"BASE": "golang:1.26-trixie", "MAIN": "."}}, ""},
		{"python with requirements", Plan{Language: "python", Start: []string{"python", "app.py"}},
			withReqs, Naive{"python.Dockerfile", map[string]string{"BASE": "golang:1.26-trixie", "INSTALL": "pip install -r requirements.txt", "START": "python app.py"}}, ""},
		{"python without requirements", Plan{Language: "python", Start: []string{"gunicorn", "-b", "0.0.0.0:8000", "app:app"}},
			fstest.MapFS{}, Naive{"python.Dockerfile", map[string]string{"BASE": "golang:1.26-trixie", "INSTALL": "true", "START": "gunicorn -b 0.0.0.0:8000 app:app"}}, ""},
		{"node with pnpm", Plan{Language: "node", PackageManager: "pnpm", Build: "pnpm run build", Start: []string{"node", "src/server.js"}},
			nil, Naive{"node.Dockerfile", map[string]string{"BASE": "golang:1.26-trixie", "INSTALL": "npm install -g corepack && corepack enable && pnpm install", "BUILD": "pnpm run build", "START": "node src/server.js"}}, ""},
		{"node with yarn 4", Plan{Language: "node", PackageManager: "yarn-berry", Build: "yarn run build", Start: []string{"node", "dist/main"}},
			nil, Naive{"node.Dockerfile", map[string]string{"BASE": "golang:1.26-trixie", "INSTALL": "npm install -g corepack && corepack enable && yarn install", "BUILD": "yarn run build", "START": "node dist/main"}}, ""},
		{"node with yarn 1", Plan{Language: "node", PackageManager: "yarn", Start: []string{"node", "index.js"}},
			nil, Naive{"node.Dockerfile", map[string]string{"BASE": "golang:1.26-trixie", "INSTALL": "yarn install", "BUILD": "", "START": "node index.js"}}, ""},
		{"static site", Plan{Language: "node", PackageManager: "npm", Template: "static", Build: "npm run build", Start: []string{"nginx", "-g", "daemon off;"}},
			nil, Naive{"node.Dockerfile", map[string]string{"BASE": "golang:1.26-trixie", "INSTALL": "npm install", "BUILD": "npm run build", "START": "npx --yes serve -s dist"}}, ""},
		{"unknown package manager", Plan{Language: "node", PackageManager: "deno"}, nil, Naive{}, "no naive install command"},
		{"unknown language", Plan{Language: "rust"}, nil, Naive{}, "no naive Dockerfile"},
		{"no build image", Plan{Language: "go"}, nil, Naive{}, "no build image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.plan
			if tt.err != "no build image" {
				p.Images.Build = "golang:1.26-trixie"
			}
			got, err := NaiveFor(&p, tt.fs)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %+v, %v; want error %q", got, err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestShellJoin(t *testing.T) {
	tests := []struct {
		argv []string
		want string
	}{
		{[]string{"node", "server.js"}, "node server.js"},
		{[]string{"nginx", "-g", "daemon off;"}, "nginx -g 'daemon off;'"},
		{[]string{"sh", "-c", "it's"}, `sh -c 'it'\''s'`},
		{[]string{""}, "''"},
	}
	for _, tt := range tests {
		if got := ShellJoin(tt.argv); got != tt.want {
			t.Errorf("ShellJoin(%q) = %q, want %q", tt.argv, got, tt.want)
		}
	}
}
