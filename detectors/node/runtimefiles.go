package node

import (
	"path"
	"regexp"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// nodePathArg is a string argument, optionally as the fallback of an
// environment variable: 'app.db' or process.env.DB_PATH || 'app.db'.
// Submatches: the variable (or ""), the literal.
const nodePathArg = `(?:process\.env\.(\w+)\s*(?:\|\||\?\?)\s*)?['"\x60]([^'"\x60\n$]+)['"\x60]`

// Reads and writes of a path relative to the working directory.
var (
	nodeReadRe    = regexp.MustCompile(`\b(?:readFileSync|readFile|readdirSync|readdir|createReadStream)\(\s*(?:['"\x60]([^'"\x60\n$]+)['"\x60]|path\.(?:join|resolve)\(\s*process\.cwd\(\)((?:\s*,\s*['"\x60][^'"\x60\n$]+['"\x60])+)\s*\))`)
	nodeLiteralRe = regexp.MustCompile(`['"\x60]([^'"\x60\n$]+)['"\x60]`)
	nodeMkdirRe   = regexp.MustCompile(`\bmkdir(?:Sync)?\(\s*` + nodePathArg)
	nodeWriteRe   = regexp.MustCompile(`\b(?:writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream)\(\s*` + nodePathArg)
	nodeMulterRe  = regexp.MustCompile(`\bmulter\(\s*\{[^}]*?\bdest\s*:\s*` + nodePathArg)
)

// runtimeFiles records the files the app opens by a relative path at
// start (copied when the runtime stage holds only the build output) and
// the folders it writes into next to itself. Paths are relative to the
// app's folder, where it runs.
func (a *nodeApp) runtimeFiles() {
	for _, f := range a.sourceFiles() {
		data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		a.runtimeFilesIn(f, data)
	}
	if a.pkg.has("config") && repo.IsDir(a.fsys, "config") {
		a.det.AddRuntimeFile(facts.RuntimeFile{Path: "config", Dir: true, Evidence: facts.Evidence{File: a.pkg.file, Line: a.pkg.keyLine("dependencies", "config"),
			Detail: "the config package loads config/ from the working directory at start"}})
	}
	for _, name := range []string{"start", "start:prod", "prestart"} {
		s := a.pkg.Scripts[name]
		if strings.Contains(s, "prisma migrate deploy") && repo.IsDir(a.fsys, "prisma") {
			a.det.AddRuntimeFile(facts.RuntimeFile{Path: "prisma", Dir: true, Evidence: facts.Evidence{File: a.pkg.file, Line: a.pkg.keyLine("scripts", name),
				Detail: `"` + name + `": "` + s + `" applies prisma/migrations at start`}})
		}
	}
}

// matchFunc handles one match of a pattern in a source file: its evidence,
// its submatches and its offset.
type matchFunc func(ev facts.Evidence, sub []string, at int)

// runtimeFilesIn scans one source file.
func (a *nodeApp) runtimeFilesIn(file string, data []byte) {
	src := string(data)
	each := func(re *regexp.Regexp, fn matchFunc) {
		for _, loc := range re.FindAllStringSubmatchIndex(src, -1) {
			sub := make([]string, len(loc)/2)
			for i := range sub {
				if loc[2*i] >= 0 {
					sub[i] = src[loc[2*i]:loc[2*i+1]]
				}
			}
			line := repo.LineAt(data, loc[0])
			fn(facts.Evidence{File: a.rel(file), Line: line, Detail: strings.TrimSpace(sub[0])}, sub, loc[0])
		}
	}
	each(nodeReadRe, func(ev facts.Evidence, sub []string, _ int) {
		p := sub[1]
		if sub[2] != "" {
			// path.join(process.cwd(), 'config', 'app.json')
			var parts []string
			for _, m := range nodeLiteralRe.FindAllStringSubmatch(sub[2], -1) {
				parts = append(parts, m[1])
			}
			p = path.Join(parts...)
		}
		rel := nodeRelPath(p)
		if rel == "" || nodeDotenv(rel) {
			return
		}
		switch {
		case repo.IsFile(a.fsys, rel):
			ev.Detail += " opens " + rel + " at run time"
			a.det.AddRuntimeFile(facts.RuntimeFile{Path: rel, Evidence: ev})
		case repo.IsDir(a.fsys, rel):
			ev.Detail += " reads " + rel + "/ at run time"
			a.det.AddRuntimeFile(facts.RuntimeFile{Path: rel, Dir: true, Evidence: ev})
		}
	})
	dir := func(ev facts.Evidence, sub []string, _ int) {
		if rel := nodeRelPath(sub[2]); rel != "" {
			a.det.AddWritable(facts.WritablePath{Dir: rel, What: "files in " + rel + "/", Evidence: ev})
		}
	}
	each(nodeMkdirRe, dir)
	each(nodeMulterRe, dir)
	each(nodeWriteRe, func(ev facts.Evidence, sub []string, _ int) {
		if rel := nodeRelPath(sub[2]); rel != "" {
			a.det.AddWritable(facts.WrittenFile(rel, sub[1], "files it writes ("+rel+")", ev))
		}
	})
	a.sqliteFilesIn(src, each)
}

// nodeRelPath cleans a path the code names relative to the working
// directory; "" for an absolute path, one outside it, or a special name.
func nodeRelPath(p string) string {
	if p == "" || path.IsAbs(p) || strings.ContainsAny(p, ":*{%~") {
		return ""
	}
	p = path.Clean(p)
	if p == "." || p == ".." || strings.HasPrefix(p, "../") || repo.CheckPath(p) != nil {
		return ""
	}
	return p
}

// nodeDotenv reports whether a file is a .env file, which holds secrets
// and is never copied into an image.
func nodeDotenv(p string) bool {
	b := path.Base(p)
	return b == ".env" || strings.HasPrefix(b, ".env.") || strings.HasSuffix(b, ".env")
}
