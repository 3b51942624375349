package golang

import (
	"io/fs"
	"regexp"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// goPrivateRE finds a GOPRIVATE setting in a Makefile, CI file or shell
// env file: GOPRIVATE=…, GOPRIVATE: …, go env -w GOPRIVATE=….
var goPrivateRE = regexp.MustCompile(`\bGOPRIVATE\s*[:=]\s*["']?([^\s"'#$]+)`)

// goPrivatePattern is what a GOPRIVATE value may hold: comma-separated
// module path globs.
var goPrivatePattern = regexp.MustCompile(`^[A-Za-z0-9._\-/*?,]+$`)

// goPrivate reads the GOPRIVATE setting from the repository's own tooling
// (Makefile, .envrc, go.env, CI workflows), so the image fetches private
// modules the same way. Credentials are never read: the Dockerfile mounts
// a netrc secret that the user passes at build time.
func goPrivate(fsys fs.FS, det *facts.Detection) string {
	files := []string{"go.env", "Makefile", "makefile", "GNUmakefile", ".envrc", "Taskfile.yml", "justfile", ".gitlab-ci.yml"}
	if ents, err := fs.ReadDir(fsys, ".github/workflows"); err == nil {
		for i, e := range ents {
			if i >= 50 {
				break
			}
			if n := e.Name(); e.Type().IsRegular() && (strings.HasSuffix(n, ".yml") || strings.HasSuffix(n, ".yaml")) {
				files = append(files, ".github/workflows/"+n)
			}
		}
	}
	for _, f := range files {
		data, err := repo.ReadPrefix(fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		var val string
		repo.Lines(data, func(n int, line string) bool {
			m := goPrivateRE.FindStringSubmatch(line)
			if m == nil {
				return true
			}
			if !goPrivatePattern.MatchString(m[1]) {
				det.Problemf(f, "line %d: GOPRIVATE value %q is not a list of module path patterns; ignored", n, m[1])
				return true
			}
			val = m[1]
			det.Cite("goPrivate", f, n, strings.TrimSpace(line))
			return false
		})
		if val != "" {
			return val
		}
	}
	return ""
}
