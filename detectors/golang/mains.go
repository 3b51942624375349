package golang

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// mainInfo is one main package and what its code does.
type mainInfo struct {
	pkg   *buildPkg
	value string
	// reach are the build's own packages it imports, itself first, with
	// their scans.
	reach []*buildPkg
	scans []*pkgScan
	// serves is set when it listens for connections or builds a web
	// router; why says where.
	serves bool
	why    *finding
	// framework and fwAt: the web framework it imports.
	framework string
	fwAt      *finding
	// fsys is the repository, for config files read while the port is
	// worked out.
	fsys fs.FS
	// client is set when ranking found it to be a client of the server
	// rather than the server; it says why.
	client *finding
	// sub is the subcommand the start command runs, nil for none;
	// bound are the bind flags its arguments already pass.
	sub   *cliCommand
	bound []string
	// grpc is set when the framework is a gRPC server (grpc.NewServer)
	// rather than an HTTP router.
	grpc bool
	// loopback is the listener of the port whose loopback address no
	// variable sets, with the address as its Detail.
	loopback *finding
	// loopbackLiteral is true when that loopback host is a string
	// literal in the listener's own source text, so surely hard-coded.
	loopbackLiteral bool
}

// mainValue renders a package folder as the go command takes it.
func mainValue(dir string) string {
	if dir == "." {
		return "."
	}
	return "./" + dir
}

// maxAnalysed bounds how many main packages get a full scan to tell
// servers from tools; beyond that they are listed without one.
const maxAnalysed = 40

// exampleDir reports whether a folder is an example or tool collection
// rather than a program to ship (examples/, example/, hack/, tools/).
func exampleDir(dir string) bool {
	for _, el := range strings.Split(dir, "/") {
		switch el {
		case "example", "examples", "hack", "tools", "_tools":
			return true
		}
	}
	return false
}

// chooseMain finds the main packages and picks the one to build: an
// answer (--main) wins, a single main package is taken, and several are
// ranked by rankMains.
func chooseMain(fsys fs.FS, lay *layout, pkgs map[string]*buildPkg, answers facts.Answers, det *facts.Detection) (*mainInfo, error) {
	cands := mainCandidates(pkgs, det)
	an := &analyser{fsys: fsys, lay: lay, pkgs: pkgs, det: det, cache: map[string]*pkgScan{}, parsed: map[string]*parsedPkg{}}
	for _, v := range cands {
		det.Go.Mains = append(det.Go.Mains, mainValue(v.Dir))
	}

	if want, ok := answers["main"]; ok && want != "" {
		p, err := answeredMain(fsys, want, cands, pkgs, lay, det)
		if err != nil {
			return nil, err
		}
		info := an.analyse(p)
		det.Cite("main", p.Main, p.MainLine, "package main, chosen by the answer "+want)
		return info, nil
	}
	switch len(cands) {
	case 0:
		return nil, fmt.Errorf("no package main found in %s: dgen builds a program; add one (e.g. cmd/%s/main.go) or pass --main ./path/to/package", strings.Join(moduleNames(lay), ", "), moduleBase(lay.Modules[0].Path))
	case 1:
		info := an.analyse(cands[0])
		if toolMain(info.pkg) && !listensItself(info) {
			det.AddChoice(toolMainChoice(info, an, pkgs))
		}
		return info, nil
	}

	var infos []*mainInfo
	for i, c := range cands {
		if i < maxAnalysed {
			infos = append(infos, an.analyse(c))
		} else {
			infos = append(infos, &mainInfo{pkg: c, value: mainValue(c.Dir)})
		}
	}
	c := rankMains(infos, lay, buildHints(fsys, cands, lay))
	det.AddChoice(c.choice(infos))
	return c.pick, nil
}

// mainCandidates are the main packages that may be built: not under an
// example or tool folder, and in a folder whose name is safe to write
// into a Dockerfile.
func mainCandidates(pkgs map[string]*buildPkg, det *facts.Detection) []*buildPkg {
	var cands []*buildPkg
	for _, p := range sortedPkgs(pkgs) {
		if p.Main == "" || exampleDir(p.Dir) {
			continue
		}
		if !repo.SafePath(p.Dir) {
			det.Problemf(p.Main, "package main in a folder whose name dgen will not write into a Dockerfile (quotes, $, spaces, backslashes, globs or a leading -); skipped")
			continue
		}
		cands = append(cands, p)
	}
	return cands
}

// analyser scans main packages and what they import, each package once.
type analyser struct {
	fsys  fs.FS
	lay   *layout
	pkgs  map[string]*buildPkg
	det   *facts.Detection
	cache map[string]*pkgScan
	// parsed are the packages parsed so far, by folder.
	parsed map[string]*parsedPkg
}

// analyse scans the packages p reaches and tells whether it serves.
func (an *analyser) analyse(p *buildPkg) *mainInfo {
	info := &mainInfo{pkg: p, value: mainValue(p.Dir), fsys: an.fsys}
	info.reach = reachable(p, an.pkgs, an.lay)
	for _, r := range info.reach {
		an.parse(r)
	}
	for _, r := range info.reach {
		an.link(r)
	}
	for _, r := range info.reach {
		sc, ok := an.cache[r.Dir]
		if !ok {
			sc = scanPackage(an.parse(r), an.depFrameworks(r), an.det)
			an.cache[r.Dir] = sc
		}
		info.scans = append(info.scans, sc)
	}
	info.classify()
	return info
}

// parse parses a package once.
func (an *analyser) parse(p *buildPkg) *parsedPkg {
	if pp, ok := an.parsed[p.Dir]; ok {
		return pp
	}
	pp := parsePackage(an.fsys, p, an.det)
	an.parsed[p.Dir] = pp
	return pp
}

// depFrameworks are the web frameworks imported by the build packages
// p reaches, itself excluded.
func (an *analyser) depFrameworks(p *buildPkg) map[string]bool {
	out := map[string]bool{}
	for _, r := range reachable(p, an.pkgs, an.lay)[1:] {
		for _, imp := range r.Imports {
			if fw := frameworkOf(imp.Path); fw != "" {
				out[fw] = true
			}
		}
	}
	return out
}

// link ties a parsed package's symbol table to those of the build
// packages it imports, so that a value defined in another package
// (config.Port, a default in a config struct) can be followed.
func (an *analyser) link(p *buildPkg) {
	pp := an.parsed[p.Dir]
	for _, imp := range p.Imports {
		if dep, ok := an.parsed[importDir(imp.Path, an.lay)]; ok && dep != pp {
			pp.syms.link(importName(imp.Path), dep.syms)
		}
	}
}

// moduleNames are the build modules' go.mod files, for messages.
func moduleNames(lay *layout) []string {
	var out []string
	for _, m := range lay.Modules {
		out = append(out, m.Name)
	}
	return out
}

// answeredMain finds the package an answer names: a folder ("cmd/api",
// "./cmd/api/"), an import path, or a folder's base name when only one
// candidate has it. A folder dgen's walk skipped (under examples/, say)
// is read directly.
func answeredMain(fsys fs.FS, want string, cands []*buildPkg, pkgs map[string]*buildPkg, lay *layout, det *facts.Detection) (*buildPkg, error) {
	w := answerDir(want, lay)
	if p := pkgs[w]; p != nil && p.Main != "" && repo.SafePath(p.Dir) {
		return p, nil
	}
	var byBase []*buildPkg
	for _, c := range cands {
		if path.Base(c.Dir) == w {
			byBase = append(byBase, c)
		}
	}
	if len(byBase) == 1 {
		return byBase[0], nil
	}
	if p := readSkippedMain(fsys, w, pkgs, lay, det); p != nil {
		return p, nil
	}
	var vals []string
	for _, c := range cands {
		vals = append(vals, mainValue(c.Dir))
	}
	if len(vals) == 0 {
		vals = []string{"none found"}
	}
	return nil, fmt.Errorf("--main %s: no package main there; the main packages are %s", want, strings.Join(vals, ", "))
}

// answerDir turns an answer into a folder relative to the repository:
// an import path of a build module becomes its folder, and "./" and a
// trailing slash are dropped.
func answerDir(want string, lay *layout) string {
	w := strings.TrimSpace(want)
	for _, m := range lay.Modules {
		if w == m.Path || strings.HasPrefix(w, m.Path+"/") {
			w = path.Join(m.Dir, strings.TrimPrefix(strings.TrimPrefix(w, m.Path), "/"))
		}
	}
	return path.Clean(strings.TrimPrefix(strings.TrimSuffix(w, "/"), "./"))
}

// readSkippedMain reads a folder the walk did not index, inside a build
// module, and returns its package when it is a main package.
func readSkippedMain(fsys fs.FS, dir string, pkgs map[string]*buildPkg, lay *layout, det *facts.Detection) *buildPkg {
	if !repo.SafePath(dir) || !repo.IsDir(fsys, dir) || pkgs[dir] != nil {
		return nil
	}
	m := ownerOf(dir, lay)
	if m == nil {
		return nil
	}
	ents, _ := fs.ReadDir(fsys, dir)
	for _, e := range ents {
		if e.Type().IsRegular() && fileOK(e.Name()) {
			scanImports(fsys, path.Join(dir, e.Name()), m, pkgs, det)
		}
	}
	if p := pkgs[dir]; p != nil && p.Main != "" {
		return p
	}
	return nil
}

// ownerOf returns the build module whose folder holds dir.
func ownerOf(dir string, lay *layout) *buildModule {
	var best *buildModule
	depthOf := func(d string) int {
		if d == "." {
			return 0
		}
		return strings.Count(d, "/") + 1
	}
	for _, m := range lay.Modules {
		if m.Dir == "." || dir == m.Dir || strings.HasPrefix(dir, m.Dir+"/") {
			if best == nil || depthOf(m.Dir) > depthOf(best.Dir) {
				best = m
			}
		}
	}
	return best
}

// classify decides whether a main package serves, from its listeners or
// the web framework its packages import.
func (in *mainInfo) classify() {
	for _, r := range in.reach {
		for _, imp := range r.Imports {
			if fw := frameworkOf(imp.Path); fw != "" && in.framework == "" {
				in.framework = fw
				f := finding{File: imp.File, Line: imp.Line, Detail: strconv.Quote(imp.Path)}
				in.fwAt = &f
			}
		}
	}
	if in.framework == "" && (!httpListener(in.scans) || rawListener(in.scans)) {
		// A gRPC server with no listener but the program's HTTP one is
		// mounted on it (h2c, a mux route): the program is an HTTP
		// server that also answers gRPC, and is probed over HTTP.
		for _, sc := range in.scans {
			if sc.GRPCServer != nil {
				in.framework, in.grpc = "grpc", true
				f := *sc.GRPCServer
				in.fwAt = &f
				break
			}
		}
	}
	for _, sc := range in.scans {
		if len(sc.Listeners) > 0 {
			in.serves = true
			f := sc.Listeners[0].finding
			in.why = &f
			return
		}
	}
	if in.framework != "" {
		in.serves = true
		f := *in.fwAt
		f.Detail = in.framework + " router " + f.Detail
		if in.grpc {
			f.Detail = "gRPC server " + f.Detail
		}
		in.why = &f
	}
}
