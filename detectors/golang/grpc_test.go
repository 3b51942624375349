package golang

import (
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// grpcMain is a gRPC server on :50051; extra is more of main's body.
func grpcMain(extra string) string {
	return goMain([]string{`"net"`, `"net/http"`, `"google.golang.org/grpc"`},
		`lis, _ := net.Listen("tcp", ":50051")`+"\n\t"+`s := grpc.NewServer()`+"\n\t"+extra+"\n\t"+`s.Serve(lis)`)
}

// TestGoGRPCServer: a grpc.NewServer server is framework grpc, its
// net.Listen port is the port, and no HTTP route is its health check.
func TestGoGRPCServer(t *testing.T) {
	files := map[string]string{
		"go.mod":  goModFile("example.com/currency", "1.26") + "\n\nrequire google.golang.org/grpc v1.75.0",
		"go.sum":  "",
		"main.go": grpcMain(`http.HandleFunc("/healthz", func(http.ResponseWriter, *http.Request) {})`),
	}
	det := detectGo(t, files, nil)
	if det.Framework != "grpc" || det.Port != 50051 || det.HealthPath != "" || det.Worker {
		t.Errorf("Framework=%q Port=%d HealthPath=%q Worker=%v, want grpc on 50051 with no HTTP health path", det.Framework, det.Port, det.HealthPath, det.Worker)
	}
	detecttest.WantCited(t, det, "framework", "main.go", 11, "grpc.NewServer(): a gRPC server")

	// An HTTP listener of its own beside the gRPC server keeps its route.
	files["main.go"] = grpcMain(`http.HandleFunc("/healthz", func(http.ResponseWriter, *http.Request) {})` + "\n\t" + `go http.ListenAndServe(":8080", nil)`)
	det = detectGo(t, files, nil)
	if det.Framework != "grpc" || det.Port != 8080 || det.HealthPath != "/healthz" {
		t.Errorf("with an HTTP listener: Framework=%q Port=%d HealthPath=%q, want grpc, 8080, /healthz", det.Framework, det.Port, det.HealthPath)
	}

	// Mounted on the program's only listener, an HTTP one (h2c), the gRPC
	// server does not make the program a gRPC service.
	files["main.go"] = goMain([]string{`"net/http"`, `"google.golang.org/grpc"`},
		`s := grpc.NewServer()`+"\n\t"+`mux := http.NewServeMux()`+"\n\t"+`mux.Handle("/pkg.Svc/", s)`+"\n\t"+`mux.HandleFunc("/health", func(http.ResponseWriter, *http.Request) {})`+"\n\t"+`http.ListenAndServe(":8080", mux)`)
	det = detectGo(t, files, nil)
	if det.Framework == "grpc" || det.Port != 8080 || det.HealthPath != "/health" {
		t.Errorf("mounted on HTTP: Framework=%q Port=%d HealthPath=%q, want not grpc, 8080, /health", det.Framework, det.Port, det.HealthPath)
	}
}
