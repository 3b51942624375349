package node

import (
	"regexp"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
)

// publicVarRe matches a build-time public variable read in the source:
// Vite's import.meta.env.VITE_*, Next.js's process.env.NEXT_PUBLIC_*,
// Create React App's process.env.REACT_APP_* (the value is inlined into
// the bundle when the app is built).
var publicVarRe = regexp.MustCompile(`(?:import\.meta\.env|process\.env)(?:\.|\[\s*['"])((?:VITE|NEXT_PUBLIC|REACT_APP|PUBLIC)_[A-Z0-9_]+)\b`)

// buildEnvFiles are the .env files Vite and Next.js read in a production
// build. The .dockerignore drops all of them (they may hold secrets).
var buildEnvFiles = []string{".env", ".env.local", ".env.production", ".env.production.local"}

var envAssignRe = regexp.MustCompile(`(?m)^\s*(?:export\s+)?([A-Z][A-Z0-9_]*)\s*=`)

// publicBuildVars lists the public variables the code reads whose value
// is defined only in .env files the image leaves out: they become build
// ARGs, so the build reads them from --build-arg instead of silently
// building without them.
func (a *nodeApp) publicBuildVars() {
	det, nf := a.det, a.det.Node
	defined := map[string]string{} // name → the .env file that sets it
	for _, f := range buildEnvFiles {
		data, err := repo.ReadPrefix(a.fsys, f, 64<<10)
		if err != nil {
			continue
		}
		for _, m := range envAssignRe.FindAllSubmatch(data, -1) {
			if _, ok := defined[string(m[1])]; !ok {
				defined[string(m[1])] = f
			}
		}
	}
	if len(defined) == 0 {
		return
	}
	var names, from []string
	for _, f := range a.sourceFiles() {
		data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		for _, m := range publicVarRe.FindAllSubmatch(data, -1) {
			n := string(m[1])
			if file, ok := defined[n]; ok && !slices.Contains(names, n) {
				names = append(names, n)
				if !slices.Contains(from, file) {
					from = append(from, a.rel(file))
				}
			}
		}
	}
	if len(names) == 0 {
		return
	}
	slices.Sort(names)
	nf.BuildArgs = names
	det.Cite("buildArgs", from[0], 0, strings.Join(names, ", ")+" are read by the code and set only in "+strings.Join(from, ", "))
	det.Notef("the code reads %s at build time, set only in %s, which the .dockerignore keeps out of the image (.env files may hold secrets): they are build ARGs, so build with --build-arg %s=…", strings.Join(names, ", "), strings.Join(from, ", "), names[0])
}
