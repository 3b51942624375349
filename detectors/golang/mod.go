package golang

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// buildModule is one module whose go.mod is part of the build: the root
// module, a go.work `use` entry, or the in-repository target of a local
// replace directive.
type buildModule struct {
	// Path is the module path from its module directive.
	Path string
	// Dir is its folder relative to the repository root ("." for the root).
	Dir string
	// File is the parsed go.mod.
	File *modfile.File
	// Name is the go.mod file name relative to the repository root.
	Name string
}

// layout is what the module files say: which modules build together and
// how.
type layout struct {
	// Modules are the modules that make up the build, the main one first
	// when there is no go.work.
	Modules []*buildModule
	// Work is the parsed go.work, or nil.
	Work *modfile.WorkFile
	// Version is the Go minor to build with and where it came from.
	Version     string
	VersionFrom facts.Evidence
}

// goReadGoMod parses the go.mod at name. A go.mod that does not parse is
// fatal: nothing can be built from it.
func goReadGoMod(fsys fs.FS, name string) (*modfile.File, error) {
	data, err := repo.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	f, err := modfile.Parse(name, data, nil)
	if err != nil {
		return nil, fmt.Errorf("%s does not parse, so nothing can be built from it: %w (fix it; `go mod tidy` reports the same error)", name, err)
	}
	if f.Module == nil || f.Module.Mod.Path == "" {
		return nil, fmt.Errorf("%s has no module line: add `module example.com/yourapp` (go mod init does)", name)
	}
	return f, nil
}

// readLayout reads go.work (when present) or go.mod at the root, and the
// go.mod of every module they bring in.
func readLayout(fsys fs.FS, det *facts.Detection) (*layout, error) {
	lay := &layout{}
	if repo.IsFile(fsys, "go.work") {
		data, err := repo.ReadFile(fsys, "go.work")
		if err != nil {
			return nil, fmt.Errorf("read go.work: %w", err)
		}
		wf, err := modfile.ParseWork("go.work", data, nil)
		if err != nil {
			return nil, fmt.Errorf("go.work does not parse, so the workspace cannot be built: %w (fix it, or delete it to build the root module alone)", err)
		}
		lay.Work = wf
		for _, u := range wf.Use {
			dir, ok := localDir(".", u.Path)
			if !ok {
				return nil, fmt.Errorf("go.work:%d: use %s points outside the repository, which a Docker build context cannot reach: build from the folder that holds every module", u.Syntax.Start.Line, u.Path)
			}
			if !repo.SafePath(dir) {
				return nil, fmt.Errorf("go.work:%d: use %s: the folder name holds characters dgen does not write into a Dockerfile (quotes, $, spaces, backslashes, globs or a leading -): rename the folder", u.Syntax.Start.Line, u.Path)
			}
			name := path.Join(dir, "go.mod")
			if !repo.IsFile(fsys, name) {
				return nil, fmt.Errorf("go.work:%d: use %s, but %s does not exist: run go work use or fix go.work", u.Syntax.Start.Line, u.Path, name)
			}
			f, err := goReadGoMod(fsys, name)
			if err != nil {
				return nil, err
			}
			lay.Modules = append(lay.Modules, &buildModule{Path: f.Module.Mod.Path, Dir: dir, File: f, Name: name})
		}
		if len(lay.Modules) == 0 {
			return nil, errors.New("go.work uses no module: add one with go work use ./path")
		}
		det.Cite("workspace", "go.work", 0, fmt.Sprintf("go.work uses %d modules", len(lay.Modules)))
	} else {
		f, err := goReadGoMod(fsys, "go.mod")
		if err != nil {
			return nil, err
		}
		lay.Modules = []*buildModule{{Path: f.Module.Mod.Path, Dir: ".", File: f, Name: "go.mod"}}
	}
	addLocalReplaces(fsys, lay, det)
	lay.Version, lay.VersionFrom = goVersion(fsys, lay, det)
	return lay, nil
}

// addLocalReplaces adds the in-repository targets of `replace x => ./dir`
// directives: go mod download reads their go.mod, so the Dockerfile must
// copy it first. A target outside the repository cannot be in the build
// context; that is recorded as a problem, since the build will fail.
func addLocalReplaces(fsys fs.FS, lay *layout, det *facts.Detection) {
	seen := map[string]bool{}
	for _, m := range lay.Modules {
		seen[m.Dir] = true
	}
	var reps []*modfile.Replace
	var from []string
	if lay.Work != nil {
		for _, r := range lay.Work.Replace {
			reps = append(reps, r)
			from = append(from, ".")
		}
	}
	for _, m := range lay.Modules {
		for _, r := range m.File.Replace {
			reps = append(reps, r)
			from = append(from, m.Dir)
		}
	}
	for i, r := range reps {
		if !modfile.IsDirectoryPath(r.New.Path) {
			continue
		}
		file := path.Join(from[i], "go.mod")
		if from[i] == "." && lay.Work != nil {
			file = "go.work"
		}
		dir, ok := localDir(from[i], r.New.Path)
		if !ok {
			det.Problemf(file, "line %d: replace %s => %s points outside the repository; a Docker build cannot see it, so the build will fail: vendor the module (go mod vendor) or build from a parent folder", r.Syntax.Start.Line, r.Old.Path, r.New.Path)
			continue
		}
		if seen[dir] {
			continue
		}
		name := path.Join(dir, "go.mod")
		if !repo.SafePath(dir) || !repo.IsFile(fsys, name) {
			det.Problemf(file, "line %d: replace %s => %s: no usable %s; the build will fail without it", r.Syntax.Start.Line, r.Old.Path, r.New.Path, name)
			continue
		}
		f, err := goReadGoMod(fsys, name)
		if err != nil {
			det.Problemf(name, "%v", err)
			continue
		}
		seen[dir] = true
		lay.Modules = append(lay.Modules, &buildModule{Path: r.Old.Path, Dir: dir, File: f, Name: name})
	}
}

// localDir resolves a relative module folder (from go.work or a replace
// directive) against the folder it was written in. It reports false for
// absolute paths and paths that leave the repository.
func localDir(from, p string) (string, bool) {
	if path.IsAbs(p) || strings.HasPrefix(p, `\`) || (len(p) > 1 && p[1] == ':') {
		return "", false
	}
	d := path.Clean(path.Join(from, strings.ReplaceAll(p, `\`, "/")))
	if d == ".." || strings.HasPrefix(d, "../") {
		return "", false
	}
	return d, true
}

var goMinorRE = regexp.MustCompile(`^(?:go)?(\d+)\.(\d+)`)

// goMinor returns "1.26" for "1.26", "1.26.3", "go1.26.3" or "1.26rc1".
func goMinor(v string) (string, bool) {
	m := goMinorRE.FindStringSubmatch(v)
	if m == nil {
		return "", false
	}
	return m[1] + "." + m[2], true
}

// goCompareMinor orders two "1.26"-style versions.
func goCompareMinor(a, b string) int {
	pa, pb := strings.SplitN(a, ".", 2), strings.SplitN(b, ".", 2)
	for i := 0; i < 2; i++ {
		x, _ := strconv.Atoi(pa[min(i, len(pa)-1)])
		y, _ := strconv.Atoi(pb[min(i, len(pb)-1)])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// goVersion picks the Go minor to build with. The toolchain line wins over
// the go directive (it names the toolchain the authors build with); in a
// workspace go.work decides, else the highest go line of its modules.
// Without either, .go-version, .tool-versions and mise.toml are read.
//
// The repository's version is honoured, with a note when it no longer
// gets security fixes. Only a version with no Debian 13 image at all
// (older than catalog.GoOldestOnCurrent) is raised, to the oldest supported release:
// the go directive and the toolchain line are minimums, and a newer Go
// builds the module with the language semantics its go line asks for.
func goVersion(fsys fs.FS, lay *layout, det *facts.Detection) (string, facts.Evidence) {
	var best string
	var ev facts.Evidence
	consider := func(v, file string, line int, detail string) {
		m, ok := goMinor(v)
		if !ok {
			det.Problemf(file, "line %d: cannot read a Go version from %q", line, detail)
			return
		}
		if best == "" || goCompareMinor(m, best) > 0 {
			best, ev = m, facts.Evidence{File: file, Line: line, Detail: detail}
		}
	}
	switch {
	case lay.Work != nil && (lay.Work.Toolchain != nil || lay.Work.Go != nil):
		if g := lay.Work.Go; g != nil {
			consider(g.Version, "go.work", g.Syntax.Start.Line, "go "+g.Version)
		}
		if t := lay.Work.Toolchain; t != nil {
			consider(t.Name, "go.work", t.Syntax.Start.Line, "toolchain "+t.Name)
		}
	default:
		for _, m := range lay.Modules {
			if g := m.File.Go; g != nil {
				consider(g.Version, m.Name, g.Syntax.Start.Line, "go "+g.Version)
			}
			if t := m.File.Toolchain; t != nil {
				consider(t.Name, m.Name, t.Syntax.Start.Line, "toolchain "+t.Name)
			}
			if lay.Work == nil {
				break // the root module alone decides; replaced modules do not
			}
		}
	}
	if best == "" {
		best, ev = goVersionFile(fsys)
	}
	if best == "" {
		return "", facts.Evidence{}
	}
	if sup := catalog.GoSupported(); len(sup) > 0 {
		oldest := sup[len(sup)-1]
		switch {
		case goCompareMinor(best, catalog.GoOldestOnCurrent) < 0:
			det.Notef("%s asks for Go %s, which has no %s image and no security fixes; the go line is a minimum, so the image builds with Go %s, the oldest supported release (pass --language-version to change it)", ev.File, best, catalog.GoBuildImage(best), oldest)
			ev.Detail += fmt.Sprintf(" (a minimum; %s has no Debian 13 image, so %s)", best, oldest)
			best = oldest
		case goCompareMinor(best, oldest) < 0:
			det.Notef("%s asks for Go %s, which no longer gets security fixes; the go line is a minimum: raise it, or pass --language-version %s", ev.File, best, sup[0])
		}
		if goCompareMinor(best, catalog.GoVersions[0]) > 0 {
			det.Notef("%s asks for Go %s, newer than any release dgen knows (its table was checked on %s); check that %s exists", ev.File, best, catalog.VersionsChecked, catalog.GoBuildImage(best))
		}
	}
	return best, ev
}

// goVersionFile reads the version managers' files, for a go.mod without a
// go line (written before Go 1.12).
func goVersionFile(fsys fs.FS) (string, facts.Evidence) {
	for _, f := range []struct {
		name string
		re   *regexp.Regexp
	}{
		{".go-version", regexp.MustCompile(`^\s*(?:go)?(\d+\.\d+[0-9.]*)\s*$`)},
		{".tool-versions", regexp.MustCompile(`^\s*(?:golang|go)\s+(\d+\.\d+[0-9.]*)`)},
		{"mise.toml", regexp.MustCompile(`^\s*(?:go|golang)\s*=\s*["'](\d+\.\d+[0-9.]*)["']`)},
		{".mise.toml", regexp.MustCompile(`^\s*(?:go|golang)\s*=\s*["'](\d+\.\d+[0-9.]*)["']`)},
	} {
		data, err := repo.ReadPrefix(fsys, f.name, 64<<10)
		if err != nil {
			continue
		}
		var v string
		var ev facts.Evidence
		repo.Lines(data, func(n int, line string) bool {
			if m := f.re.FindStringSubmatch(line); m != nil {
				if minor, ok := goMinor(m[1]); ok {
					v, ev = minor, facts.Evidence{File: f.name, Line: n, Detail: strings.TrimSpace(line)}
					return false
				}
			}
			return true
		})
		if v != "" {
			return v, ev
		}
	}
	return "", facts.Evidence{}
}

// requires lists every module required by the build's go.mod files, with
// the file and line that requires it.
func (lay *layout) requires() []requirement {
	var out []requirement
	for _, m := range lay.Modules {
		for _, r := range m.File.Require {
			out = append(out, requirement{Path: r.Mod.Path, Version: r.Mod.Version, Indirect: r.Indirect, File: m.Name, Line: r.Syntax.Start.Line})
		}
	}
	return out
}

// requirement is one require line.
type requirement struct {
	Path, Version string
	Indirect      bool
	File          string
	Line          int
}

// modulePathMatches reports whether mod is base or base's /vN major
// version (github.com/x/y matches github.com/x/y/v2).
func modulePathMatches(mod, base string) bool {
	if mod == base {
		return true
	}
	prefix, _, ok := module.SplitPathVersion(mod)
	return ok && prefix == base
}

// moduleBase returns the last element of a module path without its
// major-version suffix: github.com/acme/shop/v2 → shop.
func moduleBase(p string) string {
	if prefix, _, ok := module.SplitPathVersion(p); ok && prefix != "" {
		p = prefix
	}
	p = strings.TrimSuffix(p, "/")
	if i := strings.LastIndex(p, "/"); i >= 0 {
		p = p[i+1:]
	}
	if j := strings.Index(p, "."); j > 0 && strings.HasPrefix(p, "gopkg.in") {
		p = p[:j]
	}
	return p
}
