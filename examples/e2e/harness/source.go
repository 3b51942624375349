package harness

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/moby/patternmatcher"
)

// sourceExts are the files the rebuild test may edit, by language, with
// the comment syntax appended to them.
var sourceExts = map[string]string{
	".go": "//", ".py": "#", ".js": "//", ".mjs": "//", ".cjs": "//",
	".ts": "//", ".mts": "//", ".tsx": "//", ".jsx": "//", ".vue": "<!--", ".svelte": "<!--",
}

// skippedDirs hold no application source.
var skippedDirs = map[string]bool{
	".git": true, "node_modules": true, "vendor": true, "testdata": true,
	"test": true, "tests": true, "__tests__": true, "dist": true, "build": true,
	".venv": true, "venv": true, "__pycache__": true, ".next": true, "coverage": true,
}

// preferred are the names of entry files, best first: editing one is the
// most ordinary change a developer makes.
var preferred = []string{
	"main.go", "app.py", "main.py", "manage.py", "server.js", "index.js", "app.js",
	"server.ts", "index.ts", "main.ts", "main.tsx", "main.jsx", "App.tsx", "App.jsx",
}

func isTestFile(name string) bool {
	base := path.Base(name)
	return strings.HasSuffix(base, "_test.go") || strings.HasPrefix(base, "test_") ||
		strings.HasSuffix(base, "_test.py") || base == "conftest.py" ||
		strings.Contains(base, ".test.") || strings.Contains(base, ".spec.") ||
		strings.HasSuffix(base, ".config.js") || strings.HasSuffix(base, ".config.ts") ||
		strings.HasSuffix(base, ".config.mjs")
}

// ReadIgnore reads .dockerignore patterns (comments and blank lines
// dropped), as the build does.
func ReadIgnore(data []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// PickSourceFile chooses the file the rebuild test edits: a source file of
// the app (not a test, not a config file) that the .dockerignore patterns
// let into the build context, preferring entry files (main.go, app.py,
// server.js…), then files nearest the root.
func PickSourceFile(fsys fs.FS, ignore []string) (string, error) {
	pm, err := patternmatcher.New(ignore)
	if err != nil {
		return "", fmt.Errorf("read .dockerignore: %w", err)
	}
	var found []string
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && (skippedDirs[d.Name()] || strings.HasPrefix(d.Name(), ".")) {
				return fs.SkipDir
			}
			return nil
		}
		if _, ok := sourceExts[path.Ext(p)]; !ok || isTestFile(p) || !d.Type().IsRegular() {
			return nil
		}
		if ok, err := pm.MatchesOrParentMatches(p); err != nil || ok {
			return err
		}
		found = append(found, p)
		return nil
	})
	if err != nil {
		return "", err
	}
	if len(found) == 0 {
		return "", fmt.Errorf("no source file that the .dockerignore lets into the build")
	}
	rank := func(p string) int {
		for i, n := range preferred {
			if path.Base(p) == n {
				return i
			}
		}
		return len(preferred)
	}
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if da, db := strings.Count(a, "/"), strings.Count(b, "/"); da != db {
			return da < db
		}
		return a < b
	})
	return found[0], nil
}

// EditComment is the line the rebuild test appends to file: a comment in
// the file's own syntax, so the app behaves the same.
func EditComment(file string) string {
	switch c := sourceExts[path.Ext(file)]; c {
	case "<!--":
		return "\n<!-- dgen e2e: one-file change -->\n"
	case "":
		return ""
	default:
		return "\n" + c + " dgen e2e: one-file change\n"
	}
}
