package rules

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// policy checks one parsed Dockerfile against dgen's promises and the
// hadolint rules that matter for generated files. Rule names are hadolint's
// DLxxxx codes where hadolint has the rule, otherwise a dgen name.
type policy struct {
	file     *file
	want     Expect
	image    Image
	findings []Finding
	// installs are the OS packages RUN instructions install, for the
	// runtime-stage rules.
	installs []install
}

// install is one package a RUN installs with apt-get or apk.
type install struct {
	stage *stage
	line  int
	pkg   string
}

// addf records a finding for rule at line (0: the whole file).
func (p *policy) addf(rule string, line int, format string, args ...any) {
	p.findings = append(p.findings, Finding{Rule: rule, Severity: Error, Line: line, Message: fmt.Sprintf(format, args...)})
}

// run runs every rule on the Dockerfile (the .dockerignore rules are
// separate: checkDockerignore).
func (p *policy) run() {
	p.checkDirectives()
	p.checkStages()
	for _, s := range p.file.stages {
		p.checkBaseImage(s)
		p.checkCommands(s)
		p.checkManifestsBeforeSource(s)
	}
	p.checkArgs(p.file.metaArgs, false)
	p.checkCacheMounts()
	p.checkFinalStage()
}

// syntaxLine is the only front end dgen's files ask for: the stable 1.x
// Dockerfile syntax, which Buildah ignores harmlessly.
const syntaxLine = "# syntax=docker/dockerfile:1"

// checkDirectives: the file starts with dgen's syntax line and does not
// switch BuildKit's checks off.
func (p *policy) checkDirectives() {
	first, _, _ := strings.Cut(strings.TrimPrefix(string(p.file.raw), "\ufeff"), "\n")
	first = strings.TrimRight(first, " \t\r")
	if v, _, _, ok := parser.ParseDirective("syntax", p.file.raw); ok && v != "docker/dockerfile:1" {
		p.addf("Syntax", 1, "# syntax=%s asks for another Dockerfile front end; use %q (stable, and what Buildah understands)", v, syntaxLine)
	} else if first != syntaxLine {
		p.addf("Syntax", 1, "the file must start with %q so every builder reads it with the same stable syntax", syntaxLine)
	}
	if v, _, _, ok := parser.ParseDirective("check", p.file.raw); ok && strings.Contains(v, "skip=") {
		p.addf("CheckDirective", 0, "# check=%s switches BuildKit's build checks off; fix the finding instead", v)
	}
}

// checkStages: a build stage and a runtime stage at least, all named.
func (p *policy) checkStages() {
	if n := len(p.file.stages); n < 2 {
		p.addf("MultiStage", 0, "%d stage; build in one stage and copy the result into a runtime stage so compilers and caches stay out of the image", n)
	}
	for _, s := range p.file.stages {
		if s.Name == "" {
			p.addf("NamedStage", stageLine(s), "stage %d has no name; write FROM %s AS <name> so COPY --from and --target stay readable", s.index, s.BaseName)
		}
	}
}

// checkBaseImage: every image a stage starts from is pinned to a tag or
// digest and the tag is not latest (DL3006, DL3007).
func (p *policy) checkBaseImage(s *stage) {
	if s.parent != nil || strings.EqualFold(s.base, "scratch") {
		return
	}
	repo, tag := splitImageRef(s.base)
	switch {
	case tag == "" && !strings.Contains(s.base, "@"):
		p.addf("DL3006", stageLine(s), "FROM %s has no tag; pin one so the build is repeatable", s.base)
	case tag == "latest":
		p.addf("DL3007", stageLine(s), "FROM %s uses the moving tag latest; pin a version (e.g. %s:<version>)", s.base, repo)
	}
}

// checkCommands runs the per-instruction rules of one stage.
func (p *policy) checkCommands(s *stage) {
	sh := defaultShell
	env := map[string]bool{} // ENV names set so far, the parent stages' included
	if s.parent != nil {
		for _, e := range s.parent.chain() {
			for _, c := range e.Commands {
				switch c := c.(type) {
				case *instructions.EnvCommand:
					for _, kv := range c.Env {
						env[kv.Key] = true
					}
				case *instructions.ShellCommand:
					sh = c.Shell
				}
			}
		}
	}
	for _, c := range s.Commands {
		line := lineOf(c)
		switch c := c.(type) {
		case *instructions.CopyCommand:
			if c.From != "" {
				p.checkFrom("COPY --from", c.From, s, line)
			}
			if c.Link {
				p.addf("Portability", line, "COPY --link fails on older Buildah/Podman (Debian 12's included); drop --link")
			}
			if len(c.SourceContents) > 0 {
				p.addf("Portability", line, "COPY with a heredoc fails on older Buildah/Podman; copy a file from the build context instead")
			}
		case *instructions.AddCommand:
			p.checkAdd(c, line)
		case *instructions.RunCommand:
			if len(c.Files) > 0 {
				p.addf("Portability", line, "RUN with a heredoc fails on older Buildah/Podman; join the commands with &&")
			}
			for _, m := range instructions.GetMounts(c) {
				p.checkMount(m, s, line)
			}
			p.checkRun(s, c, sh, env, line)
		case *instructions.ShellCommand:
			sh = c.Shell
		case *instructions.WorkdirCommand:
			if !path.IsAbs(c.Path) {
				p.addf("DL3000", line, "WORKDIR %s is relative, so it depends on the base image's working directory; use an absolute path", c.Path)
			}
		case *instructions.EntrypointCommand:
			if c.PrependShell {
				p.addf("ExecForm", line, "ENTRYPOINT in shell form runs under /bin/sh -c, which does not pass signals on to the app; use the JSON exec form")
			}
		case *instructions.CmdCommand:
			if c.PrependShell {
				p.addf("ExecForm", line, "CMD in shell form runs under /bin/sh -c, which does not pass signals on to the app; use the JSON exec form")
			}
		case *instructions.ArgCommand:
			p.checkArgs([]instructions.ArgCommand{*c}, true)
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				env[kv.Key] = true
				p.checkSecret("ENV", kv.Key, kv.Value, line, true)
			}
		}
	}
}

// checkFrom: a --from names an earlier stage (DL3022). A pinned image
// reference (with a tag or digest) is allowed, as in hadolint: a typo in a
// stage name cannot look like one, whereas a misspelt bare name would
// silently be pulled as an image. A --from of the current stage or of a
// later one (DL3023 and the rest of DL3022) never gets here: BuildKit's
// conversion refuses it ("circular dependency", "needs to be defined
// before"), so Check returns an error.
func (p *policy) checkFrom(what, from string, s *stage, line int) {
	if p.file.lookupStage(from, s.index) != nil {
		return
	}
	if strings.ContainsAny(from, ":@") {
		if _, tag := splitImageRef(from); tag == "latest" {
			p.addf("DL3007", line, "%s=%s uses the moving tag latest; pin a version", what, from)
		}
		return
	}
	var names []string
	for _, e := range p.file.stages[:s.index] {
		if e.Name != "" {
			names = append(names, e.Name)
		}
	}
	p.addf("DL3022", line, "%s=%s names no earlier stage (earlier stages: %s), so it would be pulled as an image", what, from, strings.Join(names, ", "))
}

// archiveSuffixes are what ADD unpacks, the one local use ADD has over COPY.
var archiveSuffixes = []string{".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst"}

// checkAdd: COPY, not ADD, for local files and folders (DL3020).
func (p *policy) checkAdd(c *instructions.AddCommand, line int) {
	if c.Link {
		p.addf("Portability", line, "ADD --link fails on older Buildah/Podman; drop --link")
	}
	if len(c.SourceContents) > 0 {
		p.addf("Portability", line, "ADD with a heredoc fails on older Buildah/Podman")
	}
	for _, src := range c.SourcePaths {
		if isRemote(src) || slices.ContainsFunc(archiveSuffixes, func(s string) bool { return strings.HasSuffix(strings.ToLower(src), s) }) {
			continue
		}
		p.addf("DL3020", line, "ADD %s copies a local file; use COPY, which does no URL fetching or unpacking behind your back", src)
	}
}

// isRemote reports whether an ADD source is a URL or a Git reference.
func isRemote(src string) bool {
	return strings.Contains(src, "://") || strings.HasPrefix(src, "git@")
}

// checkMount: RUN mounts are portable and have absolute targets.
func (p *policy) checkMount(m *instructions.Mount, s *stage, line int) {
	if m.Type == instructions.MountTypeBind {
		p.addf("Portability", line, "RUN --mount=type=bind (target %s): older Buildah caches such a step without looking at the mounted files, so it never reruns; COPY what the step needs", m.Target)
	}
	if m.Target != "" && !path.IsAbs(m.Target) {
		p.addf("MountTarget", line, "RUN --mount=type=%s target %q is relative; use an absolute path so it does not depend on WORKDIR", m.Type, m.Target)
	}
	if m.From != "" {
		p.checkFrom("RUN --mount from", m.From, s, line)
	}
}

// checkCacheMounts: at least one package cache is a cache mount, so a
// rebuild reuses downloads without baking them into a layer.
func (p *policy) checkCacheMounts() {
	for _, s := range p.file.stages {
		for _, c := range s.Commands {
			if r, ok := c.(*instructions.RunCommand); ok && len(cacheTargets(r)) > 0 {
				return
			}
		}
	}
	p.addf("CacheMount", 0, "no RUN --mount=type=cache,target=<absolute path>; mount the package manager's cache so rebuilds reuse downloads and the image does not keep them")
}

// cacheTargets are the targets of r's cache mounts.
func cacheTargets(r *instructions.RunCommand) []string {
	var out []string
	for _, m := range instructions.GetMounts(r) {
		if m.Type == instructions.MountTypeCache {
			out = append(out, m.Target)
		}
	}
	return out
}

// osPackageCaches are the cache mounts of the OS package manager: a RUN
// that mounts only these installs system packages, not the app's
// dependencies.
var osPackageCaches = []string{"/var/cache/apt", "/var/lib/apt", "/var/cache/apk"}

// installsDeps reports whether r is a dependency install in the sense of
// ManifestsBeforeSource: a RUN with a cache mount for a language package
// manager (any cache target outside the OS package caches).
func installsDeps(r *instructions.RunCommand) bool {
	for _, t := range cacheTargets(r) {
		if !slices.ContainsFunc(osPackageCaches, func(c string) bool { return isUnder(t, c) }) {
			return true
		}
	}
	return false
}

// isUnder reports whether p is dir or inside it.
func isUnder(p, dir string) bool {
	p = path.Clean(p)
	return p == dir || strings.HasPrefix(p, dir+"/")
}

// stageInstallsDeps reports whether s or a stage it is built FROM runs a
// dependency install.
func stageInstallsDeps(s *stage) bool {
	for _, c := range s.chain() {
		for _, cmd := range c.Commands {
			if r, ok := cmd.(*instructions.RunCommand); ok && installsDeps(r) {
				return true
			}
		}
	}
	return false
}

// isWholeTree reports whether a COPY/ADD source is the whole build context.
func isWholeTree(src string) bool {
	switch path.Clean(strings.TrimPrefix(src, "/")) {
	case ".", "", "*":
		return true
	}
	return false
}

// checkManifestsBeforeSource holds each stage to "dependencies first":
// the stage's first whole-tree copy from the build context (COPY . <dest>,
// COPY ./ <dest>, COPY * <dest>; not --from) must come after the
// dependencies are in place, that is after any of
//
//   - a RUN in this stage with a cache mount for a language package manager
//     (a target outside /var/cache/apt, /var/lib/apt, /var/cache/apk), which
//     only has the manifests copied before it to work on;
//   - a COPY --from of an earlier stage that runs such a RUN (the runtime
//     stage takes installed dependencies from the build stage);
//   - the same in a stage this one is built FROM.
//
// A source edit then invalidates only the layers after the install.
//
// Two installs need the source itself and are exempt: a vendored Go build
// (go build -mod=vendor: the dependencies are part of the source tree) and
// pip installing the project from its folder (pip install . — setup.py is
// code, and a pyproject.toml without a static dependency list can only be
// resolved with the source present).
func (p *policy) checkManifestsBeforeSource(s *stage) {
	ready := s.parent != nil && stageInstallsDeps(s.parent)
	for _, c := range s.Commands {
		if r, ok := c.(*instructions.RunCommand); ok && needsSource(strings.Join(r.CmdLine, " ")) {
			ready = true
		}
	}
	for _, c := range s.Commands {
		switch c := c.(type) {
		case *instructions.RunCommand:
			ready = ready || installsDeps(c)
		case *instructions.CopyCommand:
			if c.From != "" {
				if from := p.file.lookupStage(c.From, s.index); from != nil && stageInstallsDeps(from) {
					ready = true
				}
				continue
			}
			if p.wholeTreeCopy(c.SourcePaths, ready, "COPY", lineOf(c)) {
				return
			}
		case *instructions.AddCommand:
			if p.wholeTreeCopy(c.SourcePaths, ready, "ADD", lineOf(c)) {
				return
			}
		}
	}
}

// wholeTreeCopy reports whether srcs copy the whole context, and records a
// ManifestsBeforeSource finding if the dependencies are not installed yet.
func (p *policy) wholeTreeCopy(srcs []string, ready bool, what string, line int) bool {
	if !slices.ContainsFunc(srcs, isWholeTree) {
		return false
	}
	if !ready {
		p.addf("ManifestsBeforeSource", line, "%s of the whole build context comes before the dependencies are installed; copy the dependency manifests, install with RUN --mount=type=cache, then copy the source, so a code change does not re-download everything", what)
	}
	return true
}

// checkArgs checks ARG names and defaults for secrets. BuildKit checks
// the ARGs inside stages itself (inStage), not the global ones.
func (p *policy) checkArgs(args []instructions.ArgCommand, inStage bool) {
	for _, a := range args {
		for _, kv := range a.Args {
			v := ""
			if kv.Value != nil {
				v = *kv.Value
			}
			p.checkSecret("ARG", kv.Key, v, lineOf(&a), inStage)
		}
	}
}

var (
	// buildkitSecretName is BuildKit's SecretsUsedInArgOrEnv test (a
	// secret word between underscores or at either end); names it flags
	// are left to it so a finding is not reported twice.
	buildkitSecretName  = regexp.MustCompile(`(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)`)
	buildkitSecretAllow = regexp.MustCompile(`(?i)(?:_|^)(?:public|file|version)(?:_|$)`)
	// secretWords mark a secret in a name split at _, -, . and camelCase
	// (githubToken, db-pass, PRIVATE_PEM): the words BuildKit looks for
	// plus a few it misses.
	secretWords = []string{"apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "pass", "secret", "secrets", "token", "private", "privatekey"}
	// notSecretWords name where a secret is, not the secret itself.
	notSecretWords = []string{"public", "file", "path", "dir", "version", "url"}
	// secretValue matches values that are credentials whatever the name:
	// URLs with a password, private keys and well-known token formats.
	secretValue = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@:\s]+:[^/@\s]+@|-----BEGIN [A-Z ]*PRIVATE KEY|\b(?:ghp_|gho_|ghs_|github_pat_|glpat-|npm_|xox[abprs]-|sk_live_)[A-Za-z0-9_]{8,}|\bAKIA[0-9A-Z]{16}\b`)
)

// checkSecret: ARG and ENV values end up in the image history; secrets
// belong in RUN --mount=type=secret. byBuildKit says BuildKit's
// SecretsUsedInArgOrEnv looks at this name too, so its findings are not
// repeated.
func (p *policy) checkSecret(what, name, value string, line int, byBuildKit bool) {
	if secretValue.MatchString(value) {
		p.addf("Secrets", line, "%s %s holds what looks like a credential; ARG and ENV values are stored in the image, use RUN --mount=type=secret", what, name)
		return
	}
	if byBuildKit && buildkitSecretName.MatchString(name) && !buildkitSecretAllow.MatchString(name) {
		return
	}
	if secretName(name, notSecretWords) {
		p.addf("Secrets", line, "%s %s looks like a secret; ARG and ENV values are stored in the image, use RUN --mount=type=secret", what, name)
	}
}

// secretName reports whether a variable name holds a secret word and none
// of notSecret (words that say where a secret is or describe it).
func secretName(name string, notSecret []string) bool {
	words := nameWords(name)
	in := func(list []string) func(string) bool {
		return func(w string) bool { return slices.Contains(list, w) }
	}
	return !slices.ContainsFunc(words, in(notSecret)) && slices.ContainsFunc(words, in(secretWords))
}

// nameWords splits a variable name into lower-case words at _, -, . and
// camelCase boundaries.
func nameWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case r == '_' || r == '-' || r == '.':
			flush()
			continue
		case i > 0 && r >= 'A' && r <= 'Z' && rs[i-1] >= 'a' && rs[i-1] <= 'z':
			flush()
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// splitImageRef splits an image reference into repository and tag ("" if
// none); a digest is dropped.
func splitImageRef(ref string) (repo, tag string) {
	ref, _, _ = strings.Cut(ref, "@")
	slash := strings.LastIndex(ref, "/")
	if colon := strings.LastIndex(ref, ":"); colon > slash {
		return ref[:colon], ref[colon+1:]
	}
	return ref, ""
}

// stageLine is the line of s's FROM.
func stageLine(s *stage) int {
	if len(s.Location) > 0 {
		return s.Location[0].Start.Line
	}
	return 0
}

// needsSource reports whether a RUN body is an install that can only run
// with the source tree present (see checkManifestsBeforeSource).
func needsSource(body string) bool {
	if strings.Contains(body, "-mod=vendor") {
		return true
	}
	f := strings.Fields(body)
	for i := 0; i+1 < len(f); i++ {
		if f[i] == "pip" && f[i+1] == "install" {
			for _, a := range f[i+2:] {
				if a == "." || a == "./" {
					return true
				}
				if a == "&&" || a == ";" {
					break
				}
			}
		}
	}
	return false
}
