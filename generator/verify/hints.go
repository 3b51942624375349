package verify

import (
	"context"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// explain adds the container's last log lines and hints to a failed run:
// where the app really listens, the path it may not write, the variable
// it misses.
func (v *run) explain(ctx context.Context) {
	runtime := []string{"running", "http", "healthy"}
	var first *Check
	for i := range v.r.Checks {
		if c := &v.r.Checks[i]; c.Status == Fail && slices.Contains(runtime, c.ID) && first == nil {
			first = c
		}
	}
	if first == nil || !v.started {
		return
	}
	v.rerunHealthCheck(ctx)
	logs, _ := v.eng.Logs(ctx, v.r.Container, logLines)
	v.r.Logs = tailLines(logs, logLines)
	var hints []string
	if v.failed("http") || v.failed("healthy") {
		if h := v.portHint(ctx); h != "" {
			hints = append(hints, h)
			if c := v.check("http"); c != nil && c.Status == Fail {
				first = c
			}
		}
	}
	hints = append(hints, logHints(logs, v.env)...)
	for _, h := range hints {
		if first.Hint != "" {
			first.Hint += "; "
		}
		first.Hint += h
	}
}

// rerunHealthCheck runs a failed HEALTHCHECK's command by hand in the
// container: when its program cannot even start, Podman records an empty
// output, while exec says "executable file not found".
func (v *run) rerunHealthCheck(ctx context.Context) {
	c, hc := v.check("healthy"), v.img.Healthcheck
	if c == nil || c.Status != Fail || hc.Disabled() || len(hc.Test) < 2 {
		return
	}
	if ci, err := v.eng.InspectContainer(ctx, v.r.Container); err != nil || !ci.Running {
		return
	}
	argv := hc.Test[1:]
	if hc.Test[0] == "CMD-SHELL" {
		argv = []string{"/bin/sh", "-c", hc.Test[1]}
	}
	timeout := hc.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout+5*time.Second)
	defer cancel()
	out, err := v.eng.Exec(ctx, v.r.Container, argv...)
	if err == nil {
		return
	}
	said := lastLines(out, 3)
	if said == "" {
		said = err.Error()
	}
	c.Evidence += "; run by hand in the container it says: " + said
	if h := healthHint(said); h != "" {
		c.Hint = h
	}
}

func (v *run) check(id string) *Check {
	for i := range v.r.Checks {
		if v.r.Checks[i].ID == id {
			return &v.r.Checks[i]
		}
	}
	return nil
}

// portHint compares the port checked with the ports the container's
// processes listen on.
func (v *run) portHint(ctx context.Context) string {
	ls, how := v.listening(ctx)
	if how == "" {
		return ""
	}
	return portHint(v.r.Port, ls, how)
}

// listening reads the TCP ports listened on in the container: from the
// host's /proc/<pid>/net/tcp{,6} (the container's network namespace, read
// as root), else with cat or ss inside the container. how says which.
func (v *run) listening(ctx context.Context) ([]listener, string) {
	ci, err := v.eng.InspectContainer(ctx, v.r.Container)
	if err == nil && ci.Pid > 0 {
		var data []byte
		ok := false
		for _, f := range []string{"tcp", "tcp6"} {
			if b, err := v.o.readFile(fmt.Sprintf("/proc/%d/net/%s", ci.Pid, f)); err == nil {
				data, ok = append(data, b...), true
			}
		}
		ls := parseProcNetTCP(string(data))
		if ok && v.eng.HostNetwork() {
			// The host's network: keep the sockets the app itself holds.
			inodes, err := v.o.socketInodes(ci.Pid)
			if err != nil {
				return nil, ""
			}
			ls = slices.DeleteFunc(ls, func(l listener) bool { return !inodes[l.inode] })
		}
		if ok {
			return ls, fmt.Sprintf("/proc/%d/net/tcp", ci.Pid)
		}
	}
	if v.eng.HostNetwork() {
		// Inside the container the host's sockets would show too.
		return nil, ""
	}
	if out, err := v.eng.Exec(ctx, v.r.Container, "cat", "/proc/net/tcp", "/proc/net/tcp6"); err == nil {
		return parseProcNetTCP(string(out)), "/proc/net/tcp in the container"
	}
	if out, err := v.eng.Exec(ctx, v.r.Container, "ss", "-ltnH"); err == nil {
		return parseSS(string(out)), "ss in the container"
	}
	return nil, ""
}

// listener is one listening TCP socket.
type listener struct {
	IP   net.IP
	Port int
	// inode identifies the socket (/proc/net/tcp's inode column).
	inode string
}

func (l listener) String() string {
	if l.IP.IsUnspecified() {
		return strconv.Itoa(l.Port)
	}
	return net.JoinHostPort(l.IP.String(), strconv.Itoa(l.Port))
}

// parseProcNetTCP reads the LISTEN sockets (state 0A) of /proc/net/tcp and
// tcp6: local addresses are hex, each 32-bit word in host (little-endian)
// order.
func parseProcNetTCP(data string) []listener {
	var ls []listener
	for _, line := range strings.Split(data, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || f[3] != "0A" {
			continue
		}
		addr, port, ok := strings.Cut(f[1], ":")
		b, err := hex.DecodeString(addr)
		p, perr := strconv.ParseUint(port, 16, 16)
		if !ok || err != nil || perr != nil || (len(b) != 4 && len(b) != 16) {
			continue
		}
		for i := 0; i < len(b); i += 4 {
			b[i], b[i+1], b[i+2], b[i+3] = b[i+3], b[i+2], b[i+1], b[i]
		}
		l := listener{IP: net.IP(b), Port: int(p)}
		if len(f) > 9 {
			l.inode = f[9]
		}
		ls = appendListener(ls, l)
	}
	return ls
}

// socketInodes lists the sockets a process holds open, by inode, from its
// /proc/<pid>/fd links ("socket:[12345]").
func socketInodes(pid int) (map[string]bool, error) {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	inodes := map[string]bool{}
	for _, e := range ents {
		target, err := os.Readlink(filepath.Join(dir, e.Name()))
		if inode, ok := strings.CutPrefix(target, "socket:["); err == nil && ok {
			inodes[strings.TrimSuffix(inode, "]")] = true
		}
	}
	return inodes, nil
}

// parseSS reads `ss -ltnH`: State Recv-Q Send-Q Local:Port Peer:Port.
func parseSS(out string) []listener {
	var ls []listener
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 {
			continue
		}
		host, port, err := net.SplitHostPort(f[3])
		p, perr := strconv.Atoi(port)
		if err != nil || perr != nil {
			continue
		}
		host, _, _ = strings.Cut(host, "%")
		ip := net.ParseIP(host)
		if host == "*" || ip == nil {
			ip = net.IPv4zero
		}
		ls = appendListener(ls, listener{IP: ip, Port: p})
	}
	return ls
}

func appendListener(ls []listener, l listener) []listener {
	for _, o := range ls {
		if o.Port == l.Port && o.IP.Equal(l.IP) {
			return ls
		}
	}
	return append(ls, l)
}

// portHint names the mismatch between the port checked and the listeners.
func portHint(want int, ls []listener, how string) string {
	var ports, loopback []string
	reachable := false
	for _, l := range ls {
		if l.IP.IsLoopback() {
			loopback = append(loopback, l.String())
		} else if l.Port == want {
			reachable = true
		}
		ports = append(ports, l.String())
	}
	switch {
	case reachable:
		return ""
	case len(ls) == 0:
		return fmt.Sprintf("nothing in the container listens on a TCP port (%s): the server did not start, or waits for something first", how)
	case slices.Contains(loopback, net.JoinHostPort("127.0.0.1", strconv.Itoa(want))) || slices.Contains(loopback, net.JoinHostPort("::1", strconv.Itoa(want))):
		return fmt.Sprintf("the app listens on port %d on the loopback address only (%s), which cannot be reached from outside the container: make it bind 0.0.0.0 (a HOST or --host setting)", want, strings.Join(loopback, ", "))
	}
	return fmt.Sprintf("the app listens on %s, not on port %d (found in %s): pass --port %s to dgen init, or make the app listen on %d (PORT)",
		strings.Join(ports, ", "), want, how, firstPort(ls), want)
}

func firstPort(ls []listener) string {
	for _, l := range ls {
		if !l.IP.IsLoopback() {
			return strconv.Itoa(l.Port)
		}
	}
	return strconv.Itoa(ls[0].Port)
}

var (
	varName = `([A-Z][A-Z0-9_]*[A-Z0-9])`
	// missingVarREs find a variable named as missing in a log: Python's
	// KeyError on os.environ, and the usual wordings of config loaders.
	missingVarREs = []*regexp.Regexp{
		regexp.MustCompile(`KeyError: ['"]` + varName + `['"]`),
		regexp.MustCompile(`(?i)(?:environment variable|env var(?:iable)?|variable)s?:?\s+["'` + "`" + `]?` + varName + `["'` + "`" + `]?\s+(?:is\s+)?(?:not set|not defined|missing|required|undefined|must be (?:set|defined|provided)|is empty)`),
		regexp.MustCompile(`(?i)missing (?:required )?(?:environment |env )?(?:variable|var|setting)s?:?\s+["'` + "`" + `]?` + varName),
		regexp.MustCompile(`\b` + varName + `\b["'` + "`" + `]? (?:is not set|must be set|is required|is missing|is undefined|not set)`),
	}
	permissionRE   = regexp.MustCompile(`(?i)(?:permission denied|EACCES|read-only file system|EROFS)[^\n]*?['"]?(/[^\s'",:)]*)`)
	permissionRE2  = regexp.MustCompile(`(?i)['"]?(/[^\s'",:)]+)['"]?:? (?:permission denied|read-only file system)`)
	missingFileRE2 = regexp.MustCompile(`(?i)['"]?(/[^\s'":]+)['"]?: (?:no such file or directory|not found)`)
	missingFileRE  = regexp.MustCompile(`(?i)(?:no such file or directory|ENOENT|FileNotFoundError|cannot find module|ModuleNotFoundError: No module named)[^\n]*?['"]?([^\s'"]+)['"]?\s*$`)
)

// logHints reads the container's log for the usual causes of a crash.
func logHints(logs string, env envFile) []string {
	var hints []string
	if name := missingVar(logs); name != "" {
		switch {
		case env.source == "":
			hints = append(hints, fmt.Sprintf("the app needs the environment variable %s, which is not set: pass --env-file with it (or add it to .env.example)", name))
		case env.has(name):
			hints = append(hints, fmt.Sprintf("the app needs the environment variable %s, which %s leaves empty: give it a value there or in a file passed with --env-file", name, env.source))
		default:
			hints = append(hints, fmt.Sprintf("the app needs the environment variable %s, which %s does not set: add it there or to a file passed with --env-file", name, env.source))
		}
	}
	if p := firstMatch(logs, permissionRE, permissionRE2); p != "" {
		hints = append(hints, fmt.Sprintf("permission denied on %s: the app runs as a non-root user that owns nothing in the image (the writable-folder rule): write to /tmp or a mounted volume, or have the Dockerfile create that folder owned by the user", p))
	} else if p := firstMatch(logs, missingFileRE2, missingFileRE); p != "" {
		hints = append(hints, fmt.Sprintf("a file the app needs is missing in the image (%s): is it left out by .dockerignore, or not copied into the runtime stage?", strings.TrimRight(p, ".,;")))
	}
	return hints
}

func missingVar(logs string) string {
	for _, re := range missingVarREs {
		if m := re.FindStringSubmatch(logs); m != nil {
			return m[1]
		}
	}
	return ""
}

func firstMatch(s string, res ...*regexp.Regexp) string {
	for _, re := range res {
		if m := re.FindStringSubmatch(s); m != nil {
			return m[1]
		}
	}
	return ""
}

// healthHint explains a health check that could not run at all.
func healthHint(out string) string {
	l := strings.ToLower(out)
	switch {
	case strings.Contains(l, "executable file not found") || strings.Contains(l, "no such file or directory") || strings.Contains(l, "not found in $path"):
		return "the HEALTHCHECK's program does not exist in the runtime image: use one the image has (dgen copies a static busybox into distroless images)"
	case strings.Contains(l, "permission denied"):
		return "the HEALTHCHECK's program cannot be run by the image's user"
	case strings.Contains(l, "connection refused") || strings.Contains(l, "can't connect"):
		return "nothing answers the HEALTHCHECK's address inside the container: the app listens on another port or address"
	}
	return ""
}

var (
	buildahStepRE  = regexp.MustCompile(`^(?:\[\d+/\d+\] )?STEP \d+/\d+: (.*)$`)
	buildkitStepRE = regexp.MustCompile(`^#\d+ \[([^\]]+)\] (.*)$`)
)

// failingStep is the last step a build log started (Buildah's "STEP n/m:"
// or BuildKit's "#n [stage k/m] …"): the one that failed.
func failingStep(out []byte) string {
	step := ""
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimRight(l, "\r")
		if m := buildahStepRE.FindStringSubmatch(l); m != nil {
			step = m[1]
		} else if m := buildkitStepRE.FindStringSubmatch(l); m != nil && !strings.HasPrefix(m[1], "internal") {
			step = "[" + m[1] + "] " + m[2]
		}
	}
	return step
}

// buildHint explains the build failures that are about the machine, not
// the Dockerfile.
func buildHint(out []byte) string {
	l := strings.ToLower(string(out))
	switch {
	case strings.Contains(l, "buildx component is missing"):
		return "this docker client needs the buildx plugin for BuildKit: install docker-buildx, or use Podman (--engine podman)"
	case strings.Contains(l, "pull access denied") || strings.Contains(l, "manifest unknown") ||
		strings.Contains(l, "failed to resolve source metadata") || strings.Contains(l, "short-name") ||
		strings.Contains(l, "initializing source") || strings.Contains(l, "no such host"):
		return "a base image could not be pulled: check the network or registry login, or that the FROM tag exists"
	case strings.Contains(l, "no space left on device"):
		return "the engine's storage is full: remove unused images (docker system prune / podman system prune)"
	}
	return ""
}
