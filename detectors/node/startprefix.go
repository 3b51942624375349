package node

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// compileRe matches a script that writes build output: a compiler,
// bundler or stylesheet processor. A start script's step that runs one
// belongs to the image build; the container cannot rebuild at each start
// (its files are read-only and dev dependencies are pruned).
var compileRe = regexp.MustCompile(`(^|[\s;&|(])(npx\s+|pnpm\s+exec\s+|yarn\s+)?(tsc|sass|node-sass|less|lessc|stylus|postcss|tailwindcss|vite\s+build|webpack|rollup|esbuild|babel|swc|parcel\s+build|tsup|ng\s+build|vue-cli-service\s+build|react-scripts\s+build|nest\s+build|gulp|grunt)(\s|$)`)

// tscRe matches a script that runs the TypeScript compiler.
var tscRe = regexp.MustCompile(`(^|[\s;&|(])(npx\s+)?(tsc|nest\s+build)(\s|$)`)

// andList splits a script made of commands joined by && into their
// texts, or returns nil when it is one command or uses any other
// operator (||, ;, |, &, redirections on the list).
func andList(s string) []string {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(s), "")
	if err != nil || len(f.Stmts) != 1 {
		return nil
	}
	var parts []string
	var walk func(st *syntax.Stmt) bool
	walk = func(st *syntax.Stmt) bool {
		if st.Background || st.Negated || len(st.Redirs) > 0 {
			return false
		}
		if b, ok := st.Cmd.(*syntax.BinaryCmd); ok {
			return b.Op == syntax.AndStmt && walk(b.X) && walk(b.Y)
		}
		if _, ok := st.Cmd.(*syntax.CallExpr); !ok {
			return false
		}
		var sb strings.Builder
		if syntax.NewPrinter().Print(&sb, st) != nil {
			return false
		}
		parts = append(parts, strings.TrimSpace(sb.String()))
		return true
	}
	if !walk(f.Stmts[0]) || len(parts) < 2 {
		return nil
	}
	return parts
}

// buildStep is one command a start script runs before the server that
// the image runs at build time instead.
type buildStep struct {
	cmd    string // the command the build stage runs
	script string // the text it runs, to look for tsc in
	name   string // the package.json script it runs, "" for a command
}

// startPrefix returns the build steps of a start script's && prefix and
// the command left to start, or ok false when a prefix step is not a
// build (a migration, a seed: the image cannot drop or move those).
func (a *nodeApp) startPrefix(s string) (steps []buildStep, last string, ok bool) {
	parts := andList(s)
	if parts == nil {
		return nil, "", false
	}
	for _, p := range parts[:len(parts)-1] {
		st, isBuild := a.prefixStep(p)
		if !isBuild {
			return nil, "", false
		}
		steps = append(steps, st)
	}
	return steps, parts[len(parts)-1], true
}

// prefixStep turns one step of a start script into a build command: an
// `npm run X` whose script compiles, or a compiler run directly.
func (a *nodeApp) prefixStep(p string) (buildStep, bool) {
	words, _, ok := scriptWords(p)
	if !ok || len(words) == 0 {
		return buildStep{}, false
	}
	switch words[0] {
	case "npm", "pnpm", "yarn", "bun":
		name := a.pkg.runTarget(words[0], words[1:])
		text := a.pkg.Scripts[name]
		if text == "" || !compileRe.MatchString(a.expandScript(text, 0)) {
			return buildStep{}, false
		}
		return buildStep{cmd: a.runOwnScript(name), script: a.expandScript(text, 0), name: name}, true
	}
	if !compileRe.MatchString(p) || a.ws != nil {
		// A bare compiler in a workspace package would have to run in
		// its folder; dgen only moves `npm run X` steps there.
		return buildStep{}, false
	}
	return buildStep{cmd: binRunners[a.det.PackageManager] + " " + p, script: p}, true
}

// expandScript returns a script's text followed by the texts of the
// scripts it runs with `npm run X`, a few hops deep, so a compiler two
// scripts away is seen.
func (a *nodeApp) expandScript(text string, hops int) string {
	if hops >= maxScriptHops {
		return text
	}
	out := text
	for _, words := range scriptSegments(text) {
		if len(words) < 2 {
			continue
		}
		switch words[0] {
		case "npm", "pnpm", "yarn", "bun":
			if next := a.pkg.runTarget(words[0], words[1:]); a.pkg.Scripts[next] != "" {
				out += "\n" + a.expandScript(a.pkg.Scripts[next], hops+1)
			}
		}
	}
	return out
}

// runOwnScript is the build-stage command that runs one of the app's
// scripts: at the root, or in the app's workspace package.
func (a *nodeApp) runOwnScript(name string) string {
	if ws := a.det.Node.Workspace; ws != nil && ws.App != "" {
		return runInPackage(a.det.PackageManager, facts.NodeWorkspacePackage{Dir: ws.App, Name: ws.AppName}, name)
	}
	return runScript(a.det.PackageManager, name)
}

// preHook returns the build step of the pre<script> hook the package
// manager runs before scripts.<script>, if there is one.
func (a *nodeApp) preHook(script string) (buildStep, bool) {
	hook := "pre" + script
	text := a.pkg.Scripts[hook]
	if text == "" || !a.runsPreHooks() {
		return buildStep{}, false
	}
	return buildStep{cmd: a.runOwnScript(hook), script: a.expandScript(text, 0), name: hook}, true
}

// runsPreHooks reports whether the package manager runs pre<script>
// hooks: npm, Yarn 1 and Bun do; Yarn 2+ never does, and pnpm 7+ only
// with enable-pre-post-scripts in .npmrc.
func (a *nodeApp) runsPreHooks() bool {
	switch a.det.PackageManager {
	case facts.NodeYarnBerry:
		return false
	case facts.NodePNPM:
		data, err := repo.ReadPrefix(a.root, ".npmrc", 64<<10)
		return err == nil && enablePrePostRe.Match(data)
	}
	return true
}

var enablePrePostRe = regexp.MustCompile(`(?m)^\s*enable-pre-post-scripts\s*=\s*true\b`)

// moveToBuild appends start-script steps to the image's build command,
// skipping one the build already runs, and cites them.
func (a *nodeApp) moveToBuild(script string, steps []buildStep) {
	det, nf := a.det, a.det.Node
	for _, st := range steps {
		if strings.Contains(" && "+det.Build+" && ", " && "+st.cmd+" && ") {
			continue
		}
		if det.Build != "" && (st.name != "" && st.name == nf.BuildScriptName || st.script == nf.BuildScript) {
			// The build runs this script already, through turbo, Nx or
			// a workspace filter.
			continue
		}
		if det.Build == "" {
			det.Build = st.cmd
		} else {
			det.Build += " && " + st.cmd
		}
		if nf.BuildScript == "" {
			nf.BuildScript = st.script
		}
		a.movedScripts = append(a.movedScripts, st.script)
		det.Cite("build", a.rel("package.json"), a.pkg.keyLine("scripts", script), "scripts."+script+" runs "+st.cmd+" before the server; the image runs it at build time")
		det.Notef("scripts.%s builds files before starting (%s); the image runs that step in the build stage, since the running container cannot write them", script, st.cmd)
	}
}

// buildRunsTsc reports whether the image's build compiles TypeScript.
func (a *nodeApp) buildRunsTsc() bool {
	if tscRe.MatchString(a.expandScript(a.det.Node.BuildScript, 0)) {
		return true
	}
	for _, s := range a.movedScripts {
		if tscRe.MatchString(s) {
			return true
		}
	}
	return false
}

// compiledEntry maps a TypeScript file the start runs to the .js file
// tsc writes for it in tsconfig's outDir, when the build runs tsc.
func (a *nodeApp) compiledEntry(f string) (string, bool) {
	f = strings.TrimPrefix(path.Clean(f), "./")
	if !strings.HasSuffix(f, ".ts") || strings.HasSuffix(f, ".d.ts") || !a.buildRunsTsc() {
		return "", false
	}
	outDir, rootDir := tsconfigDirs(a.fsys)
	r := f
	switch {
	case rootDir != "" && rootDir != ".":
		r = strings.TrimPrefix(f, rootDir+"/")
	case rootDir == "" && strings.HasPrefix(f, "src/"):
		// Without rootDir, tsc roots its output at the inputs' common
		// folder: src/ when the sources live there.
		r = strings.TrimPrefix(f, "src/")
	}
	return path.Join(outDir, strings.TrimSuffix(r, ".ts")+".js"), true
}

// nodeValueFlags are node options whose value is the next word.
var nodeValueFlags = []string{"-r", "--require", "--loader", "--experimental-loader", "--import"}

// tsLoaderRe matches a loader that runs TypeScript sources, which the
// compiled .js does not need (and which is a pruned dev dependency).
var tsLoaderRe = regexp.MustCompile(`^(ts-node|tsx|@swc-node/register|esbuild-register)(/|$)`)

// compiledArgs finds the first non-flag argument of a start command and,
// when it is a TypeScript file the build compiles, returns the flags
// before it (without TypeScript loaders), its compiled .js and the
// program's arguments after it.
func (a *nodeApp) compiledArgs(args []string) (flags []string, out string, rest []string) {
	for i := 0; i < len(args); i++ {
		w := args[i]
		if slices.Contains(nodeValueFlags, w) && i+1 < len(args) {
			if !tsLoaderRe.MatchString(args[i+1]) {
				flags = append(flags, w, args[i+1])
			}
			i++
			continue
		}
		if strings.HasPrefix(w, "-") {
			if v, ok := strings.CutPrefix(w, "--loader="); !ok || !tsLoaderRe.MatchString(v) {
				flags = append(flags, w)
			}
			continue
		}
		if js, ok := a.compiledEntry(w); ok {
			return flags, js, args[i+1:]
		}
		return nil, "", nil
	}
	return nil, "", nil
}
