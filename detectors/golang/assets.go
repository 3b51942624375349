package golang

import (
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// assets finds folders under the module that the program reads from disk:
// a folder named like an asset root (templates, static, migrations, web,
// public, assets, views) that exists, is named by a path literal in the
// program's packages, and is not //go:embed'ed. Literals in skip name a
// front end's build output, which its own stage supplies.
func (Detector) assets(fsys fs.FS, in *mainInfo, det *facts.Detection, skip map[string]bool) {
	found := assetDirs(fsys, in, det, skip)
	for _, rel := range slices.Sorted(maps.Keys(found)) {
		if covered(rel, found) {
			continue
		}
		lit := found[rel]
		det.Go.Assets = append(det.Go.Assets, rel)
		det.Cite("asset:"+rel, lit.File, lit.Line, lit.Detail+" is read from disk at run time (not //go:embed), so "+rel+"/ is copied into the image")
	}
}

// assetDirs maps each existing, unembedded folder named by a path
// literal under an asset root, relative to the module, to the first
// literal naming it.
func assetDirs(fsys fs.FS, in *mainInfo, det *facts.Detection, skip map[string]bool) map[string]pathLit {
	mod := in.pkg.Module.Dir
	var embeds []string
	for _, sc := range in.scans {
		embeds = append(embeds, sc.Embeds...)
	}
	found := map[string]pathLit{}
	for _, root := range slices.Sorted(maps.Keys(assetRoots)) {
		for _, sc := range in.scans {
			for _, lit := range sc.Paths[root] {
				if skip[path.Clean(lit.Path)] {
					continue
				}
				rel := existingDir(fsys, mod, lit.Path)
				if rel == "" || embedded(path.Join(mod, rel), mod, embeds) {
					continue
				}
				if !repo.SafePath(path.Join(mod, rel)) {
					det.Problemf(lit.File, "line %d: the program reads %s from disk, but dgen will not write that folder name into a Dockerfile; copy it yourself", lit.Line, rel)
					continue
				}
				if _, ok := found[rel]; !ok {
					found[rel] = lit
				}
			}
		}
	}
	return found
}

// embedded reports whether a repository path is inside a //go:embed
// folder. An embed of the whole module folder does not count: it says
// nothing about which folders are read from disk.
func embedded(repoPath, mod string, embeds []string) bool {
	for _, e := range embeds {
		if e != mod && (repoPath == e || strings.HasPrefix(repoPath, e+"/")) {
			return true
		}
	}
	return false
}

// covered reports whether another found folder holds rel: only
// outermost folders are copied, as web covers web/templates.
func covered(rel string, found map[string]pathLit) bool {
	for other := range found {
		if other != rel && strings.HasPrefix(rel, other+"/") {
			return true
		}
	}
	return false
}

// existingDir returns the deepest existing folder named by a literal path
// below mod ("templates/*.html" → "templates"), relative to mod, or "".
func existingDir(fsys fs.FS, mod, lit string) string {
	parts := strings.Split(path.Clean(lit), "/")
	best := ""
	for i := range parts {
		if strings.ContainsAny(parts[i], "*?[{%") {
			break
		}
		rel := strings.Join(parts[:i+1], "/")
		if repo.IsDir(fsys, path.Join(mod, rel)) {
			best = rel
		} else {
			break
		}
	}
	return best
}

// assetRoots are the folders a Go program commonly reads from disk at run
// time; when one exists, is named by a path literal in the code and is not
// embedded, it is copied into the runtime image.
var assetRoots = map[string]bool{
	"templates": true, "static": true, "migrations": true, "web": true, "public": true,
	"assets": true, "views": true,
}
