package python

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// pyPathArg is a string argument, optionally as the fallback of an
// environment variable: "app.db" or os.environ.get("DB_PATH", "app.db").
// Submatches: the variable (or ""), the literal.
const pyPathArg = `(?:(?:os\.environ\.get|os\.getenv|environ\.get)\(\s*["'](\w+)["']\s*,\s*)?["']([^"'\n]+)["']`

// pyBaseDirArg is a path built on Django's BASE_DIR: BASE_DIR / "media" or
// os.path.join(BASE_DIR, "media"). Submatch: the literal.
const pyBaseDirArg = `(?:BASE_DIR\s*/\s*["']([^"'\n]+)["']|os\.path\.join\(\s*BASE_DIR\s*,\s*["']([^"'\n]+)["']\s*\))`

// Writes the program makes next to itself.
var (
	pySQLiteConnectRe = regexp.MustCompile(`sqlite3\.connect\(\s*` + pyPathArg)
	pySQLiteURLRe     = regexp.MustCompile(`["']sqlite:///([^/"'\n][^"'\n]*)["']`)
	pyMakedirsRe      = regexp.MustCompile(`(?:os\.makedirs|os\.mkdir)\(\s*` + pyPathArg + `|Path\(\s*` + pyPathArg + `\s*\)\.mkdir\(`)
	pyOpenWriteRe     = regexp.MustCompile(`\bopen\(\s*["']([^"'\n]+)["']\s*,\s*(?:mode\s*=\s*)?["'][rb]*[wax]`)
	pyUploadFolderRe  = regexp.MustCompile(`(?m)^\s*(?:app\.config\[["'])?UPLOAD_(?:FOLDER|DIR)(?:["']\])?\s*=\s*` + pyPathArg)
	pyDjangoNameRe    = regexp.MustCompile(`["']NAME["']\s*:\s*(?:(?:os\.environ\.get|os\.getenv|env\.str|env)\(\s*["'](\w+)["']\s*,\s*(?:default\s*=\s*)?)?` + pyBaseDirArg)
	pyMediaRootRe     = regexp.MustCompile(`(?m)^MEDIA_ROOT\s*=\s*(?:` + pyBaseDirArg + `|["']([^"'\n/][^"'\n]*)["'])`)
	pyBaseDirDefRe    = regexp.MustCompile(`(?m)^BASE_DIR\s*=\s*(.+)$`)
)

// writable records the folders the app writes into next to its own files:
// SQLite databases, Django's MEDIA_ROOT and SQLite NAME, upload folders,
// folders it creates and files it opens for writing, by relative path.
func (s *pyScan) writable() {
	if s.src == nil {
		return
	}
	for _, f := range s.src.files {
		s.writableIn(f)
	}
}

// writableIn scans one source file.
func (s *pyScan) writableIn(f *pyFile) {
	for _, m := range f.find(pySQLiteConnectRe, "sqlite3") {
		s.writtenFile(m, m.sub[2], m.sub[1], "the SQLite database %s (and its journal, beside it)")
	}
	for _, m := range f.find(pySQLiteURLRe, "sqlite:///") {
		rel := m.sub[1]
		if f.has("flask_sqlalchemy") {
			// Flask-SQLAlchemy puts a relative SQLite file in the
			// app's instance folder.
			rel = path.Join("instance", rel)
		}
		s.writtenFile(m, rel, "", "the SQLite database %s (and its journal, beside it)")
	}
	for _, m := range f.find(pyMakedirsRe, "makedirs", "mkdir") {
		p := m.sub[2]
		if p == "" {
			p = m.sub[4]
		}
		s.writtenDir(m, p)
	}
	for _, m := range f.find(pyUploadFolderRe, "UPLOAD_") {
		s.writtenDir(m, m.sub[2])
	}
	for _, m := range f.find(pyOpenWriteRe, "open(") {
		s.writtenFile(m, m.sub[1], "", "files it writes (%s)")
	}
	if !f.has("BASE_DIR") {
		return
	}
	base, ok := s.djangoBaseDir(f)
	if !ok {
		return
	}
	if f.has("sqlite3") {
		for _, m := range f.find(pyDjangoNameRe, "NAME") {
			s.writtenFile(m, path.Join(base, m.sub[2]+m.sub[3]), m.sub[1], "the SQLite database %s (and its journal, beside it)")
		}
	}
	for _, m := range f.find(pyMediaRootRe, "MEDIA_ROOT") {
		rel := m.sub[3]
		if rel == "" {
			rel = path.Join(base, m.sub[1]+m.sub[2])
		}
		m.text = strings.TrimSpace(m.text) + " (Django stores uploaded files there)"
		s.writtenDir(m, rel)
	}
}

// djangoBaseDir is the folder, relative to the repository, that BASE_DIR
// names: the settings file's folder, one level up per .parent or
// os.path.dirname beyond the first. It is looked for in the file, then
// in the files beside it (split settings import it from base.py).
func (s *pyScan) djangoBaseDir(f *pyFile) (string, bool) {
	def := pyBaseDirDefRe.FindSubmatch(f.data)
	if def == nil {
		dir := path.Dir(f.path)
		for _, o := range s.src.files {
			if path.Dir(o.path) == dir {
				if def = pyBaseDirDefRe.FindSubmatch(o.data); def != nil {
					break
				}
			}
		}
	}
	if def == nil || !strings.Contains(string(def[1]), "__file__") {
		return "", false
	}
	expr := string(def[1])
	n := strings.Count(expr, ".parent") + strings.Count(expr, "dirname(")
	if n == 0 {
		return "", false
	}
	dir := path.Dir(f.path)
	for range n - 1 {
		if dir == "." {
			return "", false
		}
		dir = path.Dir(dir)
	}
	return dir, true
}

// pyRelPath cleans a path the code names relative to the working
// directory; "" for an absolute path, one outside it, or a special name.
func pyRelPath(p string) string {
	if p == "" || path.IsAbs(p) || strings.ContainsAny(p, ":$~*{%") {
		return ""
	}
	p = path.Clean(p)
	if p == "." || p == ".." || strings.HasPrefix(p, "../") || repo.CheckPath(p) != nil {
		return ""
	}
	return p
}

// writtenFile records the folder of a file the app writes.
func (s *pyScan) writtenFile(m pyMatch, p, env, what string) {
	rel := pyRelPath(p)
	if rel == "" {
		return
	}
	s.det.AddWritable(facts.WrittenFile(rel, env, fmt.Sprintf(what, rel), m.evidence(strings.TrimSpace(m.text))))
}

// writtenDir records a folder the app creates or writes into. A folder
// read from a variable needs no moving: its fallback is a folder already.
func (s *pyScan) writtenDir(m pyMatch, p string) {
	rel := pyRelPath(p)
	if rel == "" {
		return
	}
	s.det.AddWritable(facts.WritablePath{Dir: rel, What: "files in " + rel + "/", Evidence: m.evidence(strings.TrimSpace(m.text))})
}
