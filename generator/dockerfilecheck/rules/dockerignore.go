package rules

import (
	"bytes"
	"path"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// mustIgnore are paths every .dockerignore dgen writes must exclude:
// version-control data and env files (in any folder), which hold secrets
// and would otherwise end up in the image through COPY . .
var mustIgnore = []string{".git", ".env", "sub/.env.local"}

// checkDockerignore rebuilds BuildKit's CopyIgnoredFile check, which needs a
// BuildKit client to read the .dockerignore and so does not run offline,
// with the matcher BuildKit itself uses. It is stricter than BuildKit in
// one way: BuildKit skips the check when the file has "!" exceptions;
// here a named source is matched with the exceptions applied (the
// matcher handles "dir" then "!dir/file"), and a folder counts as
// excluded only if no exception re-includes something inside it.
//
// A whole-context copy (COPY . .) is the point of the ignore file and is
// only flagged, as in BuildKit, when the file ignores everything without
// exceptions. A glob source (package*.json) is matched as written, as
// BuildKit does.
func (p *policy) checkDockerignore(dockerignore []byte) {
	patterns, err := ignorefile.ReadAll(bytes.NewReader(dockerignore))
	if err != nil {
		p.addf("Dockerignore", 0, ".dockerignore cannot be read: %v", err)
		return
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		p.addf("Dockerignore", 0, ".dockerignore has a bad pattern: %v", err)
		return
	}
	for _, must := range mustIgnore {
		if ok, err := pm.MatchesOrParentMatches(must); err != nil || !ok {
			p.addf("Dockerignore", 0, ".dockerignore does not exclude %s; VCS data and env files must never reach the build context", must)
		}
	}
	for _, s := range p.file.stages {
		for _, c := range s.Commands {
			what, srcs, ok := contextSources(c)
			if !ok {
				continue
			}
			for _, src := range srcs {
				if ignored(pm, src) {
					p.addf("CopyIgnoredFile", lineOf(c), "%s %s: %q is excluded by .dockerignore, so the build fails or copies nothing; copy something else or stop ignoring it", what, src, src)
				}
			}
		}
	}
}

// contextSources are the build-context sources of a COPY (not --from)
// or ADD (not a URL or git address), with the instruction's name; ok is
// false for any other instruction.
func contextSources(c instructions.Command) (what string, srcs []string, ok bool) {
	switch c := c.(type) {
	case *instructions.CopyCommand:
		if c.From != "" {
			return "", nil, false
		}
		return "COPY", c.SourcePaths, true
	case *instructions.AddCommand:
		return "ADD", slices.DeleteFunc(slices.Clone(c.SourcePaths), isRemote), true
	}
	return "", nil, false
}

// ignored reports whether pm keeps the COPY source src out of the build
// context.
func ignored(pm *patternmatcher.PatternMatcher, src string) bool {
	src = path.Clean("/" + src)[1:]
	if src == "" {
		// The context root: ignored only if a pattern drops every entry
		// and no exception brings any back.
		if pm.Exclusions() {
			return false
		}
		for _, pat := range pm.Patterns() {
			switch pat.String() {
			case "*", "**", "**/*":
				return true
			}
		}
		return false
	}
	ok, err := pm.MatchesOrParentMatches(src)
	if err != nil || !ok {
		return false
	}
	for _, pat := range pm.Patterns() {
		if pat.Exclusion() && strings.HasPrefix(pat.String(), src+"/") {
			return false // a folder with something inside let back in
		}
	}
	return true
}
