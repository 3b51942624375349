package python

import (
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
)

// pyRequirementsPreference ranks requirements files: the plain one, then
// files named for production, then a shared base. Files for development,
// tests, docs or linting are never installed into the image.
var pyRequirementsPreference = []string{
	"requirements.txt",
	"requirements/production.txt", "requirements/prod.txt",
	"requirements-production.txt", "requirements-prod.txt", "requirements_prod.txt",
	"requirements/main.txt", "requirements/base.txt", "requirements/common.txt",
	"requirements-base.txt",
}

var pyDevRequirements = regexp.MustCompile(`(?i)(^|[-_./])(dev|devel|develop|development|test|tests|testing|doc|docs|lint|ci|local|debug|typing|mypy)([-_.]|$)`)

// pyRequirementsRank orders requirements files by pyRequirementsPreference;
// development files rank 1000 and are never installed.
func pyRequirementsRank(f string) int {
	for i, p := range pyRequirementsPreference {
		if p == f {
			return i
		}
	}
	if pyDevRequirements.MatchString(path.Base(f)) {
		return 1000
	}
	return 100
}

// pyRequirementsCandidates lists the requirements files that could be the
// app's, best first.
func pyRequirementsCandidates(fsys fs.FS) []string {
	var all []string
	if ents, err := fs.ReadDir(fsys, "."); err == nil {
		for _, e := range ents {
			if pyIsRequirementsName(e.Name()) && e.Type().IsRegular() {
				all = append(all, e.Name())
			}
		}
	}
	all = append(all, pyRequirementsInDir(fsys, "requirements")...)
	rank := pyRequirementsRank
	sort.SliceStable(all, func(i, j int) bool {
		ri, rj := rank(all[i]), rank(all[j])
		if ri != rj {
			return ri < rj
		}
		return all[i] < all[j]
	})
	var out []string
	for _, f := range all {
		if rank(f) < 1000 {
			out = append(out, f)
		}
	}
	return out
}

// pyMaxRequirementsDepth bounds -r includes (a loop is cut, not followed).
const pyMaxRequirementsDepth = 5

// readRequirements reads a pip requirements file: requirements, -r and -c
// includes (copied too, keeping their paths), index options, and local
// paths that make the install need the source.
func (s *pyScan) readRequirements(name string, depth int, constraintsOnly bool) {
	if depth > pyMaxRequirementsDepth || pyContains(s.facts.Manifests, name) {
		return
	}
	data, ok := pyRead(s.fsys, s.det, name)
	if !ok {
		if depth > 0 {
			s.det.Problemf(name, "included by another requirements file but missing")
		}
		return
	}
	if pyBinary(data) {
		s.det.Problemf(name, "holds binary data, not requirements; it is ignored: fix it or remove it")
		return
	}
	s.facts.Manifests = append(s.facts.Manifests, name)
	dir := path.Dir(name)
	var logical strings.Builder
	start := 0
	repo.Lines(data, func(n int, l string) bool {
		if logical.Len() == 0 {
			start = n
		}
		if strings.HasSuffix(l, "\\") {
			logical.WriteString(strings.TrimSuffix(l, "\\") + " ")
			return true
		}
		logical.WriteString(l)
		line := logical.String()
		logical.Reset()
		s.requirementLine(name, dir, start, line, depth, constraintsOnly)
		return true
	})
}

var pyReqComment = regexp.MustCompile(`(^|\s)#.*$`)

func (s *pyScan) requirementLine(file, dir string, n int, line string, depth int, constraintsOnly bool) {
	line = strings.TrimSpace(pyReqComment.ReplaceAllString(line, ""))
	if line == "" {
		return
	}
	fields := strings.Fields(line)
	opt, arg := fields[0], ""
	if strings.HasPrefix(opt, "-") {
		if k, v, ok := strings.Cut(opt, "="); ok {
			opt, arg = k, v
		} else if len(fields) > 1 {
			arg = fields[1]
		} else if len(opt) > 2 && opt[1] != '-' {
			opt, arg = opt[:2], opt[2:]
		}
		switch opt {
		case "-r", "--requirement", "-c", "--constraint":
			inc := path.Clean(path.Join(dir, arg))
			if strings.Contains(arg, "://") || strings.HasPrefix(inc, "../") || path.IsAbs(arg) {
				s.det.Problemf(file, "line %d: %s %s is outside the repository; dgen cannot copy it", n, opt, arg)
				return
			}
			s.readRequirements(inc, depth+1, constraintsOnly || opt == "-c" || opt == "--constraint")
		case "-e", "--editable":
			if pyLocalPath(arg) {
				s.needsSource(file, n, line)
			} else {
				s.addDep(arg, file, n)
			}
		case "-i", "--index-url", "--extra-index-url":
			s.addIndex(arg, file, n)
		case "-f", "--find-links":
			if pyLocalPath(arg) || !strings.Contains(arg, "://") {
				s.needsSource(file, n, line)
			} else {
				s.addIndex(arg, file, n)
			}
		}
		return
	}
	if pyLocalPath(fields[0]) {
		s.needsSource(file, n, line)
		return
	}
	if _, _, ok := parsePyRequirement(line); !ok {
		s.det.Problemf(file, "line %d: %q is not a requirement pip understands; fix it", n, pyShorten(line))
		return
	}
	if !constraintsOnly {
		s.addDep(line, file, n)
	}
}

// pyShorten cuts s for a message.
func pyShorten(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

func (s *pyScan) needsSource(file string, n int, line string) {
	if !s.facts.InstallWithSource {
		s.det.Notef("%s:%d: %q installs a local path, so the install runs after the source is copied (dependency layers are rebuilt on every source change)", file, n, line)
	}
	s.facts.InstallWithSource = true
}

// pyLocalPath reports whether a requirement names a local path rather than
// a package or URL.
func pyLocalPath(s string) bool {
	return s == "." || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") ||
		strings.HasPrefix(s, "/") || strings.HasPrefix(s, "file:") ||
		strings.HasSuffix(s, ".whl") || strings.HasSuffix(s, ".tar.gz") || strings.HasSuffix(s, ".zip")
}
