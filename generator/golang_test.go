package generator

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/golang"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
	"github.com/dgen-dev/dgen/generator/dockerfilecheck"
)

// goPlanFor resolves a Plan for an in-memory Go repository.
func goPlanFor(t *testing.T, files map[string]string, opts Options) *Plan {
	t.Helper()
	return resolveFiles(t, files, opts)
}

// goRender renders p and holds the Dockerfile to BuildKit's checks and
// dgen's policy, returning the Dockerfile and .dockerignore. Findings of
// the rules named in tolerate are not failures (see TestPlanGoVendor).
func goRender(t *testing.T, p *Plan, tolerate ...string) (string, string) {
	t.Helper()
	files, err := Render(p, "")
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	df, di := files[0].Data, files[1].Data
	res, err := dockerfilecheck.Check(context.Background(), df, di, dockerfilecheck.Expect{Port: p.PortNumber(), Healthcheck: p.Port != nil})
	if err != nil {
		t.Fatalf("Dockerfile does not build: %v\n%s", err, df)
	}
	for _, pr := range res.Problems() {
		rule, _, _ := strings.Cut(pr, ":")
		if slices.Contains(tolerate, rule) {
			continue
		}
		t.Errorf("%s\n--- Dockerfile ---\n%s", pr, df)
	}
	// The Plan's Build is exactly what the build stage runs.
	if !strings.Contains(string(df), "    "+p.Build+"\n") {
		t.Errorf("Dockerfile does not run Plan.Build %q:\n%s", p.Build, df)
	}
	return string(df), string(di)
}

func goModText(goVersion string, extra ...string) string {
	s := "module github.com/acme/shop\n\ngo " + goVersion + "\n"
	for _, e := range extra {
		s += "\n" + e + "\n"
	}
	return s
}

// goImporting adds a blank import of pkg to a main package's source: a
// cgo module counts only when the program imports it.
func goImporting(src, pkg string) string {
	return strings.Replace(src, "\t\"net/http\"\n", "\t\"net/http\"\n\n\t_ \""+pkg+"\"\n", 1)
}

const goServer = `package main

import (
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})
	http.ListenAndServe(":"+port, nil)
}
`

const goWorker = `package main

import "time"

func main() {
	for {
		time.Sleep(time.Second)
	}
}
`

func TestPlanGoStaticWebApp(t *testing.T) {
	p := goPlanFor(t, map[string]string{"go.mod": goModText("1.26"), "main.go": goServer}, Options{})
	if p.Template != "go" || p.CGO || p.LanguageVersion != "1.26" || p.PackageManager != "gomod" {
		t.Fatalf("plan = %+v", p)
	}
	wantImages := Images{Build: "golang:1.26-trixie", Runtime: "gcr.io/distroless/static-debian13:nonroot",
		Extra: map[string]string{"probe": "busybox:1.37.0-musl"}}
	if !reflect.DeepEqual(p.Images, wantImages) {
		t.Errorf("Images = %+v, want %+v", p.Images, wantImages)
	}
	if p.User != (User{UID: 65532, GID: 65532, Name: "nonroot", Create: false}) {
		t.Errorf("User = %+v", p.User)
	}
	if p.PortNumber() != 8080 {
		t.Errorf("Port = %d", p.PortNumber())
	}
	wantHC := &Healthcheck{
		Cmd:      []string{"/usr/local/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"},
		Interval: "30s", Timeout: "5s", StartPeriod: "10s", Retries: 3, Path: "/healthz",
	}
	got := *p.Healthcheck
	got.Why = ""
	if !reflect.DeepEqual(&got, wantHC) {
		t.Errorf("Healthcheck = %+v, want %+v", got, wantHC)
	}
	if want := `CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /out/shop .`; p.Build != want {
		t.Errorf("Build = %q, want %q", p.Build, want)
	}
	if !reflect.DeepEqual(p.Start, []string{"/usr/local/bin/shop"}) {
		t.Errorf("Start = %q", p.Start)
	}
	g := p.Go
	if g.Main != "." || g.Binary != "shop" || g.BinaryPath != "/usr/local/bin/shop" || !g.CrossCompile || g.Vendor || g.PortEnv != "PORT" {
		t.Errorf("GoPlan = %+v", g)
	}
	if len(g.RuntimePackages) != 0 || len(g.BuildPackages) != 0 {
		t.Errorf("a static build installs packages: %+v", g)
	}
	df, di := goRender(t, p)
	for _, want := range []string{
		"# syntax=docker/dockerfile:1\n",
		"FROM --platform=$BUILDPLATFORM golang:1.26-trixie AS build\n",
		"COPY go.mod go.sum* ./\n",
		"RUN --mount=type=cache,target=/go/pkg/mod \\\n    go mod download\n",
		"ARG TARGETOS TARGETARCH\n",
		"--mount=type=cache,target=/root/.cache/go-build",
		"FROM busybox:1.37.0-musl AS probe\n",
		"FROM gcr.io/distroless/static-debian13:nonroot AS runtime\n",
		"COPY --from=probe /bin/busybox /usr/local/bin/busybox\n",
		"COPY --from=build /out/shop /usr/local/bin/shop\n",
		"USER 65532:65532\n",
		"ENV PORT=8080\n",
		"EXPOSE 8080\n",
		`HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/usr/local/bin/busybox","wget","-q","-O","/dev/null","http://127.0.0.1:8080/healthz"]` + "\n",
		`ENTRYPOINT ["/usr/local/bin/shop"]` + "\n",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if strings.Contains(df, "apt-get") {
		t.Errorf("static build runs apt-get:\n%s", df)
	}
	// Module files are copied and downloaded before the source.
	if strings.Index(df, "go mod download") > strings.Index(df, "COPY . .") {
		t.Errorf("source copied before the download step:\n%s", df)
	}
	for _, want := range []string{"bin/", "**/*.test", "vendor/"} {
		if !strings.Contains(di, "\n"+want+"\n") {
			t.Errorf(".dockerignore lacks %q:\n%s", want, di)
		}
	}
}

func TestPlanGoCGOWithoutHealthRoute(t *testing.T) {
	src := strings.Replace(goServer, `	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})
`, "", 1)
	files := map[string]string{
		"go.mod":  goModText("1.26", "require github.com/mattn/go-sqlite3 v1.14.22"),
		"go.sum":  "github.com/mattn/go-sqlite3 v1.14.22 h1:x=\n",
		"main.go": goImporting(src, "github.com/mattn/go-sqlite3"),
	}
	p := goPlanFor(t, files, Options{})
	if !p.CGO || p.Images.Runtime != "debian:trixie-slim" || p.Images.Build != "golang:1.26-trixie" {
		t.Fatalf("CGO=%v Images=%+v", p.CGO, p.Images)
	}
	if p.User != (User{UID: 10001, GID: 10001, Name: "app", Create: true}) {
		t.Errorf("User = %+v", p.User)
	}
	wantCmd := []string{"/usr/local/bin/busybox", "nc", "-w", "3", "127.0.0.1", "8080", "-e", "/usr/local/bin/busybox", "true"}
	if p.Healthcheck == nil || !reflect.DeepEqual(p.Healthcheck.Cmd, wantCmd) || p.Healthcheck.Path != "" {
		t.Errorf("Healthcheck = %+v, want a TCP check %q", p.Healthcheck, wantCmd)
	}
	if !strings.Contains(p.Healthcheck.Why, "--health-path") {
		t.Errorf("Why does not say how to get a real check: %q", p.Healthcheck.Why)
	}
	if want := `CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/shop .`; p.Build != want {
		t.Errorf("Build = %q, want %q", p.Build, want)
	}
	g := p.Go
	if g.CrossCompile || !reflect.DeepEqual(g.RuntimePackages, []string{"ca-certificates", "tzdata"}) || len(g.BuildPackages) != 0 {
		t.Errorf("GoPlan = %+v", g)
	}
	df, _ := goRender(t, p)
	for _, want := range []string{
		"FROM golang:1.26-trixie AS build\n",
		"FROM debian:trixie-slim AS runtime\n",
		"apt-get install -y --no-install-recommends ca-certificates tzdata \\\n",
		"rm -rf /var/lib/apt/lists/*",
		"useradd --system --uid 10001 --gid 10001",
		"USER 10001:10001\n",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if strings.Contains(df, "$BUILDPLATFORM") || strings.Contains(df, "TARGETARCH") {
		t.Errorf("a cgo build cross-compiles:\n%s", df)
	}
}

func TestPlanGoCGOLibraries(t *testing.T) {
	files := map[string]string{
		"go.mod":  goModText("1.27", "require gopkg.in/gographics/imagick.v3 v3.7.0"),
		"go.sum":  "",
		"main.go": goImporting(goServer, "gopkg.in/gographics/imagick.v3/imagick"),
	}
	p := goPlanFor(t, files, Options{})
	g := p.Go
	if !reflect.DeepEqual(g.BuildPackages, []string{"libmagickwand-dev"}) ||
		!reflect.DeepEqual(g.RuntimePackages, []string{"ca-certificates", "tzdata", "libmagickwand-7.q16-10"}) {
		t.Errorf("BuildPackages=%q RuntimePackages=%q", g.BuildPackages, g.RuntimePackages)
	}
	df, _ := goRender(t, p)
	build := df[:strings.Index(df, "AS runtime")]
	if !strings.Contains(build, "apt-get install -y --no-install-recommends libmagickwand-dev") {
		t.Errorf("build stage does not install the headers:\n%s", df)
	}
	if strings.Contains(df[strings.Index(df, "AS runtime"):], "libmagickwand-dev") {
		t.Errorf("runtime stage carries a -dev package:\n%s", df)
	}
}

// TestPlanGoCGOUnavailable: a cgo module whose library this Debian release
// does not ship still plans a cgo build, and the plan says it will fail.
func TestPlanGoCGOUnavailable(t *testing.T) {
	files := map[string]string{
		"go.mod":  goModText("1.27", "require gopkg.in/gographics/imagick.v2 v2.7.0"),
		"go.sum":  "",
		"main.go": goImporting(goServer, "gopkg.in/gographics/imagick.v2/imagick"),
	}
	p := goPlanFor(t, files, Options{})
	if !p.CGO || len(p.Go.BuildPackages) != 0 {
		t.Errorf("CGO=%v BuildPackages=%q", p.CGO, p.Go.BuildPackages)
	}
	want := catalog.GoCGOPackages["gopkg.in/gographics/imagick.v2"].Unavailable
	if want == "" || !slices.Contains(p.Notes, want) {
		t.Errorf("notes %q lack %q", p.Notes, want)
	}
	if !strings.Contains(want, "ImageMagick 6") {
		t.Errorf("the note does not name the missing library: %q", want)
	}
}

// TestGoCGOPackageTable: every dependency the detector calls cgo has a row
// saying what its build and runtime need.
func TestGoCGOPackageTable(t *testing.T) {
	for _, m := range golang.CGOModules {
		if _, ok := catalog.GoCGOPackages[m.Path]; !ok {
			t.Errorf("%s needs cgo but has no catalog.GoCGOPackages row", m.Path)
		}
	}
	for path, pk := range catalog.GoCGOPackages {
		for _, name := range append(append([]string{}, pk.Build...), pk.Runtime...) {
			if !repo.SafePath(name) || strings.Contains(name, "/") {
				t.Errorf("%s: package name %q", path, name)
			}
		}
	}
}

func TestPlanGoWorker(t *testing.T) {
	p := goPlanFor(t, map[string]string{"go.mod": goModText("1.26"), "main.go": goWorker}, Options{})
	if p.Port != nil || p.Healthcheck != nil || p.Images.Extra != nil {
		t.Fatalf("Port=%v Healthcheck=%+v Extra=%v", p.Port, p.Healthcheck, p.Images.Extra)
	}
	if p.Images.Runtime != catalog.GoStaticRuntime || p.User.UID != 65532 {
		t.Errorf("Images=%+v User=%+v", p.Images, p.User)
	}
	found := false
	for _, d := range p.Decisions {
		found = found || strings.Contains(d, "no HTTP health check")
	}
	if !found {
		t.Errorf("decisions do not say why there is no health check: %q", p.Decisions)
	}
	df, _ := goRender(t, p)
	for _, banned := range []string{"HEALTHCHECK --", "EXPOSE", "AS probe", "busybox", "ENV PORT"} {
		if strings.Contains(df, banned) {
			t.Errorf("worker Dockerfile has %q:\n%s", banned, df)
		}
	}
	if !strings.Contains(df, "# No HEALTHCHECK: the program listens on no port.") {
		t.Errorf("worker Dockerfile does not explain the missing HEALTHCHECK:\n%s", df)
	}
}

func TestPlanGoOverrides(t *testing.T) {
	t.Run("a port for a worker gets a TCP check", func(t *testing.T) {
		p := goPlanFor(t, map[string]string{"go.mod": goModText("1.26"), "main.go": goWorker}, Options{Port: 9000})
		if p.Healthcheck == nil || p.Healthcheck.Cmd[5] != "9000" || p.Images.Extra["probe"] == "" {
			t.Fatalf("Healthcheck = %+v", p.Healthcheck)
		}
		df, _ := goRender(t, p)
		if !strings.Contains(df, "EXPOSE 9000\n") {
			t.Errorf("no EXPOSE 9000:\n%s", df)
		}
	})
	t.Run("--health-path, --language-version, --port", func(t *testing.T) {
		p := goPlanFor(t, map[string]string{"go.mod": goModText("1.26"), "main.go": goServer},
			Options{HealthPath: "/status", LanguageVersion: "1.27", Port: 9090})
		if p.Images.Build != "golang:1.27-trixie" {
			t.Errorf("Images.Build = %q", p.Images.Build)
		}
		if got := p.Healthcheck.Cmd[len(p.Healthcheck.Cmd)-1]; got != "http://127.0.0.1:9090/status" {
			t.Errorf("health URL = %q", got)
		}
		df, _ := goRender(t, p)
		// The program reads PORT, so the image tells it the overridden port.
		if !strings.Contains(df, "ENV PORT=9090\n") {
			t.Errorf("no ENV PORT=9090:\n%s", df)
		}
	})
	t.Run("--start replaces the entrypoint", func(t *testing.T) {
		p := goPlanFor(t, map[string]string{"go.mod": goModText("1.26"), "main.go": goServer},
			Options{Start: []string{"/usr/local/bin/shop", "--verbose"}})
		df, _ := goRender(t, p)
		if !strings.Contains(df, `ENTRYPOINT ["/usr/local/bin/shop","--verbose"]`) {
			t.Errorf("start not used:\n%s", df)
		}
	})
}

func TestPlanGoVendor(t *testing.T) {
	files := map[string]string{
		"go.mod":             goModText("1.26", "require github.com/go-chi/chi/v5 v5.2.0"),
		"go.sum":             "",
		"vendor/modules.txt": "# github.com/go-chi/chi/v5 v5.2.0\n## explicit; go 1.20\ngithub.com/go-chi/chi/v5\n",
		"main.go":            goServer,
	}
	p := goPlanFor(t, files, Options{})
	if !p.Go.Vendor || !strings.Contains(p.Build, " -mod=vendor ") {
		t.Fatalf("Vendor=%v Build=%q", p.Go.Vendor, p.Build)
	}
	// A vendored module has nothing to install (vendor/ is part of the
	// source): dockerfilecheck accepts copying the tree first here.
	df, di := goRender(t, p)
	if strings.Contains(df, "go mod download") || strings.Contains(df, "target=/go/pkg/mod") {
		t.Errorf("vendored build downloads modules:\n%s", df)
	}
	if strings.Contains(di, "vendor") {
		t.Errorf(".dockerignore excludes the vendor folder the build uses:\n%s", di)
	}
}

// TestPlanGoVendorInconsistent: a vendor folder that go build -mod=vendor
// would refuse is left out of the context and the modules are downloaded.
func TestPlanGoVendorInconsistent(t *testing.T) {
	files := map[string]string{
		"go.mod":             goModText("1.26", "require github.com/go-chi/chi/v5 v5.2.1"),
		"go.sum":             "",
		"vendor/modules.txt": "# github.com/go-chi/chi/v5 v5.2.0\n## explicit; go 1.20\ngithub.com/go-chi/chi/v5\n",
		"main.go":            goServer,
	}
	p := goPlanFor(t, files, Options{})
	if p.Go.Vendor || strings.Contains(p.Build, "-mod=vendor") {
		t.Fatalf("Vendor=%v Build=%q", p.Go.Vendor, p.Build)
	}
	df, di := goRender(t, p)
	if !strings.Contains(df, "go mod download") {
		t.Errorf("modules are not downloaded:\n%s", df)
	}
	if !strings.Contains(di, "\nvendor/\n") {
		t.Errorf(".dockerignore keeps the inconsistent vendor folder:\n%s", di)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "inconsistent vendoring") }) {
		t.Errorf("no note says why vendor/ is not used: %q", p.Notes)
	}
}

func TestPlanGoWorkspace(t *testing.T) {
	files := map[string]string{
		"go.work":              "go 1.26\n\nuse (\n\t./services/api\n\t./libs/greet\n)\n",
		"services/api/go.mod":  "module example.com/api\n\ngo 1.26\n",
		"services/api/main.go": strings.Replace(goServer, `"os"`, `"os"`+"\n\n\t_ \"example.com/greet\"", 1),
		"libs/greet/go.mod":    "module example.com/greet\n\ngo 1.26\n",
		"libs/greet/greet.go":  "package greet\n",
	}
	p := goPlanFor(t, files, Options{})
	if !p.Go.Workspace || p.Go.Main != "./services/api" || !reflect.DeepEqual(p.Go.ModuleDirs, []string{"services/api", "libs/greet"}) {
		t.Fatalf("GoPlan = %+v", p.Go)
	}
	df, _ := goRender(t, p)
	for _, want := range []string{
		"COPY go.work go.work.sum* ./\n",
		"COPY services/api/go.mod services/api/go.sum* ./services/api/\n",
		"COPY libs/greet/go.mod libs/greet/go.sum* ./libs/greet/\n",
		"-o /out/api ./services/api\n",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
}

func TestPlanGoPrivateModules(t *testing.T) {
	files := map[string]string{
		"go.mod":   goModText("1.26"),
		"main.go":  goServer,
		"Makefile": "export GOPRIVATE=github.com/acme/*\n",
	}
	p := goPlanFor(t, files, Options{})
	want := []Secret{{ID: "netrc", Target: "/root/.netrc", Source: "$HOME/.netrc", Why: p.Secrets[0].Why}}
	if p.Go.GoPrivate != "github.com/acme/*" || !reflect.DeepEqual(p.Secrets, want) {
		t.Fatalf("GoPrivate=%q Secrets=%+v", p.Go.GoPrivate, p.Secrets)
	}
	df, _ := goRender(t, p)
	if !strings.Contains(df, "ENV GOPRIVATE=github.com/acme/*\n") {
		t.Errorf("no GOPRIVATE:\n%s", df)
	}
	if n := strings.Count(df, "--mount=type=secret,id=netrc,target=/root/.netrc"); n != 2 {
		t.Errorf("netrc secret mounted %d times, want on download and build:\n%s", n, df)
	}
}

func TestPlanGoAssets(t *testing.T) {
	files := map[string]string{
		"go.mod":               goModText("1.26"),
		"cmd/shop/main.go":     strings.Replace(goServer, `"os"`, `"os"`+"\n\t\"html/template\"", 1) + "\nvar page = template.Must(template.ParseGlob(\"templates/*.html\"))\n",
		"templates/index.html": "<p>hi</p>",
	}
	p := goPlanFor(t, files, Options{})
	if !reflect.DeepEqual(p.Go.Assets, []GoAsset{{Src: "templates", Dest: "templates"}}) {
		t.Fatalf("Assets = %+v", p.Go.Assets)
	}
	df, _ := goRender(t, p)
	if !strings.Contains(df, "WORKDIR /app\n") || !strings.Contains(df, "COPY templates/ ./templates/\n") {
		t.Errorf("assets not copied below /app:\n%s", df)
	}
}

func TestPlanGoDockerignoreKeepsWhatIsBuilt(t *testing.T) {
	gp := &GoPlan{Main: "./bin/tool", ModuleDirs: []string{"."}, Assets: []GoAsset{{Src: "vendor/web", Dest: "vendor/web"}}}
	for _, l := range goDockerignore(gp) {
		if l == "bin/" || l == "vendor/" {
			t.Errorf("%q would hide what the Dockerfile builds or copies", l)
		}
	}
}

func TestPlanGoChoices(t *testing.T) {
	files := map[string]string{
		"go.mod":              goModText("1.26"),
		"cmd/api/main.go":     goServer,
		"cmd/migrate/main.go": goWorker,
	}
	t.Run("the server is a safe default, said on stderr", func(t *testing.T) {
		var log strings.Builder
		p := goPlanFor(t, files, Options{Log: &log})
		if p.Go.Main != "./cmd/api" || p.Answers["main"] != "./cmd/api" {
			t.Fatalf("Main=%q Answers=%v", p.Go.Main, p.Answers)
		}
		if !strings.Contains(log.String(), "dgen: main: chose ./cmd/api") || !strings.Contains(log.String(), "--main") {
			t.Errorf("stderr = %q", log.String())
		}
	})
	t.Run("an answer wins", func(t *testing.T) {
		p := goPlanFor(t, files, Options{Answers: facts.Answers{"main": "cmd/migrate"}})
		if p.Go.Main != "./cmd/migrate" || p.Port != nil || p.Healthcheck != nil {
			t.Errorf("Main=%q Port=%v", p.Go.Main, p.Port)
		}
	})
	t.Run("no safe default and nobody to ask", func(t *testing.T) {
		fsys := fstest.MapFS{
			"go.mod":        {Data: []byte(goModText("1.26"))},
			"cmd/a/main.go": {Data: []byte(goWorker)},
			"cmd/b/main.go": {Data: []byte(goWorker)},
		}
		_, err := Resolve(context.Background(), fsys, Options{})
		if !errors.Is(err, ErrNeedAnswer) || !strings.Contains(err.Error(), "--main") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestPlanGoRefusesUnsafeMain(t *testing.T) {
	det := &facts.Detection{Language: facts.LangGo, Go: &facts.GoFacts{Main: "./cmd/x;rm", Binary: "x"}}
	err := planGo(det, &Plan{LanguageVersion: "1.26"})
	if !errors.Is(err, ErrBadInput) {
		t.Errorf("err = %v, want ErrBadInput", err)
	}
}

// TestPlanGoHardLoopback: a hard-coded loopback listener stops the plan
// with a bad-input error naming the file and line, before anything is
// rendered or written.
func TestPlanGoHardLoopback(t *testing.T) {
	fsys := fstest.MapFS{
		"go.mod":  {Data: []byte("module example.com/shop\n\ngo 1.26\n")},
		"main.go": {Data: []byte("package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\"localhost:8080\", nil)\n}\n")},
	}
	p, err := Resolve(context.Background(), fsys, Options{})
	if p != nil || !IsBadInput(err) || !strings.Contains(err.Error(), "main.go:6:") || !strings.Contains(err.Error(), "localhost:8080") {
		t.Errorf("plan %v, err = %v; want a bad-input error at main.go:6", p != nil, err)
	}
}

// TestPlanGoGRPCProbe: a gRPC server's check connects to its port with
// the busybox the runtime image carries; it never sends an HTTP GET.
func TestPlanGoGRPCProbe(t *testing.T) {
	files := map[string]string{
		"go.mod":  goModText("1.26", "require google.golang.org/grpc v1.75.0"),
		"go.sum":  "google.golang.org/grpc v1.75.0 h1:x=\n",
		"main.go": "package main\n\nimport (\n\t\"net\"\n\n\t\"google.golang.org/grpc\"\n)\n\nfunc main() {\n\tlis, _ := net.Listen(\"tcp\", \":7000\")\n\tgrpc.NewServer().Serve(lis)\n}\n",
	}
	p := goPlanFor(t, files, Options{})
	wantCmd := []string{"/usr/local/bin/busybox", "nc", "-w", "3", "127.0.0.1", "7000", "-e", "/usr/local/bin/busybox", "true"}
	if p.Healthcheck == nil || !reflect.DeepEqual(p.Healthcheck.Cmd, wantCmd) || !strings.Contains(p.Healthcheck.Why, "gRPC") {
		t.Errorf("Healthcheck = %+v, want the TCP check %q explained for gRPC", p.Healthcheck, wantCmd)
	}
	if p.Framework == nil || *p.Framework != "grpc" {
		t.Errorf("Framework = %v, want grpc", p.Framework)
	}
	df, _ := goRender(t, p)
	if strings.Contains(df, `"wget"`) {
		t.Errorf("Dockerfile probes gRPC over HTTP:\n%s", df)
	}
}

// TestPlanGoGOPATHMode: a pre-modules project stops with the GOPATH-mode
// advice, a bad-input error, instead of "no project found".
func TestPlanGoGOPATHMode(t *testing.T) {
	fsys := fstest.MapFS{
		"main.go":                  {Data: []byte("package main // import \"github.com/acme/mail\"\n\nfunc main() {}\n")},
		"vendor/github.com/x/y.go": {Data: []byte("package y\n")},
	}
	p, err := Resolve(context.Background(), fsys, Options{})
	if p != nil || !IsBadInput(err) || !strings.Contains(err.Error(), "GOPATH mode") || !strings.Contains(err.Error(), "go mod init github.com/acme/mail") {
		t.Errorf("plan %v, err = %v; want the GOPATH-mode advice as bad input", p != nil, err)
	}
}
