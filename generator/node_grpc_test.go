package generator

import (
	"strings"
	"testing"
)

// TestPlanNodeGRPCProbe: a Node gRPC server's check connects to its
// port with the runtime's net module; it never fetches.
func TestPlanNodeGRPCProbe(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json":      `{"name": "currency", "main": "server.js", "dependencies": {"@grpc/grpc-js": "^1.10.0"}}`,
		"package-lock.json": `{"name": "currency", "lockfileVersion": 3, "packages": {"": {"dependencies": {"@grpc/grpc-js": "^1.10.0"}}}}`,
		"server.js":         "const grpc = require('@grpc/grpc-js');\nconst server = new grpc.Server();\nserver.bindAsync('0.0.0.0:7000', grpc.ServerCredentials.createInsecure(), () => {});\n",
	}, Options{})
	hc := p.Healthcheck
	if hc == nil || len(hc.Cmd) != 3 || hc.Cmd[0] != "node" || hc.Cmd[1] != "-e" || !strings.Contains(hc.Cmd[2], "require('net').connect(7000, '127.0.0.1')") || hc.Path != "" {
		t.Fatalf("Healthcheck = %+v, want node -e net.connect on 7000", hc)
	}
	df, _ := nodeRender(t, p)
	if strings.Contains(df, "fetch(") || !strings.Contains(df, "EXPOSE 7000") {
		t.Errorf("Dockerfile probes gRPC over HTTP or misses the port:\n%s", df)
	}
}
