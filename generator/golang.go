package generator

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// GoPlan is what only the Go template needs. Paths are relative to the
// build context and are checked by the detector to be safe to write into
// a Dockerfile unquoted.
type GoPlan struct {
	// Module is the module path of the module holding Main.
	Module string `json:"module"`
	// Main is the package built, as the go command takes it ("./cmd/api").
	Main string `json:"main"`
	// Binary is the executable's name; the build writes /out/<Binary>.
	Binary string `json:"binary"`
	// BinaryPath is where the runtime image keeps it; Start runs it.
	BinaryPath string `json:"binaryPath"`
	// Workspace is true when go.work builds several modules together.
	Workspace bool `json:"workspace"`
	// ModuleDirs are the folders whose go.mod and go.sum are copied before
	// go mod download ("." for the root).
	ModuleDirs []string `json:"moduleDirs"`
	// Vendor is true when dependencies are vendored: -mod=vendor, no
	// download step.
	Vendor bool `json:"vendor"`
	// CrossCompile is true for static builds: the build stage runs on the
	// build machine's platform and sets GOOS/GOARCH for the target, so a
	// multi-platform build needs no emulation. cgo builds cannot.
	CrossCompile bool `json:"crossCompile"`
	// BuildPackages are Debian packages the build stage installs for cgo
	// dependencies (headers, -dev packages).
	BuildPackages []string `json:"buildPackages,omitempty"`
	// RuntimePackages are Debian packages the slim runtime installs: CA
	// certificates, time zones and the cgo dependencies' libraries.
	RuntimePackages []string `json:"runtimePackages,omitempty"`
	// Assets are folders the program reads from disk at run time, copied
	// below the runtime's working directory /app.
	Assets []GoAsset `json:"assets,omitempty"`
	// Frontend is the Node stage that builds the front end the program
	// embeds or serves from disk; nil when there is none.
	Frontend *FrontendPlan `json:"frontend,omitempty"`
	// FrontendEmbeds are the front end's output folders, relative to the
	// repository, that //go:embed takes: copied from the Frontend stage
	// into the build stage before go build.
	FrontendEmbeds []string `json:"frontendEmbeds,omitempty"`
	// FrontendAssets are the front end's output folders the program reads
	// from disk: Src is the folder in the Frontend stage, Dest the folder
	// below /app in the runtime image.
	FrontendAssets []GoAsset `json:"frontendAssets,omitempty"`
	// Generate are the go generate commands the build stage runs before
	// go build, because they create files the build needs that the
	// repository lacks; only those directives run (-run selects them).
	Generate []string `json:"generate,omitempty"`
	// GenerateWhy is the comment written above Generate: the directives
	// that run and where they are.
	GenerateWhy string `json:"generateWhy,omitempty"`
	// BuildNeeds are files the build needs that nothing in the image
	// creates, one sentence each, written as comments above go build.
	BuildNeeds []string `json:"buildNeeds,omitempty"`
	// PortEnv is the environment variable the program reads its port
	// from; the image sets it to the planned port.
	PortEnv string `json:"portEnv,omitempty"`
	// AddrEnv is the environment variable the program reads its whole
	// listen address from; the image sets it to 0.0.0.0:<port>, so the
	// program listens on every interface.
	AddrEnv string `json:"addrEnv,omitempty"`
	// HostEnv is the environment variable the program reads its listen
	// host from; the image sets it to 0.0.0.0.
	HostEnv string `json:"hostEnv,omitempty"`
	// GoPrivate is the GOPRIVATE pattern list for private modules; the
	// download and build steps then mount a netrc secret.
	GoPrivate string `json:"goPrivate,omitempty"`
}

// GoAsset is a folder copied into the runtime image.
type GoAsset struct {
	// Src is the folder in the build context.
	Src string `json:"src"`
	// Dest is the folder below /app, as the program opens it.
	Dest string `json:"dest"`
	// File is true for a single file (a config file the start command
	// passes) rather than a folder.
	File bool `json:"file,omitempty"`
}

// Users of the two runtimes: distroless's own nonroot, or one the slim
// image creates with a UID no base image uses.
var (
	goDistrolessUser = User{UID: 65532, GID: 65532, Name: "nonroot", Create: false}
	goSlimUser       = User{UID: 10001, GID: 10001, Name: "app", Create: true}
)

// goProbe is where the runtime image keeps busybox for the health check.
const goProbe = "/usr/local/bin/busybox"

func planGo(det *facts.Detection, p *Plan) error {
	g := det.Go
	if g == nil {
		return fmt.Errorf("go detection carries no Go facts")
	}
	if !repo.SafePath(strings.TrimPrefix(g.Main, "./")) || g.Binary == "" {
		return badInputf("go package %q: not a path dgen can write into a Dockerfile; pass --main ./path/to/package", g.Main)
	}
	p.Template = "go"
	p.CGO = g.CGO
	gp := &GoPlan{
		Module:       g.Module,
		Main:         g.Main,
		Binary:       g.Binary,
		BinaryPath:   "/usr/local/bin/" + g.Binary,
		Workspace:    g.Workspace,
		ModuleDirs:   g.ModuleDirs,
		Vendor:       g.Vendor,
		CrossCompile: !g.CGO,
		GoPrivate:    g.GoPrivate,
	}
	if len(gp.ModuleDirs) == 0 {
		gp.ModuleDirs = []string{"."}
	}
	for _, a := range g.Assets {
		gp.Assets = append(gp.Assets, GoAsset{Src: path.Join(g.ModuleDir, a), Dest: a})
	}
	if g.ConfigFile != "" && !goAssetCovers(gp.Assets, g.ConfigFile) {
		if !repo.SafePath(path.Join(g.ModuleDir, g.ConfigFile)) {
			return badInputf("config file %q: not a path dgen can write into a Dockerfile", g.ConfigFile)
		}
		gp.Assets = append(gp.Assets, GoAsset{Src: path.Join(g.ModuleDir, g.ConfigFile), Dest: g.ConfigFile, File: true})
	}
	p.Go = gp

	image, version, note, ok := catalog.GoImageFor(p.LanguageVersion)
	if !ok {
		return noImageError(p, "Go", "golang:"+p.LanguageVersion+"-"+catalog.DebianCurrent, catalog.GoVersions[:2])
	}
	if version != p.LanguageVersion {
		p.LanguageVersion = version
		p.Notes = append(p.Notes, imageNote(p, note))
	}
	p.Images = Images{Build: image, Runtime: catalog.GoStaticRuntime}
	if err := planGoFrontend(g, p, gp); err != nil {
		return err
	}
	if err := planGoGenerate(g, gp); err != nil {
		return err
	}
	p.User = goDistrolessUser
	if g.CGO {
		p.Images.Runtime = catalog.GoCGORuntime
		p.User = goSlimUser
		gp.RuntimePackages = []string{"ca-certificates", "tzdata"}
		goCGOPackages(p, gp, g.CGOModules)
	}
	if len(p.Start) == 0 {
		p.Start = []string{gp.BinaryPath}
	}
	p.Build = GoBuildCommand(gp)

	if port := p.PortNumber(); port != 0 {
		// Only a plain variable name may become an ENV key: the name comes
		// from the repository's code.
		for _, v := range []struct {
			name string
			dst  *string
		}{{g.PortEnv, &gp.PortEnv}, {g.AddrEnv, &gp.AddrEnv}, {g.HostEnv, &gp.HostEnv}} {
			if envName.MatchString(v.name) {
				*v.dst = v.name
			} else if v.name != "" {
				p.Notes = append(p.Notes, fmt.Sprintf("the port variable %q is not a plain environment variable name; no ENV line is written for it", v.name))
			}
		}
		if p.Images.Extra == nil {
			p.Images.Extra = map[string]string{}
		}
		p.Images.Extra["probe"] = catalog.GoProbeImage
		p.Healthcheck = goHealthcheck(port, det.HealthPath, det.Framework == "grpc")
	}
	if gp.GoPrivate != "" {
		p.Secrets = append(p.Secrets, Secret{
			ID:     "netrc",
			Target: "/root/.netrc",
			Source: "$HOME/.netrc",
			Why:    "GOPRIVATE modules are fetched from their hosts directly, with the credentials in .netrc",
		})
	}
	p.Dockerignore = append(p.Dockerignore, goDockerignore(gp)...)
	return nil
}

// goAssetCovers reports whether a copied folder already holds file.
func goAssetCovers(assets []GoAsset, file string) bool {
	for _, a := range assets {
		if !a.File && strings.HasPrefix(file, a.Dest+"/") {
			return true
		}
	}
	return false
}

// GoBuildCommand is the build command the Go template runs, as one line:
// the Plan's Build, so `dgen plan` shows exactly what the image runs.
func GoBuildCommand(gp *GoPlan) string {
	env := "CGO_ENABLED=1"
	if gp.CrossCompile {
		env = "CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH"
	}
	mod := ""
	if gp.Vendor {
		mod = " -mod=vendor"
	}
	bin, _ := ShellQuote(gp.Binary)
	main, _ := ShellQuote(gp.Main)
	return fmt.Sprintf(`%s go build%s -trimpath -ldflags="-s -w" -o /out/%s %s`, env, mod, bin, main)
}

// goHealthcheck probes the health path with busybox wget when the code
// registers one. Without one it only checks that the port accepts
// connections: wget fails on any non-2xx answer, so probing / would mark
// an API that answers 404 there as unhealthy. busybox builds differ on
// `nc -z` (Debian's has no -z), so the TCP check connects and runs
// `busybox true` (-e), which every nc build has. A gRPC server gets the
// TCP check too: it speaks HTTP/2 only, so no GET ever succeeds.
func goHealthcheck(port int, healthPath string, grpc bool) *Healthcheck {
	hc := newHealthcheck()
	if healthPath != "" {
		hc.Path = healthPath
		hc.Cmd = []string{goProbe, "wget", "-q", "-O", "/dev/null", fmt.Sprintf("http://127.0.0.1:%d%s", port, healthPath)}
		hc.Why = fmt.Sprintf("busybox wget fails unless %s answers with a 2xx status.", healthPath)
		return hc
	}
	hc.Cmd = []string{goProbe, "nc", "-w", "3", "127.0.0.1", strconv.Itoa(port), "-e", goProbe, "true"}
	hc.Why = "No health route was found, so the check only connects to the port (busybox nc, then true) and fails when nothing accepts connections. Add a /healthz route and pass --health-path /healthz for a real check."
	if grpc {
		hc.Why = "A gRPC server speaks HTTP/2 only, so an HTTP GET never succeeds: the check connects to the port (busybox nc, then true) and fails when nothing accepts connections."
	}
	return hc
}

// goDockerignore is the Go section of .dockerignore: build output, test
// binaries, profiles and, unless the build uses it, the vendor folder.
// Patterns that would hide a folder the Dockerfile copies are left out.
func goDockerignore(gp *GoPlan) []string {
	lines := []string{
		"# Go build output, test binaries, coverage and profiles",
		"bin/",
		"**/*.test",
		"**/*.out",
		"**/*.prof",
		"**/*.coverprofile",
		"**/coverage.txt",
		"**/coverage.html",
		"**/__debug_bin*",
	}
	if !gp.Vendor {
		lines = append(lines, "# Dependencies come from the module cache, not a stray vendor folder", "vendor/")
	}
	if gp.Frontend != nil {
		lines = append(lines, "", "# The front end is built inside the image; local copies must not shadow it", "**/node_modules")
		for _, d := range gp.FrontendEmbeds {
			lines = append(lines, d+"/")
		}
		for _, a := range gp.FrontendAssets {
			lines = append(lines, strings.TrimPrefix(a.Src, gp.Frontend.Root+"/")+"/")
		}
	}
	var out []string
	for _, l := range lines {
		if l != "" && l[0] != '#' && goIgnoreHides(l, gp) {
			continue
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// goIgnoreHides reports whether a top-level folder pattern ("bin/") would
// exclude something the Dockerfile copies or builds.
func goIgnoreHides(pattern string, gp *GoPlan) bool {
	if strings.HasPrefix(pattern, "**/") {
		return false
	}
	dir := strings.TrimSuffix(pattern, "/")
	paths := append([]string{strings.TrimPrefix(gp.Main, "./")}, gp.ModuleDirs...)
	for _, a := range gp.Assets {
		paths = append(paths, a.Src)
	}
	for _, p := range paths {
		if p == dir || strings.HasPrefix(p, dir+"/") {
			return true
		}
	}
	return false
}

// goCGOPackages adds the Debian packages the catalog lists for each cgo
// module to the build and runtime stages, and a note for a module whose
// library this Debian release does not ship.
func goCGOPackages(p *Plan, gp *GoPlan, modules []string) {
	for _, m := range modules {
		pk, ok := catalog.GoCGOPackages[m]
		if !ok {
			continue
		}
		gp.BuildPackages = goAppendNew(gp.BuildPackages, pk.Build...)
		gp.RuntimePackages = goAppendNew(gp.RuntimePackages, pk.Runtime...)
		if pk.Unavailable != "" {
			p.Notes = append(p.Notes, pk.Unavailable)
		}
	}
}

// goAppendNew appends the values not already in list.
func goAppendNew(list []string, vals ...string) []string {
	for _, v := range vals {
		if !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// goSrc is the build stage's working folder, where the repository is
// copied; the front-end stage copies it to the same place.
const goSrc = "/src"

// goNpmQuiet turns off npm's checks that only reach the registry for the
// developer's benefit, in the front-end stage (npm runs the build script,
// and corepack's own install, whatever the manager).
var goNpmQuiet = []NodeEnv{{"NPM_CONFIG_AUDIT", "false"}, {"NPM_CONFIG_FUND", "false"}, {"NPM_CONFIG_UPDATE_NOTIFIER", "false"}}

// planGoFrontend plans the front end's own Node stage and where its
// output goes: into the build stage for //go:embed, into the runtime
// image for reads from disk.
func planGoFrontend(g *facts.GoFacts, p *Plan, gp *GoPlan) error {
	if g.Frontend == nil || len(g.FrontendEmbeds)+len(g.FrontendAssets) == 0 {
		return nil
	}
	fp, err := planFrontendStage(g.Frontend, p, "frontend", goSrc)
	if err != nil {
		return err
	}
	fp.BuildPlatform = true
	// npm's audit, funding and update checks are network round trips the
	// image never uses; npm retries each for minutes where the registry
	// is slow to reach.
	if fp.Manager != facts.NodeBun {
		fp.Env = append(fp.Env, goNpmQuiet...)
	}
	gp.Frontend = fp
	for _, d := range g.FrontendEmbeds {
		if !repo.SafePath(d) {
			return badInputf("front-end output %q: not a path dgen can write into a Dockerfile", d)
		}
		gp.FrontendEmbeds = append(gp.FrontendEmbeds, d)
	}
	for _, a := range g.FrontendAssets {
		src := path.Join(g.ModuleDir, a)
		if !repo.SafePath(src) || !repo.SafePath(a) {
			return badInputf("front-end output %q: not a path dgen can write into a Dockerfile", a)
		}
		gp.FrontendAssets = append(gp.FrontendAssets, GoAsset{Src: path.Join(goSrc, src), Dest: a})
	}
	return nil
}

// planGoGenerate writes the go generate commands and the comments for
// files the image does not create.
func planGoGenerate(g *facts.GoFacts, gp *GoPlan) error {
	var where []string
	for _, st := range g.Generate {
		if !repo.SafePath(strings.TrimPrefix(st.Package, "./")) {
			return badInputf("go generate %q: not a package path dgen can write into a Dockerfile", st.Package)
		}
		cmd := "go generate"
		if st.Run != "" {
			q, err := ShellQuote(st.Run)
			if err != nil {
				return badInputf("go generate -run %s: %v", st.Run, err)
			}
			cmd += " -run " + q
		}
		gp.Generate = append(gp.Generate, cmd+" "+st.Package)
		where = append(where, st.Directives...)
	}
	if len(gp.Generate) > 0 {
		gp.GenerateWhy = "Only the go:generate directives that create files the build needs and the repository lacks run here (" + strings.Join(where, "; ") + ")"
	}
	gp.BuildNeeds = g.BuildNeeds
	return nil
}
