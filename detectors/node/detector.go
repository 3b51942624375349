// Package node detects Node services and static sites: the package
// manager and lockfile, the Node version, workspaces, the framework, build
// and start commands, the port and native modules. Its exported API is
// also what the python package uses for a Django app's front end.
package node

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// Detector reads Node repositories.
type Detector struct{}

// Name implements Detector.
func (Detector) Name() string { return "node" }

// Markers implements Detector.
func (Detector) Markers(fsys fs.FS) []string {
	if repo.IsFile(fsys, "package.json") {
		return []string{"package.json"}
	}
	return nil
}

// Detect implements Detector. In a workspace it detects the app chosen by
// answers["app"] (a folder such as "apps/api", or a package name) while
// the build context stays at the workspace root; without an answer it
// records a Choice.
func (d Detector) Detect(fsys fs.FS, answers facts.Answers) (*facts.Detection, error) {
	det := &facts.Detection{Language: d.Name(), Node: &facts.NodeFacts{Runtime: "node"}}
	nf := det.Node
	root, err := readPackageJSON(fsys, "package.json", det)
	if err != nil {
		return nil, err
	}
	app := root
	ws := detectWorkspace(fsys, root, det)
	if ws != nil {
		nf.Workspace = ws.NodeWorkspace
		chosen, err := chooseApp(root, ws, det, answers)
		if err != nil {
			return nil, err
		}
		if chosen != nil {
			ws.App, ws.AppName = chosen.Dir, chosen.Name
			ws.AppDeps = appDeps(ws, chosen)
			nf.AppDir = chosen.Dir
			app = ws.manifests[chosen.Dir]
		}
	}
	var nxp *nxProject
	if ws == nil {
		nxp, err = nxIntegrated(fsys, root, det, answers)
		if err != nil {
			return nil, err
		}
		if a := answers["app"]; a != "" && nxp == nil {
			return nil, fmt.Errorf("app %q: package.json declares no workspaces (and there is no pnpm-workspace.yaml or Nx project), so there is no app to choose; run dgen in the app's folder instead", a)
		}
	}
	detectManager(fsys, root, app, det, answers, true)
	if ws != nil && ws.Tool == facts.NodeNPM {
		// "workspaces" in package.json is read by npm, Yarn and Bun alike.
		switch det.PackageManager {
		case facts.NodeYarn, facts.NodeYarnBerry:
			ws.Tool = "yarn"
		case facts.NodeBun:
			ws.Tool = facts.NodeBun
		case facts.NodePNPM:
			det.Problemf("package.json", `"workspaces" is not read by pnpm, which needs pnpm-workspace.yaml`)
		}
	}
	detectNodeVersion(fsys, nf.AppDir, root, app, det)
	installFiles(fsys, root, ws, det)
	skipDownloads(root, app, ws, nf)

	if ws != nil && nf.AppDir == "" || nxp == nil && hasChoice(det, "app") {
		// The app is not chosen yet: the resolver asks and runs Detect
		// again with the answer.
		return det, nil
	}
	afs := fsys
	if nf.AppDir != "" {
		sub, err := fs.Sub(fsys, nf.AppDir)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", nf.AppDir, err)
		}
		afs = sub
	}
	a := &nodeApp{fsys: afs, root: fsys, dir: nf.AppDir, pkg: app, ws: ws, det: det, answers: answers, nx: nxp}
	if nxp != nil {
		// One package for every Nx project: the chosen project's folder
		// holds its sources, ports and routes.
		if sub, err := fs.Sub(fsys, nxp.dir); err == nil {
			for _, f := range scanSources(sub, "") {
				a.sources = append(a.sources, path.Join(nxp.dir, f))
			}
		}
	}
	if err := a.detect(); err != nil {
		return nil, err
	}
	detectNative(fsys, root, a, det)
	return det, nil
}

// installFiles lists what is copied before the install. Folders and files
// with names dgen will not write into a Dockerfile are skipped with a
// Problem.
func installFiles(fsys fs.FS, root *packageJSON, ws *workspace, det *facts.Detection) {
	in := &installSet{fsys: fsys, det: det}
	pm := det.PackageManager
	in.add("package.json")
	if det.Node.Lockfile != "" {
		in.add(det.Node.Lockfile)
	}
	if pm == facts.NodePNPM && repo.IsFile(fsys, "pnpm-workspace.yaml") {
		// pnpm reads settings (onlyBuiltDependencies, catalogs, patches)
		// from it, not only the package list.
		in.add("pnpm-workspace.yaml")
	}
	in.npmrc()
	if pm == facts.NodeYarnBerry {
		in.yarnBerry()
	}
	if pm == facts.NodeBun && repo.IsFile(fsys, "bunfig.toml") {
		in.add("bunfig.toml")
	}
	if repo.IsDir(fsys, "patches") {
		// patch-package (postinstall) and pnpm's patchedDependencies read
		// them during the install.
		in.add("patches")
	}
	if w := det.Node.Workspace; w != nil {
		for _, p := range w.Packages {
			in.add(path.Join(p.Dir, "package.json"))
		}
	}
	in.localDeps(root, ws)
}

// installSet builds NodeFacts.InstallFiles.
type installSet struct {
	fsys fs.FS
	det  *facts.Detection
}

// add appends p once (a folder with a trailing "/"), unless its name is
// not safe to write into a COPY.
func (in *installSet) add(p string) {
	nf := in.det.Node
	for _, have := range nf.InstallFiles {
		if strings.TrimSuffix(have, "/") == p {
			return
		}
	}
	if !safePath(p) {
		in.det.Problemf(p, "name has characters dgen will not write into a Dockerfile; not copied before the install")
		return
	}
	if repo.IsDir(in.fsys, p) {
		p += "/"
	}
	nf.InstallFiles = append(nf.InstallFiles, p)
}

// npmrc copies a credential-free .npmrc; one with credentials becomes a
// build secret instead.
func (in *installSet) npmrc() {
	det := in.det
	if !repo.IsFile(in.fsys, ".npmrc") {
		return
	}
	data, err := repo.ReadPrefix(in.fsys, ".npmrc", 64<<10)
	switch {
	case err != nil:
		det.Problemf(".npmrc", "cannot read: %v", err)
	case npmrcHasCredentials(data):
		det.Node.NpmrcSecret = true
		det.Cite("npmrc", ".npmrc", 0, "holds a registry credential (_authToken/_auth/_password)")
		det.Notef(".npmrc holds credentials, so it is never copied into the image: the install mounts your .npmrc as a build secret (docker build --secret id=npmrc,src=$HOME/.npmrc .)")
	default:
		in.add(".npmrc")
		det.Cite("npmrc", ".npmrc", 0, "registry settings without credentials: copied before the install")
	}
}

// yarnBerry copies Yarn Berry's settings, release, plugins and patches,
// and reads the node linker.
func (in *installSet) yarnBerry() {
	nf := in.det.Node
	if repo.IsFile(in.fsys, ".yarnrc.yml") {
		in.add(".yarnrc.yml")
		nf.YarnNodeLinker = yarnNodeLinker(in.fsys, in.det)
	} else {
		nf.YarnNodeLinker = "pnp"
	}
	for _, d := range []string{".yarn/releases", ".yarn/plugins", ".yarn/patches"} {
		if repo.IsDir(in.fsys, d) {
			in.add(d)
		}
	}
}

// localDeps copies local dependencies (file:, link:) of the root and every
// workspace package: the install needs them.
func (in *installSet) localDeps(root *packageJSON, ws *workspace) {
	pkgs := []*packageJSON{root}
	if ws != nil {
		for _, p := range ws.Packages {
			pkgs = append(pkgs, ws.manifests[p.Dir])
		}
	}
	for _, p := range pkgs {
		for _, name := range p.allDeps() {
			in.localDep(p, name)
		}
	}
}

// localDep copies the target of dependency name of p when it is a file:
// or link: spec inside the repository.
func (in *installSet) localDep(p *packageJSON, name string) {
	spec := p.depSpec(name)
	for _, proto := range []string{"file:", "link:"} {
		rest, ok := strings.CutPrefix(spec, proto)
		if !ok {
			continue
		}
		target := path.Clean(path.Join(path.Dir(p.file), rest))
		if strings.HasPrefix(target, "../") || target == ".." {
			in.det.Problemf(p.file, "dependency %s points outside the repository (%s); the image cannot include it", name, spec)
			continue
		}
		in.add(target)
	}
}

// npmrcHasCredentials reports whether an .npmrc holds a token or password
// (literal or ${VAR}): such a file must never be part of an image layer.
func npmrcHasCredentials(data []byte) bool {
	found := false
	repo.Lines(data, func(_ int, l string) bool {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";") {
			return true
		}
		key, _, _ := strings.Cut(l, "=")
		key = strings.TrimSpace(key)
		for _, k := range []string{"_authToken", "_auth", "_password", "password", "certfile", "keyfile"} {
			if key == k || strings.HasSuffix(key, ":"+k) {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

// yarnNodeLinker reads nodeLinker from .yarnrc.yml ("pnp" when unset).
func yarnNodeLinker(fsys fs.FS, det *facts.Detection) string {
	data, err := repo.ReadPrefix(fsys, ".yarnrc.yml", 64<<10)
	if err != nil {
		det.Problemf(".yarnrc.yml", "cannot read: %v", err)
		return "pnp"
	}
	linker := "pnp"
	repo.Lines(data, func(n int, l string) bool {
		t := strings.TrimSpace(l)
		if v, ok := strings.CutPrefix(t, "nodeLinker:"); ok && linker == "pnp" {
			linker = strings.Trim(strings.TrimSpace(v), `"'`)
			det.Cite("yarnNodeLinker", ".yarnrc.yml", n, t)
		}
		// Yarn reads registry credentials from .yarnrc.yml too. The file
		// is copied for its settings, so a literal credential would land
		// in a build layer: say so (an ${ENV} reference is fine).
		for _, key := range []string{"npmAuthToken:", "npmAuthIdent:", "npmPassword:"} {
			if v, ok := strings.CutPrefix(t, key); ok {
				if v = strings.Trim(strings.TrimSpace(v), `"'`); v != "" && !strings.HasPrefix(v, "${") {
					det.Problemf(".yarnrc.yml", "line %d holds a literal registry credential (%s) and the file is copied into the build stage: replace it with an environment reference such as %s \"${NPM_AUTH_TOKEN}\" and pass the token as a build secret (see docs/security.md)", n, strings.TrimSuffix(key, ":"), key)
				}
			}
		}
		return true
	})
	return linker
}
