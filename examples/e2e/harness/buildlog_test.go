package harness

import (
	"strings"
	"testing"
)

// rebuildLog is Buildah 1.28's output for a rebuild of a Go image after
// main.go changed.
const rebuildLog = `[1/3] STEP 1/1: FROM busybox:1.37.0-musl AS probe
--> 4389636d372
[2/3] STEP 1/6: FROM golang:1.26-trixie AS build
[2/3] STEP 2/6: WORKDIR /src
--> Using cache 327ecf819d80975b123cba25e6988a18d919de6a60538bac7a027354c3419379
--> 327ecf819d8
[2/3] STEP 3/6: COPY go.mod go.sum ./
--> Using cache 64a04921ff0df9955d6549afca24d675d37bcabf3654add49f4072f50afa0527
--> 64a04921ff0
[2/3] STEP 4/6: RUN --mount=type=cache,target=/go/pkg/mod     go mod download
--> Using cache c8681f1914fbc4252221d40348a9b64df48dad166fec8582f773a52b3f6656f3
--> c8681f1914f
[2/3] STEP 5/6: COPY . .
--> 29b4ccde849
[2/3] STEP 6/6: RUN --mount=type=cache,target=/go/pkg/mod     --mount=type=cache,target=/root/.cache/go-build     CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app .
--> c5dec78748d
[3/3] STEP 1/3: FROM gcr.io/distroless/static-debian13:nonroot AS runtime
[3/3] STEP 2/3: COPY --from=probe /bin/busybox /usr/local/bin/busybox
--> Using cache 5436beea403e4b42fb33ea8838e537d78004c9e2955a5438825a94f23d8dc195
--> 5436beea403
[3/3] STEP 3/3: COPY --from=build /out/app /app
[3/3] COMMIT localhost/app
--> 55d0f50b4a7
Successfully tagged localhost/app:latest
55d0f50b4a76bd0a1c24dbcc73c3167a189b0d810e4820d2250d79e2a865bd2d
`

func TestParseBuildLog(t *testing.T) {
	steps := ParseBuildLog([]byte(rebuildLog))
	want := []struct {
		cmd    string
		cached bool
	}{
		{"FROM", false}, {"FROM", false}, {"WORKDIR", true}, {"COPY", true}, {"RUN", true}, {"COPY", false},
		{"RUN", false}, {"FROM", false}, {"COPY", true}, {"COPY", false},
	}
	if len(steps) != len(want) {
		t.Fatalf("got %d steps, want %d: %+v", len(steps), len(want), steps)
	}
	for i, w := range want {
		if steps[i].Cmd() != w.cmd || steps[i].Cached != w.cached {
			t.Errorf("step %d = %s cached=%v, want %s cached=%v", i, steps[i].Text, steps[i].Cached, w.cmd, w.cached)
		}
	}
	if !strings.HasSuffix(steps[4].Text, "go mod download") {
		t.Errorf("step text = %q", steps[4].Text)
	}
	if steps[0].Stage != 1 || steps[4].Stage != 2 || steps[9].Stage != 3 {
		t.Errorf("stages = %d, %d, %d; want 1, 2, 3", steps[0].Stage, steps[4].Stage, steps[9].Stage)
	}
}

func TestParseBuildLogSingleStage(t *testing.T) {
	log := "STEP 1/3: FROM node:24-trixie-slim\nSTEP 2/3: COPY . .\n--> 1a2b\nSTEP 3/3: RUN eval \"$INSTALL\"\nadded 3 packages\n--> Using cache 9f\n--> 9f\n"
	steps := ParseBuildLog([]byte(log))
	if len(steps) != 3 || steps[1].Cached || !steps[2].Cached || steps[2].Cmd() != "RUN" || steps[2].Stage != 1 {
		t.Fatalf("got %+v", steps)
	}
}

func TestSummarizeRebuild(t *testing.T) {
	tests := []struct {
		name       string
		log        string
		deps       string
		rebuilt    int
		totalSteps int
	}{
		{"install cached", rebuildLog, "yes", 3, 7},
		{"install ran again", "STEP 1/3: FROM node:24\nSTEP 2/3: COPY . .\n--> 1\nSTEP 3/3: RUN npm ci\n--> 2\n", "no (1 of 1 ran again)", 2, 2},
		{"no install step", "STEP 1/2: FROM scratch\nSTEP 2/2: COPY app /app\n--> Using cache 1\n", "n/a", 0, 1},
		{"a prune after the build runs again and does not count",
			"[1/2] STEP 1/5: FROM node:26 AS build\n[1/2] STEP 2/5: COPY package.json yarn.lock ./\n--> Using cache 1\n" +
				"[1/2] STEP 3/5: RUN yarn install --immutable\n--> Using cache 2\n[1/2] STEP 4/5: COPY . .\n--> 3\n" +
				"[1/2] STEP 5/5: RUN yarn workspaces focus --all --production\n--> 4\n" +
				"[2/2] STEP 1/2: FROM node:26 AS runtime\n[2/2] STEP 2/2: COPY --from=build /app /app\n--> 5\n",
			"yes", 3, 5},
		{"an install after the source in its own stage counts",
			"[1/2] STEP 1/3: FROM node:26 AS deps\n[1/2] STEP 2/3: COPY package.json ./\n--> Using cache 1\n[1/2] STEP 3/3: RUN npm ci\n--> Using cache 2\n" +
				"[2/2] STEP 1/3: FROM node:26 AS runtime\n[2/2] STEP 2/3: COPY . .\n--> 3\n[2/2] STEP 3/3: RUN npm ci --omit=dev\n--> 4\n",
			"no (1 of 2 ran again)", 2, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := SummarizeRebuild(ParseBuildLog([]byte(tt.log)))
			if r.DepsCached() != tt.deps || r.Rebuilt != tt.rebuilt || r.Steps != tt.totalSteps {
				t.Errorf("got %+v (deps %q), want deps %q, %d of %d rebuilt", r, r.DepsCached(), tt.deps, tt.rebuilt, tt.totalSteps)
			}
		})
	}
}

func TestParseDryRun(t *testing.T) {
	out := "# ===== Dockerfile =====\n# syntax=docker/dockerfile:1\nFROM scratch\n\n# ===== .dockerignore =====\n.git\n"
	files, err := ParseDryRun([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(files["Dockerfile"]); got != "# syntax=docker/dockerfile:1\nFROM scratch\n" {
		t.Errorf("Dockerfile = %q", got)
	}
	if got := string(files[".dockerignore"]); got != ".git\n" {
		t.Errorf(".dockerignore = %q", got)
	}
	for _, bad := range []string{"", "FROM scratch\n", "# ===== a =====\nx\n# ===== b =====\ny\n"} {
		if _, err := ParseDryRun([]byte(bad)); err == nil {
			t.Errorf("ParseDryRun(%q) gave no error", bad)
		}
	}
}

func TestFirstDifference(t *testing.T) {
	tests := []struct{ want, got, say string }{
		{"a\nb\n", "a\nc\n", `line 2: committed "b", dgen writes "c"`},
		{"a\n", "a\nb\n", `line 2: committed "", dgen writes "b"`},
		{"a\n", "a\n", "no difference"},
	}
	for _, tt := range tests {
		if got := FirstDifference([]byte(tt.want), []byte(tt.got)); got != tt.say {
			t.Errorf("FirstDifference(%q, %q) = %q, want %q", tt.want, tt.got, got, tt.say)
		}
	}
}
