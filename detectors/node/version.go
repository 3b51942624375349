package node

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// maxVersionFile bounds a version file (.nvmrc, mise.toml…): real ones
// are a few lines.
const maxVersionFile = 16 << 10

// nodeVersionFiles are read, in order, before engines.node.
var nodeVersionFiles = []string{".nvmrc", ".node-version", ".tool-versions", "mise.toml", ".mise.toml"}

// detectNodeVersion sets LanguageVersion (a major) from version files in
// the app folder, then the build root, then engines.node.
func detectNodeVersion(fsys fs.FS, appDir string, root, app *packageJSON, det *facts.Detection) {
	dirs := []string{"."}
	if appDir != "" {
		dirs = []string{appDir, "."}
	}
	for _, dir := range dirs {
		for _, f := range nodeVersionFiles {
			if nodeVersionFromFile(fsys, dir, f, det) {
				return
			}
		}
	}
	for _, p := range []*packageJSON{app, root} {
		if p != nil && nodeVersionFromEngines(p, det) {
			return
		}
	}
}

// nodeVersionFromFile applies the version file f in dir and reports
// whether it named a Node version dgen resolves; anything unusable in it
// is a Problem.
func nodeVersionFromFile(fsys fs.FS, dir, f string, det *facts.Detection) bool {
	name := path.Join(dir, f)
	if !repo.IsFile(fsys, name) {
		return false
	}
	data, err := repo.ReadPrefix(fsys, name, maxVersionFile+1)
	if err != nil {
		det.Problemf(name, "cannot read: %v", err)
		return false
	}
	if len(data) > maxVersionFile {
		det.Problemf(name, "larger than %d bytes, which no version file is; ignored", maxVersionFile)
		return false
	}
	line, spec := versionSpec(f, data)
	if spec == "" {
		if (f == ".nvmrc" || f == ".node-version") && len(bytes.TrimSpace(data)) > 0 {
			det.Problemf(name, "names no Node version; ignored")
		}
		return false
	}
	major, note, err := resolveNodeSpec(spec)
	if err != nil {
		det.Problemf(name, "%v; ignored", err)
		return false
	}
	det.LanguageVersion = major
	det.Cite("languageVersion", name, line, strings.TrimSpace(spec)+" → Node "+major)
	if note != "" {
		det.Notef("%s: %s", name, note)
	}
	return true
}

// nodeVersionFromEngines applies p's engines.node and reports whether it
// was a range dgen resolves.
func nodeVersionFromEngines(p *packageJSON, det *facts.Detection) bool {
	r, ok := p.Engines["node"]
	if !ok || strings.TrimSpace(r) == "" {
		return false
	}
	major, note, err := resolveNodeRange(r)
	if err != nil {
		det.Problemf(p.file, "engines.node %q: %v; ignored", r, err)
		return false
	}
	det.LanguageVersion = major
	p.cite(det, "languageVersion", "engines", "node", fmt.Sprintf(`engines.node %q → Node %s`, r, major))
	if note != "" {
		det.Notef("%s: %s", p.file, note)
	}
	return true
}

var (
	toolVersionsNodeRe = regexp.MustCompile(`^\s*(?:nodejs|node)\s+(\S+)`)
	miseNodeRe         = regexp.MustCompile(`^\s*["']?(?:nodejs|node)["']?\s*=\s*(?:\[\s*)?["']([^"']+)["']`)
	miseSectionRe      = regexp.MustCompile(`^\s*\[([^\]]+)\]`)
)

// versionSpec returns the line and the Node version spec a version file
// states, or "" when it names none.
func versionSpec(file string, data []byte) (int, string) {
	var line int
	var spec string
	section := ""
	repo.Lines(data, func(n int, l string) bool {
		if i := strings.IndexByte(l, '#'); i >= 0 && file != "mise.toml" && file != ".mise.toml" {
			l = l[:i]
		}
		switch file {
		case ".nvmrc", ".node-version":
			if s := strings.TrimSpace(l); s != "" {
				line, spec = n, s
				return false
			}
		case ".tool-versions":
			if m := toolVersionsNodeRe.FindStringSubmatch(l); m != nil {
				line, spec = n, m[1]
				return false
			}
		default: // mise.toml
			if m := miseSectionRe.FindStringSubmatch(l); m != nil && !strings.Contains(l, "=") {
				section = strings.TrimSpace(m[1])
				return true
			}
			if section == "tools" {
				if m := miseNodeRe.FindStringSubmatch(l); m != nil {
					line, spec = n, m[1]
					return false
				}
			}
		}
		return true
	})
	return line, spec
}

// resolveNodeSpec maps a version-file value (v22.3.0, 22, lts/*, lts/jod,
// node, stable, >=20) to a major.
func resolveNodeSpec(spec string) (major, note string, err error) {
	s := strings.ToLower(strings.TrimSpace(spec))
	switch {
	case s == "node" || s == "stable" || s == "latest" || s == "current":
		return catalog.NodeReleases[0].Major, "", nil
	case s == "lts/*" || s == "lts" || s == "lts/latest":
		return newestLTS(), "", nil
	case strings.HasPrefix(s, "lts/"):
		name := strings.TrimPrefix(s, "lts/")
		for _, r := range catalog.NodeReleases {
			if r.Codename != "" && r.Codename == name {
				return r.Major, eolNote(r), nil
			}
		}
		return "", "", fmt.Errorf("unknown LTS codename %q", name)
	}
	return resolveNodeRange(s)
}

// resolveNodeRange resolves a version or semver range to the newest LTS
// major that satisfies it; if only non-LTS or end-of-life majors do, the
// newest of those, with a note.
func resolveNodeRange(r string) (major, note string, err error) {
	s := strings.TrimSpace(r)
	if v := strings.TrimPrefix(s, "v"); regexp.MustCompile(`^\d+(\.\d+){0,2}$`).MatchString(v) {
		major = strings.SplitN(v, ".", 2)[0]
		for _, rel := range catalog.NodeReleases {
			if rel.Major == major {
				return major, eolNote(rel), nil
			}
		}
		return major, fmt.Sprintf("Node %s is not in dgen's release table (checked %s); the image tag may not exist", major, catalog.VersionsChecked), nil
	}
	c, err := semver.NewConstraint(s)
	if err != nil {
		return "", "", fmt.Errorf("not a version or semver range: %v", err)
	}
	var fallback *catalog.NodeRelease
	for i, rel := range catalog.NodeReleases {
		if !majorSatisfies(c, s, rel.Major) {
			continue
		}
		if rel.Status == "active-lts" || rel.Status == "maintenance-lts" {
			return rel.Major, "", nil
		}
		if fallback == nil {
			fallback = &catalog.NodeReleases[i]
		}
	}
	if fallback != nil {
		return fallback.Major, fmt.Sprintf("%q is satisfied by no supported LTS line; using Node %s (%s)", r, fallback.Major, fallback.Status), nil
	}
	return "", "", fmt.Errorf("no Node release in dgen's table (checked %s) satisfies it", catalog.VersionsChecked)
}

var versionLiteralRe = regexp.MustCompile(`\d+(?:\.\d+){0,2}`)

// majorSatisfies reports whether some version of major satisfies c: it
// tries the major's first and a far patch release, plus every version the
// range itself names in that major (so ^22.3.0 and ~22.3 match 22).
func majorSatisfies(c *semver.Constraints, text, major string) bool {
	probes := []string{major + ".0.0", major + ".999.999"}
	for _, lit := range versionLiteralRe.FindAllString(text, -1) {
		parts := strings.Split(lit, ".")
		if parts[0] != major {
			continue
		}
		for len(parts) < 3 {
			parts = append(parts, "0")
		}
		probes = append(probes, strings.Join(parts, "."), parts[0]+"."+parts[1]+".999")
		if p, err := strconv.Atoi(parts[2]); err == nil {
			probes = append(probes, fmt.Sprintf("%s.%s.%d", parts[0], parts[1], p+1))
		}
		if m, err := strconv.Atoi(parts[1]); err == nil {
			probes = append(probes, fmt.Sprintf("%s.%d.0", parts[0], m+1))
		}
	}
	for _, p := range probes {
		v, err := semver.NewVersion(p)
		if err == nil && c.Check(v) {
			return true
		}
	}
	return false
}

func newestLTS() string {
	for _, r := range catalog.NodeReleases {
		if r.Status == "active-lts" {
			return r.Major
		}
	}
	return catalog.NodeDefault
}

func eolNote(r catalog.NodeRelease) string {
	switch r.Status {
	case "eol":
		return fmt.Sprintf("Node %s reached end of life (%s) and gets no security fixes; consider Node %s", r.Major, r.EOL, catalog.NodeDefault)
	case "current":
		return fmt.Sprintf("Node %s is not an LTS line; consider Node %s", r.Major, catalog.NodeDefault)
	}
	return ""
}
