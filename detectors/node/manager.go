package node

import (
	"bytes"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// nodeLockfiles are the lockfiles dgen knows, in the order that breaks a
// tie when several are present and nothing else decides: a stray
// package-lock.json is what running `npm install` once in a pnpm, Bun or
// Yarn project leaves behind, while the others are only ever created on
// purpose, so the more specific lockfile wins.
var nodeLockfiles = []struct{ file, manager string }{
	{"pnpm-lock.yaml", facts.NodePNPM},
	{"bun.lock", facts.NodeBun},
	{"bun.lockb", facts.NodeBun},
	{"yarn.lock", facts.NodeYarn},
	{"package-lock.json", facts.NodeNPM},
	{"npm-shrinkwrap.json", facts.NodeNPM},
}

var packageManagerRe = regexp.MustCompile(`^(npm|pnpm|yarn|bun)@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:\+[0-9A-Za-z.:-]+)?$`)

// detectManager sets PackageManager, its version and the lockfile, from
// the first step that decides: an answer, the packageManager field, the
// lockfiles, engines, a pnpm-workspace.yaml, else npm. root is the
// package.json at the build root (the workspace root in a monorepo); app
// the one of the app being built. With bunUse, a project without a
// lockfile or pin that shows Bun use gets Bun rather than npm.
func detectManager(fsys fs.FS, root, app *packageJSON, det *facts.Detection, answers facts.Answers, bunUse bool) {
	locks := findLockfiles(fsys)
	if managerFromAnswer(root, det, answers, locks) ||
		managerFromField(root, app, det, locks) ||
		managerFromLockfiles(det, locks) {
		managerMajorFromLock(fsys, det)
		return
	}
	if managerFromEngines(root, app, det) || managerFromWorkspaceFile(fsys, det) ||
		(bunUse && bunWithoutLockfile(fsys, root, app, det)) {
		return
	}
	// npm, the manager that ships with Node.
	det.PackageManager = facts.NodeNPM
	det.Cite("packageManager", root.file, 0, "no lockfile or packageManager field: npm, which ships with Node")
	det.Notef("no lockfile: dependency versions are resolved at build time and may differ between builds (commit package-lock.json)")
}

// lockfiles are the lockfiles present at the build root.
type lockfiles struct {
	fsys fs.FS
	// names are the files present, in nodeLockfiles order.
	names []string
	// of maps a manager to its first lockfile present.
	of map[string]string
}

// findLockfiles looks for every lockfile dgen knows; a yarn.lock counts as
// Yarn Berry's when isBerry says so.
func findLockfiles(fsys fs.FS) *lockfiles {
	l := &lockfiles{fsys: fsys, of: map[string]string{}}
	for _, lf := range nodeLockfiles {
		if !repo.IsFile(fsys, lf.file) {
			continue
		}
		m := managerOfLock(fsys, lf.file)
		l.names = append(l.names, lf.file)
		if _, ok := l.of[m]; !ok {
			l.of[m] = lf.file
		}
	}
	return l
}

// forManager returns the lockfile manager m installs from, or "".
func (l *lockfiles) forManager(m string) string {
	if f, ok := l.of[m]; ok {
		return f
	}
	// yarn.lock serves either Yarn; the packageManager field or
	// .yarnrc.yml decides which one reads it.
	if (m == facts.NodeYarn || m == facts.NodeYarnBerry) && repo.IsFile(l.fsys, "yarn.lock") {
		return "yarn.lock"
	}
	return ""
}

// managerFromAnswer applies a chosen manager (flag, config, prompt) and
// reports whether there was a valid one.
func managerFromAnswer(root *packageJSON, det *facts.Detection, answers facts.Answers, locks *lockfiles) bool {
	a := answers["packageManager"]
	switch a {
	case "":
		return false
	case facts.NodeNPM, facts.NodePNPM, facts.NodeYarn, facts.NodeYarnBerry, facts.NodeBun:
	default:
		det.Problemf("", "package manager %q is not one of npm, pnpm, yarn, yarn-berry, bun; ignored", a)
		return false
	}
	det.PackageManager = a
	det.Node.Lockfile = locks.forManager(a)
	det.Cite("packageManager", det.Node.Lockfile, 0, "chosen: "+a)
	// A pinned version in the field still applies to the same manager.
	if m := packageManagerRe.FindStringSubmatch(root.PackageManager); m != nil && managerName(m[1], m[2]) == a {
		det.PackageManagerVersion = m[2]
		det.Node.Corepack = true
	}
	return true
}

// managerFromField applies the packageManager field (the build root's,
// then the app's): an exact, corepack-managed version. It reports whether
// a valid field was found.
func managerFromField(root, app *packageJSON, det *facts.Detection, locks *lockfiles) bool {
	nf := det.Node
	for _, p := range []*packageJSON{root, app} {
		if p == nil || p.PackageManager == "" {
			continue
		}
		m := packageManagerRe.FindStringSubmatch(p.PackageManager)
		if m == nil {
			det.Problemf(p.file, "packageManager %q is not <npm|pnpm|yarn|bun>@<x.y.z>[+hash]; ignored", p.PackageManager)
			continue
		}
		det.PackageManager = managerName(m[1], m[2])
		det.PackageManagerVersion = m[2]
		nf.Corepack = det.PackageManager != facts.NodeBun && det.PackageManager != facts.NodeNPM
		nf.Lockfile = locks.forManager(det.PackageManager)
		p.cite(det, "packageManager", "", "packageManager", `"packageManager": "`+p.PackageManager+`"`)
		pinnedLockNotes(det, locks)
		return true
	}
	return false
}

// pinnedLockNotes says which lockfiles a pinned manager ignores, or that
// it has none.
func pinnedLockNotes(det *facts.Detection, locks *lockfiles) {
	nf := det.Node
	for _, l := range locks.names {
		if l != nf.Lockfile && !(l == "bun.lockb" && nf.Lockfile == "bun.lock") {
			det.Notef("%s is also present but package.json pins %s: %s is ignored (delete it to avoid confusion)", l, det.PackageManager, l)
		}
	}
	if nf.Lockfile == "" {
		det.Notef("package.json pins %s but there is no %s lockfile: the install is not reproducible (commit the lockfile)", det.PackageManager, det.PackageManager)
	}
}

// managerFromLockfiles picks the manager of the lockfiles present (the
// more specific one when several managers have one, offered as a choice)
// and reports whether there were any.
func managerFromLockfiles(det *facts.Detection, locks *lockfiles) bool {
	if len(locks.names) == 0 {
		return false
	}
	var managers []string
	for _, l := range locks.names {
		if m := managerOfLock(locks.fsys, l); !slices.Contains(managers, m) {
			managers = append(managers, m)
		}
	}
	pick := managers[0]
	nf := det.Node
	det.PackageManager = pick
	nf.Lockfile = locks.forManager(pick)
	det.Cite("packageManager", nf.Lockfile, 0, "lockfile "+nf.Lockfile)
	if nf.Lockfile == "yarn.lock" && pick == facts.NodeYarnBerry {
		det.Cite("packageManager", nf.Lockfile, 0, "yarn.lock in Yarn Berry format (__metadata) or .yarnrc.yml present")
	}
	if len(managers) > 1 {
		lockfileChoice(det, locks, managers, pick)
	}
	return true
}

// lockfileChoice asks which of several managers with a lockfile installs
// the project.
func lockfileChoice(det *facts.Detection, locks *lockfiles, managers []string, pick string) {
	var opts []facts.Option
	for _, m := range managers {
		lf := locks.forManager(m)
		opts = append(opts, facts.Option{Value: m, Label: lf, Evidence: &facts.Evidence{File: lf, Detail: "lockfile"}})
	}
	det.AddChoice(facts.Choice{
		Key:      "packageManager",
		Question: "Several lockfiles were found. Which package manager installs this project?",
		Options:  opts,
		Default:  pick,
		Safe:     true,
		Reason:   "a stray package-lock.json is usually left by one `npm install`; pnpm-lock.yaml, bun.lock and yarn.lock are only created on purpose",
		Flag:     "--package-manager",
	})
}

// exactVersionRe is a full x.y.z version, which pins a manager.
var exactVersionRe = regexp.MustCompile(`^\d+\.\d+\.\d+$`)

// managerFromEngines applies the first of engines.pnpm, .yarn or .bun (the
// build root's, then the app's) and reports whether there was one.
func managerFromEngines(root, app *packageJSON, det *facts.Detection) bool {
	for _, p := range []*packageJSON{root, app} {
		if p == nil {
			continue
		}
		for _, e := range []string{"pnpm", "yarn", "bun"} {
			if r, ok := p.Engines[e]; ok {
				managerFromEngine(p, e, r, det)
				return true
			}
		}
	}
	return false
}

// managerFromEngine applies engines.<e> = r. Without a lockfile nothing
// pins the dependencies, which the note says.
func managerFromEngine(p *packageJSON, e, r string, det *facts.Detection) {
	det.PackageManager = e
	if e == facts.NodeYarn {
		if c, err := semver.NewConstraint(r); err == nil && !c.Check(semver.MustParse("1.22.22")) {
			det.PackageManager = facts.NodeYarnBerry
		}
	}
	// An exact version pins; a range gives the major of its first
	// version (>=9.4 → pnpm 9).
	if v := strings.TrimPrefix(strings.TrimSpace(r), "v"); exactVersionRe.MatchString(v) {
		det.PackageManagerVersion = v
	}
	if lit := versionLiteralRe.FindString(r); lit != "" {
		det.Node.ManagerMajor = strings.SplitN(lit, ".", 2)[0]
	}
	p.cite(det, "packageManager", "engines", e, fmt.Sprintf(`"engines": {"%s": "%s"}`, e, r))
	det.Notef("no lockfile: the install is not reproducible (commit the %s lockfile)", det.PackageManager)
}

// managerFromWorkspaceFile applies pnpm when a pnpm-workspace.yaml is
// there without a lockfile, and reports whether it was.
func managerFromWorkspaceFile(fsys fs.FS, det *facts.Detection) bool {
	if !repo.IsFile(fsys, "pnpm-workspace.yaml") {
		return false
	}
	det.PackageManager = facts.NodePNPM
	det.Node.ManagerMajor = catalog.PnpmDefaultMajor
	det.Cite("packageManager", "pnpm-workspace.yaml", 0, "pnpm workspace (no lockfile)")
	det.Notef("no lockfile: the install is not reproducible (commit pnpm-lock.yaml)")
	return true
}

// managerName maps a packageManager field's name and version to dgen's
// manager names (yarn 2+ is yarn-berry).
func managerName(name, version string) string {
	if name == "yarn" && !strings.HasPrefix(version, "1.") {
		return facts.NodeYarnBerry
	}
	return name
}

// managerOfLock returns the manager a lockfile belongs to.
func managerOfLock(fsys fs.FS, file string) string {
	for _, l := range nodeLockfiles {
		if l.file == file {
			if l.manager == facts.NodeYarn && isBerry(fsys, file) {
				return facts.NodeYarnBerry
			}
			return l.manager
		}
	}
	return facts.NodeNPM
}

// isBerry reports whether yarn.lock belongs to Yarn 2+: a .yarnrc.yml
// beside it or the Berry lockfile format (a __metadata block).
func isBerry(fsys fs.FS, lock string) bool {
	if repo.IsFile(fsys, ".yarnrc.yml") {
		return true
	}
	data, err := repo.ReadPrefix(fsys, lock, 4096)
	if err != nil {
		return false
	}
	return bytes.Contains(data, []byte("__metadata:"))
}

var (
	pnpmLockVersionRe = regexp.MustCompile(`(?m)^lockfileVersion:\s*['"]?(\d+)(?:\.(\d+))?`)
	yarnMetaVersionRe = regexp.MustCompile(`(?m)^__metadata:\s*\n\s+version:\s*(\d+)`)
)

// managerMajorFromLock fills NodeFacts.ManagerMajor from the pinned
// version, else from the lockfile format: pnpm's lockfileVersion or Yarn
// Berry's __metadata version.
func managerMajorFromLock(fsys fs.FS, det *facts.Detection) {
	nf := det.Node
	if det.PackageManagerVersion != "" {
		nf.ManagerMajor = strings.SplitN(det.PackageManagerVersion, ".", 2)[0]
		return
	}
	if nf.Lockfile == "" {
		return
	}
	data, err := repo.ReadPrefix(fsys, nf.Lockfile, 4096)
	if err != nil {
		det.Problemf(nf.Lockfile, "cannot read: %v", err)
		return
	}
	switch det.PackageManager {
	case facts.NodePNPM:
		pnpmMajorFromLock(data, det)
	case facts.NodeYarnBerry:
		yarnBerryMajorFromLock(data, det)
	case facts.NodeYarn:
		nf.ManagerMajor = "1"
	}
}

// pnpmMajorFromLock maps pnpm-lock.yaml's lockfileVersion to the pnpm
// major that writes it: 5.3 → 6, 5.4 → 7, 6.x → 8, 9.x → 9.
func pnpmMajorFromLock(data []byte, det *facts.Detection) {
	nf := det.Node
	m := pnpmLockVersionRe.FindSubmatchIndex(data)
	if m == nil {
		det.Problemf(nf.Lockfile, "no lockfileVersion line; assuming pnpm %s", catalog.PnpmDefaultMajor)
		nf.ManagerMajor = catalog.PnpmDefaultMajor
		return
	}
	major := string(data[m[2]:m[3]])
	minor := ""
	if m[4] >= 0 {
		minor = string(data[m[4]:m[5]])
	}
	switch {
	case major == "5" && minor == "3":
		nf.ManagerMajor = "6"
	case major == "5" && minor == "4":
		nf.ManagerMajor = "7"
	case major == "6":
		nf.ManagerMajor = "8"
	case major == "9":
		nf.ManagerMajor = "9"
	default:
		n, _ := strconv.Atoi(major)
		if n > 9 {
			nf.ManagerMajor = major
		} else {
			det.Problemf(nf.Lockfile, "lockfileVersion %s.%s is older than pnpm 6; assuming pnpm 6", major, minor)
			nf.ManagerMajor = "6"
		}
	}
	det.Cite("packageManagerVersion", nf.Lockfile, repo.LineAt(data, m[0]), "lockfileVersion "+major+dotted(minor)+" → pnpm "+nf.ManagerMajor)
}

// yarnBerryMajorFromLock maps yarn.lock's __metadata version to the Yarn
// major that writes it: 4 and 5 → 2, 6 → 3, any other (8 and later) → 4.
func yarnBerryMajorFromLock(data []byte, det *facts.Detection) {
	nf := det.Node
	m := yarnMetaVersionRe.FindSubmatchIndex(data)
	nf.ManagerMajor = catalog.YarnBerryDefaultMajor
	if m == nil {
		return
	}
	switch v := string(data[m[2]:m[3]]); v {
	case "4", "5":
		nf.ManagerMajor = "2"
	case "6":
		nf.ManagerMajor = "3"
	default:
		nf.ManagerMajor = "4"
	}
	det.Cite("packageManagerVersion", nf.Lockfile, repo.LineAt(data, m[0]), "__metadata version → Yarn "+nf.ManagerMajor)
}

func dotted(s string) string {
	if s == "" {
		return ""
	}
	return "." + s
}
