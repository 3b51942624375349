package golang

import (
	"io/fs"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// web fills framework, port, worker and health path from the chosen main
// package's code, and returns the arguments the start command needs to
// move a port below 1024 (a flag).
func (Detector) web(fsys fs.FS, in *mainInfo, det *facts.Detection) []string {
	if in.framework != "" {
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
		return nil
	}
	port, env, ev := portOf(in, det)
	if p, cev, ok := passedConfigPort(fsys, in, det); ok {
		port, env, ev = p, "", cev
		det.Go.AddrEnv = ""
	}
	det.Go.PortEnv = env
	if p, dev, ok := dotenvPort(fsys, in.pkg.Module.Dir, firstNonEmpty(env, det.Go.AddrEnv)); ok {
		port, ev = p, dev
	}
	port, args := avoidLowPort(in, port, det)
	det.Port = port
	det.Cite("port", ev.File, ev.Line, ev.Detail)

	if best := healthRoute(in.scans); best != nil {
		det.HealthPath = best.Path
		det.Cite("healthPath", best.File, best.Line, best.Detail)
	}
	return args
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
