// Package generator turns a Detection and what the user said (flags, config
// file, prompt answers) into a Plan in which every decision is made, renders
// the Plan through the templates, and writes the files safely.
package generator

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// Plan is every decision dgen made for one repository. `dgen plan --json`
// prints it; the templates read it (it is their whole data model, see
// docs/templates.md). Field order and JSON names are part of the CLI
// contract: add fields, never rename them.
type Plan struct {
	// Language is "go", "python" or "node".
	Language string `json:"language"`
	// Framework is e.g. "django", "fastapi", "nextjs", "gin", or null.
	Framework *string `json:"framework"`
	// PackageManager is "gomod", "uv", "poetry", "pipenv", "pdm", "pip",
	// "npm", "yarn", "yarn-berry", "pnpm" or "bun".
	PackageManager string `json:"packageManager"`
	// PackageManagerVersion is the exact version pinned by the repo, if any.
	PackageManagerVersion string `json:"packageManagerVersion,omitempty"`
	// LanguageVersion is "1.24" for Go and Python, "22" for Node.
	LanguageVersion string `json:"languageVersion"`
	// Port the app listens on; null for a worker.
	Port *int `json:"port"`
	// Start is the argv the container runs (ENTRYPOINT or CMD).
	Start []string `json:"start"`
	// Build is the build command as one string ("" when there is none).
	Build string `json:"build"`
	// CGO is true when a Go build needs cgo.
	CGO bool `json:"cgo"`
	// Evidence maps a field name to the file and line it came from.
	Evidence map[string]facts.Evidence `json:"evidence"`

	// Template is the Dockerfile template's base name ("go", "python",
	// "node", "static"): templates/<Template>.Dockerfile.tmpl.
	Template string `json:"template,omitzero"`
	// Images are the pinned base images of each stage.
	Images Images `json:"images,omitzero"`
	// User is the numeric non-root user the container runs as.
	User User `json:"user,omitzero"`
	// Healthcheck is the HEALTHCHECK written, or null for a worker.
	Healthcheck *Healthcheck `json:"healthcheck"`
	// Secrets are BuildKit secrets the install step mounts (private
	// registries); never ARG or ENV.
	Secrets []Secret `json:"secrets,omitempty"`
	// RequiredEnv are the variables the program stops without at start
	// (read with no default); the image sets those with a non-secret
	// example value, the others are given when the container runs.
	RequiredEnv []EnvVar `json:"requiredEnv,omitempty"`
	// Dockerignore is the .dockerignore, one pattern a line, in order.
	Dockerignore []string `json:"dockerignore,omitempty"`
	// Answers are the settled choices (Go package, lockfile, workspace app)
	// by key, whether answered by a flag, the config file, a prompt or a
	// default.
	Answers facts.Answers `json:"answers,omitempty"`
	// Decisions are the choices taken by default without asking, one line
	// each, as printed on stderr.
	Decisions []string `json:"decisions,omitempty"`
	// Notes are facts worth telling the user.
	Notes []string `json:"notes,omitempty"`
	// Problems are files detection could not read and worked around.
	Problems []facts.Problem `json:"problems,omitempty"`
	// Questions are the decisions left open, present only when dgen stops
	// because one has no safe default and nobody can be asked (exit code
	// 2): the plan then holds what was detected, and each question names
	// its candidates, their evidence and the flag that answers it.
	Questions []OpenQuestion `json:"questions,omitempty"`

	// RuntimeFiles are files and folders the program opens by a relative
	// path at start, copied into the runtime image where it expects them
	// (Go's asset folders and loaded config file are in go.assets).
	RuntimeFiles []RuntimeFile `json:"runtimeFiles,omitempty"`
	// Writable are the folders the program writes into next to itself,
	// created in the runtime image and owned by the non-root user.
	Writable []WritableDir `json:"writable,omitempty"`

	// Go, Python and Node hold what only that ecosystem's template needs.
	Go     *GoPlan     `json:"go,omitempty"`
	Python *PythonPlan `json:"python,omitempty"`
	Node   *NodePlan   `json:"node,omitempty"`

	// Compose is compose.yaml (docs/compose.md), nil when it is not
	// written.
	Compose *ComposePlan `json:"compose,omitempty"`
	// Pin is what `dgen init --pin` resolves to digests (docs/ci.md), nil
	// without --pin.
	Pin *PinPlan `json:"pin,omitempty"`
	// CI is the CI workflow written beside the Dockerfile (docs/ci.md),
	// nil when none is asked for.
	CI *CIPlan `json:"ci,omitempty"`

	// keep are .dockerignore patterns whose top-level match the Dockerfile
	// copies (a token-free .npmrc); set by the language planners. A kept
	// "**/X" is written as "**/*/X", so nested copies stay excluded.
	keep []string
	// minVersion is the lowest language version that builds the
	// repository (Go's go line), and minVersionFrom where it is written;
	// CheckLanguageVersion refuses answers below it.
	minVersion     string
	minVersionFrom facts.Evidence
	// composeMode is what the user said about compose.yaml, kept for
	// ConfigFromPlan.
	composeMode ComposeMode
}

// PinPlan is the digest pinning of the FROM lines.
type PinPlan struct {
	// Images are the images whose tags are resolved to the digest they
	// point to when the Dockerfile is written.
	Images []string `json:"images"`
	// Mirrors map a registry to the mirror asked in its place.
	Mirrors map[string]string `json:"mirrors,omitempty"`
}

// planImages lists the plan's base images once each, build and runtime
// first.
func planImages(p *Plan) []string {
	out := []string{p.Images.Build}
	if p.Images.Runtime != p.Images.Build {
		out = append(out, p.Images.Runtime)
	}
	keys := slices.Sorted(maps.Keys(p.Images.Extra))
	for _, k := range keys {
		if img := p.Images.Extra[k]; !slices.Contains(out, img) {
			out = append(out, img)
		}
	}
	return out
}

// Images are the base images of the stages, with pinned tags.
type Images struct {
	// Build is the image of the build stage (compilers, package managers).
	Build string `json:"build"`
	// Runtime is the image of the final stage.
	Runtime string `json:"runtime"`
	// Extra are other stages' images by stage name ("probe", "assets").
	Extra map[string]string `json:"extra,omitempty"`
}

// User is the non-root user of the runtime stage.
type User struct {
	UID int `json:"uid"`
	GID int `json:"gid"`
	// Name is the user's name; Create is true when the Dockerfile must
	// create it (slim images), false when the image has it (distroless
	// nonroot, node).
	Name   string `json:"name"`
	Create bool   `json:"create"`
}

// Healthcheck is a HEALTHCHECK in exec form that runs a program present in
// the runtime image.
type Healthcheck struct {
	// Cmd is the exec-form command.
	Cmd         []string `json:"cmd"`
	Interval    string   `json:"interval"`
	Timeout     string   `json:"timeout"`
	StartPeriod string   `json:"startPeriod"`
	Retries     int      `json:"retries"`
	// Path is the HTTP path probed, or "" for a TCP/any-response check.
	Path string `json:"path,omitempty"`
	// Why explains the choice of program, written as a comment.
	Why string `json:"why"`
}

// Secret is a BuildKit secret mounted into one RUN step.
type Secret struct {
	// ID is what `docker build --secret id=ID,src=…` names.
	ID string `json:"id"`
	// Target is the absolute path it is mounted at, or "" with Env.
	Target string `json:"target,omitempty"`
	// Env is the variable it is exposed as, for tools that read one.
	Env string `json:"env,omitempty"`
	// Source is the file a user would pass ($HOME/.npmrc …), for docs and hints.
	Source string `json:"source"`
	// Why says what needed it.
	Why string `json:"why"`
}

// FrameworkName returns the framework or "".
func (p *Plan) FrameworkName() string {
	if p.Framework == nil {
		return ""
	}
	return *p.Framework
}

// PortNumber returns the port or 0 for a worker.
func (p *Plan) PortNumber() int {
	if p.Port == nil {
		return 0
	}
	return *p.Port
}

// JSON renders p exactly as `dgen plan --json` prints it (see
// IndentedJSON).
func (p *Plan) JSON() ([]byte, error) { return IndentedJSON(p) }

// IndentedJSON renders v the way every --json output of dgen is printed:
// indented, with & < > left as they are (commands hold them), one
// trailing newline.
func IndentedJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// newHealthcheck starts a HEALTHCHECK with the catalog's timing; the
// language planners fill in its command.
func newHealthcheck() *Healthcheck {
	h := catalog.Health()
	return &Healthcheck{Interval: h.Interval, Timeout: h.Timeout, StartPeriod: h.StartPeriod, Retries: h.Retries}
}

// OpenQuestion is a decision dgen could not make alone: several programs,
// lockfiles or workspace apps and no evidence that ranks one first.
type OpenQuestion struct {
	// Name is the answer's key ("main", "packageManager", "app", …), as in
	// Plan.Answers and dgen.yaml.
	Name string `json:"name"`
	// Prompt is the question a terminal would ask.
	Prompt string `json:"prompt"`
	// Candidates are the possible answers, each with its evidence.
	Candidates []facts.Option `json:"candidates"`
	// Default is the candidate dgen prefers, if any (not a safe one).
	Default string `json:"default,omitempty"`
	// Reason says why no candidate could be taken.
	Reason string `json:"reason,omitempty"`
	// Flag is the command-line flag that answers it ("--main").
	Flag string `json:"flag"`
}
