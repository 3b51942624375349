package generator

import (
	"strings"
	"testing"
)

// TestPlanPythonGRPCProbe: a Python gRPC server's check connects to the
// port from add_insecure_port with the image's Python; it never sends an
// HTTP request, which an HTTP/2-only server cannot answer.
func TestPlanPythonGRPCProbe(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "grpcio\n",
		"serve.py":         "import grpc\nfrom concurrent import futures\n\nif __name__ == '__main__':\n    server = grpc.server(futures.ThreadPoolExecutor())\n    server.add_insecure_port('[::]:50051')\n    server.start()\n    server.wait_for_termination()\n",
	}
	p := pythonPlanFor(t, files, Options{})
	hc := p.Healthcheck
	if p.Port == nil || *p.Port != 50051 {
		t.Fatalf("Port = %v, want 50051", p.Port)
	}
	if hc == nil || len(hc.Cmd) != 3 || hc.Cmd[0] != "python" || hc.Cmd[1] != "-c" || hc.Path != "" ||
		!strings.Contains(hc.Cmd[2], "socket.create_connection(('127.0.0.1', 50051), timeout=4)") {
		t.Fatalf("Healthcheck = %+v, want python -c socket.create_connection to 50051", hc)
	}
	df, di := pythonRender(t, p)
	pythonLacks(t, "Dockerfile", df, "urllib", "urlopen")
	pythonHas(t, "Dockerfile", df, "EXPOSE 50051", `CMD ["python","serve.py"]`)
	pythonCheck(t, p, df, di)
}
