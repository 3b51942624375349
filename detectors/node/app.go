package node

import (
	"io/fs"
	"path"
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
}

// rel turns an app-relative path into a root-relative one for evidence.
func (a *nodeApp) rel(p string) string { return path.Join(a.dir, p) }

func (a *nodeApp) detect() {
	det, nf, pkg := a.det, a.det.Node, a.pkg
	nf.TypeScript = repo.IsFile(a.fsys, "tsconfig.json") || pkg.has("typescript")
	nf.Husky = pkg.has("husky")
	if s := pkg.Scripts["build"]; s != "" {
		nf.BuildScript = s
		det.Build = buildCommand(det)
		pkg.cite(det, "build", "scripts", "build", `"build": "`+s+`"`)
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
	a.framework()
	if det.Start == nil && nf.StaticDir == "" {
		a.genericStart()
	}
	a.bunRuntime()
	a.port()
	a.worker()
	a.hostBind()
	a.lowPort()
	a.healthPath()
	a.publicBuildVars()
	a.requiredEnv()
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
// dependencies first.
func buildCommand(det *facts.Detection) string {
	nf := det.Node
	ws := nf.Workspace
	if ws == nil || ws.App == "" {
		switch det.PackageManager {
		case facts.NodeYarn, facts.NodeYarnBerry:
			return "yarn run build"
		default:
			return det.PackageManager + " run build"
		}
	}
	if ws.Turbo {
		return binRunners[det.PackageManager] + " turbo run build --filter=" + ws.AppName + "..."
	}
	if ws.Nx {
		// Nx builds the project's dependencies first (dependsOn ^build).
		return binRunners[det.PackageManager] + " nx run " + ws.AppName + ":build"
	}
	var withBuild []facts.NodeWorkspacePackage
	for _, d := range ws.AppDeps {
		if d.HasBuild {
			withBuild = append(withBuild, d)
		}
	}
	if nf.BuildScript != "" {
		withBuild = append(withBuild, facts.NodeWorkspacePackage{Dir: ws.App, Name: ws.AppName, HasBuild: true})
	}
	var cmds []string
	switch det.PackageManager {
	case facts.NodePNPM:
		// "name..." selects the app and everything it depends on; pnpm
		// runs them in dependency order and skips packages without the
		// script.
		return "pnpm --filter " + ws.AppName + "... run build"
	case facts.NodeNPM:
		args := ""
		for _, p := range withBuild {
			args += " -w " + p.Dir
		}
		return "npm run build" + args
	case facts.NodeBun:
		for _, p := range withBuild {
			cmds = append(cmds, "bun run --filter "+p.Name+" build")
		}
	default:
		for _, p := range withBuild {
			cmds = append(cmds, "yarn workspace "+p.Name+" run build")
		}
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
