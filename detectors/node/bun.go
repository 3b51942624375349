package node

import (
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// bunAPIRe finds code written against Bun: a call or property of the Bun
// global (Bun.serve, Bun.file, Bun.env) or an import of Bun's own modules
// ("bun", "bun:sqlite").
var bunAPIRe = regexp.MustCompile(`\bBun\.[a-z][A-Za-z0-9]*\(?|\bfrom\s+['"]bun(?::[a-z]+)?['"]|\brequire\(\s*['"]bun(?::[a-z]+)?['"]\s*\)`)

// bunCommandRe finds bun or bunx run as a command in a package.json
// script: at its start or after an operator, followed by an argument.
var bunCommandRe = regexp.MustCompile(`(?:^|[;&|(]\s*|&&\s*)(?:bun|bunx)(?:\s|$)`)

// bunUse is what shows that a project is developed with Bun.
type bunUse struct {
	file   string
	line   int
	detail string
}

// findBunUse looks, in order, for bunfig.toml, bun run by the start or
// build script, Bun's types, and Bun's APIs in the source of the app (in
// folder dir of fsys, "" at the root). ok is false when nothing shows it.
func findBunUse(fsys fs.FS, dir string, root, app *packageJSON) (use bunUse, ok bool) {
	for _, f := range []string{path.Join(dir, "bunfig.toml"), "bunfig.toml"} {
		if repo.IsFile(fsys, f) {
			return bunUse{f, 0, "bunfig.toml configures Bun"}, true
		}
	}
	for _, p := range []*packageJSON{app, root} {
		if p == nil {
			continue
		}
		for _, s := range []string{"start", "build"} {
			if bunCommandRe.MatchString(p.Scripts[s]) {
				return bunUse{p.file, p.keyLine("scripts", s), `"` + s + `": "` + p.Scripts[s] + `" runs bun`}, true
			}
		}
		for _, dep := range []string{"@types/bun", "bun-types"} {
			if p.has(dep) {
				return bunUse{p.file, p.depLine(dep), dep + ": Bun's types are a dependency"}, true
			}
		}
	}
	sub := fsys
	if dir != "" && dir != "." {
		s, err := fs.Sub(fsys, dir)
		if err != nil {
			return bunUse{}, false
		}
		sub = s
	}
	if f, line, text := bunAPI(sub, scanSources(sub, "")); f != "" {
		return bunUse{path.Join(dir, f), line, text}, true
	}
	return bunUse{}, false
}

// bunAPI returns the first source file among files that uses Bun's APIs,
// with the line and the text found; "" when none does.
func bunAPI(fsys fs.FS, files []string) (file string, line int, text string) {
	for _, f := range files {
		data, err := repo.ReadPrefix(fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		if loc := bunAPIRe.FindIndex(data); loc != nil {
			return f, repo.LineAt(data, loc[0]), string(data[loc[0]:loc[1]])
		}
	}
	return "", 0, ""
}

// bunWithoutLockfile makes Bun the package manager of a project with no
// lockfile, no packageManager field and no engines pin that is developed
// with Bun, and reports whether it did: npm would install it on an image
// where its bun commands cannot run.
func bunWithoutLockfile(fsys fs.FS, root, app *packageJSON, det *facts.Detection) bool {
	dir := ""
	if app != nil && app != root {
		dir = path.Dir(app.file)
	}
	use, ok := findBunUse(fsys, dir, root, app)
	if !ok {
		return false
	}
	det.PackageManager = facts.NodeBun
	det.Cite("packageManager", use.file, use.line, use.detail)
	det.Notef("no lockfile, but %s shows the project uses Bun: Bun installs and runs it (commit bun.lock to make the install reproducible)", use.file)
	return true
}

// bunRuntime switches to Bun when the app needs it to run: the start
// command runs bun (whatever installs the dependencies), or Bun installs
// them and Bun's types are a dependency, the code uses Bun's APIs, or the
// project has no lockfile and shows Bun use elsewhere (bunfig.toml, a
// build script that runs bun) while its start script does not run node.
func (a *nodeApp) bunRuntime() {
	det, nf, pkg := a.det, a.det.Node, a.pkg
	if nf.StaticDir != "" {
		return
	}
	why := ""
	switch {
	case len(det.Start) > 0 && det.Start[0] == "bun":
		why = "scripts.start runs bun"
		if !strings.HasPrefix(det.Evidence["start"].Detail, `"`) {
			why = "the start command runs bun"
		}
	case det.PackageManager != facts.NodeBun:
		return
	case pkg.has("@types/bun") || pkg.has("bun-types"):
		why = "Bun's types are a dependency"
	default:
		if f, line, text := bunAPI(a.fsys, a.sourceFiles()); f != "" {
			why = text + " in " + a.rel(f)
			det.Cite("runtime", a.rel(f), line, text)
		} else if nf.Lockfile == "" && !startsWithNode(det) {
			why = "no lockfile and " + det.Evidence["packageManager"].Detail
		}
	}
	if why == "" {
		return
	}
	nf.Runtime = "bun"
	if _, ok := det.Evidence["runtime"]; !ok {
		det.Cite("runtime", a.rel("package.json"), 0, why)
	}
	switch {
	case len(det.Start) > 0 && det.Start[0] == "bun":
	case len(det.Start) == 2 && det.Start[0] == "node":
		det.Start = []string{"bun", "run", det.Start[1]}
	default:
		for _, f := range []string{pkg.Module, pkg.Main, "index.ts", "src/index.ts", "server.ts", "src/server.ts"} {
			if f != "" && repo.IsFile(a.fsys, f) {
				det.Start = []string{"bun", "run", strings.TrimPrefix(path.Clean(f), "./")}
				det.Cite("start", a.rel(f), 0, "Bun runs TypeScript directly")
				break
			}
		}
	}
}

// startsWithNode reports whether scripts.start runs node explicitly.
func startsWithNode(det *facts.Detection) bool {
	return len(det.Start) > 0 && det.Start[0] == "node" && strings.HasPrefix(det.Evidence["start"].Detail, `"start"`)
}
