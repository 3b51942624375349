package generator

import (
	"path"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// FrontendPlan is the Node stage that builds a front end an app in
// another language serves (templates/_frontend.tmpl): the package manager
// set up as the Node planner sets it up for a Node app, the manifests and
// the cached install, then the whole source and the build script. Only
// the build output leaves the stage. Its image is Images.Extra[Stage].
type FrontendPlan struct {
	// Stage is the stage's name.
	Stage string `json:"stage"`
	// BuildPlatform is true when the stage runs on the build machine's
	// platform ($BUILDPLATFORM): its output is JavaScript, HTML and CSS,
	// the same for every target, so a multi-platform build runs it once
	// and without emulation.
	BuildPlatform bool `json:"buildPlatform"`
	// Root is where the stage copies the repository.
	Root string `json:"root"`
	// Dir is the folder holding package.json, relative to the repository
	// ("." for the root).
	Dir string `json:"dir"`
	// Workdir is the stage's working folder: Dir below Root.
	Workdir string `json:"workdir"`
	// Manifests are package.json, the lockfile and the manager's
	// settings, copied into Workdir before the install.
	Manifests []string `json:"manifests"`
	// Copies copy folders the install needs (Yarn Berry's .yarn/releases)
	// into Workdir, after Manifests.
	Copies []NodeCopy `json:"copies,omitempty"`
	// Manager is "npm", "yarn" (Yarn 1), "yarn-berry", "pnpm" or "bun".
	Manager string `json:"manager"`
	// Locked is true when a lockfile is enforced by the install.
	Locked bool `json:"locked"`
	// Setup installs the package manager (corepack for pnpm and Yarn), ""
	// when the image has it (npm, Bun's image).
	Setup string `json:"setup,omitempty"`
	// SetupWhy is the comment written above Setup.
	SetupWhy string `json:"setupWhy,omitempty"`
	// Env are the stage's ENV settings (corepack's prompt off, Yarn's node
	// linker).
	Env []NodeEnv `json:"env,omitempty"`
	// Cache is the install's cache mount target (absolute).
	Cache string `json:"cache"`
	// Install installs every dependency, the dev ones included.
	Install string `json:"install"`
	// Build runs the build script on the full source.
	Build string `json:"build"`
}

// planFrontendStage plans the Node stage of a front end, stage, whose
// repository copy is at root, and puts its image into
// Images.Extra[stage]. Notes about the package manager and the image are
// the front end's, so they name its package.json.
func planFrontendStage(fe *facts.Frontend, p *Plan, stage, root string) (*FrontendPlan, error) {
	fp := &FrontendPlan{
		Stage:     stage,
		Root:      root,
		Dir:       fe.Dir,
		Workdir:   path.Join(root, fe.Dir),
		Manifests: fe.Manifests,
		Manager:   fe.Manager,
		Locked:    fe.Locked,
		Install:   fe.Install,
		Build:     fe.Build,
		Cache:     fe.Cache,
	}
	for _, d := range fe.ManifestDirs {
		rel := strings.TrimPrefix(d, fe.Dir+"/")
		if fe.Dir == "." {
			rel = d
		}
		fp.Copies = append(fp.Copies, NodeCopy{Sources: []string{d + "/"}, Dest: rel + "/"})
	}
	if fp.Cache != "" && !strings.HasPrefix(fp.Cache, "/") {
		fp.Cache = path.Join(fp.Workdir, fp.Cache)
	}
	manifest := path.Join(fe.Dir, "package.json")
	nodeMajor := pythonPick(fe.NodeVersion, catalog.NodeDefault)
	runtime := "node"
	if fe.Manager == facts.NodeBun {
		// Bun runs the build script too: its image has everything, and
		// no Node is needed.
		runtime = facts.NodeBun
	}
	nd := &facts.Detection{
		Language:              facts.LangNode,
		PackageManager:        fe.Manager,
		PackageManagerVersion: fe.ManagerVersion,
		LanguageVersion:       nodeMajor,
		Node: &facts.NodeFacts{
			Lockfile:       fe.Lockfile,
			Corepack:       fe.Corepack,
			ManagerMajor:   fe.ManagerMajor,
			Runtime:        runtime,
			YarnNodeLinker: fe.YarnNodeLinker,
		},
	}
	np := &NodePlan{Runtime: runtime}
	scratch := &Plan{LanguageVersion: nodeMajor, Evidence: map[string]facts.Evidence{}}
	major, _ := strconv.Atoi(nodeMajor)
	if err := planNodeManager(nd, scratch, np, major); err != nil {
		return nil, err
	}
	if fe.Manager != facts.NodeNPM {
		// npm ships with Node; the other managers need the Node
		// planner's setup and settings.
		fp.Setup, fp.SetupWhy, fp.Env = np.Setup, np.SetupWhy, np.BuildEnv
		for _, n := range scratch.Notes {
			p.Notes = append(p.Notes, "front end ("+manifest+"): "+n)
		}
	}
	if p.Images.Extra == nil {
		p.Images.Extra = map[string]string{}
	}
	if runtime == facts.NodeBun {
		p.Images.Extra[stage] = catalog.BunImage(bunVersion(nd))
		return fp, nil
	}
	image, err := assetsNodeImage(p, manifest, nodeMajor)
	if err != nil {
		return nil, err
	}
	p.Images.Extra[stage] = image
	return fp, nil
}
