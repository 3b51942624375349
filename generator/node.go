package generator

import (
	"fmt"
	"path"
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
	major, _ := strconv.Atoi(p.LanguageVersion)
	nodeImage := "node:" + p.LanguageVersion + "-trixie-slim"
	appDir := nf.AppDir
	ws := nf.Workspace

	if ws != nil && ws.App == "" {
		return fmt.Errorf("%w: no workspace app chosen; pass --app with one of the workspace packages", ErrNeedAnswer)
	}

	p.Template = "node"
	p.Images = Images{Build: nodeImage, Runtime: nodeImage}
	p.User = User{UID: nodeUID, GID: nodeUID, Name: "node"}
	if np.Runtime == "bun" {
		bunImage := "oven/bun:" + bunVersion(det) + "-slim"
		p.Images = Images{Build: bunImage, Runtime: bunImage}
		p.User.Name = "bun"
	}
	static := nf.StaticDir != "" && p.Evidence["start"].Detail != "--start"
	if nf.StaticDir != "" && !static {
		p.Notes = append(p.Notes, fmt.Sprintf("--start overrides serving the static %s/ folder with nginx: the image runs your command with Node instead", nf.StaticDir))
	}
	if static {
		p.Template = "static"
		p.Images.Runtime = "nginxinc/nginx-unprivileged:" + catalog.NginxUnprivilegedTag
		p.User = User{UID: nginxUID, GID: nginxUID, Name: "nginx"}
		p.Start = []string{"nginx", "-g", "daemon off;"}
		p.Evidence["start"] = facts.Evidence{File: p.Evidence["static"].File, Detail: "nginx serves the static build"}
	}

	// Package manager: setup, install, cache, prune.
	pm := det.PackageManager
	if err := planNodeManager(det, p, np, major); err != nil {
		return err
	}

	// Build-stage packages and environment.
	if len(nf.NativeDeps) > 0 {
		np.BuildPackages = []string{"python3", "make", "g++"}
		np.BuildPackagesWhy = "node-gyp compiles native addons (" + strings.Join(nf.NativeDeps, ", ") + ") when no prebuilt binary fits; the compilers stay in this stage"
	}
	if nf.Canvas {
		np.BuildPackages = append(np.BuildPackages, "libcairo2-dev", "libpango1.0-dev", "libjpeg-dev", "libgif-dev", "librsvg2-dev")
		np.RuntimePackages = append(np.RuntimePackages, "libcairo2", "libpango-1.0-0", "libpangocairo-1.0-0", "libjpeg62-turbo", "libgif7", "librsvg2-2")
		np.RuntimePackagesWhy = "node-canvas links Cairo and Pango at run time"
	}
	if nf.Prisma {
		np.BuildPackages = append(np.BuildPackages, "openssl")
		if np.BuildPackagesWhy == "" {
			np.BuildPackagesWhy = "Prisma picks its query engine by the OpenSSL version it finds"
		} else {
			np.BuildPackagesWhy += "; Prisma picks its query engine by the OpenSSL version it finds"
		}
		np.RuntimePackages = append(np.RuntimePackages, "openssl")
		if np.RuntimePackagesWhy == "" {
			np.RuntimePackagesWhy = "Prisma's query engine needs OpenSSL"
		} else {
			np.RuntimePackagesWhy += "; Prisma's query engine needs OpenSSL"
		}
		np.Generate = append(np.Generate, prismaGenerate(det))
	}
	if static {
		np.RuntimePackages, np.RuntimePackagesWhy = nil, ""
	}
	if nf.Husky {
		np.BuildEnv = append(np.BuildEnv, NodeEnv{"HUSKY", "0"})
	}
	if det.Framework == "nextjs" {
		np.BuildEnv = append(np.BuildEnv, NodeEnv{"NEXT_TELEMETRY_DISABLED", "1"})
	}
	if det.Framework == "astro" {
		np.BuildEnv = append(np.BuildEnv, NodeEnv{"ASTRO_TELEMETRY_DISABLED", "1"})
	}

	// Manifests before the install.
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
	for _, f := range nf.InstallFiles {
		if f == ".npmrc" {
			// A token-free .npmrc (registry, node-linker…) shapes the
			// install: the .dockerignore must let it through.
			p.keep = append(p.keep, "**/.npmrc")
		}
	}
	if nf.NpmrcSecret {
		p.Secrets = append(p.Secrets, Secret{
			ID: "npmrc", Target: "/root/.npmrc", Source: "$HOME/.npmrc",
			Why: "The repository's .npmrc holds registry credentials, so it is never copied into a layer",
		})
	}

	if p.Build == "" && nf.BuildScript != "" {
		p.Build = det.Build
	}
	if p.Build == "" && len(np.Generate) == 0 && !static && !(ws != nil && pm == facts.NodePNPM) {
		// Nothing is built, so dev dependencies are never needed: install
		// production ones only and skip the prune.
		np.Install, np.Prune, np.PruneWhy = prodInstall(det, np), "", ""
		np.InstallWhy = "Production dependencies only: there is no build step that needs the dev ones"
	}
	if static {
		np.StaticDir = path.Join("/app", appDir, nf.StaticDir)
		if p.Build == "" {
			return badInputf("%s: a static site (%s) needs a build script that writes %s/; add scripts.build to package.json", path.Join(appDir, "package.json"), det.Framework, nf.StaticDir)
		}
		np.Prune = ""
		planNodeHealth(det, p, np)
		planNodeIgnore(det, p, np)
		return nil
	}

	// Runtime stage: what is copied, where it runs from.
	appAbs := path.Join("/app", appDir)
	switch {
	case det.Framework == "nextjs" && nf.NextOutput == "standalone":
		np.Prune = ""
		np.Copies = []NodeCopy{{From: "build", Sources: []string{path.Join(appAbs, ".next/standalone")}, Dest: "/app/",
			Why: "output: 'standalone' traced the server and the dependencies it uses into .next/standalone, so node_modules is not copied"}}
		np.Copies = append(np.Copies, NodeCopy{From: "build", Sources: []string{path.Join(appAbs, ".next/static")}, Dest: path.Join("/app", appDir, ".next/static") + "/",
			Why: "The standalone server serves the built assets but does not include them"})
		if nf.NextPublic {
			np.Copies = append(np.Copies, NodeCopy{From: "build", Sources: []string{path.Join(appAbs, "public")}, Dest: path.Join("/app", appDir, "public") + "/"})
		}
	case nf.SelfContained != "":
		np.Prune = ""
		np.Copies = []NodeCopy{{From: "build", Sources: []string{path.Join(appAbs, nf.SelfContained)}, Dest: path.Join("/app", nf.SelfContained) + "/",
			Why: nf.SelfContained + "/ holds the server and its dependencies: nothing else is needed"}}
	case ws != nil && pm == facts.NodePNPM:
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
		if out := buildOutDir(det, p); out != "" {
			np.Copies = append(np.Copies, NodeCopy{From: "build", Sources: []string{path.Join(appAbs, out)}, Dest: path.Join("/app", out) + "/",
				Why: "The build output: pnpm deploy leaves it out when it is git-ignored"})
		}
	default:
		np.Copies = []NodeCopy{{From: "build", Sources: []string{"/app/"}, Dest: "/app/",
			Why: "The app with production dependencies only, owned by root: the app user can read it but not change it"}}
		if appDir != "" {
			np.Workdir = appAbs
		}
	}
	if det.Framework == "nextjs" {
		np.Writable = []string{path.Join("/app", appDir, ".next/cache")}
		np.WritableWhy = "Next.js writes its image-optimization and fetch cache here at run time"
	}
	np.Env = append(np.Env, NodeEnv{"NODE_ENV", "production"})
	if port := p.PortNumber(); port != 0 {
		np.Env = append(np.Env, NodeEnv{"PORT", strconv.Itoa(port)})
		if nf.HostEnv != "" {
			np.Env = append(np.Env, NodeEnv{nf.HostEnv, "0.0.0.0"})
		}
	}
	if len(p.Start) == 0 {
		return badInputf("%s: no start command found (no scripts.start, \"main\", or server.js/app.js/index.js); pass --start, e.g. --start \"node dist/server.js\"", path.Join(appDir, "package.json"))
	}
	if np.Runtime == "bun" && p.Start[0] == "node" {
		p.Start = append([]string{"bun", "run"}, p.Start[1:]...)
	}
	planNodeHealth(det, p, np)
	planNodeIgnore(det, p, np)
	return nil
}

// planNodeManager fills Setup, Install, CacheTarget and Prune for the
// package manager.
func planNodeManager(det *facts.Detection, p *Plan, np *NodePlan, major int) error {
	nf := det.Node
	pm := det.PackageManager
	locked := nf.Lockfile != ""
	corepack := func(tool, version string) {
		prefix := "corepack enable"
		if major >= 25 || major == 0 {
			force := ""
			if major == 25 {
				// Node 25's image still ships Yarn 1, whose links would
				// make npm refuse to install corepack's.
				force = "--force "
			}
			prefix = "npm install -g " + force + "corepack@" + catalog.CorepackVersion + " && corepack enable"
			np.SetupWhy = "Node 25 and later no longer bundle corepack: install it from npm, then let it install " + tool + " " + version
		} else {
			np.SetupWhy = "corepack (bundled with Node " + p.LanguageVersion + ") installs " + tool + " " + version
		}
		if nf.Corepack {
			np.SetupWhy += ", as pinned by \"packageManager\" in package.json"
		}
		np.Setup = prefix + " && corepack install -g " + tool + "@" + version
		np.BuildEnv = append(np.BuildEnv, NodeEnv{"COREPACK_ENABLE_DOWNLOAD_PROMPT", "0"})
	}
	version := det.PackageManagerVersion
	if !semverOK(version) {
		version = ""
	}
	switch pm {
	case facts.NodeNPM:
		np.CacheTarget = "/root/.npm"
		np.Install = "npm ci --no-audit --no-fund"
		if !locked {
			np.Install = "npm install --no-audit --no-fund"
		}
		np.Prune = "npm prune --omit=dev --no-audit --no-fund"
		if version != "" {
			p.Notes = append(p.Notes, "package.json pins npm "+version+"; the image uses the npm that ships with Node "+p.LanguageVersion)
		}
	case facts.NodePNPM:
		if version == "" {
			version = nf.ManagerMajor
			if version == "" {
				version = catalog.PnpmDefaultMajor
			}
		}
		corepack("pnpm", version)
		// pnpm's default store on Linux; the cache mount keeps it
		// between builds.
		np.CacheTarget = "/root/.local/share/pnpm/store"
		np.Install = "pnpm install --frozen-lockfile"
		if !locked {
			np.Install = "pnpm install"
		}
		np.Prune = "pnpm prune --prod"
	case facts.NodeYarn:
		np.CacheTarget = "/usr/local/share/.cache/yarn"
		if version != "" || major >= 26 || major == 0 {
			if version == "" {
				version = catalog.YarnClassicVersion
			}
			corepack("yarn", version)
		}
		np.Install = "yarn install --frozen-lockfile"
		if !locked {
			np.Install = "yarn install"
		}
		np.Prune = "yarn install --frozen-lockfile --production --ignore-scripts --prefer-offline"
	case facts.NodeYarnBerry:
		if version == "" {
			version = nf.ManagerMajor
			if version == "" {
				version = catalog.YarnBerryDefaultMajor
			}
		}
		corepack("yarn", version)
		np.CacheTarget = "/root/.yarn/berry/cache"
		if v, _ := strconv.Atoi(strings.SplitN(version, ".", 2)[0]); v > 0 && v < 4 {
			// Yarn 2 and 3 keep the cache in the project by default.
			np.CacheTarget = "/app/.yarn/cache"
		}
		np.Install = "yarn install --immutable"
		if !locked {
			np.Install = "yarn install"
		}
		if nf.YarnNodeLinker != "node-modules" && nf.YarnNodeLinker != "pnpm" {
			// Plug'n'Play keeps packages in zip files under the cache
			// mount, which is not part of the image: install a plain
			// node_modules for the image instead.
			np.BuildEnv = append(np.BuildEnv, NodeEnv{"YARN_NODE_LINKER", "node-modules"})
			p.Notes = append(p.Notes, "Yarn Plug'n'Play: the image installs a node_modules folder instead (YARN_NODE_LINKER=node-modules), so the app runs with plain node")
		}
		if ws := nf.Workspace; ws != nil && ws.AppName != "" {
			np.Prune = "yarn workspaces focus " + ws.AppName + " --production"
		} else {
			np.Prune = "yarn workspaces focus --all --production"
		}
	case facts.NodeBun:
		np.CacheTarget = "/root/.bun/install/cache"
		if np.Runtime != "bun" {
			v := bunVersion(det)
			np.Setup = "npm install -g bun@" + v
			np.SetupWhy = "Bun " + v + " installs the dependencies (bun.lock); Node runs the app"
		}
		np.Install = "bun install --frozen-lockfile"
		if !locked {
			np.Install = "bun install"
		}
		// bun install --production keeps dev dependencies that are
		// already installed: start from an empty node_modules.
		np.Prune = "find . -name node_modules -type d -prune -exec rm -rf {} + && bun install --frozen-lockfile --production"
	default:
		return fmt.Errorf("unknown Node package manager %q", pm)
	}
	if np.Prune != "" {
		np.PruneWhy = "Drop the dev dependencies the build needed: the runtime stage copies node_modules as it is now"
	}
	return nil
}

// prodInstall is the install of production dependencies only.
func prodInstall(det *facts.Detection, np *NodePlan) string {
	locked := det.Node.Lockfile != ""
	switch det.PackageManager {
	case facts.NodePNPM:
		if locked {
			return "pnpm install --frozen-lockfile --prod"
		}
		return "pnpm install --prod"
	case facts.NodeYarn:
		if locked {
			return "yarn install --frozen-lockfile --production"
		}
		return "yarn install --production"
	case facts.NodeYarnBerry:
		return np.Prune // yarn workspaces focus … --production
	case facts.NodeBun:
		if locked {
			return "bun install --frozen-lockfile --production"
		}
		return "bun install --production"
	}
	if locked {
		return "npm ci --omit=dev --no-audit --no-fund"
	}
	return "npm install --omit=dev --no-audit --no-fund"
}

// semverOK reports whether v is safe to write into a shell command.
func semverOK(v string) bool {
	if v == "" || len(v) > 64 {
		return false
	}
	for _, r := range v {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

func pnpmMajor(det *facts.Detection) int {
	v := det.PackageManagerVersion
	if v == "" {
		v = det.Node.ManagerMajor
	}
	n, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	return n
}

func bunVersion(det *facts.Detection) string {
	if det.PackageManager == facts.NodeBun && semverOK(det.PackageManagerVersion) {
		return det.PackageManagerVersion
	}
	return catalog.BunVersion
}

// prismaGenerate is `prisma generate` run with the package manager, in the
// app's folder in a workspace.
func prismaGenerate(det *facts.Detection) string {
	ws := det.Node.Workspace
	switch det.PackageManager {
	case facts.NodePNPM:
		if ws != nil {
			return "pnpm --filter " + ws.AppName + " exec prisma generate"
		}
		return "pnpm exec prisma generate"
	case facts.NodeYarn, facts.NodeYarnBerry:
		if ws != nil {
			return "yarn workspace " + ws.AppName + " run prisma generate"
		}
		return "yarn run prisma generate"
	case facts.NodeBun:
		if ws != nil {
			return "bun --filter " + ws.AppName + " x prisma generate"
		}
		return "bunx prisma generate"
	}
	if ws != nil {
		return "npm exec -w " + ws.App + " -- prisma generate"
	}
	return "npx --no-install prisma generate"
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
	hc := &Healthcheck{Interval: "30s", Timeout: "5s", StartPeriod: "10s", Retries: 3, Path: det.HealthPath}
	if p.Template == "static" {
		hc.Path = "/"
		hc.Cmd = []string{"curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:" + strconv.Itoa(port) + "/"}
		hc.Why = "The nginx image ships curl; a 2xx for / proves nginx serves the site"
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
