package python

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
)

// pyMaxMinor bounds the Python 3 minors a wheel's tags are expanded to;
// an abi3 or pyXY wheel fits every minor from its own up to it.
const pyMaxMinor = 40

// pyFits is the set of Python 3 minors (index 3.<i>) something fits.
type pyFits [pyMaxMinor + 1]bool

func (f *pyFits) all() bool {
	for _, ok := range f {
		if !ok {
			return false
		}
	}
	return true
}

// describe renders the minors as wheel tags: "cp39–cp312", "cp312",
// "cp38 and newer (abi3)", "cp39, cp311".
func (f *pyFits) describe() string {
	var runs []string
	for i := 0; i <= pyMaxMinor; i++ {
		if !f[i] {
			continue
		}
		j := i
		for j < pyMaxMinor && f[j+1] {
			j++
		}
		switch {
		case j == pyMaxMinor:
			runs = append(runs, fmt.Sprintf("cp3%d and newer (abi3)", i))
		case j == i:
			runs = append(runs, fmt.Sprintf("cp3%d", i))
		default:
			runs = append(runs, fmt.Sprintf("cp3%d–cp3%d", i, j))
		}
		i = j
	}
	if len(runs) == 0 {
		return "no CPython 3 on Linux"
	}
	return strings.Join(runs, ", ")
}

// pyWheelFits reads a wheel's file name (or URL) and returns the minors
// it installs on in a python:3.X image on Linux x86_64 or aarch64 with
// glibc, as pip and uv match tags: cp3X-cp3X, cp3Y-abi3 for Y ≤ X,
// py3/py2.py3 and py3Y (Y ≤ X) with no ABI. usable is false for a wheel
// built for another platform (Windows, macOS, musl, 32-bit), for
// free-threaded (cp313t) and PyPy builds, and for anything that is not a
// wheel.
func pyWheelFits(name string) (fits pyFits, usable bool) {
	if u, err := url.Parse(name); err == nil && u.Path != "" {
		name = u.Path
	}
	name = path.Base(name)
	if uq, err := url.PathUnescape(name); err == nil {
		name = uq
	}
	if !strings.HasSuffix(name, ".whl") {
		return fits, false
	}
	parts := strings.Split(strings.TrimSuffix(name, ".whl"), "-")
	if len(parts) < 5 {
		return fits, false
	}
	pyTags, abiTags, plats := parts[len(parts)-3], parts[len(parts)-2], parts[len(parts)-1]
	if !slices.ContainsFunc(strings.Split(plats, "."), pyLinuxPlatform) {
		return fits, false
	}
	for _, py := range strings.Split(pyTags, ".") {
		for _, abi := range strings.Split(abiTags, ".") {
			lo, hi, ok := pyTagMinors(py, abi)
			for m := lo; ok && m <= hi; m++ {
				fits[m] = true
				usable = true
			}
		}
	}
	return fits, usable
}

// pyLinuxPlatform reports whether a platform tag runs in the official
// python images: any, or glibc Linux on x86_64 or aarch64.
func pyLinuxPlatform(plat string) bool {
	if plat == "any" {
		return true
	}
	if !strings.HasPrefix(plat, "manylinux") && !strings.HasPrefix(plat, "linux_") {
		return false
	}
	return strings.HasSuffix(plat, "_x86_64") || strings.HasSuffix(plat, "_aarch64")
}

// pyTagMinors returns the Python 3 minors [lo, hi] a python tag and ABI
// tag pair installs on.
func pyTagMinors(py, abi string) (lo, hi int, ok bool) {
	minorOf := func(tag, prefix string) (int, bool) {
		rest, found := strings.CutPrefix(tag, prefix)
		if !found || rest == "" {
			return 0, false
		}
		n, err := strconv.Atoi(rest)
		return n, err == nil && n <= pyMaxMinor
	}
	switch {
	case py == "py3" && abi == "none":
		return 0, pyMaxMinor, true
	case strings.HasPrefix(py, "py3") && abi == "none":
		y, ok := minorOf(py, "py3")
		return y, pyMaxMinor, ok
	case strings.HasPrefix(py, "cp3"):
		y, ok := minorOf(py, "cp3")
		if !ok {
			return 0, 0, false
		}
		switch abi {
		case "abi3":
			return y, pyMaxMinor, true
		case "none", py, py + "m":
			return y, y, true
		}
	}
	return 0, 0, false
}

// pyLockDist is one distribution a lockfile pins, with what its files
// and markers say.
type pyLockDist struct {
	name, version string
	line          int
	// fits are the minors a usable wheel installs on; wheel is true when
	// there is at least one such wheel.
	fits  pyFits
	wheel bool
	// sdist is true when the lock lists a source archive.
	sdist bool
	// when are the package's own markers (Poetry 2, PDM), of which one
	// must hold for it to be installed; none means always. resolution
	// are uv's forks: the package is this version only where one of them
	// holds.
	when, resolution []string
	// via are the conditions on the dependency edges that lead to the
	// package, of which one must hold; nil when an edge has none.
	via []func(minor int) bool
}

// neededAt reports whether the install puts d into a python:3.<minor>
// image.
func (d *pyLockDist) neededAt(minor int) bool {
	anyOf := func(markers []string) bool {
		if len(markers) == 0 {
			return true
		}
		return slices.ContainsFunc(markers, func(m string) bool { return pyMarkerAt(m, minor) })
	}
	viaOK := len(d.via) == 0 || slices.ContainsFunc(d.via, func(c func(int) bool) bool { return c(minor) })
	return anyOf(d.when) && anyOf(d.resolution) && viaOK
}

// pyEdges collects the conditions on the dependency edges that lead to
// each package (by normalized name): a package is needed where one of
// them holds, always when one edge has none.
type pyEdges struct {
	conds  map[string][]func(minor int) bool
	always map[string]bool
}

func newPyEdges() *pyEdges {
	return &pyEdges{conds: map[string][]func(int) bool{}, always: map[string]bool{}}
}

// add records one edge to name; a nil cond means unconditional.
func (e *pyEdges) add(name string, cond func(minor int) bool) {
	n := pyNormalize(name)
	if cond == nil {
		e.always[n] = true
		return
	}
	e.conds[n] = append(e.conds[n], cond)
}

// apply sets each distribution's via; one without edges keeps none.
func (e *pyEdges) apply(dists []*pyLockDist) {
	for _, d := range dists {
		if n := pyNormalize(d.name); !e.always[n] {
			d.via = e.conds[n]
		}
	}
}

// pyMarkerCond is the condition a marker sets; nil for none.
func pyMarkerCond(marker string) func(minor int) bool {
	if strings.TrimSpace(marker) == "" {
		return nil
	}
	return func(minor int) bool { return pyMarkerAt(marker, minor) }
}

// pyPythonCond is the condition a Poetry python = "<3.9" constraint
// sets; nil for none or one dgen cannot read.
func pyPythonCond(constraint string) func(minor int) bool {
	r, err := parsePyRange(constraint)
	if strings.TrimSpace(constraint) == "" || err != nil {
		return nil
	}
	return func(minor int) bool { return r.allowsMinor(fmt.Sprintf("3.%d", minor)) }
}

// pyBothConds is a and b; nil when neither is set.
func pyBothConds(a, b func(int) bool) func(int) bool {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return func(minor int) bool { return a(minor) && b(minor) }
}

// label is "numpy 1.26.4".
func (d *pyLockDist) label() string {
	if d.version == "" {
		return d.name
	}
	return d.name + " " + d.version
}

// addFile records one file of the distribution: a wheel's tags, or an
// sdist.
func (d *pyLockDist) addFile(name string) {
	if name == "" {
		return
	}
	fits, usable := pyWheelFits(name)
	switch {
	case usable:
		d.wheel = true
		for i, ok := range fits {
			d.fits[i] = d.fits[i] || ok
		}
	case pyIsSdist(name):
		d.sdist = true
	}
}

func pyIsSdist(name string) bool {
	for _, ext := range []string{".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar"} {
		if strings.HasSuffix(strings.ToLower(name), ext) {
			return true
		}
	}
	return false
}
