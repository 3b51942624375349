package python

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// pyNativeLib is a Python package that needs Debian packages: Build ones
// to compile it (build stage only), Runtime ones to load or run it.
type pyNativeLib struct {
	pkg     string
	build   []string
	runtime []string
	why     string
}

// pyNativeLibs is the table of native needs, for Debian 13 (trixie) names
// (the t64 packages are trixie's 64-bit time_t renames). Wheels exist for
// most packages; these are the common ones that still reach for the
// system.
var pyNativeLibs = []pyNativeLib{
	{"psycopg2", []string{"gcc", "libpq-dev"}, []string{"libpq5"}, "compiles against libpq (psycopg2-binary would bundle it)"},
	{"mysqlclient", []string{"gcc", "pkg-config", "default-libmysqlclient-dev"}, []string{"libmariadb3"}, "compiles against the MariaDB client library"},
	{"pycairo", []string{"gcc", "pkg-config", "libcairo2-dev"}, []string{"libcairo2"}, "compiles against cairo"},
	{"pdf2image", nil, []string{"poppler-utils"}, "runs poppler's pdftoppm"},
	{"pydub", nil, []string{"ffmpeg"}, "runs ffmpeg"},
	{"opencv-python", nil, []string{"libgl1", "libglib2.0-0t64"}, "loads libGL and GLib (opencv-python-headless would not)"},
	{"opencv-contrib-python", nil, []string{"libgl1", "libglib2.0-0t64"}, "loads libGL and GLib (the -headless build would not)"},
	{"python-magic", nil, []string{"libmagic1t64"}, "loads libmagic"},
}

// nativeLibraries adds the Debian packages the dependencies need.
func (s *pyScan) nativeLibraries() {
	f := s.facts
	for _, lib := range pyNativeLibs {
		d, ok := s.deps[lib.pkg]
		if !ok {
			continue
		}
		f.BuildPackages = append(f.BuildPackages, lib.build...)
		f.RuntimePackages = append(f.RuntimePackages, lib.runtime...)
		s.det.Notef("%s: %s %s", pyWhere(d), lib.pkg, pyNativeSummary(lib.why, lib.build, lib.runtime))
	}
	// psycopg 3 loads the system libpq unless its [binary] extra bundles
	// one; its [c] extra compiles against it.
	if d, ok := s.deps["psycopg"]; ok {
		extras := strings.Join(d.Extras, ",")
		switch {
		case strings.Contains(extras, "binary"):
		case strings.Contains(extras, "c"):
			f.BuildPackages = append(f.BuildPackages, "gcc", "libpq-dev")
			f.RuntimePackages = append(f.RuntimePackages, "libpq5")
			s.det.Notef("%s: psycopg[c] %s", pyWhere(d), pyNativeSummary("compiles against libpq", []string{"gcc", "libpq-dev"}, []string{"libpq5"}))
		default:
			f.RuntimePackages = append(f.RuntimePackages, "libpq5")
			s.det.Notef("%s: psycopg %s", pyWhere(d), pyNativeSummary("without the [binary] extra loads the system libpq", nil, []string{"libpq5"}))
		}
	}
}

func pyNativeSummary(why string, build, runtime []string) string {
	var parts []string
	if len(build) > 0 {
		parts = append(parts, strings.Join(build, " ")+" in the build stage only")
	}
	if len(runtime) > 0 {
		parts = append(parts, strings.Join(runtime, " ")+" in the runtime image")
	}
	return why + ": " + strings.Join(parts, ", ")
}

// pyWhere is "file:line" of a dependency.
func pyWhere(d pyDep) string {
	if d.Line > 0 {
		return fmt.Sprintf("%s:%d", d.File, d.Line)
	}
	return d.File
}

// pyPackageJSON is the part of package.json the assets stage needs.
type pyPackageJSON struct {
	Scripts         map[string]string `json:"scripts"`
	Dependencies    map[string]any    `json:"dependencies"`
	DevDependencies map[string]any    `json:"devDependencies"`
	Engines         struct {
		Node string `json:"node"`
	} `json:"engines"`
}

var (
	pyOutFlagRe     = regexp.MustCompile(`--(?:outDir|outdir|out-dir|output-path|dist-dir)(?:=|\s+)["']?([^\s"'&;|]+)`)
	pyOutFileRe     = regexp.MustCompile(`(?:--outfile|--output|(?:^|\s)-o)(?:=|\s+)["']?([^\s"'&;|]+)`)
	pySassRe        = regexp.MustCompile(`\bsass\b[^&;|]*?\s[^\s:]+:([^\s&;|]+)`)
	pyRunScriptRe   = regexp.MustCompile(`(?:npm run|yarn run|yarn|pnpm run|pnpm)\s+([\w:.-]+)`)
	pyViteOutDirRe  = regexp.MustCompile(`outDir\s*:\s*["'\x60]([^"'\x60]+)["'\x60]`)
	pyWebpackPathRe = regexp.MustCompile(`path\s*:\s*path\.(?:resolve|join)\(\s*__dirname\s*,\s*((?:["'][^"']+["']\s*,?\s*)+)\)`)
)

// assets finds a package.json with a build script next to the Python app
// (at the root, or beside manage.py) and records how to build it in its
// own Node stage: the lockfile, the Node major and the output folder.
func (s *pyScan) assets() {
	dir := ""
	switch {
	case repo.IsFile(s.fsys, "package.json"):
		dir = "."
	case s.facts.ManagePy != "" && s.facts.AppDir != "" && repo.IsFile(s.fsys, s.facts.AppDir+"/package.json"):
		dir = s.facts.AppDir
	default:
		return
	}
	pj := path.Join(dir, "package.json")
	data, ok := pyRead(s.fsys, s.det, pj)
	if !ok {
		return
	}
	var pkg pyPackageJSON
	if err := json.Unmarshal(data, &pkg); err != nil {
		s.det.Problemf(pj, "not valid JSON: %v; the assets are not built", err)
		return
	}
	build, ok := pkg.Scripts["build"]
	if !ok {
		s.det.Notef("%s has no build script, so no assets stage is written", pj)
		return
	}
	if err := pySafePath(dir); err != nil && dir != "." {
		s.det.Problemf(pj, "its folder cannot be written into a Dockerfile: %v", err)
		return
	}
	f := s.facts
	f.AssetsDir = dir
	f.AssetsManifests = []string{pj}
	f.AssetsManager = "npm"
	switch {
	case repo.IsFile(s.fsys, path.Join(dir, "package-lock.json")):
		f.AssetsManifests = append(f.AssetsManifests, path.Join(dir, "package-lock.json"))
		f.AssetsLocked = true
	case repo.IsFile(s.fsys, path.Join(dir, "yarn.lock")):
		f.AssetsManifests = append(f.AssetsManifests, path.Join(dir, "yarn.lock"))
		f.AssetsManager = "yarn"
		f.AssetsLocked = true
	case repo.IsFile(s.fsys, path.Join(dir, "pnpm-lock.yaml")), repo.IsFile(s.fsys, path.Join(dir, "bun.lock")), repo.IsFile(s.fsys, path.Join(dir, "bun.lockb")):
		s.det.Notef("%s: the assets are built with npm install, which does not read pnpm's or bun's lockfile; edit the assets stage to use that tool", dir)
	default:
		s.det.Notef("%s has no lockfile: npm install resolves the asset dependencies at build time; commit package-lock.json", pj)
	}
	s.det.Cite("assets", pj, pyLineOf(data, `"build"`), `"build": "`+build+`"`)
	out, why := s.assetsOutput(dir, pkg, build)
	f.AssetsOutput = out
	switch path.Base(out) {
	case "dist", "build", "bundles", "bundle":
		// A folder only the build writes: a stale local copy must not
		// reach the image. A shared folder (static/css) holds sources too.
		f.IgnoreDirs = append(f.IgnoreDirs, out)
	}
	f.AssetsNodeVersion = s.assetsNode(dir, pkg)
	s.det.Notef("%s has a build script (%s): the assets are built in their own node:%s stage and %s is copied into the app%s; node_modules never reaches the image", pj, build, f.AssetsNodeVersion, out, why)
}

// assetsOutput finds the folder the build script writes: a flag in the
// script (or a script it runs), vite's or webpack's config, vite's
// default dist, else static/dist.
func (s *pyScan) assetsOutput(dir string, pkg pyPackageJSON, build string) (out, why string) {
	script := build
	for _, m := range pyRunScriptRe.FindAllStringSubmatch(build, -1) {
		if sub, ok := pkg.Scripts[m[1]]; ok && m[1] != "build" {
			script += " && " + sub
		}
	}
	found := ""
	if m := pyOutFlagRe.FindStringSubmatch(script); m != nil {
		found = m[1]
	} else if m := pySassRe.FindStringSubmatch(script); m != nil {
		found = pyDirOfOutput(m[1])
	} else if m := pyOutFileRe.FindStringSubmatch(script); m != nil {
		found = pyDirOfOutput(m[1])
	}
	if found == "" {
		for _, cfg := range []string{"vite.config.js", "vite.config.ts", "vite.config.mjs", "vite.config.mts", "vite.config.cjs"} {
			if data, ok := pyRead(s.fsys, s.det, path.Join(dir, cfg)); ok {
				if m := pyViteOutDirRe.FindSubmatch(data); m != nil {
					found = string(m[1])
				}
				break
			}
		}
	}
	if found == "" {
		if data, ok := pyRead(s.fsys, s.det, path.Join(dir, "webpack.config.js")); ok {
			if m := pyWebpackPathRe.FindSubmatch(data); m != nil {
				var parts []string
				for _, q := range pyStringLitRe.FindAllSubmatch(m[1], -1) {
					parts = append(parts, string(q[1]))
				}
				found = path.Join(parts...)
			}
		}
	}
	if found == "" {
		_, dep := pkg.Dependencies["vite"]
		_, dev := pkg.DevDependencies["vite"]
		if dep || dev || strings.Contains(build, "vite") {
			found, why = "dist", " (vite's default outDir)"
		}
	}
	if found != "" {
		p := path.Join(dir, strings.TrimPrefix(found, "./"))
		if err := pySafePath(p); err == nil && p != "." && p != dir {
			return p, why
		}
		s.det.Problemf(path.Join(dir, "package.json"), "asset output folder %q cannot be copied: outside the repository or not a plain path", found)
	}
	p := path.Join(dir, "static/dist")
	return p, " (no output folder found in the build script or the bundler config: dgen assumes static/dist; edit the COPY --from=assets line if it differs)"
}

// pyDirOfOutput turns an output file (tailwind -o static/css/app.css) into
// its folder.
func pyDirOfOutput(p string) string {
	if path.Ext(p) != "" {
		return path.Dir(p)
	}
	return p
}

var pyNodeMajorRe = regexp.MustCompile(`^v?(\d+)`)

// assetsNode picks the Node.js major for the assets stage: .nvmrc or
// .node-version, .tool-versions, then engines.node (the newest LTS line that satisfies
// it), else NodeDefault.
func (s *pyScan) assetsNode(dir string, pkg pyPackageJSON) string {
	for _, d := range pyUniq([]string{dir, "."}) {
		for _, f := range []string{".nvmrc", ".node-version"} {
			data, ok := pyRead(s.fsys, s.det, path.Join(d, f))
			if !ok {
				continue
			}
			v := strings.ToLower(strings.TrimSpace(pyLineText(data, 1)))
			if m := pyNodeMajorRe.FindStringSubmatch(v); m != nil {
				return m[1]
			}
			if strings.HasPrefix(v, "lts/") {
				name := strings.TrimPrefix(v, "lts/")
				for _, r := range catalog.NodeReleases {
					if r.Codename == name {
						return r.Major
					}
				}
				return catalog.NodeDefault
			}
		}
	}
	if data, ok := pyRead(s.fsys, s.det, ".tool-versions"); ok {
		major := ""
		repo.Lines(data, func(_ int, l string) bool {
			if f := strings.Fields(l); len(f) >= 2 && (f[0] == "nodejs" || f[0] == "node") {
				if m := pyNodeMajorRe.FindStringSubmatch(f[1]); m != nil {
					major = m[1]
				}
				return false
			}
			return true
		})
		if major != "" {
			return major
		}
	}
	if pkg.Engines.Node != "" {
		c, err := semver.NewConstraint(pkg.Engines.Node)
		if err != nil {
			s.det.Problemf(path.Join(dir, "package.json"), "engines.node %q: %v", pkg.Engines.Node, err)
			return catalog.NodeDefault
		}
		for _, r := range catalog.NodeReleases {
			if r.Status != "active-lts" && r.Status != "maintenance-lts" {
				continue
			}
			for _, v := range []string{r.Major + ".999.999", r.Major + ".0.0"} {
				if sv, err := semver.NewVersion(v); err == nil && c.Check(sv) {
					return r.Major
				}
			}
		}
		s.det.Notef("engines.node %q allows no supported LTS line; the assets use Node %s", pkg.Engines.Node, catalog.NodeDefault)
	}
	return catalog.NodeDefault
}
