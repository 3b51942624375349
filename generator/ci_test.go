package generator_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	gcrname "github.com/google/go-containerregistry/pkg/name"
	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"

	"github.com/dgen-dev/dgen/generator"
	"github.com/dgen-dev/dgen/generator/dockerfilecheck"
	"github.com/dgen-dev/dgen/generator/registrytest"
)

// workflow is the part of a GitHub Actions workflow the policy reads.
type workflow struct {
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Concurrency map[string]any    `yaml:"concurrency"`
	Jobs        map[string]struct {
		If          string            `yaml:"if"`
		Needs       any               `yaml:"needs"`
		Permissions map[string]string `yaml:"permissions"`
		Steps       []step            `yaml:"steps"`
	} `yaml:"jobs"`
}

// step is one step of a job.
type step struct {
	Name string            `yaml:"name"`
	ID   string            `yaml:"id"`
	Uses string            `yaml:"uses"`
	If   string            `yaml:"if"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

// checkSecrets: a secret goes only to the login action, never into a shell
// step's script or environment, and no expression is spliced into a script.
func checkSecrets(t *testing.T, job string, s step) {
	t.Helper()
	if strings.Contains(s.Run, "secrets.") || strings.Contains(s.Run, "${{") {
		t.Errorf("job %s step %q: a shell step expands an expression (%q): pass values through env, never secrets into scripts", job, s.Name, s.Run)
	}
	for k, v := range s.Env {
		if strings.Contains(v, "secrets.") {
			t.Errorf("job %s step %q: secret in env %s of a shell step", job, s.Name, k)
		}
	}
	for k, v := range s.With {
		if strings.Contains(v, "secrets.") && !strings.HasPrefix(s.Uses, "docker/login-action@") {
			t.Errorf("job %s step %q: secret given to %s (%s)", job, s.Name, s.Uses, k)
		}
	}
}

// lint runs actionlint (the library, no shellcheck) over one workflow.
func lint(t *testing.T, path string, data []byte) {
	t.Helper()
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint(path, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("actionlint: %s:%d:%d: %s [%s]", path, e.Line, e.Column, e.Message, e.Kind)
	}
}

// olderMajors names the previous major of the actions whose current
// major is newer than the table of popular actions in the actionlint
// version this module can use (v1.7.7: v1.7.8 and later need a yaml/v4
// that compose-go's conflicts with). The inputs and outputs the workflow
// uses exist in both majors, so linting this copy checks each input name
// and output reference against the action's metadata.
func olderMajors(data []byte) []byte {
	return []byte(strings.NewReplacer(
		"actions/checkout@v6", "actions/checkout@v4",
		"docker/setup-qemu-action@v4", "docker/setup-qemu-action@v3",
		"docker/setup-buildx-action@v4", "docker/setup-buildx-action@v3",
		"docker/login-action@v4", "docker/login-action@v3",
		"docker/metadata-action@v6", "docker/metadata-action@v5",
		"docker/build-push-action@v7", "docker/build-push-action@v6",
	).Replace(string(data)))
}

// checkPolicy holds a workflow to dgen's rules: nothing granted at the top,
// each job only what it uses, push gated to the default branch and tags,
// pull requests building without push, the scan before the sign, the sign
// by digest, and no secret ever in a shell step.
func checkPolicy(t *testing.T, ci *generator.CIPlan, data []byte) {
	t.Helper()
	var w workflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	if len(w.Permissions) != 0 {
		t.Errorf("top-level permissions %v: want {} so no job inherits a grant", w.Permissions)
	}
	if w.Concurrency["cancel-in-progress"] == nil || !strings.Contains(w.Concurrency["group"].(string), "github.ref") {
		t.Errorf("concurrency %v: want a per-ref group that cancels superseded runs", w.Concurrency)
	}
	if _, ok := w.On["pull_request"]; !ok {
		t.Error("pull requests do not run the workflow")
	}
	pkg := map[bool]string{true: "write", false: ""}[ci.Registry == "ghcr.io"]
	wantPerms := map[string]map[string]string{
		"scan":  {"contents": "read", "security-events": "write"},
		"build": {"contents": "read", "packages": pkg},
		"sign":  {"id-token": "write", "packages": pkg},
	}
	if len(w.Jobs) != len(wantPerms) {
		t.Errorf("jobs %d, want scan, build and sign", len(w.Jobs))
	}
	for job, want := range wantPerms {
		for k, v := range want {
			if v == "" {
				delete(want, k)
			}
		}
		if got := w.Jobs[job].Permissions; !mapsEqual(got, want) {
			t.Errorf("job %s permissions %v, want exactly %v", job, got, want)
		}
	}
	if n := w.Jobs["build"].Needs; n != "scan" {
		t.Errorf("build needs %v: the image must be scanned before it is pushed and signed", n)
	}
	if n, cond := w.Jobs["sign"].Needs, w.Jobs["sign"].If; n != "build" || cond != "needs.build.outputs.pushed == 'true'" {
		t.Errorf("sign needs %v if %q: it must run only after a push", n, cond)
	}
	if !strings.Contains(string(data), "PUSH: ${{ github.event_name != 'pull_request' && (github.ref == format('refs/heads/{0}', github.event.repository.default_branch) || startsWith(github.ref, 'refs/tags/v')) }}") {
		t.Error("the push gate is not: not a pull request, and the default branch or a v* tag")
	}
	checkSteps(t, ci, w)
}

// checkSteps holds each step to the policy: no secret in a shell step,
// the login only when pushing, the build gated and attested, the scan
// failing on fixed HIGH/CRITICAL, the sign by digest.
func checkSteps(t *testing.T, ci *generator.CIPlan, w workflow) {
	t.Helper()
	var build, signed, scanned, failGate bool
	for job, j := range w.Jobs {
		for _, s := range j.Steps {
			checkSecrets(t, job, s)
			if strings.HasPrefix(s.Uses, "docker/login-action@") && job == "build" && s.If != "env.PUSH == 'true'" {
				t.Errorf("build logs in when not pushing (if %q)", s.If)
			}
			switch {
			case strings.HasPrefix(s.Uses, "docker/build-push-action@") && job == "build":
				build = true
				if s.With["push"] != "${{ env.PUSH == 'true' }}" || s.With["provenance"] != "mode=max" || s.With["sbom"] != "true" ||
					s.With["cache-to"] != "type=gha,mode=max" || s.With["platforms"] != strings.Join(ci.Platforms, ",") {
					t.Errorf("build step %v: want gated push, provenance mode=max, sbom, gha cache mode=max, platforms %v", s.With, ci.Platforms)
				}
			case strings.HasPrefix(s.Uses, "docker/build-push-action@") && s.With["push"] != "false":
				t.Errorf("job %s builds with push %q before the scan", job, s.With["push"])
			case strings.HasPrefix(s.Uses, "aquasecurity/trivy-action@") && s.With["exit-code"] == "1":
				failGate = s.With["severity"] == "HIGH,CRITICAL" && s.With["ignore-unfixed"] == "true" && job == "scan"
			case strings.Contains(s.Run, "cosign sign"):
				signed = job == "sign" && strings.Contains(s.Run, `"${IMAGE}@${DIGEST}"`) && s.Env["DIGEST"] == "${{ needs.build.outputs.digest }}"
			case strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@"):
				scanned = job == "scan"
			}
		}
	}
	if !build || !signed || !scanned || !failGate {
		t.Errorf("build %v, signed by digest %v, SARIF uploaded %v, failing on fixed HIGH/CRITICAL %v: want all", build, signed, scanned, failGate)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestCIWorkflows writes the workflow for every example, with each kind of
// registry, and holds it to actionlint (zero findings) and the policy; the
// platforms the plan chooses must be those the example's Dockerfile can
// build.
func TestCIWorkflows(t *testing.T) {
	langs := map[string]bool{}
	for _, dir := range exampleDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			df, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
			if err != nil {
				t.Fatal(err)
			}
			root, err := os.OpenRoot(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer root.Close()
			cfg, err := generator.LoadConfig(root.FS())
			if err != nil {
				t.Fatal(err)
			}
			opts := generator.Options{CI: &generator.CIOptions{Provider: generator.CIGitHub}}
			cfg.Apply(&opts)
			p, err := generator.Resolve(context.Background(), root.FS(), opts)
			if err != nil {
				t.Fatal(err)
			}
			langs[p.Language] = true
			want, why := generator.Platforms(df)
			if !slices.Equal(p.CI.Platforms, want) {
				t.Errorf("plan builds %v, the Dockerfile can build %v (%s)", p.CI.Platforms, want, why)
			}
			if p.Go != nil && !p.Go.CrossCompile && len(want) != 1 {
				t.Errorf("cgo build: platforms %v, want linux/amd64 only", want)
			}
			for _, image := range []string{"", "docker.io/acme/api", "registry.example.com/team/api"} {
				ci, err := generator.NewCIPlan(generator.CIOptions{Provider: generator.CIGitHub, Image: image}, p.CI.Platforms, p.CI.PlatformsWhy)
				if err != nil {
					t.Fatal(err)
				}
				files, err := generator.RenderCI(ci, "")
				if err != nil {
					t.Fatal(err)
				}
				if len(files) != 2 || files[0].Name != generator.WorkflowFile || files[1].Name != generator.DependabotFile {
					t.Fatalf("RenderCI wrote %v", files)
				}
				lint(t, files[0].Name, files[0].Data)
				lint(t, files[0].Name, olderMajors(files[0].Data))
				checkPolicy(t, ci, files[0].Data)
				checkDependabot(t, files[1].Data)
			}
		})
	}
	for _, l := range []string{"go", "python", "node"} {
		if !langs[l] {
			t.Errorf("no %s example: every ecosystem's workflow must be checked", l)
		}
	}
}

func checkDependabot(t *testing.T, data []byte) {
	t.Helper()
	var d struct {
		Version int `yaml:"version"`
		Updates []struct {
			Ecosystem string `yaml:"package-ecosystem"`
			Directory string `yaml:"directory"`
		} `yaml:"updates"`
	}
	if err := yaml.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	var eco []string
	for _, u := range d.Updates {
		eco = append(eco, u.Ecosystem+":"+u.Directory)
	}
	if d.Version != 2 || !slices.Equal(eco, []string{"github-actions:/", "docker:/"}) {
		t.Errorf("dependabot.yml version %d updates %v: want github-actions and docker at /", d.Version, eco)
	}
}

func TestCIPlanImages(t *testing.T) {
	for image, want := range map[string][3]string{
		"":                              {"ghcr.io/${{ github.repository }}", "ghcr.io", ""},
		"ghcr.io/acme/api":              {"ghcr.io/acme/api", "ghcr.io", ""},
		"docker.io/acme/api":            {"docker.io/acme/api", "docker.io", "DOCKERHUB_USERNAME DOCKERHUB_TOKEN"},
		"acme/api":                      {"docker.io/acme/api", "docker.io", "DOCKERHUB_USERNAME DOCKERHUB_TOKEN"},
		"registry.example.com:5000/t/a": {"registry.example.com:5000/t/a", "registry.example.com:5000", "REGISTRY_USERNAME REGISTRY_PASSWORD"},
	} {
		ci, err := generator.NewCIPlan(generator.CIOptions{Provider: "github", Image: image}, []string{"linux/amd64"}, "")
		if err != nil {
			t.Errorf("%q: %v", image, err)
			continue
		}
		if got := [3]string{ci.Image, ci.Registry, strings.Join(ci.Secrets, " ")}; got != want {
			t.Errorf("%q: image, registry, secrets = %q, want %q", image, got, want)
		}
	}
	for _, bad := range []string{"Acme/API", "ghcr.io/acme/api:latest", "ghcr.io/acme/api@sha256:00", "x/${{ secrets.A }}", "a b"} {
		if _, err := generator.NewCIPlan(generator.CIOptions{Provider: "github", Image: bad}, nil, ""); err == nil {
			t.Errorf("--image %q accepted", bad)
		}
	}
	if _, err := generator.NewCIPlan(generator.CIOptions{Provider: "gitlab"}, nil, ""); err == nil || !strings.Contains(err.Error(), "docs/ci.md") {
		t.Errorf("gitlab: %v, want a refusal naming docs/ci.md", err)
	}
	if _, err := generator.NewCIPlan(generator.CIOptions{Provider: "github", Branch: "main'}}"}, nil, ""); err == nil {
		t.Error("a branch with quotes was accepted into the workflow")
	}
}

// TestPinnedExamplesPassChecks pins the Dockerfile of one example per
// ecosystem (Python's with its ARG in FROM) against a registry in the
// test process and holds the result to BuildKit's checks and dgen's
// policy, as the golden Dockerfiles are.
func TestPinnedExamplesPassChecks(t *testing.T) {
	for _, name := range []string{"go-stdlib", "python-fastapi-uv", "node-express-pnpm"} {
		t.Run(name, func(t *testing.T) {
			p, files := generateExample(t, filepath.Join("..", "examples", name))
			reg := registrytest.Start(t, registrytest.Open)
			mirrors := map[string]string{}
			digests := map[string]string{}
			for _, img := range generator.FromImages(files[0].Data) {
				ref, err := gcrname.ParseReference(img)
				if err != nil {
					t.Fatal(err)
				}
				mirrors[ref.Context().RegistryStr()] = reg.Host
				digests[img] = reg.PushIndex(t, ref.Context().RepositoryStr(), ref.Identifier()).Digest
			}
			pinned, _, err := generator.PinDockerfile(context.Background(), files[0].Data, generator.PinOptions{Mirrors: mirrors, Keychain: authn.NewMultiKeychain()})
			if err != nil {
				t.Fatal(err)
			}
			after, _ := generator.Platforms(pinned)
			if before, _ := generator.Platforms(files[0].Data); !slices.Equal(after, before) {
				t.Errorf("pinning changed the platforms from %v to %v", before, after)
			}
			for img, d := range digests {
				if !strings.Contains(string(pinned), img+"@"+d) {
					t.Errorf("%s is not pinned to %s", img, d)
				}
			}
			res, err := dockerfilecheck.Check(context.Background(), pinned, files[1].Data, dockerfilecheck.Expect{Port: p.PortNumber(), Healthcheck: p.Port != nil})
			if err != nil {
				t.Fatalf("pinned Dockerfile does not parse: %v\n%s", err, pinned)
			}
			for _, pr := range res.Problems() {
				t.Errorf("pinned Dockerfile: %s", pr)
			}
		})
	}
}
