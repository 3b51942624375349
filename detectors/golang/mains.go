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

// goMainInfo is one main package and what its code does.
type goMainInfo struct {
	pkg   *goPkg
	value string
	// reach are the build's own packages it imports, itself first, with
	// their scans.
	reach []*goPkg
	scans []*goScan
	// serves is set when it listens for connections or builds a web
	// router; why says where.
	serves bool
	why    *goFinding
	// framework and fwAt: the web framework it imports.
	framework string
	fwAt      *goFinding
}

// goMainValue renders a package folder as the go command takes it.
func goMainValue(dir string) string {
	if dir == "." {
		return "."
	}
	return "./" + dir
}

// goMaxAnalysed bounds how many main packages get a full scan to tell
// servers from tools; beyond that they are listed without one.
const goMaxAnalysed = 40

// goExampleDir reports whether a folder is an example or tool collection
// rather than a program to ship (examples/, example/, hack/, tools/).
func goExampleDir(dir string) bool {
	for _, el := range strings.Split(dir, "/") {
		switch el {
		case "example", "examples", "hack", "tools", "_tools":
			return true
		}
	}
	return false
}

// goChooseMain finds the main packages and picks the one to build.
//
// The rule, in order: an answer (--main) wins; a single main package is
// taken; of several, the only one that serves HTTP (or any listener) is
// taken without asking. When several serve, or none does, a candidate
// named like the module (cmd/shop in module …/shop, or the root package)
// is taken, else the one named server; otherwise the user is asked
// (--main). Weaker hints (api, web, app) are not used: cmd/api next to
// cmd/blog is a real choice.
func goChooseMain(fsys fs.FS, lay *goLayout, pkgs map[string]*goPkg, answers facts.Answers, det *facts.Detection) (*goMainInfo, error) {
	cands := goMainCandidates(pkgs, det)
	an := &goAnalyser{fsys: fsys, lay: lay, pkgs: pkgs, det: det, cache: map[string]*goScan{}}
	for _, v := range cands {
		det.Go.Mains = append(det.Go.Mains, goMainValue(v.Dir))
	}

	if want, ok := answers["main"]; ok && want != "" {
		p, err := goAnsweredMain(fsys, want, cands, pkgs, lay, det)
		if err != nil {
			return nil, err
		}
		info := an.analyse(p)
		det.Cite("main", p.Main, p.MainLine, "package main, chosen by the answer "+want)
		return info, nil
	}
	switch len(cands) {
	case 0:
		return nil, fmt.Errorf("no package main found in %s: dgen builds a program; add one (e.g. cmd/%s/main.go) or pass --main ./path/to/package", strings.Join(goModuleNames(lay), ", "), goModuleBase(lay.Modules[0].Path))
	case 1:
		return an.analyse(cands[0]), nil
	}

	var infos []*goMainInfo
	for i, c := range cands {
		if i < goMaxAnalysed {
			infos = append(infos, an.analyse(c))
		} else {
			infos = append(infos, &goMainInfo{pkg: c, value: goMainValue(c.Dir)})
		}
	}
	c := goPickMain(infos, lay)
	det.AddChoice(c.choice(infos))
	return c.pick, nil
}

// goMainCandidates are the main packages that may be built: not under an
// example or tool folder, and in a folder whose name is safe to write
// into a Dockerfile.
func goMainCandidates(pkgs map[string]*goPkg, det *facts.Detection) []*goPkg {
	var cands []*goPkg
	for _, p := range goSortedPkgs(pkgs) {
		if p.Main == "" || goExampleDir(p.Dir) {
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

// goAnalyser scans main packages and what they import, each package once.
type goAnalyser struct {
	fsys  fs.FS
	lay   *goLayout
	pkgs  map[string]*goPkg
	det   *facts.Detection
	cache map[string]*goScan
}

// analyse scans the packages p reaches and tells whether it serves.
func (an *goAnalyser) analyse(p *goPkg) *goMainInfo {
	info := &goMainInfo{pkg: p, value: goMainValue(p.Dir)}
	info.reach = goReachable(p, an.pkgs, an.lay)
	for _, r := range info.reach {
		sc, ok := an.cache[r.Dir]
		if !ok {
			sc = goScanPackage(an.fsys, r, an.det)
			an.cache[r.Dir] = sc
		}
		info.scans = append(info.scans, sc)
	}
	info.classify()
	return info
}

// goMainPick is the main package picked among several, why, and whether
// the pick is safe to take without asking.
type goMainPick struct {
	pick   *goMainInfo
	reason string
	safe   bool
}

// goPickMain applies goChooseMain's rule to several analysed candidates.
func goPickMain(infos []*goMainInfo, lay *goLayout) goMainPick {
	var servers []*goMainInfo
	for _, in := range infos {
		if in.serves {
			servers = append(servers, in)
		}
	}
	if len(servers) == 1 {
		return goMainPick{pick: servers[0], safe: true, reason: fmt.Sprintf("the only one that serves (%s)", servers[0].why.evidence())}
	}
	pool := servers
	what := "several serve"
	if len(servers) == 0 {
		pool, what = infos, "none serves HTTP"
	}
	if p, why := goByName(pool, lay); p != nil {
		return goMainPick{pick: p, safe: true, reason: what + "; " + why}
	}
	return goMainPick{pick: pool[0], reason: what + "; no rule decides, so the first is only a suggestion"}
}

// choice is the question asked (or answered by the pick) with every
// candidate as an option.
func (c goMainPick) choice(infos []*goMainInfo) facts.Choice {
	ch := facts.Choice{
		Key:      "main",
		Question: "Which Go program should the image run?",
		Default:  c.pick.value,
		Safe:     c.safe,
		Reason:   c.reason,
		Flag:     "--main",
	}
	for _, in := range infos {
		label := "no listener found: a CLI or worker"
		if in.serves {
			label = "serves: " + in.why.Detail
		}
		ev := facts.Evidence{File: in.pkg.Main, Line: in.pkg.MainLine, Detail: "package main"}
		ch.Options = append(ch.Options, facts.Option{Value: in.value, Label: label, Evidence: &ev})
	}
	return ch
}

// goByName applies the naming rule of goChooseMain to tied candidates.
func goByName(pool []*goMainInfo, lay *goLayout) (*goMainInfo, string) {
	name := func(in *goMainInfo) string {
		if in.pkg.Dir == in.pkg.Module.Dir {
			return goModuleBase(in.pkg.Module.Path)
		}
		return path.Base(in.pkg.Dir)
	}
	var like []*goMainInfo
	for _, in := range pool {
		if name(in) == goModuleBase(in.pkg.Module.Path) {
			like = append(like, in)
		}
	}
	if len(like) == 1 {
		return like[0], fmt.Sprintf("%s is named like the module %s", like[0].value, like[0].pkg.Module.Path)
	}
	var hit []*goMainInfo
	for _, in := range pool {
		if name(in) == "server" {
			hit = append(hit, in)
		}
	}
	if len(hit) == 1 {
		return hit[0], fmt.Sprintf("%s is named \"server\"", hit[0].value)
	}
	return nil, ""
}

func goModuleNames(lay *goLayout) []string {
	var out []string
	for _, m := range lay.Modules {
		out = append(out, m.Name)
	}
	return out
}

// goAnsweredMain finds the package an answer names: a folder ("cmd/api",
// "./cmd/api/"), an import path, or a folder's base name when only one
// candidate has it. A folder dgen's walk skipped (under examples/, say)
// is read directly.
func goAnsweredMain(fsys fs.FS, want string, cands []*goPkg, pkgs map[string]*goPkg, lay *goLayout, det *facts.Detection) (*goPkg, error) {
	w := goAnswerDir(want, lay)
	if p := pkgs[w]; p != nil && p.Main != "" && repo.SafePath(p.Dir) {
		return p, nil
	}
	var byBase []*goPkg
	for _, c := range cands {
		if path.Base(c.Dir) == w {
			byBase = append(byBase, c)
		}
	}
	if len(byBase) == 1 {
		return byBase[0], nil
	}
	if p := goReadSkippedMain(fsys, w, pkgs, lay, det); p != nil {
		return p, nil
	}
	var vals []string
	for _, c := range cands {
		vals = append(vals, goMainValue(c.Dir))
	}
	if len(vals) == 0 {
		vals = []string{"none found"}
	}
	return nil, fmt.Errorf("--main %s: no package main there; the main packages are %s", want, strings.Join(vals, ", "))
}

// goAnswerDir turns an answer into a folder relative to the repository:
// an import path of a build module becomes its folder, and "./" and a
// trailing slash are dropped.
func goAnswerDir(want string, lay *goLayout) string {
	w := strings.TrimSpace(want)
	for _, m := range lay.Modules {
		if w == m.Path || strings.HasPrefix(w, m.Path+"/") {
			w = path.Join(m.Dir, strings.TrimPrefix(strings.TrimPrefix(w, m.Path), "/"))
		}
	}
	return path.Clean(strings.TrimPrefix(strings.TrimSuffix(w, "/"), "./"))
}

// goReadSkippedMain reads a folder the walk did not index, inside a build
// module, and returns its package when it is a main package.
func goReadSkippedMain(fsys fs.FS, dir string, pkgs map[string]*goPkg, lay *goLayout, det *facts.Detection) *goPkg {
	if !repo.SafePath(dir) || !repo.IsDir(fsys, dir) || pkgs[dir] != nil {
		return nil
	}
	m := goOwnerOf(dir, lay)
	if m == nil {
		return nil
	}
	ents, _ := fs.ReadDir(fsys, dir)
	for _, e := range ents {
		if e.Type().IsRegular() && goFileOK(e.Name()) {
			goScanImports(fsys, path.Join(dir, e.Name()), m, pkgs, det)
		}
	}
	if p := pkgs[dir]; p != nil && p.Main != "" {
		return p
	}
	return nil
}

// goOwnerOf returns the build module whose folder holds dir.
func goOwnerOf(dir string, lay *goLayout) *goModule {
	var best *goModule
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
func (in *goMainInfo) classify() {
	for _, r := range in.reach {
		for _, imp := range r.Imports {
			if fw := goFramework(imp.Path); fw != "" && in.framework == "" {
				in.framework = fw
				f := goFinding{File: imp.File, Line: imp.Line, Detail: strconv.Quote(imp.Path)}
				in.fwAt = &f
			}
		}
	}
	for _, sc := range in.scans {
		if len(sc.Listeners) > 0 {
			in.serves = true
			f := sc.Listeners[0].goFinding
			in.why = &f
			return
		}
	}
	if in.framework != "" {
		in.serves = true
		f := *in.fwAt
		f.Detail = in.framework + " router " + f.Detail
		in.why = &f
	}
}
