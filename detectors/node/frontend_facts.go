package node

import "github.com/dgen-dev/dgen/detectors/facts"

// Facts is the front end as an app's Detection records it, for the
// generator's front-end stage.
func (f *Frontend) Facts() *facts.Frontend {
	return &facts.Frontend{
		Dir:            f.Dir,
		Manifests:      f.Manifests,
		ManifestDirs:   f.ManifestDirs,
		Manager:        f.Manager,
		ManagerVersion: f.ManagerVersion,
		ManagerMajor:   f.ManagerMajor,
		Corepack:       f.Corepack,
		Lockfile:       f.Lockfile,
		Locked:         f.Locked,
		YarnNodeLinker: f.YarnNodeLinker,
		Install:        f.Install,
		Cache:          f.CacheTarget,
		Build:          f.Build,
		NodeVersion:    f.NodeMajor,
	}
}
