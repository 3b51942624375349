package golang

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// portOf works out the port: the first HTTP listener of the app's own
// (not a metrics, debug, redirect or health side listener) whose address
// resolves, the main package's own files first; else a port default
// named like one (an environment variable, a flag, a config default);
// else a net.Listen address; else 8080. env is the variable that holds a
// bare port number, for the image to set.
func portOf(in *mainInfo, det *facts.Detection) (port int, env string, ev facts.Evidence) {
	ps := listenerPorts(in, det, false)
	if ps.port == 0 || !ps.lit {
		if p, cev, ok := loadedConfigPort(in, det); ok {
			return p, "", cev
		}
	}
	if ps.port != 0 && !ps.lit && ps.env == "" && ps.addrEnv == "" {
		// A default held in data (a struct literal's address field) that
		// a required port variable overrides never applies: the program
		// does not start without the variable.
		if req := requiredPortEnv(in.scans); req != nil {
			return defaultPort(in, req)
		}
	}
	if ps.port == 0 {
		if port, l := configuredPort(in.scans); l != nil {
			det.Go.AddrEnv = addrEnv(l.Addr)
			if _, host, _ := parsePort(l.Addr.S); loopback(host) && det.Go.AddrEnv != "" {
				det.Problemf(l.File, "line %d: listens on %s by default, which nothing outside the container can reach: the image sets $%s to 0.0.0.0:%d", l.Line, l.Addr.S, det.Go.AddrEnv, port)
			}
			return port, portEnv(l.Addr), facts.Evidence{File: l.File, Line: l.Line, Detail: l.Detail + " (" + l.Addr.describe() + ")"}
		}
		raw := listenerPorts(in, det, true)
		raw.unresolved = firstNonNil(ps.unresolved, raw.unresolved)
		ps = raw
	}
	if len(ps.others) > 0 {
		det.Notef("the program also listens on %s; the image exposes and checks %d only", strings.Join(ps.others, ", "), ps.port)
	}
	if ps.port != 0 {
		in.loopback, in.loopbackLiteral = ps.hardLoopback, ps.hardLiteral
		if ps.addrEnv != "" {
			det.Go.AddrEnv = ps.addrEnv
		}
		det.Go.HostEnv = ps.hostEnv
		return ps.port, ps.env, ps.ev
	}
	if ps.unresolved == nil {
		ps.unresolved = requiredPortEnv(in.scans)
	}
	return defaultPort(in, ps.unresolved)
}

// requiredPortEnv is the first variable named like the server's port
// that the program requires with no default (`env:"HTTP_PORT,required"`):
// the image must set it. A tag that does not require it may belong to a
// generated server the program never starts.
func requiredPortEnv(scans []*pkgScan) *listener {
	for _, sc := range scans {
		for i, l := range sc.EnvPorts {
			if l.Required && !l.Addr.HasFallback && portEnv(l.Addr) != "" {
				return &sc.EnvPorts[i]
			}
		}
	}
	return nil
}

// firstNonNil is a, else b.
func firstNonNil(a, b *listener) *listener {
	if a != nil {
		return a
	}
	return b
}

// portEnv is the variable a value is read from when the image can set
// it to a bare port number: one whose fallback is a number, or, without a
// fallback, one named like a port.
func portEnv(v exprValue) string {
	if v.Env == "" {
		return ""
	}
	if v.HasFallback {
		if _, err := strconv.Atoi(v.EnvFallback); err == nil {
			return v.Env
		}
		return ""
	}
	if strings.HasSuffix(v.Env, "PORT") && portEnvName(v.Env) {
		return v.Env
	}
	return ""
}

// addrEnv is the variable a whole listen address ("127.0.0.1:8080") is
// read from, for the image to set to 0.0.0.0:<port>.
func addrEnv(v exprValue) string {
	if v.Env == "" || !v.HasFallback || !strings.Contains(v.EnvFallback, ":") {
		return ""
	}
	if _, _, ok := parsePort(v.EnvFallback); !ok {
		return ""
	}
	return v.Env
}

// portSearch is what the listeners of a main package say about its port.
type portSearch struct {
	port int
	env  string
	// addrEnv is a variable that holds the whole listen address.
	addrEnv string
	// lit is true when the port is a literal in the listening call.
	lit bool
	// hostEnv is a variable that holds the listen host.
	hostEnv string
	ev      facts.Evidence
	// others are further ports listened on, for a note.
	others []string
	// unresolved is the first listener whose address comes from an
	// environment variable with no default.
	unresolved *listener
	// hardLoopback is the listener whose loopback address no variable
	// sets, with that address as its Detail.
	hardLoopback *finding
	// hardLiteral is true when hardLoopback's host is a literal in the
	// listener's own source text.
	hardLiteral bool
}

// listenerPorts goes through the app's own listeners in order, HTTP ones
// or (raw) net.Listen ones; side listeners (metrics, debug, redirect,
// health) are noted. One without an address of its own
// (srv.ListenAndServe()) takes the first http.Server{Addr: …} literal's.
func listenerPorts(in *mainInfo, det *facts.Detection, raw bool) *portSearch {
	var addrs []listener
	for _, sc := range in.scans {
		addrs = append(addrs, sc.Addrs...)
	}
	ps := &portSearch{}
	// A program whose every listener looks like a side one (a health
	// service whose main function is runHealthServer) is served by them.
	onlySide := true
	for _, sc := range in.scans {
		for _, l := range sc.Listeners {
			onlySide = onlySide && l.Side != ""
		}
	}
	for _, sc := range in.scans {
		for _, l := range sc.Listeners {
			if onlySide {
				l.Side = ""
			}
			a, at := l.Addr, l.finding
			if !a.Known && a.Env == "" && l.DefaultPort == 0 && len(addrs) > 0 {
				src := serverAddrFor(l, addrs)
				a, at = src.Addr, src.finding
			}
			switch {
			case l.Side != "":
				if !raw {
					sideNote(l, det)
				}
			case l.Raw == raw:
				ps.add(l, a, at, det)
			}
		}
	}
	return ps
}

// serverAddrFor is the http.Server{Addr: …} a srv.ListenAndServe()
// most likely serves: the one assigned to srv in its file, else the
// nearest one above it in its file, else the first in its file, else
// the first found.
func serverAddrFor(l listener, addrs []listener) listener {
	var best *listener
	for i := range addrs {
		a := &addrs[i]
		if a.File != l.File {
			continue
		}
		if l.Recv != "" && a.Recv == l.Recv {
			return *a
		}
		if best == nil || (a.Line <= l.Line && (best.Line > l.Line || a.Line > best.Line)) {
			best = a
		}
	}
	if best != nil {
		return *best
	}
	return addrs[0]
}

// sideNote tells the user about a listener that is not the app's port.
func sideNote(l listener, det *facts.Detection) {
	a := l.Addr
	what := map[string]string{"metrics": "a metrics server", "debug": "a debug or profiling server",
		"redirect": "a redirect helper", "health": "a separate health server"}[l.Side]
	if p, _, ok := parsePort(a.S); ok && a.Known {
		det.Notef("%s:%d: %s listens on %d; it is not the app's port, so the image neither exposes nor checks it", l.File, l.Line, what, p)
		return
	}
	det.Notef("%s:%d: %s listens there too; it is not the app's port", l.File, l.Line, what)
}

// add takes one listener l whose address is a, found at at.
func (ps *portSearch) add(l listener, a exprValue, at finding, det *facts.Detection) {
	p, host, ok := parsePort(a.S)
	switch {
	case a.Known && ok:
		if ps.port == 0 {
			ps.resolved(p, host, a, at, det)
			ps.lit = l.Lit
		} else if p != ps.port {
			ps.others = append(ps.others, fmt.Sprintf("%d (%s:%d)", p, at.File, at.Line))
		}
	case l.DefaultPort != 0 && ps.port == 0:
		ps.port, ps.env = l.DefaultPort, l.DefaultEnv
		ps.ev = facts.Evidence{File: at.File, Line: at.Line, Detail: fmt.Sprintf("%s (without an address it listens on $%s, else :%d)", at.Detail, l.DefaultEnv, l.DefaultPort)}
	case a.Env != "" && ps.unresolved == nil && portEnvName(a.Env):
		ll := l
		ll.Addr = a
		ps.unresolved = &ll
	}
}

// resolved takes the first address that resolves to port p on host. A
// loopback host is a problem: nothing outside the container reaches it.
func (ps *portSearch) resolved(p int, host string, a exprValue, at finding, det *facts.Detection) {
	ps.port, ps.env, ps.addrEnv = p, portEnv(a), addrEnv(a)
	ps.ev = facts.Evidence{File: at.File, Line: at.Line, Detail: at.Detail}
	if !strings.Contains(at.Detail, strconv.Quote(a.S)) || a.Env != "" {
		ps.ev.Detail += " (" + a.describe() + ")"
	}
	if loopback(host) {
		if a.HostEnv != "" {
			ps.hostEnv = a.HostEnv
			det.Problemf(at.File, "line %d: listens on %s by default, which nothing outside the container can reach: the image sets $%s to 0.0.0.0", at.Line, a.S, a.HostEnv)
			return
		}
		if ps.addrEnv != "" {
			det.Problemf(at.File, "line %d: listens on %s by default, which nothing outside the container can reach: the image sets $%s to 0.0.0.0:%d", at.Line, a.S, ps.addrEnv, p)
			return
		}
		f := at
		f.Detail = a.S
		ps.hardLoopback, ps.hardLiteral = &f, loopbackLiteral(at.Detail)
	}
}

// loopbackLiteral reports whether a loopback host is written as a string
// literal in a listener's own source text ("127.0.0.1:8080",
// "localhost:" + port).
func loopbackLiteral(src string) bool {
	for _, h := range []string{`"localhost`, `"127.`, `"[::1]`, `"::1`} {
		if strings.Contains(src, h) {
			return true
		}
	}
	return false
}

// configuredPort is the port of the first environment read named like
// a port, else of the first flag or config default named like one, whose
// value resolves.
func configuredPort(scans []*pkgScan) (int, *listener) {
	var envs, flags []listener
	for _, sc := range scans {
		envs = append(envs, sc.EnvPorts...)
		flags = append(flags, sc.FlagPorts...)
	}
	for _, group := range [][]listener{envs, flags} {
		for i, l := range group {
			if p, _, ok := parsePort(l.Addr.S); ok && l.Addr.Known {
				return p, &group[i]
			}
		}
	}
	return 0, nil
}

// defaultPort is 8080, said to be guessed, with the evidence of why
// nothing better was found: an environment variable with no default (which the image then
// sets), the listener or router, or the main file.
func defaultPort(in *mainInfo, unresolved *listener) (int, string, facts.Evidence) {
	if unresolved != nil {
		e := portEnv(unresolved.Addr)
		return 8080, e, facts.Evidence{File: unresolved.File, Line: unresolved.Line,
			Detail: fmt.Sprintf("%s reads $%s with no default; 8080 is guessed (dgen's port for Go servers), and the image sets it", unresolved.Detail, unresolved.Addr.Env)}
	}
	if in.why != nil {
		return 8080, "", facts.Evidence{File: in.why.File, Line: in.why.Line, Detail: in.why.Detail + "; no default found, so 8080 is guessed (dgen's port for Go servers)"}
	}
	return 8080, "", facts.Evidence{File: in.pkg.Main, Detail: "no default found, so 8080 is guessed (dgen's port for Go servers)"}
}

// parsePort reads a port from an address or port value: ":8080",
// "0.0.0.0:8080", "[::]:8080", "8080". host is the host part.
func parsePort(s string) (port int, host string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "", false
	}
	if h, p, err := net.SplitHostPort(s); err == nil {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return 0, "", false
		}
		return n, h, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, "", false
	}
	return n, "", true
}

// highPort is the port a program that would listen below 1024 runs on
// instead: a non-root user binds those only where the engine lowers
// ip_unprivileged_port_start (Docker does; Podman and Kubernetes by
// default do not).
const highPort = 8080

// avoidLowPort moves a port below 1024 to highPort when the program
// takes its port from a variable (which the image sets) or a flag
// (passed in the start command, returned as args); otherwise it notes
// the risk.
func avoidLowPort(in *mainInfo, port int, det *facts.Detection) (int, []string) {
	if port >= 1024 {
		return port, nil
	}
	why := fmt.Sprintf("the program listens on %d by default, below 1024, which the image's non-root user binds only where the engine lowers ip_unprivileged_port_start (Docker does; Podman and Kubernetes by default do not)", port)
	if det.Go.PortEnv != "" || det.Go.AddrEnv != "" {
		det.Notef("%s: the image sets $%s to run it on %d", why, firstNonEmpty(det.Go.PortEnv, det.Go.AddrEnv), highPort)
		return highPort, nil
	}
	for _, sc := range in.scans {
		for _, l := range sc.FlagPorts {
			if p, _, ok := parsePort(l.Addr.S); !ok || p != port || !l.Addr.Known {
				continue
			}
			if e := portEnv(l.Addr); e != "" {
				det.Go.PortEnv = e
			} else if e := addrEnv(l.Addr); e != "" {
				det.Go.AddrEnv = e
			}
			if e := firstNonEmpty(det.Go.PortEnv, det.Go.AddrEnv); e != "" {
				det.Notef("%s: the image sets $%s (%s:%d) to run it on %d", why, e, l.File, l.Line, highPort)
				return highPort, nil
			}
			if l.Flag != "" {
				val := strconv.Itoa(highPort)
				if strings.Contains(l.Addr.S, ":") {
					val = ":" + val
				}
				det.Notef("%s: the start command passes --%s=%s (%s:%d)", why, l.Flag, val, l.File, l.Line)
				return highPort, []string{"--" + l.Flag + "=" + val}
			}
		}
	}
	det.Notef("%s, and dgen found no variable or flag to move it: pass --port, or run the container where binding low ports is allowed", why)
	return port, nil
}
