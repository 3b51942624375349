package golang

import (
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/node"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// buildOutputNames are folders only a build writes (vite's dist, create
// react app's and SvelteKit's build, Next's export out): a path into one
// of them, below a folder with a package.json, names the front end's
// build output even when a stale copy is in the repository.
var buildOutputNames = map[string]bool{
	"dist": true, "build": true, "out": true, "bundle": true, "bundles": true, ".output": true,
}

// feFinding is one path the program needs from a front end's build: an
// embed pattern or a literal it reads from disk.
type feFinding struct {
	// dir is the front end's folder, out the output folder holding the
	// path, both relative to the repository root.
	dir, out string
	at       finding
	embed    bool
}

// frontendInputs finds the front end whose build output the program
// embeds or reads from disk, records it and its outputs, and returns the
// embed patterns that match nothing in the repository and that no front
// end creates (for the generation steps), and the literals the front end
// covers (the disk assets leave them to it).
func (Detector) frontendInputs(fsys fs.FS, in *mainInfo, det *facts.Detection) (missing []goDirective, covered map[string]bool) {
	var found []feFinding
	for _, sc := range in.scans {
		for _, e := range sc.EmbedPatterns {
			all := strings.HasPrefix(e.Text, "all:")
			pat := path.Join(e.Dir, strings.TrimPrefix(e.Text, "all:"))
			absent := !embedMatches(fsys, pat, all)
			if dir, out, ok := frontendOutput(fsys, ".", fixedPrefix(pat), absent); ok {
				found = append(found, feFinding{dir: dir, out: out, at: e.finding, embed: true})
				continue
			}
			if !absent {
				continue
			}
			if dir := frontendWriting(fsys, in.pkg.Module.Dir, fixedPrefix(pat)); dir != "" {
				found = append(found, feFinding{dir: dir, out: fixedPrefix(pat), at: e.finding, embed: true})
				continue
			}
			missing = append(missing, e)
		}
	}
	mod := in.pkg.Module.Dir
	covered = map[string]bool{}
	for _, sc := range in.scans {
		for _, lit := range sc.RelPaths {
			p := path.Join(mod, fixedPrefix(path.Clean(lit.Path)))
			if dir, out, ok := frontendOutput(fsys, mod, p, false); ok {
				found = append(found, feFinding{dir: dir, out: out, at: lit.finding})
				covered[path.Clean(lit.Path)] = true
			}
		}
	}
	if len(found) == 0 {
		return missing, covered
	}
	if !recordFrontend(fsys, found, mod, det) {
		// Not built here: the embeds it was to create are missing still.
		for _, sc := range in.scans {
			for _, e := range sc.EmbedPatterns {
				if !embedMatches(fsys, path.Join(e.Dir, strings.TrimPrefix(e.Text, "all:")), strings.HasPrefix(e.Text, "all:")) && !slices.Contains(missing, e) {
					missing = append(missing, e)
				}
			}
		}
		return missing, map[string]bool{}
	}
	return missing, covered
}

// recordFrontend reads the first front end found with the Node rules and
// records it with the outputs the program takes from it; it reports
// whether the front end is built.
func recordFrontend(fsys fs.FS, found []feFinding, mod string, det *facts.Detection) bool {
	g := det.Go
	dir := found[0].dir
	pj := path.Join(dir, "package.json")
	if err := repo.CheckPath(dir); err != nil {
		det.Problemf(pj, "the program uses this front end's build output, but its folder cannot be written into a Dockerfile (%v); build it yourself", err)
		return false
	}
	fe, err := node.DetectFrontend(fsys, dir, det)
	if err != nil {
		det.Problemf(pj, "not valid JSON or not readable (%v); the front end the program uses is not built", err)
		return false
	}
	if fe.BuildScript == "" || goBuildsItself(fe.BuildScript) {
		det.Notef("%s has no build script that builds a front end, so %s, which the program uses (%s:%d), is not built in the image", pj, found[0].out, found[0].at.File, found[0].at.Line)
		return false
	}
	for _, m := range append(append([]string(nil), fe.Manifests...), fe.ManifestDirs...) {
		if err := repo.CheckPath(m); err != nil {
			det.Problemf(m, "cannot be written into a Dockerfile (%v); the front end is not built", err)
			return false
		}
	}
	g.Frontend = fe.Facts()
	det.Cite("frontend", pj, fe.BuildScriptLine, `"build": "`+fe.BuildScript+`"`)
	for k, ev := range map[string]facts.Evidence{"frontendPackageManager": fe.ManagerEvidence, "frontendNodeVersion": fe.NodeEvidence} {
		if ev != (facts.Evidence{}) {
			det.Cite(k, ev.File, ev.Line, ev.Detail)
		}
	}
	var others []string
	for _, f := range found {
		switch {
		case f.dir != dir:
			if !slices.Contains(others, f.dir) {
				others = append(others, f.dir)
			}
		case !repo.SafePath(f.out):
			det.Problemf(f.at.File, "line %d: the front end's output %s cannot be written into a Dockerfile; copy it yourself", f.at.Line, f.out)
		case f.embed && !slices.Contains(g.FrontendEmbeds, f.out):
			g.FrontendEmbeds = append(g.FrontendEmbeds, f.out)
			det.Cite("frontendEmbed:"+f.out, f.at.File, f.at.Line, f.at.Detail+" embeds "+f.out+", which "+pj+"'s build script writes: built in its own stage and copied in before go build")
		case !f.embed && !slices.Contains(g.FrontendAssets, relTo(mod, f.out)) && !slices.Contains(g.FrontendEmbeds, f.out):
			g.FrontendAssets = append(g.FrontendAssets, relTo(mod, f.out))
			det.Cite("frontendAsset:"+f.out, f.at.File, f.at.Line, f.at.Detail+" is read from disk at run time and "+pj+"'s build script writes "+f.out+": built in its own stage and copied into the image")
		}
	}
	stage := "node:" + fe.NodeMajor
	if fe.Manager == facts.NodeBun {
		stage = "oven/bun"
	}
	det.Notef("%s: the front end the program serves is installed with %s and built (%s) in its own %s stage; only %s reaches the Go build or the image, never node_modules",
		pj, fe.Manager, fe.Build, stage, strings.Join(append(append([]string(nil), g.FrontendEmbeds...), g.FrontendAssets...), ", "))
	for _, o := range others {
		det.Notef("%s/package.json: the program also uses this front end's output, but dgen builds one front end (%s); build %s before docker build or add a stage for it", o, dir, o)
	}
	return true
}

// frontendOutput finds the front end whose build writes p, a path
// relative to the repository root without pattern characters: the
// nearest folder above p, no higher than limit, that holds a
// package.json; out is its child folder that holds p. It counts only
// when that child is named like build output, or, for an embed (absent),
// when the pattern matches nothing, so go build would fail without the
// build.
func frontendOutput(fsys fs.FS, limit, p string, absent bool) (dir, out string, ok bool) {
	if p == "." || p == limit {
		return "", "", false
	}
	for cur := path.Dir(p); ; cur = path.Dir(cur) {
		if !within(cur, limit) {
			return "", "", false
		}
		if repo.IsFile(fsys, path.Join(cur, "package.json")) {
			dir = cur
			break
		}
		if cur == "." || cur == limit {
			return "", "", false
		}
	}
	first, _, _ := strings.Cut(relTo(dir, p), "/")
	if first == "node_modules" || (!buildOutputNames[first] && !absent) {
		return "", "", false
	}
	return dir, path.Join(dir, first), true
}

// frontendWriting finds a front end beside the Go code that writes p (a
// folder relative to the repository root) outside its own folder: a
// package.json in a child of the module folder whose build script or
// bundler config names p relative to it (vite's outDir: "../server/dist").
// It returns that front end's folder, or "".
func frontendWriting(fsys fs.FS, mod, p string) string {
	ents, err := repo.ReadDir(fsys, mod)
	if err != nil || !within(p, mod) {
		return ""
	}
	for _, e := range ents {
		dir := path.Join(mod, e.Name())
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") || repo.SkipDir(e.Name()) || !repo.IsFile(fsys, path.Join(dir, "package.json")) || within(p, dir) {
			continue
		}
		rel := strings.Repeat("../", strings.Count(relTo(mod, dir), "/")+1) + relTo(mod, p)
		for _, cfg := range frontendConfigs {
			data, err := repo.ReadFile(fsys, path.Join(dir, cfg))
			if err == nil && strings.Contains(string(data), rel) {
				return dir
			}
		}
	}
	return ""
}

// frontendConfigs are the files that name a front end's output folder:
// its build script, and the bundlers' configs.
var frontendConfigs = []string{
	"package.json", "vite.config.js", "vite.config.ts", "vite.config.mjs", "vite.config.mts",
	"webpack.config.js", "angular.json", "svelte.config.js", "rollup.config.js", "rollup.config.mjs",
}

// embedMatches reports whether a //go:embed pattern (relative to the
// repository root) matches a file the go command would embed: a folder
// counts only when it holds a file whose name does not start with . or _
// (all: embeds those too). A malformed pattern counts as matching: the go
// command reports it better than dgen could.
func embedMatches(fsys fs.FS, pat string, all bool) bool {
	matches, err := fs.Glob(fsys, pat)
	if err != nil {
		return true
	}
	for _, m := range matches {
		if !repo.IsDir(fsys, m) || embeddable(fsys, m, all) {
			return true
		}
	}
	return false
}

// embeddable reports whether a folder holds a file go:embed would take,
// looking at a bounded number of entries.
func embeddable(fsys fs.FS, dir string, all bool) bool {
	seen, found := 0, false
	_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || seen > 2000 {
			return fs.SkipAll
		}
		seen++
		name := d.Name()
		if p != dir && !all && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// fixedPrefix cuts a pattern at its first element with pattern
// characters ("web/dist/*.js" → "web/dist").
func fixedPrefix(p string) string {
	parts := strings.Split(p, "/")
	for i, el := range parts {
		if strings.ContainsAny(el, "*?[\\") {
			if i == 0 {
				return "."
			}
			return strings.Join(parts[:i], "/")
		}
	}
	return p
}

// goBuildsItself reports whether a package.json build script builds the
// Go program rather than a front end (a repository that drives go build
// through npm scripts).
func goBuildsItself(script string) bool {
	return strings.Contains(script, "go build") || strings.Contains(script, "goreleaser")
}

// within reports whether p is limit or below it.
func within(p, limit string) bool {
	return limit == "." || p == limit || strings.HasPrefix(p, limit+"/")
}

// relTo is p relative to dir, which holds it.
func relTo(dir, p string) string {
	if dir == "." {
		return p
	}
	if p == dir {
		return "."
	}
	return strings.TrimPrefix(p, dir+"/")
}
