package generator

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// PythonPlan is what only the Python template needs: how the build stage
// fills the virtualenv, what the runtime stage adds, and the optional
// collectstatic and assets steps. Paths are relative to the repository,
// which is /app in the image, unless they start with "/".
type PythonPlan struct {
	// Debian is the Debian release of the python:<version>-slim-<Debian>
	// images: "trixie", or for a Python with no trixie images the newest
	// release that has them (catalog.PythonImageFor: "bookworm" for 3.8,
	// "bullseye" for 3.6).
	Debian string `json:"debian"`
	// Venv is the virtualenv the build stage fills and the runtime stage
	// copies whole, so compilers and caches stay behind.
	Venv string `json:"venv"`
	// ToolVersion is the version of the package manager the build stage
	// installs (uv's image tag; Poetry, PDM or pipenv from pip), "" for
	// pip, which the image ships.
	ToolVersion string `json:"toolVersion,omitempty"`
	// UVWorkspace is true when the repository is a uv workspace: the
	// dependency install leaves every workspace package out
	// (--no-install-workspace) until the source is copied.
	UVWorkspace bool `json:"uvWorkspace,omitempty"`
	// Member is the uv workspace member built, a folder below /app: the
	// build steps after the install (compilemessages, collectstatic) and
	// the app run there. "" when the root project is built.
	Member string `json:"member,omitempty"`
	// MemberPackage is the member's package name, synced with uv sync
	// --package.
	MemberPackage string `json:"memberPackage,omitempty"`
	// ManifestCopies copy the dependency manifests before the install,
	// keeping their folders, so a source edit does not reinstall; then the
	// folders of local path dependencies, which the install builds.
	ManifestCopies []PythonCopy `json:"manifestCopies,omitempty"`
	// Requirements is the requirements file pip installs from.
	Requirements string `json:"requirements,omitempty"`
	// ServerRequirements are further requirements files installed with
	// Requirements because they add the production server.
	ServerRequirements []string `json:"serverRequirements,omitempty"`
	// ServerPackages are pinned servers installed with Requirements
	// because a server configuration in the repository needs them.
	ServerPackages []string `json:"serverPackages,omitempty"`
	// Locked is true when a lockfile pins every dependency.
	Locked bool `json:"locked"`
	// InstallDeps is true when the dependencies are installed from the
	// manifests before the source is copied.
	InstallDeps bool `json:"installDeps"`
	// DepsFromPyproject is true when pip installs the dependencies listed
	// in pyproject.toml before the source: pip cannot install a project's
	// dependencies without the project, so the install step reads them
	// with tomllib (Python 3.11 and later).
	DepsFromPyproject bool `json:"depsFromPyproject"`
	// InstallWithSource is true when the install can only run after the
	// source is copied (pip install . without a lockfile, a requirements
	// file naming a local path).
	InstallWithSource bool `json:"installWithSource"`
	// InstallProject is true when the project itself is installed into the
	// virtualenv after the source copy (its console script is the start
	// command, or it is a package uv installs).
	InstallProject bool `json:"installProject"`
	// ToolInstall installs the package manager (Poetry, PDM, pipenv) into
	// a virtualenv of its own, one command per element, run as one step
	// (joined with &&); empty for pip, which the image ships, and uv,
	// copied from its image.
	ToolInstall []string `json:"toolInstall,omitempty"`
	// DepsInstall is the dependency install that runs from the manifests
	// before the source is copied, one command per element run as one
	// step; empty when InstallDeps is false.
	DepsInstall []string `json:"depsInstall,omitempty"`
	// SourceInstall is the install that needs the source (no lockfile, a
	// local path to install), run after the source copy; empty unless
	// InstallWithSource.
	SourceInstall []string `json:"sourceInstall,omitempty"`
	// ProjectInstall installs the project itself after the source copy
	// (its console scripts, a package uv installs); empty unless
	// InstallProject and not InstallWithSource.
	ProjectInstall []string `json:"projectInstall,omitempty"`
	// Caches are the cache mount targets of the install steps.
	Caches []string `json:"caches"`
	// BuildPackages are Debian packages installed in the build stage only
	// (compilers, -dev headers).
	BuildPackages []string `json:"buildPackages,omitempty"`
	// BuildPackagesWhy is the comment above the build packages when they
	// are not only compilers and headers (gettext for compilemessages);
	// "" keeps the usual one.
	BuildPackagesWhy string `json:"buildPackagesWhy,omitempty"`
	// RuntimePackages are Debian packages installed in the runtime stage.
	RuntimePackages []string `json:"runtimePackages,omitempty"`
	// Env is the runtime stage's environment beyond the fixed Python
	// settings, sorted by name.
	Env []PythonEnv `json:"env,omitempty"`
	// StopSignal is "SIGINT" when python itself runs the app: Python turns
	// SIGINT into KeyboardInterrupt and exits cleanly, while SIGTERM to
	// PID 1 without a handler is ignored until the runtime kills it. ""
	// keeps SIGTERM, which gunicorn, uvicorn and celery handle.
	StopSignal string `json:"stopSignal,omitempty"`
	// ManagePy is Django's manage.py, "" for other apps.
	ManagePy string `json:"managePy,omitempty"`
	// CollectStatic is true when `manage.py collectstatic` runs in the
	// build stage.
	CollectStatic bool `json:"collectStatic"`
	// CollectStaticEnv are the variables set for the collectstatic step
	// only: the settings module and placeholders for what settings read at
	// import time. They never reach the image.
	CollectStaticEnv []PythonEnv `json:"collectStaticEnv,omitempty"`
	// CollectStaticCommand is the collectstatic command run with
	// CollectStaticEnv set; "" when CollectStatic is false.
	CollectStaticCommand string `json:"collectStaticCommand,omitempty"`
	// CompileMessages compiles the gettext catalogs (.po to .mo, next to
	// them) in the build stage, one command per element run as one step:
	// `python manage.py compilemessages` for Django, `pybabel compile -d
	// <dir>` per catalog folder for Babel; empty when there are none.
	CompileMessages []string `json:"compileMessages,omitempty"`
	// CompileMessagesEnv are the variables set for the CompileMessages step
	// only (Django's settings module and the placeholders its settings
	// need at import time); they never reach the image.
	CompileMessagesEnv []PythonEnv `json:"compileMessagesEnv,omitempty"`
	// StaticRootAbs is an absolute STATIC_ROOT outside /app, copied from
	// the build stage; "" when STATIC_ROOT is inside the app.
	StaticRootAbs string `json:"staticRootAbs,omitempty"`
	// Assets is true when front-end assets are built in their own Node
	// stage (Images.Extra["assets"]).
	Assets bool `json:"assets"`
	// AssetsDir is the folder holding package.json, relative to /app.
	AssetsDir string `json:"assetsDir,omitempty"`
	// AssetsManifests are package.json and its lockfile.
	AssetsManifests []string `json:"assetsManifests,omitempty"`
	// AssetsManager is the assets' package manager: "npm", "yarn" (Yarn
	// 1), "yarn-berry", "pnpm" or "bun".
	AssetsManager string `json:"assetsManager,omitempty"`
	// AssetsLocked is true when the assets have a lockfile (npm ci,
	// pnpm install --frozen-lockfile, …).
	AssetsLocked bool `json:"assetsLocked"`
	// AssetsCopies copy folders the assets install needs (Yarn Berry's
	// .yarn/releases) into the assets folder, after AssetsManifests.
	AssetsCopies []PythonCopy `json:"assetsCopies,omitempty"`
	// AssetsSetup installs the package manager in the assets stage
	// (corepack for pnpm and Yarn), exactly as the Node planner does for
	// a Node app; "" when the image has it (npm, Bun's image).
	AssetsSetup string `json:"assetsSetup,omitempty"`
	// AssetsSetupWhy is the comment written above AssetsSetup.
	AssetsSetupWhy string `json:"assetsSetupWhy,omitempty"`
	// AssetsEnv are ENV settings of the assets stage (corepack's prompt
	// off, Yarn's node linker).
	AssetsEnv []PythonEnv `json:"assetsEnv,omitempty"`
	// AssetsCache is the cache mount target of the assets install
	// (absolute).
	AssetsCache string `json:"assetsCache,omitempty"`
	// AssetsInstall is the assets' dependency install, run from their
	// manifests with AssetsCache mounted.
	AssetsInstall string `json:"assetsInstall,omitempty"`
	// AssetsBuild runs the build script on the full source.
	AssetsBuild string `json:"assetsBuild,omitempty"`
	// AssetsOutput is the folder the assets build writes, copied into the
	// app before collectstatic.
	AssetsOutput string `json:"assetsOutput,omitempty"`
}

// PythonCopy is one COPY of manifests: Sources into Dest (a folder ending
// in "/").
type PythonCopy struct {
	Sources []string `json:"sources"`
	Dest    string   `json:"dest"`
}

// PythonEnv is one environment variable.
type PythonEnv struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Fixed parts of the Python image.
const (
	pythonVenv    = "/opt/venv"
	pythonWorkdir = "/app"
	pythonUID     = 10001
)

var (
	pythonEnvNameRe  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	pythonEnvValueRe = regexp.MustCompile(`^[A-Za-z0-9_./:@%+,=-]*$`)
)

// planPython turns a Python Detection into the template's data.
func planPython(det *facts.Detection, p *Plan) error {
	pf := det.Python
	if pf == nil {
		pf = &facts.PythonFacts{}
	}
	if len(p.Start) == 0 {
		msg := "no start command found for this Python app (dgen looked for a Procfile web: entry, [project.scripts], manage.py, FastAPI/Starlette/Flask apps, Streamlit and Gradio scripts, main.py/app.py/server.py and packages with __main__.py); pass --start, e.g. --start \"gunicorn --bind 0.0.0.0:8000 app:app\""
		if len(det.Problems) > 0 {
			// A broken manifest may be why nothing was found: say it
			// first, since fixing it is the real next step.
			var probs []string
			for _, pr := range det.Problems {
				probs = append(probs, pr.String())
			}
			msg = strings.Join(probs, "; ") + "\n" + msg
		}
		return noStartf("%s", msg)
	}
	pp := &PythonPlan{
		Debian:             catalog.DebianCurrent,
		Venv:               pythonVenv,
		Requirements:       pf.Requirements,
		ServerRequirements: pf.ServerRequirements,
		ServerPackages:     pf.ServerPackages,
		Locked:             pf.Locked,
		InstallWithSource:  pf.InstallWithSource,
		InstallProject:     pf.InstallProject,
		BuildPackages:      pf.BuildPackages,
		RuntimePackages:    pf.RuntimePackages,
		ManagePy:           pf.ManagePy,
		UVWorkspace:        pf.UVWorkspace,
		Member:             pf.Member,
		MemberPackage:      pf.MemberPackage,
	}
	p.Template = "python"
	p.Python = pp
	image, debian, note, ok := catalog.PythonImageFor(p.LanguageVersion)
	if !ok {
		return noImageError(p, "Python", "python:"+p.LanguageVersion+"-slim", catalog.PythonSupported)
	}
	if pp.Debian = debian; note != "" {
		pp.RuntimePackages = slices.Clone(pp.RuntimePackages) // the Detection's own stays as found
		for i, name := range pp.RuntimePackages {
			pp.RuntimePackages[i] = catalog.DebianPackage(name, pp.Debian)
		}
		p.Notes = append(p.Notes, imageNote(p, note))
	}
	p.Images = Images{Build: image, Runtime: image}
	p.User = User{UID: pythonUID, GID: pythonUID, Name: "app", Create: true}

	if err := planPythonInstall(det, p, pp); err != nil {
		return err
	}
	planPythonStart(det, p, pp)
	if err := planPythonDjango(det, p, pp); err != nil {
		return err
	}
	if err := planPythonAssets(det, p, pp); err != nil {
		return err
	}
	planPythonSecrets(det, p)
	planPythonHealth(det, p)
	planPythonIgnore(det, p, pp)
	return nil
}

// pythonOlder reports whether Python minor a is older than b ("3.8" < "3.9").
func pythonOlder(a, b string) bool {
	am, an := pythonSplitMinor(a)
	bm, bn := pythonSplitMinor(b)
	return am < bm || am == bm && an < bn
}

func pythonSplitMinor(v string) (int, int) {
	maj, min, _ := strings.Cut(v, ".")
	a, _ := strconv.Atoi(maj)
	b, _ := strconv.Atoi(min)
	return a, b
}

// planPythonStart settles the start command's port and the runtime
// environment.
func planPythonStart(det *facts.Detection, p *Plan, pp *PythonPlan) {
	pf := det.Python
	p.Start = append([]string(nil), p.Start...)
	fromDetection := p.Evidence["start"].Detail != "--start"
	if pf != nil && pf.PortArg != nil && p.Port != nil && fromDetection {
		if i := pf.PortArg.Index; i >= 0 && i < len(p.Start) {
			p.Start[i] = pf.PortArg.Prefix + strconv.Itoa(*p.Port) + pf.PortArg.Suffix
		}
	}
	env := map[string]string{}
	if pf != nil {
		for k, v := range pf.Env {
			env[k] = v
		}
	}
	if pf != nil && pf.ManagePy != "" && pf.DjangoSettings != "" {
		// One-off commands (manage.py migrate) then use the server's
		// settings, not the developer ones manage.py may default to.
		env["DJANGO_SETTINGS_MODULE"] = pf.DjangoSettings
	}
	if p.Port != nil {
		env["PORT"] = strconv.Itoa(*p.Port)
		if pf != nil && pf.PortEnv != "" {
			// The app reads its port from this variable: set it to the
			// EXPOSEd port so the listener and the probe agree.
			env[pf.PortEnv] = strconv.Itoa(*p.Port)
		}
		if p.FrameworkName() == "gradio" {
			env["GRADIO_SERVER_PORT"] = strconv.Itoa(*p.Port)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(env)) {
		v := env[k]
		if !pythonEnvNameRe.MatchString(k) || !pythonEnvValueRe.MatchString(v) {
			p.Notes = append(p.Notes, fmt.Sprintf("environment variable %s=%q is not written into the Dockerfile (only plain names and values are); set it when running the container", k, v))
			continue
		}
		pp.Env = append(pp.Env, PythonEnv{Name: k, Value: v})
	}
	if len(p.Start) > 0 && strings.HasPrefix(path.Base(p.Start[0]), "python") {
		pp.StopSignal = "SIGINT"
	}
}

// planPythonAssets settles the Node stage that builds front-end assets,
// planned as every front end an app in another language serves is
// (planFrontendStage): the package manager set up as for a Node app, so a
// front end is installed the same way wherever it lives.
func planPythonAssets(det *facts.Detection, p *Plan, pp *PythonPlan) error {
	pf := det.Python
	if pf == nil || pf.AssetsDir == "" || pf.AssetsOutput == "" {
		return nil
	}
	fp, err := planFrontendStage(&facts.Frontend{
		Dir:            pf.AssetsDir,
		Manifests:      pf.AssetsManifests,
		ManifestDirs:   pf.AssetsManifestDirs,
		Manager:        pf.AssetsManager,
		ManagerVersion: pf.AssetsManagerVersion,
		ManagerMajor:   pf.AssetsManagerMajor,
		Corepack:       pf.AssetsCorepack,
		Lockfile:       pf.AssetsLockfile,
		Locked:         pf.AssetsLocked,
		YarnNodeLinker: pf.AssetsYarnNodeLinker,
		Install:        pf.AssetsInstall,
		Cache:          pf.AssetsCache,
		Build:          pf.AssetsBuild,
		NodeVersion:    pf.AssetsNodeVersion,
	}, p, "assets", pythonWorkdir)
	if err != nil {
		return err
	}
	pp.Assets = true
	pp.AssetsDir = pf.AssetsDir
	pp.AssetsManifests = fp.Manifests
	for _, c := range fp.Copies {
		pp.AssetsCopies = append(pp.AssetsCopies, PythonCopy{Sources: c.Sources, Dest: c.Dest})
	}
	pp.AssetsManager = fp.Manager
	pp.AssetsLocked = fp.Locked
	pp.AssetsOutput = pf.AssetsOutput
	pp.AssetsInstall = fp.Install
	pp.AssetsBuild = fp.Build
	pp.AssetsCache = fp.Cache
	pp.AssetsSetup, pp.AssetsSetupWhy = fp.Setup, fp.SetupWhy
	for _, e := range fp.Env {
		pp.AssetsEnv = append(pp.AssetsEnv, PythonEnv(e))
	}
	return nil
}

// planPythonSecrets mounts ~/.netrc as a BuildKit secret on the install
// steps when a private index is used: pip, uv, Poetry, PDM and pipenv all
// read credentials from netrc, and a secret never lands in a layer.
func planPythonSecrets(det *facts.Detection, p *Plan) {
	if det.Python == nil || len(det.Python.PrivateIndexes) == 0 {
		return
	}
	p.Secrets = append(p.Secrets, Secret{
		ID:     "netrc",
		Target: "/root/.netrc",
		Source: "$HOME/.netrc",
		Why:    "credentials for the package index " + strings.Join(det.Python.PrivateIndexes, ", ") + " (build with --secret id=netrc,src=$HOME/.netrc)",
	})
}
