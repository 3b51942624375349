package catalog

// Debian 13 (trixie) packages that Node apps' native dependencies need
// (checked 2026-11-27). Each function returns a new slice.

// NodeGypBuildPackages are what node-gyp needs to compile a native module
// when no prebuilt binary fits: Python 3, make and a C++ compiler. They
// are installed in the build stage only.
func NodeGypBuildPackages() []string { return []string{"python3", "make", "g++"} }

// NodeCanvasPackages are what node-canvas compiles against (build) and
// links at run time (runtime): Cairo, Pango and the image libraries.
func NodeCanvasPackages() (build, runtime []string) {
	return []string{"libcairo2-dev", "libpango1.0-dev", "libjpeg-dev", "libgif-dev", "librsvg2-dev"},
		[]string{"libcairo2", "libpango-1.0-0", "libpangocairo-1.0-0", "libjpeg62-turbo", "libgif7", "librsvg2-2"}
}

// PrismaPackages are what Prisma's query engine needs in both stages: it
// picks its build by the OpenSSL version it finds.
func PrismaPackages() []string { return []string{"openssl"} }

// NodeDownloader is a development package whose install script downloads
// a large binary (a browser, Electron), and the variable that stops it.
type NodeDownloader struct {
	Package, Env, Value string
}

// NodeDownloaders lists them (checked 2026-12-05 against each package's
// install documentation). An image build sets the variable unless the
// production app depends on the package.
func NodeDownloaders() []NodeDownloader {
	return []NodeDownloader{
		{"cypress", "CYPRESS_INSTALL_BINARY", "0"},
		{"@playwright/test", "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"},
		{"playwright", "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"},
		{"puppeteer", "PUPPETEER_SKIP_DOWNLOAD", "true"},
		{"electron", "ELECTRON_SKIP_BINARY_DOWNLOAD", "1"},
	}
}
