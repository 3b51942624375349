package golang

import (
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
)

// gopathMarkers are the files and folders of pre-modules dependency
// tools: a top-level package main next to one of them, with no go.mod,
// is a project built in GOPATH mode.
var gopathMarkers = []string{"vendor", "Godeps", "glide.yaml", "Gopkg.toml", "vendor.conf"}

// gopathProject returns the marker and the top-level main file of a
// GOPATH-mode project, or "" when fsys is not one (it has a go.mod or
// go.work, or no top-level package main, or none of the markers).
func gopathProject(fsys fs.FS) (marker, mainFile string) {
	if repo.IsFile(fsys, "go.mod") || repo.IsFile(fsys, "go.work") {
		return "", ""
	}
	for _, m := range gopathMarkers {
		if repo.IsFile(fsys, m) || repo.IsDir(fsys, m) {
			marker = m
			break
		}
	}
	if marker == "" {
		return "", ""
	}
	ents, err := repo.ReadDir(fsys, ".")
	if err != nil {
		return "", ""
	}
	for _, e := range ents {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		if name, _ := packageClause(fsys, n); name == "main" {
			return marker, n
		}
	}
	return "", ""
}

// packageClause reads a file's package name and its canonical import
// comment (package main // import "github.com/x/y").
func packageClause(fsys fs.FS, file string) (name, importPath string) {
	src, err := repo.ReadPrefix(fsys, file, repo.MaxSourceSize)
	if err != nil {
		return "", ""
	}
	f, err := parser.ParseFile(token.NewFileSet(), file, src, parser.PackageClauseOnly|parser.ParseComments)
	if err != nil {
		return "", ""
	}
	line := string(src)
	if i := strings.Index(line, "package "+f.Name.Name); i >= 0 {
		line = line[i:]
		if j := strings.IndexByte(line, '\n'); j >= 0 {
			line = line[:j]
		}
		if m := importComment.FindStringSubmatch(line); m != nil {
			importPath, _ = strconv.Unquote(m[1])
		}
	}
	return f.Name.Name, importPath
}

// importComment matches a canonical import comment's path.
var importComment = regexp.MustCompile(`//\s*import\s+("[^"]+")`)

// gopathImportPath is the project's import path: the main file's
// canonical import comment, else Godeps.json's ImportPath, glide.yaml's
// package or govendor's rootPath; "" when none says.
func gopathImportPath(fsys fs.FS, mainFile string) (string, string) {
	if _, p := packageClause(fsys, mainFile); p != "" {
		return p, "the canonical import comment in " + mainFile
	}
	for _, src := range []struct{ file, key string }{{"Godeps/Godeps.json", "ImportPath"}, {"vendor/vendor.json", "rootPath"}} {
		data, err := repo.ReadPrefix(fsys, src.file, maxHintFile)
		if err != nil {
			continue
		}
		var v map[string]any
		if json.Unmarshal(data, &v) == nil {
			if s, ok := v[src.key].(string); ok && s != "" {
				return s, src.file
			}
		}
	}
	if data, err := repo.ReadPrefix(fsys, "glide.yaml", maxHintFile); err == nil {
		if m := glidePackage.FindSubmatch(data); m != nil {
			return string(m[1]), "glide.yaml"
		}
	}
	return "", ""
}

// glidePackage matches glide.yaml's top-level package line.
var glidePackage = regexp.MustCompile(`(?m)^package:\s*["']?([^\s"']+)`)

// gopathError is the advice for a GOPATH-mode project: dgen builds Go
// modules, so the repository needs a go.mod first.
func gopathError(fsys fs.FS, marker, mainFile string) error {
	imp, from := gopathImportPath(fsys, mainFile)
	init := "go mod init <import path>"
	if imp != "" {
		init = "go mod init " + imp
		from = " (the import path from " + from + ")"
	} else {
		from = " (the import path the project is fetched by, e.g. github.com/owner/repo)"
	}
	if repo.IsDir(fsys, marker) {
		marker += "/"
	}
	return fmt.Errorf("%s is package main and %s is at the top, but there is no go.mod: this is a Go project built in GOPATH mode, before modules, and dgen builds Go modules only. Run `%s`%s and `go mod tidy` in the repository, commit go.mod and go.sum, then run dgen again", mainFile, marker, init, from)
}
