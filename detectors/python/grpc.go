package python

import (
	"regexp"
)

var (
	// pyGRPCServerRe matches the creation of a gRPC server:
	// grpc.server(…), grpc.aio.server(…), aio.server(…) (from grpc import
	// aio).
	pyGRPCServerRe = regexp.MustCompile(`\b(?:grpc\.(?:aio\.)?|aio\.)server\(`)
	// pyHTTPListenerRe matches an HTTP listener of the app's own beside a
	// gRPC server: a web framework's app, a stdlib HTTP server, an ASGI or
	// WSGI server run from the code.
	pyHTTPListenerRe = regexp.MustCompile(`\b(?:FastAPI|Flask|Starlette|Litestar|Quart|Sanic|Bottle|Robyn)\(|\bfalcon\.(?:asgi\.)?(?:App|API)\(|\btornado\.web\b|\bweb\.Application\(|\brun_app\(|\w*HTTPServer\(|\bmake_server\(|\b(?:uvicorn|hypercorn|waitress|granian|bjoern)\.(?:run|serve)\w*\(|\brun_simple\(|\bstart_http_server\(`)
)

// grpcServer marks a gRPC server: an app with no web framework whose code
// imports grpc and creates a server gets framework grpc, which speaks
// HTTP/2 only, so its health check connects to the port rather than
// sending a GET. An app that also runs an HTTP listener of its own keeps
// the HTTP check: that listener is what a GET can reach.
func (s *pyScan) grpcServer() {
	det := s.det
	if det.Framework != "" || det.Worker || len(det.Start) == 0 {
		return
	}
	var hit *pyMatch
	for _, f := range s.src.files {
		if pyIncidentalPath(f.path) || !f.has("server(") || !f.imports("grpc") {
			continue
		}
		if ms := f.find(pyGRPCServerRe); len(ms) > 0 {
			hit = &ms[0]
			break
		}
	}
	if hit == nil {
		return
	}
	for _, f := range s.src.files {
		if ms := f.find(pyHTTPListenerRe); len(ms) > 0 && !pyIncidentalPath(f.path) {
			det.Notef("%s:%d creates a gRPC server, but %s:%d also runs an HTTP listener: the health check sends HTTP to the app's port", hit.file.path, hit.line, ms[0].file.path, ms[0].line)
			return
		}
	}
	det.Framework = "grpc"
	det.Cite("framework", hit.file.path, hit.line, hit.text+" (a gRPC server): it speaks HTTP/2 only")
	if det.Port == 0 {
		// The check connects to the port the image assumes; say that it
		// is a guess, since a gRPC server has no conventional default.
		det.Notef("%s:%d: the gRPC server's port is not a literal or variable default dgen can read (add_insecure_port(\"[::]:50051\")); the image assumes %d: pass --port with the port it binds", hit.file.path, hit.line, pyDefaultPort(det.Framework))
	}
}
