package rules

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"mvdan.cc/sh/v3/syntax"
)

// defaultShell is what BuildKit runs a shell-form RUN with on Linux.
var defaultShell = []string{"/bin/sh", "-c"}

// runState is what one RUN body has done so far, in source order.
type runState struct {
	pipefail        bool // set -o pipefail ran, or the SHELL sets it
	pipeReported    bool
	cdReported      bool
	aptUsed         bool // apt-get update/install/upgrade fills /var/lib/apt/lists
	aptListsCleaned bool // rm -rf /var/lib/apt/lists/...
}

// checkRun parses a RUN body with the shell it runs under and applies the
// hadolint rules for shell commands: DL3003 (cd), DL3009/3014/3015
// (apt-get), DL3027 (apt), DL3042 (pip cache), DL4006 (pipefail).
// env holds the ENV names set so far in the stage and its parents.
func (p *policy) checkRun(s *stage, r *instructions.RunCommand, sh []string, env map[string]bool, line int) {
	script, argv, ok := runScript(r, sh)
	if !ok {
		return
	}
	lang, pipefail, ok := shellVariant(argv)
	if !ok {
		return // not a POSIX-family shell: nothing to parse it with
	}
	f, err := syntax.NewParser(syntax.Variant(lang)).Parse(strings.NewReader(script), "")
	if err != nil {
		p.addf("ShellSyntax", line, "RUN body is not valid %s (%s runs it): %v", lang, argv[0], err)
		return
	}
	caches := cacheTargets(r)
	st := &runState{pipefail: pipefail}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.BinaryCmd:
			if (n.Op == syntax.Pipe || n.Op == syntax.PipeAll) && !st.pipefail && !st.pipeReported {
				st.pipeReported = true
				p.addf("DL4006", line, "RUN uses a pipe without set -o pipefail, so a failing command before | is ignored; start the RUN with set -o pipefail &&")
			}
		case *syntax.CallExpr:
			p.checkCall(s, n, st, caches, env, line)
		}
		return true
	})
	if st.aptUsed && !st.aptListsCleaned && !slices.ContainsFunc(caches, func(t string) bool { return isUnder("/var/lib/apt/lists", t) }) {
		p.addf("DL3009", line, "apt-get leaves its package lists in the layer; end the RUN with rm -rf /var/lib/apt/lists/* or mount a cache on /var/lib/apt")
	}
}

// runScript is the shell script r runs and the shell argv that runs it. A
// shell-form RUN runs under the stage's SHELL; an exec-form RUN is only a
// script when it calls a shell with -c.
func runScript(r *instructions.RunCommand, sh []string) (script string, argv []string, ok bool) {
	if r.PrependShell {
		return strings.Join(r.CmdLine, " "), sh, len(sh) > 0
	}
	for i := 1; i+1 < len(r.CmdLine); i++ {
		a := r.CmdLine[i]
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.HasSuffix(a, "c") {
			return r.CmdLine[i+1], r.CmdLine[:i+1], true
		}
	}
	return "", nil, false
}

// shellVariant is the language a shell argv speaks and whether it turns
// pipefail on (SHELL ["/bin/bash", "-o", "pipefail", "-c"]).
func shellVariant(argv []string) (syntax.LangVariant, bool, bool) {
	var lang syntax.LangVariant
	switch path.Base(argv[0]) {
	case "bash":
		lang = syntax.LangBash
	case "sh", "dash", "ash":
		lang = syntax.LangPOSIX
	case "mksh":
		lang = syntax.LangMirBSDKorn
	default:
		return 0, false, false
	}
	return lang, setsPipefail(argv[1:]), true
}

// setsPipefail reports whether shell options args (as given to set or to
// the shell) include -o pipefail, also combined as in -euo pipefail.
func setsPipefail(args []string) bool {
	for i := 0; i+1 < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.HasSuffix(a, "o") && args[i+1] == "pipefail" {
			return true
		}
	}
	return false
}

// pipName matches pip, pip3, pip3.13; pythonName python, python3, python3.13.
var (
	pipName    = regexp.MustCompile(`^pip[0-9.]*$`)
	pythonName = regexp.MustCompile(`^python[0-9.]*$`)
)

// checkCall applies the per-command rules to one simple command.
func (p *policy) checkCall(s *stage, c *syntax.CallExpr, st *runState, caches []string, env map[string]bool, line int) {
	args := callWords(c)
	if len(args) == 0 {
		return
	}
	name := path.Base(args[0])
	switch {
	case name == "cd" || name == "pushd":
		if !st.cdReported {
			st.cdReported = true
			p.addf("DL3003", line, "RUN changes directory with %s; set WORKDIR instead, so every later instruction sees the same directory", name)
		}
	case name == "set":
		st.pipefail = st.pipefail || setsPipefail(args[1:])
	case name == "apt":
		p.addf("DL3027", line, "apt is meant for terminals and its interface is not stable; use apt-get")
	case name == "apt-get":
		p.checkAptGet(s, args[1:], st, line)
	case name == "apk" && firstOperand(args[1:]) == "add":
		for _, pkg := range operands(args[1:])[1:] {
			p.installs = append(p.installs, install{stage: s, line: line, pkg: packageName(pkg)})
		}
	case name == "rm":
		for _, a := range args[1:] {
			if isUnder(strings.TrimSuffix(a, "/*"), "/var/lib/apt/lists") {
				st.aptListsCleaned = true
			}
		}
	}
	pipArgs, isPip := pipCommand(args)
	if !isPip || firstOperand(pipArgs) != "install" {
		return
	}
	noCache := env["PIP_NO_CACHE_DIR"] || slices.ContainsFunc(c.Assigns, func(a *syntax.Assign) bool {
		return a.Name != nil && a.Name.Value == "PIP_NO_CACHE_DIR"
	})
	for i, a := range pipArgs {
		if a == "--no-cache-dir" {
			noCache = true
		}
		dir, ok := strings.CutPrefix(a, "--cache-dir=")
		if !ok && a == "--cache-dir" && i+1 < len(pipArgs) {
			dir, ok = pipArgs[i+1], true
		}
		if ok && slices.ContainsFunc(caches, func(t string) bool { return isUnder(dir, t) }) {
			noCache = true
		}
	}
	if slices.ContainsFunc(caches, func(t string) bool { return path.Base(t) == "pip" || strings.Contains(t, "/.cache/pip") }) {
		noCache = true
	}
	if !noCache {
		p.addf("DL3042", line, "pip install keeps its download cache in the layer; add --no-cache-dir or mount a cache on /root/.cache/pip")
	}
}

// checkAptGet: apt-get install runs unattended (-y, DL3014) without
// recommended extras (--no-install-recommends, DL3015); installs are
// recorded for the runtime-stage rules.
func (p *policy) checkAptGet(s *stage, args []string, st *runState, line int) {
	sub := firstOperand(args)
	switch sub {
	case "update", "install", "upgrade", "dist-upgrade", "full-upgrade":
		st.aptUsed = true
	}
	if sub != "install" {
		return
	}
	if !slices.ContainsFunc(args, isYesFlag) {
		p.addf("DL3014", line, "apt-get install without -y waits for an answer no build can give; add -y")
	}
	noRecommends := slices.ContainsFunc(args, func(a string) bool {
		return a == "--no-install-recommends" || strings.EqualFold(a, "APT::Install-Recommends=false") || strings.EqualFold(a, "APT::Install-Recommends=0")
	})
	if !noRecommends {
		p.addf("DL3015", line, "apt-get install without --no-install-recommends pulls in packages nobody asked for; add it")
	}
	for _, pkg := range operands(args)[1:] {
		p.installs = append(p.installs, install{stage: s, line: line, pkg: packageName(pkg)})
	}
}

// valueFlags are apt-get/apk options that take the next word as value.
var valueFlags = []string{"-o", "-c", "-t", "--option", "--config-file", "--target-release", "-X", "--repository"}

// operands are the words of args that are not options or option values.
func operands(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case slices.Contains(valueFlags, a):
			i++
		case strings.HasPrefix(a, "-"):
		default:
			out = append(out, a)
		}
	}
	return out
}

// firstOperand is the subcommand in args, or "".
func firstOperand(args []string) string {
	if ops := operands(args); len(ops) > 0 {
		return ops[0]
	}
	return ""
}

// packageName strips a version or architecture: curl=8.5.0-2 → curl.
func packageName(pkg string) string {
	pkg, _, _ = strings.Cut(pkg, "=")
	pkg, _, _ = strings.Cut(pkg, ":")
	return pkg
}

// pipCommand returns pip's own arguments if args run pip (pip3 ... or
// python3 -m pip ...).
func pipCommand(args []string) ([]string, bool) {
	name := path.Base(args[0])
	if pipName.MatchString(name) {
		return args[1:], true
	}
	if pythonName.MatchString(name) {
		for i := 1; i+1 < len(args); i++ {
			if args[i] == "-m" && args[i+1] == "pip" {
				return args[i+2:], true
			}
		}
	}
	return nil, false
}

// callWords are c's arguments as the shell would see them where they are
// plain literals or quoted literals, and "" where they depend on expansion.
func callWords(c *syntax.CallExpr) []string {
	out := make([]string, len(c.Args))
	for i, w := range c.Args {
		out[i] = literal(w)
	}
	return out
}

// literal is w's value if it has no expansions, else "".
func literal(w *syntax.Word) string {
	var b strings.Builder
	for _, part := range w.Parts {
		switch part := part.(type) {
		case *syntax.Lit:
			b.WriteString(part.Value)
		case *syntax.SglQuoted:
			b.WriteString(part.Value)
		case *syntax.DblQuoted:
			for _, q := range part.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return ""
				}
				b.WriteString(l.Value)
			}
		default:
			return ""
		}
	}
	return b.String()
}
