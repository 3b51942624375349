package golang

import (
	"io/fs"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/dgen-dev/dgen/detectors/repo"
)

// mainHint is one mention of a main package outside Go code: a build
// target, a release build, a Procfile process or a README command. Each
// weighs a little when servers tie.
type mainHint struct {
	finding
	points int
}

// maxHintFile bounds how much of a Makefile, README or release file is
// read for hints.
const maxHintFile = 256 << 10

// buildHints maps each candidate (by its folder) to the mentions of it
// in the repository's Makefile, .goreleaser.yml, Procfile and README.
func buildHints(fsys fs.FS, cands []*buildPkg, lay *layout) map[string][]mainHint {
	out := map[string][]mainHint{}
	add := func(dir string, h mainHint) {
		for _, have := range out[dir] {
			if have.File == h.File {
				return // one mention per file is enough
			}
		}
		out[dir] = append(out[dir], h)
	}
	for _, name := range []string{"Makefile", "makefile", "GNUmakefile", "README.md", "README", "readme.md", "README.rst"} {
		data, err := repo.ReadPrefix(fsys, name, maxHintFile)
		if err != nil {
			continue
		}
		what := "built by the Makefile"
		if strings.HasPrefix(strings.ToLower(name), "readme") {
			what = "the README runs it"
		}
		repo.Lines(data, func(n int, line string) bool {
			if !goCommandLine(line) {
				return true
			}
			for _, c := range cands {
				if mentionsMain(line, c, lay) {
					add(c.Dir, mainHint{finding: finding{File: name, Line: n, Detail: what + ": " + shortLine(line)}, points: 1})
				}
			}
			return true
		})
	}
	procfileHints(fsys, cands, lay, add)
	goreleaserHints(fsys, cands, add)
	return out
}

// goCommandLine reports whether a line runs the go command on a package.
func goCommandLine(line string) bool {
	for _, verb := range []string{"go build", "go install", "go run"} {
		if strings.Contains(line, verb) {
			return true
		}
	}
	return false
}

// mentionsMain reports whether a command line names candidate c: its
// folder ("./cmd/api", "cmd/api/..."), or its import path
// ("example.com/app/cmd/api@latest").
func mentionsMain(line string, c *buildPkg, lay *layout) bool {
	for _, tok := range strings.Fields(line) {
		tok = strings.Trim(tok, "`'\"();,")
		tok, _, _ = strings.Cut(tok, "@")
		tok = strings.TrimSuffix(strings.TrimSuffix(tok, "/..."), "/")
		if strings.HasSuffix(tok, ".go") {
			tok = path.Dir(tok)
		}
		if tok == "" {
			continue
		}
		if d := importDir(tok, lay); d != "" {
			tok = d
		}
		tok = path.Clean(strings.TrimPrefix(tok, "./"))
		if tok == c.Dir && (c.Dir != "." || strings.Contains(line, "go build") || strings.Contains(line, "go run")) {
			return true
		}
	}
	return false
}

// procfileHints reads a Procfile's web process: the binary it runs, or a
// `go run` of a package.
func procfileHints(fsys fs.FS, cands []*buildPkg, lay *layout, add func(string, mainHint)) {
	data, err := repo.ReadPrefix(fsys, "Procfile", maxHintFile)
	if err != nil {
		return
	}
	repo.Lines(data, func(n int, line string) bool {
		proc, cmd, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(proc) != "web" {
			return true
		}
		fields := strings.Fields(cmd)
		for _, c := range cands {
			hit := mentionsMain(cmd, c, lay)
			if len(fields) > 0 && path.Base(fields[0]) == binaryName(c, lay) {
				hit = true
			}
			if hit {
				add(c.Dir, mainHint{finding: finding{File: "Procfile", Line: n, Detail: "the Procfile's web process runs it: " + shortLine(line)}, points: 2})
			}
		}
		return true
	})
}

// goreleaserHints reads the builds of a GoReleaser configuration: each
// build's main package (main, below dir).
func goreleaserHints(fsys fs.FS, cands []*buildPkg, add func(string, mainHint)) {
	for _, name := range []string{".goreleaser.yml", ".goreleaser.yaml", "goreleaser.yml", "goreleaser.yaml"} {
		data, err := repo.ReadPrefix(fsys, name, maxHintFile)
		if err != nil {
			continue
		}
		var cfg struct {
			Builds []struct {
				Main string `yaml:"main"`
				Dir  string `yaml:"dir"`
				ID   string `yaml:"id"`
			} `yaml:"builds"`
		}
		if yaml.Unmarshal(data, &cfg) != nil {
			return
		}
		for _, b := range cfg.Builds {
			m := b.Main
			if m == "" {
				m = "."
			}
			if strings.HasSuffix(m, ".go") {
				m = path.Dir(m)
			}
			dir := path.Clean(path.Join(strings.TrimPrefix(b.Dir, "./"), strings.TrimPrefix(m, "./")))
			for _, c := range cands {
				if c.Dir == dir {
					add(c.Dir, mainHint{finding: finding{File: name, Detail: "GoReleaser builds it (main: " + mainValue(dir) + ")"}, points: 1})
				}
			}
		}
		return
	}
}

// shortLine is a line trimmed and cut for evidence.
func shortLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		s = s[:77] + "…"
	}
	return s
}
