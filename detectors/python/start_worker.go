package python

import (
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// pyMainGuardRe finds the `if __name__ == "__main__":` guard of a script.
var pyMainGuardRe = regexp.MustCompile(`(?m)^if\s+__name__\s*==\s*["']__main__["']\s*:`)

// pyRelativeImportRe is a relative import (from . import x, from .x import y).
var pyRelativeImportRe = regexp.MustCompile(`(?m)^\s*from\s+\.`)

// pyScriptNames rank scripts that run a program by their name.
var pyScriptNames = map[string]int{"main": 0, "run": 1, "bot": 2, "worker": 3, "app": 4, "start": 5, "server": 6, "cli": 7}

// pyToolDirs hold developer scripts (releases, code generation), never
// the program a container runs.
var pyToolDirs = map[string]bool{"scripts": true, "tools": true, "tool": true, "bin": true, "hack": true, "ci": true, "dev": true, "devtools": true, "utils": true, "build": true}

// pyScriptCand is a runnable script with a __main__ guard.
type pyScriptCand struct {
	file  *pyFile
	argv  []string
	line  int
	score int
}

// mainGuardStart runs the script with a __main__ guard at the root or one
// folder down: `python dir/file.py`, or `python -m pkg.mod` when the folder
// is a package and the script imports relatively. A script ranked first by
// depth and name is taken (a safe choice when there are several); alike
// scripts are an open choice.
func (s *pyScan) mainGuardStart() (bool, error) {
	var cands []pyScriptCand
	for _, f := range s.src.files {
		rel := strings.TrimPrefix(f.path, f.root+"/")
		depth := strings.Count(rel, "/")
		if depth > 1 || path.Base(f.path) == "__init__.py" || path.Base(f.path) == "manage.py" || pyToolDirs[strings.Split(rel, "/")[0]] || !f.has("__main__") {
			continue
		}
		m := f.find(pyMainGuardRe)
		if len(m) == 0 || repo.CheckPath(f.path) != nil {
			continue
		}
		argv := []string{"python", f.path}
		if depth == 1 && repo.IsFile(s.fsys, path.Dir(f.path)+"/__init__.py") && pyRelativeImportRe.Match(f.data) {
			// Relative imports resolve only when the script runs as a
			// module of its package; sibling imports (import config) only
			// when it runs as a file, from its own folder on sys.path.
			argv = []string{"python", "-m", f.module}
		}
		rank, ok := pyScriptNames[strings.TrimSuffix(path.Base(f.path), ".py")]
		if !ok {
			rank = len(pyScriptNames)
		}
		cands = append(cands, pyScriptCand{file: f, argv: argv, line: m[0].line, score: depth*100 + rank})
	}
	if len(cands) == 0 {
		return false, nil
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score < cands[j].score })
	pick := cands[0]
	if len(cands) > 1 {
		var opts []facts.Option
		for _, c := range cands {
			ev := facts.Evidence{File: c.file.path, Line: c.line, Detail: "if __name__ == \"__main__\":"}
			// --main takes a .py file or a module, as the values say.
			opts = append(opts, facts.Option{Value: c.argv[len(c.argv)-1], Label: strings.Join(c.argv, " "), Evidence: &ev})
		}
		safe := cands[0].score < cands[1].score
		reason := "a script at the root beats one in a folder, and main/run/bot/worker/app names beat others"
		if !safe {
			reason = "the scripts are alike: same depth, no conventional name"
		}
		s.det.AddChoice(facts.Choice{Key: "main", Question: "Several scripts can run the program. Which one does the container run?",
			Options: opts, Default: opts[0].Value, Safe: safe, Reason: reason, Flag: "--main"})
	}
	s.pythonPathIfRoot(pick.file.root)
	s.setStart(pyCmd{argv: pick.argv, server: "python", file: pick.file,
		ev: facts.Evidence{File: pick.file.path, Line: pick.line, Detail: "if __name__ == \"__main__\": (" + strings.Join(pick.argv, " ") + ")"}})
	s.workerIfNoServer()
	return true, nil
}
