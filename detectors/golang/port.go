package golang

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// portOf works out the port: the first listener whose address resolves
// (the main package's own files first), else an environment variable or
// flag named like a port with its default, else 8080. env is the
// variable that holds a bare port number, for the image to set.
func portOf(in *mainInfo, det *facts.Detection) (port int, env string, ev facts.Evidence) {
	ps := listenerPorts(in, det)
	if len(ps.others) > 0 {
		det.Notef("the program also listens on %s; the image exposes and checks %d only", strings.Join(ps.others, ", "), ps.port)
	}
	if ps.port != 0 {
		return ps.port, ps.env, ps.ev
	}
	if port, env, ev, ok := configuredPort(in.scans); ok {
		return port, env, ev
	}
	return defaultPort(in, ps.unresolved)
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
	if strings.HasSuffix(v.Env, "PORT") {
		return v.Env
	}
	return ""
}

// portSearch is what the listeners of a main package say about its port.
type portSearch struct {
	port int
	env  string
	ev   facts.Evidence
	// others are further ports listened on, for a note.
	others []string
	// unresolved is the first listener whose address comes from an
	// environment variable with no default.
	unresolved *listener
}

// listenerPorts goes through the listeners in order. One without an
// address of its own (srv.ListenAndServe()) takes the first
// http.Server{Addr: …} literal's.
func listenerPorts(in *mainInfo, det *facts.Detection) *portSearch {
	var addrs []listener
	for _, sc := range in.scans {
		addrs = append(addrs, sc.Addrs...)
	}
	ps := &portSearch{}
	for _, sc := range in.scans {
		for _, l := range sc.Listeners {
			a, at := l.Addr, l.finding
			if !a.Known && a.Env == "" && l.DefaultPort == 0 && len(addrs) > 0 {
				a, at = addrs[0].Addr, addrs[0].finding
			}
			ps.add(l, a, at, det)
		}
	}
	return ps
}

// add takes one listener l whose address is a, found at at.
func (ps *portSearch) add(l listener, a exprValue, at finding, det *facts.Detection) {
	p, host, ok := parsePort(a.S)
	switch {
	case a.Known && ok:
		if ps.port == 0 {
			ps.resolved(p, host, a, at, det)
		} else if p != ps.port {
			ps.others = append(ps.others, fmt.Sprintf("%d (%s:%d)", p, at.File, at.Line))
		}
	case l.DefaultPort != 0 && ps.port == 0:
		ps.port, ps.env = l.DefaultPort, l.DefaultEnv
		ps.ev = facts.Evidence{File: at.File, Line: at.Line, Detail: fmt.Sprintf("%s (without an address it listens on $%s, else :%d)", at.Detail, l.DefaultEnv, l.DefaultPort)}
	case a.Env != "" && ps.unresolved == nil:
		ll := l
		ll.Addr = a
		ps.unresolved = &ll
	}
}

// resolved takes the first address that resolves to port p on host. A
// loopback host is a problem: nothing outside the container reaches it.
func (ps *portSearch) resolved(p int, host string, a exprValue, at finding, det *facts.Detection) {
	ps.port, ps.env = p, portEnv(a)
	ps.ev = facts.Evidence{File: at.File, Line: at.Line, Detail: at.Detail}
	if !strings.Contains(at.Detail, strconv.Quote(a.S)) || a.Env != "" {
		ps.ev.Detail += " (" + a.describe() + ")"
	}
	if host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1" {
		det.Problemf(at.File, "line %d: listens on %s, which nothing outside the container can reach: listen on :%d (all interfaces)", at.Line, a.S, p)
	}
}

// configuredPort is the port of the first environment read named like
// a port, else of the first flag named like one, whose value resolves.
func configuredPort(scans []*pkgScan) (port int, env string, ev facts.Evidence, ok bool) {
	var envs, flags []listener
	for _, sc := range scans {
		envs = append(envs, sc.EnvPorts...)
		flags = append(flags, sc.FlagPorts...)
	}
	for _, group := range [][]listener{envs, flags} {
		for _, l := range group {
			if p, _, ok := parsePort(l.Addr.S); ok && l.Addr.Known {
				return p, portEnv(l.Addr), facts.Evidence{File: l.File, Line: l.Line, Detail: l.Detail + " (" + l.Addr.describe() + ")"}, true
			}
		}
	}
	return 0, "", facts.Evidence{}, false
}

// defaultPort is 8080, with the evidence of why nothing better was
// found: an environment variable with no default (which the image then
// sets), the listener or router, or the main file.
func defaultPort(in *mainInfo, unresolved *listener) (int, string, facts.Evidence) {
	if unresolved != nil {
		e := portEnv(unresolved.Addr)
		return 8080, e, facts.Evidence{File: unresolved.File, Line: unresolved.Line,
			Detail: fmt.Sprintf("%s reads $%s with no default; default 8080, which the image sets", unresolved.Detail, unresolved.Addr.Env)}
	}
	if in.why != nil {
		return 8080, "", facts.Evidence{File: in.why.File, Line: in.why.Line, Detail: in.why.Detail + "; no port literal found, so the default 8080"}
	}
	return 8080, "", facts.Evidence{File: in.pkg.Main, Detail: "no port literal found, so the default 8080"}
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
