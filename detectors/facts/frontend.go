package facts

// Frontend is a Node front end that an app in another language serves:
// a folder with a package.json whose build script writes what the app
// reads. It is installed and built in a Node stage of its own, with the
// rules of a Node app (package manager, lockfile, Node major); only its
// build output reaches the app. Paths are relative to the repository
// root.
type Frontend struct {
	// Dir is the folder holding package.json, "." for the root.
	Dir string `json:"dir"`
	// Manifests are the files copied before the install: package.json,
	// the lockfile and the manager's settings, all in Dir.
	Manifests []string `json:"manifests"`
	// ManifestDirs are folders the install needs (Yarn Berry's
	// .yarn/releases), in Dir.
	ManifestDirs []string `json:"manifestDirs,omitempty"`
	// Manager is NodeNPM, NodeYarn, NodeYarnBerry, NodePNPM or NodeBun.
	Manager string `json:"manager"`
	// ManagerVersion is the exact version the packageManager field pins.
	ManagerVersion string `json:"managerVersion,omitempty"`
	// ManagerMajor is the manager's major when known from a pin or the
	// lockfile format.
	ManagerMajor string `json:"managerMajor,omitempty"`
	// Corepack is true when the packageManager field pins the manager.
	Corepack bool `json:"corepack,omitempty"`
	// Lockfile is the lockfile the install enforces, "" when none.
	Lockfile string `json:"lockfile,omitempty"`
	// Locked is true when there is a lockfile.
	Locked bool `json:"locked"`
	// YarnNodeLinker is .yarnrc.yml's nodeLinker for Yarn Berry.
	YarnNodeLinker string `json:"yarnNodeLinker,omitempty"`
	// Install installs every dependency (the build needs the dev ones),
	// with the lockfile enforced when there is one.
	Install string `json:"install"`
	// Cache is the manager's download cache mounted into the install:
	// absolute, or relative to Dir when the manager keeps it in the
	// project.
	Cache string `json:"cache"`
	// Build runs the build script with the manager ("npm run build").
	Build string `json:"build"`
	// NodeVersion is the Node.js major of the stage.
	NodeVersion string `json:"nodeVersion"`
}
