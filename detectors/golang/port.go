package golang

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// goPort works out the port: the first listener whose address resolves
// (the main package's own files first), else an environment variable or
// flag named like a port with its default, else 8080. env is the
// variable that holds a bare port number, for the image to set.
func goPort(in *goMainInfo, det *facts.Detection) (port int, env string, ev facts.Evidence) {
	envOf := func(v goValue) string {
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
	var addrs []goListener
	for _, sc := range in.scans {
		addrs = append(addrs, sc.Addrs...)
	}
	var unresolvedEnv *goListener
	var others []string
	for _, sc := range in.scans {
		for _, l := range sc.Listeners {
			a, at := l.Addr, l.goFinding
			if !a.Known && a.Env == "" && l.DefaultPort == 0 && len(addrs) > 0 {
				a, at = addrs[0].Addr, addrs[0].goFinding
			}
			p, host, ok := goPortOf(a.S)
			switch {
			case a.Known && ok:
				if port == 0 {
					port, env = p, envOf(a)
					ev = facts.Evidence{File: at.File, Line: at.Line, Detail: at.Detail}
					if !strings.Contains(at.Detail, strconv.Quote(a.S)) || a.Env != "" {
						ev.Detail += " (" + a.describe() + ")"
					}
					if host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1" {
						det.Problemf(at.File, "line %d: listens on %s, which nothing outside the container can reach: listen on :%d (all interfaces)", at.Line, a.S, p)
					}
				} else if p != port {
					others = append(others, fmt.Sprintf("%d (%s:%d)", p, at.File, at.Line))
				}
			case l.DefaultPort != 0 && port == 0:
				port, env = l.DefaultPort, l.DefaultEnv
				ev = facts.Evidence{File: at.File, Line: at.Line, Detail: fmt.Sprintf("%s (without an address it listens on $%s, else :%d)", at.Detail, l.DefaultEnv, l.DefaultPort)}
			case a.Env != "" && unresolvedEnv == nil:
				ll := l
				ll.Addr = a
				unresolvedEnv = &ll
			}
		}
	}
	if len(others) > 0 {
		det.Notef("the program also listens on %s; the image exposes and checks %d only", strings.Join(others, ", "), port)
	}
	if port != 0 {
		return port, env, ev
	}
	var envs, flags []goListener
	for _, sc := range in.scans {
		envs = append(envs, sc.EnvPorts...)
		flags = append(flags, sc.FlagPorts...)
	}
	for _, group := range [][]goListener{envs, flags} {
		for _, l := range group {
			if p, _, ok := goPortOf(l.Addr.S); ok && l.Addr.Known {
				return p, envOf(l.Addr), facts.Evidence{File: l.File, Line: l.Line, Detail: l.Detail + " (" + l.Addr.describe() + ")"}
			}
		}
	}
	if unresolvedEnv != nil {
		e := envOf(unresolvedEnv.Addr)
		return 8080, e, facts.Evidence{File: unresolvedEnv.File, Line: unresolvedEnv.Line,
			Detail: fmt.Sprintf("%s reads $%s with no default; default 8080, which the image sets", unresolvedEnv.Detail, unresolvedEnv.Addr.Env)}
	}
	if in.why != nil {
		return 8080, "", facts.Evidence{File: in.why.File, Line: in.why.Line, Detail: in.why.Detail + "; no port literal found, so the default 8080"}
	}
	return 8080, "", facts.Evidence{File: in.pkg.Main, Detail: "no port literal found, so the default 8080"}
}

// goPortOf reads a port from an address or port value: ":8080",
// "0.0.0.0:8080", "[::]:8080", "8080". host is the host part.
func goPortOf(s string) (port int, host string, ok bool) {
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
