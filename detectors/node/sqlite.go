package node

import (
	"path"
	"regexp"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// SQLite databases the app opens: the Database constructor of
// better-sqlite3 and sqlite3 (with a path, or a variable the file assigns
// one to), and the sqlite configs of Sequelize (storage), Knex (filename)
// and TypeORM (database). Submatches of the constructor: the variable,
// the literal, or the identifier it is passed.
var (
	nodeSQLiteNewRe = regexp.MustCompile(`\bnew\s+(?:\w+\.)?Database\(\s*(?:` + nodePathArg + `|(\w+)\s*[,)])`)
	nodeSQLiteKeyRe = regexp.MustCompile(`\b(?:storage|filename|database)\s*:\s*` + nodePathArg)
	// sqliteExtRe is the file name a config key must have: the same keys
	// name log files and server databases elsewhere.
	sqliteExtRe = regexp.MustCompile(`(?i)\.(?:db|db3|sqlite|sqlite3|s3db|sl3)$`)
)

// sqliteNear is how far from a config key the sqlite dialect is looked
// for: the same object literal, give or take a few keys.
const sqliteNear = 400

// sqliteFilesIn records the folder of each SQLite database a source file
// opens as writable.
func (a *nodeApp) sqliteFilesIn(src string, each func(*regexp.Regexp, matchFunc)) {
	if !strings.Contains(src, "sqlite") {
		return
	}
	each(nodeSQLiteNewRe, func(ev facts.Evidence, sub []string, _ int) {
		env, lit := sub[1], sub[2]
		if sub[3] != "" {
			// new sqlite3.Database(location), location assigned in the file.
			m := regexp.MustCompile(`\b(?:const|let|var)\s+` + regexp.QuoteMeta(sub[3]) + `\s*=\s*` + nodePathArg).FindStringSubmatch(src)
			if m == nil {
				return
			}
			env, lit = m[1], m[2]
			call := strings.TrimRight(ev.Detail, ", )")
			if strings.HasSuffix(ev.Detail, ",") {
				call += ", …"
			}
			ev.Detail = call + ") with " + strings.TrimSpace(m[0])
		}
		a.addSQLiteFile(ev, env, lit)
	})
	each(nodeSQLiteKeyRe, func(ev facts.Evidence, sub []string, at int) {
		lo, hi := max(0, at-sqliteNear), min(len(src), at+sqliteNear)
		if sqliteExtRe.MatchString(sub[2]) && strings.Contains(src[lo:hi], "sqlite") {
			a.addSQLiteFile(ev, sub[1], sub[2])
		}
	})
}

// addSQLiteFile records the folder of a database file the code names,
// optionally through the app's own variable env: below the working
// directory, or at a fixed absolute path (the planner creates that folder
// too, or moves the file into data/ through env).
func (a *nodeApp) addSQLiteFile(ev facts.Evidence, env, lit string) {
	p := nodeRelPath(lit)
	if p == "" && path.IsAbs(lit) && !strings.ContainsAny(lit, ":*{%~") {
		p = path.Clean(lit)
	}
	if p == "" || !strings.Contains(path.Base(p), ".") {
		return
	}
	what := "the SQLite database " + p + " (and its journal, beside it)"
	if path.IsAbs(p) && env != "" {
		what = "the SQLite database " + path.Base(p) + " (and its journal, beside it; its default " + p + " lies outside the app, and " + env + " moves it here)"
	}
	a.det.AddWritable(facts.WrittenFile(p, env, what, ev))
}
