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
