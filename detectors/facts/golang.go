package facts

// GoFacts is what only a Go repository has.
type GoFacts struct {
	// Module is the module path of the module that holds Main.
	Module string `json:"module"`
	// ModuleDir is that module's folder relative to the repository root
	// ("." for the root). The program runs with its assets laid out as
	// they are below this folder.
	ModuleDir string `json:"moduleDir"`
	// ModuleDirs are the folders whose go.mod (and go.sum) go mod download
	// needs: the root module, every go.work module and every
	// in-repository replace target, in that order.
	ModuleDirs []string `json:"moduleDirs"`
	// Workspace is true when a go.work at the root builds several modules
	// together; the build context is then the workspace root.
	Workspace bool `json:"workspace,omitempty"`
	// HasGoSum is true when the main module has a go.sum.
	HasGoSum bool `json:"hasGoSum"`
	// Vendor is true when vendor/modules.txt agrees with go.mod as the go
	// command checks it: the build uses -mod=vendor and downloads nothing.
	Vendor bool `json:"vendor,omitempty"`
	// MinVersion is the lowest Go minor the go line allows ("1.22"), and
	// MinVersionFrom the line that says so; a --language-version below it
	// is refused, since the image's toolchain would not build the module.
	MinVersion     string   `json:"minVersion,omitempty"`
	MinVersionFrom Evidence `json:"minVersionFrom,omitzero"`
	// Main is the package built, relative to the repository root, as the
	// go command takes it: "." or "./cmd/api".
	Main string `json:"main"`
	// Mains are every main package found, in the same form.
	Mains []string `json:"mains,omitempty"`
	// Binary is the executable's name: the last element of Main, or of the
	// module path (without a /vN suffix) when Main is the root.
	Binary string `json:"binary"`
	// CGO is true when the build needs cgo: an `import "C"` in the
	// program's own packages, or a dependency known to need it.
	CGO bool `json:"cgo,omitempty"`
	// CGOModules are the dependencies from GoCGOModules that the build
	// uses, by their table path.
	CGOModules []string `json:"cgoModules,omitempty"`
	// Assets are folders, relative to ModuleDir, that the program reads
	// from disk at run time and does not //go:embed.
	Assets []string `json:"assets,omitempty"`
	// Frontend is the Node front end whose build output the program
	// embeds or reads from disk, built in a stage of its own; nil when
	// there is none.
	Frontend *Frontend `json:"frontend,omitempty"`
	// FrontendEmbeds are folders of the front end's build output,
	// relative to the repository root, that a //go:embed pattern takes:
	// they are copied into the build stage before go build.
	FrontendEmbeds []string `json:"frontendEmbeds,omitempty"`
	// FrontendAssets are folders of the front end's build output,
	// relative to ModuleDir, that the program reads from disk at run
	// time: they are copied into the runtime image.
	FrontendAssets []string `json:"frontendAssets,omitempty"`
	// Generate are the go generate steps the build needs, because they
	// create files the program embeds or compiles that are missing from
	// the repository, in the order they run.
	Generate []GoGenerate `json:"generate,omitempty"`
	// BuildNeeds are files the build needs that nothing dgen can run in
	// the image creates, one sentence each naming the step that does.
	BuildNeeds []string `json:"buildNeeds,omitempty"`
	// ConfigFile is a config file, relative to ModuleDir, that the start
	// command passes to the program; it is copied into the image.
	ConfigFile string `json:"configFile,omitempty"`
	// PortEnv is the environment variable the program reads its port from
	// ("PORT"), when it holds a bare port number.
	PortEnv string `json:"portEnv,omitempty"`
	// AddrEnv is the environment variable the program reads its whole
	// listen address from ("LISTEN_ADDR", default "127.0.0.1:8080"); the
	// image sets it to 0.0.0.0:<port>.
	AddrEnv string `json:"addrEnv,omitempty"`
	// HostEnv is the environment variable the program reads its listen
	// host from when that defaults to a loopback address; the image sets
	// it to 0.0.0.0.
	HostEnv string `json:"hostEnv,omitempty"`
	// GoPrivate is the GOPRIVATE pattern list the repository's tooling
	// sets, for modules fetched from private hosts.
	GoPrivate string `json:"goPrivate,omitempty"`
}

// GoGenerate is one go generate step of the build stage.
type GoGenerate struct {
	// Package is the package whose directives run, as the go command
	// takes it ("./web").
	Package string `json:"package"`
	// Run is go generate's -run expression selecting the directives
	// that are safe to run in the image, "" for all of the package's.
	Run string `json:"run,omitempty"`
	// Directives are the directives that run, as "file:line: text".
	Directives []string `json:"directives"`
}
