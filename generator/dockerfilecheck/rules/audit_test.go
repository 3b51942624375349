package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// audit runs Audit and returns its findings as "Rule:line", in order.
func audit(t *testing.T, dockerfile string, c Context) []string {
	t.Helper()
	fs, err := Audit([]byte(dockerfile), c)
	if err != nil {
		t.Fatalf("Audit: %v\n%s", err, dockerfile)
	}
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s:%d", f.Rule, f.Line))
		r, ok := RuleByID(f.Rule)
		if !ok {
			t.Errorf("finding %s names no rule of the catalog", f)
		}
		if f.Severity != r.Severity || f.Message == "" || f.Fix == "" {
			t.Errorf("finding %s: severity %s (rule %s), message %q, fix %q", f, f.Severity, r.Severity, f.Message, f.Fix)
		}
	}
	return out
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAuditFineDockerfiles: maintainer-style Dockerfiles that do things
// right in their own way get no finding on a line that is fine; the
// findings they do get are the real gaps listed here.
func TestAuditFineDockerfiles(t *testing.T) {
	entrypoint := fstest.MapFS{"docker-entrypoint.sh": {Data: []byte("#!/bin/sh\nset -e\nexec gosu app \"$@\"\n")}}
	for name, tc := range map[string]struct {
		c    Context
		want []string
	}{
		// USER only in the final stage; distroless :nonroot needs none;
		// the probe is copied in; a credentials path is not a secret.
		"go-multistage.Dockerfile": {Context{Port: 8080}, nil},
		// FROM scratch with a static binary: no shell, no HEALTHCHECK for
		// a worker, numeric USER.
		"go-scratch.Dockerfile": {Context{}, nil},
		// curl is installed in the final stage, so a curl HEALTHCHECK
		// (shell form on a slim image) is fine; .env.example is no
		// secret. USER node is a name, which the rule reports.
		"node-user-node.Dockerfile": {Context{Port: 3000}, []string{"NumericUser:23"}},
		// GPG_KEY and *_VERSION are not secrets; pip's cache is off by
		// ENV; the apt lists are removed. The one gap: no cache mount.
		"python-slim.Dockerfile": {Context{Port: 8000}, []string{"CacheMount:22"}},
		// The entrypoint script drops to a user with gosu, as official
		// database images do.
		"postgres-style-entrypoint.Dockerfile": {Context{FS: entrypoint}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			if got := audit(t, readTestdata(t, "fine/"+name), tc.c); !slices.Equal(got, tc.want) {
				t.Errorf("findings = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestAuditPoorDockerfile: every finding on its line.
func TestAuditPoorDockerfile(t *testing.T) {
	ctx := Context{
		Dockerignore:    []byte("docs\n"),
		HasDockerignore: true,
		FS:              fstest.MapFS{".git/HEAD": {Data: []byte("ref: refs/heads/main\n")}, "app.py": {}, "requirements.txt": {}},
		Port:            8000,
	}
	want := []string{
		"ImageTag:1", "FromAsCasing:1", "StageNameCasing:1",
		"AddLocal:5",
		"ImageTag:6",
		"SecretFile:7",
		"CopyIgnoredFile:8",
		"AptCommand:9", "BuildToolsInImage:9",
		"ManifestsBeforeSource:10", "ContextVCS:10",
		"NoEmptyContinuation:14", "PackageCache:12", "CacheMount:12",
		"NumericUser:15",
		"HealthcheckProgram:17",
		"ExecForm:18",
	}
	got := audit(t, readTestdata(t, "poor.Dockerfile"), ctx)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("findings =\n%q\nwant\n%q", got, want)
	}
}

// TestAuditRules: one case per rule (and the lines that must not trigger
// it), with the line of each finding.
func TestAuditRules(t *testing.T) {
	const slim = "FROM python:3.12-slim\n"
	for _, tc := range []struct {
		name, dockerfile string
		c                Context
		want             []string
	}{
		{"root: no USER on an official image", "FROM node:22-slim\nCMD [\"node\", \"a.js\"]\n", Context{}, []string{"RootUser:1"}},
		{"root: USER root last", "FROM node:22-slim\nUSER node\nUSER root\nCMD [\"node\", \"a.js\"]\n", Context{}, []string{"RootUser:3"}},
		{"root: numeric user set in an earlier stage is inherited", "FROM node:22-slim AS base\nUSER 1000:1000\nFROM base\nCMD [\"node\", \"a.js\"]\n", Context{}, nil},
		{"root: unknown third-party base may set its own user", "FROM ghcr.io/acme/runtime:1.2\nCMD [\"app\"]\n", Context{}, nil},
		{"root: USER in a build stage only, distroless without nonroot", "FROM golang:1.23 AS build\nUSER 1000\nRUN --mount=type=cache,target=/go/pkg/mod go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n", Context{}, []string{"ImageTag:4", "RootUser:4"}},
		{"root: the image installs su-exec for its entrypoint", "FROM alpine:3.22\nRUN apk add --no-cache su-exec\nENTRYPOINT [\"/usr/bin/entrypoint\"]\n", Context{}, nil},
		{"root: uWSGI drops to UWSGI_UID", slim + "ENV UWSGI_UID=1000\nCMD [\"uwsgi\", \"--http\", \":8000\"]\n", Context{}, nil},
		{"numeric user with a named group", "FROM node:22-slim\nUSER 1000:node\nCMD [\"node\", \"a.js\"]\n", Context{}, []string{"NumericUser:2"}},
		{"healthcheck missing for a detected port", slim + "USER 1000\nCMD [\"python\", \"a.py\"]\n", Context{Port: 8000}, []string{"MissingHealthcheck:1"}},
		{"healthcheck missing: dgen's line probes the exposed port", slim + "USER 1000\nEXPOSE 8000\nCMD [\"gunicorn\", \"-b\", \":8000\", \"app:app\"]\n", Context{Suggest: Suggestions{Port: 5000, Healthcheck: []string{`HEALTHCHECK CMD ["python","-c","import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/health')"]`}}}, []string{"MissingHealthcheck:1"}},
		{"healthcheck missing for EXPOSE", slim + "USER 1000\nEXPOSE 8000\nCMD [\"python\", \"a.py\"]\n", Context{}, []string{"MissingHealthcheck:1"}},
		{"worker needs no healthcheck", slim + "USER 1000\nCMD [\"python\", \"worker.py\"]\n", Context{}, nil},
		{"HEALTHCHECK NONE is a choice", slim + "USER 1000\nEXPOSE 8000\nHEALTHCHECK NONE\nCMD [\"python\", \"a.py\"]\n", Context{}, nil},
		{"curl in slim", slim + "USER 1000\nEXPOSE 8000\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://127.0.0.1:8000/\"]\nCMD [\"python\", \"a.py\"]\n", Context{}, []string{"HealthcheckProgram:4"}},
		{"nginx:alpine has curl", "FROM nginx:1.27-alpine\nUSER 101\nHEALTHCHECK CMD curl -f http://127.0.0.1/ || exit 1\n", Context{}, nil},
		{"curl in bare alpine", "FROM alpine:3.22\nUSER 1000\nEXPOSE 80\nHEALTHCHECK CMD curl -f http://127.0.0.1/ || exit 1\nCMD [\"/app\"]\n", Context{}, []string{"HealthcheckProgram:4"}},
		{"wget in alpine is busybox's", "FROM node:22-alpine\nUSER 1000\nEXPOSE 3000\nHEALTHCHECK CMD wget -qO- http://127.0.0.1:3000/ || exit 1\nCMD [\"node\", \"a.js\"]\n", Context{}, nil},
		{"curl in alpine after apk add", "FROM node:22-alpine\nRUN apk add --no-cache curl\nUSER 1000\nEXPOSE 3000\nHEALTHCHECK CMD curl -f http://127.0.0.1:3000/ || exit 1\nCMD [\"node\", \"a.js\"]\n", Context{}, nil},
		{"curl in the full image", "FROM node:22\nUSER 1000\nEXPOSE 3000\nHEALTHCHECK CMD curl -f http://127.0.0.1:3000/\nCMD [\"node\", \"a.js\"]\n", Context{}, []string{"BuildToolsInImage:1"}},
		{"shell-form healthcheck in distroless", "FROM gcr.io/distroless/nodejs22-debian12:nonroot\nEXPOSE 3000\nHEALTHCHECK CMD node -e 'fetch(\"http://127.0.0.1:3000\")'\nCMD [\"a.js\"]\n", Context{}, []string{"HealthcheckProgram:3"}},
		{"toolchain image ships", "FROM golang:1.23\nWORKDIR /src\nCOPY go.mod ./\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nCOPY . .\nRUN go build -o /app .\nUSER 1000\nCMD [\"/app\"]\n", Context{}, []string{"BuildToolsInImage:1"}},
		{"compilers removed in the same RUN are gone", slim + "RUN apt-get update && apt-get install -y --no-install-recommends gcc && pip install --no-cache-dir uwsgi && apt-get purge -y gcc && rm -rf /var/lib/apt/lists/*\nUSER 1000\nCMD [\"uwsgi\"]\n", Context{}, nil},
		{"compilers in a build stage do not ship", "FROM python:3.12-slim AS build\nRUN apt-get update && apt-get install -y gcc\n" + slim + "USER 1000\nCMD [\"python\"]\n", Context{}, nil},
		{"npm cache in the final image", "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nUSER node\nCMD [\"node\", \"a.js\"]\n", Context{}, []string{"PackageCache:4", "CacheMount:4", "NumericUser:6"}},
		{"packages added in the final image", "FROM node:22-alpine\nRUN npm install -g pnpm@9 && yarn add prisma\nUSER 1000\nCMD [\"node\", \"a.js\"]\n", Context{}, []string{"PackageCache:2"}},
		{"npm cache cleaned", "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev && npm cache clean --force\nCOPY . .\nUSER 1000\nCMD [\"node\", \"a.js\"]\n", Context{}, []string{"CacheMount:4"}},
		{"apk cache", "FROM alpine:3.20\nRUN apk add tini\nUSER 1000\nCMD [\"tini\"]\n", Context{}, []string{"PackageCache:2"}},
		{"manifests after the source, yarn with an option value", "FROM node:22-slim AS build\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/yarn yarn --network-timeout 600000\nRUN yarn build\nFROM nginx:1.27-alpine\nCOPY --from=build /app/build /usr/share/nginx/html\nUSER 101\n", Context{}, []string{"ManifestsBeforeSource:3"}},
		{"manifests after the source", "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.npm npm ci\nUSER 1000\nCMD [\"node\", \"a.js\"]\n", Context{}, []string{"ManifestsBeforeSource:3"}},
		{"pip install . needs the source", slim + "WORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/pip pip install .\nUSER 1000\nCMD [\"app\"]\n", Context{}, nil},
		{"npm install of a tool is no dependency install (its cache stays, though)", "FROM node:22-slim\nRUN npm install -g pnpm@9\nWORKDIR /app\nCOPY . .\nUSER 1000\nCMD [\"node\", \"a.js\"]\n", Context{}, []string{"PackageCache:2"}},
		{"dependencies from an earlier stage", "FROM node:22-slim AS deps\nWORKDIR /app\nCOPY package*.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci\nFROM node:22-slim\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY . .\nUSER 1000\nCMD [\"node\", \"a.js\"]\n", Context{}, nil},
		{"latest and untagged", "FROM node:latest AS a\nFROM node AS b\nFROM node@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS c\nFROM node:22-slim\nUSER 1000\nCMD [\"node\"]\n", Context{}, []string{"ImageTag:1", "ImageTag:2"}},
		{"tag from a build argument", "ARG BASE\nARG TAG=22-slim\nFROM ${BASE}\nFROM node:${TAG}\nFROM node:${UNSET}\nUSER 1000\nCMD [\"node\"]\n", Context{}, nil},
		{"secrets in ARG and ENV", "ARG GITHUB_TOKEN\nFROM node:22-slim\nARG NPM_AUTH_TOKEN\nENV DB_PASSWORD=hunter2 DATABASE_URL=postgres://app:hunter2@db/app\nENV NODE_VERSION=22 API_KEY_HEADER=X-Api-Key DB_PASSWORD_FILE=/run/secrets/db\nUSER 1000\nCMD [\"node\"]\n", Context{}, []string{"SecretInArgEnv:1", "SecretInArgEnv:3", "SecretInArgEnv:4", "SecretInArgEnv:4"}},
		{"switches and settings are not secrets", "FROM node:22-slim\nENV AUTH_ENABLED=false TOKEN_TTL=3600 OAUTH_PROVIDER=github AUTH_METHOD=oidc PASSWORD_MIN_LENGTH=12\nARG UID\nUSER $UID\nCMD [\"node\"]\n", Context{}, nil},
		{"secret files copied", slim + "COPY .env ./\nCOPY id_rsa /root/.ssh/id_rsa\nCOPY .env.example .env.sample config/*.pem ./\nCOPY .env* ./\nUSER 1000\nCMD [\"python\"]\n", Context{FS: fstest.MapFS{".env": {}, ".env.example": {}}}, []string{"SecretFile:2", "SecretFile:3", "SecretFile:5"}},
		{"context secrets let in", slim + "WORKDIR /app\nCOPY . .\nUSER 1000\nCMD [\"python\"]\n", Context{Dockerignore: []byte(".git\n"), HasDockerignore: true, FS: fstest.MapFS{".env.production": {}, "certs/tls.key": {}, ".env.example": {}, "node_modules/x/.env": {}}}, []string{"ContextSecrets:3"}},
		{"context secrets excluded", slim + "WORKDIR /app\nCOPY . .\nUSER 1000\nCMD [\"python\"]\n", Context{Dockerignore: []byte(".git\n.env*\n!.env.example\n*.key\n**/*.key\n"), HasDockerignore: true, FS: fstest.MapFS{".env.production": {}, "certs/tls.key": {}, ".env.example": {}, ".git/HEAD": {}}}, nil},
		{"context copied only into a build stage", "FROM node:22-slim AS build\nWORKDIR /app\nCOPY . .\nRUN npm run build\nFROM nginxinc/nginx-unprivileged:1.27-alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n", Context{FS: fstest.MapFS{".env": {}, ".git/HEAD": {}}}, nil},
		{"shell-form CMD and ENTRYPOINT", "FROM node:22-slim\nUSER 1000\nENTRYPOINT node a.js\nCMD exec node b.js\n", Context{}, []string{"ExecForm:3"}},
		{"shell form in a build stage does not ship", "FROM node:22-slim AS build\nCMD npm test\nFROM node:22-slim\nUSER 1000\nCMD [\"node\"]\n", Context{}, nil},
		{"ADD of a URL", slim + "ADD https://example.com/a.tgz /tmp/\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/b.tgz /tmp/\nADD vendor.tar.gz /opt/\nUSER 1000\nCMD [\"python\"]\n", Context{}, []string{"AddURL:2"}},
		{"apt hygiene in the final image", slim + "RUN apt-get update && apt-get install curl\nUSER 1000\nCMD [\"python\"]\n", Context{}, []string{"AptYes:2", "AptNoRecommends:2", "AptLists:2"}},
		{"apt cache mounts instead of cleanup", slim + "RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y --no-install-recommends libpq5\nUSER 1000\nCMD [\"python\"]\n", Context{}, nil},
		{"EXPOSE not the detected port", slim + "USER 1000\nEXPOSE 8080\nHEALTHCHECK CMD [\"python\", \"-c\", \"1\"]\nCMD [\"python\", \"a.py\"]\n", Context{Port: 5000}, []string{"ExposePort:3"}},
		{"EXPOSE another port than the code's fallback for $PORT", slim + "USER 1000\nEXPOSE 8080\nHEALTHCHECK CMD [\"python\", \"-c\", \"1\"]\nCMD [\"python\", \"a.py\"]\n", Context{Port: 5000, PortFromEnv: true}, nil},
		{"EXPOSE of a port gunicorn binds by its own settings", slim + "USER 1000\nEXPOSE 8000\nENV GUNICORN_CMD_ARGS=\"--bind=0.0.0.0:8000\"\nHEALTHCHECK CMD [\"python\", \"-c\", \"1\"]\nCMD [\"gunicorn\", \"app:app\"]\n", Context{Port: 5000}, nil},
		{"EXPOSE the port the start command binds", slim + "USER 1000\nEXPOSE 8000\nHEALTHCHECK CMD [\"python\", \"-c\", \"1\"]\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n", Context{Port: 5000}, nil},
		{"EXPOSE the port ENV PORT sets", slim + "ENV PORT=8080\nUSER 1000\nEXPOSE 8080\nHEALTHCHECK CMD [\"python\", \"-c\", \"1\"]\nCMD [\"python\", \"a.py\"]\n", Context{Port: 3000}, nil},
		{"legacy ENV and LABEL format", slim + "ENV A 1\nENV B=2 C=3\nLABEL maintainer \"a@example.com\"\nLABEL org.opencontainers.image.title=x\nUSER 1000\nCMD [\"python\"]\n", Context{}, []string{"LegacyKeyValueFormat:2", "LegacyKeyValueFormat:4"}},
		{"MAINTAINER", slim + "MAINTAINER a@example.com\nUSER 1000\nCMD [\"python\"]\n", Context{}, []string{"MaintainerDeprecated:2"}},
		{"apt is not apt-get", slim + "RUN apt update && apt install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*\nUSER 1000\nCMD [\"python\"]\n", Context{}, []string{"AptCommand:2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := audit(t, tc.dockerfile, tc.c); !slices.Equal(got, tc.want) {
				t.Errorf("findings = %q, want %q\n%s", got, tc.want, tc.dockerfile)
			}
		})
	}
}

// TestAuditHealthcheckLinesFollowTheExposedPort: dgen's HEALTHCHECK is
// quoted with the port the image really exposes.
func TestAuditHealthcheckLinesFollowTheExposedPort(t *testing.T) {
	df := "FROM python:3.12-slim\nUSER 1000\nEXPOSE 8000\nCMD [\"gunicorn\", \"-b\", \":8000\", \"app:app\"]\n"
	fs, err := Audit([]byte(df), Context{Suggest: Suggestions{Port: 5000, Healthcheck: []string{`HEALTHCHECK CMD ["python","-c","urlopen('http://127.0.0.1:5000/health')"]`}}})
	if err != nil || len(fs) != 1 {
		t.Fatalf("findings %v, %v", fs, err)
	}
	if want := []string{`HEALTHCHECK CMD ["python","-c","urlopen('http://127.0.0.1:8000/health')"]`}; !slices.Equal(fs[0].Suggested, want) {
		t.Errorf("Suggested = %q, want %q", fs[0].Suggested, want)
	}
}

// TestAuditHealthcheckLinesPortFromEnv: when the code reads its port from
// a variable (dgen's image sets it to 8080) and this image sets nothing and
// exposes 80, the app listens on 80 here, so the quoted probe does too, and
// EXPOSE is not a finding.
func TestAuditHealthcheckLinesPortFromEnv(t *testing.T) {
	df := "FROM golang:1.26 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\nEXPOSE 80\n"
	c := Context{Port: 8080, PortFromEnv: true, Suggest: Suggestions{Port: 8080, Healthcheck: []string{`HEALTHCHECK CMD ["/usr/local/bin/busybox","wget","-q","-O","/dev/null","http://127.0.0.1:8080/health"]`}}}
	fs, err := Audit([]byte(df), c)
	if err != nil {
		t.Fatal(err)
	}
	var hc *Finding
	for i := range fs {
		if fs[i].Rule == "ExposePort" {
			t.Errorf("ExposePort reported: %v", fs[i])
		}
		if fs[i].Rule == "MissingHealthcheck" {
			hc = &fs[i]
		}
	}
	if hc == nil {
		t.Fatalf("no MissingHealthcheck in %v", fs)
	}
	if want := []string{`HEALTHCHECK CMD ["/usr/local/bin/busybox","wget","-q","-O","/dev/null","http://127.0.0.1:80/health"]`}; !slices.Equal(hc.Suggested, want) {
		t.Errorf("Suggested = %q, want %q", hc.Suggested, want)
	}
}

// TestAuditSecretInBuildStageIsInfo: a credential in the ENV of a stage
// the final image does not descend from ships in no image: info, not a
// warning, and it says so.
func TestAuditSecretInBuildStageIsInfo(t *testing.T) {
	df := "FROM node:22-slim AS build\nENV DATABASE_URL=postgresql://user:pass@localhost:5432/dummy\nRUN npm run build\nFROM node:22-slim\nCOPY --from=build /app /app\nUSER 1000\nCMD [\"node\", \"/app/server.js\"]\n"
	fs, err := Audit([]byte(df), Context{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Rule != "SecretInArgEnv" || fs[0].Line != 2 || fs[0].Severity != Info || !strings.Contains(fs[0].Message, "build stage") {
		t.Errorf("findings = %v, want one info SecretInArgEnv on line 2 about a build stage", fs)
	}
	// The same ENV in the final stage is a warning.
	fs, err = Audit([]byte("FROM node:22-slim\nENV DATABASE_URL=postgresql://user:pass@localhost:5432/dummy\nUSER 1000\nCMD [\"node\", \"/app/server.js\"]\n"), Context{})
	if err != nil || len(fs) != 1 || fs[0].Severity != Warning {
		t.Errorf("final stage: findings = %v, %v, want one warning", fs, err)
	}
}

// TestAuditUserLinesFitTheImage: dgen's Debian useradd step is quoted
// only for an image that has useradd.
func TestAuditUserLinesFitTheImage(t *testing.T) {
	sg := Suggestions{User: []string{"RUN groupadd --system --gid 10001 app \\", "    && useradd --system --uid 10001 --gid app app", "USER 10001:10001"}}
	for df, want := range map[string]int{
		"FROM python:3.12-slim\nCMD [\"python\"]\n":   3,
		"FROM python:3.12-alpine\nCMD [\"python\"]\n": 1,
	} {
		fs, err := Audit([]byte(df), Context{Suggest: sg})
		if err != nil || len(fs) != 1 || fs[0].Rule != "RootUser" {
			t.Fatalf("%q: findings %v, %v", df, fs, err)
		}
		if len(fs[0].Suggested) != want || fs[0].Suggested[want-1] != "USER 10001:10001" {
			t.Errorf("%q: Suggested = %q, want the last %d of dgen's lines", df, fs[0].Suggested, want)
		}
	}
}

// TestAuditCoversEveryRule: each rule of the catalog is triggered by some
// case above or by the example in examples/check-poor-dockerfile (whose
// golden output cmd/dgen checks), so no rule goes untested.
func TestAuditCoversEveryRule(t *testing.T) {
	src, err := os.ReadFile("audit_test.go")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "check-poor-dockerfile", "check.golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules() {
		if !strings.Contains(string(src), `"`+r.ID+":") && !strings.Contains(string(example), " "+r.ID+":") {
			t.Errorf("rule %s has no test case", r.ID)
		}
	}
}

// TestAuditErrors: a file that does not parse is an error, not a finding.
func TestAuditErrors(t *testing.T) {
	for _, df := range []string{"", "# only a comment\n", "FROM\n", "FROM alpine\nRUN <<EOF\nunterminated\n"} {
		if _, err := Audit([]byte(df), Context{}); err == nil {
			t.Errorf("Audit(%q): want an error", df)
		}
	}
}

// TestIsSecretFile: env files and private keys, not their templates.
func TestIsSecretFile(t *testing.T) {
	for name, want := range map[string]bool{
		".env": true, "config/.env.local": true, ".env.production": true, "id_ed25519": true, "tls.key": true, "cert.p12": true,
		".env.example": false, ".env.sample": false, ".env.template": false, ".env.local.example": false, "id_ed25519.pub": false,
		"pubkey.key": false, "nodesource.gpg.key": false, "ca.pem": false, "env.go": false, ".envrc": false,
	} {
		if got := IsSecretFile(name); got != want {
			t.Errorf("IsSecretFile(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestPlanLines: the lines picked from a rendered Dockerfile.
func TestPlanLines(t *testing.T) {
	df := "# syntax=docker/dockerfile:1\nFROM golang:1.26-trixie AS build\nCOPY go.mod ./\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    go mod download\n" +
		"FROM busybox:1.37.0-musl AS probe\nFROM gcr.io/distroless/static-debian13:nonroot AS runtime\n" +
		"COPY --from=probe /bin/busybox /usr/local/bin/busybox\nUSER 65532:65532\n" +
		"HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD [\"/usr/local/bin/busybox\",\"wget\",\"-q\",\"-O\",\"/dev/null\",\"http://127.0.0.1:8080/health\"]\n"
	sg, err := PlanLines([]byte(df), "gomod")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"RUN --mount=type=cache,target=/go/pkg/mod \\", "    go mod download"}; !slices.Equal(sg.CacheMount, want) {
		t.Errorf("CacheMount = %q, want %q", sg.CacheMount, want)
	}
	if want := []string{"USER 65532:65532"}; !slices.Equal(sg.User, want) {
		t.Errorf("User = %q, want %q", sg.User, want)
	}
	if len(sg.Healthcheck) != 3 || sg.Healthcheck[0] != "FROM busybox:1.37.0-musl AS probe" || !strings.HasPrefix(sg.Healthcheck[1], "COPY --from=probe") || !strings.HasPrefix(sg.Healthcheck[2], "HEALTHCHECK") {
		t.Errorf("Healthcheck = %q, want the probe stage, its COPY and the HEALTHCHECK", sg.Healthcheck)
	}
}
