package python

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
	"github.com/pelletier/go-toml/v2"
)

// version settles the Python minor. First found wins: .python-version,
// runtime.txt, .tool-versions, mise.toml, Pipfile [requires],
// requires-python, Poetry's python dependency, setup.py/setup.cfg
// python_requires. Exact versions give their minor; ranges give the newest
// minor in PythonVersions that satisfies them (see resolvePyRange) and
// that the lockfile's wheels cover (see wheelFit). A range declared next
// to an exact pin is checked against it.
func (s *pyScan) version() {
	det := s.det
	srcs := s.versionSources()
	for i, src := range srcs {
		minor, note, err := "", "", error(nil)
		if src.isRange {
			minor, note, err = resolvePyRange(src.value)
		} else {
			minor, note, err = pyExactMinor(src.value)
		}
		if err != nil {
			det.Problemf(src.file, "Python version %q: %v; ignored", src.value, err)
			continue
		}
		det.Cite("languageVersion", src.file, src.line, src.detail)
		if note != "" {
			det.Notef("%s: %s", src.file, note)
		}
		minor = s.wheelFit(src, minor)
		det.LanguageVersion = minor
		// A range later in the list must still allow an exact pin.
		for _, later := range srcs[i+1:] {
			if !later.isRange {
				continue
			}
			if r, err := parsePyRange(later.value); err == nil && !r.allowsMinor(minor) {
				det.Notef("%s pins Python %s but %s says %q, which excludes it; dgen follows %s", src.file, minor, later.file, later.value, src.file)
			}
		}
		if !pyContains(catalog.PythonSupported, minor) {
			det.Notef("Python %s is not a supported CPython line (supported on %s: %s); it is used because %s asks for it, but plan an upgrade", minor, catalog.VersionsChecked, strings.Join(catalog.PythonSupported, ", "), src.file)
		}
		return
	}
}

// pyUVLockPythonRe is uv.lock's top-level requires-python.
var pyUVLockPythonRe = regexp.MustCompile(`(?m)^requires-python\s*=\s*"([^"\n]+)"`)

// pyVersionSource is one place that states the Python version.
type pyVersionSource struct {
	file, detail string
	line         int
	value        string
	isRange      bool
}

// versionSources lists every statement of the Python version, in the
// order version trusts them.
func (s *pyScan) versionSources() []pyVersionSource {
	var srcs []pyVersionSource
	addFile := func(file string, parse func(data []byte) (string, int, bool)) {
		data, ok := pyRead(s.fsys, s.det, file)
		if !ok {
			return
		}
		v, line, isRange := parse(data)
		if v != "" {
			srcs = append(srcs, pyVersionSource{file, pyLineText(data, line), line, v, isRange})
		}
	}
	addTOML := func(file string, data []byte, v any, key string, isRange bool) bool {
		str, _ := v.(string)
		if str == "" {
			return false
		}
		line := pyLineOf(data, key)
		srcs = append(srcs, pyVersionSource{file, pyLineText(data, line), line, str, isRange})
		return true
	}
	addFile(".python-version", pyVersionFile)
	addFile("runtime.txt", func(data []byte) (string, int, bool) {
		return strings.TrimSpace(pyLineText(data, 1)), 1, false
	})
	addFile(".tool-versions", pyToolVersions)
	for _, mise := range []string{"mise.toml", ".mise.toml"} {
		addFile(mise, func(data []byte) (string, int, bool) { return s.miseVersion(mise, data) })
	}
	if s.m.pipfile != nil {
		for _, k := range []string{"python_full_version", "python_version"} {
			if addTOML("Pipfile", s.m.pipfileData, pyT(s.m.pipfile, "requires", k), k, false) {
				break
			}
		}
	}
	addTOML("pyproject.toml", s.m.pyprojectData, pyT(s.m.pyproject, "project", "requires-python"), "requires-python", true)
	if m := s.member; m != nil {
		addTOML(path.Join(m.dir, "pyproject.toml"), m.m.pyprojectData, pyT(m.m.pyproject, "project", "requires-python"), "requires-python", true)
	}
	if s.facts.UVWorkspace {
		// uv.lock's requires-python is what every member allows, which a
		// virtual workspace root does not state itself.
		addFile("uv.lock", func(data []byte) (string, int, bool) {
			m := pyUVLockPythonRe.FindSubmatchIndex(data)
			if m == nil {
				return "", 0, false
			}
			return string(data[m[2]:m[3]]), repo.LineAt(data, m[0]), true
		})
	}
	addTOML("pyproject.toml", s.m.pyprojectData, pyT(s.m.pyproject, "tool", "poetry", "dependencies", "python"), "python =", true)
	for _, f := range []string{"setup.cfg", "setup.py"} {
		addFile(f, pySetupPythonRequires)
	}
	return srcs
}

// pyVersionFile reads .python-version: its first line that is not a
// comment.
func pyVersionFile(data []byte) (string, int, bool) {
	v, line := "", 0
	repo.Lines(data, func(n int, l string) bool {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			return true
		}
		v, line = l, n
		return false
	})
	return v, line, false
}

// pyToolVersions reads asdf's .tool-versions "python X.Y.Z" line.
func pyToolVersions(data []byte) (string, int, bool) {
	v, line := "", 0
	repo.Lines(data, func(n int, l string) bool {
		f := strings.Fields(l)
		if len(f) >= 2 && f[0] == "python" {
			v, line = f[1], n
			return false
		}
		return true
	})
	return v, line, false
}

// miseVersion reads [tools] python from a mise config, as a string, a
// list (the first is the default) or a table with version.
func (s *pyScan) miseVersion(file string, data []byte) (string, int, bool) {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		s.det.Problemf(file, "not valid TOML: %v", pyTOMLErr(err))
		return "", 0, false
	}
	v := pyT(doc, "tools", "python")
	if t, ok := v.(map[string]any); ok {
		v = t["version"]
	}
	vs := pyTStrings(v)
	if len(vs) == 0 {
		return "", 0, false
	}
	return vs[0], pyLineOf(data, "python"), false
}

// pySetupPythonRequires reads python_requires from setup.py or setup.cfg.
func pySetupPythonRequires(data []byte) (string, int, bool) {
	mm := pyPythonRequires.FindSubmatch(data)
	if mm == nil {
		return "", 0, false
	}
	v := string(mm[1])
	if v == "" {
		v = string(mm[2])
	}
	return strings.TrimSpace(v), pyLineOf(data, "python_requires"), true
}

var pyPythonRequires = regexp.MustCompile(`python_requires\s*=\s*(?:["']([^"'\n]+)["']|([^\n#]+))`)

var pyExactRe = regexp.MustCompile(`^(?:python-?|cpython-?|py)?(\d+)\.(\d+)(?:\.\d+)?(?:(?:a|b|rc)\d+)?(t)?$`)

// pyExactMinor reads an exact version as written in .python-version,
// runtime.txt and the like ("3.12.4", "3.12", "python-3.11.9", "3.13t").
// A bare major ("3") means the newest minor dgen knows.
func pyExactMinor(v string) (minor, note string, err error) {
	v = strings.TrimSpace(strings.ToLower(v))
	switch {
	case v == "3" || v == "3.x" || v == "3.*":
		return catalog.PythonVersions[0], "", nil
	case strings.HasPrefix(v, "pypy"), strings.HasPrefix(v, "graalpy"), strings.HasPrefix(v, "miniconda"), strings.HasPrefix(v, "anaconda"):
		return "", "", fmt.Errorf("not CPython; the official python images are CPython")
	case v == "system" || v == "latest":
		return "", "", fmt.Errorf("names no version")
	}
	m := pyExactRe.FindStringSubmatch(v)
	if m == nil {
		return "", "", fmt.Errorf("not a Python version")
	}
	if m[1] != "3" {
		return "", "", fmt.Errorf("no maintained images for %s.%s; only Python 3 is supported", m[1], m[2])
	}
	minor = m[1] + "." + m[2]
	if m[3] == "t" {
		note = "a free-threaded build (" + v + ") was asked for; the official images are the default build of " + minor
	}
	return minor, note, nil
}

// pyExactVersion returns X.Y.Z when spec pins exactly one version
// ("==0.5.1", "0.5.1").
func pyExactVersion(spec string) (string, bool) {
	spec = strings.TrimSpace(spec)
	spec = strings.TrimPrefix(strings.TrimPrefix(spec, "==="), "==")
	spec = strings.TrimSpace(spec)
	if regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(spec) {
		return spec, true
	}
	return "", false
}

// pyRange is a version range as PEP 440 (requires-python) or Poetry
// (python = "^3.11") writes it: alternatives ("||") of clauses that must
// all hold.
type pyRange struct {
	alts [][]pyClause
}

// pyClause is one comparison; negate turns a wildcard equality into its
// exclusion (!=3.9.*).
type pyClause struct {
	c      *semver.Constraints
	negate bool
}

func (r *pyRange) allows(v *semver.Version) bool {
	for _, alt := range r.alts {
		ok := true
		for _, cl := range alt {
			if cl.c.Check(v) == cl.negate {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// pyNewestPatch stands for "the newest patch of a minor", which is what a
// python:3.X image carries.
const pyNewestPatch = 999

// allowsMinor reports whether some patch of minor satisfies r.
func (r *pyRange) allowsMinor(minor string) bool {
	return r.allowsNewest(minor) || r.allowsSomePatch(minor)
}

func (r *pyRange) allowsNewest(minor string) bool {
	v, err := semver.NewVersion(fmt.Sprintf("%s.%d", minor, pyNewestPatch))
	return err == nil && r.allows(v)
}

func (r *pyRange) allowsSomePatch(minor string) bool {
	for p := 0; p <= 30; p++ {
		if v, err := semver.NewVersion(fmt.Sprintf("%s.%d", minor, p)); err == nil && r.allows(v) {
			return true
		}
	}
	return false
}

var pyClauseSplit = regexp.MustCompile(`(~=|===|==|!=|<=|>=|<|>|\^|~|=)?\s*v?([0-9][0-9A-Za-z.*+!-]*|\*)`)

// parsePyRange parses a PEP 440 specifier set (">=3.10,<4", "~=3.11",
// "==3.12.*", ">=3.9,!=3.9.1") or a Poetry constraint ("^3.11", "~3.11",
// ">=3.9 <4", "3.11", "^3.10 || ^3.11", "*") into a pyRange evaluated
// with Masterminds semver.
func parsePyRange(spec string) (*pyRange, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, fmt.Errorf("empty range")
	}
	r := &pyRange{}
	for _, alt := range regexp.MustCompile(`\s*\|\|?\s*`).Split(spec, -1) {
		var clauses []pyClause
		rest := strings.TrimSpace(alt)
		if rest == "" {
			return nil, fmt.Errorf("empty alternative in %q", spec)
		}
		for rest != "" {
			rest = strings.TrimLeft(rest, ", \t")
			if rest == "" {
				break
			}
			loc := pyClauseSplit.FindStringSubmatchIndex(rest)
			if loc == nil || loc[0] != 0 {
				return nil, fmt.Errorf("cannot read %q", rest)
			}
			op, ver := "", rest[loc[4]:loc[5]]
			if loc[2] >= 0 {
				op = rest[loc[2]:loc[3]]
			}
			rest = rest[loc[1]:]
			cl, err := pyMakeClause(op, ver)
			if err != nil {
				return nil, err
			}
			clauses = append(clauses, cl...)
		}
		r.alts = append(r.alts, clauses)
	}
	return r, nil
}

var pyVersionJunk = regexp.MustCompile(`(?i)(\.?(a|b|c|rc|alpha|beta|pre|preview|dev|post)\d*)+$|\+.*$`)

// pyMakeClause turns one PEP 440 or Poetry comparison into semver
// constraints.
func pyMakeClause(op, ver string) ([]pyClause, error) {
	mk := func(c string, negate bool) ([]pyClause, error) {
		cs, err := semver.NewConstraint(c)
		if err != nil {
			return nil, fmt.Errorf("cannot read %q: %v", op+ver, err)
		}
		return []pyClause{{c: cs, negate: negate}}, nil
	}
	if ver == "*" {
		return mk("*", false)
	}
	wild := strings.HasSuffix(ver, ".*")
	ver = strings.TrimSuffix(ver, ".*")
	ver = pyVersionJunk.ReplaceAllString(ver, "")
	parts := strings.Split(ver, ".")
	nums := make([]int, 0, 3)
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("cannot read version %q", ver)
		}
		nums = append(nums, n)
	}
	full := func() string {
		out := make([]string, 3)
		for i := range out {
			out[i] = "0"
			if i < len(nums) {
				out[i] = strconv.Itoa(nums[i])
			}
		}
		return strings.Join(out, ".")
	}
	// next returns the version after the prefix of length n: 3.12 → 3.13.0.
	next := func(n int) string {
		v := make([]int, 3)
		copy(v, nums)
		v[n-1]++
		for i := n; i < 3; i++ {
			v[i] = 0
		}
		return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2])
	}
	switch op {
	case "==", "===", "=", "":
		if wild || (op == "" && len(nums) < 3) {
			// ==3.12.* and Poetry's bare "3.12" mean any 3.12 patch.
			return mk(fmt.Sprintf(">= %s, < %s", full(), next(len(nums))), false)
		}
		return mk("= "+full(), false)
	case "!=":
		if wild {
			return mk(fmt.Sprintf(">= %s, < %s", full(), next(len(nums))), true)
		}
		return mk("!= "+full(), false)
	case "~=":
		if len(nums) < 2 {
			return nil, fmt.Errorf("~=%s: the compatible-release operator needs at least two parts", ver)
		}
		return mk(fmt.Sprintf(">= %s, < %s", full(), next(len(nums)-1)), false)
	case "^", "~":
		return mk(op+ver, false)
	case ">=", "<=", ">", "<":
		if wild {
			return nil, fmt.Errorf("%s%s.*: a wildcard only goes with == or !=", op, ver)
		}
		return mk(op+" "+full(), false)
	}
	return nil, fmt.Errorf("unknown operator %q", op)
}

// resolvePyRange returns the Python minor for a range: the newest minor in
// PythonVersions whose newest patch (what the image carries) satisfies it;
// else the newest one with any satisfying patch (an exact pin such as
// ==3.12.1, with a note that the image has a newer patch); else, outside
// the table, the oldest newer minor (a release newer than dgen's table,
// honoured with a note) or the newest older one (end of life, with a
// note). No Python 3 minor at all is an error.
func resolvePyRange(spec string) (minor, note string, err error) {
	r, err := parsePyRange(spec)
	if err != nil {
		return "", "", err
	}
	for _, m := range catalog.PythonVersions {
		if r.allowsNewest(m) {
			return m, "", nil
		}
	}
	for _, m := range catalog.PythonVersions {
		if r.allowsSomePatch(m) {
			return m, fmt.Sprintf("%q allows only some %s patches; the python:%s image carries the newest one", spec, m, m), nil
		}
	}
	newest, _ := strconv.Atoi(strings.TrimPrefix(catalog.PythonVersions[0], "3."))
	oldest, _ := strconv.Atoi(strings.TrimPrefix(catalog.PythonVersions[len(catalog.PythonVersions)-1], "3."))
	for m := newest + 1; m <= newest+10; m++ {
		v := fmt.Sprintf("3.%d", m)
		if r.allowsMinor(v) {
			return v, fmt.Sprintf("%q needs Python %s, newer than dgen's table (checked %s); check that python:%s images exist", spec, v, catalog.VersionsChecked, v), nil
		}
	}
	for m := oldest - 1; m >= 0; m-- {
		v := fmt.Sprintf("3.%d", m)
		if r.allowsMinor(v) {
			return v, fmt.Sprintf("%q allows only Python %s or older, which is past end of life", spec, v), nil
		}
	}
	return "", "", fmt.Errorf("no Python 3 version satisfies it")
}

func pyVersion(v string) (*semver.Version, error) {
	return semver.NewVersion(pyVersionJunk.ReplaceAllString(v, ""))
}

func mustPyVersion(v string) *semver.Version {
	sv, err := pyVersion(v)
	if err != nil {
		panic(err) // only called with dgen's own constants
	}
	return sv
}
