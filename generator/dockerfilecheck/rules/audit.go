package rules

import (
	"bytes"
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Context is what Audit knows about the repository beside the Dockerfile.
type Context struct {
	// Dockerignore is the .dockerignore's content; HasDockerignore says
	// whether there is one at all.
	Dockerignore    []byte
	HasDockerignore bool
	// FS is the build context, for the files COPY . . would take in and
	// the scripts ENTRYPOINT runs; nil when unknown.
	FS fs.FS
	// Port is the port the app listens on according to its code, 0 when
	// detection did not find one in the code.
	Port int
	// PortFromEnv says the code reads the port from the environment and
	// Port is only its fallback: a platform that sets PORT decides, so an
	// EXPOSE of another port is not reported.
	PortFromEnv bool
	// Suggest are the lines dgen would write for this repository.
	Suggest Suggestions
}

// Suggestions are lines of the Dockerfile dgen would write for the
// repository, offered as the fix of the matching findings.
type Suggestions struct {
	// PackageManager is the one dgen's plan uses ("npm", "gomod", "uv" ...).
	PackageManager string
	// Port is the port dgen's lines listen on and probe (0: a worker).
	Port        int
	User        []string
	Healthcheck []string
	CacheMount  []string
}

// auditor runs the audit rules on one parsed file.
type auditor struct {
	f        *file
	c        Context
	final    *stage
	chain    []*stage
	runs     map[*instructions.RunCommand]runFacts
	findings []Finding
}

// Audit applies the guide's rules to a Dockerfile someone wrote. Unlike
// Generated it holds the file to what matters for any Dockerfile (no
// dgen house style), and each finding carries its fix. An error means the
// file does not parse.
func Audit(dockerfile []byte, c Context) ([]Finding, error) {
	var bk []Finding
	warn := func(rule, _, _, msg string, loc []parser.Range) {
		if _, ok := RuleByID(rule); ok {
			bk = append(bk, Finding{Rule: rule, Line: rangeLine(loc), Message: msg})
		}
	}
	f, err := parseFileLint(dockerfile, linter.New(&linter.Config{Warn: warn}))
	if err != nil {
		return nil, err
	}
	if len(f.stages) == 0 {
		return nil, fmt.Errorf("parse Dockerfile: no FROM instruction")
	}
	a := &auditor{f: f, c: c, final: f.stages[len(f.stages)-1], runs: map[*instructions.RunCommand]runFacts{}}
	a.chain = a.final.chain()
	for _, b := range bk {
		a.add(b.Rule, b.Line, b.Message, "", nil)
	}
	a.analyzeRuns()
	for _, s := range f.stages {
		a.checkImageTags(s)
		a.checkStageCommands(s)
		a.checkManifestsBeforeSource(s)
	}
	a.checkArgs(f.metaArgs)
	a.checkCacheMount()
	a.checkUser()
	a.checkHealthcheck()
	a.checkBuildTools()
	a.checkExecForm()
	a.checkExpose()
	a.checkContext()
	slices.SortStableFunc(a.findings, func(x, y Finding) int { return cmp.Compare(x.Line, y.Line) })
	return a.findings, nil
}

// add records a finding; an empty fix takes the rule's.
func (a *auditor) add(rule string, line int, msg, fix string, suggested []string) {
	r, _ := RuleByID(rule)
	if fix == "" {
		fix = r.Fix
	}
	a.findings = append(a.findings, Finding{Rule: rule, Severity: r.Severity, Line: line, Message: msg, Fix: fix, Suggested: suggested})
}

// rangeLine is the first line of loc, or 0.
func rangeLine(loc []parser.Range) int {
	if len(loc) > 0 {
		return loc[0].Start.Line
	}
	return 0
}

// inFinal reports whether s ends up in the final image.
func (a *auditor) inFinal(s *stage) bool { return slices.Contains(a.chain, s) }

// analyzeRuns parses every RUN body once.
func (a *auditor) analyzeRuns() {
	for _, s := range a.f.stages {
		sh := defaultShell
		env := map[string]bool{}
		for _, e := range s.chain() {
			for _, c := range e.Commands {
				switch c := c.(type) {
				case *instructions.ShellCommand:
					sh = c.Shell
				case *instructions.EnvCommand:
					for _, kv := range c.Env {
						env[kv.Key] = true
					}
				case *instructions.RunCommand:
					if e == s {
						a.runs[c] = analyzeRun(c, sh, env)
					}
				}
			}
		}
	}
}

// checkImageTags: every image pulled has a tag other than latest, or a
// digest.
func (a *auditor) checkImageTags(s *stage) {
	if s.parent == nil && !strings.EqualFold(s.base, "scratch") {
		a.checkRef("FROM", s.BaseName, s.base, stageLine(s))
	}
	for _, c := range s.Commands {
		if cp, ok := c.(*instructions.CopyCommand); ok && cp.From != "" && a.f.lookupStage(cp.From, s.index) == nil {
			a.checkRef("COPY --from", cp.From, cp.From, lineOf(cp))
		}
	}
}

// checkRef checks one image reference as written (raw) and expanded.
func (a *auditor) checkRef(what, raw, ref string, line int) {
	if strings.Contains(ref, "@") {
		return
	}
	repo, tag := splitImageRef(ref)
	switch {
	case tag == "" && strings.Contains(raw, "$"):
		// The tag comes from a build argument without a default: the
		// build sets it.
	case repo == "" || strings.Contains(ref, "$"):
	case tag == "":
		a.add("ImageTag", line, fmt.Sprintf("%s %s has no tag, so it means %s:latest, whatever that is on the day of the build", what, ref, repo), fmt.Sprintf("Pin a version: %s %s:<version>, or a digest: %s:<version>@sha256:<digest>.", what, repo, repo), nil)
	case tag == "latest":
		a.add("ImageTag", line, fmt.Sprintf("%s %s uses the moving tag latest", what, ref), fmt.Sprintf("Pin a version: %s %s:<version>, or a digest: %s:<version>@sha256:<digest>.", what, repo, repo), nil)
	}
}

// checkStageCommands runs the per-instruction rules of one stage.
func (a *auditor) checkStageCommands(s *stage) {
	final := a.inFinal(s)
	for _, c := range s.Commands {
		line := lineOf(c)
		switch c := c.(type) {
		case *instructions.AddCommand:
			a.checkAdd(c, line)
			a.checkSecretSources(c.SourcePaths, "ADD", line)
		case *instructions.CopyCommand:
			if c.From == "" {
				a.checkSecretSources(c.SourcePaths, "COPY", line)
			}
		case *instructions.ArgCommand:
			a.checkArgs([]instructions.ArgCommand{*c})
		case *instructions.EnvCommand:
			n := len(a.findings)
			for _, kv := range c.Env {
				a.checkSecret("ENV", kv.Key, kv.Value, line)
			}
			if !final {
				a.buildStageOnly(n)
			}
			a.checkLegacyFormat("ENV", c.Env, line)
		case *instructions.LabelCommand:
			a.checkLegacyFormat("LABEL", c.Labels, line)
		case *instructions.RunCommand:
			a.checkRun(a.runs[c], final, line)
		}
	}
}

// buildStageOnly lowers the findings from index n on to info: an ENV of a
// build stage the final image does not descend from ships in no image
// (a build-time placeholder such as DATABASE_URL for a prerender), though
// the value still sits in the Dockerfile and the build cache.
func (a *auditor) buildStageOnly(n int) {
	for i := n; i < len(a.findings); i++ {
		a.findings[i].Severity = Info
		a.findings[i].Message += ", in a build stage the final image does not include"
	}
}

// checkLegacyFormat is BuildKit's LegacyKeyValueFormat, which runs in its
// LLB conversion: ENV and LABEL with a space instead of "=".
func (a *auditor) checkLegacyFormat(what string, kvs instructions.KeyValuePairs, line int) {
	if slices.ContainsFunc(kvs, func(kv instructions.KeyValuePair) bool { return kv.NoDelim }) {
		a.add("LegacyKeyValueFormat", line, fmt.Sprintf("%q should be used instead of legacy %q format", what+" key=value", what+" key value"), "", nil)
	}
}

// checkAdd: ADD of a URL carries a checksum; local files use COPY.
func (a *auditor) checkAdd(c *instructions.AddCommand, line int) {
	for _, src := range c.SourcePaths {
		lower := strings.ToLower(src)
		switch {
		case strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://"):
			if c.Checksum == "" {
				a.add("AddURL", line, fmt.Sprintf("ADD %s downloads a file at build time without verifying it", src), "", nil)
			}
		case isRemote(src):
		case slices.ContainsFunc(archiveSuffixes, func(s string) bool { return strings.HasSuffix(lower, s) }):
		default:
			a.add("AddLocal", line, fmt.Sprintf("ADD %s copies from the build context", src), "", nil)
		}
	}
}

// checkRun: apt hygiene everywhere it matters, and no package cache in
// the final image.
func (a *auditor) checkRun(rf runFacts, final bool, line int) {
	if rf.aptCommand {
		a.add("AptCommand", line, "RUN calls apt, whose command-line interface is not stable for scripts", "", nil)
	}
	if rf.aptInstall && rf.aptNoYes {
		a.add("AptYes", line, "apt-get install without -y asks for confirmation the build cannot give", "", nil)
	}
	if !final {
		return // what a build stage leaves behind does not ship
	}
	if rf.aptInstall && !rf.aptNoRecommends {
		a.add("AptNoRecommends", line, "apt-get install in the final image without --no-install-recommends", "", nil)
	}
	if (rf.aptUpdate || rf.aptInstall) && !rf.aptListsCleaned {
		a.add("AptLists", line, "apt-get leaves /var/lib/apt/lists in this layer of the final image", "", nil)
	}
	if rf.pipCache && !rf.pipNoCache {
		a.add("PackageCache", line, "pip install keeps its download cache (/root/.cache/pip) in the final image", "Add --no-cache-dir, or mount a cache: RUN --mount=type=cache,target=/root/.cache/pip pip install ...", nil)
	}
	if rf.npmCache && !rf.npmCleaned {
		a.add("PackageCache", line, fmt.Sprintf("%s keeps its download cache in the final image", rf.cacheTool), "Mount the cache (RUN --mount=type=cache,target=/root/.npm for npm, /usr/local/share/.cache/yarn for yarn), or run npm cache clean --force / yarn cache clean in the same RUN.", nil)
	}
	if rf.apkCache && !rf.apkNoCache {
		a.add("PackageCache", line, "apk add keeps its package index in /var/cache/apk in the final image", "Use apk add --no-cache.", nil)
	}
}

// checkManifestsBeforeSource: in each stage, the first copy of the whole
// build context comes after the dependency install that could have run
// on the manifests alone.
func (a *auditor) checkManifestsBeforeSource(s *stage) {
	if s.parent != nil && a.installsDeps(s.parent) {
		return
	}
	copyLine := 0
	for _, c := range s.Commands {
		switch c := c.(type) {
		case *instructions.RunCommand:
			rf := a.runs[c]
			if rf.depManager == "" {
				continue
			}
			if copyLine == 0 || rf.depNeedsSource {
				return // installed before the source, or the install needs it
			}
			a.add("ManifestsBeforeSource", copyLine, fmt.Sprintf("the whole build context is copied before the %s install at line %d, so any source change reinstalls every dependency", managerName(rf.depManager), lineOf(c)), "Copy the dependency manifests first (e.g. COPY package.json package-lock.json ./), install, then COPY . .", nil)
			return
		case *instructions.CopyCommand:
			if c.From != "" {
				if from := a.f.lookupStage(c.From, s.index); from != nil && a.installsDeps(from) {
					return
				}
				continue
			}
			if copyLine == 0 && slices.ContainsFunc(c.SourcePaths, isWholeTree) {
				copyLine = lineOf(c)
			}
		case *instructions.AddCommand:
			if copyLine == 0 && slices.ContainsFunc(c.SourcePaths, isWholeTree) {
				copyLine = lineOf(c)
			}
		}
	}
}

// installsDeps reports whether s or a stage it is built FROM installs
// dependencies.
func (a *auditor) installsDeps(s *stage) bool {
	for _, e := range s.chain() {
		for _, c := range e.Commands {
			if r, ok := c.(*instructions.RunCommand); ok && a.runs[r].depManager != "" {
				return true
			}
		}
	}
	return false
}

// cacheTargetsByManager are the cache folders of each package manager as
// root in the official images.
var cacheTargetsByManager = map[string]string{
	"npm": "/root/.npm", "yarn": "/usr/local/share/.cache/yarn", "pnpm": "/root/.local/share/pnpm/store",
	"bun": "/root/.bun/install/cache", "pip": "/root/.cache/pip", "uv": "/root/.cache/uv",
	"poetry": "/root/.cache/pypoetry", "pipenv": "/root/.cache/pipenv", "pdm": "/root/.cache/pdm",
	"gomod": "/go/pkg/mod", "bundler": "/usr/local/bundle/cache", "composer": "/root/.composer/cache",
}

// checkCacheMount: a file that installs dependencies mounts a cache for
// them somewhere.
func (a *auditor) checkCacheMount() {
	var first *instructions.RunCommand
	for _, s := range a.f.stages {
		for _, c := range s.Commands {
			r, ok := c.(*instructions.RunCommand)
			if !ok {
				continue
			}
			if len(cacheTargets(r)) > 0 {
				return
			}
			if first == nil && a.runs[r].depManager != "" {
				first = r
			}
		}
	}
	if first == nil {
		return
	}
	m := a.runs[first].depManager
	fix := fmt.Sprintf("Mount the %s cache on the install: RUN --mount=type=cache,target=%s %s", managerName(m), cacheTargetsByManager[m], strings.Join(first.CmdLine, " "))
	var suggested []string
	if samePackageManager(a.c.Suggest.PackageManager, m) {
		suggested = a.c.Suggest.CacheMount
	}
	a.add("CacheMount", lineOf(first), fmt.Sprintf("no RUN mounts a cache, so every rebuild downloads the %s dependencies again", managerName(m)), fix, suggested)
}

// managerName is how messages name a package manager.
func managerName(m string) string {
	if m == "gomod" {
		return "Go module"
	}
	return m
}

// samePackageManager compares a plan's package manager with one seen in
// a RUN.
func samePackageManager(plan, seen string) bool {
	return plan != "" && (plan == seen || plan == "yarn-berry" && seen == "yarn")
}

// checkArgs checks ARG names and defaults for secrets.
func (a *auditor) checkArgs(args []instructions.ArgCommand) {
	for _, arg := range args {
		for _, kv := range arg.Args {
			v := ""
			if kv.Value != nil {
				v = *kv.Value
			}
			a.checkSecret("ARG", kv.Key, v, lineOf(&arg))
		}
	}
}

// auditNotSecretWords name where a secret is or describe one, not the
// secret itself (GPG_KEY is the fingerprint a download is checked with).
var auditNotSecretWords = append(slices.Clone(notSecretWords), "gpg", "pgp", "fingerprint", "name", "header", "length", "id", "host", "port", "user", "username",
	"mode", "type", "algorithm", "issuer", "enabled", "enable", "disabled", "method", "provider", "endpoint", "uri", "timeout", "ttl", "expiry", "scope", "realm")

// flagValues are values no secret has: switches.
var flagValues = []string{"true", "false", "yes", "no", "on", "off", "enabled", "disabled"}

// checkSecret: a secret-looking name or value in ARG or ENV. A value that
// is an absolute path names where a secret is read from at run time.
func (a *auditor) checkSecret(what, name, value string, line int) {
	if secretValue.MatchString(value) {
		a.add("SecretInArgEnv", line, fmt.Sprintf("%s %s holds what looks like a credential", what, name), "", nil)
		return
	}
	if strings.HasPrefix(value, "/") || slices.Contains(flagValues, strings.ToLower(value)) {
		return
	}
	if secretName(name, auditNotSecretWords) {
		a.add("SecretInArgEnv", line, fmt.Sprintf("%s %s looks like a secret, and its value is stored in the image", what, name), "", nil)
	}
}

// parseFileLint is parseFile with BuildKit's instruction-level checks
// reported to lint.
func parseFileLint(dt []byte, lint *linter.Linter) (*file, error) {
	r, err := parser.Parse(bytes.NewReader(dt))
	if err != nil {
		return nil, fmt.Errorf("parse Dockerfile: %w", err)
	}
	for _, w := range r.Warnings {
		if w.Location != nil {
			lint.Run(&linter.RuleNoEmptyContinuation, []parser.Range{*w.Location}, w.Short)
		}
	}
	return expandFile(dt, r, lint)
}
