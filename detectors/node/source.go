package node

import (
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// testDir reports whether dir holds tests, mocks or fixtures, whose
// servers and ports are not the app's.
func testDir(dir string) bool {
	for _, c := range strings.Split(dir, "/") {
		switch c {
		case "test", "tests", "__tests__", "__mocks__", "e2e", "cypress", "fixtures", "__fixtures__", "spec":
			return true
		}
	}
	return false
}

// sourceFiles lists the app's JavaScript and TypeScript sources (tests
// left out), the start file first; bounded by Walk's limits and 400 files.
func (a *nodeApp) sourceFiles() []string {
	if a.sources != nil {
		return a.sources
	}
	first := ""
	if s := a.det.Start; len(s) >= 2 {
		first = strings.TrimPrefix(s[len(s)-1], "./")
	}
	a.sources = scanSources(a.fsys, first)
	return a.sources
}

// scanSources lists the JavaScript and TypeScript sources of fsys (tests,
// type declarations and config files left out), first first; never nil.
func scanSources(fsys fs.FS, first string) []string {
	files := []string{}
	_ = repo.Walk(fsys, ".", func(p string, d fs.DirEntry) error {
		switch path.Ext(p) {
		case ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx":
		default:
			return nil
		}
		base := path.Base(p)
		if strings.Contains(base, ".test.") || strings.Contains(base, ".spec.") || testDir(path.Dir(p)) ||
			strings.HasSuffix(base, ".d.ts") || strings.HasSuffix(base, ".config.js") || strings.HasSuffix(base, ".config.ts") || strings.HasSuffix(base, ".config.mjs") {
			return nil
		}
		if len(files) >= 400 {
			return fs.SkipAll
		}
		files = append(files, p)
		return nil
	})
	sort.SliceStable(files, func(i, j int) bool {
		return files[i] == first && files[j] != first
	})
	return files
}

// healthPath finds a health route whose full path is known: one
// registered in the server code with its router prefixes resolved or,
// for Next.js, an app/ or pages/api route folder.
func (a *nodeApp) healthPath() {
	det, nf := a.det, a.det.Node
	if nf.StaticDir != "" {
		return
	}
	if det.Framework == "nextjs" {
		a.nextHealthPath()
		return
	}
	a.serverHealthPath()
}

var nextBasePathRe = regexp.MustCompile(`\bbasePath\s*:\s*(?:['"\x60](/[^'"\x60]*)['"\x60])?`)

// nextHealthPath finds a Next.js route handler or API route for health,
// under next.config's basePath; a basePath dgen cannot read leaves it
// unresolved.
func (a *nodeApp) nextHealthPath() {
	det := a.det
	basePath := ""
	for _, f := range nextConfigs {
		data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		if m := nextBasePathRe.FindSubmatch(data); m != nil {
			if m[1] == nil {
				return
			}
			basePath = strings.TrimSuffix(string(m[1]), "/")
		}
		break
	}
	set := func(route, f, detail string) {
		det.HealthPath = basePath + route
		det.Cite("healthPath", a.rel(f), 0, detail)
	}
	for _, base := range []string{"app", "src/app"} {
		for _, r := range []string{"healthz", "health", "api/health", "api/healthz", "livez"} {
			for _, ext := range []string{"ts", "js"} {
				f := path.Join(base, r, "route."+ext)
				if repo.IsFile(a.fsys, f) {
					set("/"+r, f, "route handler "+f)
					return
				}
			}
		}
	}
	for _, r := range []string{"health", "healthz"} {
		for _, ext := range []string{"ts", "js"} {
			for _, base := range []string{"pages/api", "src/pages/api"} {
				f := path.Join(base, r+"."+ext)
				if repo.IsFile(a.fsys, f) {
					set("/api/"+r, f, "API route "+f)
					return
				}
			}
		}
	}
	a.serverHealthPath()
}

// nodeGypDeps are packages known to compile a native addon with node-gyp
// when no prebuilt binary fits (so python3, make and g++ must be there).
var nodeGypDeps = []string{
	"@discordjs/opus", "argon2", "bcrypt", "better-sqlite3", "canvas", "cpu-features",
	"isolated-vm", "kerberos", "libxmljs", "libxmljs2", "microtime", "node-expat",
	"node-sass", "re2", "sqlite3", "usb", "zeromq", "@serialport/bindings-cpp",
}

// detectNative records what native code the app needs: Prisma, node-gyp
// builds, node-canvas; and notes sharp and puppeteer.
func detectNative(fsys fs.FS, root *packageJSON, a *nodeApp, det *facts.Detection) {
	nf := det.Node
	detectPrisma(fsys, root, a, det)
	pkgs := []*packageJSON{a.pkg}
	if root != a.pkg {
		pkgs = append(pkgs, root)
	}
	for _, p := range pkgs {
		for _, dep := range nodeGypDeps {
			if p.has(dep) && !contains(nf.NativeDeps, dep) {
				nf.NativeDeps = append(nf.NativeDeps, dep)
				det.Cite("nativeDeps", p.file, p.depLine(dep), dep+" may compile with node-gyp")
			}
		}
		if p.has("canvas") {
			nf.Canvas = true
		}
		if p.has("sharp") {
			det.Notef("sharp ships prebuilt binaries for glibc (Debian) images: nothing extra is installed")
		}
		if p.has("puppeteer") && !p.has("puppeteer-core") {
			det.Notef("puppeteer downloads a browser that needs many system libraries; dgen does not install them: use a browser image (e.g. ghcr.io/puppeteer/puppeteer) or puppeteer-core with a remote browser")
		}
	}
	for _, f := range []string{"binding.gyp", path.Join(a.dir, "binding.gyp")} {
		if repo.IsFile(fsys, f) && !contains(nf.NativeDeps, "binding.gyp") {
			nf.NativeDeps = append(nf.NativeDeps, "binding.gyp")
			det.Cite("nativeDeps", f, 0, "the package builds its own native addon")
		}
	}
	lockedNative(fsys, det)
	sort.Strings(nf.NativeDeps)
	if len(nf.NativeDeps) > 0 && det.PackageManager == facts.NodePNPM {
		if maj, err := strconv.Atoi(nf.ManagerMajor); err == nil && maj >= 10 {
			det.Notef("pnpm %d runs no dependency build scripts unless they are allowed (onlyBuiltDependencies in pnpm-workspace.yaml or package.json): allow %s, or the native build is skipped", maj, strings.Join(nf.NativeDeps, ", "))
		}
	}
}
