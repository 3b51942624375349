package node

import (
	"regexp"
	"strconv"

	"github.com/dgen-dev/dgen/detectors/repo"
)

// grpcDeps are the packages a Node gRPC server is built with.
var grpcDeps = []string{"@grpc/grpc-js", "grpc"}

// grpcServerRe matches the creation of a gRPC server: new grpc.Server(),
// new Server() (imported from @grpc/grpc-js), the old grpc package's
// grpc.server().
var grpcServerRe = regexp.MustCompile(`\bnew\s+(?:[A-Za-z_$][\w$]*\.)?Server\(\s*(?:\{[^}]*\})?\s*\)|\bgrpc\.server\(\s*\)`)

// grpcBindRe matches bindAsync/bind with a literal address's port:
// server.bindAsync("0.0.0.0:50051", …), bind(`[::]:7000`, …).
var grpcBindRe = regexp.MustCompile("\\.bind(?:Async)?\\(\\s*['\"`][^'\"`]*:(\\d{2,5})['\"`]")

// grpc marks a gRPC server: an app without a web framework that depends
// on @grpc/grpc-js (or grpc) and creates a Server gets framework grpc,
// which speaks HTTP/2 only, so its health check connects rather than
// sending a GET; a literal bind address gives its port.
func (a *nodeApp) grpc() {
	det := a.det
	if det.Framework != "" || det.Node.StaticDir != "" {
		return
	}
	dep := a.pkg.firstDep(grpcDeps)
	if dep == "" {
		return
	}
	for _, f := range a.sourceFiles() {
		data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		loc := grpcServerRe.FindIndex(data)
		if loc == nil {
			continue
		}
		det.Framework = "grpc"
		det.Cite("framework", a.rel(f), repo.LineAt(data, loc[0]), lineText(data, loc[0])+` (a gRPC server, "`+dep+`"): it speaks HTTP/2 only`)
		if m := grpcBindRe.FindSubmatchIndex(data); m != nil && det.Port == 0 {
			if n, err := strconv.Atoi(string(data[m[2]:m[3]])); err == nil && n > 0 && n < 65536 {
				det.Port = n
				det.Cite("port", a.rel(f), repo.LineAt(data, m[0]), lineText(data, m[0]))
			}
		}
		return
	}
}
