package node

import (
	"path"
	"strings"
)

// excludedDir reports whether a workspace package lives in a folder that
// holds samples, documentation or tests (examples/, docs/, test*/, e2e/
// at any depth): such a package is never the app dgen picks by itself.
func excludedDir(dir string) bool {
	for _, c := range strings.Split(dir, "/") {
		switch {
		case c == "examples" || c == "example" || c == "docs" || c == "e2e" || c == "fixtures" || c == "__tests__":
			return true
		case strings.HasPrefix(c, "test"):
			return true
		}
	}
	return false
}

// delegation is one workspace package a root script runs.
type delegation struct {
	dir    string // the package's folder
	script string // the root script ("start", "build")
	text   string // the script's text, for the reason
}

// rootDelegations returns the workspace packages the root package.json's
// start, dev and build scripts hand the work to (pnpm --filter X, npm -w X,
// yarn workspace X, turbo --filter=X, nx run X:start, lerna --scope X,
// cd X), by script, following `npm run other` within the root scripts.
func rootDelegations(root *packageJSON, ws *workspace) map[string][]delegation {
	out := map[string][]delegation{}
	for _, script := range []string{"start", "dev", "build"} {
		seen := map[string]bool{}
		var follow func(name string, hops int)
		follow = func(name string, hops int) {
			s := root.Scripts[name]
			if s == "" || hops > maxScriptHops {
				return
			}
			for _, words := range scriptSegments(s) {
				if next := rootRunTarget(root, words); next != "" && next != name {
					follow(next, hops+1)
					continue
				}
				for _, sel := range selectors(words) {
					dir := ws.resolveSelector(sel)
					if dir == "" || seen[dir] {
						continue
					}
					seen[dir] = true
					out[script] = append(out[script], delegation{dir: dir, script: name, text: s})
				}
			}
		}
		follow(script, 0)
	}
	return out
}

// rootRunTarget returns the root script a package manager's `run NAME`
// runs, or "".
func rootRunTarget(root *packageJSON, words []string) string {
	switch words[0] {
	case "npm", "pnpm", "yarn", "bun":
		if next := root.runTarget(words[0], words[1:]); root.Scripts[next] != "" {
			return next
		}
	}
	return ""
}

// scriptSegments splits a script into its simple commands (at &&, ||, ;,
// |, &) and each into words with quotes removed. Only delegation
// arguments are read from them; nothing is run.
func scriptSegments(s string) [][]string {
	for _, op := range []string{"&&", "||", ";", "|", "&"} {
		s = strings.ReplaceAll(s, op, "\n")
	}
	var segs [][]string
	for _, l := range strings.Split(s, "\n") {
		var words []string
		for _, w := range strings.Fields(l) {
			words = append(words, strings.Trim(w, `"'`))
		}
		if len(words) > 0 {
			segs = append(segs, words)
		}
	}
	return segs
}

// selectorFlags are, by tool, the flags whose value names a workspace
// package or folder.
var selectorFlags = map[string][]string{
	"pnpm":  {"--filter", "-F", "-C", "--dir"},
	"npm":   {"-w", "--workspace", "--prefix", "-C"},
	"yarn":  {"--cwd"},
	"bun":   {"--filter", "-F", "--cwd"},
	"turbo": {"--filter", "-F"},
	"lerna": {"--scope"},
}

// selectors returns the package selectors of one command: the values of
// the flags its tool reads as a workspace package or folder.
func selectors(words []string) []string {
	tool, rest := unwrapRunner(words[0], words[1:])
	switch {
	case tool == "yarn" && len(rest) >= 2 && rest[0] == "workspace":
		return []string{rest[1]}
	case tool == "nx":
		return nxSelectors(rest)
	case tool == "cd" && len(rest) == 1:
		return rest
	}
	flags := selectorFlags[tool]
	var sels []string
	for i, w := range rest {
		for _, f := range flags {
			switch {
			case w == f && i+1 < len(rest):
				sels = append(sels, rest[i+1])
			case strings.HasPrefix(w, f+"="):
				sels = append(sels, strings.TrimPrefix(w, f+"="))
			}
		}
	}
	return sels
}

// unwrapRunner finds the tool a command runs through a package manager's
// runner: npx turbo, pnpm exec nx, yarn lerna, bunx turbo.
func unwrapRunner(tool string, rest []string) (string, []string) {
	monorepoTool := func(w string) bool { return w == "turbo" || w == "nx" || w == "lerna" }
	for len(rest) > 0 {
		switch {
		case tool == "npx" || tool == "bunx":
			tool, rest = rest[0], rest[1:]
		case tool != "pnpm" && tool != "yarn" && tool != "bun":
			return tool, rest
		case monorepoTool(rest[0]):
			tool, rest = rest[0], rest[1:]
		case len(rest) > 1 && (rest[0] == "exec" || rest[0] == "dlx" || rest[0] == "x" || rest[0] == "run") && monorepoTool(rest[1]):
			tool, rest = rest[1], rest[2:]
		default:
			return tool, rest
		}
	}
	return tool, rest
}

// nxSelectors reads the project of `nx run X:target`, `nx target X` and
// --project/-p; run-many and affected name no single project.
func nxSelectors(rest []string) []string {
	if len(rest) == 0 || rest[0] == "run-many" || rest[0] == "affected" {
		return nil
	}
	for i, w := range rest {
		switch {
		case (w == "--project" || w == "-p") && i+1 < len(rest):
			return []string{rest[i+1]}
		case strings.HasPrefix(w, "--project="):
			return []string{strings.TrimPrefix(w, "--project=")}
		}
	}
	if rest[0] == "run" && len(rest) > 1 {
		proj, _, _ := strings.Cut(rest[1], ":")
		return []string{proj}
	}
	if len(rest) > 1 && !strings.HasPrefix(rest[1], "-") {
		return []string{rest[1]}
	}
	return nil
}

// resolveSelector maps a selector to a workspace package folder: its
// name, its folder (./apps/api, {apps/api}), pnpm's X... and ...X forms,
// a name without its @scope/ or the folder's last element (Nx project
// names). It returns "" when no package, or more than one, matches.
func (ws *workspace) resolveSelector(sel string) string {
	sel = strings.TrimSuffix(strings.TrimPrefix(sel, "..."), "...")
	sel = strings.TrimSuffix(sel, "^")
	sel = strings.TrimSuffix(strings.TrimPrefix(sel, "{"), "}")
	sel = strings.TrimSuffix(strings.TrimPrefix(sel, "./"), "/")
	if sel == "" || strings.ContainsAny(sel, "*?[!") {
		return ""
	}
	clean := path.Clean(sel)
	for _, match := range []func(dir, name string) bool{
		func(dir, name string) bool { return name == sel },
		func(dir, name string) bool { return dir == clean },
		func(dir, name string) bool { return name[strings.LastIndexByte(name, '/')+1:] == sel },
		func(dir, name string) bool { return path.Base(dir) == sel },
	} {
		found := ""
		for _, p := range ws.Packages {
			if ws.badName[p.Dir] || !match(p.Dir, p.Name) {
				continue
			}
			if found != "" {
				return ""
			}
			found = p.Dir
		}
		if found != "" {
			return found
		}
	}
	return ""
}

// rankedApp picks the package the root scripts delegate to: the one
// scripts.start (else scripts.dev) runs, else the one scripts.build runs, else the one both
// name among several. ok is false when they name none or a tie.
func rankedApp(root *packageJSON, ws *workspace) (d delegation, ok bool) {
	del := rootDelegations(root, ws)
	keep := func(ds []delegation) []delegation {
		var out []delegation
		for _, d := range ds {
			if !excludedDir(d.dir) {
				out = append(out, d)
			}
		}
		return out
	}
	start, build := keep(del["start"]), keep(del["build"])
	if len(start) == 0 {
		// A front end's root often only has dev (yarn --cwd app dev).
		start = keep(del["dev"])
	}
	switch {
	case len(start) == 1:
		return start[0], true
	case len(start) == 0 && len(build) == 1:
		return build[0], true
	}
	var both []delegation
	for _, s := range start {
		for _, b := range build {
			if s.dir == b.dir {
				both = append(both, s)
			}
		}
	}
	if len(both) == 1 {
		return both[0], true
	}
	return delegation{}, false
}
