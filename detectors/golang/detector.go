// Package golang detects Go services: go.mod or go.work (read with
// golang.org/x/mod/modfile), the main package to build, its port, health
// route, cgo needs and the files it reads at run time.
package golang

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// Detector reads Go repositories: go.mod (or go.work), the main
// packages, and the source of the one that is built.
type Detector struct{}

// Name implements Detector.
func (Detector) Name() string { return facts.LangGo }

// Markers implements Detector.
func (Detector) Markers(fsys fs.FS) []string {
	var m []string
	for _, f := range []string{"go.mod", "go.work"} {
		if repo.IsFile(fsys, f) {
			m = append(m, f)
		}
	}
	if len(m) == 0 {
		// A GOPATH-mode project is claimed so that Detect can say what
		// it is, rather than "no project found".
		if marker, main := gopathProject(fsys); marker != "" {
			m = append(m, main, marker)
		}
	}
	return m
}

// Detect implements Detector.
func (d Detector) Detect(fsys fs.FS, answers facts.Answers) (*facts.Detection, error) {
	det := &facts.Detection{Language: facts.LangGo, PackageManager: "gomod", Go: &facts.GoFacts{}}
	g := det.Go
	if marker, main := gopathProject(fsys); marker != "" {
		err := gopathError(fsys, marker, main)
		det.Problemf(main, "%v", err)
		return det, err
	}
	lay, err := readLayout(fsys, det)
	if err != nil {
		file := "go.mod"
		if repo.IsFile(fsys, "go.work") {
			file = "go.work"
		}
		det.Problemf(file, "%v", err)
		return det, err
	}
	g.Workspace = lay.Work != nil
	for _, m := range lay.Modules {
		g.ModuleDirs = append(g.ModuleDirs, m.Dir)
	}
	if lay.Version != "" {
		det.LanguageVersion = lay.Version
		det.Cite("languageVersion", lay.VersionFrom.File, lay.VersionFrom.Line, lay.VersionFrom.Detail)
	}
	g.MinVersion, g.MinVersionFrom = goLineMinimum(lay)
	pmFile := "go.mod"
	if g.Workspace {
		pmFile = "go.work"
	}
	det.Cite("packageManager", pmFile, 0, "Go modules")
	g.Vendor = goVendor(fsys, lay, det)

	pkgs := indexPackages(fsys, lay, det)
	main, err := chooseMain(fsys, lay, pkgs, answers, det)
	if err != nil {
		return det, err
	}
	g.Module, g.ModuleDir = main.pkg.Module.Path, main.pkg.Module.Dir
	g.Main = main.value
	g.HasGoSum = repo.IsFile(fsys, path.Join(g.ModuleDir, "go.sum"))
	goCheckGoSum(fsys, lay, det)
	g.Binary = binaryName(main.pkg, lay)
	if _, answered := det.Evidence["main"]; !answered {
		det.Cite("main", main.pkg.Main, main.pkg.MainLine, "package main")
	}

	args := d.startArgs(fsys, main, det)
	webArgs, err := d.web(fsys, main, det)
	if err != nil {
		return det, err
	}
	args = append(args, webArgs...)
	copyLoadedConfig(main, det)
	d.cgo(fsys, lay, main, det)
	missing, covered := d.frontendInputs(fsys, main, det)
	d.assets(fsys, main, det, covered)
	d.generation(fsys, main, missing, det)
	d.runtimeFiles(fsys, main, det)
	requiredEnv(fsys, lay, main, args, det)
	if !g.Vendor {
		g.GoPrivate = goPrivate(fsys, det)
	}

	det.Build = goBuildCommand(g.CGO, g.Vendor, g.Binary, g.Main)
	det.Cite("build", main.pkg.Main, main.pkg.MainLine, "go build "+g.Main)
	det.Start = append([]string{"/usr/local/bin/" + g.Binary}, args...)
	if _, ok := det.Evidence["start"]; !ok {
		det.Cite("start", main.pkg.Main, main.pkg.MainLine, "the binary built from "+g.Main)
	}
	return det, nil
}

// goBuildCommand is the exact build command for a main package: a static,
// reproducible (-trimpath) binary without debug symbols (-s -w) written to
// /out/<binary>. The generator writes the same command into the
// Dockerfile.
func goBuildCommand(cgo, vendor bool, binary, main string) string {
	env := "CGO_ENABLED=0"
	if cgo {
		env = "CGO_ENABLED=1"
	}
	mod := ""
	if vendor {
		mod = " -mod=vendor"
	}
	return fmt.Sprintf(`%s go build%s -trimpath -ldflags="-s -w" -o /out/%s %s`, env, mod, binary, main)
}

// goCheckGoSum records a module that requires others but has no go.sum:
// the go command refuses to build it ("missing go.sum entry").
func goCheckGoSum(fsys fs.FS, lay *layout, det *facts.Detection) {
	for _, m := range lay.Modules {
		if len(m.File.Require) == 0 || det.Go.Vendor {
			continue
		}
		sum := path.Join(m.Dir, "go.sum")
		if !repo.IsFile(fsys, sum) {
			det.Problemf(m.Name, "requires %d modules but %s is missing, so `go build` will stop with \"missing go.sum entry\": run go mod tidy and commit go.sum", len(m.File.Require), sum)
		}
	}
}

// binaryName names the executable: the main folder's name, or the
// module's for a root package or a main right in cmd/ (cmd/main.go),
// cut to characters that are safe anywhere.
func binaryName(p *buildPkg, lay *layout) string {
	n := path.Base(p.Dir)
	if p.Dir == p.Module.Dir || n == "cmd" {
		n = moduleBase(p.Module.Path)
	}
	n = strings.Map(func(r rune) rune {
		if r == '.' || r == '_' || r == '-' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') {
			return r
		}
		return -1
	}, n)
	n = strings.TrimLeft(n, ".-")
	if n == "" {
		n = "app"
	}
	return n
}
