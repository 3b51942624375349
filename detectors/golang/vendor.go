package golang

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// vendorEntry is what vendor/modules.txt says about one module version.
type vendorEntry struct {
	Explicit    bool
	Replacement module.Version
	GoVersion   string
}

// vendorList is vendor/modules.txt as the go command reads it
// (cmd/go/internal/modload.readVendorList).
type vendorList struct {
	meta map[module.Version]*vendorEntry
	// provide are the modules that contribute packages, in file order.
	provide []module.Version
	// version is the vendored version of each module that contributes
	// packages.
	version map[string]string
	// replaced are the modules marked as replaced.
	replaced []module.Version
	// workspace is true when `go work vendor` wrote the file.
	workspace bool
}

// parseVendorList reads modules.txt line by line the way the go command
// does, so that what it calls inconsistent is found here too.
func parseVendorList(data []byte) *vendorList {
	vl := &vendorList{meta: map[module.Version]*vendorEntry{}, version: map[string]string{}}
	entry := func(m module.Version) *vendorEntry {
		if vl.meta[m] == nil {
			vl.meta[m] = &vendorEntry{}
		}
		return vl.meta[m]
	}
	var mod module.Version
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "## workspace" {
			vl.workspace = true
		}
		if strings.HasPrefix(line, "# ") {
			mod = vendorHeader(vl, line, entry)
			continue
		}
		if mod.Path == "" {
			continue
		}
		if ann, ok := strings.CutPrefix(line, "## "); ok {
			e := entry(mod)
			for _, a := range strings.Split(ann, ";") {
				a = strings.TrimSpace(a)
				if a == "explicit" {
					e.Explicit = true
				}
				if v, ok := strings.CutPrefix(a, "go "); ok {
					e.GoVersion = v
				}
			}
			continue
		}
		if f := strings.Fields(line); len(f) == 1 && module.CheckImportPath(f[0]) == nil {
			if _, ok := vl.version[mod.Path]; !ok {
				vl.provide = append(vl.provide, mod)
				vl.version[mod.Path] = mod.Version
			}
		}
	}
	return vl
}

// vendorHeader reads a "# path version [=> new [version]]" line and
// returns the module it opens, or the zero module for a line the go
// command skips.
func vendorHeader(vl *vendorList, line string, entry func(module.Version) *vendorEntry) module.Version {
	f := strings.Fields(line)
	if len(f) < 3 {
		return module.Version{}
	}
	var mod module.Version
	switch {
	case semver.IsValid(f[2]):
		mod, f = module.Version{Path: f[1], Version: f[2]}, f[3:]
	case f[2] == "=>":
		mod, f = module.Version{Path: f[1]}, f[2:]
	default:
		return module.Version{}
	}
	if len(f) >= 2 && f[0] == "=>" {
		switch {
		case len(f) == 2:
			entry(mod).Replacement = module.Version{Path: f[1]}
			vl.replaced = append(vl.replaced, mod)
		case len(f) == 3 && semver.IsValid(f[2]):
			entry(mod).Replacement = module.Version{Path: f[1], Version: f[2]}
			vl.replaced = append(vl.replaced, mod)
		}
	}
	return mod
}

// explicit reports whether modules.txt marks m as required by go.mod.
func (vl *vendorList) explicit(m module.Version) bool {
	e := vl.meta[m]
	return e != nil && e.Explicit
}

// goAnnotated reports whether any module carries a `go 1.xx` annotation,
// which `go mod vendor` writes from Go 1.17 on.
func (vl *vendorList) goAnnotated() bool {
	for _, e := range vl.meta {
		if e.GoVersion != "" {
			return true
		}
	}
	return false
}

// vendorReplace is one replace directive with where it was written and
// its target as modules.txt spells it.
type vendorReplace struct {
	old, new module.Version
	file     string
	line     int
}

// vendorMismatch is one way modules.txt disagrees with the module files.
type vendorMismatch struct {
	file   string
	line   int
	detail string
}

// vendorCheck compares modules.txt with the build's go.mod files (and
// go.work) as `go build -mod=vendor` does before it builds anything
// (cmd/go/internal/modload.checkVendorConsistency), and returns every
// disagreement, in file order. Before Go 1.14 modules.txt carried no
// `## explicit` marks, so only version mismatches count then.
func vendorCheck(lay *layout, vl *vendorList) []vendorMismatch {
	var out []vendorMismatch
	add := func(file string, line int, format string, args ...any) {
		out = append(out, vendorMismatch{file, line, fmt.Sprintf(format, args...)})
	}
	pre114 := lay.Work == nil && (lay.Modules[0].File.Go == nil || goCompareMinor(lay.Modules[0].File.Go.Version, "1.14") < 0)
	if lay.Work != nil && !vl.workspace {
		add("go.work", 0, "go.work builds a workspace, but vendor/modules.txt was not written by go work vendor")
	}
	required := vendorCheckRequires(lay, vl, pre114, add)
	reps := vendorReplaces(lay)
	seen := map[module.Version]bool{}
	for _, r := range reps {
		if seen[r.old] {
			continue
		}
		seen[r.old] = true
		e := vl.meta[r.old]
		switch {
		case e == nil || e.Replacement == (module.Version{}):
			if pre114 && (r.old.Version == "" || vl.version[r.old.Path] != r.old.Version) {
				continue // modules.txt left these out before Go 1.14
			}
			add(r.file, r.line, "replaces %s, but vendor/modules.txt does not", vendorDescribe(r.old))
		case e.Replacement != r.new:
			add(r.file, r.line, "replaces %s with %s, but vendor/modules.txt with %s", vendorDescribe(r.old), vendorDescribe(r.new), vendorDescribe(e.Replacement))
		}
	}
	for _, m := range vl.provide {
		if vl.explicit(m) && !required[m] {
			add("vendor/modules.txt", 0, "marks %s as explicit, but no go.mod requires it", vendorDescribe(m))
		}
	}
	for _, m := range vl.replaced {
		if !seen[m] && !seen[module.Version{Path: m.Path}] {
			add("vendor/modules.txt", 0, "marks %s as replaced, but no replace directive does", vendorDescribe(m))
		}
	}
	if v := vendorGoLine(lay); goCompareMinor(v, "1.17") >= 0 && len(vl.meta) > 0 && !vl.goAnnotated() {
		add("vendor/modules.txt", 0, "has no `## explicit; go 1.xx` annotations, which go mod vendor writes for go 1.17 and later (go line %s): it predates the go line, and every vendored package would compile as Go 1.16", v)
	}
	return out
}

// vendorCheckRequires checks that every require line is in modules.txt,
// marked explicit, at the same version, and returns the required modules.
func vendorCheckRequires(lay *layout, vl *vendorList, pre114 bool, add func(string, int, string, ...any)) map[module.Version]bool {
	required := map[module.Version]bool{}
	for _, m := range vendorMains(lay) {
		for _, r := range m.File.Require {
			required[r.Mod] = true
			if vl.explicit(r.Mod) {
				continue
			}
			if !pre114 {
				add(m.Name, r.Syntax.Start.Line, "requires %s %s, which vendor/modules.txt does not list as explicit at that version", r.Mod.Path, r.Mod.Version)
			} else if vv, ok := vl.version[r.Mod.Path]; ok && vv != r.Mod.Version {
				add(m.Name, r.Syntax.Start.Line, "requires %s %s, but vendor/modules.txt holds %s", r.Mod.Path, r.Mod.Version, vv)
			}
		}
	}
	return required
}

// vendorMains are the modules whose requirements modules.txt records:
// the root module, or every go.work module.
func vendorMains(lay *layout) []*buildModule {
	if lay.Work != nil {
		var out []*buildModule
		for _, m := range lay.Modules {
			for _, u := range lay.Work.Use {
				if d, ok := localDir(".", u.Path); ok && d == m.Dir {
					out = append(out, m)
					break
				}
			}
		}
		return out
	}
	return lay.Modules[:1]
}

// vendorReplaces lists the replace directives that apply, go.work's
// first since they override the modules' own. A local target is spelled
// as modules.txt spells it: as written in go.mod, or relative to the
// workspace root in a workspace.
func vendorReplaces(lay *layout) []vendorReplace {
	var out []vendorReplace
	if lay.Work != nil {
		for _, r := range lay.Work.Replace {
			out = append(out, vendorReplace{r.Old, r.New, "go.work", r.Syntax.Start.Line})
		}
	}
	for _, m := range vendorMains(lay) {
		for _, r := range m.File.Replace {
			n := r.New
			if lay.Work != nil && n.Version == "" && modfile.IsDirectoryPath(n.Path) && !path.IsAbs(n.Path) {
				n.Path = path.Join(m.Dir, n.Path)
				if !modfile.IsDirectoryPath(n.Path) {
					n.Path = "./" + n.Path
				}
			}
			out = append(out, vendorReplace{r.Old, n, m.Name, r.Syntax.Start.Line})
		}
	}
	return out
}

// vendorGoLine is the go line the vendoring was written for: go.work's
// in a workspace, else the root module's ("" when there is none).
func vendorGoLine(lay *layout) string {
	if lay.Work != nil {
		if lay.Work.Go != nil {
			return lay.Work.Go.Version
		}
		return ""
	}
	if g := lay.Modules[0].File.Go; g != nil {
		return g.Version
	}
	return ""
}

// vendorDescribe is path@version, or path alone for every version.
func vendorDescribe(m module.Version) string {
	if m.Version == "" {
		return m.Path
	}
	return m.Path + "@" + m.Version
}

// goVendor decides whether the build uses vendor/: only when
// vendor/modules.txt agrees with the module files, since otherwise
// `go build -mod=vendor` stops with "inconsistent vendoring". An
// inconsistent vendor folder is left out and the modules are downloaded,
// with a note that says why.
func goVendor(fsys fs.FS, lay *layout, det *facts.Detection) bool {
	if !repo.IsFile(fsys, "vendor/modules.txt") {
		if repo.IsDir(fsys, "vendor") {
			det.Notef("vendor/ has no modules.txt (it was not written by go mod vendor), so the image downloads modules and leaves vendor/ out of the build context")
		}
		return false
	}
	data, err := repo.ReadFile(fsys, "vendor/modules.txt")
	if err != nil {
		det.Problemf("vendor/modules.txt", "cannot read: %v; the image downloads modules instead", err)
		return false
	}
	bad := vendorCheck(lay, parseVendorList(data))
	if len(bad) == 0 {
		det.Cite("vendor", "vendor/modules.txt", 0, "vendored dependencies that match go.mod: the build uses -mod=vendor and downloads nothing")
		return true
	}
	first := bad[0]
	where := first.file
	if first.line > 0 {
		where = fmt.Sprintf("%s:%d", first.file, first.line)
	}
	more := ""
	if len(bad) > 1 {
		more = fmt.Sprintf(" (and %d more disagreements)", len(bad)-1)
		if len(bad) == 2 {
			more = " (and one more disagreement)"
		}
	}
	det.Cite("vendor", first.file, first.line, "vendor/modules.txt is out of date: "+first.detail)
	sync := "go mod vendor"
	if lay.Work != nil {
		sync = "go work vendor"
	}
	det.Notef("vendor/modules.txt does not match the module files: %s %s%s, so `go build -mod=vendor` would stop with \"inconsistent vendoring\"; the image downloads modules instead and leaves vendor/ out of the build context (run %s and commit it to build from vendor/)", where, first.detail, more, sync)
	return false
}
