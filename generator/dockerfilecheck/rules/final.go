package rules

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// checkFinalStage holds the image that ships to dgen's runtime promises:
// non-root numeric user, a lean base, a health check that can run, the
// right port, and a command in exec form.
func (p *policy) checkFinalStage() {
	if len(p.file.stages) == 0 {
		return
	}
	final := p.file.stages[len(p.file.stages)-1]
	chain := final.chain()
	p.checkUser(final, chain)
	p.checkRuntimeImage(final, chain)
	p.checkHealthcheck(final, chain)
	p.checkExpose(final, chain)
	if len(p.image.Entrypoint) == 0 && len(p.image.Cmd) == 0 {
		p.addf("ExecForm", stageLine(final), "the final stage sets no ENTRYPOINT or CMD, so the image runs whatever its base image defaults to")
	}
}

// lastOf is the last command of type T in the stages of chain.
func lastOf[T instructions.Command](chain []*stage) (T, bool) {
	var last T
	found := false
	for _, s := range chain {
		for _, c := range s.Commands {
			if t, ok := c.(T); ok {
				last, found = t, true
			}
		}
	}
	return last, found
}

// checkUser: the app runs as a numeric, non-root user (DL3002).
func (p *policy) checkUser(final *stage, chain []*stage) {
	line := stageLine(final)
	if u, ok := lastOf[*instructions.UserCommand](chain); ok {
		line = lineOf(u)
	}
	user := p.image.User
	if user == "" {
		p.addf("DL3002", line, "the final stage sets no USER, so the app runs as root; add a numeric non-root USER such as 65532:65532")
		return
	}
	uid, gid, _ := strings.Cut(user, ":")
	switch {
	case uid == "0" || uid == "root":
		p.addf("DL3002", line, "USER %s runs the app as root; use a numeric non-root UID such as 65532", user)
	case !isNumber(uid) || gid != "" && !isNumber(gid):
		p.addf("NumericUser", line, "USER %s is a name; use numeric UID:GID, which Kubernetes' runAsNonRoot can verify without reading /etc/passwd", user)
	}
}

// isNumber reports whether s is a decimal number.
func isNumber(s string) bool {
	_, err := strconv.ParseUint(s, 10, 32)
	return err == nil
}

// toolchainImages carry compilers; the runtime stage must not be built on
// one.
var toolchainImages = []string{"golang", "rust", "gcc", "buildpack-deps", "maven", "gradle"}

// compilerPackages must not be installed into the runtime stage.
var compilerPackages = []string{"build-essential", "gcc", "g++", "clang", "make", "libc6-dev", "musl-dev"}

// checkRuntimeImage: the runtime stage carries what runs, not what builds.
func (p *policy) checkRuntimeImage(final *stage, chain []*stage) {
	repo, tag := splitImageRef(final.image())
	name := path.Base(repo)
	line := stageLine(chain[0])
	switch {
	case slices.Contains(toolchainImages, name):
		p.addf("RuntimeImage", line, "the final stage is built on %s, a toolchain image; build in an earlier stage and copy the output into a slim or distroless runtime", final.image())
	case (name == "python" || name == "node") && !strings.Contains(tag, "slim") && !strings.Contains(tag, "alpine"):
		p.addf("RuntimeImage", line, "the final stage is built on %s, the full image with compilers and headers; use the -slim variant", final.image())
	}
	for _, in := range p.installs {
		if slices.Contains(chain, in.stage) && slices.Contains(compilerPackages, in.pkg) {
			p.addf("RuntimeImage", in.line, "the runtime stage installs %s; compile in a build stage and copy the result", in.pkg)
		}
	}
}

// imageKind is what a base image is known to contain.
type imageKind int

const (
	kindFull              imageKind = iota // Debian/Ubuntu full images: shell, curl, wget
	kindSlim                               // -slim: shell, no curl or wget
	kindAlpine                             // Alpine, BusyBox: shell and BusyBox wget, no curl
	kindDistroless                         // distroless language images: the interpreter, no shell
	kindDistrolessMinimal                  // distroless static/base/cc: nothing to run
	kindScratch                            // nothing at all
)

// kindOf classifies a base image reference.
func kindOf(ref string) imageKind {
	repo, tag := splitImageRef(ref)
	name := path.Base(repo)
	switch {
	case strings.EqualFold(ref, "scratch"):
		return kindScratch
	case strings.HasPrefix(repo, "gcr.io/distroless/"):
		if strings.HasPrefix(name, "static") || strings.HasPrefix(name, "base") || strings.HasPrefix(name, "cc") {
			return kindDistrolessMinimal
		}
		return kindDistroless
	case strings.Contains(tag, "slim"):
		return kindSlim
	case name == "alpine" || name == "busybox" || strings.Contains(tag, "alpine"):
		return kindAlpine
	}
	return kindFull
}

// shells are what distroless images leave out.
var shells = []string{"sh", "bash", "dash", "ash"}

// checkHealthcheck: a HEALTHCHECK where one is expected, in exec form,
// running a program the runtime image really has, against the app's port,
// with every timing set.
func (p *policy) checkHealthcheck(final *stage, chain []*stage) {
	test := p.image.Healthcheck
	hc, ok := lastOf[*instructions.HealthCheckCommand](chain)
	if !ok || len(test) == 0 || test[0] == "NONE" {
		if p.want.Healthcheck {
			p.addf("Healthcheck", stageLine(final), "the final stage has no HEALTHCHECK; a web app needs one so the runtime can tell a hung app from a healthy one")
		}
		return
	}
	line := lineOf(hc)
	if test[0] == "CMD-SHELL" {
		p.addf("Healthcheck", line, "HEALTHCHECK CMD %s is shell form, which needs /bin/sh in the image; write CMD [\"program\", \"arg\", ...]", strings.Join(test[1:], " "))
		return
	}
	if test[0] != "CMD" || len(test) < 2 || test[1] == "" {
		p.addf("Healthcheck", line, "HEALTHCHECK %q runs no program", test)
		return
	}
	p.checkProbeProgram(final, chain, test[1], line)
	if p.want.Port > 0 && !mentionsPort(test[1:], p.want.Port) {
		p.addf("Healthcheck", line, "HEALTHCHECK does not probe port %d, the port the app listens on", p.want.Port)
	}
	var unset []string
	if h := hc.Health; h != nil {
		if h.Interval == 0 {
			unset = append(unset, "--interval")
		}
		if h.Timeout == 0 {
			unset = append(unset, "--timeout")
		}
		if h.StartPeriod == 0 {
			unset = append(unset, "--start-period")
		}
		if h.Retries == 0 {
			unset = append(unset, "--retries")
		}
	}
	if len(unset) > 0 {
		p.addf("Healthcheck", line, "HEALTHCHECK leaves %s to the defaults (a 30s timeout and no start period, which marks a slow starter unhealthy); set them, e.g. --interval=30s --timeout=5s --start-period=10s --retries=3", strings.Join(unset, ", "))
	}
}

// mentionsPort reports whether any argument names port as a whole number
// (":8080", "8080", "--port=8080").
func mentionsPort(args []string, port int) bool {
	re := regexp.MustCompile(`(?:^|[^0-9])` + strconv.Itoa(port) + `(?:[^0-9]|$)`)
	return slices.ContainsFunc(args, re.MatchString)
}

// checkProbeProgram: the health-check program exists in the runtime image.
// It does if a COPY in the final stage's chain puts it there or a package
// install there provides it; otherwise what the base image is known to
// contain decides. Slim and distroless images have no curl or wget.
func (p *policy) checkProbeProgram(final *stage, chain []*stage, prog string, line int) {
	name := path.Base(prog)
	if providedByCopy(chain, prog) || slices.ContainsFunc(p.installs, func(in install) bool {
		return slices.Contains(chain, in.stage) && in.pkg == name
	}) {
		return
	}
	base := final.image()
	kind := kindOf(base)
	switch {
	case name == "curl" || name == "wget":
		if kind == kindFull || name == "wget" && kind == kindAlpine {
			return
		}
		p.addf("Healthcheck", line, "HEALTHCHECK runs %s, which %s does not have (slim and distroless images ship no curl or wget); copy a static probe such as busybox from a probe stage, or use the app's own runtime", prog, base)
	case kind == kindScratch:
		p.addf("Healthcheck", line, "HEALTHCHECK runs %s, but a scratch image holds only what COPY puts in it", prog)
	case kind == kindDistrolessMinimal || kind == kindDistroless && slices.Contains(shells, name):
		p.addf("Healthcheck", line, "HEALTHCHECK runs %s, which %s does not have (distroless images have no shell or tools); COPY the probe in", prog, base)
	}
}

// providedByCopy reports whether a COPY or ADD in chain writes prog (an
// absolute path, or a bare name looked up on PATH).
func providedByCopy(chain []*stage, prog string) bool {
	for _, s := range chain {
		workdir := "/"
		for _, c := range s.Commands {
			var sd instructions.SourcesAndDest
			switch c := c.(type) {
			case *instructions.WorkdirCommand:
				if path.IsAbs(c.Path) {
					workdir = path.Clean(c.Path)
				} else {
					workdir = path.Join(workdir, c.Path)
				}
				continue
			case *instructions.CopyCommand:
				sd = c.SourcesAndDest
			case *instructions.AddCommand:
				sd = c.SourcesAndDest
			default:
				continue
			}
			dest := sd.DestPath
			// A trailing slash, "." or several sources make dest a folder
			// that receives each source under its own name.
			intoDir := strings.HasSuffix(dest, "/") || dest == "." || len(sd.SourcePaths) > 1
			if !path.IsAbs(dest) {
				dest = path.Join(workdir, dest)
			}
			for _, src := range sd.SourcePaths {
				target := dest
				if intoDir {
					target = path.Join(dest, path.Base(src))
				}
				if target == prog || !path.IsAbs(prog) && path.Base(target) == prog {
					return true
				}
			}
		}
	}
	return false
}

// checkExpose: a web app exposes exactly its port; a worker none.
func (p *policy) checkExpose(final *stage, chain []*stage) {
	line := stageLine(final)
	if e, ok := lastOf[*instructions.ExposeCommand](chain); ok {
		line = lineOf(e)
	}
	ports := p.image.ExposedPorts
	if p.want.Port > 0 {
		want := fmt.Sprintf("%d/tcp", p.want.Port)
		if len(ports) != 1 || ports[0] != want {
			p.addf("Expose", line, "the image exposes [%s]; it must expose exactly %s (EXPOSE %d), the port the app listens on", strings.Join(ports, " "), want, p.want.Port)
		}
		return
	}
	if len(ports) > 0 {
		p.addf("Expose", line, "a worker listens on no port but the image exposes [%s]; drop EXPOSE", strings.Join(ports, " "))
	}
}
