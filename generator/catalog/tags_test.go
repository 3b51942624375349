package catalog

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestImageForPicksATagThatExists(t *testing.T) {
	for _, tt := range []struct {
		lang, version      string
		wantImage, wantVer string
		wantNote           string // "" when no note is expected
		wantOK             bool
	}{
		{"python", "3.13", "python:3.13-slim-trixie", "", "", true},
		{"python", "3.9", "python:3.9-slim-trixie", "", "", true},
		{"python", "3.8", "python:3.8-slim-bookworm", "", "Python 3.8 has no Debian 13 (trixie) images; the image is python:3.8-slim-bookworm, on Debian 12 (bookworm)", true},
		{"python", "3.7", "python:3.7-slim-bookworm", "", "Debian 12 (bookworm)", true},
		{"python", "3.6", "python:3.6-slim-bullseye", "", "Debian 11 (bullseye)", true},
		{"python", "3.5", "python:3.5-slim-buster", "", "Debian 10 (buster)", true},
		{"python", "2.7", "python:2.7-slim-buster", "", "Debian 10 (buster)", true},
		{"python", "3.3", "", "", "", false},
		{"python", "3.15", "", "", "", false},
		{"node", "22", "node:22-trixie-slim", "", "", true},
		{"node", "20", "node:20-trixie-slim", "", "", true},
		{"node", "18", "node:18-bookworm-slim", "", "Node 18 has no Debian 13 (trixie) images; the image is node:18-bookworm-slim, on Debian 12 (bookworm)", true},
		{"node", "23", "node:23-bookworm-slim", "", "Debian 12 (bookworm)", true},
		{"node", "19", "node:19-bullseye-slim", "", "Debian 11 (bullseye)", true},
		{"node", "14", "node:14-bullseye-slim", "", "Debian 11 (bullseye)", true},
		{"node", "4", "", "", "", false},
		{"node", "27", "", "", "", false},
		{"go", "1.27", "golang:1.27-trixie", "1.27", "", true},
		{"go", "1.24", "golang:1.24-trixie", "1.24", "", true},
		{"go", "1.23", "golang:" + GoVersions[1] + "-trixie", GoVersions[1], "Go 1.23 has no golang:1.23-trixie image (its images are on bookworm, bullseye); the go line is a minimum, so the image builds with Go " + GoVersions[1], true},
		{"go", "1.8", "golang:" + GoVersions[1] + "-trixie", GoVersions[1], "its images are on stretch, jessie, wheezy", true},
		{"go", "1.28", "", "", "", false},
		{"go", "", "", "", "", false},
	} {
		var image, version, note string
		var ok bool
		switch tt.lang {
		case "python":
			image, _, note, ok = PythonImageFor(tt.version)
		case "node":
			image, note, ok = NodeImageFor(tt.version)
		case "go":
			image, version, note, ok = GoImageFor(tt.version)
		}
		if image != tt.wantImage || ok != tt.wantOK || version != tt.wantVer {
			t.Errorf("%s %q: image %q, version %q, ok %v; want %q, %q, %v", tt.lang, tt.version, image, version, ok, tt.wantImage, tt.wantVer, tt.wantOK)
		}
		if (tt.wantNote == "") != (note == "") || !strings.Contains(note, tt.wantNote) {
			t.Errorf("%s %q: note %q, want one containing %q", tt.lang, tt.version, note, tt.wantNote)
		}
		if ok && !TagKnown(image) {
			t.Errorf("%s %q: %s is not in the tag table", tt.lang, tt.version, image)
		}
	}
	if _, debian, _, _ := PythonImageFor("3.6"); debian != "bullseye" {
		t.Errorf("PythonImageFor(3.6) debian = %q, want bullseye", debian)
	}
}

func TestTagKnown(t *testing.T) {
	for ref, want := range map[string]bool{
		"node:18-trixie-slim":          false, // Node 18 never had trixie images
		"python:3.6-slim-bookworm":     false, // nor Python 3.6 bookworm ones
		"python:3.8-slim-trixie":       false,
		"golang:1.23-trixie":           false,
		"node:18-bookworm-slim":        true,
		"python:3.6-slim-bullseye":     true,
		"python:3.14-slim-trixie":      true,
		"golang:1.24-trixie":           true,
		"node:22-trixie":               false, // not the slim shape dgen writes
		"python:3.13-trixie":           false,
		"golang:trixie":                false,
		"debian:trixie-slim":           true,
		"debian:bookworm-slim":         false,
		"busybox:1.37.0-musl":          true,
		"oven/bun:1.0.0-slim":          false,
		"ghcr.io/astral-sh/uv:0.12.15": true,
		"python":                       false,
	} {
		if got := TagKnown(ref); got != want {
			t.Errorf("TagKnown(%q) = %v, want %v", ref, got, want)
		}
	}
}

// TestVersionTablesHaveImages keeps versions.go and the tag table in step:
// every version dgen offers has an image, and the detector's cut-off for
// raising old Go lines is where the trixie images start.
func TestVersionTablesHaveImages(t *testing.T) {
	for _, v := range PythonVersions {
		if _, _, _, ok := PythonImageFor(v); !ok {
			t.Errorf("PythonVersions has %s, which has no python image", v)
		}
	}
	for _, v := range PythonSupported {
		if !slices.Contains(PythonReleases(v), DebianCurrent) {
			t.Errorf("supported Python %s has no %s image", v, DebianCurrent)
		}
	}
	for _, r := range NodeReleases {
		if _, _, ok := NodeImageFor(r.Major); !ok {
			t.Errorf("NodeReleases has %s, which has no node image", r.Major)
		}
		if r.Status != "eol" && !slices.Contains(NodeDebianReleases(r.Major), DebianCurrent) {
			t.Errorf("supported Node %s has no %s image", r.Major, DebianCurrent)
		}
	}
	for _, v := range GoVersions {
		if _, _, _, ok := GoImageFor(v); !ok {
			t.Errorf("GoVersions has %s, which has no golang image", v)
		}
	}
	var oldest string
	for v, rels := range golangTags {
		if strings.Contains(rels, DebianCurrent) && (oldest == "" || goMinorLess(v, oldest)) {
			oldest = v
		}
	}
	if oldest != GoOldestOnCurrent {
		t.Errorf("GoOldestOnCurrent = %s, but the oldest golang:<minor>-%s is %s", GoOldestOnCurrent, DebianCurrent, oldest)
	}
	if !slices.Contains(GolangReleases(GoDefault), DebianCurrent) {
		t.Errorf("GoDefault %s has no %s image", GoDefault, DebianCurrent)
	}
}

func goMinorLess(a, b string) bool {
	an, _ := strconv.Atoi(strings.TrimPrefix(a, "1."))
	bn, _ := strconv.Atoi(strings.TrimPrefix(b, "1."))
	return an < bn
}

// TestPinnedImagesAreInTheTable fails when a pin in the catalog moves
// without its tag being checked and written down in pinnedTags.
func TestPinnedImagesAreInTheTable(t *testing.T) {
	for _, ref := range []string{
		GoStaticRuntime, GoCGORuntime, GoProbeImage, NginxUnprivilegedImage(),
		UVImage(UVVersion), BunImage(BunVersion),
	} {
		if !TagKnown(ref) {
			t.Errorf("%s is written by dgen but not in pinnedTags", ref)
		}
	}
	for _, s := range ServiceImages() {
		if !TagKnown(s.Image) {
			t.Errorf("compose service %s uses %s, which is not in pinnedTags", s.Kind, s.Image)
		}
	}
	for _, p := range PinnedTags() {
		if _, err := time.Parse(time.DateOnly, p.Checked); err != nil || p.Source == "" {
			t.Errorf("pinned %s: checked %q, source %q", p.Ref, p.Checked, p.Source)
		}
	}
	if _, err := time.Parse(time.DateOnly, TagsTaken); err != nil {
		t.Errorf("TagsTaken: %v", err)
	}
}

func TestDebianPackageOnOlderReleases(t *testing.T) {
	for _, rel := range []string{"bookworm", "bullseye", "buster"} {
		if got := DebianPackage("libglib2.0-0t64", rel); got != "libglib2.0-0" {
			t.Errorf("DebianPackage(libglib2.0-0t64, %s) = %q", rel, got)
		}
	}
	if got := DebianPackage("libglib2.0-0t64", DebianCurrent); got != "libglib2.0-0t64" {
		t.Errorf("on %s: %q", DebianCurrent, got)
	}
}
