package python

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
	"github.com/pelletier/go-toml/v2"
)

// pyWheelLockfiles are the lockfiles that list each distribution's files
// with their tags, by package manager.
var pyWheelLockfiles = map[string]string{"uv": "uv.lock", "poetry": "poetry.lock", "pdm": "pdm.lock"}

// pyMaxNamed is how many packages a wheel note names before "N more".
const pyMaxNamed = 5

// wheelFit checks the Python minor against the wheels the lockfile pins.
// A range (src.isRange) is narrowed to the newest minor it allows for
// which every compiled package the install needs has a wheel; when none
// has them all, the minor with the fewest source builds. An exact pin is
// kept. Either way, packages left to compile from source get the build
// tools, with a note. It returns the minor to use.
func (s *pyScan) wheelFit(src pyVersionSource, minor string) string {
	file := pyWheelLockfiles[s.det.PackageManager]
	if file == "" {
		return minor
	}
	dists := s.lockDists(file)
	if len(dists) == 0 {
		return minor
	}
	cands := []string{minor}
	if src.isRange {
		cands = pyRangeMinors(src.value, minor)
	}
	if slices.ContainsFunc(cands, func(c string) bool { return pyMinorNum(c) < 0 }) {
		return minor
	}
	chosen, blockers := 0, []*pyLockDist(nil)
	missing := make([][]*pyLockDist, len(cands))
	for i, c := range cands {
		missing[i] = pyUncovered(dists, pyMinorNum(c))
		if len(missing[i]) < len(missing[chosen]) {
			chosen = i
		}
		if len(missing[i]) == 0 {
			break
		}
	}
	covered := len(missing[chosen]) == 0
	// The newer minors passed over explain the choice; when no minor is
	// covered, so do the chosen one's source builds.
	last := chosen
	if !covered {
		last++
	}
	for _, m := range missing[:last] {
		for _, d := range m {
			if !slices.Contains(blockers, d) {
				blockers = append(blockers, d)
			}
		}
	}
	if src.isRange && len(blockers) > 0 {
		s.citeWheels(file, src, cands[chosen], blockers, covered)
	}
	s.sourceBuilds(file, cands[chosen], dists, missing[chosen])
	return cands[chosen]
}

// citeWheels records why the range was narrowed: the packages whose wheels
// stop before the newer minors, as the languageVersion evidence and a note.
func (s *pyScan) citeWheels(file string, src pyVersionSource, minor string, blockers []*pyLockDist, covered bool) {
	var why []string
	for _, d := range blockers {
		why = append(why, d.label()+" has wheels for "+d.fits.describe()+" only")
	}
	s.det.Cite("languageVersion", file, blockers[0].line, why[0])
	if len(why) > pyMaxNamed {
		why = append(why[:pyMaxNamed], fmt.Sprintf("%d more", len(why)-pyMaxNamed))
	}
	if covered {
		s.det.Notef("%s: %s, so Python %s is the newest minor that %s (%s) allows and every compiled package has a wheel for", file, strings.Join(why, "; "), minor, src.file, src.detail)
		return
	}
	s.det.Notef("%s: %s; no minor that %s (%s) allows has a wheel of every compiled package, so Python %s, which needs the fewest source builds, is used", file, strings.Join(why, "; "), src.file, src.detail, minor)
}

// sourceBuilds adds the build tools for the packages that are compiled
// from source on minor: those whose wheels skip it, and those with an
// sdist only. A package in the catalog's native table brings its own
// build packages.
func (s *pyScan) sourceBuilds(file, minor string, dists, uncovered []*pyLockDist) {
	m := pyMinorNum(minor)
	var from []string
	for _, d := range dists {
		wheelless := !d.wheel && d.sdist && d.neededAt(m)
		if !wheelless && !slices.Contains(uncovered, d) {
			continue
		}
		if lib, ok := catalog.PythonNativeOf(pyNormalize(d.name)); ok && len(lib.Build) > 0 {
			continue
		}
		if wheelless {
			from = append(from, d.label()+" (sdist only)")
		} else {
			from = append(from, d.label()+" (wheels for "+d.fits.describe()+" only)")
		}
	}
	if len(from) == 0 {
		return
	}
	if len(from) > pyMaxNamed {
		from = append(from[:pyMaxNamed], fmt.Sprintf("%d more", len(from)-pyMaxNamed))
	}
	verb := "is"
	if len(from) > 1 {
		verb = "are"
	}
	build := catalog.PythonSourceBuildPackages()
	s.facts.BuildPackages = append(s.facts.BuildPackages, build...)
	s.det.Notef("%s: %s %s built from source for Python %s: %s in the build stage only, for the C code it may hold (a Rust extension would also need cargo, a library binding its -dev package)", file, strings.Join(from, ", "), verb, minor, strings.Join(build, " "))
}

// pyUncovered lists the compiled distributions the install needs on
// minor that have no wheel for it.
func pyUncovered(dists []*pyLockDist, minor int) []*pyLockDist {
	var out []*pyLockDist
	for _, d := range dists {
		if d.wheel && !d.fits.all() && d.neededAt(minor) && !d.fits[minor] {
			out = append(out, d)
		}
	}
	return out
}

// pyRangeMinors lists, newest first, the minors in dgen's table whose
// newest patch the range allows; resolved alone when the range resolved
// outside them (a single patch, a release newer or older than the table).
func pyRangeMinors(spec, resolved string) []string {
	r, err := parsePyRange(spec)
	if err != nil {
		return []string{resolved}
	}
	var out []string
	for _, m := range catalog.PythonVersions {
		if r.allowsNewest(m) {
			out = append(out, m)
		}
	}
	if !slices.Contains(out, resolved) {
		return []string{resolved}
	}
	return out
}

// pyMinorNum is 12 for "3.12"; -1 outside the minors a wheel is read for.
func pyMinorNum(minor string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(minor, "3."))
	if err != nil || n < 0 || n > pyMaxMinor {
		return -1
	}
	return n
}

// lockDists reads the distributions of a uv.lock, poetry.lock or pdm.lock
// that the install puts in the image (the runtime dependencies found
// before), with their files and markers. An unreadable lockfile gives
// none; the dependency scan has reported it.
func (s *pyScan) lockDists(file string) []*pyLockDist {
	data, ok := pyRead(s.fsys, s.det, file)
	if !ok {
		return nil
	}
	var lock map[string]any
	if err := toml.Unmarshal(data, &lock); err != nil {
		return nil
	}
	var dists []*pyLockDist
	if file == "uv.lock" {
		dists = pyUVDists(lock)
	} else {
		dists = pyFileListDists(lock)
	}
	out := dists[:0]
	for _, d := range dists {
		dep, ok := s.deps[pyNormalize(d.name)]
		if !ok {
			continue
		}
		d.line = pyPackageLine(data, d.name, d.version)
		if file != "uv.lock" && dep.File == "pyproject.toml" {
			// poetry.lock and pdm.lock have no entry for the project, so
			// its own dependencies have no edge that would carry a marker.
			d.via = nil
		}
		out = append(out, d)
	}
	return out
}

// pyUVDists reads uv.lock: sdist and wheels per package, resolution
// markers of forked versions, and the markers on the edges that lead to
// each package (an edge without one means always).
func pyUVDists(lock map[string]any) []*pyLockDist {
	edges := newPyEdges()
	addEdges := func(list any) {
		for _, e := range pyTSlice(list) {
			em, _ := e.(map[string]any)
			n, _ := em["name"].(string)
			mk, _ := em["marker"].(string)
			if n != "" {
				edges.add(n, pyMarkerCond(mk))
			}
		}
	}
	var dists []*pyLockDist
	for _, p := range pyTSlice(lock["package"]) {
		pkg, _ := p.(map[string]any)
		addEdges(pkg["dependencies"])
		opt := pyTMap(pkg["optional-dependencies"])
		for _, k := range slices.Sorted(maps.Keys(opt)) {
			addEdges(opt[k])
		}
		d := &pyLockDist{resolution: pyTStrings(pkg["resolution-markers"])}
		d.name, _ = pkg["name"].(string)
		d.version, _ = pkg["version"].(string)
		if sd, ok := pkg["sdist"].(map[string]any); ok {
			d.sdist = true
			d.addFile(pyFileName(sd))
		}
		for _, w := range pyTSlice(pkg["wheels"]) {
			wm, _ := w.(map[string]any)
			d.addFile(pyFileName(wm))
		}
		if d.name != "" {
			dists = append(dists, d)
		}
	}
	edges.apply(dists)
	return dists
}

// pyFileListDists reads poetry.lock and pdm.lock: files = [{file = …}]
// per package, or the [metadata.files] table of older lockfiles (keyed by
// name in Poetry's, by "name version" in PDM's), and the package's
// markers (Poetry 2 may key them by group).
func pyFileListDists(lock map[string]any) []*pyLockDist {
	meta := pyTMap(pyT(lock, "metadata", "files"))
	edges := newPyEdges()
	var dists []*pyLockDist
	for _, p := range pyTSlice(lock["package"]) {
		pkg, _ := p.(map[string]any)
		d := &pyLockDist{}
		d.name, _ = pkg["name"].(string)
		d.version, _ = pkg["version"].(string)
		pyAddLockEdges(edges, pkg["dependencies"])
		if optional, _ := pkg["optional"].(bool); d.name == "" || optional {
			// Poetry installs an optional package only for an extra,
			// and the install asks for none.
			continue
		}
		files := pyTSlice(pkg["files"])
		if files == nil {
			files = pyTSlice(meta[d.name])
		}
		if files == nil {
			files = pyTSlice(meta[d.name+" "+d.version])
		}
		for _, f := range files {
			fm, _ := f.(map[string]any)
			d.addFile(pyFileName(fm))
		}
		for _, key := range []string{"markers", "marker"} {
			switch mk := pkg[key].(type) {
			case string:
				d.when = append(d.when, mk)
			case map[string]any:
				for _, g := range slices.Sorted(maps.Keys(mk)) {
					if v, ok := mk[g].(string); ok {
						d.when = append(d.when, v)
					}
				}
			}
		}
		dists = append(dists, d)
	}
	edges.apply(dists)
	return dists
}

// pyAddLockEdges records a poetry.lock [package.dependencies] table (name =
// "version", a table with markers and python, or a list of such tables)
// or a pdm.lock dependencies list of PEP 508 strings.
func pyAddLockEdges(edges *pyEdges, deps any) {
	if list, ok := deps.([]any); ok {
		for _, v := range list {
			raw, _ := v.(string)
			req, marker, _ := strings.Cut(raw, ";")
			if name, _, ok := parsePyRequirement(req); ok {
				edges.add(name, pyMarkerCond(marker))
			}
		}
		return
	}
	table := pyTMap(deps)
	for _, name := range slices.Sorted(maps.Keys(table)) {
		specs, ok := table[name].([]any)
		if !ok {
			specs = []any{table[name]}
		}
		for _, spec := range specs {
			sm, _ := spec.(map[string]any)
			mk, _ := sm["markers"].(string)
			py, _ := sm["python"].(string)
			edges.add(name, pyBothConds(pyMarkerCond(mk), pyPythonCond(py)))
		}
	}
}

// pyFileName is the file name or URL of one lockfile file entry.
func pyFileName(f map[string]any) string {
	for _, k := range []string{"file", "filename", "url", "path"} {
		if v, _ := f[k].(string); v != "" {
			return v
		}
	}
	return ""
}

// pyPackageLine is the line of a [[package]]'s name key: the one followed
// by its version when a fork locks several versions, not a dependency
// entry ({ name = "numpy" }) that mentions it. 0 when not found.
func pyPackageLine(data []byte, name, version string) int {
	text := string(data)
	for _, needle := range []string{"\nname = \"" + name + "\"\nversion = \"" + version + "\"", "\nname = \"" + name + "\""} {
		if i := strings.Index(text, needle); i >= 0 {
			return repo.LineAt(data, i+1)
		}
	}
	return 0
}
