// Package catalog holds every table that changes when a language, an image
// or Debian moves on: supported versions, base image tags and tool pins,
// each with the date it was checked. A version or image bump touches this
// package only.
package catalog

import "slices"

// Supported language versions, checked on 2026-11-27. Keep every version
// table here, in one place, with the date it was checked; the generator's
// defaults and the range resolution read them.
const VersionsChecked = "2026-11-27"

// GoVersions are the Go releases with official images, newest first.
// Go 1.27 is current and 1.26 the previous supported release.
var GoVersions = []string{"1.27", "1.26", "1.25", "1.24", "1.23", "1.22", "1.21", "1.20"}

// GoSupported are the releases that get security fixes, newest first: Go
// supports each major release until two newer ones are out, so the first
// two rows of GoVersions.
func GoSupported() []string {
	return slices.Clone(GoVersions[:min(2, len(GoVersions))])
}

// GoDefault is used when go.mod states no version.
const GoDefault = "1.27"

// PythonVersions are the CPython minors with official images, newest first.
// 3.14 is the newest widely available stable line; 3.10 reached end of
// life in October 2026 (honoured when pinned, with a warning).
var PythonVersions = []string{"3.14", "3.13", "3.12", "3.11", "3.10", "3.9", "3.8"}

// PythonSupported are the minors still receiving security fixes.
var PythonSupported = []string{"3.14", "3.13", "3.12", "3.11"}

// PythonDefault is used when the repository says nothing.
const PythonDefault = "3.14"

// NodeRelease is one Node.js major and its support status.
type NodeRelease struct {
	Major    string
	Codename string // LTS codename, "" for non-LTS lines
	Status   string // "active-lts", "maintenance-lts", "current", "eol"
	EOL      string // end of life, YYYY-MM
}

// NodeReleases, newest first. 26 became Active LTS on 2026-10-28; 24 moved
// to Maintenance on 2026-10-20 (until 2028-04); 22 is in Maintenance until
// 2027-04; 20 reached end of life on 2026-04-30. From 27 on the project
// ships one major a year, so LTS-ness is read from this table, never from
// odd/even arithmetic.
var NodeReleases = []NodeRelease{
	{"26", "", "active-lts", "2029-04"},
	{"25", "", "eol", "2026-06"},
	{"24", "krypton", "maintenance-lts", "2028-04"},
	{"23", "", "eol", "2025-06"},
	{"22", "jod", "maintenance-lts", "2027-04"},
	{"21", "", "eol", "2024-06"},
	{"20", "iron", "eol", "2026-04"},
	{"18", "hydrogen", "eol", "2025-04"},
	{"16", "gallium", "eol", "2023-09"},
	{"14", "fermium", "eol", "2023-04"},
}

// NodeDefault is the current Active LTS, used when the repository says
// nothing.
const NodeDefault = "26"

// Node tooling pinned in generated Dockerfiles (checked 2026-11-27 against
// the npm registry and the image registries).
const (
	// CorepackVersion is installed with npm where the Node image has no
	// corepack (Node 25 and later stopped bundling it).
	CorepackVersion = "0.36.0"
	// PnpmDefaultMajor is assumed when pnpm-lock.yaml has no readable
	// lockfileVersion; pnpm 9 reads lockfile 9.0 and still runs
	// dependency build scripts (pnpm 10 asks for an allow-list).
	PnpmDefaultMajor = "9"
	// YarnBerryDefaultMajor is assumed for a Berry lockfile of unknown
	// format.
	YarnBerryDefaultMajor = "4"
	// YarnClassicVersion is the last Yarn 1 release, installed where the
	// Node image no longer ships it (Node 26 and later).
	YarnClassicVersion = "1.22.22"
	// BunVersion is the Bun release used when the repository pins none;
	// its images are oven/bun:<BunVersion>-slim.
	BunVersion = "1.4.5"
	// NginxUnprivilegedTag is the static-site server image tag: nginx
	// stable on Debian 13, running as uid 101 on port 8080.
	NginxUnprivilegedTag = "1.30.5-trixie"
)

// Python tooling pinned in generated Dockerfiles when the repository pins
// none (checked 2026-11-27).
const (
	// UVVersion is the tag of ghcr.io/astral-sh/uv copied into the build
	// stage (0.12.15, released 2026-09-15).
	UVVersion = "0.12.15"
	// PoetryVersion is installed with pip in its own virtualenv
	// (2.4.1, released 2026-05-09).
	PoetryVersion = "2.4.1"
	// PDMVersion is installed with pip in its own virtualenv.
	PDMVersion = "2.26.1"
	// PipenvVersion is installed with pip in its own virtualenv
	// (2026.6.2).
	PipenvVersion = "2026.6.2"
)
