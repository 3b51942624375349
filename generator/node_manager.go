package generator

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// nodeManagerPlan is what one package manager contributes to the plan.
type nodeManagerPlan struct {
	det   *facts.Detection
	p     *Plan
	np    *NodePlan
	major int // Node major, 0 when unknown
	// locked is true when the lockfile is copied before the install.
	locked bool
	// version is the pinned manager version when it is safe to write
	// into a command, else "".
	version string
}

// planNodeManager fills Setup, Install, CacheTarget and Prune for the
// package manager.
func planNodeManager(det *facts.Detection, p *Plan, np *NodePlan, major int) error {
	m := &nodeManagerPlan{det: det, p: p, np: np, major: major, locked: det.Node.Lockfile != ""}
	if semverOK(det.PackageManagerVersion) {
		m.version = det.PackageManagerVersion
	}
	switch det.PackageManager {
	case facts.NodeNPM:
		m.npm()
	case facts.NodePNPM:
		m.pnpm()
	case facts.NodeYarn:
		m.yarn()
	case facts.NodeYarnBerry:
		m.yarnBerry()
	case facts.NodeBun:
		m.bun()
	default:
		return fmt.Errorf("unknown Node package manager %q", det.PackageManager)
	}
	if np.Prune != "" {
		np.PruneWhy = "Drop the dev dependencies the build needed: the runtime stage copies node_modules as it is now"
	}
	m.bunForBuild()
	return nil
}

// bunCommandRe finds bun or bunx run as a command in a script.
var bunCommandRe = regexp.MustCompile(`(?:^|[;&|(]\s*|&&\s*)(?:bun|bunx)(?:\s|$)`)

// bunForBuild installs Bun from npm into a Node build stage whose build
// scripts (the app's or a workspace package's) run bun: Node's image has
// none.
func (m *nodeManagerPlan) bunForBuild() {
	np, nf := m.np, m.det.Node
	if strings.HasPrefix(m.p.Images.Build, "oven/bun") || strings.Contains(np.Setup, "bun@") {
		return
	}
	if !nf.BuildRunsBun && !bunCommandRe.MatchString(nf.BuildScript) {
		return
	}
	v := bunVersion(m.det)
	install := "npm install -g bun@" + v
	why := "A build script runs bun, which Node's image does not have: Bun " + v + " is installed for the build only"
	if np.Setup != "" {
		np.Setup += " && " + install
		np.SetupWhy += "; " + why
		return
	}
	np.Setup, np.SetupWhy = install, why
}

// install is the locked install command, or the plain one when there is
// no lockfile to enforce.
func (m *nodeManagerPlan) install(locked, plain string) string {
	if m.locked {
		return locked
	}
	return plain
}

// corepack sets Setup to install tool@version with corepack: the one
// bundled with Node, or from npm on Node 25 and later (and an unknown
// Node, which gets the newest image).
func (m *nodeManagerPlan) corepack(tool, version string) {
	np := m.np
	prefix := "corepack enable"
	if m.major >= 25 || m.major == 0 {
		force := ""
		if m.major == 25 {
			// Node 25's image still ships Yarn 1, whose links would
			// make npm refuse to install corepack's.
			force = "--force "
		}
		prefix = "npm install -g " + force + "corepack@" + catalog.CorepackVersion + " && corepack enable"
		np.SetupWhy = "Node 25 and later no longer bundle corepack: install it from npm, then let it install " + tool + " " + version
	} else {
		np.SetupWhy = "corepack (bundled with Node " + m.p.LanguageVersion + ") installs " + tool + " " + version
	}
	if m.det.Node.Corepack {
		np.SetupWhy += ", as pinned by \"packageManager\" in package.json"
	}
	np.Setup = prefix + " && corepack install -g " + tool + "@" + version
	np.BuildEnv = append(np.BuildEnv, NodeEnv{"COREPACK_ENABLE_DOWNLOAD_PROMPT", "0"})
}

// versionOr is the pinned version, else the major the lockfile implies,
// else def.
func (m *nodeManagerPlan) versionOr(def string) string {
	switch {
	case m.version != "":
		return m.version
	case m.det.Node.ManagerMajor != "":
		return m.det.Node.ManagerMajor
	}
	return def
}

// npm ships with Node: a pinned npm version is not installed, only noted.
func (m *nodeManagerPlan) npm() {
	np := m.np
	np.CacheTarget = "/root/.npm"
	np.Install = m.install("npm ci --no-audit --no-fund", "npm install --no-audit --no-fund")
	np.Prune = "npm prune --omit=dev --no-audit --no-fund"
	if m.version != "" {
		m.p.Notes = append(m.p.Notes, "package.json pins npm "+m.version+"; the image uses the npm that ships with Node "+m.p.LanguageVersion)
	}
}

func (m *nodeManagerPlan) pnpm() {
	np := m.np
	m.corepack("pnpm", m.versionOr(catalog.PnpmDefaultMajor))
	// pnpm's default store on Linux; the cache mount keeps it between
	// builds.
	np.CacheTarget = "/root/.local/share/pnpm/store"
	np.Install = m.install("pnpm install --frozen-lockfile", "pnpm install")
	np.Prune = "pnpm prune --prod"
}

// yarn is Yarn 1, which the Node image ships up to Node 25; a pinned
// version, or a newer Node, installs it with corepack.
func (m *nodeManagerPlan) yarn() {
	np := m.np
	np.CacheTarget = "/usr/local/share/.cache/yarn"
	if m.version != "" || m.major >= 26 || m.major == 0 {
		version := m.version
		if version == "" {
			version = catalog.YarnClassicVersion
		}
		m.corepack("yarn", version)
	}
	np.Install = m.install("yarn install --frozen-lockfile", "yarn install")
	np.Prune = "yarn install --frozen-lockfile --production --ignore-scripts --prefer-offline"
}

// yarnBerry is Yarn 2 and later, always installed with corepack.
func (m *nodeManagerPlan) yarnBerry() {
	np, nf := m.np, m.det.Node
	version := m.versionOr(catalog.YarnBerryDefaultMajor)
	m.corepack("yarn", version)
	np.CacheTarget = "/root/.yarn/berry/cache"
	if v, _ := strconv.Atoi(strings.SplitN(version, ".", 2)[0]); v > 0 && v < 4 {
		// Yarn 2 and 3 keep the cache in the project by default.
		np.CacheTarget = "/app/.yarn/cache"
	}
	np.Install = m.install("yarn install --immutable", "yarn install")
	if nf.YarnNodeLinker != "node-modules" && nf.YarnNodeLinker != "pnpm" {
		// Plug'n'Play keeps packages in zip files under the cache
		// mount, which is not part of the image: install a plain
		// node_modules for the image instead.
		np.BuildEnv = append(np.BuildEnv, NodeEnv{"YARN_NODE_LINKER", "node-modules"})
		m.p.Notes = append(m.p.Notes, "Yarn Plug'n'Play: the image installs a node_modules folder instead (YARN_NODE_LINKER=node-modules), so the app runs with plain node")
	}
	if ws := nf.Workspace; ws != nil && ws.AppName != "" {
		np.Prune = "yarn workspaces focus " + ws.AppName + " --production"
	} else {
		np.Prune = "yarn workspaces focus --all --production"
	}
}

// bun installs with Bun; when Node runs the app, Bun is installed from npm
// into the build stage only.
func (m *nodeManagerPlan) bun() {
	np := m.np
	np.CacheTarget = "/root/.bun/install/cache"
	if np.Runtime != "bun" {
		v := bunVersion(m.det)
		np.Setup = "npm install -g bun@" + v
		np.SetupWhy = "Bun " + v + " installs the dependencies (bun.lock); Node runs the app"
	}
	np.Install = m.install("bun install --frozen-lockfile", "bun install")
	// bun install --production keeps dev dependencies that are already
	// installed: start from an empty node_modules.
	np.Prune = "find . -name node_modules -type d -prune -exec rm -rf {} + && bun install --frozen-lockfile --production"
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

// pnpmMajor is the pnpm major the project uses, 0 when unknown.
func pnpmMajor(det *facts.Detection) int {
	v := det.PackageManagerVersion
	if v == "" {
		v = det.Node.ManagerMajor
	}
	n, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	return n
}

// bunVersion is the Bun the project pins, else the catalog's.
func bunVersion(det *facts.Detection) string {
	if det.PackageManager == facts.NodeBun && semverOK(det.PackageManagerVersion) {
		return det.PackageManagerVersion
	}
	return catalog.BunVersion
}
