package detectors

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// NodeFacts is what only a Node repository has. Paths are relative to the
// build root (the workspace root in a monorepo) unless they say otherwise.
type NodeFacts struct {
	// Lockfile is the lockfile the install enforces ("pnpm-lock.yaml"),
	// or "" when the repository has none.
	Lockfile string `json:"lockfile,omitempty"`
	// Corepack is true when package.json's packageManager field pins the
	// manager, which corepack then installs at exactly that version.
	Corepack bool `json:"corepack,omitempty"`
	// ManagerMajor is the manager's major version when known from a pin
	// or the lockfile format ("9" for pnpm-lock.yaml lockfileVersion 9.0).
	ManagerMajor string `json:"managerMajor,omitempty"`
	// InstallFiles are the files and folders copied before the install,
	// in order: package.json, the lockfile, workspace files, every
	// workspace package.json, a token-free .npmrc, Yarn's release and
	// patches. Folders end in "/". All are safe to write into a COPY.
	InstallFiles []string `json:"installFiles"`
	// BuildScript is scripts.build of the app, "" when it has none.
	BuildScript string `json:"buildScript,omitempty"`
	// Runtime is "node", or "bun" for apps written against Bun's APIs.
	Runtime string `json:"runtime"`
	// NextOutput is next.config's output mode: "standalone", "export" or "".
	NextOutput string `json:"nextOutput,omitempty"`
	// NextPublic is true when the Next.js app has a public/ folder.
	NextPublic bool `json:"nextPublic,omitempty"`
	// StaticDir is the build output of a static site (Vite, CRA, Angular,
	// static Astro, Next export), relative to the app folder; "" for
	// server apps.
	StaticDir string `json:"staticDir,omitempty"`
	// SelfContained is a server build output that carries its own
	// dependencies and is copied alone (Nuxt's ".output"), relative to
	// the app folder.
	SelfContained string `json:"selfContained,omitempty"`
	// HostEnv is the variable the framework reads for its listen address
	// ("HOSTNAME" for Next.js standalone, "HOST" for Nuxt, SvelteKit,
	// Astro), set to 0.0.0.0 in the image.
	HostEnv string `json:"hostEnv,omitempty"`
	// TypeScript is true when the app is written in TypeScript.
	TypeScript bool `json:"typescript,omitempty"`
	// Workspace is set in a monorepo.
	Workspace *NodeWorkspace `json:"workspace,omitempty"`
	// AppDir is the folder of the app being built ("" at the root).
	AppDir string `json:"appDir,omitempty"`
	// Prisma is true when the app uses Prisma: `prisma generate` runs at
	// build time and the runtime needs OpenSSL.
	Prisma bool `json:"prisma,omitempty"`
	// NativeDeps are dependencies built with node-gyp (python3, make and
	// g++ in the build stage), or "binding.gyp" for the repository's own
	// addon.
	NativeDeps []string `json:"nativeDeps,omitempty"`
	// Canvas is true when the app uses node-canvas, which needs Cairo and
	// Pango at run time.
	Canvas bool `json:"canvas,omitempty"`
	// NpmrcSecret is true when .npmrc holds credentials: it is never
	// copied; the install mounts the user's .npmrc as a build secret.
	NpmrcSecret bool `json:"npmrcSecret,omitempty"`
	// YarnNodeLinker is .yarnrc.yml's nodeLinker ("pnp" when unset).
	YarnNodeLinker string `json:"yarnNodeLinker,omitempty"`
	// Husky is true when husky is a dependency; its install hook is
	// switched off in the image (there is no .git).
	Husky bool `json:"husky,omitempty"`
}

// NodeDetector reads Node repositories.
type NodeDetector struct{}

// Name implements Detector.
func (NodeDetector) Name() string { return "node" }

// Markers implements Detector.
func (NodeDetector) Markers(fsys fs.FS) []string {
	if IsFile(fsys, "package.json") {
		return []string{"package.json"}
	}
	return nil
}

// Detect implements Detector. In a workspace it detects the app chosen by
// answers["app"] (a folder such as "apps/api", or a package name) while
// the build context stays at the workspace root; without an answer it
// records a Choice.
func (d NodeDetector) Detect(fsys fs.FS, answers Answers) (*Detection, error) {
	det := &Detection{Language: d.Name(), Node: &NodeFacts{Runtime: "node"}}
	nf := det.Node
	root, err := readPackageJSON(fsys, "package.json", det)
	if err != nil {
		return nil, err
	}
	app := root
	ws := detectWorkspace(fsys, root, det)
	if ws != nil {
		nf.Workspace = ws
		chosen, err := chooseApp(ws, det, answers)
		if err != nil {
			return nil, err
		}
		if chosen != nil {
			ws.App, ws.AppName = chosen.Dir, chosen.Name
			ws.AppDeps = appDeps(ws, chosen)
			nf.AppDir = chosen.Dir
			app = chosen.pkg
		}
	} else if a := answers["app"]; a != "" {
		return nil, fmt.Errorf("app %q: package.json declares no workspaces (and there is no pnpm-workspace.yaml), so there is no app to choose; run dgen in the app's folder instead", a)
	}
	detectManager(fsys, root, app, det, answers)
	if ws != nil && ws.Tool == NodeNPM {
		// "workspaces" in package.json is read by npm, Yarn and Bun alike.
		switch det.PackageManager {
		case NodeYarn, NodeYarnBerry:
			ws.Tool = "yarn"
		case NodeBun:
			ws.Tool = NodeBun
		case NodePNPM:
			det.Problemf("package.json", `"workspaces" is not read by pnpm, which needs pnpm-workspace.yaml`)
		}
	}
	detectNodeVersion(fsys, nf.AppDir, root, app, det)
	installFiles(fsys, root, det)

	if ws != nil && nf.AppDir == "" {
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
	a := &nodeApp{fsys: afs, dir: nf.AppDir, pkg: app, det: det, answers: answers}
	a.detect()
	detectNative(fsys, root, a, det)
	return det, nil
}

// installFiles lists what is copied before the install. Folders and files
// with names dgen will not write into a Dockerfile are skipped with a
// Problem.
func installFiles(fsys fs.FS, root *packageJSON, det *Detection) {
	nf := det.Node
	add := func(p string) {
		for _, have := range nf.InstallFiles {
			if strings.TrimSuffix(have, "/") == p {
				return
			}
		}
		if !safePath(p) {
			det.Problemf(p, "name has characters dgen will not write into a Dockerfile; not copied before the install")
			return
		}
		if IsDir(fsys, p) {
			p += "/"
		}
		nf.InstallFiles = append(nf.InstallFiles, p)
	}
	add("package.json")
	if nf.Lockfile != "" {
		add(nf.Lockfile)
	}
	if det.PackageManager == NodePNPM && IsFile(fsys, "pnpm-workspace.yaml") {
		// pnpm reads settings (onlyBuiltDependencies, catalogs, patches)
		// from it, not only the package list.
		add("pnpm-workspace.yaml")
	}
	if IsFile(fsys, ".npmrc") {
		data, err := ReadPrefix(fsys, ".npmrc", 64<<10)
		switch {
		case err != nil:
			det.Problemf(".npmrc", "cannot read: %v", err)
		case npmrcHasCredentials(data):
			nf.NpmrcSecret = true
			det.Cite("npmrc", ".npmrc", 0, "holds a registry credential (_authToken/_auth/_password)")
			det.Notef(".npmrc holds credentials, so it is never copied into the image: the install mounts your .npmrc as a build secret (docker build --secret id=npmrc,src=$HOME/.npmrc .)")
		default:
			add(".npmrc")
			det.Cite("npmrc", ".npmrc", 0, "registry settings without credentials: copied before the install")
		}
	}
	if det.PackageManager == NodeYarnBerry {
		if IsFile(fsys, ".yarnrc.yml") {
			add(".yarnrc.yml")
			nf.YarnNodeLinker = yarnNodeLinker(fsys, det)
		} else {
			nf.YarnNodeLinker = "pnp"
		}
		for _, d := range []string{".yarn/releases", ".yarn/plugins", ".yarn/patches"} {
			if IsDir(fsys, d) {
				add(d)
			}
		}
	}
	if det.PackageManager == NodeBun && IsFile(fsys, "bunfig.toml") {
		add("bunfig.toml")
	}
	if IsDir(fsys, "patches") {
		// patch-package (postinstall) and pnpm's patchedDependencies read
		// them during the install.
		add("patches")
	}
	if ws := nf.Workspace; ws != nil {
		for _, p := range ws.Packages {
			add(path.Join(p.Dir, "package.json"))
		}
	}
	// Local dependencies (file:, link:) must be there for the install.
	pkgs := []*packageJSON{root}
	if ws := nf.Workspace; ws != nil {
		for _, p := range ws.Packages {
			pkgs = append(pkgs, p.pkg)
		}
	}
	for _, p := range pkgs {
		for _, name := range p.allDeps() {
			spec := p.depSpec(name)
			for _, proto := range []string{"file:", "link:"} {
				if rest, ok := strings.CutPrefix(spec, proto); ok {
					target := path.Clean(path.Join(path.Dir(p.file), rest))
					if strings.HasPrefix(target, "../") || target == ".." {
						det.Problemf(p.file, "dependency %s points outside the repository (%s); the image cannot include it", name, spec)
						continue
					}
					add(target)
				}
			}
		}
	}
}

// npmrcHasCredentials reports whether an .npmrc holds a token or password
// (literal or ${VAR}): such a file must never be part of an image layer.
func npmrcHasCredentials(data []byte) bool {
	found := false
	Lines(data, func(_ int, l string) bool {
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
func yarnNodeLinker(fsys fs.FS, det *Detection) string {
	data, err := ReadPrefix(fsys, ".yarnrc.yml", 64<<10)
	if err != nil {
		det.Problemf(".yarnrc.yml", "cannot read: %v", err)
		return "pnp"
	}
	linker := "pnp"
	Lines(data, func(n int, l string) bool {
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
