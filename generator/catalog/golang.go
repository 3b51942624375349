package catalog

// The Go base images and the Debian packages of cgo dependencies below
// were checked against the image registries and Debian 13 (trixie) on
// ImagesChecked.

// Base images of the Go template. The build image follows the Go version
// (GoBuildImage); these do not.
const (
	// GoStaticRuntime runs static binaries: CA certificates, time zones and
	// a nonroot user (65532), no shell, no package manager.
	GoStaticRuntime = "gcr.io/distroless/static-debian13:nonroot"
	// GoCGORuntime runs cgo binaries: they link glibc dynamically, so the
	// runtime is the same Debian release the golang image is built on.
	GoCGORuntime = "debian:trixie-slim"
	// GoProbeImage supplies the health check's client: a static (musl)
	// busybox that runs on distroless and slim alike.
	GoProbeImage = "busybox:1.37.0-musl"
)

// GoOldestOnCurrent is the oldest Go minor with golang:<minor>-trixie
// images (Debian 13 came out in August 2025, after Go 1.23's last
// release).
const GoOldestOnCurrent = "1.24"

// GoBuildImage is the official golang image for a Go minor, on the same
// Debian release as GoCGORuntime so cgo binaries find the glibc they were
// linked against.
func GoBuildImage(version string) string {
	return "golang:" + version + "-trixie"
}

// DebianPackages are what one cgo dependency needs from Debian.
type DebianPackages struct {
	// Build are installed in the build stage (headers, -dev packages).
	Build []string
	// Runtime are installed in the slim runtime (shared libraries).
	Runtime []string
	// Unavailable, when set, says why the build will fail on this Debian
	// release; the plan carries it as a note.
	Unavailable string
}

// GoCGOPackages maps each Go module known to need cgo (the detector's
// golang.CGOModules) to the Debian 13 packages its build and its runtime
// need. An empty entry means gcc and glibc are enough (the library's C
// source is bundled, or it is loaded at run time).
var GoCGOPackages = map[string]DebianPackages{
	// SQLite's C source is bundled in the module.
	"github.com/mattn/go-sqlite3": {},
	// A static librdkafka for glibc ships inside the module.
	"github.com/confluentinc/confluent-kafka-go": {},
	"gopkg.in/gographics/imagick.v3":             {Build: []string{"libmagickwand-dev"}, Runtime: []string{"libmagickwand-7.q16-10"}},
	"gopkg.in/gographics/imagick.v2": {
		Unavailable: "gopkg.in/gographics/imagick.v2 needs ImageMagick 6, which Debian 13 no longer ships: the build will fail until the code moves to imagick.v3 (ImageMagick 7)",
	},
	"github.com/h2non/bimg":             {Build: []string{"libvips-dev"}, Runtime: []string{"libvips42t64"}},
	"github.com/davidbyttow/govips":     {Build: []string{"libvips-dev"}, Runtime: []string{"libvips42t64"}},
	"github.com/tecbot/gorocksdb":       {Build: []string{"librocksdb-dev"}, Runtime: []string{"librocksdb9.10"}},
	"github.com/linxGnu/grocksdb":       {Build: []string{"librocksdb-dev"}, Runtime: []string{"librocksdb9.10"}},
	"github.com/pebbe/zmq4":             {Build: []string{"libzmq3-dev"}, Runtime: []string{"libzmq5"}},
	"github.com/proglottis/gpgme":       {Build: []string{"libgpgme-dev"}, Runtime: []string{"libgpgme11t64"}},
	"github.com/miekg/pkcs11":           {},
	"github.com/google/gopacket/pcap":   {Build: []string{"libpcap-dev"}, Runtime: []string{"libpcap0.8t64"}},
	"github.com/gopacket/gopacket/pcap": {Build: []string{"libpcap-dev"}, Runtime: []string{"libpcap0.8t64"}},
}
