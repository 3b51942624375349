package generator

import (
	"fmt"
	"strings"

	"github.com/dgen-dev/dgen/generator/catalog"
)

// noImageError says that no official image exists for the language
// version the plan asks for, who asked (the file and line, or the flag),
// and what to do: the tag table (catalog.TagsTaken) is the only word dgen
// has on which tags exist, and a FROM of a missing tag fails the build.
func noImageError(p *Plan, lang, want string, offered []string) error {
	asker := "the default version"
	if ev, ok := p.Evidence["languageVersion"]; ok {
		asker = ev.String()
	}
	return badInputf("%s asks for %s %s, which has no official %s image on any Debian release (dgen's tag table, taken %s from the official images' library files); pin a version that has one (%s) or pass --language-version, e.g. --language-version %s",
		asker, lang, p.LanguageVersion, want, catalog.TagsTaken, strings.Join(offered, ", "), offered[0])
}

// nodeMajors are the Node majors dgen offers, newest first.
func nodeMajors() []string {
	out := make([]string, 0, len(catalog.NodeReleases))
	for _, r := range catalog.NodeReleases {
		if r.Status != "eol" {
			out = append(out, r.Major)
		}
	}
	return out
}

// imageNote is a note about the base image, prefixed with where the
// version came from so the reader knows which file to change.
func imageNote(p *Plan, note string) string {
	if ev, ok := p.Evidence["languageVersion"]; ok && ev.File != "" {
		return fmt.Sprintf("%s: %s", ev.File, note)
	}
	return note
}

// assetsNodeImage picks the Node image of a Python app's front end (its
// package.json at manifest): a major without Debian 13 images gets a note,
// one with no image at all an error naming the file that pinned it.
func assetsNodeImage(p *Plan, manifest, major string) (string, error) {
	image, note, ok := catalog.NodeImageFor(major)
	if !ok {
		asker := "front end (" + manifest + ")"
		if ev, ok := p.Evidence["assetsNodeVersion"]; ok {
			asker = ev.String()
		}
		return "", badInputf("%s asks for Node %s for the front end, which has no official node:%s-slim image on any Debian release (dgen's tag table, taken %s); pin one of %s there", asker, major, major, catalog.TagsTaken, strings.Join(nodeMajors(), ", "))
	}
	if note != "" {
		p.Notes = append(p.Notes, "front end ("+manifest+"): "+note)
	}
	return image, nil
}
