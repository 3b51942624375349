package node

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/detectors/shellwords"
)

// maxScriptHops bounds how many `npm run other` indirections startScript
// follows from scripts.start.
const maxScriptHops = 3

// startScript parses scripts.start into an argv that runs node (or bun)
// directly. It sets Start and returns it, or returns nil when the script
// is not a plain command (&&, pipes, a dev server).
func (a *nodeApp) startScript() []string {
	script := "start"
	s := a.pkg.Scripts[script]
	var steps []buildStep
	for hop := 0; s != "" && hop < maxScriptHops; hop++ {
		if st, ok := a.preHook(script); ok {
			steps = append(steps, st)
		}
		words, env, ok := scriptWords(s)
		if !ok {
			pre, last, isBuild := a.startPrefix(s)
			if !isBuild {
				a.det.Notef("scripts.%s (%s) is not a single command; dgen runs node directly instead of it", script, s)
				return nil
			}
			steps = append(steps, pre...)
			words, env, _ = scriptWords(last)
		}
		if len(words) == 0 {
			return nil
		}
		a.movedScripts = scriptsOf(steps)
		argv, next := a.scriptArgv(script, words)
		if next != "" {
			script, s = next, a.pkg.Scripts[next]
			continue
		}
		a.movedScripts = nil
		if argv != nil {
			a.moveToBuild(script, steps)
			a.useScript(script, argv, env)
			a.dotenvNote(script, s)
		}
		return argv
	}
	return nil
}

// scriptsOf returns the script texts of build steps.
func scriptsOf(steps []buildStep) []string {
	var out []string
	for _, st := range steps {
		out = append(out, st.script)
	}
	return out
}

// envRunners are commands that set variables and run the rest of their
// arguments: `cross-env NODE_ENV=production node app.js`.
var envRunners = []string{"cross-env", "env", "dotenv"}

// scriptWords splits a package.json script with the shell's quoting rules
// into the command's words and the NAME=value settings made for it
// (leading assignments, or arguments of an env runner). ok is false when
// the script is more than one plain command (&&, pipes, redirections,
// expansions, globs): package managers run scripts with sh, and dgen runs
// the command without one.
func scriptWords(s string) (words, env []string, ok bool) {
	c, err := shellwords.Parse(s, shellwords.Options{Assigns: true})
	if err != nil {
		return nil, nil, false
	}
	for _, k := range slices.Sorted(maps.Keys(c.Env)) {
		env = append(env, k+"="+c.Env[k])
	}
	words = c.Argv
	for len(words) > 0 && (strings.Contains(words[0], "=") || slices.Contains(envRunners, words[0])) {
		if strings.Contains(words[0], "=") {
			env = append(env, words[0])
		}
		runner := words[0]
		words = words[1:]
		if runner == "dotenv" {
			var set []string
			words, set, _ = dotenvFlags(words)
			env = append(env, set...)
		}
		if len(words) > 0 && words[0] == "--" {
			words = words[1:]
		}
	}
	return words, env, true
}

// dotenvFlags takes dotenv-cli's options off the front of its arguments:
// -e FILE (files, returned), -v NAME=value (settings, returned), -c [env]
// and the other flags. Everything after "--" is the command.
func dotenvFlags(words []string) (rest, set, files []string) {
	if i := slices.Index(words, "--"); i >= 0 {
		head := words[:i]
		for j := 0; j+1 < len(head); j++ {
			switch head[j] {
			case "-e":
				files = append(files, head[j+1])
			case "-v":
				set = append(set, head[j+1])
			}
		}
		return words[i:], set, files
	}
	for len(words) > 0 && strings.HasPrefix(words[0], "-") && words[0] != "--" {
		flag := words[0]
		words = words[1:]
		if (flag == "-e" || flag == "-v" || flag == "-p") && len(words) > 0 {
			switch flag {
			case "-e":
				files = append(files, words[0])
			case "-v":
				set = append(set, words[0])
			}
			words = words[1:]
		}
	}
	return words, set, files
}

// dotenvNote says that the env files a start script loads with
// dotenv-cli are not in the image: dgen runs the command without the
// runner and the .dockerignore drops .env files.
func (a *nodeApp) dotenvNote(script, s string) {
	c, err := shellwords.Parse(s, shellwords.Options{Assigns: true})
	if err != nil {
		return
	}
	i := slices.Index(c.Argv, "dotenv")
	if i < 0 {
		return
	}
	_, _, files := dotenvFlags(c.Argv[i+1:])
	if len(files) == 0 {
		files = []string{".env"}
	}
	a.det.Notef("scripts.%s loads %s with dotenv-cli; the image runs the command without it, and the .dockerignore keeps .env files out of the image (they may hold secrets): pass the variables with docker run --env-file %s or -e NAME=value", script, strings.Join(files, ", "), files[0])
}

// scriptBins are CLIs whose script dgen runs with node directly, so the
// image needs no package manager or shell at run time.
var scriptBins = map[string]string{
	"next":               "node_modules/next/dist/bin/next",
	"remix-serve":        "node_modules/@remix-run/serve/dist/cli.js",
	"react-router-serve": "node_modules/@react-router/serve/dist/cli.js",
}

// scriptArgv maps a script's words to the argv the image runs, or names
// the script to follow next (npm run serve), or returns neither when the
// command is not one dgen can run directly.
func (a *nodeApp) scriptArgv(script string, words []string) (argv []string, next string) {
	cmd, rest := words[0], words[1:]
	switch cmd {
	case "node", "bun":
		if flags, out, args := a.compiledArgs(rest); out != "" && cmd == "node" {
			// Node's own flags stay; a loader for .ts files is harmless
			// on the compiled .js.
			return append(append(append([]string{"node"}, flags...), out), args...), ""
		}
		return append([]string{cmd}, rest...), ""
	case "nodemon", "node-dev", "supervisor":
		a.det.Notef("scripts.%s uses %s, a development watcher; the image runs node directly", script, cmd)
		return append([]string{"node"}, dropFlags(rest)...), ""
	case "npm", "pnpm", "yarn":
		return nil, a.pkg.runTarget(cmd, rest)
	case "ts-node", "tsx", "ts-node-dev":
		if _, out, args := a.compiledArgs(rest); out != "" {
			// The runner's own flags (--transpile-only, -r …) are not
			// node's; the program's arguments after the file stay.
			a.det.Notef("scripts.%s runs TypeScript with %s; the build compiles it with tsc, so the image runs node %s", script, cmd, out)
			return append([]string{"node", out}, args...), ""
		}
		return nil, ""
	}
	if bin, ok := scriptBins[cmd]; ok {
		return append([]string{"node", bin}, rest...), ""
	}
	return nil, ""
}

// runTarget returns the script that `npm run NAME` (pnpm, yarn) or
// `yarn NAME` runs, or "".
func (p *packageJSON) runTarget(cmd string, args []string) string {
	if len(args) >= 2 && args[0] == "run" {
		return args[1]
	}
	if cmd == "yarn" && len(args) == 1 && p.Scripts[args[0]] != "" {
		return args[0]
	}
	return ""
}

// useScript makes argv, from scripts.<script>, the start command, and
// takes the port from a PORT= setting or a port flag in it.
func (a *nodeApp) useScript(script string, argv, env []string) {
	det, pkg := a.det, a.pkg
	line := pkg.keyLine("scripts", script)
	det.Start = argv
	det.Cite("start", a.rel("package.json"), line, fmt.Sprintf(`"%s": "%s"`, script, pkg.Scripts[script]))
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, "PORT="); ok {
			if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 65536 {
				det.Port = n
				det.Cite("port", a.rel("package.json"), line, e+" in scripts."+script)
			}
		}
	}
	if n, flag := portFlag(argv); n > 0 {
		det.Port = n
		det.Cite("port", a.rel("package.json"), line, flag+" in scripts."+script)
	}
}

// dropFlags removes leading option flags (nodemon --watch src …).
func dropFlags(words []string) []string {
	for i := 0; i < len(words); i++ {
		if !strings.HasPrefix(words[i], "-") {
			return words[i:]
		}
		if !strings.Contains(words[i], "=") && (words[i] == "--watch" || words[i] == "-w" || words[i] == "--ext" || words[i] == "-e" || words[i] == "--exec" || words[i] == "--ignore" || words[i] == "-i") {
			i++
		}
	}
	return nil
}

// portFlag finds -p N, --port N or --port=N in an argv.
func portFlag(argv []string) (int, string) {
	for i, w := range argv {
		val := ""
		switch {
		case (w == "-p" || w == "--port" || w == "-P") && i+1 < len(argv):
			val = argv[i+1]
		case strings.HasPrefix(w, "--port="):
			val = strings.TrimPrefix(w, "--port=")
		case strings.HasPrefix(w, "-p="):
			val = strings.TrimPrefix(w, "-p=")
		default:
			continue
		}
		if n, err := strconv.Atoi(val); err == nil && n > 0 && n < 65536 {
			if strings.Contains(w, "=") {
				return n, w
			}
			return n, w + " " + val
		}
	}
	return 0, ""
}

// entryNames are the files a Node server is conventionally started from,
// in order of preference.
var entryNames = []string{"server", "app", "index", "main"}

// genericStart finds the start command of a plain Node server: an answer,
// scripts.start, "main", a conventional entry file, or else scripts.start
// run through the package manager.
func (a *nodeApp) genericStart() {
	if a.answeredMain() || a.startScript() != nil || a.mainField() {
		return
	}
	nf := a.det.Node
	found := a.entryFiles()
	if len(found) == 0 && nf.BuildScript != "" && nf.TypeScript {
		found = a.tsEntryFiles()
	}
	if len(found) == 0 {
		a.packageManagerStart()
		return
	}
	pick := a.pickEntry(found)
	a.det.Start = []string{"node", pick.Value}
	a.det.Cite("start", pick.Evidence.File, 0, pick.Evidence.Detail)
}

// answeredMain uses the entry file the user chose, and reports whether
// there was one.
func (a *nodeApp) answeredMain() bool {
	m := a.answers["main"]
	if m == "" {
		return false
	}
	m = strings.TrimPrefix(path.Clean(m), "./")
	a.det.Start = []string{"node", m}
	a.det.Cite("start", a.rel(m), 0, "chosen entry "+m)
	return true
}

// mainField uses package.json's "main" when the file is there or the
// build writes it, and reports whether it did.
func (a *nodeApp) mainField() bool {
	pkg := a.pkg
	if pkg.Main == "" {
		return false
	}
	m := strings.TrimPrefix(path.Clean(pkg.Main), "./")
	if out, ok := a.compiledEntry(m); ok && repo.IsFile(a.fsys, m) {
		a.det.Start = []string{"node", out}
		pkg.cite(a.det, "start", "", "main", `"main": "`+pkg.Main+`", which the build compiles with tsc to `+out)
		return true
	}
	built := a.det.Node.BuildScript != ""
	if !repo.IsFile(a.fsys, m) && !repo.IsFile(a.fsys, m+".js") && !(built && underOutDir(m)) {
		return false
	}
	a.det.Start = []string{"node", m}
	pkg.cite(a.det, "start", "", "main", `"main": "`+pkg.Main+`"`)
	return true
}

// entryFiles lists the conventional JavaScript entry files at the root,
// else in src/.
func (a *nodeApp) entryFiles() []facts.Option {
	var found []facts.Option
	for _, dir := range []string{".", "src"} {
		for _, n := range entryNames {
			for _, ext := range []string{".js", ".mjs", ".cjs"} {
				f := path.Join(dir, n+ext)
				if repo.IsFile(a.fsys, f) {
					found = append(found, facts.Option{Value: f, Evidence: &facts.Evidence{File: a.rel(f), Detail: "entry file"}})
				}
			}
		}
		if len(found) > 0 {
			break
		}
	}
	return found
}

// tsEntryFiles lists the conventional TypeScript entry files in src/, else
// at the root, as the files the build compiles them to in tsconfig's
// outDir.
func (a *nodeApp) tsEntryFiles() []facts.Option {
	var found []facts.Option
	outDir, rootDir := tsconfigDirs(a.fsys)
	for _, dir := range []string{"src", "."} {
		for _, n := range entryNames {
			f := path.Join(dir, n+".ts")
			if !repo.IsFile(a.fsys, f) {
				continue
			}
			relTo := rootDir
			if relTo == "" {
				relTo = dir
			}
			r := strings.TrimPrefix(strings.TrimPrefix(f, relTo+"/"), "./")
			out := path.Join(outDir, strings.TrimSuffix(r, ".ts")+".js")
			found = append(found, facts.Option{Value: out, Label: "compiled from " + f, Evidence: &facts.Evidence{File: a.rel(f), Detail: "TypeScript entry, built to " + out}})
		}
		if len(found) > 0 {
			break
		}
	}
	return found
}

// packageManagerStart runs scripts.start through the package manager, the
// last resort when dgen found nothing to run with node directly.
func (a *nodeApp) packageManagerStart() {
	det, pkg := a.det, a.pkg
	if pkg.Scripts["start"] == "" {
		return
	}
	if a.startIsDevServer() {
		det.Notef("scripts.start (%s) runs a development server, which watches the sources and is never an image's program; pass --start with the command that serves the app", pkg.Scripts["start"])
		return
	}
	det.Notef("scripts.start (%s) could not be turned into a node command; the image runs it through the package manager", pkg.Scripts["start"])
	det.Start = []string{det.PackageManager, "run", "start"}
	if det.PackageManager == facts.NodeYarn || det.PackageManager == facts.NodeYarnBerry {
		det.Start = []string{"yarn", "run", "start"}
	}
	pkg.cite(det, "start", "scripts", "start", "scripts.start")
}

// pickEntry returns the entry file to run. When there are several it
// prefers the one that calls listen() and offers the others as a choice.
func (a *nodeApp) pickEntry(found []facts.Option) facts.Option {
	pick := found[0]
	if len(found) == 1 {
		return pick
	}
	// The file that calls listen() is the server; the others are usually
	// modules it imports.
	reason := "first of " + strings.Join(entryNames, ", ")
	for _, o := range found {
		data, err := repo.ReadPrefix(a.fsys, strings.TrimPrefix(o.Evidence.File, a.dir+"/"), repo.MaxSourceSize)
		if err == nil && listenRe.Match(data) {
			pick, reason = o, "it calls listen()"
			break
		}
	}
	a.det.AddChoice(facts.Choice{
		Key:      "main",
		Question: "Several entry files were found. Which one starts the server?",
		Options:  found,
		Default:  pick.Value,
		Safe:     true,
		Reason:   reason,
		Flag:     "--main",
	})
	return pick
}

var listenRe = regexp.MustCompile(`\.listen\(|serve\(\s*\{|Bun\.serve\(`)

// underOutDir reports whether p is in a usual build output folder.
func underOutDir(p string) bool {
	for _, d := range []string{"dist/", "build/", "lib/", "out/"} {
		if strings.HasPrefix(p, d) {
			return true
		}
	}
	return false
}

var (
	tsOutDirRe  = regexp.MustCompile(`"outDir"\s*:\s*"([^"]+)"`)
	tsRootDirRe = regexp.MustCompile(`"rootDir"\s*:\s*"([^"]+)"`)
)

// tsconfigDirs returns tsconfig.json's outDir ("dist" by default) and
// rootDir ("" when unset).
func tsconfigDirs(fsys fs.FS) (outDir, rootDir string) {
	outDir = "dist"
	data, err := repo.ReadPrefix(fsys, "tsconfig.json", 64<<10)
	if err != nil {
		return outDir, ""
	}
	if m := tsOutDirRe.FindSubmatch(data); m != nil {
		if d := strings.TrimPrefix(path.Clean(string(m[1])), "./"); safePath(d) {
			outDir = d
		}
	}
	if m := tsRootDirRe.FindSubmatch(data); m != nil {
		rootDir = strings.TrimPrefix(path.Clean(string(m[1])), "./")
	}
	return outDir, rootDir
}
