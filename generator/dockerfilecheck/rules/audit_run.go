package rules

import (
	"path"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"mvdan.cc/sh/v3/syntax"
)

// runFacts is what one RUN does, as far as the audit rules care.
type runFacts struct {
	aptUpdate, aptInstall  bool // apt-get update / install ran
	aptNoRecommends        bool // every apt-get install had --no-install-recommends
	aptNoYes               bool // an apt-get install lacked -y
	aptListsCleaned        bool
	aptCommand             bool // apt, not apt-get
	removes                bool // apt-get purge/remove, apk del: build packages leave in the same step
	installs               []string
	apkCache, apkNoCache   bool // apk add without --no-cache / with it or the cache removed
	depManager             string
	depNeedsSource         bool
	pipCache, npmCache     bool   // pip/npm/yarn install that keeps its cache
	cacheTool              string // npm or yarn, for npmCache
	pipNoCache, npmCleaned bool
	dropsPrivileges        bool // gosu, su-exec, setpriv: the entrypoint switches user itself
}

// privilegeDroppers switch to another user at start.
var privilegeDroppers = []string{"gosu", "su-exec", "setpriv", "runuser", "s6-setuidgid", "chpst"}

// analyzeRun parses r's shell body with the shell it runs under.
func analyzeRun(r *instructions.RunCommand, sh []string, env map[string]bool) runFacts {
	var rf runFacts
	script, argv, ok := runScript(r, sh)
	if !ok {
		return rf
	}
	lang, _, ok := shellVariant(argv)
	if !ok {
		return rf
	}
	f, err := syntax.NewParser(syntax.Variant(lang)).Parse(strings.NewReader(script), "")
	if err != nil {
		return rf
	}
	rf.aptNoRecommends = true
	caches := cacheTargets(r)
	syntax.Walk(f, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok {
			rf.call(callWords(c), c, env)
		}
		return true
	})
	cached := func(prefixes ...string) bool {
		return slices.ContainsFunc(caches, func(t string) bool {
			return slices.ContainsFunc(prefixes, func(p string) bool { return strings.Contains(t, p) })
		})
	}
	if slices.ContainsFunc(caches, func(t string) bool { return isUnder("/var/lib/apt/lists", t) }) {
		rf.aptListsCleaned = true
	}
	if cached("/var/cache/apk") {
		rf.apkNoCache = true
	}
	if cached("pip") {
		rf.pipNoCache = true
	}
	if cached(".npm", "yarn") {
		rf.npmCleaned = true
	}
	return rf
}

// call records one simple command.
func (rf *runFacts) call(args []string, c *syntax.CallExpr, env map[string]bool) {
	if len(args) == 0 {
		return
	}
	name := path.Base(args[0])
	if slices.Contains(privilegeDroppers, name) {
		rf.dropsPrivileges = true
	}
	switch name {
	case "apt":
		rf.aptCommand = true
		rf.aptGet(args[1:])
	case "apt-get":
		rf.aptGet(args[1:])
	case "apk":
		switch firstOperand(args[1:]) {
		case "add":
			rf.installs = append(rf.installs, pkgNames(operands(args[1:])[1:])...)
			if slices.Contains(args, "--no-cache") {
				rf.apkNoCache = true
			} else {
				rf.apkCache = true
			}
		case "del":
			rf.removes = true
		}
	case "rm":
		rf.removed(args[1:])
	case "npm", "yarn":
		switch sub := firstOperand(args[1:]); {
		case sub == "cache" && slices.Contains(args, "clean"):
			rf.npmCleaned = true
		case name == "npm" && (sub == "install" || sub == "i" || sub == "ci"), name == "yarn" && sub == "add":
			// Adding packages (npm install -g pnpm, yarn add prisma) fills
			// the download cache as much as a dependency install does.
			rf.npmCache, rf.cacheTool = true, name
		}
	}
	if m, needsSource, ok := dependencyInstall(args); ok {
		if rf.depManager == "" {
			rf.depManager = m
		}
		rf.depNeedsSource = rf.depNeedsSource || needsSource
		switch m {
		case "npm", "yarn":
			rf.npmCache, rf.cacheTool = true, m
		}
	}
	rf.pip(args, c, env)
}

// removed records what an rm deletes: package lists and caches.
func (rf *runFacts) removed(paths []string) {
	for _, a := range paths {
		a = strings.TrimSuffix(strings.TrimSuffix(a, "*"), "/")
		if isUnder(a, "/var/lib/apt/lists") || a == "/var/lib/apt" {
			rf.aptListsCleaned = true
		}
		if isUnder(a, "/var/cache/apk") {
			rf.apkNoCache = true
		}
		if strings.Contains(a, ".cache/pip") {
			rf.pipNoCache = true
		}
		if strings.Contains(a, ".npm") || strings.Contains(a, "yarn") {
			rf.npmCleaned = true
		}
	}
}

// pip records whether a pip install keeps its cache.
func (rf *runFacts) pip(args []string, c *syntax.CallExpr, env map[string]bool) {
	pipArgs, isPip := pipCommand(args)
	if !isPip || firstOperand(pipArgs) != "install" {
		return
	}
	if env["PIP_NO_CACHE_DIR"] || slices.Contains(pipArgs, "--no-cache-dir") || slices.ContainsFunc(c.Assigns, func(a *syntax.Assign) bool {
		return a.Name != nil && a.Name.Value == "PIP_NO_CACHE_DIR"
	}) {
		rf.pipNoCache = true
	} else {
		rf.pipCache = true
	}
}

// aptGet records an apt-get (or apt) command line.
func (rf *runFacts) aptGet(args []string) {
	switch firstOperand(args) {
	case "update":
		rf.aptUpdate = true
	case "purge", "remove", "autoremove":
		rf.removes = true
	case "install":
		rf.aptInstall = true
		if !slices.ContainsFunc(args, func(a string) bool {
			return a == "--no-install-recommends" || strings.EqualFold(a, "APT::Install-Recommends=false") || strings.EqualFold(a, "APT::Install-Recommends=0")
		}) {
			rf.aptNoRecommends = false
		}
		if !slices.ContainsFunc(args, isYesFlag) {
			rf.aptNoYes = true
		}
		rf.installs = append(rf.installs, pkgNames(operands(args)[1:])...)
	}
}

// isYesFlag reports whether an apt-get option answers yes.
func isYesFlag(a string) bool {
	switch {
	case a == "--yes" || a == "--assume-yes" || a == "-qq" || a == "--quiet=2" || a == "-q=2":
		return true
	case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--"):
		return strings.Contains(a, "y")
	}
	return false
}

// pkgNames strips versions and architectures from package operands.
func pkgNames(ops []string) []string {
	out := make([]string, 0, len(ops))
	for _, o := range ops {
		out = append(out, packageName(o))
	}
	return out
}

// isWordStart reports whether b can start a subcommand name.
func isWordStart(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// installCommand is how one package manager installs a project's
// dependencies: the subcommands that do ("" for the bare command), and
// whether naming packages (npm install express) or -g makes it a tool
// install instead.
type installCommand struct {
	manager   string
	subs      []string
	bareOnly  bool
	subOffset int // the subcommand is the n-th operand (go mod download: 1)
}

// installCommands are the dependency installs by program name.
var installCommands = map[string]installCommand{
	"npm":      {manager: "npm", subs: []string{"ci", "install", "i"}, bareOnly: true},
	"yarn":     {manager: "yarn", subs: []string{"", "install"}},
	"pnpm":     {manager: "pnpm", subs: []string{"install", "i", "fetch"}, bareOnly: true},
	"bun":      {manager: "bun", subs: []string{"install"}, bareOnly: true},
	"poetry":   {manager: "poetry", subs: []string{"install", "sync"}},
	"pdm":      {manager: "pdm", subs: []string{"install", "sync"}},
	"pipenv":   {manager: "pipenv", subs: []string{"install", "sync"}, bareOnly: true},
	"uv":       {manager: "uv", subs: []string{"sync"}},
	"go":       {manager: "gomod", subs: []string{"download"}, subOffset: 1},
	"bundle":   {manager: "bundler", subs: []string{"", "install"}},
	"composer": {manager: "composer", subs: []string{"install"}},
}

// dependencyInstall reports whether args install the project's
// dependencies (not a tool), with which package manager, and whether the
// install needs the source tree itself (pip install .).
func dependencyInstall(args []string) (manager string, needsSource, ok bool) {
	ops := operands(args[1:])
	if ic, found := installCommands[path.Base(args[0])]; found {
		sub := ""
		if len(ops) > ic.subOffset {
			sub = ops[ic.subOffset]
		}
		if sub != "" && !isWordStart(sub[0]) {
			// The value of an option (yarn --network-timeout 600000), not a
			// subcommand.
			sub, ops = "", ops[:ic.subOffset]
		}
		if ic.subOffset > 0 && (len(ops) == 0 || ops[0] != "mod") {
			return "", false, false
		}
		global := slices.ContainsFunc(args, func(a string) bool { return a == "-g" || a == "--global" })
		if slices.Contains(ic.subs, sub) && (!ic.bareOnly || len(ops) <= 1 && !global) {
			return ic.manager, false, true
		}
		return "", false, false
	}
	pipArgs, isPip := pipCommand(args)
	if !isPip || firstOperand(pipArgs) != "install" {
		return "", false, false
	}
	pkgs := operands(pipArgs)[1:]
	if slices.Contains(pkgs, ".") || slices.Contains(pkgs, "./") {
		return "pip", true, true
	}
	if slices.ContainsFunc(pipArgs, func(a string) bool {
		return a == "-r" || a == "--requirement" || strings.HasPrefix(a, "--requirement=") || strings.HasPrefix(a, "-r") && len(a) > 2
	}) {
		return "pip", false, true
	}
	return "", false, false
}
