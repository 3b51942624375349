// Package golang detects Go services: go.mod or go.work (read with
// golang.org/x/mod/modfile), the main package to build, its port, health
// route, cgo needs and the files it reads at run time.
package golang

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
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
	return m
}

// Detect implements Detector.
func (d Detector) Detect(fsys fs.FS, answers facts.Answers) (*facts.Detection, error) {
	det := &facts.Detection{Language: facts.LangGo, PackageManager: "gomod", Go: &facts.GoFacts{}}
	g := det.Go
	lay, err := goReadGoLayout(fsys, det)
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
	pmFile := "go.mod"
	if g.Workspace {
		pmFile = "go.work"
	}
	det.Cite("packageManager", pmFile, 0, "Go modules")
	if repo.IsFile(fsys, "vendor/modules.txt") {
		g.Vendor = true
		det.Cite("vendor", "vendor/modules.txt", 0, "vendored dependencies: the build uses -mod=vendor and downloads nothing")
	}

	pkgs := goIndexPackages(fsys, lay, det)
	main, err := goChooseMain(fsys, lay, pkgs, answers, det)
	if err != nil {
		return det, err
	}
	g.Module, g.ModuleDir = main.pkg.Module.Path, main.pkg.Module.Dir
	g.Main = main.value
	g.HasGoSum = repo.IsFile(fsys, path.Join(g.ModuleDir, "go.sum"))
	goCheckGoSum(fsys, lay, det)
	g.Binary = goBinaryName(main.pkg, lay)
	if _, answered := det.Evidence["main"]; !answered {
		det.Cite("main", main.pkg.Main, main.pkg.MainLine, "package main")
	}

	d.web(main, det)
	d.cgo(lay, main, det)
	d.assets(fsys, main, det)
	if !g.Vendor {
		g.GoPrivate = goPrivate(fsys, det)
	}

	det.Build = goBuildCommand(g.CGO, g.Vendor, g.Binary, g.Main)
	det.Cite("build", main.pkg.Main, main.pkg.MainLine, "go build "+g.Main)
	det.Start = []string{"/usr/local/bin/" + g.Binary}
	det.Cite("start", main.pkg.Main, main.pkg.MainLine, "the binary built from "+g.Main)
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
func goCheckGoSum(fsys fs.FS, lay *goLayout, det *facts.Detection) {
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
	cache := map[string]*goScan{}
	analyse := func(p *goPkg) *goMainInfo {
		info := &goMainInfo{pkg: p, value: goMainValue(p.Dir)}
		info.reach = goReachable(p, pkgs, lay)
		for _, r := range info.reach {
			sc, ok := cache[r.Dir]
			if !ok {
				sc = goScanPackage(fsys, r, det)
				cache[r.Dir] = sc
			}
			info.scans = append(info.scans, sc)
		}
		info.classify()
		return info
	}
	for _, v := range cands {
		det.Go.Mains = append(det.Go.Mains, goMainValue(v.Dir))
	}

	if want, ok := answers["main"]; ok && want != "" {
		p, err := goAnsweredMain(fsys, want, cands, pkgs, lay, det)
		if err != nil {
			return nil, err
		}
		info := analyse(p)
		det.Cite("main", p.Main, p.MainLine, "package main, chosen by the answer "+want)
		return info, nil
	}
	switch len(cands) {
	case 0:
		return nil, fmt.Errorf("no package main found in %s: dgen builds a program; add one (e.g. cmd/%s/main.go) or pass --main ./path/to/package", strings.Join(goModuleNames(lay), ", "), goModuleBase(lay.Modules[0].Path))
	case 1:
		return analyse(cands[0]), nil
	}

	var infos []*goMainInfo
	for i, c := range cands {
		if i < goMaxAnalysed {
			infos = append(infos, analyse(c))
		} else {
			infos = append(infos, &goMainInfo{pkg: c, value: goMainValue(c.Dir)})
		}
	}
	var servers []*goMainInfo
	for _, in := range infos {
		if in.serves {
			servers = append(servers, in)
		}
	}
	pick, reason, safe := (*goMainInfo)(nil), "", false
	switch {
	case len(servers) == 1:
		pick, safe = servers[0], true
		reason = fmt.Sprintf("the only one that serves (%s)", servers[0].why.evidence())
	default:
		pool := servers
		what := "several serve"
		if len(servers) == 0 {
			pool, what = infos, "none serves HTTP"
		}
		if p, why := goByName(pool, lay); p != nil {
			pick, safe, reason = p, true, what+"; "+why
		} else {
			pick, reason = pool[0], what+"; no rule decides, so the first is only a suggestion"
		}
	}
	c := facts.Choice{
		Key:      "main",
		Question: "Which Go program should the image run?",
		Default:  pick.value,
		Safe:     safe,
		Reason:   reason,
		Flag:     "--main",
	}
	for _, in := range infos {
		label := "no listener found: a CLI or worker"
		if in.serves {
			label = "serves: " + in.why.Detail
		}
		ev := facts.Evidence{File: in.pkg.Main, Line: in.pkg.MainLine, Detail: "package main"}
		c.Options = append(c.Options, facts.Option{Value: in.value, Label: label, Evidence: &ev})
	}
	det.AddChoice(c)
	return pick, nil
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
	w := strings.TrimSpace(want)
	for _, m := range lay.Modules {
		if w == m.Path || strings.HasPrefix(w, m.Path+"/") {
			w = path.Join(m.Dir, strings.TrimPrefix(strings.TrimPrefix(w, m.Path), "/"))
		}
	}
	w = path.Clean(strings.TrimPrefix(strings.TrimSuffix(w, "/"), "./"))
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
	if repo.SafePath(w) && repo.IsDir(fsys, w) && pkgs[w] == nil {
		if m := goOwnerOf(w, lay); m != nil {
			ents, _ := fs.ReadDir(fsys, w)
			for _, e := range ents {
				if e.Type().IsRegular() && goFileOK(e.Name()) {
					goScanImports(fsys, path.Join(w, e.Name()), m, pkgs, det)
				}
			}
			if p := pkgs[w]; p != nil && p.Main != "" {
				return p, nil
			}
		}
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

// goBinaryName names the executable: the main folder's name, or the
// module's for a root package, cut to characters that are safe anywhere.
func goBinaryName(p *goPkg, lay *goLayout) string {
	n := path.Base(p.Dir)
	if p.Dir == p.Module.Dir {
		n = goModuleBase(p.Module.Path)
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

// goHealthPaths are the paths taken as a health endpoint, best first:
// liveness before readiness, since a readiness check that fails while a
// database is down would mark a healthy process unhealthy.
var goHealthPaths = []string{"/healthz", "/livez", "/health", "/ping", "/readyz", "/ready", "/status"}

// web fills framework, port, worker and health path from the chosen main
// package's code.
func (Detector) web(in *goMainInfo, det *facts.Detection) {
	if in.framework != "" {
		det.Framework = in.framework
		det.Cite("framework", in.fwAt.File, in.fwAt.Line, "imports "+in.fwAt.Detail)
	} else if in.serves {
		if imp := goFirstImport(in.reach, "net/http"); imp != nil {
			det.Cite("framework", imp.File, imp.Line, `"net/http" (standard library, no framework)`)
		}
	}
	if !in.serves {
		det.Worker = true
		det.Cite("port", in.pkg.Main, in.pkg.MainLine, "no listener (ListenAndServe, net.Listen, gin Run, echo Start, fiber Listen) and no web framework in "+in.value+" or the packages it imports: a worker")
		return
	}
	port, env, ev := goPort(in, det)
	det.Port = port
	det.Go.PortEnv = env
	det.Cite("port", ev.File, ev.Line, ev.Detail)

	var best *goRoute
	rank := func(p string) int {
		for i, h := range goHealthPaths {
			if p == h {
				return i
			}
		}
		return -1
	}
	for _, sc := range in.scans {
		for i := range sc.Routes {
			r := &sc.Routes[i]
			if k := rank(r.Path); k >= 0 && (best == nil || k < rank(best.Path)) {
				best = r
			}
		}
	}
	if best != nil {
		det.HealthPath = best.Path
		det.Cite("healthPath", best.File, best.Line, best.Detail)
	}
}

// goPort works out the port: the first listener whose address resolves
// (the main package's own files first), else an environment variable or
// flag named like a port with its default, else 8080. env is the
// variable that holds a bare port number, for the image to set.
func goPort(in *goMainInfo, det *facts.Detection) (port int, env string, ev facts.Evidence) {
	envOf := func(v goValue) string {
		if v.Env == "" {
			return ""
		}
		if v.HasFallback {
			if _, err := strconv.Atoi(v.EnvFallback); err == nil {
				return v.Env
			}
			return ""
		}
		if strings.HasSuffix(v.Env, "PORT") {
			return v.Env
		}
		return ""
	}
	var addrs []goListener
	for _, sc := range in.scans {
		addrs = append(addrs, sc.Addrs...)
	}
	var unresolvedEnv *goListener
	var others []string
	for _, sc := range in.scans {
		for _, l := range sc.Listeners {
			a, at := l.Addr, l.goFinding
			if !a.Known && a.Env == "" && l.DefaultPort == 0 && len(addrs) > 0 {
				a, at = addrs[0].Addr, addrs[0].goFinding
			}
			p, host, ok := goPortOf(a.S)
			switch {
			case a.Known && ok:
				if port == 0 {
					port, env = p, envOf(a)
					ev = facts.Evidence{File: at.File, Line: at.Line, Detail: at.Detail}
					if !strings.Contains(at.Detail, strconv.Quote(a.S)) || a.Env != "" {
						ev.Detail += " (" + a.describe() + ")"
					}
					if host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1" {
						det.Problemf(at.File, "line %d: listens on %s, which nothing outside the container can reach: listen on :%d (all interfaces)", at.Line, a.S, p)
					}
				} else if p != port {
					others = append(others, fmt.Sprintf("%d (%s:%d)", p, at.File, at.Line))
				}
			case l.DefaultPort != 0 && port == 0:
				port, env = l.DefaultPort, l.DefaultEnv
				ev = facts.Evidence{File: at.File, Line: at.Line, Detail: fmt.Sprintf("%s (without an address it listens on $%s, else :%d)", at.Detail, l.DefaultEnv, l.DefaultPort)}
			case a.Env != "" && unresolvedEnv == nil:
				ll := l
				ll.Addr = a
				unresolvedEnv = &ll
			}
		}
	}
	if len(others) > 0 {
		det.Notef("the program also listens on %s; the image exposes and checks %d only", strings.Join(others, ", "), port)
	}
	if port != 0 {
		return port, env, ev
	}
	var envs, flags []goListener
	for _, sc := range in.scans {
		envs = append(envs, sc.EnvPorts...)
		flags = append(flags, sc.FlagPorts...)
	}
	for _, group := range [][]goListener{envs, flags} {
		for _, l := range group {
			if p, _, ok := goPortOf(l.Addr.S); ok && l.Addr.Known {
				return p, envOf(l.Addr), facts.Evidence{File: l.File, Line: l.Line, Detail: l.Detail + " (" + l.Addr.describe() + ")"}
			}
		}
	}
	if unresolvedEnv != nil {
		e := envOf(unresolvedEnv.Addr)
		return 8080, e, facts.Evidence{File: unresolvedEnv.File, Line: unresolvedEnv.Line,
			Detail: fmt.Sprintf("%s reads $%s with no default; default 8080, which the image sets", unresolvedEnv.Detail, unresolvedEnv.Addr.Env)}
	}
	if in.why != nil {
		return 8080, "", facts.Evidence{File: in.why.File, Line: in.why.Line, Detail: in.why.Detail + "; no port literal found, so the default 8080"}
	}
	return 8080, "", facts.Evidence{File: in.pkg.Main, Detail: "no port literal found, so the default 8080"}
}

// goFirstImport returns the first import of p among pkgs, or nil.
func goFirstImport(pkgs []*goPkg, p string) *goImport {
	for _, r := range pkgs {
		for i := range r.Imports {
			if r.Imports[i].Path == p {
				return &r.Imports[i]
			}
		}
	}
	return nil
}

// CGOModule is a dependency that needs cgo.
type CGOModule struct {
	// Path is the module path (any /vN major version matches), or, with
	// Import set, an import path whose use alone needs cgo.
	Path   string
	Import bool
	// Why is told to the user.
	Why string
}

// CGOModules are the dependencies known to need cgo. The generator maps
// each to the Debian packages its build and runtime need. modernc.org/sqlite
// is deliberately absent: it is SQLite translated to pure Go.
var CGOModules = []CGOModule{
	{Path: "github.com/mattn/go-sqlite3", Why: "binds the SQLite C library; built with CGO_ENABLED=0 it compiles but fails at run time"},
	{Path: "github.com/confluentinc/confluent-kafka-go", Why: "wraps librdkafka through cgo"},
	{Path: "gopkg.in/gographics/imagick.v3", Why: "binds ImageMagick 7's MagickWand"},
	{Path: "gopkg.in/gographics/imagick.v2", Why: "binds ImageMagick 6's MagickWand"},
	{Path: "github.com/h2non/bimg", Why: "binds libvips"},
	{Path: "github.com/davidbyttow/govips", Why: "binds libvips"},
	{Path: "github.com/tecbot/gorocksdb", Why: "binds RocksDB"},
	{Path: "github.com/linxGnu/grocksdb", Why: "binds RocksDB"},
	{Path: "github.com/pebbe/zmq4", Why: "binds libzmq"},
	{Path: "github.com/proglottis/gpgme", Why: "binds GPGME"},
	{Path: "github.com/miekg/pkcs11", Why: "loads PKCS#11 modules through cgo"},
	{Path: "github.com/google/gopacket/pcap", Import: true, Why: "binds libpcap"},
	{Path: "github.com/gopacket/gopacket/pcap", Import: true, Why: "binds libpcap"},
}

// cgo decides whether the build needs cgo.
func (Detector) cgo(lay *goLayout, in *goMainInfo, det *facts.Detection) {
	g := det.Go
	for _, r := range in.reach {
		for _, imp := range r.Imports {
			if imp.Path == "C" && !g.CGO {
				g.CGO = true
				det.Cite("cgo", imp.File, imp.Line, `import "C": the program's own code calls C`)
			}
			for _, c := range CGOModules {
				if c.Import && (imp.Path == c.Path || strings.HasPrefix(imp.Path, c.Path+"/")) && !goContains(g.CGOModules, c.Path) {
					g.CGOModules = append(g.CGOModules, c.Path)
					if !g.CGO {
						g.CGO = true
						det.Cite("cgo", imp.File, imp.Line, fmt.Sprintf("imports %s, which %s", imp.Path, c.Why))
					}
				}
			}
		}
	}
	pure := ""
	var pureAt goRequire
	for _, req := range lay.requires() {
		if req.Path == "modernc.org/sqlite" {
			pure, pureAt = req.Path, req
		}
		for _, c := range CGOModules {
			if c.Import || !goModulePathMatches(req.Path, c.Path) || goContains(g.CGOModules, c.Path) {
				continue
			}
			g.CGOModules = append(g.CGOModules, c.Path)
			if !g.CGO {
				g.CGO = true
				ind := ""
				if req.Indirect {
					ind = " (indirect)"
				}
				det.Cite("cgo", req.File, req.Line, fmt.Sprintf("requires %s%s, which %s", req.Path, ind, c.Why))
			}
		}
	}
	if !g.CGO {
		if pure != "" {
			det.Cite("cgo", pureAt.File, pureAt.Line, "requires modernc.org/sqlite, which is pure Go: a static build with CGO_ENABLED=0 works")
		} else {
			det.Cite("cgo", in.pkg.Main, 0, `no import "C" and no dependency known to need cgo: a static build with CGO_ENABLED=0`)
		}
	}
	sort.Strings(g.CGOModules)
}

func goContains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// assets finds folders under the module that the program reads from disk:
// a folder named like an asset root (templates, static, migrations, web,
// public, assets, views) that exists, is named by a path literal in the
// program's packages, and is not //go:embed'ed.
func (Detector) assets(fsys fs.FS, in *goMainInfo, det *facts.Detection) {
	mod := in.pkg.Module.Dir
	var embeds []string
	for _, sc := range in.scans {
		embeds = append(embeds, sc.Embeds...)
	}
	embedded := func(repoPath string) bool {
		for _, e := range embeds {
			if e != mod && (repoPath == e || strings.HasPrefix(repoPath, e+"/")) {
				return true
			}
		}
		return false
	}
	found := map[string]goPathLit{}
	for _, root := range slices.Sorted(maps.Keys(goAssetRoots)) {
		for _, sc := range in.scans {
			for _, lit := range sc.Paths[root] {
				rel := goExistingDir(fsys, mod, lit.Path)
				if rel == "" {
					continue
				}
				if embedded(path.Join(mod, rel)) {
					continue
				}
				if !repo.SafePath(path.Join(mod, rel)) {
					det.Problemf(lit.File, "line %d: the program reads %s from disk, but dgen will not write that folder name into a Dockerfile; copy it yourself", lit.Line, rel)
					continue
				}
				if _, ok := found[rel]; !ok {
					found[rel] = lit
				}
			}
		}
	}
	// Keep only outermost folders: web covers web/templates.
	for _, rel := range slices.Sorted(maps.Keys(found)) {
		covered := false
		for other := range found {
			if other != rel && strings.HasPrefix(rel, other+"/") {
				covered = true
			}
		}
		if covered {
			continue
		}
		lit := found[rel]
		det.Go.Assets = append(det.Go.Assets, rel)
		det.Cite("asset:"+rel, lit.File, lit.Line, lit.Detail+" is read from disk at run time (not //go:embed), so "+rel+"/ is copied into the image")
	}
}

// goExistingDir returns the deepest existing folder named by a literal path
// below mod ("templates/*.html" → "templates"), relative to mod, or "".
func goExistingDir(fsys fs.FS, mod, lit string) string {
	parts := strings.Split(path.Clean(lit), "/")
	best := ""
	for i := range parts {
		if strings.ContainsAny(parts[i], "*?[{%") {
			break
		}
		rel := strings.Join(parts[:i+1], "/")
		if repo.IsDir(fsys, path.Join(mod, rel)) {
			best = rel
		} else {
			break
		}
	}
	return best
}

// goPrivateRE finds a GOPRIVATE setting in a Makefile, CI file or shell
// env file: GOPRIVATE=…, GOPRIVATE: …, go env -w GOPRIVATE=….
var goPrivateRE = regexp.MustCompile(`\bGOPRIVATE\s*[:=]\s*["']?([^\s"'#$]+)`)

// goPrivatePattern is what a GOPRIVATE value may hold: comma-separated
// module path globs.
var goPrivatePattern = regexp.MustCompile(`^[A-Za-z0-9._\-/*?,]+$`)

// goPrivate reads the GOPRIVATE setting from the repository's own tooling
// (Makefile, .envrc, go.env, CI workflows), so the image fetches private
// modules the same way. Credentials are never read: the Dockerfile mounts
// a netrc secret that the user passes at build time.
func goPrivate(fsys fs.FS, det *facts.Detection) string {
	files := []string{"go.env", "Makefile", "makefile", "GNUmakefile", ".envrc", "Taskfile.yml", "justfile", ".gitlab-ci.yml"}
	if ents, err := fs.ReadDir(fsys, ".github/workflows"); err == nil {
		for i, e := range ents {
			if i >= 50 {
				break
			}
			if n := e.Name(); e.Type().IsRegular() && (strings.HasSuffix(n, ".yml") || strings.HasSuffix(n, ".yaml")) {
				files = append(files, ".github/workflows/"+n)
			}
		}
	}
	for _, f := range files {
		data, err := repo.ReadPrefix(fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		var val string
		repo.Lines(data, func(n int, line string) bool {
			m := goPrivateRE.FindStringSubmatch(line)
			if m == nil {
				return true
			}
			if !goPrivatePattern.MatchString(m[1]) {
				det.Problemf(f, "line %d: GOPRIVATE value %q is not a list of module path patterns; ignored", n, m[1])
				return true
			}
			val = m[1]
			det.Cite("goPrivate", f, n, strings.TrimSpace(line))
			return false
		})
		if val != "" {
			return val
		}
	}
	return ""
}
