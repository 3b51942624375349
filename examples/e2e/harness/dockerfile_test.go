package harness

import (
	"reflect"
	"strings"
	"testing"
)

const goDockerfile = `# syntax=docker/dockerfile:1

# GO_VERSION is the Go minor of the build stage.
ARG GO_VERSION=1.26

FROM busybox:1.37.0-musl AS probe

FROM golang:${GO_VERSION}-trixie AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    # Comment lines inside a continued instruction are dropped.
    go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -o /out/app ./cmd/api

FROM gcr.io/distroless/static-debian13:nonroot AS runtime
COPY --from=probe /bin/busybox /usr/local/bin/busybox
COPY --from=build /out/app /app
USER 65532:65532
ENTRYPOINT ["/app"]
`

func TestParseDockerfile(t *testing.T) {
	ins := ParseDockerfile([]byte(goDockerfile))
	type row struct {
		Cmd         string
		Line, End   int
		Stage       int
		ArgsHasText string
	}
	want := []row{
		{"ARG", 4, 4, -1, "GO_VERSION=1.26"},
		{"FROM", 6, 6, 0, "busybox:1.37.0-musl AS probe"},
		{"FROM", 8, 8, 1, "golang:${GO_VERSION}-trixie"},
		{"WORKDIR", 9, 9, 1, "/src"},
		{"COPY", 10, 10, 1, "go.mod go.sum ./"},
		{"RUN", 11, 13, 1, "--mount=type=cache,target=/go/pkg/mod go mod download"},
		{"COPY", 14, 14, 1, ". ."},
		{"RUN", 15, 17, 1, "--mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build"},
		{"FROM", 19, 19, 2, "static-debian13:nonroot AS runtime"},
		{"COPY", 20, 20, 2, "--from=probe"},
		{"COPY", 21, 21, 2, "--from=build"},
		{"USER", 22, 22, 2, "65532:65532"},
		{"ENTRYPOINT", 23, 23, 2, `["/app"]`},
	}
	if len(ins) != len(want) {
		t.Fatalf("got %d instructions, want %d: %+v", len(ins), len(want), ins)
	}
	for i, w := range want {
		got := ins[i]
		if got.Cmd != w.Cmd || got.Line != w.Line || got.End != w.End || got.Stage != w.Stage || !strings.Contains(got.Args, w.ArgsHasText) {
			t.Errorf("instruction %d = %+v, want %+v", i, got, w)
		}
	}
	if strings.Contains(ins[5].Args, "Comment") || strings.Contains(ins[5].Args, `\`) {
		t.Errorf("continued RUN kept a comment or a backslash: %q", ins[5].Args)
	}
}

func TestParseDockerfileLowercaseAndCRLF(t *testing.T) {
	ins := ParseDockerfile([]byte("from alpine:3 as base\r\nrun echo hi\r\n"))
	if len(ins) != 2 || ins[0].Cmd != "FROM" || ins[1].Cmd != "RUN" || ins[1].Args != "echo hi" || ins[1].Line != 2 {
		t.Fatalf("got %+v", ins)
	}
}

func TestStages(t *testing.T) {
	tests := []struct {
		name, dockerfile string
		want             []Stage
		wantErr          string
	}{
		{"default substituted", goDockerfile, []Stage{
			{Name: "probe", Image: "busybox:1.37.0-musl", Line: 6},
			{Name: "build", Image: "golang:1.26-trixie", Line: 8},
			{Name: "runtime", Image: "gcr.io/distroless/static-debian13:nonroot", Line: 19},
		}, ""},
		{"braced default and platform flag", "ARG V\nFROM --platform=$BUILDPLATFORM node:${V:-24}-trixie-slim AS deps\n",
			[]Stage{{Name: "deps", Image: "node:24-trixie-slim", Line: 2}}, ""},
		{"bare variable", "ARG PY=3.13\nFROM python:$PY-slim-trixie\n",
			[]Stage{{Image: "python:3.13-slim-trixie", Line: 2}}, ""},
		{"quoted default", "ARG PY=\"3.13\"\nFROM python:${PY}-slim\n",
			[]Stage{{Image: "python:3.13-slim", Line: 2}}, ""},
		{"variable without default", "ARG V\nFROM node:${V}-slim\n", nil, "no default for V"},
		{"ARG after FROM is not global", "FROM scratch AS a\nARG V=1\nFROM node:${V}\n", nil, "no default for V"},
		{"FROM without image", "FROM --platform=linux/amd64\n", nil, "FROM without an image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Stages(ParseDockerfile([]byte(tt.dockerfile)))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestExternalImages(t *testing.T) {
	tests := []struct {
		name, dockerfile string
		want             []ImageUse
	}{
		{"stages are not images", goDockerfile, []ImageUse{
			{"busybox:1.37.0-musl", 6}, {"golang:1.26-trixie", 8}, {"gcr.io/distroless/static-debian13:nonroot", 19},
		}},
		{"COPY --from an image", "FROM python:3.13-slim-trixie AS build\nCOPY --from=ghcr.io/astral-sh/uv:0.9 /uv /bin/\nCOPY --from=build /a /b\nCOPY --from=0 /a /c\n",
			[]ImageUse{{"python:3.13-slim-trixie", 1}, {"ghcr.io/astral-sh/uv:0.9", 2}}},
		{"RUN --mount from an image", "FROM python:3.13-slim-trixie\nRUN --mount=type=bind,from=ghcr.io/astral-sh/uv:0.9,source=/uv,target=/bin/uv uv sync\n",
			[]ImageUse{{"python:3.13-slim-trixie", 1}, {"ghcr.io/astral-sh/uv:0.9", 2}}},
		{"FROM an earlier stage", "FROM node:24-trixie-slim AS base\nFROM base AS deps\nFROM BASE AS build\n",
			[]ImageUse{{"node:24-trixie-slim", 1}}},
		{"scratch and repeats", "FROM scratch AS a\nFROM debian:trixie-slim AS b\nFROM debian:trixie-slim AS c\n",
			[]ImageUse{{"debian:trixie-slim", 2}}},
		{"--from with a global ARG", "ARG UV=0.9\nFROM debian:trixie-slim\nCOPY --from=ghcr.io/astral-sh/uv:${UV} /uv /bin/\n",
			[]ImageUse{{"debian:trixie-slim", 2}, {"ghcr.io/astral-sh/uv:0.9", 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ExternalImages(ParseDockerfile([]byte(tt.dockerfile)))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestIsInstall(t *testing.T) {
	tests := []struct {
		run  string
		want bool
	}{
		{"--mount=type=cache,target=/go/pkg/mod go mod download", true},
		{"--mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r requirements.txt", true},
		{"/opt/venv/bin/pip install -r requirements.txt", true},
		{"python -m pip install .", true},
		{"--mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev", true},
		{"uv pip install -r requirements.txt", true},
		{"poetry install --only main", true},
		{"pipenv install --deploy", true},
		{"pdm sync --prod", true},
		{"--mount=type=cache,target=/root/.npm npm ci --omit=dev", true},
		{"npm install", true},
		{"yarn install --frozen-lockfile", true},
		{"yarn --frozen-lockfile", true},
		{"yarn && yarn build", true},
		{"corepack enable && pnpm install --frozen-lockfile", true},
		{"pnpm fetch", true},
		{"bun install --frozen-lockfile", true},
		{"apt-get update && apt-get install -y --no-install-recommends gcc", false},
		{"npm run build", false},
		{"yarn build", false},
		{"go build -o /out/app .", false},
		{"python -m venv /opt/venv", false},
	}
	for _, tt := range tests {
		if got := IsInstall(Instruction{Cmd: "RUN", Args: tt.run}); got != tt.want {
			t.Errorf("IsInstall(RUN %s) = %v, want %v", tt.run, got, tt.want)
		}
		if got := IsInstallStep("RUN " + tt.run); got != tt.want {
			t.Errorf("IsInstallStep(RUN %s) = %v, want %v", tt.run, got, tt.want)
		}
	}
	if IsInstall(Instruction{Cmd: "COPY", Args: "npm install"}) {
		t.Error("a COPY is never an install")
	}
}

func TestFirstInstall(t *testing.T) {
	df := "FROM python:3.13-slim-trixie AS build\nCOPY --from=ghcr.io/astral-sh/uv:0.9 /uv /bin/\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked\nCOPY . .\n"
	in, ok := FirstInstall(ParseDockerfile([]byte(df)))
	if !ok || in.Line != 4 {
		t.Errorf("FirstInstall = %+v, %v; want line 4", in, ok)
	}
	if _, ok := FirstInstall(ParseDockerfile([]byte("FROM scratch\nCOPY a b\n"))); ok {
		t.Error("FirstInstall found an install in a Dockerfile without one")
	}
}

const uvDockerfile = `# syntax=docker/dockerfile:1
ARG PYTHON_VERSION=3.13

# uv is one static binary.
FROM ghcr.io/astral-sh/uv:0.12.15 AS uv

FROM python:${PYTHON_VERSION}-slim-trixie AS build
COPY --from=uv /uv /usr/local/bin/uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project
COPY . .

FROM python:${PYTHON_VERSION}-slim-trixie AS runtime
COPY --from=build /opt/venv /opt/venv
CMD ["python", "-m", "app"]
`

func TestPrefix(t *testing.T) {
	uv := func(ref string) bool { return strings.HasPrefix(ref, "ghcr.io/astral-sh/uv:") }
	none := func(string) bool { return false }
	tests := []struct {
		name        string
		dockerfile  string
		unavailable func(string) bool
		stop        int
		want        string
		upto        int
		err         string
	}{
		{"all of it", "FROM a AS build\nRUN make\n", none, 0, "FROM a AS build\nRUN make\n", 0, ""},
		{"up to a line", "FROM a AS build\nCOPY x y\nRUN pip install -r x\nCOPY . .\n", none, 3,
			"FROM a AS build\nCOPY x y\n", 3, ""},
		{"a stage FROM an unavailable image is left out, and its first use ends the file", uvDockerfile, uv, 0,
			"# syntax=docker/dockerfile:1\nARG PYTHON_VERSION=3.13\n\n# uv is one static binary.\nFROM python:${PYTHON_VERSION}-slim-trixie AS build\n", 8, ""},
		{"COPY --from an unavailable image", "FROM python:3 AS build\nWORKDIR /app\nCOPY --from=ghcr.io/astral-sh/uv:1 /uv /bin/\nRUN uv sync\n", uv, 0,
			"FROM python:3 AS build\nWORKDIR /app\n", 3, ""},
		{"RUN --mount from an unavailable image", "FROM python:3\nRUN --mount=from=ghcr.io/astral-sh/uv:1,source=/uv,target=/bin/uv uv sync\n", uv, 0,
			"FROM python:3\n", 2, ""},
		{"the earlier of the two cuts", "FROM python:3\nRUN pip install -r r.txt\nCOPY --from=ghcr.io/astral-sh/uv:1 /uv /bin/\n", uv, 2,
			"FROM python:3\n", 2, ""},
		{"a stage built on a left-out stage is left out too", "FROM ghcr.io/astral-sh/uv:1 AS uv\nFROM uv AS tools\nRUN x\nFROM python:3 AS app\nCMD [\"python\"]\n", uv, 0,
			"FROM python:3 AS app\nCMD [\"python\"]\n", 0, ""},
		{"nothing left", "FROM ghcr.io/astral-sh/uv:1 AS uv\nRUN uv --version\n", uv, 0, "", 0, "no stage of it can be built"},
		{"nothing before the cut", "FROM python:3\nRUN pip install x\n", none, 1, "", 0, "no stage of it can be built"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, upto, err := Prefix([]byte(tt.dockerfile), tt.unavailable, tt.stop)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want || upto != tt.upto {
				t.Errorf("got %q (upto %d), want %q (upto %d)", got, upto, tt.want, tt.upto)
			}
		})
	}
}
