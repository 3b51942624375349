package rules

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dgen-dev/dgen/detectors/shellwords"
)

// officialImage reports whether ref is a Docker official image (no
// registry or namespace, or docker.io/library/), which runs as root unless
// the Dockerfile says otherwise.
func officialImage(ref string) bool {
	repo, _ := splitImageRef(ref)
	repo = strings.TrimPrefix(strings.TrimPrefix(repo, "docker.io/"), "library/")
	return !strings.Contains(repo, "/")
}

// nonRootBase reports whether ref is known to run as a non-root user
// without a USER line: distroless :nonroot, Chainguard images,
// nginx-unprivileged.
func nonRootBase(ref string) bool {
	repo, tag := splitImageRef(ref)
	switch {
	case strings.HasPrefix(repo, "gcr.io/distroless/"):
		return strings.Contains(tag, "nonroot")
	case strings.HasPrefix(repo, "cgr.dev/"):
		return !strings.Contains(tag, "dev")
	}
	return strings.HasSuffix(repo, "-unprivileged") || officialImage(ref) && slices.Contains(nonRootOfficialImages, path.Base(repo))
}

// nonRootOfficialImages are official images whose own Dockerfile ends with
// a non-root USER.
var nonRootOfficialImages = []string{"solr", "sonarqube", "elasticsearch", "kibana", "logstash"}

// rootBase reports whether ref is known to run as root without a USER
// line: official images, scratch, distroless images other than :nonroot.
func rootBase(ref string) bool {
	return officialImage(ref) || strings.EqualFold(ref, "scratch") || strings.HasPrefix(ref, "gcr.io/distroless/") && !nonRootBase(ref)
}

// checkUser: the final image runs as a non-root user, by number.
func (a *auditor) checkUser() {
	u, ok := lastOf[*instructions.UserCommand](a.chain)
	suggested := a.c.Suggest.User
	if k := kindOf(a.final.image()); k == kindAlpine || k == kindScratch || k == kindDistroless || k == kindDistrolessMinimal {
		// dgen's useradd step is Debian's; a numeric USER needs no
		// account on these images, and Alpine's is made with adduser.
		suggested = slices.DeleteFunc(slices.Clone(suggested), func(l string) bool { return !strings.HasPrefix(l, "USER ") })
	}
	if !ok {
		base := a.final.image()
		if nonRootBase(base) || !rootBase(base) || a.dropsPrivileges() {
			return
		}
		a.add("RootUser", stageLine(a.final), fmt.Sprintf("the final stage (FROM %s) sets no USER, so the app runs as root", a.final.BaseName), "", suggested)
		return
	}
	uid, gid, _ := strings.Cut(u.User, ":")
	switch {
	case strings.Contains(u.User, "$") || uid == "":
		// Set by a build argument dgen cannot see.
	case uid == "0" || uid == "root":
		if !a.dropsPrivileges() {
			a.add("RootUser", lineOf(u), fmt.Sprintf("USER %s runs the app as root", u.User), "", suggested)
		}
	case !isNumber(uid) || gid != "" && !isNumber(gid):
		a.add("NumericUser", lineOf(u), fmt.Sprintf("USER %s is a name", u.User), fmt.Sprintf("Write the numeric UID:GID of %s (id -u %s and id -g %s in the image print them).", uid, uid, uid), nil)
	}
}

// dropsPrivileges reports whether the final image switches user itself
// at start (gosu, su-exec ... in a RUN, the start command or the
// entrypoint script), as many official images' entrypoints do.
func (a *auditor) dropsPrivileges() bool {
	for _, s := range a.chain {
		for _, c := range s.Commands {
			if r, ok := c.(*instructions.RunCommand); ok && (a.runs[r].dropsPrivileges || slices.ContainsFunc(a.runs[r].installs, isPrivilegeDropper)) {
				return true
			}
		}
	}
	for _, s := range a.chain {
		for _, c := range s.Commands {
			// uWSGI switches to UWSGI_UID itself after binding.
			if e, ok := c.(*instructions.EnvCommand); ok && slices.ContainsFunc(e.Env, func(kv instructions.KeyValuePair) bool { return kv.Key == "UWSGI_UID" }) {
				return true
			}
		}
	}
	for _, argv := range [][]string{a.entrypoint(), a.cmd()} {
		if slices.Contains(argv, "--uid") {
			return true // uwsgi --uid, and servers like it, drop root themselves
		}
		for _, w := range argv {
			if slices.ContainsFunc(privilegeDroppers, func(p string) bool { return strings.Contains(w, p) }) {
				return true
			}
			if a.c.FS != nil && strings.HasSuffix(w, ".sh") {
				if dt, err := fs.ReadFile(a.c.FS, path.Base(w)); err == nil && slices.ContainsFunc(privilegeDroppers, func(p string) bool { return strings.Contains(string(dt), p) }) {
					return true
				}
			}
		}
	}
	return false
}

// isPrivilegeDropper reports whether an OS package switches users at
// start (s6 brings s6-setuidgid).
func isPrivilegeDropper(pkg string) bool {
	return slices.Contains(privilegeDroppers, pkg) || pkg == "s6" || pkg == "s6-overlay"
}

// entrypoint and cmd are the final image's ENTRYPOINT and CMD as words.
func (a *auditor) entrypoint() []string {
	if e, ok := lastOf[*instructions.EntrypointCommand](a.chain); ok {
		return e.CmdLine
	}
	return nil
}

func (a *auditor) cmd() []string {
	if c, ok := lastOf[*instructions.CmdCommand](a.chain); ok {
		return c.CmdLine
	}
	return nil
}

// exposedPorts are the port numbers the final image exposes, and the
// line of the last EXPOSE.
func (a *auditor) exposedPorts() ([]int, int) {
	var ports []int
	line := 0
	for _, s := range a.chain {
		for _, c := range s.Commands {
			e, ok := c.(*instructions.ExposeCommand)
			if !ok {
				continue
			}
			line = lineOf(e)
			for _, p := range e.Ports {
				p, _, _ = strings.Cut(p, "/")
				lo, _, _ := strings.Cut(p, "-")
				if n, err := strconv.Atoi(lo); err == nil {
					ports = append(ports, n)
				}
			}
		}
	}
	return ports, line
}

// isService reports whether the final image serves on a port.
func (a *auditor) isService() bool {
	ports, _ := a.exposedPorts()
	return len(ports) > 0 || a.c.Port > 0
}

// checkHealthcheck: a service has a HEALTHCHECK, and its program exists in
// the final image.
func (a *auditor) checkHealthcheck() {
	hc, ok := lastOf[*instructions.HealthCheckCommand](a.chain)
	if !ok || hc.Health == nil || len(hc.Health.Test) == 0 || hc.Health.Test[0] == "NONE" {
		if !ok && a.isService() {
			a.add("MissingHealthcheck", stageLine(a.final), "the final image serves on a port but has no HEALTHCHECK", "", a.healthcheckLines())
		}
		return
	}
	test := hc.Health.Test
	line := lineOf(hc)
	base := a.final.image()
	kind := kindOf(base)
	prog := ""
	switch test[0] {
	case "CMD-SHELL":
		if kind == kindScratch || kind == kindDistroless || kind == kindDistrolessMinimal {
			if !a.providedByCopy("sh") && !a.providedByCopy("/bin/sh") {
				a.add("HealthcheckProgram", line, fmt.Sprintf("HEALTHCHECK CMD in shell form needs /bin/sh, which %s does not have", base), "", a.healthcheckLines())
			}
			return
		}
		// The first word of the shell command; operators after it (|| exit
		// 1) do not matter here.
		if w := strings.Fields(strings.Join(test[1:], " ")); len(w) > 0 && !strings.ContainsAny(w[0], "'\"=") {
			prog = w[0]
		}
	case "CMD":
		if len(test) > 1 {
			prog = test[1]
		}
	}
	if prog == "" || strings.ContainsAny(prog, "$") {
		return
	}
	if missing := a.missingProgram(prog, kind); missing != "" {
		a.add("HealthcheckProgram", line, fmt.Sprintf("HEALTHCHECK runs %s, which %s %s", prog, base, missing), "", a.healthcheckLines())
	}
}

// healthcheckLines are dgen's HEALTHCHECK lines, probing the port this
// image exposes when it exposes exactly one and dgen planned another (the
// start command here may bind another port than dgen's would). A port
// the code takes from a variable is only dgen's choice for its own image
// (it sets the variable): this image, which does not, listens on its
// EXPOSE.
func (a *auditor) healthcheckLines() []string {
	lines := a.c.Suggest.Healthcheck
	ports, _ := a.exposedPorts()
	planned := a.c.Suggest.Port
	if len(ports) != 1 || planned == 0 || ports[0] == planned || a.c.Port != 0 && !a.c.PortFromEnv && ports[0] != a.c.Port && !a.startSetsPort(ports) {
		// Nothing to adapt, or the EXPOSE is the wrong one (ExposePort).
		return lines
	}
	re := regexp.MustCompile(`:` + strconv.Itoa(planned) + `\b`)
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = re.ReplaceAllString(l, ":"+strconv.Itoa(ports[0]))
	}
	return out
}

// providedByCopy reports whether a COPY or ADD in the final chain writes prog.
func (a *auditor) providedByCopy(prog string) bool { return providedByCopy(a.chain, prog) }

// knownContentImages are the official images whose tools dgen knows by
// variant: the language images and the base distributions.
var knownContentImages = []string{"python", "node", "golang", "alpine", "busybox"}

// missingProgram says why prog is not in the final image, or "" if it is
// there or cannot be known: only what the base image is known to lack
// counts, and a COPY or a package install of it settles it.
func (a *auditor) missingProgram(prog string, kind imageKind) string {
	name := path.Base(prog)
	if a.providedByCopy(prog) {
		return ""
	}
	for _, s := range a.chain {
		for _, c := range s.Commands {
			if r, ok := c.(*instructions.RunCommand); ok && slices.Contains(a.runs[r].installs, name) {
				return ""
			}
		}
	}
	base := a.final.image()
	repo, _ := splitImageRef(base)
	bare := slices.Contains([]string{"debian", "ubuntu"}, path.Base(repo)) && officialImage(base)
	if !bare && kind != kindScratch && kind != kindDistroless && kind != kindDistrolessMinimal &&
		!(officialImage(base) && slices.Contains(knownContentImages, path.Base(repo))) {
		return "" // other images (nginx:alpine has curl) may have anything
	}
	switch {
	case kind == kindScratch:
		return "does not have: a scratch image holds only what COPY puts in it"
	case kind == kindDistrolessMinimal:
		return "does not have: distroless images have no shell or tools"
	case kind == kindDistroless && (slices.Contains(shells, name) || name == "curl" || name == "wget"):
		return "does not have: distroless images have no shell or tools"
	case name == "curl" && (kind == kindSlim || kind == kindAlpine || bare):
		return "does not have (slim, Alpine and bare Debian/Ubuntu images ship no curl)"
	case name == "wget" && (kind == kindSlim || bare):
		return "does not have (slim and bare Debian/Ubuntu images ship no wget)"
	}
	return ""
}

// checkBuildTools: the final image is not a toolchain image and installs
// no compilers it keeps.
func (a *auditor) checkBuildTools() {
	root := a.chain[0]
	repo, tag := splitImageRef(root.base)
	name := path.Base(repo)
	switch {
	case slices.Contains(toolchainImages, name) || strings.HasSuffix(repo, "dotnet/sdk"):
		a.add("BuildToolsInImage", stageLine(root), fmt.Sprintf("the final image is built on %s, a toolchain image with compilers", root.base), "", nil)
	case (name == "python" || name == "node") && officialImage(root.base) && !strings.Contains(root.BaseName, "$") && !strings.Contains(tag, "slim") && !strings.Contains(tag, "alpine"):
		a.add("BuildToolsInImage", stageLine(root), fmt.Sprintf("the final image is built on %s, the full image with compilers and headers", root.base), fmt.Sprintf("Run on the -slim variant, %s:<version>-slim (build what needs compilers in an earlier stage).", repo), nil)
	}
	for _, s := range a.chain {
		for _, c := range s.Commands {
			r, ok := c.(*instructions.RunCommand)
			if !ok || a.runs[r].removes {
				continue
			}
			for _, pkg := range a.runs[r].installs {
				if slices.Contains(compilerPackages, pkg) {
					a.add("BuildToolsInImage", lineOf(r), fmt.Sprintf("the final image installs %s and keeps it", pkg), "Compile in an earlier stage and copy the result, or remove the build packages in the same RUN.", nil)
					break
				}
			}
		}
	}
}

// checkExecForm: the final ENTRYPOINT and CMD are in exec form.
func (a *auditor) checkExecForm() {
	if e, ok := lastOf[*instructions.EntrypointCommand](a.chain); ok && e.PrependShell && !startsWithExec(e.CmdLine) {
		a.add("ExecForm", lineOf(e), "ENTRYPOINT in shell form runs the app as a child of /bin/sh -c", execFix(e.CmdLine), nil)
	}
	if c, ok := lastOf[*instructions.CmdCommand](a.chain); ok && c.PrependShell && !startsWithExec(c.CmdLine) {
		a.add("ExecForm", lineOf(c), "CMD in shell form runs the app as a child of /bin/sh -c", execFix(c.CmdLine), nil)
	}
}

// startsWithExec reports whether a shell-form command replaces the shell
// with exec, which passes signals on.
func startsWithExec(cmdLine []string) bool {
	return len(cmdLine) > 0 && strings.HasPrefix(strings.TrimSpace(cmdLine[0]), "exec ")
}

// execFix is the exec form of a shell-form command where it splits
// cleanly.
func execFix(cmdLine []string) string {
	line := strings.Join(cmdLine, " ")
	words, err := shellwords.Split(line)
	if err != nil || strings.ContainsAny(line, "$&|;<>*`") {
		return `Write the JSON exec form, ["program", "arg", ...]; if it needs a shell, start the command with exec.`
	}
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = strconv.Quote(w)
	}
	return "Write the JSON exec form: [" + strings.Join(q, ", ") + "]."
}

// portWord matches a port number as a whole word in a command.
func portWord(port int) *regexp.Regexp {
	return regexp.MustCompile(`(?:^|[^0-9])` + strconv.Itoa(port) + `(?:[^0-9]|$)`)
}

// checkExpose: the image exposes the port the app listens on. The port
// the start command or ENV PORT names wins over what detection read in
// the code (they are what the container really runs with).
func (a *auditor) checkExpose() {
	ports, line := a.exposedPorts()
	if len(ports) == 0 || a.c.Port == 0 || a.c.PortFromEnv || slices.Contains(ports, a.c.Port) {
		return
	}
	if a.startSetsPort(ports) {
		return
	}
	a.add("ExposePort", line, fmt.Sprintf("EXPOSE %s, but the app listens on %d according to its code", joinInts(ports), a.c.Port), fmt.Sprintf("EXPOSE %d.", a.c.Port), []string{fmt.Sprintf("EXPOSE %d", a.c.Port)})
}

// portSetters are servers whose own flags or defaults set the port.
var portSetters = []string{"gunicorn", "uvicorn", "hypercorn", "daphne", "waitress-serve", "uwsgi", "granian"}

// startSetsPort reports whether the start command names one of ports or
// the image sets an ENV …PORT…: then the app listens where the image says,
// whatever its code defaults to.
func (a *auditor) startSetsPort(ports []int) bool {
	start := strings.Join(append(a.entrypoint(), a.cmd()...), " ")
	for _, w := range append(a.entrypoint(), a.cmd()...) {
		// A Python server or a bind flag decides the port, not the code's
		// app.run(port=...).
		if slices.Contains(portSetters, path.Base(w)) || strings.HasPrefix(w, "--port") || strings.HasPrefix(w, "--bind") || w == "-b" || w == "-p" {
			return true
		}
	}
	for _, p := range ports {
		if portWord(p).MatchString(start) {
			return true
		}
	}
	for _, s := range a.chain {
		for _, c := range s.Commands {
			if e, ok := c.(*instructions.EnvCommand); ok && slices.ContainsFunc(e.Env, func(kv instructions.KeyValuePair) bool { return strings.Contains(strings.ToUpper(kv.Key), "PORT") }) {
				return true
			}
		}
	}
	return false
}

// joinInts joins numbers with spaces.
func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, " ")
}
