package python

import (
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// TestPythonGRPCServer: grpc.server / grpc.aio.server make framework grpc
// with the port of add_insecure_port; a client channel does not, nor does
// a server beside an HTTP listener of the app's own.
func TestPythonGRPCServer(t *testing.T) {
	tests := []struct {
		name      string
		files     map[string]string
		framework string
		port      int
	}{
		{"sync server",
			map[string]string{"requirements.txt": "grpcio\n", "serve.py": "import grpc\nfrom concurrent import futures\n\nif __name__ == '__main__':\n    server = grpc.server(futures.ThreadPoolExecutor())\n    server.add_insecure_port('[::]:50051')\n    server.start()\n"},
			"grpc", 50051},
		{"asyncio server in a package",
			map[string]string{"requirements.txt": "grpcio\n", "svc/__init__.py": "", "svc/__main__.py": "import asyncio\nimport grpc\n\nasync def main():\n    server = grpc.aio.server()\n    server.add_insecure_port(\"0.0.0.0:7070\")\n    await server.start()\n    await server.wait_for_termination()\n\nasyncio.run(main())\n"},
			"grpc", 7070},
		{"aio imported from grpc, the port from a variable",
			map[string]string{"requirements.txt": "grpcio\n", "server.py": "import asyncio\nimport os\nfrom grpc import aio\n\nPORT = os.environ.get(\"PORT\", \"50052\")\n\nasync def main():\n    server = aio.server()\n    server.add_insecure_port(f\"[::]:{PORT}\")\n    await server.start()\n\nif __name__ == \"__main__\":\n    asyncio.run(main())\n"},
			"grpc", 50052},
		{"a port dgen cannot read is said",
			map[string]string{"requirements.txt": "grpcio\n", "serve.py": "import grpc\nfrom settings import bind\n\nif __name__ == '__main__':\n    server = grpc.server(None)\n    server.add_insecure_port(bind())\n    server.start()\n"},
			"grpc", 0},
		{"a server beside its own HTTP listener keeps the HTTP check",
			map[string]string{"requirements.txt": "grpcio\n", "serve.py": "import grpc\nfrom http.server import HTTPServer, BaseHTTPRequestHandler\n\nif __name__ == '__main__':\n    server = grpc.server(None)\n    server.add_insecure_port('[::]:50051')\n    server.start()\n    HTTPServer(('', 8080), BaseHTTPRequestHandler).serve_forever()\n"},
			"", 8080},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := pyDetect(t, tt.files, nil)
			if det.Framework != tt.framework || det.Port != tt.port {
				t.Fatalf("Framework, Port = %q, %d; want %q, %d (notes %q)", det.Framework, det.Port, tt.framework, tt.port, det.Notes)
			}
			if tt.framework == "grpc" && det.Evidence["framework"].Line == 0 {
				t.Errorf("framework evidence %+v names no line", det.Evidence["framework"])
			}
			if tt.framework == "grpc" && tt.port == 0 && !detecttest.HasNote(det, "pass --port") {
				t.Errorf("notes %q do not say the port is assumed", det.Notes)
			}
			if tt.framework == "" && len(det.Notes) == 0 {
				t.Errorf("no note says why the gRPC server keeps the HTTP check")
			}
		})
	}
}
