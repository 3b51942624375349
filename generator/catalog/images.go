package catalog

import "strings"

// ImagesChecked is when the image names and tags below were checked
// against the registries that publish them.
const ImagesChecked = "2026-11-27"

// Debian releases dgen builds on. Every official language image has
// variants for the current release; older language versions may only
// have images for the previous one.
const (
	// DebianCurrent is Debian 13, the release of every image dgen writes
	// when the language version has one.
	DebianCurrent = "trixie"
	// DebianPrevious is Debian 12, where most language versions without
	// trixie images have theirs (the tag table in tags.go decides).
	DebianPrevious = "bookworm"
)

// PythonImage is the official slim image for a CPython minor on a Debian
// release.
func PythonImage(minor, debian string) string {
	return "python:" + minor + "-slim-" + debian
}

// nodeImageOn is the official slim image for a Node.js major on a Debian
// release; NodeImageFor picks the release the major has images on.
func nodeImageOn(major, debian string) string {
	return "node:" + major + "-" + debian + "-slim"
}

// BunImage is Oven's slim Bun image (Debian based, uid 1000 "bun").
func BunImage(version string) string {
	return "oven/bun:" + version + "-slim"
}

// NginxUnprivilegedImage serves static sites: nginx stable on Debian 13,
// running as uid 101 on port 8080.
func NginxUnprivilegedImage() string {
	return "nginxinc/nginx-unprivileged:" + NginxUnprivilegedTag
}

// UVImage is Astral's image holding the uv binary, copied into Python
// build stages.
func UVImage(version string) string {
	return "ghcr.io/astral-sh/uv:" + version
}

// DebianPackage is the name of a Debian 13 (trixie) package on release:
// trixie renamed libraries whose ABI changed with 64-bit time_t with a
// "t64" suffix (libmagic1t64, libglib2.0-0t64); bookworm and the releases
// before it have them without.
func DebianPackage(trixieName, release string) string {
	if release != DebianCurrent {
		return strings.TrimSuffix(trixieName, "t64")
	}
	return trixieName
}

// HealthTiming is when and how often a HEALTHCHECK runs.
type HealthTiming struct {
	Interval, Timeout, StartPeriod string
	Retries                        int
}

// Health is the timing of every HEALTHCHECK dgen writes: a probe every 30
// seconds that must answer within 5, a 10-second grace period at start, and
// three failures in a row before the container is marked unhealthy.
func Health() HealthTiming {
	return HealthTiming{Interval: "30s", Timeout: "5s", StartPeriod: "10s", Retries: 3}
}
