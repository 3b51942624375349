package node

import (
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// TestGRPCServer: a @grpc/grpc-js Server is framework grpc, with its
// bind address's port; without a Server the dependency alone (a client)
// changes nothing.
func TestGRPCServer(t *testing.T) {
	pkg := `{"name": "currency", "main": "server.js", "dependencies": {"@grpc/grpc-js": "^1.10.0"}}`
	server := "const grpc = require('@grpc/grpc-js');\n\nconst server = new grpc.Server();\nserver.bindAsync('0.0.0.0:7000', grpc.ServerCredentials.createInsecure(), () => {});\n"
	det := nodeDetect(t, map[string]string{"package.json": pkg, "server.js": server}, nil)
	if det.Framework != "grpc" || det.Port != 7000 || det.Worker {
		t.Errorf("Framework=%q Port=%d Worker=%v, want grpc on 7000", det.Framework, det.Port, det.Worker)
	}
	detecttest.WantCited(t, det, "framework", "server.js", 3, "a gRPC server")
	detecttest.WantCited(t, det, "port", "server.js", 4, "0.0.0.0:7000")

	// A port from the environment is read the usual way.
	server = "import { Server, ServerCredentials } from '@grpc/grpc-js';\nconst PORT = process.env.PORT || 50051;\nconst s = new Server();\ns.bindAsync(`[::]:${PORT}`, ServerCredentials.createInsecure(), () => {});\n"
	det = nodeDetect(t, map[string]string{"package.json": pkg, "server.js": server}, nil)
	if det.Framework != "grpc" || det.Port != 50051 || det.Node.PortEnv != "PORT" {
		t.Errorf("Framework=%q Port=%d PortEnv=%q, want grpc on $PORT, 50051", det.Framework, det.Port, det.Node.PortEnv)
	}

	client := "const grpc = require('@grpc/grpc-js');\nconst c = new grpc.Client('api:7000', grpc.credentials.createInsecure());\n"
	det = nodeDetect(t, map[string]string{"package.json": pkg, "server.js": client}, nil)
	if det.Framework == "grpc" {
		t.Errorf("a gRPC client is framework %q", det.Framework)
	}
}
