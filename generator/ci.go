package generator

import (
	"bytes"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"text/template"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/dgen-dev/dgen/generator/catalog"
)

// CIGitHub is the one CI provider dgen writes a pipeline for (docs/ci.md
// says why GitLab is not one yet).
const CIGitHub = "github"

// The files `dgen ci github` writes.
const (
	WorkflowFile   = ".github/workflows/docker.yml"
	DependabotFile = ".github/dependabot.yml"
)

// ghcrDefault is where the image goes when no --image is given: the
// repository's own GitHub package, written with the workflow's context.
const ghcrDefault = "ghcr.io/${{ github.repository }}"

// CIOptions is what the user said about the pipeline.
type CIOptions struct {
	// Provider is "github".
	Provider string
	// Image is the repository pushed to ("ghcr.io/acme/api",
	// "docker.io/acme/api"); "" is the GitHub repository's own package.
	Image string
	// Branch is the default branch the workflow runs on ("main" when "").
	Branch string
}

// CIPlan is the CI workflow dgen writes (docs/ci.md); nil when none is
// asked for.
type CIPlan struct {
	// Provider is "github".
	Provider string `json:"provider"`
	// Files are the files written, relative to the repository.
	Files []string `json:"files"`
	// Image is the repository the image is pushed to, as the workflow
	// writes it (the default names the workflow's own repository).
	Image string `json:"image"`
	// Registry is the registry host logged in to ("ghcr.io", "docker.io").
	Registry string `json:"registry"`
	// Secrets are the repository secrets the login needs, besides the
	// workflow's own GITHUB_TOKEN (none for ghcr.io).
	Secrets []string `json:"secrets,omitempty"`
	// Branch is the default branch: pushes to it and v* tags push images.
	Branch string `json:"branch"`
	// Platforms are the platforms built and pushed.
	Platforms []string `json:"platforms"`
	// PlatformsWhy says why the Dockerfile can (or cannot) build them.
	PlatformsWhy string `json:"platformsWhy"`
	// Actions are the actions used, by role, each owner/repo@tag.
	Actions map[string]string `json:"actions"`

	// Username and Password are the login's workflow expressions.
	Username string `json:"-"`
	Password string `json:"-"`
}

// MultiPlatform reports whether the workflow builds more than one platform.
func (c *CIPlan) MultiPlatform() bool { return len(c.Platforms) > 1 }

// Packages reports whether the jobs need the packages permission (the
// image goes to the GitHub Container Registry).
func (c *CIPlan) Packages() bool { return c.Registry == "ghcr.io" }

var branchRe = regexp.MustCompile(`^[A-Za-z0-9._/-]+$`)

// NewCIPlan checks o and builds the pipeline for a Dockerfile that can
// build platforms (see Platforms).
func NewCIPlan(o CIOptions, platforms []string, why string) (*CIPlan, error) {
	if o.Provider != CIGitHub {
		return nil, badInputf("ci %q: dgen writes GitHub Actions workflows only (github); see docs/ci.md", o.Provider)
	}
	c := &CIPlan{Provider: o.Provider, Files: []string{WorkflowFile, DependabotFile}, Branch: o.Branch,
		Platforms: platforms, PlatformsWhy: why, Actions: catalog.Actions()}
	if c.Branch == "" {
		c.Branch = "main"
	}
	if !branchRe.MatchString(c.Branch) || strings.Contains(c.Branch, "..") {
		return nil, badInputf("--branch %q: a branch name of letters, digits, . _ / -", c.Branch)
	}
	if o.Image == "" {
		c.Image, c.Registry = ghcrDefault, "ghcr.io"
		c.Username, c.Password = "${{ github.actor }}", "${{ secrets.GITHUB_TOKEN }}"
		return c, nil
	}
	_, path, _ := strings.Cut(o.Image, "/")
	repo, err := name.NewRepository(o.Image)
	if err != nil || strings.ContainsAny(path, "@:") || strings.Contains(o.Image, "$") {
		return nil, badInputf("--image %q: a lowercase repository such as ghcr.io/acme/api or docker.io/acme/api, without tag or digest (the workflow tags it)", o.Image)
	}
	c.Image = repo.Name()
	switch c.Registry = repo.RegistryStr(); c.Registry {
	case name.DefaultRegistry, "docker.io":
		c.Registry = "docker.io"
		c.Image = "docker.io/" + repo.RepositoryStr()
		c.Secrets = []string{"DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN"}
	case "ghcr.io":
		c.Username, c.Password = "${{ github.actor }}", "${{ secrets.GITHUB_TOKEN }}"
		return c, nil
	default:
		c.Secrets = []string{"REGISTRY_USERNAME", "REGISTRY_PASSWORD"}
	}
	c.Username, c.Password = "${{ secrets."+c.Secrets[0]+" }}", "${{ secrets."+c.Secrets[1]+" }}"
	return c, nil
}

// allPlatforms and singlePlatform are the workflow's two platform lists,
// new each time (a plan owns its slice).
func allPlatforms() []string   { return []string{"linux/amd64", "linux/arm64"} }
func singlePlatform() []string { return []string{"linux/amd64"} }

var (
	targetArgRe     = regexp.MustCompile(`(?im)^\s*ARG\s+.*\bTARGET(OS|ARCH|PLATFORM)\b`)
	buildPlatformRe = regexp.MustCompile(`(?im)^\s*FROM\s+--platform=\$\{?BUILDPLATFORM\}?\s`)
)

// interpreted reports a base image of an interpreted runtime: published
// for amd64 and arm64, with nothing compiled for the build machine.
func interpreted(repo string) bool {
	switch repo {
	case "python", "node", "oven/bun", "pypy", "ruby", "php", "denoland/deno":
		return true
	}
	return false
}

// Platforms decides from a Dockerfile which platforms CI builds: amd64
// and arm64 when it cross-compiles (a build stage on $BUILDPLATFORM that
// reads TARGETOS/TARGETARCH) or runs on an interpreted runtime's image;
// amd64 only otherwise (a cgo build compiles for the machine it runs on,
// and under emulation that is slow and untested). why says which.
func Platforms(dockerfile []byte) (platforms []string, why string) {
	if targetArgRe.Match(dockerfile) && buildPlatformRe.Match(dockerfile) {
		return allPlatforms(), whyCross
	}
	for _, img := range baseImages(dockerfile) {
		r, err := name.ParseReference(img)
		if err != nil {
			continue
		}
		repo := strings.TrimPrefix(r.Context().RepositoryStr(), "library/")
		if interpreted(repo) {
			return allPlatforms(), whyInterpreted(repo)
		}
	}
	return singlePlatform(), whySingle
}

// Why the platforms are what they are, as CIPlan.PlatformsWhy says it.
const (
	whyCross  = "the Dockerfile cross-compiles: its build stage runs on the builder's platform (FROM --platform=$BUILDPLATFORM) and builds for TARGETOS/TARGETARCH"
	whySingle = "the Dockerfile does not cross-compile (no FROM --platform=$BUILDPLATFORM with ARG TARGETOS TARGETARCH), so only the runner's platform is built; add linux/arm64 to platforms if emulated builds are acceptable"
)

func whyInterpreted(runtime string) string {
	return "the image runs an interpreted runtime (" + runtime + "), published for amd64 and arm64; steps that compile run under QEMU for arm64"
}

// RenderCI renders the pipeline's files through their templates (embedded,
// or by the same name in overrideDir).
func RenderCI(c *CIPlan, overrideDir string) ([]File, error) {
	var over fs.FS
	if overrideDir != "" {
		over = os.DirFS(overrideDir)
	}
	var out []File
	for _, f := range []struct{ name, tmpl string }{
		{WorkflowFile, "github-workflow.yml.tmpl"},
		{DependabotFile, "github-dependabot.yml.tmpl"},
	} {
		src, origin, err := readTemplate(f.tmpl, over)
		if err != nil {
			return nil, err
		}
		// GitHub's own ${{ }} expressions fill the workflow, so dgen's
		// actions use [[ ]].
		t, err := template.New(f.tmpl).Delims("[[", "]]").Option("missingkey=error").Funcs(FuncMap()).Parse(string(src))
		if err != nil {
			return nil, badInputf("%s: %v", origin, err)
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, c); err != nil {
			return nil, badInputf("%s: %v", origin, err)
		}
		out = append(out, File{Name: f.name, Data: buf.Bytes()})
	}
	return out, nil
}

// planCI is the CI section of a plan: the platforms follow from what the
// Dockerfile template does, by the rule Platforms applies to a written
// Dockerfile (a test holds the two together over every example).
func planCI(p *Plan, o CIOptions) (*CIPlan, error) {
	switch {
	case p.Go != nil && p.Go.CrossCompile:
		return NewCIPlan(o, allPlatforms(), whyCross)
	case p.Go != nil:
		return NewCIPlan(o, singlePlatform(), whySingle)
	}
	return NewCIPlan(o, allPlatforms(), whyInterpreted(p.Language))
}
