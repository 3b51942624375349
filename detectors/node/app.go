package node

import (
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// nodeApp is the app being built: the repository root, or one workspace
// package (then fsys is that folder and dir its path from the root).
type nodeApp struct {
	fsys    fs.FS
	root    fs.FS // the repository (the workspace root)
	dir     string
	pkg     *packageJSON
	ws      *workspace // nil outside a workspace
	det     *facts.Detection
	answers facts.Answers

	sources []string // source files scanned for ports and routes
	// nx is the chosen project of an Nx repository without workspace
	// packages, nil otherwise.
	nx *nxProject
	// movedScripts are the texts of start-script steps moved to the
	// build (a && prefix, a pre<start> hook), which may run tsc.
	movedScripts []string
}

// rel turns an app-relative path into a root-relative one for evidence.
func (a *nodeApp) rel(p string) string { return path.Join(a.dir, p) }

func (a *nodeApp) detect() error {
	det, nf, pkg := a.det, a.det.Node, a.pkg
	nf.TypeScript = repo.IsFile(a.fsys, "tsconfig.json") || pkg.has("typescript")
	nf.Husky = pkg.has("husky")
	if name, s := imageBuildScript(pkg); s != "" {
		nf.BuildScript, nf.BuildScriptName = s, name
		det.Build = buildCommand(det)
		pkg.cite(det, "build", "scripts", name, `"`+name+`": "`+s+`"`)
		if name != "build" && pkg.Scripts["build"] != "" {
			det.Notef("scripts.%s is meant for image builds, so the image runs it instead of scripts.build", name)
		}
	} else if ws := nf.Workspace; ws != nil {
		// The app builds nothing itself, but a workspace package it uses
		// may have to be compiled first.
		for _, d := range ws.AppDeps {
			if d.HasBuild {
				det.Build = buildCommand(det)
				det.Cite("build", path.Join(d.Dir, "package.json"), a.ws.manifests[d.Dir].keyLine("scripts", "build"), d.Name+" (used by the app) has a build script")
				break
			}
		}
	}
	nf.BuildRunsBun = a.buildRunsBun()
	a.framework()
	if det.Start == nil && nf.StaticDir == "" && !a.nxStart() {
		a.genericStart()
	}
	a.bunRuntime()
	a.grpc()
	a.port()
	a.worker()
	if err := a.hostBind(); err != nil {
		return err
	}
	a.lowPort()
	a.healthPath()
	a.publicBuildVars()
	a.runtimeFiles()
	a.requiredEnv()
	return nil
}

// buildRunsBun reports whether the app's build script, or the build
// script of a workspace package the app uses, runs bun or bunx.
func (a *nodeApp) buildRunsBun() bool {
	if bunCommandRe.MatchString(a.det.Node.BuildScript) {
		return true
	}
	if a.ws == nil {
		return false
	}
	for _, d := range a.ws.AppDeps {
		if m := a.ws.manifests[d.Dir]; m != nil && bunCommandRe.MatchString(m.Scripts["build"]) {
			return true
		}
	}
	return false
}

// imageBuildScripts are scripts projects keep for container or production
// builds, in order of preference; any of them wins over "build", which is
// often tuned for development.
var imageBuildScripts = []string{"build:docker", "docker:build", "build-docker", "build:prod", "build"}

// imageBuildScript returns the name and text of the script that builds
// the app for an image, or "" when there is none.
func imageBuildScript(pkg *packageJSON) (name, script string) {
	for _, n := range imageBuildScripts {
		if n == "build" {
			if d := dockerBuildScript(pkg); d != "" {
				return d, pkg.Scripts[d]
			}
		}
		if s := pkg.Scripts[n]; s != "" {
			return n, s
		}
	}
	return "", ""
}

// dockerBuildScript returns the first (by name) script whose name has
// both a "build" and a "docker" part ("build:app:docker",
// "docker-build-web"): projects name their image builds so.
func dockerBuildScript(pkg *packageJSON) string {
	for _, n := range slices.Sorted(maps.Keys(pkg.Scripts)) {
		parts := strings.FieldsFunc(n, func(r rune) bool { return r == ':' || r == '-' || r == '_' })
		if slices.Contains(parts, "build") && slices.Contains(parts, "docker") && pkg.Scripts[n] != "" {
			return n
		}
	}
	return ""
}

// binRunners run a locally installed CLI (turbo, nx) with each package
// manager.
var binRunners = map[string]string{
	facts.NodeNPM:       "npx",
	facts.NodePNPM:      "pnpm exec",
	facts.NodeYarn:      "yarn",
	facts.NodeYarnBerry: "yarn",
	facts.NodeBun:       "bunx",
}

// buildCommand is the command that runs the app's build script with the
// package manager; in a workspace it builds the app's workspace
// dependencies first (with their "build" script).
func buildCommand(det *facts.Detection) string {
	nf := det.Node
	ws := nf.Workspace
	script := nf.BuildScriptName
	if script == "" {
		script = "build"
	}
	if ws == nil || ws.App == "" {
		return runScript(det.PackageManager, script)
	}
	if ws.Nx {
		// Nx builds the project's dependencies first (dependsOn ^build).
		return binRunners[det.PackageManager] + " nx build " + ws.AppName
	}
	ownScript := nf.BuildScript != "" && script != "build"
	if ws.Turbo && !ownScript {
		return binRunners[det.PackageManager] + " turbo run build --filter=" + ws.AppName + "..."
	}
	if det.PackageManager == facts.NodePNPM && !ownScript {
		// "name..." selects the app and everything it depends on; pnpm
		// runs them in dependency order and skips packages without the
		// script.
		return "pnpm --filter " + ws.AppName + "... run build"
	}
	app := facts.NodeWorkspacePackage{Dir: ws.App, Name: ws.AppName}
	deps := depsBuild(det, ws)
	switch {
	case nf.BuildScript == "":
		return deps
	case deps == "":
		return runInPackage(det.PackageManager, app, script)
	case det.PackageManager == facts.NodeNPM && !ownScript:
		// One npm run builds every -w package in the order given.
		return deps + " -w " + ws.App
	}
	return deps + " && " + runInPackage(det.PackageManager, app, script)
}

// runScript runs a script of the package at the build root.
func runScript(pm, script string) string {
	if pm == facts.NodeYarnBerry {
		pm = facts.NodeYarn
	}
	return pm + " run " + script
}

// runInPackage runs a script of one workspace package.
func runInPackage(pm string, p facts.NodeWorkspacePackage, script string) string {
	switch pm {
	case facts.NodePNPM:
		return "pnpm --filter " + p.Name + " run " + script
	case facts.NodeNPM:
		return "npm run " + script + " -w " + p.Dir
	case facts.NodeBun:
		return "bun run --filter " + p.Name + " " + script
	}
	return "yarn workspace " + p.Name + " run " + script
}

// depsBuild builds the workspace packages the app uses that have a build
// script, in dependency order; "" when none has one.
func depsBuild(det *facts.Detection, ws *facts.NodeWorkspace) string {
	var withBuild []facts.NodeWorkspacePackage
	for _, d := range ws.AppDeps {
		if d.HasBuild {
			withBuild = append(withBuild, d)
		}
	}
	if len(withBuild) == 0 {
		return ""
	}
	switch {
	case ws.Turbo:
		// "name^..." selects what the app depends on, not the app.
		return binRunners[det.PackageManager] + " turbo run build --filter=" + ws.AppName + "^..."
	case det.PackageManager == facts.NodePNPM:
		return "pnpm --filter " + ws.AppName + "^... run build"
	case det.PackageManager == facts.NodeNPM:
		args := ""
		for _, p := range withBuild {
			args += " -w " + p.Dir
		}
		return "npm run build" + args
	}
	var cmds []string
	for _, p := range withBuild {
		cmds = append(cmds, runInPackage(det.PackageManager, p, "build"))
	}
	return strings.Join(cmds, " && ")
}

// lineText returns the trimmed source line holding byte offset off, cut to
// 120 bytes, for evidence.
func lineText(data []byte, off int) string {
	start := strings.LastIndexByte(string(data[:off]), '\n') + 1
	end := strings.IndexByte(string(data[off:]), '\n')
	if end < 0 {
		end = len(data)
	} else {
		end += off
	}
	l := strings.TrimSpace(string(data[start:end]))
	if len(l) > 120 {
		l = l[:120] + "…"
	}
	return l
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
