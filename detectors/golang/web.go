package golang

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// web fills framework, port, worker and health path from the chosen main
// package's code, and returns the arguments the start command needs to
// move a loopback default or a port below 1024 (a flag). A loopback
// address no variable or flag sets is an error: no image setting can
// make the program reachable.
func (Detector) web(fsys fs.FS, in *mainInfo, det *facts.Detection) ([]string, error) {
	if in.grpc {
		det.Framework = in.framework
		det.Cite("framework", in.fwAt.File, in.fwAt.Line, in.fwAt.Detail+": a gRPC server, which speaks HTTP/2 only")
	} else if in.framework != "" {
		det.Framework = in.framework
		det.Cite("framework", in.fwAt.File, in.fwAt.Line, "imports "+in.fwAt.Detail)
	} else if in.serves {
		if imp := firstImport(in.reach, "net/http"); imp != nil {
			det.Cite("framework", imp.File, imp.Line, `"net/http" (standard library, no framework)`)
		}
	}
	if !in.serves {
		det.Worker = true
		det.Cite("port", in.pkg.Main, in.pkg.MainLine, "no listener (ListenAndServe, net.Listen, gin Run, echo Start, fiber Listen) and no web framework in "+in.value+" or the packages it imports: a worker")
		return nil, nil
	}
	port, env, ev := portOf(in, det)
	var args []string
	if p, cev, ok := passedConfigPort(fsys, in, det); ok {
		port, env, ev = p, "", cev
		det.Go.AddrEnv = ""
		in.loopback = nil
	}
	if in.loopback != nil {
		bind, err := loopbackArgs(in, det)
		if err != nil {
			return nil, err
		}
		args = bind
	}
	det.Go.PortEnv = env
	if p, dev, ok := dotenvPort(fsys, in.pkg.Module.Dir, firstNonEmpty(env, det.Go.AddrEnv)); ok {
		port, ev = p, dev
	}
	port, low := avoidLowPort(in, port, det)
	args = append(args, low...)
	det.Port = port
	det.Cite("port", ev.File, ev.Line, ev.Detail)

	if in.grpc && !httpListener(in.scans) {
		// An HTTP GET on a gRPC port never succeeds: the check only
		// connects.
		return args, nil
	}
	if best := healthRoute(in.scans); best != nil {
		det.HealthPath = best.Path
		det.Cite("healthPath", best.File, best.Line, best.Detail)
	}
	return args, nil
}

// httpListener reports whether the program opens an HTTP listener of
// its own (not net.Listen, not a side server).
func httpListener(scans []*pkgScan) bool {
	for _, sc := range scans {
		for _, l := range sc.Listeners {
			if !l.Raw && l.Side == "" {
				return true
			}
		}
	}
	return false
}

// rawListener reports whether the program opens a listener of its own
// with net.Listen, which a gRPC server's Serve takes.
func rawListener(scans []*pkgScan) bool {
	for _, sc := range scans {
		for _, l := range sc.Listeners {
			if l.Raw && l.Side == "" {
				return true
			}
		}
	}
	return false
}

// loopbackArgs moves a loopback listen address that a flag's default
// gives (flag.String("addr", "127.0.0.1:8080", …)) to all interfaces with
// that flag; hard-coded in the code, it is an error naming the line.
func loopbackArgs(in *mainInfo, det *facts.Detection) ([]string, error) {
	l := in.loopback
	var args []string
	for _, a := range bindArgs(in.scans) {
		if !slices.Contains(in.bound, a) {
			args = append(args, a)
		}
	}
	if len(args) > 0 || len(in.bound) > 0 {
		det.Notef("%s:%d: listens on %s by default, which nothing outside the container can reach: the start command passes %s", l.File, l.Line, l.Detail, strings.Join(append(slices.Clone(in.bound), args...), " "))
		return args, nil
	}
	if !in.loopbackLiteral {
		// The host came through fields that dgen follows by name only
		// (any struct's Host), so it may not be what runs: a note, not
		// a stop.
		det.Notef("%s:%d: the listen address may resolve to %s; if the program listens on a loopback address, nothing outside the container can reach it", l.File, l.Line, l.Detail)
		return nil, nil
	}
	p, _, _ := parsePort(l.Detail)
	return nil, fmt.Errorf("%s:%d: the program listens on %s, hard-coded: nothing outside the container can reach a loopback address, and no variable or flag changes it; listen on \":%d\" (all interfaces) or read the address from a variable, then run dgen again", l.File, l.Line, l.Detail, p)
}

// firstImport returns the first import of p among pkgs, or nil.
func firstImport(pkgs []*buildPkg, p string) *importSpec {
	for _, r := range pkgs {
		for i := range r.Imports {
			if r.Imports[i].Path == p {
				return &r.Imports[i]
			}
		}
	}
	return nil
}
