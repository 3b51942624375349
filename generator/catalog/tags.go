package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// The official-image tag table: which Debian releases each language
// version has images for. It was taken on TagsTaken from
// docker-library/official-images (the library files that define every
// official image's tags) at commit 37079fb336f5 of 2026-08-21, reading the
// Tags: lines of library/golang, library/python and library/node in every
// revision of their history (and the name: lines of the pre-2016 format),
// so versions no longer built keep the releases they had. Only the tag
// shapes dgen writes are kept: golang:<minor>-<release>,
// python:<minor>-slim-<release> and node:<major>-<release>-slim, with
// releases newest first. A tag published after that commit (a new minor,
// a late Debian release) is missing here until the table is taken again.
//
// The other images dgen names are not all official images, so their tags
// are pinned one by one in pinnedTags.
const (
	// TagsTaken is when the tag table was taken.
	TagsTaken = "2026-12-05"
	// TagsSource is where the tag table was taken from.
	TagsSource = "docker-library/official-images library/{golang,python,node}, all revisions up to 37079fb336f5 (2026-08-21)"
)

// golangTags are the releases with golang:<minor>-<release> images.
var golangTags = map[string]string{
	"1.27": "trixie bookworm",
	"1.26": "trixie bookworm",
	"1.25": "trixie bookworm",
	"1.24": "trixie bookworm bullseye",
	"1.23": "bookworm bullseye",
	"1.22": "bookworm bullseye",
	"1.21": "bookworm bullseye",
	"1.20": "bookworm bullseye buster",
	"1.19": "bookworm bullseye buster",
	"1.18": "bullseye buster stretch",
	"1.17": "bullseye buster stretch",
	"1.16": "bullseye buster stretch",
	"1.15": "buster stretch",
	"1.14": "buster stretch",
	"1.13": "buster stretch",
	"1.12": "buster stretch",
	"1.11": "buster stretch",
	"1.10": "stretch",
	"1.9":  "stretch",
	"1.8":  "stretch jessie wheezy",
	"1.7":  "jessie wheezy",
	"1.6":  "wheezy",
	"1.5":  "wheezy",
	"1.4":  "wheezy",
	"1.3":  "wheezy",
}

// pythonSlimTags are the releases with python:<minor>-slim-<release>
// images.
var pythonSlimTags = map[string]string{
	"3.14": "trixie bookworm",
	"3.13": "trixie bookworm bullseye",
	"3.12": "trixie bookworm bullseye",
	"3.11": "trixie bookworm bullseye buster",
	"3.10": "trixie bookworm bullseye buster",
	"3.9":  "trixie bookworm bullseye buster",
	"3.8":  "bookworm bullseye buster",
	"3.7":  "bookworm bullseye buster stretch",
	"3.6":  "bullseye buster stretch jessie",
	"3.5":  "buster stretch jessie",
	"3.4":  "stretch jessie",
	"2.7":  "buster stretch jessie",
}

// nodeSlimTags are the releases with node:<major>-<release>-slim images.
var nodeSlimTags = map[string]string{
	"26": "trixie bookworm bullseye",
	"25": "trixie bookworm bullseye",
	"24": "trixie bookworm bullseye",
	"23": "bookworm bullseye",
	"22": "trixie bookworm bullseye",
	"21": "bookworm bullseye",
	"20": "trixie bookworm bullseye buster",
	"19": "bullseye buster",
	"18": "bookworm bullseye buster",
	"17": "bullseye buster stretch",
	"16": "bookworm bullseye buster stretch",
	"15": "buster stretch",
	"14": "bullseye buster stretch",
	"13": "buster stretch",
	"12": "bullseye buster stretch",
	"11": "stretch",
	"10": "buster stretch jessie",
	"8":  "buster stretch jessie",
	"6":  "stretch jessie",
}

// PinnedTag is one image reference dgen writes as it stands (the other
// images are built from the table above).
type PinnedTag struct {
	// Ref is the full reference written after FROM.
	Ref string
	// Checked is the date the tag was last seen published.
	Checked string
	// Source is where it was seen.
	Source string
}

// pinnedTags are the images dgen names besides golang, python and node.
// debian and busybox are official images and were read in the same
// official-images snapshot as the table; the registries of the others
// (gcr.io, Docker Hub's nginxinc and oven namespaces, ghcr.io) cannot be
// reached from where the table was taken, so they stand as they were
// checked on ImagesChecked and must be checked by hand when bumped.
var pinnedTags = []PinnedTag{
	{"debian:trixie-slim", "2026-08-21", "official-images library/debian"},
	{"busybox:1.37.0-musl", "2026-08-21", "official-images library/busybox"},
	// compose.yaml's backing services (serviceImages), from the same
	// snapshot.
	{"postgres:18-trixie", "2026-08-21", "official-images library/postgres"},
	{"mysql:8.4", "2026-08-21", "official-images library/mysql"},
	{"mariadb:11.8-noble", "2026-08-21", "official-images library/mariadb"},
	{"mongo:8.0-noble", "2026-08-21", "official-images library/mongo"},
	{"redis:8.10-trixie", "2026-08-21", "official-images library/redis"},
	{"rabbitmq:4.3", "2026-08-21", "official-images library/rabbitmq"},
	{"gcr.io/distroless/static-debian13:nonroot", ImagesChecked, "gcr.io (GoogleContainerTools/distroless)"},
	// It follows the official nginx image, whose newest stable in the
	// official-images snapshot is 1.30.4: 1.30.5 came later and stands
	// on the ImagesChecked check alone.
	{"nginxinc/nginx-unprivileged:1.30.5-trixie", ImagesChecked, "Docker Hub nginxinc/nginx-unprivileged"},
	{"ghcr.io/astral-sh/uv:0.12.15", ImagesChecked, "ghcr.io astral-sh/uv"},
	{"oven/bun:1.4.5-slim", ImagesChecked, "Docker Hub oven/bun"},
}

// PinnedTags lists the pinned image references. The caller gets a copy.
func PinnedTags() []PinnedTag { return slices.Clone(pinnedTags) }

// GolangReleases are the Debian releases with golang:<minor>-<release>
// images, newest first; nil when the table knows no such minor.
func GolangReleases(minor string) []string { return strings.Fields(golangTags[minor]) }

// PythonReleases are the Debian releases with python:<minor>-slim-<release>
// images, newest first.
func PythonReleases(minor string) []string { return strings.Fields(pythonSlimTags[minor]) }

// NodeDebianReleases are the Debian releases with
// node:<major>-<release>-slim images, newest first.
func NodeDebianReleases(major string) []string { return strings.Fields(nodeSlimTags[major]) }

// TagKnown reports whether ref is an image reference the table vouches
// for: a golang, python or node tag of the shapes dgen writes whose
// version has an image on that Debian release, or a pinned reference.
func TagKnown(ref string) bool {
	for _, p := range pinnedTags {
		if p.Ref == ref {
			return true
		}
	}
	name, tag, ok := strings.Cut(ref, ":")
	if !ok {
		return false
	}
	var version, release string
	switch name {
	case "golang":
		version, release, ok = strings.Cut(tag, "-")
		return ok && slices.Contains(GolangReleases(version), release)
	case "python":
		version, release, ok = strings.Cut(tag, "-slim-")
		return ok && slices.Contains(PythonReleases(version), release)
	case "node":
		version, release, ok = strings.Cut(strings.TrimSuffix(tag, "-slim"), "-")
		return ok && strings.HasSuffix(tag, "-slim") && slices.Contains(NodeDebianReleases(version), release)
	}
	return false
}

// debianNumbers are the release numbers of the Debian codenames in the
// table, for notes people read.
var debianNumbers = map[string]string{
	"trixie": "13", "bookworm": "12", "bullseye": "11", "buster": "10",
	"stretch": "9", "jessie": "8", "wheezy": "7",
}

// DebianName is a release as people say it: "Debian 12 (bookworm)".
func DebianName(release string) string {
	if n, ok := debianNumbers[release]; ok {
		return "Debian " + n + " (" + release + ")"
	}
	return "Debian " + release
}

// PythonImageFor picks the slim image of a CPython minor: on DebianCurrent
// when it has one, else on the newest Debian release that does, with a
// note saying so (the RuntimePackages then take that release's names, see
// DebianPackage). ok is false when no release has the minor at all.
func PythonImageFor(minor string) (image, debian, note string, ok bool) {
	debian, ok = preferredRelease(PythonReleases(minor))
	if !ok {
		return "", "", "", false
	}
	image = PythonImage(minor, debian)
	if debian != DebianCurrent {
		note = fmt.Sprintf("Python %s has no Debian 13 (trixie) images; the image is %s, on %s, the newest Debian release with Python %s images", minor, image, DebianName(debian), minor)
	}
	return image, debian, note, true
}

// preferredRelease is DebianCurrent when rels (newest first) holds it,
// else the newest of rels; ok is false when rels is empty.
func preferredRelease(rels []string) (string, bool) {
	switch {
	case len(rels) == 0:
		return "", false
	case slices.Contains(rels, DebianCurrent):
		return DebianCurrent, true
	}
	return rels[0], true
}

// NodeImageFor picks the slim image of a Node.js major: on DebianCurrent
// when it has one, else on the newest Debian release that does, with a
// note. ok is false when no release has the major.
func NodeImageFor(major string) (image, note string, ok bool) {
	debian, ok := preferredRelease(NodeDebianReleases(major))
	if !ok {
		return "", "", false
	}
	image = nodeImageOn(major, debian)
	if debian != DebianCurrent {
		note = fmt.Sprintf("Node %s has no Debian 13 (trixie) images; the image is %s, on %s, the newest Debian release with Node %s images", major, image, DebianName(debian), major)
	}
	return image, note, true
}

// GoImageFor picks the golang image of a Go minor. The build stage must be
// on DebianCurrent, the release of the cgo runtime (GoCGORuntime), and a
// go line is a minimum: a minor with no DebianCurrent image builds with
// the oldest supported release instead (version is then that release and
// note says why). ok is false when the table knows no image for the minor
// (a release newer than the table, or not a Go minor).
func GoImageFor(minor string) (image, version, note string, ok bool) {
	rels := GolangReleases(minor)
	if slices.Contains(rels, DebianCurrent) {
		return GoBuildImage(minor), minor, "", true
	}
	sup := GoSupported()
	if len(rels) == 0 || len(sup) == 0 {
		return "", "", "", false
	}
	oldest := sup[len(sup)-1]
	if !slices.Contains(GolangReleases(oldest), DebianCurrent) {
		return "", "", "", false
	}
	note = fmt.Sprintf("Go %s has no %s image (its images are on %s); the go line is a minimum, so the image builds with Go %s, the oldest supported release", minor, GoBuildImage(minor), strings.Join(rels, ", "), oldest)
	return GoBuildImage(oldest), oldest, note, true
}
