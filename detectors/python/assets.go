package python

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/node"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// nativeLibraries adds the Debian packages the dependencies need, from the
// catalog's table.
func (s *pyScan) nativeLibraries() {
	for _, lib := range catalog.PythonNatives() {
		if d, ok := s.deps[lib.Package]; ok && lib.Package != "psycopg" {
			s.addNative(d, lib.Package, lib)
		}
	}
	// psycopg 3 loads the system libpq unless its [binary] extra bundles
	// one; its [c] extra compiles against it.
	if d, ok := s.deps["psycopg"]; ok {
		extras := strings.Join(d.Extras, ",")
		switch {
		case strings.Contains(extras, "binary"):
		case strings.Contains(extras, "c"):
			lib, _ := catalog.PythonNativeOf("psycopg[c]")
			s.addNative(d, "psycopg[c]", lib)
		default:
			lib, _ := catalog.PythonNativeOf("psycopg")
			s.addNative(d, "psycopg", lib)
		}
	}
}

// addNative records one dependency's Debian packages and tells the user.
func (s *pyScan) addNative(d pyDep, name string, lib catalog.PythonNative) {
	s.facts.BuildPackages = append(s.facts.BuildPackages, lib.Build...)
	s.facts.RuntimePackages = append(s.facts.RuntimePackages, lib.Runtime...)
	s.det.Notef("%s: %s %s", pyWhere(d), name, pyNativeSummary(lib.Why, lib.Build, lib.Runtime))
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

var (
	pyOutFlagRe     = regexp.MustCompile(`--(?:outDir|outdir|out-dir|output-path|dist-dir)(?:=|\s+)["']?([^\s"'&;|]+)`)
	pyOutFileRe     = regexp.MustCompile(`(?:--outfile|--output|(?:^|\s)-o)(?:=|\s+)["']?([^\s"'&;|]+)`)
	pySassRe        = regexp.MustCompile(`\bsass\b[^&;|]*?\s[^\s:]+:([^\s&;|]+)`)
	pyRunScriptRe   = regexp.MustCompile(`(?:npm run|yarn run|yarn|pnpm run|pnpm|bun run)\s+([\w:.-]+)`)
	pyViteOutDirRe  = regexp.MustCompile(`outDir\s*:\s*["'\x60]([^"'\x60]+)["'\x60]`)
	pyWebpackPathRe = regexp.MustCompile(`path\s*:\s*path\.(?:resolve|join)\(\s*__dirname\s*,\s*((?:["'][^"']+["']\s*,?\s*)+)\)`)
)

// assets finds a package.json with a build script next to the Python app
// (at the root, or beside manage.py) and records how to build it in its
// own Node stage. The front end is read by the node package, with the
// rules of a Node app (package manager, lockfile, Node major); only the
// output folder, which collectstatic needs, is found here.
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
	if err := repo.CheckPath(dir); err != nil && dir != "." {
		s.det.Problemf(pj, "its folder cannot be written into a Dockerfile: %v", err)
		return
	}
	fe, err := node.DetectFrontend(s.fsys, dir, s.det)
	if err != nil {
		s.det.Problemf(pj, "not valid JSON or not readable (%v); the assets are not built", err)
		return
	}
	if fe.BuildScript == "" {
		s.det.Notef("%s has no build script, so no assets stage is written", pj)
		return
	}
	for _, m := range append(append([]string(nil), fe.Manifests...), fe.ManifestDirs...) {
		if err := repo.CheckPath(m); err != nil {
			s.det.Problemf(m, "cannot be written into a Dockerfile (%v); the assets are not built", err)
			return
		}
	}
	f := s.facts
	f.AssetsDir = dir
	f.AssetsManifests = fe.Manifests
	f.AssetsManifestDirs = fe.ManifestDirs
	f.AssetsManager = fe.Manager
	f.AssetsManagerVersion = fe.ManagerVersion
	f.AssetsManagerMajor = fe.ManagerMajor
	f.AssetsCorepack = fe.Corepack
	f.AssetsLockfile = fe.Lockfile
	f.AssetsLocked = fe.Locked
	f.AssetsYarnNodeLinker = fe.YarnNodeLinker
	f.AssetsInstall = fe.Install
	f.AssetsCache = fe.CacheTarget
	f.AssetsBuild = fe.Build
	f.AssetsNodeVersion = fe.NodeMajor
	s.det.Cite("assets", pj, fe.BuildScriptLine, `"build": "`+fe.BuildScript+`"`)
	for k, ev := range map[string]facts.Evidence{"assetsPackageManager": fe.ManagerEvidence, "assetsNodeVersion": fe.NodeEvidence} {
		if ev != (facts.Evidence{}) {
			s.det.Cite(k, ev.File, ev.Line, ev.Detail)
		}
	}
	out, why := s.assetsOutput(dir, fe.Scripts, fe.Dependencies, fe.BuildScript)
	f.AssetsOutput = out
	switch path.Base(out) {
	case "dist", "build", "bundles", "bundle":
		// A folder only the build writes: a stale local copy must not
		// reach the image. A shared folder (static/css) holds sources too.
		f.IgnoreDirs = append(f.IgnoreDirs, out)
	}
	stage := "node:" + fe.NodeMajor
	if fe.Manager == facts.NodeBun {
		stage = "oven/bun"
	}
	s.det.Notef("%s has a build script (%s): the assets are installed with %s and built in their own %s stage and %s is copied into the app%s; node_modules never reaches the image", pj, fe.BuildScript, fe.Manager, stage, out, why)
}

// assetsOutput finds the folder the build script writes: a flag in the
// script (or a script it runs), vite's or webpack's config, vite's
// default dist, else static/dist.
func (s *pyScan) assetsOutput(dir string, scripts map[string]string, deps []string, build string) (out, why string) {
	script := build
	for _, m := range pyRunScriptRe.FindAllStringSubmatch(build, -1) {
		if sub, ok := scripts[m[1]]; ok && m[1] != "build" {
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
		if slices.Contains(deps, "vite") || strings.Contains(build, "vite") {
			found, why = "dist", " (vite's default outDir)"
		}
	}
	if found != "" {
		p := path.Join(dir, strings.TrimPrefix(found, "./"))
		if err := repo.CheckPath(p); err == nil && p != "." && p != dir {
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
