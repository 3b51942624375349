package facts

// PythonFacts is what only a Python repository has. The generator's Python
// planner turns it into the install, collectstatic and assets steps of the
// Dockerfile. Paths are relative to the repository root, with forward
// slashes, and free of anything a COPY line or a shell would interpret
// (unsafe ones are left out with a Problem).
type PythonFacts struct {
	// Manifests are the dependency files the install step reads, in the
	// order they are copied before the source: pyproject.toml, the
	// lockfile, requirements files and the files they include.
	Manifests []string `json:"manifests,omitempty"`
	// LocalPaths are folders the dependency install builds from the
	// repository (Poetry and uv path dependencies, PDM
	// file:///${PROJECT_ROOT}/… references), copied before it with the
	// Manifests.
	LocalPaths []string `json:"localPaths,omitempty"`
	// Requirements is the requirements file pip installs from, "" when pip
	// does not install from one.
	Requirements string `json:"requirements,omitempty"`
	// ServerRequirements are further requirements files pip installs
	// after Requirements because they add the production server
	// (requirements-server.txt with granian).
	ServerRequirements []string `json:"serverRequirements,omitempty"`
	// ServerPackages are requirement specifiers pip installs with the
	// dependencies because the repository's server configuration needs a
	// server it does not list ("uwsgi==2.0.31" for a uwsgi.ini).
	ServerPackages []string `json:"serverPackages,omitempty"`
	// Locked is true when a lockfile (uv.lock, poetry.lock, pdm.lock,
	// Pipfile.lock) pins the dependencies.
	Locked bool `json:"locked"`
	// Dependencies are the normalized names (PEP 503) of the runtime
	// dependencies found, direct and locked, sorted.
	Dependencies []string `json:"dependencies,omitempty"`
	// Installable is true when the project is a package a build backend can
	// install (pyproject.toml [build-system], setup.py, a Poetry project
	// not in package-mode = false).
	Installable bool `json:"installable"`
	// InstallProject is true when the project itself must be installed into
	// the virtualenv after its dependencies, because the start command is
	// one of its console scripts.
	InstallProject bool `json:"installProject"`
	// PyprojectDeps is true when pip installs the dependencies listed in
	// pyproject.toml's [project] table (no lockfile, no requirements file):
	// they are read from the file and installed before the source.
	PyprojectDeps bool `json:"pyprojectDeps"`
	// InstallWithSource is true when dependencies cannot be installed from
	// the manifests alone (pip install . without a lockfile, or a
	// requirements file naming a local path such as "-e ."): the install
	// step then runs after the source is copied.
	InstallWithSource bool `json:"installWithSource"`
	// UVWorkspace is true when pyproject.toml declares a uv workspace
	// ([tool.uv.workspace] members): the install leaves the workspace's
	// own packages for after the source copy.
	UVWorkspace bool `json:"uvWorkspace,omitempty"`
	// Member is the uv workspace member built, as a folder relative to the
	// repository root, "" when the root project is built. The app runs in
	// that folder; ManagePy and Catalogs are relative to it.
	Member string `json:"member,omitempty"`
	// MemberPackage is the member's [project] name, which uv sync
	// --package installs.
	MemberPackage string `json:"memberPackage,omitempty"`
	// AppDir is the folder the app's modules are imported from when it is
	// not the repository root: "src" for a src layout, or the folder holding
	// manage.py.
	AppDir string `json:"appDir,omitempty"`
	// Server is the program that serves the app: gunicorn, uvicorn,
	// daphne, hypercorn, waitress, streamlit, celery, python, … ("" when
	// the start command came from the user or a Procfile).
	Server string `json:"server,omitempty"`
	// PortArg says which argument of Detection.Start carries the port, so
	// that a --port override rewrites it; nil when none does.
	PortArg *PortArg `json:"portArg,omitempty"`
	// Env are environment variables the start command needs in the runtime
	// image (from Procfile assignments), by name.
	Env map[string]string `json:"env,omitempty"`
	// PortEnv is the variable the app reads its port from when it is not
	// PORT (APP_PORT, a settings field with a prefix): the image sets it to
	// the EXPOSEd port so the listener, EXPOSE and the probe agree.
	PortEnv string `json:"portEnv,omitempty"`
	// DjangoSettings is the settings module used at build time
	// (collectstatic) and named in the runtime image, e.g.
	// "config.settings.production".
	DjangoSettings string `json:"djangoSettings,omitempty"`
	// ManagePy is the path of manage.py, "" when the app is not Django.
	ManagePy string `json:"managePy,omitempty"`
	// CollectStatic is true when STATIC_ROOT is set, so `manage.py
	// collectstatic` runs at build time.
	CollectStatic bool `json:"collectStatic"`
	// StaticRoot is where collectstatic writes, relative to the repository
	// (or absolute when settings say so).
	StaticRoot string `json:"staticRoot,omitempty"`
	// CollectStaticEnv are placeholder values for the environment variables
	// the settings require at import time (SECRET_KEY, DATABASE_URL, …),
	// set only for the build-time manage.py steps (collectstatic,
	// compilemessages), never in the image.
	CollectStaticEnv map[string]string `json:"collectStaticEnv,omitempty"`
	// Translations names the tool that compiles the gettext catalogs at
	// build time: "django" (manage.py compilemessages) or "babel" (pybabel
	// compile, for Flask-Babel and other Babel users); "" when there are
	// no catalogs to compile.
	Translations string `json:"translations,omitempty"`
	// Catalogs are the folders holding <lang>/LC_MESSAGES/<domain>.po
	// files, with their domains, when Translations is set.
	Catalogs []PythonCatalogs `json:"catalogs,omitempty"`
	// BuildPackages are Debian packages the dependency install needs
	// (compilers, -dev headers); they stay in the build stage.
	BuildPackages []string `json:"buildPackages,omitempty"`
	// RuntimePackages are Debian packages the app needs at run time
	// (shared libraries, tools such as ffmpeg).
	RuntimePackages []string `json:"runtimePackages,omitempty"`
	// PrivateIndexes are the package indexes other than PyPI that the
	// install reads, as host names; credentials for them come from a
	// BuildKit secret.
	PrivateIndexes []string `json:"privateIndexes,omitempty"`
	// AssetsDir is the folder holding the package.json whose build script
	// builds front-end assets ("." for the root), "" when there is none.
	AssetsDir string `json:"assetsDir,omitempty"`
	// AssetsManifests are the files copied before the assets install:
	// package.json, its lockfile and the package manager's settings
	// (.yarnrc.yml, bunfig.toml, pnpm-workspace.yaml), all in AssetsDir.
	AssetsManifests []string `json:"assetsManifests,omitempty"`
	// AssetsManifestDirs are folders the assets install needs (Yarn
	// Berry's .yarn/releases), in AssetsDir.
	AssetsManifestDirs []string `json:"assetsManifestDirs,omitempty"`
	// AssetsManager is the assets' package manager: "npm", "yarn" (Yarn
	// 1), "yarn-berry", "pnpm" or "bun".
	AssetsManager string `json:"assetsManager,omitempty"`
	// AssetsManagerVersion is the exact manager version package.json's
	// packageManager field pins, "" when none is pinned.
	AssetsManagerVersion string `json:"assetsManagerVersion,omitempty"`
	// AssetsManagerMajor is the manager's major when known from a pin or
	// the lockfile format.
	AssetsManagerMajor string `json:"assetsManagerMajor,omitempty"`
	// AssetsCorepack is true when the packageManager field pins the
	// manager, so corepack installs exactly that version.
	AssetsCorepack bool `json:"assetsCorepack,omitempty"`
	// AssetsLockfile is the assets' lockfile, "" when there is none.
	AssetsLockfile string `json:"assetsLockfile,omitempty"`
	// AssetsLocked is true when the assets have a lockfile.
	AssetsLocked bool `json:"assetsLocked"`
	// AssetsYarnNodeLinker is .yarnrc.yml's nodeLinker for Yarn Berry.
	AssetsYarnNodeLinker string `json:"assetsYarnNodeLinker,omitempty"`
	// AssetsInstall installs the assets' dependencies with their manager,
	// the lockfile enforced when there is one ("pnpm install
	// --frozen-lockfile").
	AssetsInstall string `json:"assetsInstall,omitempty"`
	// AssetsCache is the manager's cache the install mounts: absolute, or
	// relative to AssetsDir when the manager keeps it in the project.
	AssetsCache string `json:"assetsCache,omitempty"`
	// AssetsBuild runs the build script with the manager ("pnpm run
	// build").
	AssetsBuild string `json:"assetsBuild,omitempty"`
	// AssetsOutput is the folder the build script writes, relative to the
	// repository root.
	AssetsOutput string `json:"assetsOutput,omitempty"`
	// AssetsNodeVersion is the Node.js major used to build the assets.
	AssetsNodeVersion string `json:"assetsNodeVersion,omitempty"`
	// IgnoreDirs are local build outputs that must stay out of the build
	// context because the image makes its own (collectstatic output).
	IgnoreDirs []string `json:"ignoreDirs,omitempty"`
}

// PythonCatalogs is one folder of gettext catalogs:
// Dir/<lang>/LC_MESSAGES/<domain>.po for each domain.
type PythonCatalogs struct {
	Dir     string   `json:"dir"`
	Domains []string `json:"domains"`
}

// PortArg locates the port inside one argument of the start command:
// Start[Index] == Prefix + port + Suffix.
type PortArg struct {
	Index  int    `json:"index"`
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
}
