package dockerfilecheck

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/generator/dockerfilecheck/rules"
)

// goodGo is what dgen aims to write for a Go web app: static binary,
// distroless runtime, busybox probe for the health check.
const goodGo = `# syntax=docker/dockerfile:1

# GO_VERSION is the Go release go.mod asks for.
ARG GO_VERSION=1.26

# Module and build caches are cache mounts: rebuilds reuse them and no
# layer keeps them.

# build compiles a static binary.
FROM golang:${GO_VERSION}-trixie AS build
WORKDIR /src
# Manifests first, so the download layer stays cached until they change.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app ./cmd/app

# probe supplies a static wget for the health check: distroless has none.
FROM busybox:1.37.0-musl AS probe

# runtime holds only the binary and the probe.
FROM gcr.io/distroless/static-debian13:nonroot AS runtime
COPY --from=build /out/app /usr/local/bin/app
COPY --from=probe /bin/busybox /usr/local/bin/busybox
USER 65532:65532
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/app"]
`

// goodPython is a Python web app: dependencies in a virtual environment
// built in one stage, copied with the source into a slim runtime.
const goodPython = `# syntax=docker/dockerfile:1

# PYTHON_VERSION is the interpreter release from .python-version.
ARG PYTHON_VERSION=3.13

# build installs the dependencies into a virtual environment.
FROM python:${PYTHON_VERSION}-slim-trixie AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY requirements.txt ./
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install -r requirements.txt

# runtime carries the interpreter, the environment and the source.
FROM python:${PYTHON_VERSION}-slim-trixie AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH
WORKDIR /app
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home app
COPY --from=build /opt/venv /opt/venv
COPY . .
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
`

// goodNodeWorker is a Node background worker: no port, no health check.
const goodNodeWorker = `# syntax=docker/dockerfile:1

# NODE_VERSION is the Node.js major from .nvmrc.
ARG NODE_VERSION=22

# deps installs production dependencies from the lockfile.
FROM node:${NODE_VERSION}-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev

# runtime runs the worker with those dependencies.
FROM node:${NODE_VERSION}-trixie-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
USER 1000:1000
CMD ["node", "worker.js"]
`

// goodIgnore is a .dockerignore like the one dgen writes.
const goodIgnore = `# .dockerignore written by dgen
.git
**/.env
**/.env.*
Dockerfile
.dockerignore
**/node_modules
`

var (
	web8080 = Expect{Port: 8080, Healthcheck: true}
	web8000 = Expect{Port: 8000, Healthcheck: true}
	worker  = Expect{}
)

func check(t *testing.T, dockerfile, dockerignore string, want Expect) *Result {
	t.Helper()
	res, err := Check(context.Background(), []byte(dockerfile), []byte(dockerignore), want)
	if err != nil {
		t.Fatalf("Check: %v\n%s", err, dockerfile)
	}
	return res
}

// edit applies old→new replacements to base, failing if one does not
// apply, so a bad case can never silently test the good file.
func edit(t *testing.T, base string, pairs ...string) string {
	t.Helper()
	if len(pairs)%2 != 0 {
		t.Fatal("edit needs old/new pairs")
	}
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(base, pairs[i]) {
			t.Fatalf("edit: %q not in the base Dockerfile", pairs[i])
		}
		base = strings.Replace(base, pairs[i], pairs[i+1], 1)
	}
	return base
}

func TestCheckGoodDockerfilesHaveNoProblems(t *testing.T) {
	for _, tc := range []struct {
		name       string
		dockerfile string
		want       Expect
	}{
		{"go web app", goodGo, web8080},
		{"python web app", goodPython, web8000},
		{"node worker", goodNodeWorker, worker},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := check(t, tc.dockerfile, goodIgnore, tc.want)
			for _, p := range res.Problems() {
				t.Errorf("unexpected problem: %s", p)
			}
		})
	}
}

func TestCheckReportsFinalImage(t *testing.T) {
	res := check(t, goodGo, goodIgnore, web8080)
	if want := []string{"build", "probe", "runtime"}; !slices.Equal(res.Stages, want) {
		t.Errorf("Stages = %q, want %q", res.Stages, want)
	}
	img := res.Image
	if img.User != "65532:65532" {
		t.Errorf("User = %q", img.User)
	}
	if want := []string{"/usr/local/bin/app"}; !slices.Equal(img.Entrypoint, want) {
		t.Errorf("Entrypoint = %q, want %q", img.Entrypoint, want)
	}
	if want := []string{"8080/tcp"}; !slices.Equal(img.ExposedPorts, want) {
		t.Errorf("ExposedPorts = %q, want %q", img.ExposedPorts, want)
	}
	if len(img.Healthcheck) < 2 || img.Healthcheck[0] != "CMD" || img.Healthcheck[1] != "/usr/local/bin/busybox" {
		t.Errorf("Healthcheck = %q", img.Healthcheck)
	}
	if !slices.Contains(img.Env, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt") {
		t.Errorf("Env = %q, want the distroless base's environment", img.Env)
	}

	py := check(t, goodPython, goodIgnore, web8000).Image
	if py.WorkingDir != "/app" || !slices.Equal(py.Cmd, []string{"gunicorn", "--bind", "0.0.0.0:8000", "app:app"}) {
		t.Errorf("python image: WorkingDir %q, Cmd %q", py.WorkingDir, py.Cmd)
	}
	if !slices.Contains(py.Env, "PATH=/opt/venv/bin:/usr/local/bin:"+rules.DefaultPath) {
		t.Errorf("python image Env = %q, want PATH expanded from the base image's", py.Env)
	}
}

// TestCheckAcceptsVariants: other correct ways to write the same thing
// must not be flagged.
func TestCheckAcceptsVariants(t *testing.T) {
	for _, tc := range []struct {
		name         string
		dockerfile   func(t *testing.T) string
		dockerignore string
		want         Expect
	}{
		{"vendored Go build copies the tree first", func(t *testing.T) string {
			return edit(t, goodGo, "COPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    go mod download\nCOPY . .\n", "COPY . .\n",
				"go build -trimpath", "go build -mod=vendor -trimpath")
		}, goodIgnore, web8080},
		{"pip installs the project from its folder", func(t *testing.T) string {
			return edit(t, goodGo, "COPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    go mod download\nCOPY . .\n", "COPY . .\nRUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install --no-deps .\n")
		}, goodIgnore, web8080},
		{"pipefail via set", func(t *testing.T) string {
			return edit(t, goodGo, "    go mod download", "    set -o pipefail && go mod download && go list -m all | wc -l")
		}, goodIgnore, web8080},
		{"pipefail via SHELL", func(t *testing.T) string {
			return edit(t, goodGo, "WORKDIR /src\n", "WORKDIR /src\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n",
				"    go mod download", "    go mod download && go list -m all | wc -l")
		}, goodIgnore, web8080},
		{"apt lists in a cache mount", func(t *testing.T) string {
			return edit(t, goodPython, "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends build-essential \\\n    && rm -rf /var/lib/apt/lists/*",
				"RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n    --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n    apt-get update && apt-get -qy install --no-install-recommends build-essential")
		}, goodIgnore, web8000},
		{"pip cache in a cache mount named by --cache-dir", func(t *testing.T) string {
			return edit(t, goodPython, "RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r",
				"RUN --mount=type=cache,target=/cache/py \\\n    python3 -m pip install --cache-dir=/cache/py -r")
		}, goodIgnore, web8000},
		{"pip --no-cache-dir next to another cache mount", func(t *testing.T) string {
			return edit(t, goodPython, "RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r",
				"RUN --mount=type=cache,target=/root/.cache/uv \\\n    pip install --no-cache-dir -r")
		}, goodIgnore, web8000},
		{"allowlist dockerignore", func(t *testing.T) string { return goodGo },
			"*\n!go.mod\n!go.sum\n!cmd/\n!internal/\n", web8080},
		{"pinned image in COPY --from", func(t *testing.T) string {
			return edit(t, goodGo, "COPY --from=probe /bin/busybox", "COPY --from=busybox:1.37.0-musl /bin/busybox")
		}, goodIgnore, web8080},
		{"stage index in COPY --from", func(t *testing.T) string {
			return edit(t, goodGo, "COPY --from=build ", "COPY --from=0 ")
		}, goodIgnore, web8080},
		{"curl installed into a slim runtime", func(t *testing.T) string {
			return edit(t, goodPython,
				"USER 10001:10001", "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER 10001:10001",
				`CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]`,
				`CMD ["curl", "-fsS", "http://127.0.0.1:8000/health"]`)
		}, goodIgnore, web8000},
		{"runtime built FROM an earlier stage", func(t *testing.T) string {
			return edit(t, goodNodeWorker, "FROM node:${NODE_VERSION}-trixie-slim AS runtime", "FROM deps AS runtime")
		}, goodIgnore, worker},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := check(t, tc.dockerfile(t), tc.dockerignore, tc.want)
			for _, p := range res.Problems() {
				t.Errorf("unexpected problem: %s", p)
			}
		})
	}
}

// TestCheckCatches proves every check can fail: each row breaks one rule
// in an otherwise good file and expects that rule's finding.
func TestCheckCatches(t *testing.T) {
	const (
		pyHealth = `CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]`
		goHealth = `CMD ["/usr/local/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]`
	)
	for _, tc := range []struct {
		name         string
		dockerfile   func(t *testing.T) string
		dockerignore string // goodIgnore if empty
		want         Expect
		wantProblem  string
	}{
		// BuildKit's own build checks.
		{"FromAsCasing", func(t *testing.T) string {
			return edit(t, goodGo, "-trixie AS build", "-trixie as build")
		}, "", web8080, "FromAsCasing: 'as' and 'FROM' keywords' casing do not match"},
		{"JSONArgsRecommended", func(t *testing.T) string {
			return edit(t, goodGo, `ENTRYPOINT ["/usr/local/bin/app"]`, `ENTRYPOINT /usr/local/bin/app`)
		}, "", web8080, "JSONArgsRecommended:"},
		{"UndefinedVar", func(t *testing.T) string {
			return edit(t, goodPython, "    PYTHONUNBUFFERED=1 \\", "    PYTHONUNBUFFERED=$UNBUFFERED \\")
		}, "", web8000, "UndefinedVar: Usage of undefined variable '$UNBUFFERED'"},
		{"SecretsUsedInArgOrEnv", func(t *testing.T) string {
			return edit(t, goodGo, "WORKDIR /src\n", "WORKDIR /src\nARG GITHUB_TOKEN\n")
		}, "", web8080, "SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ARG \"GITHUB_TOKEN\")"},
		{"secret in a global ARG (BuildKit only checks stages)", func(t *testing.T) string {
			return edit(t, goodGo, "ARG GO_VERSION=1.26\n", "ARG GO_VERSION=1.26\nARG GITHUB_TOKEN\n")
		}, "", web8080, "Secrets: ARG GITHUB_TOKEN looks like a secret"},
		{"InvalidDefinitionDescription (experimental)", func(t *testing.T) string {
			return edit(t, goodGo, "# probe supplies", "# A probe supplies")
		}, "", web8080, "InvalidDefinitionDescription: Comment for FROM should follow the format: `# probe <description>`"},
		{"ConsistentInstructionCasing", func(t *testing.T) string {
			return edit(t, goodGo, "WORKDIR /src", "workdir /src")
		}, "", web8080, "ConsistentInstructionCasing:"},

		// Directives and stages.
		{"no syntax line", func(t *testing.T) string {
			return edit(t, goodGo, "# syntax=docker/dockerfile:1\n", "")
		}, "", web8080, "Syntax: the file must start with"},
		{"other front end", func(t *testing.T) string {
			return edit(t, goodGo, "# syntax=docker/dockerfile:1", "# syntax=docker/dockerfile:1.7-labs")
		}, "", web8080, "Syntax: # syntax=docker/dockerfile:1.7-labs"},
		{"checks switched off", func(t *testing.T) string {
			return edit(t, goodGo, "# syntax=docker/dockerfile:1\n", "# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended\n")
		}, "", web8080, "CheckDirective:"},
		{"one stage", func(t *testing.T) string {
			return "# syntax=docker/dockerfile:1\nFROM python:3.13-slim-trixie AS app\nWORKDIR /app\nCOPY requirements.txt ./\n" +
				"RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\nCOPY . .\nUSER 10001\n" +
				"EXPOSE 8000\nHEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 " + pyHealth + "\nCMD [\"python\", \"app.py\"]\n"
		}, "", web8000, "MultiStage: 1 stage"},
		{"unnamed stage", func(t *testing.T) string {
			return edit(t, goodGo, "FROM busybox:1.37.0-musl AS probe", "FROM busybox:1.37.0-musl",
				"COPY --from=probe ", "COPY --from=1 ", "# probe supplies", "#\n# probe supplies")
		}, "", web8080, "NamedStage: stage 1 has no name"},

		// Base images.
		{"DL3006 untagged base", func(t *testing.T) string {
			return edit(t, goodGo, "FROM busybox:1.37.0-musl AS probe", "FROM busybox AS probe")
		}, "", web8080, "DL3006: FROM busybox has no tag"},
		{"DL3007 latest", func(t *testing.T) string {
			return edit(t, goodGo, "FROM busybox:1.37.0-musl AS probe", "FROM busybox:latest AS probe")
		}, "", web8080, "DL3007: FROM busybox:latest"},
		{"DL3007 latest through an ARG", func(t *testing.T) string {
			return edit(t, goodGo, "ARG GO_VERSION=1.26\n", "ARG GO_VERSION=1.26\n\n# BUSYBOX_TAG is the probe's tag.\nARG BUSYBOX_TAG=latest\n",
				"FROM busybox:1.37.0-musl AS probe", "FROM busybox:${BUSYBOX_TAG} AS probe")
		}, "", web8080, "DL3007: FROM busybox:latest"},

		// COPY --from.
		{"DL3022 misspelt stage", func(t *testing.T) string {
			return edit(t, goodGo, "COPY --from=build ", "COPY --from=biuld ")
		}, "", web8080, "DL3022: COPY --from=biuld names no earlier stage (earlier stages: build, probe)"},
		{"DL3022 RUN mount from", func(t *testing.T) string {
			return edit(t, goodGo, "RUN --mount=type=cache,target=/go/pkg/mod \\\n    go mod download",
				"RUN --mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=cache,target=/cache,from=bulid \\\n    go mod download")
		}, "", web8080, "DL3022: RUN --mount from=bulid"},

		// Mounts.
		{"no cache mount", func(t *testing.T) string {
			return strings.ReplaceAll(goodNodeWorker, "RUN --mount=type=cache,target=/root/.npm \\\n    ", "RUN ")
		}, "", worker, "CacheMount: no RUN --mount=type=cache"},
		{"relative cache target", func(t *testing.T) string {
			return edit(t, goodGo, "target=/root/.cache/go-build", "target=.cache/go-build")
		}, "", web8080, `MountTarget: RUN --mount=type=cache target ".cache/go-build" is relative`},
		{"bind mount", func(t *testing.T) string {
			return edit(t, goodGo, "    --mount=type=cache,target=/root/.cache/go-build \\", "    --mount=type=bind,target=/src,rw \\")
		}, "", web8080, "Portability: RUN --mount=type=bind (target /src)"},
		{"source before manifests", func(t *testing.T) string {
			return edit(t, goodGo, "COPY go.mod go.sum ./\n", "COPY . .\n")
		}, "", web8080, "ManifestsBeforeSource: COPY of the whole build context comes before the dependencies are installed"},
		{"source before deps in runtime", func(t *testing.T) string {
			return edit(t, goodPython, "COPY --from=build /opt/venv /opt/venv\nCOPY . .\n", "COPY . .\nCOPY --from=build /opt/venv /opt/venv\n")
		}, "", web8000, "ManifestsBeforeSource:"},
		{"apt cache is not a dependency install", func(t *testing.T) string {
			return edit(t, goodPython, "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends build-essential \\\n    && rm -rf /var/lib/apt/lists/*",
				"RUN --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install -y --no-install-recommends build-essential\nCOPY . .")
		}, "", web8000, "ManifestsBeforeSource:"},

		// Final stage: user.
		{"DL3002 no USER", func(t *testing.T) string {
			return edit(t, goodGo, "USER 65532:65532\n", "")
		}, "", web8080, "DL3002: the final stage sets no USER"},
		{"DL3002 root", func(t *testing.T) string {
			return edit(t, goodGo, "USER 65532:65532", "USER root")
		}, "", web8080, "DL3002: USER root runs the app as root"},
		{"DL3002 uid 0", func(t *testing.T) string {
			return edit(t, goodGo, "USER 65532:65532", "USER 0:0")
		}, "", web8080, "DL3002: USER 0:0"},
		{"NumericUser", func(t *testing.T) string {
			return edit(t, goodGo, "USER 65532:65532", "USER nonroot:nonroot")
		}, "", web8080, "NumericUser: USER nonroot:nonroot is a name"},
		{"NumericUser group", func(t *testing.T) string {
			return edit(t, goodPython, "USER 10001:10001", "USER 10001:app")
		}, "", web8000, "NumericUser: USER 10001:app"},

		// Final stage: health check.
		{"no HEALTHCHECK for a web app", func(t *testing.T) string {
			return edit(t, goodGo, "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\\n    "+goHealth+"\n", "")
		}, "", web8080, "Healthcheck: the final stage has no HEALTHCHECK"},
		{"HEALTHCHECK NONE", func(t *testing.T) string {
			return edit(t, goodGo, "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\\n    "+goHealth, "HEALTHCHECK NONE")
		}, "", web8080, "Healthcheck: the final stage has no HEALTHCHECK"},
		{"HEALTHCHECK shell form", func(t *testing.T) string {
			return edit(t, goodPython, pyHealth, `CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"`)
		}, "", web8000, "Healthcheck: HEALTHCHECK CMD python -c"},
		{"curl on distroless", func(t *testing.T) string {
			return edit(t, goodGo, goHealth, `CMD ["curl", "-fsS", "http://127.0.0.1:8080/healthz"]`)
		}, "", web8080, "Healthcheck: HEALTHCHECK runs curl, which gcr.io/distroless/static-debian13:nonroot does not have"},
		{"wget on slim", func(t *testing.T) string {
			return edit(t, goodPython, pyHealth, `CMD ["/usr/bin/wget", "-qO-", "http://127.0.0.1:8000/health"]`)
		}, "", web8000, "Healthcheck: HEALTHCHECK runs /usr/bin/wget, which python:3.13-slim-trixie does not have"},
		{"probe not copied into distroless", func(t *testing.T) string {
			return edit(t, goodGo, "COPY --from=probe /bin/busybox /usr/local/bin/busybox\n", "")
		}, "", web8080, "Healthcheck: HEALTHCHECK runs /usr/local/bin/busybox, which gcr.io/distroless/static-debian13:nonroot does not have"},
		{"probe not copied into scratch", func(t *testing.T) string {
			return edit(t, goodGo, "FROM gcr.io/distroless/static-debian13:nonroot AS runtime", "FROM scratch AS runtime",
				"COPY --from=probe /bin/busybox /usr/local/bin/busybox\n", "")
		}, "", web8080, "Healthcheck: HEALTHCHECK runs /usr/local/bin/busybox, but a scratch image holds only what COPY puts in it"},
		{"health check on another port", func(t *testing.T) string {
			return edit(t, goodGo, "http://127.0.0.1:8080/healthz", "http://127.0.0.1:9090/healthz")
		}, "", web8080, "Healthcheck: HEALTHCHECK does not probe port 8080"},
		{"health check timings left to defaults", func(t *testing.T) string {
			return edit(t, goodGo, "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3", "HEALTHCHECK --interval=30s")
		}, "", web8080, "Healthcheck: HEALTHCHECK leaves --timeout, --start-period, --retries to the defaults"},

		// Final stage: port and command.
		{"wrong EXPOSE", func(t *testing.T) string {
			return edit(t, goodGo, "EXPOSE 8080", "EXPOSE 8080 9090")
		}, "", web8080, "Expose: the image exposes [8080/tcp 9090/tcp]; it must expose exactly 8080/tcp"},
		{"no EXPOSE", func(t *testing.T) string {
			return edit(t, goodGo, "EXPOSE 8080\n", "")
		}, "", web8080, "Expose: the image exposes []"},
		{"worker with EXPOSE", func(t *testing.T) string {
			return edit(t, goodNodeWorker, "USER 1000:1000\n", "USER 1000:1000\nEXPOSE 3000\n")
		}, "", worker, "Expose: a worker listens on no port but the image exposes [3000/tcp]"},
		{"CMD shell form", func(t *testing.T) string {
			return edit(t, goodNodeWorker, `CMD ["node", "worker.js"]`, `CMD node worker.js`)
		}, "", worker, "ExecForm: CMD in shell form"},
		{"ENTRYPOINT shell form", func(t *testing.T) string {
			return edit(t, goodGo, `ENTRYPOINT ["/usr/local/bin/app"]`, `ENTRYPOINT /usr/local/bin/app`)
		}, "", web8080, "ExecForm: ENTRYPOINT in shell form"},
		{"no command", func(t *testing.T) string {
			return edit(t, goodNodeWorker, `CMD ["node", "worker.js"]`+"\n", "")
		}, "", worker, "ExecForm: the final stage sets no ENTRYPOINT or CMD"},

		// Final stage: runtime image.
		{"toolchain runtime", func(t *testing.T) string {
			return edit(t, goodGo, "FROM gcr.io/distroless/static-debian13:nonroot AS runtime", "FROM golang:1.26-trixie AS runtime")
		}, "", web8080, "RuntimeImage: the final stage is built on golang:1.26-trixie, a toolchain image"},
		{"full python runtime", func(t *testing.T) string {
			return edit(t, goodPython, "FROM python:${PYTHON_VERSION}-slim-trixie AS runtime", "FROM python:${PYTHON_VERSION}-trixie AS runtime")
		}, "", web8000, "RuntimeImage: the final stage is built on python:3.13-trixie, the full image"},
		{"compiler in runtime", func(t *testing.T) string {
			return edit(t, goodPython, "USER 10001:10001", "RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*\nUSER 10001:10001")
		}, "", web8000, "RuntimeImage: the runtime stage installs gcc"},

		// Secrets.
		{"secret in camelCase ENV", func(t *testing.T) string {
			return edit(t, goodNodeWorker, "ENV NODE_ENV=production", "ENV NODE_ENV=production npmAuthToken=abc")
		}, "", worker, "Secrets: ENV npmAuthToken looks like a secret"},
		{"secret word BuildKit misses", func(t *testing.T) string {
			return edit(t, goodGo, "ARG GO_VERSION=1.26\n", "ARG GO_VERSION=1.26\n\n# DB_PASS is a password.\nARG DB_PASS\n")
		}, "", web8080, "Secrets: ARG DB_PASS looks like a secret"},
		{"credential in a value", func(t *testing.T) string {
			return edit(t, goodNodeWorker, "ENV NODE_ENV=production", "ENV NODE_ENV=production DATABASE_URL=postgres://app:hunter2@db:5432/app")
		}, "", worker, "Secrets: ENV DATABASE_URL holds what looks like a credential"},

		// Instructions.
		{"DL3020 ADD local file", func(t *testing.T) string {
			return edit(t, goodGo, "COPY go.mod go.sum ./", "ADD go.mod go.sum ./")
		}, "", web8080, "DL3020: ADD go.mod copies a local file; use COPY"},
		{"DL3000 relative WORKDIR", func(t *testing.T) string {
			return edit(t, goodNodeWorker, "ENV NODE_ENV=production\nWORKDIR /app", "ENV NODE_ENV=production\nWORKDIR /app\nWORKDIR src")
		}, "", worker, "DL3000: WORKDIR src is relative"},
		{"DL3003 cd", func(t *testing.T) string {
			return edit(t, goodGo, "CGO_ENABLED=0 go build", "cd cmd/app && CGO_ENABLED=0 go build")
		}, "", web8080, "DL3003: RUN changes directory with cd"},
		{"DL3014 apt-get without -y", func(t *testing.T) string {
			return edit(t, goodPython, "apt-get install -y --no-install-recommends", "apt-get install --no-install-recommends")
		}, "", web8000, "DL3014: apt-get install without -y"},
		{"DL3015 recommends", func(t *testing.T) string {
			return edit(t, goodPython, "apt-get install -y --no-install-recommends", "apt-get install -y")
		}, "", web8000, "DL3015: apt-get install without --no-install-recommends"},
		{"DL3009 lists left behind", func(t *testing.T) string {
			return edit(t, goodPython, " \\\n    && rm -rf /var/lib/apt/lists/*", "")
		}, "", web8000, "DL3009: apt-get leaves its package lists in the layer"},
		{"DL3027 apt", func(t *testing.T) string {
			return edit(t, goodPython, "apt-get install -y", "apt install -y")
		}, "", web8000, "DL3027: apt is meant for terminals"},
		{"DL3042 pip cache", func(t *testing.T) string {
			return edit(t, goodPython, "RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install", "RUN --mount=type=cache,target=/root/.cache/uv \\\n    python -m pip install")
		}, "", web8000, "DL3042: pip install keeps its download cache in the layer"},
		{"DL4006 pipe without pipefail", func(t *testing.T) string {
			return edit(t, goodGo, "    go mod download", "    go mod download && go list -m all | wc -l")
		}, "", web8080, "DL4006: RUN uses a pipe without set -o pipefail"},
		{"ShellSyntax", func(t *testing.T) string {
			return edit(t, goodGo, "    go mod download", "    pkgs=(a b) && go mod download")
		}, "", web8080, "ShellSyntax: RUN body is not valid posix (/bin/sh runs it)"},
		{"RUN heredoc", func(t *testing.T) string {
			return edit(t, goodGo, "RUN --mount=type=cache,target=/go/pkg/mod \\\n    go mod download", "RUN --mount=type=cache,target=/go/pkg/mod <<EOF\ngo mod download\nEOF")
		}, "", web8080, "Portability: RUN with a heredoc"},
		{"COPY --link", func(t *testing.T) string {
			return edit(t, goodGo, "COPY --from=build /out/app", "COPY --link --from=build /out/app")
		}, "", web8080, "Portability: COPY --link"},

		// .dockerignore.
		{"dockerignore keeps .git", func(t *testing.T) string { return goodGo },
			"**/.env\n**/.env.*\n", web8080, "Dockerignore: .dockerignore does not exclude .git"},
		{"dockerignore keeps .env", func(t *testing.T) string { return goodGo },
			".git\n.env\n", web8080, "Dockerignore: .dockerignore does not exclude sub/.env.local"},
		{"no dockerignore", func(t *testing.T) string { return goodGo },
			"# empty\n", web8080, "Dockerignore: .dockerignore does not exclude .env"},
		{"CopyIgnoredFile", func(t *testing.T) string { return goodGo },
			goodIgnore + "go.sum\n", web8080, `CopyIgnoredFile: COPY go.sum: "go.sum" is excluded by .dockerignore`},
		{"CopyIgnoredFile with exceptions in the file", func(t *testing.T) string {
			return edit(t, goodNodeWorker, "COPY package.json package-lock.json ./", "COPY package.json package-lock.json .npmrc ./")
		}, goodIgnore + ".npmrc\n*.md\n!README.md\n", worker, `CopyIgnoredFile: COPY .npmrc: ".npmrc" is excluded`},
		{"CopyIgnoredFile folder", func(t *testing.T) string {
			return edit(t, goodGo, "COPY . .\n", "COPY cmd/ ./cmd/\n")
		}, goodIgnore + "cmd\n", web8080, `CopyIgnoredFile: COPY cmd/: "cmd/" is excluded`},
		{"whole context ignored", func(t *testing.T) string { return goodGo },
			"*\n", web8080, `CopyIgnoredFile: COPY .: "." is excluded`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ignore := tc.dockerignore
			if ignore == "" {
				ignore = goodIgnore
			}
			df := tc.dockerfile(t)
			res := check(t, df, ignore, tc.want)
			problems := res.Problems()
			if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tc.wantProblem) }) {
				t.Errorf("want a problem containing %q; got %d:\n%s\n--- Dockerfile ---\n%s", tc.wantProblem, len(problems), strings.Join(problems, "\n"), df)
			}
		})
	}
}

// TestCheckLines: findings point at the right line, BuildKit's too (lint
// runs on the file with a `# check=` line prepended, and shifts back).
func TestCheckLines(t *testing.T) {
	for _, tc := range []struct {
		name         string
		dockerfile   func(t *testing.T) string
		dockerignore string
		want         Expect
		rule         string
		line         int
	}{
		{"BuildKit warning", func(t *testing.T) string {
			return edit(t, goodGo, "-trixie AS build", "-trixie as build")
		}, goodIgnore, web8080, "FromAsCasing:", 10},
		{"BuildKit warning, file with its own check directive", func(t *testing.T) string {
			return edit(t, goodGo, "# syntax=docker/dockerfile:1\n", "# syntax=docker/dockerfile:1\n# check=error=false\n", "-trixie AS build", "-trixie as build")
		}, goodIgnore, web8080, "FromAsCasing:", 11},
		{"experimental BuildKit warning", func(t *testing.T) string {
			return edit(t, goodGo, "# probe supplies", "# A probe supplies")
		}, goodIgnore, web8080, "InvalidDefinitionDescription:", 22},
		{"final stage USER", func(t *testing.T) string {
			return edit(t, goodGo, "USER 65532:65532", "USER root")
		}, goodIgnore, web8080, "DL3002:", 28},
		{"whole-tree copy", func(t *testing.T) string {
			return edit(t, goodGo, "COPY go.mod go.sum ./\n", "COPY . .\n")
		}, goodIgnore, web8080, "ManifestsBeforeSource:", 13},
		{"ignored COPY source", func(t *testing.T) string { return goodGo }, goodIgnore + "go.sum\n", web8080, "CopyIgnoredFile:", 13},
		{"RUN body rule", func(t *testing.T) string {
			return edit(t, goodPython, " \\\n    && rm -rf /var/lib/apt/lists/*", "")
		}, goodIgnore, web8000, "DL3009:", 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := check(t, tc.dockerfile(t), tc.dockerignore, tc.want)
			var got []string
			for _, p := range res.Problems() {
				if strings.HasPrefix(p, tc.rule) {
					got = append(got, p)
				}
			}
			suffix := fmt.Sprintf("(line %d)", tc.line)
			if len(got) != 1 || !strings.HasSuffix(got[0], suffix) {
				t.Errorf("want one %s finding ending in %s; got %q (all: %q)", tc.rule, suffix, got, res.Problems())
			}
		})
	}
}

func TestCheckErrors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		dockerfile string
		wantErr    string
	}{
		{"empty", "", "no instructions"},
		{"unknown instruction", "# syntax=docker/dockerfile:1\nFROM busybox:1.37.0 AS a\nFETCH https://example.com\n", "unknown instruction: FETCH"},
		{"FROM without image", "# syntax=docker/dockerfile:1\nFROM\n", "FROM requires"},
		{"bad HEALTHCHECK flag", "# syntax=docker/dockerfile:1\nFROM busybox:1.37.0 AS a\nHEALTHCHECK --interval=often CMD [\"true\"]\n", "often"},
		{"bad mount type", "# syntax=docker/dockerfile:1\nFROM busybox:1.37.0 AS a\nRUN --mount=type=volume,target=/x true\n", "unsupported mount type"},
		{"COPY --from its own stage (DL3023)", strings.Replace(goodGo, "COPY --from=build ", "COPY --from=runtime ", 1), "circular dependency"},
		{"COPY --from a later stage (DL3022)", strings.Replace(goodGo, "COPY . .\n", "COPY --from=probe /bin/busybox /bin/busybox\nCOPY . .\n", 1), "needs to be defined before"},
		{"instruction before FROM", "# syntax=docker/dockerfile:1\nRUN true\nFROM busybox:1.37.0 AS a\n", "no build stage in current context"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Check(context.Background(), []byte(tc.dockerfile), []byte(goodIgnore), worker)
			if err == nil {
				t.Fatalf("want an error containing %q, got none (result %+v)", tc.wantErr, res)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestSkeleton(t *testing.T) {
	got, err := Skeleton([]byte(goodGo))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ARG", "FROM", "WORKDIR", "COPY", "RUN", "COPY", "RUN", "FROM", "FROM", "COPY", "COPY", "USER", "EXPOSE", "HEALTHCHECK", "ENTRYPOINT"}
	if !slices.Equal(got, want) {
		t.Errorf("Skeleton = %q\nwant       %q", got, want)
	}

	// A newline smuggled into a rendered value turns into an instruction:
	// the skeleton is how fuzz tests see it.
	injected := edit(t, goodGo, `ENTRYPOINT ["/usr/local/bin/app"]`, "ENTRYPOINT [\"/usr/local/bin/app\"]\nUSER root")
	got, err = Skeleton([]byte(injected))
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(got, want) {
		t.Error("Skeleton did not change when an instruction was injected")
	}
	// A continuation keeps one instruction, however many lines it spans.
	got, err = Skeleton([]byte("FROM busybox:1.37.0 AS a\nRUN echo a \\\n  && echo b\n"))
	if err != nil || !slices.Equal(got, []string{"FROM", "RUN"}) {
		t.Errorf("Skeleton of a continued RUN = %q, %v", got, err)
	}
	if _, err := Skeleton([]byte("FROM busybox:1.37.0\nRUN <<EOF\necho unterminated\n")); err == nil {
		t.Error("Skeleton of an unterminated heredoc: want an error")
	}
}

func TestImages(t *testing.T) {
	df := "# syntax=docker/dockerfile:1\nARG PYTHON_VERSION=3.13\nFROM ghcr.io/astral-sh/uv:0.12.15 AS uv\n" +
		"FROM python:${PYTHON_VERSION}-slim-trixie AS build\nCOPY --from=uv /uv /usr/local/bin/uv\nCOPY --from=busybox:1.37.0-musl /bin/busybox /bin/\n" +
		"FROM build AS test\nFROM python:${PYTHON_VERSION}-slim-trixie AS runtime\nCOPY --from=1 /app /app\nFROM scratch AS empty\n"
	got, err := Images([]byte(df))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ghcr.io/astral-sh/uv:0.12.15", "python:3.13-slim-trixie", "busybox:1.37.0-musl"}
	if !slices.Equal(got, want) {
		t.Errorf("Images = %q, want %q", got, want)
	}
	if _, err := Images([]byte("FROM\n")); err == nil {
		t.Error("a FROM without an image parsed")
	}
}
