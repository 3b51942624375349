package facts

// Node package managers as they appear in a Detection.
const (
	NodeNPM       = "npm"
	NodePNPM      = "pnpm"
	NodeYarn      = "yarn"       // Yarn 1 (classic)
	NodeYarnBerry = "yarn-berry" // Yarn 2 and later
	NodeBun       = "bun"
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
	// BuildScript is the app's build script ("nx build <project>" for an
	// Nx build target), "" when it has none.
	BuildScript string `json:"buildScript,omitempty"`
	// BuildRunsBun is true when a build script the image runs (the
	// app's, or one of a workspace package it uses) runs bun or bunx:
	// the build stage needs Bun even when Node runs the app.
	BuildRunsBun bool `json:"buildRunsBun,omitempty"`
	// BuildScriptName is the script BuildScript is: "build", or one the
	// project keeps for image builds ("build:docker", "build:prod"),
	// which wins over "build".
	BuildScriptName string `json:"buildScriptName,omitempty"`
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
	// PortEnv is the variable the app reads its port from when it is not
	// PORT (APP_PORT); the image sets it to the exposed port as well.
	PortEnv string `json:"portEnv,omitempty"`
	// TypeScript is true when the app is written in TypeScript.
	TypeScript bool `json:"typescript,omitempty"`
	// Workspace is set in a monorepo.
	Workspace *NodeWorkspace `json:"workspace,omitempty"`
	// AppDir is the folder of the app being built ("" at the root).
	AppDir string `json:"appDir,omitempty"`
	// NxProject is the Nx project whose build target builds the app
	// (`nx build <project>`), "" outside Nx.
	NxProject string `json:"nxProject,omitempty"`
	// StartFromRoot is true when the start command's paths are relative
	// to the build root rather than AppDir (Nx writes the build to the
	// workspace's dist/): the app runs from the root.
	StartFromRoot bool `json:"startFromRoot,omitempty"`
	// Prisma is true when the app uses Prisma: `prisma generate` runs at
	// build time and the runtime needs OpenSSL.
	Prisma bool `json:"prisma,omitempty"`
	// PrismaSchemaPath is the Prisma schema (a file, or a folder of
	// them), relative to the build root; "" when none was found.
	PrismaSchemaPath string `json:"prismaSchemaPath,omitempty"`
	// PrismaDir is the folder of the package that holds the schema
	// ("" for the build root): prisma generate runs there, where the
	// package's own @prisma/client is found.
	PrismaDir string `json:"prismaDir,omitempty"`
	// PrismaPackage is that package's name when it is a workspace
	// package other than the root.
	PrismaPackage string `json:"prismaPackage,omitempty"`
	// PrismaSchemaArg is the --schema argument, relative to PrismaDir,
	// when the CLI would not find the schema by itself (not at
	// prisma/schema.prisma or schema.prisma, and not named by
	// package.json or prisma.config.ts).
	PrismaSchemaArg string `json:"prismaSchemaArg,omitempty"`
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
	// BuildArgs are public build-time variables (VITE_*, NEXT_PUBLIC_*,
	// REACT_APP_*) the code reads and only excluded .env files set; the
	// build stage declares them as ARGs.
	BuildArgs []string `json:"buildArgs,omitempty"`
	// SkipDownloads are development packages the install would let
	// download a browser or Electron (cypress, playwright, puppeteer,
	// electron) although the production app does not depend on them.
	SkipDownloads []string `json:"skipDownloads,omitempty"`
	// Husky is true when husky is a dependency; its install hook is
	// switched off in the image (there is no .git).
	Husky bool `json:"husky,omitempty"`
}

// NodeWorkspace describes a monorepo: the workspace root is the build
// context, and one app of it is built.
type NodeWorkspace struct {
	// Tool is what declares the workspace: "pnpm" (pnpm-workspace.yaml),
	// "npm", "yarn" or "bun" (package.json "workspaces"), or "lerna".
	Tool string `json:"tool"`
	// Turbo is true with a turbo.json at the root: the build runs
	// through turbo with a filter.
	Turbo bool `json:"turbo,omitempty"`
	// Nx is true with an nx.json at the root: the build runs the app's
	// Nx build target.
	Nx bool `json:"nx,omitempty"`
	// Lerna is true with a lerna.json at the root.
	Lerna bool `json:"lerna,omitempty"`
	// Packages are every workspace package, sorted by folder.
	Packages []NodeWorkspacePackage `json:"packages"`
	// App is the folder of the app being built ("apps/api"), "" while no
	// app is chosen.
	App string `json:"app,omitempty"`
	// AppName is the app's package name.
	AppName string `json:"appName,omitempty"`
	// AppDeps are the workspace packages the app depends on, directly or
	// not, in build order (dependencies first), excluding the app.
	AppDeps []NodeWorkspacePackage `json:"appDeps,omitempty"`
}

// NodeWorkspacePackage is one package of a workspace.
type NodeWorkspacePackage struct {
	// Dir is the folder, relative to the workspace root.
	Dir string `json:"dir"`
	// Name is the package name from its package.json.
	Name string `json:"name"`
	// Deployable is true for an app (a start script or an app
	// framework), false for a library.
	Deployable bool `json:"deployable,omitempty"`
	// HasBuild is true when the package has a build script.
	HasBuild bool `json:"hasBuild,omitempty"`
	// Why says what made it deployable.
	Why string `json:"why,omitempty"`
}
