package node

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// startScript parses scripts.start into an argv that runs node (or bun)
// directly. It sets Start and returns it, or returns nil when the script
// is not a plain command (&&, pipes, a dev server).
func (a *nodeApp) startScript() []string {
	det, pkg := a.det, a.pkg
	script := "start"
	s := pkg.Scripts[script]
	for depth := 0; s != "" && depth < 3; depth++ {
		words := splitWords(s)
		if words == nil {
			det.Notef("scripts.%s (%s) is not a single command; dgen runs node directly instead of it", script, s)
			return nil
		}
		var env []string
		for len(words) > 0 && (strings.Contains(words[0], "=") || words[0] == "cross-env" || words[0] == "env" || words[0] == "dotenv") {
			if strings.Contains(words[0], "=") {
				env = append(env, words[0])
			}
			words = words[1:]
			if len(words) > 0 && words[0] == "--" {
				words = words[1:]
			}
		}
		if len(words) == 0 {
			return nil
		}
		line := pkg.keyLine("scripts", script)
		var argv []string
		switch cmd, rest := words[0], words[1:]; cmd {
		case "node":
			argv = append([]string{"node"}, rest...)
		case "bun":
			argv = append([]string{"bun"}, rest...)
		case "nodemon", "node-dev", "supervisor":
			argv = append([]string{"node"}, dropFlags(rest)...)
			det.Notef("scripts.%s uses %s, a development watcher; the image runs node directly", script, cmd)
		case "next":
			argv = append([]string{"node", "node_modules/next/dist/bin/next"}, rest...)
		case "remix-serve":
			argv = append([]string{"node", "node_modules/@remix-run/serve/dist/cli.js"}, rest...)
		case "react-router-serve":
			argv = append([]string{"node", "node_modules/@react-router/serve/dist/cli.js"}, rest...)
		case "npm", "pnpm", "yarn":
			// `npm run serve` → follow scripts.serve.
			if len(rest) >= 2 && rest[0] == "run" {
				script, s = rest[1], pkg.Scripts[rest[1]]
				continue
			}
			if cmd == "yarn" && len(rest) == 1 && pkg.Scripts[rest[0]] != "" {
				script, s = rest[0], pkg.Scripts[rest[0]]
				continue
			}
			return nil
		default:
			return nil
		}
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
		return argv
	}
	return nil
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

// splitWords splits a package.json script into words with shell quoting,
// or returns nil when it is more than one simple command.
func splitWords(s string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case strings.IndexByte("&|;<>`$()\n", c) >= 0:
			return nil
		case c == '\\':
			return nil
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// entryNames are the files a Node server is conventionally started from,
// in order of preference.
var entryNames = []string{"server", "app", "index", "main"}

// genericStart finds the start command of a plain Node server: an answer,
// scripts.start, "main", or a conventional entry file.
func (a *nodeApp) genericStart() {
	det, nf, pkg := a.det, a.det.Node, a.pkg
	if m := a.answers["main"]; m != "" {
		m = strings.TrimPrefix(path.Clean(m), "./")
		det.Start = []string{"node", m}
		det.Cite("start", a.rel(m), 0, "chosen entry "+m)
		return
	}
	if a.startScript() != nil {
		return
	}
	built := nf.BuildScript != ""
	if pkg.Main != "" {
		m := strings.TrimPrefix(path.Clean(pkg.Main), "./")
		if repo.IsFile(a.fsys, m) || repo.IsFile(a.fsys, m+".js") || (built && underOutDir(m)) {
			det.Start = []string{"node", m}
			pkg.cite(det, "start", "", "main", `"main": "`+pkg.Main+`"`)
			return
		}
	}
	// Conventional files: JavaScript at the root, then src/, then
	// TypeScript compiled to the tsconfig outDir.
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
	if len(found) == 0 && built && nf.TypeScript {
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
	}
	if len(found) == 0 {
		if pkg.Scripts["start"] != "" {
			det.Notef("scripts.start (%s) could not be turned into a node command; the image runs it through the package manager", pkg.Scripts["start"])
			det.Start = []string{det.PackageManager, "run", "start"}
			if det.PackageManager == facts.NodeYarn || det.PackageManager == facts.NodeYarnBerry {
				det.Start = []string{"yarn", "run", "start"}
			}
			pkg.cite(det, "start", "scripts", "start", "scripts.start")
		}
		return
	}
	pick := found[0]
	if len(found) > 1 {
		// The file that calls listen() is the server; the others are
		// usually modules it imports.
		reason := "first of " + strings.Join(entryNames, ", ")
		for _, o := range found {
			data, err := repo.ReadPrefix(a.fsys, strings.TrimPrefix(o.Evidence.File, a.dir+"/"), repo.MaxSourceSize)
			if err == nil && listenRe.Match(data) {
				pick, reason = o, "it calls listen()"
				break
			}
		}
		det.AddChoice(facts.Choice{
			Key:      "main",
			Question: "Several entry files were found. Which one starts the server?",
			Options:  found,
			Default:  pick.Value,
			Safe:     true,
			Reason:   reason,
			Flag:     "--main",
		})
	}
	det.Start = []string{"node", pick.Value}
	det.Cite("start", pick.Evidence.File, 0, pick.Evidence.Detail)
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
