package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// secretFiles are files that must never reach a build context: a COPY . .
// would put them in a layer of the build stage, and from there into the
// image whenever the runtime stage copies the app folder.
var secretFiles = []string{
	".env", ".env.local", ".env.production", "sub/.env", "services/api/.env.staging",
	"server.pem", "certs/tls.key", "certs/tls.crt", "ca.cer", "keystore.p12", "signing.pfx",
	"id_rsa", "id_rsa.pub", "deploy/id_ed25519", "id_ecdsa", ".ssh/config", "ops/.ssh/known_hosts",
	".aws/credentials", ".aws/config", "ops/.aws/credentials", ".azure/accessTokens.json",
	".config/gcloud/application_default_credentials.json", "keys/prod-service-account.json", "credentials.json",
	".kube/config", ".docker/config.json", "infra/terraform.tfstate", "infra/terraform.tfstate.backup",
	".pypirc", ".netrc", "pip.conf", ".yarnrc", "sub/.npmrc",
	".git/config", ".git/HEAD",
}

// secretApps are a Go, a Python and a Node service, each with files that
// must stay in the build context.
var secretApps = map[string]struct {
	files map[string]string
	keep  []string
}{
	"go": {goService, []string{"go.mod", "main.go"}},
	"python": {map[string]string{
		"requirements.txt": "flask==3.1.0\ngunicorn==23.0.0\n",
		"app.py":           "from flask import Flask\n\napp = Flask(__name__)\n",
		"shop/views.py":    "def index():\n    return 'ok'\n",
	}, []string{"requirements.txt", "app.py", "shop/views.py"}},
	"node": {map[string]string{
		"package.json":      `{"name": "shop", "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.21.2"}}`,
		"package-lock.json": `{"name": "shop", "lockfileVersion": 3, "requires": true, "packages": {}}`,
		"server.js":         "require('express')().listen(process.env.PORT || 3000);\n",
		"lib/db.js":         "module.exports = {};\n",
	}, []string{"package.json", "package-lock.json", "server.js", "lib/db.js"}},
}

// ignoreMatcher reads a .dockerignore with the parser and matcher BuildKit
// itself uses.
func ignoreMatcher(t *testing.T, data []byte) *patternmatcher.PatternMatcher {
	t.Helper()
	pats, err := ignorefile.ReadAll(bytes.NewReader(data))
	if err != nil {
		t.Fatalf(".dockerignore does not parse: %v", err)
	}
	pm, err := patternmatcher.New(pats)
	if err != nil {
		t.Fatalf(".dockerignore patterns: %v", err)
	}
	return pm
}

func excluded(t *testing.T, pm *patternmatcher.PatternMatcher, p string) bool {
	t.Helper()
	ex, err := pm.MatchesOrParentMatches(p)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// TestDockerignoreKeepsSecretsOut writes a repository of each ecosystem
// with every kind of secret file next to the app, runs `dgen init --yes`,
// and matches real paths against the written .dockerignore.
func TestDockerignoreKeepsSecretsOut(t *testing.T) {
	for lang, app := range secretApps {
		t.Run(lang, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range app.files {
				files[k] = v
			}
			for _, s := range secretFiles {
				files[s] = "secret\n"
			}
			dir := writeRepo(t, files)
			r := runDgen(t, nil, nil, "init", "--yes", "--dir", dir)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			ign := []byte(readFile(t, filepath.Join(dir, ".dockerignore")))
			pm := ignoreMatcher(t, ign)
			for _, s := range secretFiles {
				if !excluded(t, pm, s) {
					t.Errorf("%s reaches the build context: the .dockerignore does not exclude it", s)
				}
			}
			for _, k := range app.keep {
				if excluded(t, pm, k) {
					t.Errorf("%s is excluded, but the build needs it", k)
				}
			}
			checkNoSecretArgs(t, "Dockerfile for "+lang, []byte(readFile(t, filepath.Join(dir, "Dockerfile"))))
		})
	}
}

// TestNpmrc: a .npmrc without credentials shapes the install, so it is
// copied and the .dockerignore lets the root one through (and only that
// one); a .npmrc with a token is never copied: it is excluded and the
// install mounts the user's own as a BuildKit secret.
func TestNpmrc(t *testing.T) {
	node := secretApps["node"].files
	for _, tc := range []struct {
		name, npmrc string
		token       bool
	}{
		{"registry only", "registry=https://npm.corp.example/\nlegacy-peer-deps=true\n", false},
		{"auth token", "@corp:registry=https://npm.corp.example/\n//npm.corp.example/:_authToken=${NPM_TOKEN}\n", true},
		{"basic auth", "_auth=dXNlcjpwYXNz\nalways-auth=true\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{
				".npmrc":                tc.npmrc,
				"packages/tool/.npmrc":  "//registry.npmjs.org/:_authToken=npm_LEAKED\n",
				"packages/tool/x.js":    "module.exports = 1;\n",
				"frontend/.npmrc":       "//registry.npmjs.org/:_authToken=npm_LEAKED\n",
				"frontend/src/index.js": "export default 1;\n",
			}
			for k, v := range node {
				files[k] = v
			}
			dir := writeRepo(t, files)
			r := runDgen(t, nil, nil, "init", "--yes", "--dir", dir)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			df := readFile(t, filepath.Join(dir, "Dockerfile"))
			pm := ignoreMatcher(t, []byte(readFile(t, filepath.Join(dir, ".dockerignore"))))
			for _, nested := range []string{"packages/tool/.npmrc", "frontend/.npmrc"} {
				if !excluded(t, pm, nested) {
					t.Errorf("%s (with a token) reaches the build context", nested)
				}
			}
			copied := regexp.MustCompile(`(?m)^COPY [^\n]*\.npmrc`).MatchString(df)
			mounted := strings.Contains(df, "--mount=type=secret,id=npmrc")
			switch {
			case tc.token:
				if !excluded(t, pm, ".npmrc") || copied {
					t.Errorf(".npmrc holds a credential but is copied or not excluded:\n%s", df)
				}
				if !mounted {
					t.Errorf("the install does not mount the user's .npmrc as a secret:\n%s", df)
				}
				if !strings.Contains(r.stderr, "--secret id=npmrc") {
					t.Errorf("stderr does not tell how to pass the secret:\n%s", r.stderr)
				}
			default:
				if excluded(t, pm, ".npmrc") || !copied {
					t.Errorf("a credential-free .npmrc should be copied before the install and let through:\n%s", df)
				}
				if mounted {
					t.Errorf("no credential, yet a secret is mounted:\n%s", df)
				}
			}
			checkNoSecretArgs(t, "Dockerfile", []byte(df))
		})
	}
}

// TestPrivateIndexesUseSecrets: a private Go module host or Python index
// makes the install mount ~/.netrc as a BuildKit secret; no credential is
// ever asked for through ARG or ENV.
func TestPrivateIndexesUseSecrets(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"go GOPRIVATE": {
			"go.mod":   "module example.com/svc\n\ngo 1.24\n\nrequire git.corp.example/team/lib v1.2.3\n",
			"Makefile": "export GOPRIVATE=git.corp.example/*\n\nbuild:\n\tgo build ./...\n",
			"main.go":  goService["main.go"],
		},
		"python index": {
			"requirements.txt": "--index-url https://pypi.corp.example/simple\nflask==3.1.0\n",
			"app.py":           "from flask import Flask\n\napp = Flask(__name__)\n",
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeRepo(t, files)
			r := runDgen(t, nil, nil, "init", "--yes", "--dir", dir)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			df := readFile(t, filepath.Join(dir, "Dockerfile"))
			if !strings.Contains(df, "--mount=type=secret,id=netrc,target=/root/.netrc") {
				t.Errorf("no netrc secret mount:\n%s", df)
			}
			if !strings.Contains(r.stderr, "--secret id=netrc") {
				t.Errorf("stderr does not say how to pass the secret:\n%s", r.stderr)
			}
			checkNoSecretArgs(t, "Dockerfile", []byte(df))
		})
	}
}

// TestExamplesNameNoSecretVariables holds every golden Dockerfile to the
// rule the tests above apply to fresh ones.
func TestExamplesNameNoSecretVariables(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "examples", "*", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("no golden examples yet")
	}
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(filepath.Dir(f)), "check-") {
			continue // a hand-written input of dgen check, wrong on purpose
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkNoSecretArgs(t, f, data)
	}
}

// secretName matches variable names that carry a credential. A build
// argument or environment variable with such a name ends up in the image
// history or configuration, where anyone who pulls the image reads it.
var secretName = regexp.MustCompile(`(?i)(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|PASS|PWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH|NETRC|NPMRC)($|_)`)

// checkNoSecretArgs fails when an ARG or ENV of dockerfile names a
// secret-like variable, or when an ENV or ARG value embeds credentials in
// a URL.
func checkNoSecretArgs(t reporter, what string, dockerfile []byte) {
	t.Helper()
	res, err := parser.Parse(bytes.NewReader(dockerfile))
	if err != nil {
		t.Fatalf("%s does not parse: %v", what, err)
		return
	}
	credURL := regexp.MustCompile(`://[^/\s:@]+:[^/\s@]+@`)
	for _, n := range res.AST.Children {
		kw := strings.ToUpper(n.Value)
		if kw != "ARG" && kw != "ENV" {
			continue
		}
		i := 0
		for a := n.Next; a != nil; a, i = a.Next, i+1 {
			key, val := a.Value, ""
			if kw == "ARG" {
				key, val, _ = strings.Cut(a.Value, "=")
			} else if i%3 != 0 {
				continue // BuildKit parses ENV into (key, value, separator) triples
			} else if a.Next != nil {
				val = a.Next.Value
			}
			if secretName.MatchString(key) {
				t.Errorf("%s line %d: %s %s names a secret; pass it with docker build --secret and RUN --mount=type=secret instead", what, n.StartLine, kw, key)
			}
			if credURL.MatchString(val) {
				t.Errorf("%s line %d: %s %s holds a URL with credentials", what, n.StartLine, kw, key)
			}
		}
	}
}

// reporter is the part of *testing.T the check uses, so the check can be
// tested on its own.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// recorder is a reporter that only notes whether anything was reported.
type recorder struct{ failed bool }

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(string, ...any)     { r.failed = true }
func (r *recorder) Fatalf(f string, a ...any) { r.failed = true }

// TestCheckNoSecretArgs checks the check itself.
func TestCheckNoSecretArgs(t *testing.T) {
	for _, tc := range []struct {
		line string
		bad  bool
	}{
		{"ARG NPM_TOKEN", true},
		{"ARG GITHUB_TOKEN=x", true},
		{"ENV DB_PASSWORD=hunter2", true},
		{"ENV AWS_SECRET_ACCESS_KEY=x", true},
		{"ENV A=1 API_KEY=x", true},
		{"ENV PIP_INDEX_URL=https://u:p@pypi.corp.example/simple", true},
		{"ARG NODE_VERSION=22", false},
		{"ENV PORT=8080 NODE_ENV=production", false},
		{"ENV AUTHOR=me", false},
		{"ENV PATH=/opt/venv/bin:$PATH", false},
		{"ENV PIP_INDEX_URL=https://pypi.corp.example/simple", false},
	} {
		rec := &recorder{}
		checkNoSecretArgs(rec, "test", []byte("FROM scratch\n"+tc.line+"\n"))
		if rec.failed != tc.bad {
			t.Errorf("%q: flagged %v, want %v", tc.line, rec.failed, tc.bad)
		}
	}
}

// TestYarnrcWithTokenIsFlagged: Yarn Berry reads registry credentials from
// .yarnrc.yml (npmAuthToken, npmAuthIdent). The file also holds settings
// the install needs, so dgen copies it; when it holds a literal credential
// the user must hear about it, because COPY puts it in a layer.
func TestYarnrcWithTokenIsFlagged(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"package.json": `{"name": "shop", "packageManager": "yarn@4.5.0", "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.21.2"}}`,
		"yarn.lock":    "__metadata:\n  version: 8\n",
		".yarnrc.yml":  "nodeLinker: node-modules\nnpmScopes:\n  corp:\n    npmRegistryServer: \"https://npm.corp.example\"\n    npmAuthToken: npm_LITERALTOKEN123\n",
		"server.js":    "require('express')().listen(process.env.PORT || 3000);\n",
	})
	r := runDgen(t, nil, nil, "init", "--yes", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, ".yarnrc.yml") || !strings.Contains(strings.ToLower(r.stderr), "credential") {
		t.Errorf(".yarnrc.yml holds a literal npmAuthToken and is copied into the build, but dgen says nothing about it:\n%s", r.stderr)
	}
	checkNoSecretArgs(t, "Dockerfile", []byte(readFile(t, filepath.Join(dir, "Dockerfile"))))
}
