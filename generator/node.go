package generator

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// NodePlan is what only the Node templates (node and static) need. Every
// shell command in it is built by dgen from fixed words and validated
// names; every path is checked before it is written into a COPY.
type NodePlan struct {
	// Runtime is the program that runs the app: "node", or "bun" for apps
	// written against Bun's APIs (then both stages use Bun's image).
	Runtime string `json:"runtime"`
	// Setup installs the package manager in the build stage (corepack,
	// pnpm, Yarn or Bun), "" when the build image already has it.
	Setup string `json:"setup,omitempty"`
	// SetupWhy is the comment written above Setup.
	SetupWhy string `json:"setupWhy,omitempty"`
	// BuildEnv are ENV settings of the build stage.
	BuildEnv []NodeEnv `json:"buildEnv,omitempty"`
	// BuildArgs are ARGs of the build stage, declared just before the
	// build: public variables the bundle inlines, whose values the
	// .dockerignore keeps out with the .env files.
	BuildArgs []string `json:"buildArgs,omitempty"`
	// BuildArgsWhy is the comment written above them.
	BuildArgsWhy string `json:"buildArgsWhy,omitempty"`
	// BuildPackages are Debian packages the build stage installs (compilers
	// for node-gyp); they never reach the runtime stage.
	BuildPackages []string `json:"buildPackages,omitempty"`
	// BuildPackagesWhy is the comment written above their install.
	BuildPackagesWhy string `json:"buildPackagesWhy,omitempty"`
	// Manifests are copied before the install so that the install layer
	// is rebuilt only when they change: package.json files, the lockfile,
	// workspace and package-manager settings.
	Manifests []NodeCopy `json:"manifests"`
	// Install installs the dependencies with the lockfile enforced: all of
	// them when there is a build, production ones only when there is not.
	Install string `json:"install"`
	// InstallWhy is the comment written above Install ("" for none).
	InstallWhy string `json:"installWhy,omitempty"`
	// CacheTarget is the package manager's download cache, mounted as a
	// BuildKit cache into the install (absolute path).
	CacheTarget string `json:"cacheTarget"`
	// Generate are commands run on the full source before the build
	// (prisma generate).
	Generate []string `json:"generate,omitempty"`
	// Prune leaves only production dependencies after the build ("" when
	// the runtime stage copies a self-contained build output).
	Prune string `json:"prune,omitempty"`
	// PruneWhy is the comment written above Prune.
	PruneWhy string `json:"pruneWhy,omitempty"`
	// RuntimePackages are Debian packages the app needs at run time
	// (OpenSSL for Prisma, Cairo and Pango for canvas).
	RuntimePackages []string `json:"runtimePackages,omitempty"`
	// RuntimePackagesWhy is the comment written above their install.
	RuntimePackagesWhy string `json:"runtimePackagesWhy,omitempty"`
	// Workdir is the runtime stage's working directory (absolute).
	Workdir string `json:"workdir"`
	// Env are ENV settings of the runtime stage.
	Env []NodeEnv `json:"env,omitempty"`
	// Copies are what the runtime stage copies from the build stage, in
	// order; each has a Why comment.
	Copies []NodeCopy `json:"copies"`
	// Writable are folders the app writes at run time (Next.js's cache),
	// created and owned by the app user; everything else stays root's.
	Writable []string `json:"writable,omitempty"`
	// WritableWhy is the comment written above their creation.
	WritableWhy string `json:"writableWhy,omitempty"`
	// StaticDir is the folder of built files a static site serves, an
	// absolute path in the build stage ("" for server apps).
	StaticDir string `json:"staticDir,omitempty"`
}

// NodeCopy is one COPY instruction.
type NodeCopy struct {
	// From is the stage copied from ("" for the build context).
	From string `json:"from,omitempty"`
	// Sources are the paths copied.
	Sources []string `json:"sources"`
	// Dest is where they go; a folder ends in "/".
	Dest string `json:"dest"`
	// Why is the comment written above it ("" for none).
	Why string `json:"why,omitempty"`
}

// NodeEnv is one ENV setting.
type NodeEnv struct {
	// Name is the variable.
	Name string `json:"name"`
	// Value is its value, set by dgen (never read from the repository).
	Value string `json:"value"`
}

// Images and users of the Node templates.
const (
	nodeUID  = 1000 // the node and oven/bun images' own unprivileged user
	nginxUID = 101  // nginxinc/nginx-unprivileged's nginx user
)

// planNode fills the plan of a Node app in the order the Dockerfile is
// written: images, package manager, system packages, build environment,
// manifests and install; then either the static site's nginx stage or the
// server's runtime copies and environment; then health check and
// .dockerignore.
func planNode(det *facts.Detection, p *Plan) error {
	nf := det.Node
	if nf == nil {
		nf = &facts.NodeFacts{Runtime: "node"}
	}
	np := &NodePlan{Runtime: nf.Runtime, Workdir: "/app"}
	if np.Runtime == "" {
		np.Runtime = "node"
	}
	p.Node = np
	if ws := nf.Workspace; ws != nil && ws.App == "" {
		return fmt.Errorf("%w: no workspace app chosen; pass --app with one of the workspace packages", ErrNeedAnswer)
	}
	static, err := planNodeImages(det, nf, p, np)
	if err != nil {
		return err
	}
	major, _ := strconv.Atoi(p.LanguageVersion)
	if err := planNodeManager(det, p, np, major); err != nil {
		return err
	}
	planNodePackages(det, nf, np, static)
	planNodeBuildEnv(det, nf, np)
	planNodeManifests(nf, p, np)
	planNodeInstall(det, nf, p, np, static)
	if static {
		return planNodeStatic(det, nf, p, np)
	}
	planNodeCopies(det, nf, p, np)
	planNodeEnv(det, nf, p, np)
	if len(p.Start) == 0 {
		return noStartf("%s: no start command found (no scripts.start, \"main\", or server.js/app.js/index.js); pass --start, e.g. --start \"node dist/server.js\"", path.Join(nf.AppDir, "package.json"))
	}
	planNodePrismaKeep(det, nf, np)
	planNodeEnvFile(p, major)
	if np.Runtime == "bun" && p.Start[0] == "node" {
		p.Start = append([]string{"bun", "run"}, p.Start[1:]...)
	}
	planNodeHealth(det, p, np)
	planNodeIgnore(det, p, np)
	return nil
}

// planNodeImages picks the template, the images and the user, and reports
// whether the app is a static site served by nginx (a --start command
// overrides that and runs with Node). A Node major with no official image
// is an error.
func planNodeImages(det *facts.Detection, nf *facts.NodeFacts, p *Plan, np *NodePlan) (static bool, err error) {
	nodeImage, note, ok := catalog.NodeImageFor(p.LanguageVersion)
	// Bun's image has no npm, pnpm or Yarn: another manager installs and
	// builds on Node's image, and only the runtime is Bun's.
	bunOnly := np.Runtime == "bun" && det.PackageManager == facts.NodeBun
	switch {
	case !ok && !bunOnly:
		return false, noImageError(p, "Node", "node:"+p.LanguageVersion+"-slim", nodeMajors())
	case note != "" && !bunOnly:
		p.Notes = append(p.Notes, imageNote(p, note))
	}
	p.Template = "node"
	p.Images = Images{Build: nodeImage, Runtime: nodeImage}
	p.User = User{UID: nodeUID, GID: nodeUID, Name: "node"}
	if np.Runtime == "bun" {
		bunImage := catalog.BunImage(bunVersion(det))
		p.Images.Runtime = bunImage
		if bunOnly {
			p.Images.Build = bunImage
		} else {
			p.Notes = append(p.Notes, fmt.Sprintf("%s installs and builds on Node's image (Bun's image has no %s); the runtime stage is Bun's image, since the app runs with bun", det.PackageManager, det.PackageManager))
		}
		p.User.Name = "bun"
	}
	static = nf.StaticDir != "" && p.Evidence["start"].Detail != "--start"
	if nf.StaticDir != "" && !static {
		p.Notes = append(p.Notes, fmt.Sprintf("--start overrides serving the static %s/ folder with nginx: the image runs your command with Node instead", nf.StaticDir))
	}
	if static {
		p.Template = "static"
		p.Images.Runtime = catalog.NginxUnprivilegedImage()
		p.User = User{UID: nginxUID, GID: nginxUID, Name: "nginx"}
		p.Start = []string{"nginx", "-g", "daemon off;"}
		p.Evidence["start"] = facts.Evidence{File: p.Evidence["static"].File, Detail: "nginx serves the static build"}
	}
	return static, nil
}

// maxNamedAddons bounds how many native addons the Dockerfile's comment
// names.
const maxNamedAddons = 6

// planNodePackages adds the Debian packages native code needs: compilers
// for node-gyp, Cairo and Pango for canvas, OpenSSL for Prisma. A static
// site's runtime stage is nginx and gets none of them.
func planNodePackages(det *facts.Detection, nf *facts.NodeFacts, np *NodePlan, static bool) {
	if len(nf.NativeDeps) > 0 {
		np.BuildPackages = catalog.NodeGypBuildPackages()
		names := nf.NativeDeps
		if len(names) > maxNamedAddons {
			// A lockfile may lock dozens; the plan's notes list them all.
			names = append(slices.Clone(names[:maxNamedAddons]), fmt.Sprintf("and %d more", len(nf.NativeDeps)-maxNamedAddons))
		}
		np.BuildPackagesWhy = "node-gyp compiles native addons (" + strings.Join(names, ", ") + ") when no prebuilt binary fits; the compilers stay in this stage"
	}
	if nf.Canvas {
		build, runtime := catalog.NodeCanvasPackages()
		np.BuildPackages = append(np.BuildPackages, build...)
		np.RuntimePackages = append(np.RuntimePackages, runtime...)
		np.RuntimePackagesWhy = "node-canvas links Cairo and Pango at run time"
	}
	if nf.Prisma {
		np.BuildPackages = append(np.BuildPackages, catalog.PrismaPackages()...)
		np.BuildPackagesWhy = joinWhy(np.BuildPackagesWhy, "Prisma picks its query engine by the OpenSSL version it finds")
		np.RuntimePackages = append(np.RuntimePackages, catalog.PrismaPackages()...)
		np.RuntimePackagesWhy = joinWhy(np.RuntimePackagesWhy, "Prisma's query engine needs OpenSSL")
		np.Generate = append(np.Generate, prismaGenerate(det))
	}
	if static {
		np.RuntimePackages, np.RuntimePackagesWhy = nil, ""
	}
}

// joinWhy appends one more reason to a comment.
func joinWhy(why, more string) string {
	if why == "" {
		return more
	}
	return why + "; " + more
}

// planNodeBuildEnv turns off git hooks, telemetry and the browser or
// Electron downloads of development packages in the build stage, and
// declares the public variables the build inlines.
func planNodeBuildEnv(det *facts.Detection, nf *facts.NodeFacts, np *NodePlan) {
	for _, n := range nf.BuildArgs {
		if envName.MatchString(n) {
			np.BuildArgs = append(np.BuildArgs, n)
		}
	}
	if len(np.BuildArgs) > 0 {
		np.BuildArgsWhy = "Public variables the build inlines into the bundle; their values are in .env files the .dockerignore keeps out: pass them with --build-arg NAME=value"
	}
	if nf.Husky {
		np.BuildEnv = append(np.BuildEnv, NodeEnv{"HUSKY", "0"})
	}
	for _, d := range catalog.NodeDownloaders() {
		if slices.Contains(nf.SkipDownloads, d.Package) && !slices.ContainsFunc(np.BuildEnv, func(e NodeEnv) bool { return e.Name == d.Env }) {
			np.BuildEnv = append(np.BuildEnv, NodeEnv{d.Env, d.Value})
		}
	}
	switch det.Framework {
	case "nextjs":
		np.BuildEnv = append(np.BuildEnv, NodeEnv{"NEXT_TELEMETRY_DISABLED", "1"})
	case "astro":
		np.BuildEnv = append(np.BuildEnv, NodeEnv{"ASTRO_TELEMETRY_DISABLED", "1"})
	}
}

// planNodeManifests lists what is copied before the install (root files
// in one COPY, then each folder or nested file), lets a copied .npmrc
// through the .dockerignore, and mounts a credential .npmrc as a secret.
func planNodeManifests(nf *facts.NodeFacts, p *Plan, np *NodePlan) {
	var rootFiles []string
	for _, f := range nf.InstallFiles {
		switch {
		case strings.HasSuffix(f, "/"):
			np.Manifests = append(np.Manifests, NodeCopy{Sources: []string{f}, Dest: f})
		case !strings.Contains(f, "/"):
			rootFiles = append(rootFiles, f)
		default:
			np.Manifests = append(np.Manifests, NodeCopy{Sources: []string{f}, Dest: path.Dir(f) + "/"})
		}
	}
	if len(rootFiles) > 0 {
		np.Manifests = append([]NodeCopy{{Sources: rootFiles, Dest: "./"}}, np.Manifests...)
	}
	if slices.Contains(nf.InstallFiles, ".npmrc") {
		// A token-free .npmrc (registry, node-linker…) shapes the
		// install: the .dockerignore must let it through.
		p.keep = append(p.keep, "**/.npmrc")
	}
	if nf.NpmrcSecret {
		p.Secrets = append(p.Secrets, Secret{
			ID: "npmrc", Target: "/root/.npmrc", Source: "$HOME/.npmrc",
			Why: "The repository's .npmrc holds registry credentials, so it is never copied into a layer",
		})
	}
}

// planNodeInstall takes the build command and, when nothing is built,
// installs production dependencies only.
func planNodeInstall(det *facts.Detection, nf *facts.NodeFacts, p *Plan, np *NodePlan, static bool) {
	if p.Build == "" && nf.BuildScript != "" {
		p.Build = det.Build
	}
	pnpmDeploy := nf.Workspace != nil && det.PackageManager == facts.NodePNPM
	if p.Build == "" && len(np.Generate) == 0 && !static && !pnpmDeploy {
		// Nothing is built, so dev dependencies are never needed: install
		// production ones only and skip the prune.
		np.Install, np.Prune, np.PruneWhy = prodInstall(det, np), "", ""
		np.InstallWhy = "Production dependencies only: there is no build step that needs the dev ones"
	}
}

// planNodeStatic finishes a static site: nginx serves the build output,
// so there is nothing to prune and a build script is required.
func planNodeStatic(det *facts.Detection, nf *facts.NodeFacts, p *Plan, np *NodePlan) error {
	np.StaticDir = path.Join("/app", nf.AppDir, nf.StaticDir)
	if p.Build == "" {
		return badInputf("%s: a static site (%s) needs a build script that writes %s/; add scripts.build to package.json", path.Join(nf.AppDir, "package.json"), det.Framework, nf.StaticDir)
	}
	np.Prune = ""
	planNodeHealth(det, p, np)
	planNodeIgnore(det, p, np)
	return nil
}

// planNodeCopies decides what the runtime stage copies from the build
// stage and where the app runs from.
func planNodeCopies(det *facts.Detection, nf *facts.NodeFacts, p *Plan, np *NodePlan) {
	appAbs := path.Join("/app", nf.AppDir)
	switch {
	case det.Framework == "nextjs" && nf.NextOutput == "standalone":
		np.Prune = ""
		np.Copies = nextStandaloneCopies(nf, appAbs)
	case nf.SelfContained != "":
		np.Prune = ""
		np.Copies = []NodeCopy{{From: "build", Sources: []string{path.Join(appAbs, nf.SelfContained)}, Dest: path.Join("/app", nf.SelfContained) + "/",
			Why: nf.SelfContained + "/ holds the server and its dependencies: nothing else is needed"}}
	case nf.Workspace != nil && det.PackageManager == facts.NodePNPM:
		planPnpmDeploy(det, nf.Workspace, p, np, appAbs)
	default:
		np.Copies = []NodeCopy{{From: "build", Sources: []string{"/app/"}, Dest: "/app/",
			Why: "The app with production dependencies only, owned by root: the app user can read it but not change it"}}
		if nf.AppDir != "" && !nf.StartFromRoot {
			np.Workdir = appAbs
		}
	}
}

// nextStandaloneCopies copies Next.js's standalone server with the static
// assets and public/ it does not include.
func nextStandaloneCopies(nf *facts.NodeFacts, appAbs string) []NodeCopy {
	copies := []NodeCopy{
		{From: "build", Sources: []string{path.Join(appAbs, ".next/standalone")}, Dest: "/app/",
			Why: "output: 'standalone' traced the server and the dependencies it uses into .next/standalone, so node_modules is not copied"},
		{From: "build", Sources: []string{path.Join(appAbs, ".next/static")}, Dest: path.Join("/app", nf.AppDir, ".next/static") + "/",
			Why: "The standalone server serves the built assets but does not include them"},
	}
	if nf.NextPublic {
		copies = append(copies, NodeCopy{From: "build", Sources: []string{path.Join(appAbs, "public")}, Dest: path.Join("/app", nf.AppDir, "public") + "/"})
	}
	return copies
}

// planPnpmDeploy gathers a pnpm workspace app with pnpm deploy and copies
// the result, plus a git-ignored build output deploy leaves out.
func planPnpmDeploy(det *facts.Detection, ws *facts.NodeWorkspace, p *Plan, np *NodePlan, appAbs string) {
	deploy := "pnpm --filter " + ws.AppName + " deploy --prod /prod/app"
	if pnpmMajor(det) >= 10 {
		// pnpm 10 only deploys injected workspace packages unless
		// asked for the previous behaviour.
		deploy = "pnpm --filter " + ws.AppName + " deploy --legacy --prod /prod/app"
	}
	np.Prune = deploy
	np.PruneWhy = "pnpm deploy gathers the app and its production dependencies (workspace packages included) in /prod/app, without the rest of the workspace"
	np.Copies = []NodeCopy{{From: "build", Sources: []string{"/prod/app/"}, Dest: "/app/",
		Why: "The deployed app: its files and production node_modules"}}
	switch out := buildOutDir(det, p); {
	case det.Node.StartFromRoot && len(p.Start) >= 2:
		// Nx writes the build under the workspace root's dist/, which
		// deploy does not gather: it goes to the same path under /app.
		dir := path.Join("/app", path.Dir(p.Start[len(p.Start)-1]))
		np.Copies = append(np.Copies, NodeCopy{From: "build", Sources: []string{dir}, Dest: dir + "/",
			Why: "The build output, which Nx writes under the workspace root and pnpm deploy does not gather"})
	case out != "":
		np.Copies = append(np.Copies, NodeCopy{From: "build", Sources: []string{path.Join(appAbs, out)}, Dest: path.Join("/app", out) + "/",
			Why: "The build output: pnpm deploy leaves it out when it is git-ignored"})
	}
}

// planNodeEnv sets the runtime environment (NODE_ENV, PORT and the host
// variable the framework binds from) and the folders the app may write.
func planNodeEnv(det *facts.Detection, nf *facts.NodeFacts, p *Plan, np *NodePlan) {
	if det.Framework == "nextjs" {
		np.Writable = []string{path.Join("/app", nf.AppDir, ".next/cache")}
		np.WritableWhy = "Next.js writes its image-optimization and fetch cache here at run time"
	}
	np.Env = append(np.Env, NodeEnv{"NODE_ENV", "production"})
	if port := p.PortNumber(); port != 0 {
		np.Env = append(np.Env, NodeEnv{"PORT", strconv.Itoa(port)})
		if nf.PortEnv != "" && nf.PortEnv != "PORT" {
			// The app reads its port from this variable: EXPOSE, the
			// listener and the health check agree only when it is set.
			np.Env = append(np.Env, NodeEnv{nf.PortEnv, strconv.Itoa(port)})
		}
		if nf.HostEnv != "" {
			np.Env = append(np.Env, NodeEnv{nf.HostEnv, "0.0.0.0"})
		}
	}
}

// buildOutDir is the top folder of the start file when a build writes it
// ("dist" for node dist/main.js), or "".
func buildOutDir(det *facts.Detection, p *Plan) string {
	if det.Node.BuildScript == "" || len(p.Start) < 2 {
		return ""
	}
	for _, arg := range p.Start[1:] {
		if strings.HasPrefix(arg, "-") {
			continue
		}
		top := strings.SplitN(strings.TrimPrefix(arg, "./"), "/", 2)[0]
		switch top {
		case "dist", "build", "out", ".output":
			return top
		}
		return ""
	}
	return ""
}

// planNodeHealth writes the HEALTHCHECK with a program the runtime image
// has: node or bun (fetch is built in), or curl in the nginx image.
func planNodeHealth(det *facts.Detection, p *Plan, np *NodePlan) {
	port := p.PortNumber()
	if port == 0 {
		return
	}
	hc := newHealthcheck()
	hc.Path = det.HealthPath
	if p.Template == "static" {
		hc.Path = "/"
		hc.Cmd = []string{"curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:" + strconv.Itoa(port) + "/"}
		hc.Why = "The nginx image ships curl; a 2xx for / proves nginx serves the site"
		p.Healthcheck = hc
		return
	}
	if det.Framework == "grpc" {
		// gRPC is HTTP/2 only: a fetch never succeeds, so connect.
		hc.Path = ""
		hc.Cmd = []string{np.Runtime, "-e", "require('net').connect(" + strconv.Itoa(port) + ", '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"}
		hc.Why = "A gRPC server speaks HTTP/2 only, so an HTTP request never succeeds: " + np.Runtime + " connects to the port, and a refused connection is unhealthy"
		p.Healthcheck = hc
		return
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	var js string
	if hc.Path != "" {
		lit, _ := JSONString(url + hc.Path)
		js = "fetch(" + lit + ").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
		hc.Why = "The image has no curl or wget, but " + np.Runtime + " has fetch: " + hc.Path + " must answer 2xx"
	} else {
		lit, _ := JSONString(url + "/")
		js = "fetch(" + lit + ").then(() => process.exit(0), () => process.exit(1))"
		hc.Why = "The image has no curl or wget, but " + np.Runtime + " has fetch: any HTTP answer proves the server is up; a refused connection is unhealthy"
	}
	hc.Cmd = []string{np.Runtime, "-e", js}
	p.Healthcheck = hc
}

// planNodeIgnore appends the Node section of the .dockerignore: installed
// dependencies and outputs the build recreates inside the image. Nothing
// the Dockerfile copies from the context is excluded.
func planNodeIgnore(det *facts.Detection, p *Plan, np *NodePlan) {
	nf := det.Node
	lines := []string{
		"# Node: dependencies and build output are recreated inside the image",
		"**/node_modules",
		"**/.next",
		"**/.nuxt",
		"**/.output",
		"**/.svelte-kit",
		"**/.astro",
		"**/.turbo",
		"**/.cache",
		"**/.parcel-cache",
		"**/.eslintcache",
		"**/*.tsbuildinfo",
		"**/coverage",
		"**/npm-debug.log*",
		"**/yarn-debug.log*",
		"**/yarn-error.log*",
		"**/.pnpm-debug.log*",
		".pnpm-store",
	}
	if det.PackageManager == facts.NodeYarnBerry {
		// The Yarn release and plugins are copied; the cache and install
		// state are rebuilt.
		lines = append(lines, ".yarn/cache", ".yarn/unplugged", ".yarn/build-state.yml", ".yarn/install-state.gz", ".pnp.cjs", ".pnp.loader.mjs")
	}
	// Build output folders the image's build writes again. Only folders
	// dgen knows the build produces: a folder called build/ may hold
	// sources in other projects.
	var outs []string
	if nf.StaticDir != "" {
		outs = append(outs, strings.SplitN(nf.StaticDir, "/", 2)[0])
	}
	if out := buildOutDir(det, p); out != "" && out != ".output" {
		if nf.StartFromRoot {
			// Nx's dist/ is at the workspace root.
			out = "/" + out
		}
		outs = append(outs, out)
	}
	if det.Framework == "sveltekit" || det.Framework == "remix" {
		outs = append(outs, "build")
	}
	if det.Framework == "astro" {
		outs = append(outs, "dist")
	}
	for _, o := range outs {
		line := path.Join(nf.AppDir, o)
		if strings.HasPrefix(o, "/") {
			line = o[1:]
		}
		copied := false
		for _, f := range nf.InstallFiles {
			if f == line || strings.HasPrefix(f, line+"/") {
				copied = true
			}
		}
		if !copied && !containsString(lines, line) {
			lines = append(lines, line)
		}
	}
	p.Dockerignore = append(p.Dockerignore, lines...)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
