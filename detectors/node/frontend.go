package node

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// Frontend is how a front-end folder that belongs to an app in another
// language (a Django app's assets) is installed and built in its own Node
// stage. It is read with the same rules as a Node app: the package
// manager from the packageManager field, the lockfiles or engines, the
// Node major from version files or engines.node. Paths are relative to
// the repository root unless they say otherwise.
type Frontend struct {
	// Dir is the folder holding package.json, "." for the root.
	Dir string
	// Manager is facts.NodeNPM, NodeYarn (Yarn 1), NodeYarnBerry,
	// NodePNPM or NodeBun.
	Manager string
	// ManagerVersion is the exact version the packageManager field pins,
	// "" when none is pinned.
	ManagerVersion string
	// ManagerMajor is the manager's major when known from a pin or the
	// lockfile format.
	ManagerMajor string
	// Corepack is true when the packageManager field pins the manager.
	Corepack bool
	// Lockfile is the lockfile the install enforces, "" when there is
	// none.
	Lockfile string
	// Locked is true when there is a lockfile.
	Locked bool
	// Manifests are the files copied before the install, all inside Dir:
	// package.json, the lockfile and the manager's settings
	// (.yarnrc.yml, bunfig.toml, pnpm-workspace.yaml).
	Manifests []string
	// ManifestDirs are folders the install needs, inside Dir (Yarn
	// Berry's .yarn/releases, .yarn/plugins, .yarn/patches).
	ManifestDirs []string
	// YarnNodeLinker is .yarnrc.yml's nodeLinker for Yarn Berry ("pnp"
	// when unset), "" for other managers.
	YarnNodeLinker string
	// NodeMajor is the Node.js major of the stage.
	NodeMajor string
	// NodeEvidence says where NodeMajor came from.
	NodeEvidence facts.Evidence
	// ManagerEvidence says where Manager came from.
	ManagerEvidence facts.Evidence
	// Install installs the dependencies, with the lockfile enforced when
	// there is one.
	Install string
	// CacheTarget is the manager's download cache, mounted as a BuildKit
	// cache into the install: an absolute path, or one relative to Dir
	// when the manager keeps its cache inside the project (Yarn 2 and 3).
	CacheTarget string
	// BuildScript is the build script of package.json, "" when it has
	// none: scripts.build, or one kept for image builds
	// (BuildScriptName), which wins as it does for a Node app.
	BuildScript string
	// BuildScriptName is the script BuildScript is ("build",
	// "build:docker", …).
	BuildScriptName string
	// BuildScriptLine is the line of the build script in package.json.
	BuildScriptLine int
	// Build runs the build script with the manager ("pnpm run build"), ""
	// without one.
	Build string
	// Scripts are package.json's scripts, for callers that follow the
	// build script into the scripts it runs.
	Scripts map[string]string
	// Dependencies are the names in dependencies and devDependencies.
	Dependencies []string
}

// DetectFrontend reads the front end in dir (relative to the root of
// fsys). Problems and notes go to det, whose own fields (its language,
// package manager and evidence) are left alone: the front end is a part
// of det's app, not the app. It fails only when dir's package.json cannot
// be read or is not JSON.
func DetectFrontend(fsys fs.FS, dir string, det *facts.Detection) (*Frontend, error) {
	dir = path.Clean(dir)
	sub := fsys
	if dir != "." {
		var err error
		if sub, err = fs.Sub(fsys, dir); err != nil {
			return nil, fmt.Errorf("open %s: %w", dir, err)
		}
	}
	in := func(p string) string { return path.Join(dir, p) }
	// The front end is detected into a Detection of its own, so that the
	// manager and Node version never overwrite the app's.
	fd := &facts.Detection{Language: facts.LangNode, Node: &facts.NodeFacts{Runtime: "node"}}
	pkg, err := readPackageJSON(fsys, in("package.json"), fd)
	if err != nil {
		return nil, err
	}
	detectManager(sub, pkg, pkg, fd, nil, false)
	// detectManager names the lockfile and workspace file relative to dir.
	for i, pr := range fd.Problems {
		if pr.File != "" && pr.File != pkg.file {
			fd.Problems[i].File = in(pr.File)
		}
	}
	for k, ev := range fd.Evidence {
		if ev.File != "" && ev.File != pkg.file {
			ev.File = in(ev.File)
			fd.Evidence[k] = ev
		}
	}
	appDir := dir
	if dir == "." {
		appDir = ""
	}
	detectNodeVersion(fsys, appDir, pkg, pkg, fd)

	nf := fd.Node
	f := &Frontend{
		Dir:             dir,
		Manager:         fd.PackageManager,
		ManagerVersion:  fd.PackageManagerVersion,
		ManagerMajor:    nf.ManagerMajor,
		Corepack:        nf.Corepack,
		Locked:          nf.Lockfile != "",
		Manifests:       []string{in("package.json")},
		NodeMajor:       fd.LanguageVersion,
		NodeEvidence:    fd.Evidence["languageVersion"],
		ManagerEvidence: fd.Evidence["packageManager"],
		Scripts:         pkg.Scripts,
		Dependencies:    pkg.allDeps(),
	}
	if f.Locked {
		f.Lockfile = in(nf.Lockfile)
		f.Manifests = append(f.Manifests, f.Lockfile)
	}
	if f.NodeMajor == "" {
		f.NodeMajor = catalog.NodeDefault
		f.NodeEvidence = facts.Evidence{File: pkg.file, Detail: "no .nvmrc, .node-version, .tool-versions, mise.toml or engines.node: Node " + catalog.NodeDefault}
	}
	f.settings(sub, fd)
	f.Install, f.CacheTarget = frontendInstall(f.Manager, f.ManagerVersion, f.ManagerMajor, f.Locked)
	if name, b := imageBuildScript(pkg); b != "" {
		f.BuildScript, f.BuildScriptName = b, name
		f.BuildScriptLine = pkg.keyLine("scripts", name)
		f.Build = frontendRun(f.Manager) + " " + name
		if name != "build" && pkg.Scripts["build"] != "" {
			det.Notef("%s: scripts.%s is meant for image builds, so the front end's stage runs it instead of scripts.build", pkg.file, name)
		}
	}

	carryOver(fd, det, pkg.file)
	return f, nil
}

// settings adds the manager's settings files and folders the install
// reads (sub is the front-end folder).
func (f *Frontend) settings(sub fs.FS, fd *facts.Detection) {
	in := func(p string) string { return path.Join(f.Dir, p) }
	files := map[string][]string{
		facts.NodeYarnBerry: {".yarnrc.yml"},
		facts.NodePNPM:      {"pnpm-workspace.yaml"},
		facts.NodeBun:       {"bunfig.toml"},
	}
	for _, s := range files[f.Manager] {
		if repo.IsFile(sub, s) {
			f.Manifests = append(f.Manifests, in(s))
		}
	}
	if f.Manager != facts.NodeYarnBerry {
		return
	}
	f.YarnNodeLinker = "pnp"
	if repo.IsFile(sub, ".yarnrc.yml") {
		f.YarnNodeLinker = yarnNodeLinker(sub, fd)
	}
	for _, d := range []string{".yarn/releases", ".yarn/plugins", ".yarn/patches"} {
		if repo.IsDir(sub, d) {
			f.ManifestDirs = append(f.ManifestDirs, in(d))
		}
	}
}

// carryOver passes the front end's problems and notes to the app's
// Detection. An open choice of package manager (several lockfiles) is not
// the app's to ask: its default is taken, with a note.
func carryOver(fd, det *facts.Detection, where string) {
	for _, c := range fd.Choices {
		if c.Key == "packageManager" {
			det.Notef("%s: several lockfiles; the front end is installed with %s (delete the others to make it certain)", where, c.Default)
		}
	}
	det.Problems = append(det.Problems, fd.Problems...)
	for _, n := range fd.Notes {
		det.Notef("front end (%s): %s", where, n)
	}
}

// frontendInstall is the install of a front end's dependencies, all of
// them (the build needs the dev ones), and the cache it mounts.
func frontendInstall(manager, version, major string, locked bool) (install, cache string) {
	frozen := func(cmd, flag string) string {
		if locked {
			return cmd + " " + flag
		}
		return cmd
	}
	switch manager {
	case facts.NodeYarn:
		return frozen("yarn install", "--frozen-lockfile"), "/usr/local/share/.cache/yarn"
	case facts.NodeYarnBerry:
		v := version
		if v == "" {
			v = major
		}
		cache = "/root/.yarn/berry/cache"
		if n, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0]); n > 0 && n < 4 {
			// Yarn 2 and 3 keep the cache in the project by default.
			cache = ".yarn/cache"
		}
		return frozen("yarn install", "--immutable"), cache
	case facts.NodePNPM:
		return frozen("pnpm install", "--frozen-lockfile"), "/root/.local/share/pnpm/store"
	case facts.NodeBun:
		return frozen("bun install", "--frozen-lockfile"), "/root/.bun/install/cache"
	}
	if locked {
		return "npm ci", "/root/.npm"
	}
	return "npm install", "/root/.npm"
}

// frontendRun is the manager's command that runs a package.json script.
func frontendRun(manager string) string {
	switch manager {
	case facts.NodeYarn, facts.NodeYarnBerry:
		return "yarn run"
	case facts.NodePNPM:
		return "pnpm run"
	case facts.NodeBun:
		return "bun run"
	}
	return "npm run"
}
