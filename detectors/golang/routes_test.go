package golang

import "testing"

// TestGoHealthPrefixes has one row per way a router gets its prefix: a
// health route is taken only with its full path, and never when a
// prefix cannot be worked out.
func TestGoHealthPrefixes(t *testing.T) {
	const chi = `"github.com/go-chi/chi/v5"`
	const gin = `"github.com/gin-gonic/gin"`
	for _, tc := range []struct {
		name    string
		imports []string
		body    string
		rest    []string
		want    string
	}{
		{
			name: "nested chi Route callbacks", imports: []string{`"net/http"`, chi},
			body: "r := chi.NewRouter()\n\tr.Route(\"/api\", func(r chi.Router) {\n\t\tr.Route(\"/v1\", func(v chi.Router) {\n\t\t\tv.Get(\"/healthz\", nil)\n\t\t})\n\t})\n\thttp.ListenAndServe(\":8080\", r)",
			want: "/api/v1/healthz",
		},
		{
			name: "chi Group without a prefix keeps the parent's", imports: []string{`"net/http"`, chi},
			body: "r := chi.NewRouter()\n\tr.Group(func(r chi.Router) {\n\t\tr.Get(\"/livez\", nil)\n\t})\n\thttp.ListenAndServe(\":8080\", r)",
			want: "/livez",
		},
		{
			name: "echo Group", imports: []string{`"github.com/labstack/echo/v4"`},
			body: "e := echo.New()\n\tv1 := e.Group(\"/v1\")\n\tv1.GET(\"/health\", nil)\n\te.Start(\":8080\")",
			want: "/v1/health",
		},
		{
			name: "gorilla PathPrefix().Subrouter()", imports: []string{`"net/http"`, `"github.com/gorilla/mux"`},
			body: "r := mux.NewRouter()\n\tapi := r.PathPrefix(\"/api\").Subrouter()\n\tapi.HandleFunc(\"/healthz\", nil)\n\thttp.ListenAndServe(\":8080\", r)",
			want: "/api/healthz",
		},
		{
			name: "a group whose prefix comes from a variable: no path", imports: []string{`"os"`, gin},
			body: "r := gin.Default()\n\tapi := r.Group(os.Getenv(\"BASE_PATH\"))\n\tapi.GET(\"/health\", nil)\n\tr.Run()",
			want: "",
		},
		{
			name: "routes on a chi.Router parameter may be mounted anywhere: no path", imports: []string{`"net/http"`, chi},
			body: "r := chi.NewRouter()\n\tr.Route(\"/api\", register)\n\thttp.ListenAndServe(\":8080\", r)",
			rest: []string{"func register(r chi.Router) {\n\tr.Get(\"/healthz\", nil)\n}"},
			want: "",
		},
		{
			name: "routes on a *gin.Engine parameter are at the root", imports: []string{gin},
			body: "r := gin.New()\n\tregister(r)\n\tr.Run()",
			rest: []string{"func register(r *gin.Engine) {\n\tr.GET(\"/healthz\", nil)\n}"},
			want: "/healthz",
		},
		{
			name: "a router a function returns, mounted by a call: no path", imports: []string{`"net/http"`, chi},
			body: "r := chi.NewRouter()\n\tr.Mount(\"/api\", apiRoutes())\n\thttp.ListenAndServe(\":8080\", r)",
			rest: []string{"func apiRoutes() chi.Router {\n\tr := chi.NewRouter()\n\tr.Get(\"/health\", nil)\n\treturn r\n}"},
			want: "",
		},
		{
			name: "a ServeMux a function returns, mounted nowhere", imports: []string{`"net/http"`},
			body: "http.ListenAndServe(\":8080\", routes())",
			rest: []string{"func routes() http.Handler {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"GET /healthz\", nil)\n\treturn mux\n}"},
			want: "/healthz",
		},
		{
			name: "a handler stripped of a prefix: returned routers may be under it", imports: []string{`"net/http"`},
			body: "http.Handle(\"/app/\", http.StripPrefix(\"/app\", routes()))\n\thttp.ListenAndServe(\":8080\", nil)",
			rest: []string{"func routes() http.Handler {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"/healthz\", nil)\n\treturn mux\n}"},
			want: "",
		},
		{
			name: "a returned mux that mounts the app under a prefix is the outer one", imports: []string{`"net/http"`},
			body: "http.ListenAndServe(\":8080\", root(http.NewServeMux()))",
			rest: []string{"func root(app http.Handler) http.Handler {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"/healthz\", nil)\n\tmux.Handle(base()+\"/\", http.StripPrefix(base(), app))\n\treturn mux\n}", "func base() string { return \"\" }"},
			want: "/healthz",
		},
		{
			name: "a router returned wrapped, next to a mount elsewhere: no path", imports: []string{`"net/http"`, chi},
			body: "r := chi.NewRouter()\n\tr.Mount(\"/jf\", sub())\n\thttp.ListenAndServe(\":8080\", r)",
			rest: []string{"func sub() http.Handler {\n\tinner := chi.NewRouter()\n\tinner.Group(func(g chi.Router) {\n\t\tg.Get(\"/health\", nil)\n\t})\n\treturn wrap(inner)\n}", "func wrap(h http.Handler) http.Handler { return h }"},
			want: "",
		},
		{
			name: "a router named for another server is not the app's", imports: []string{`"net/http"`},
			body: "telemetryMux := http.NewServeMux()\n\ttelemetryMux.HandleFunc(\"/healthz\", nil)\n\tgo http.ListenAndServe(\":5558\", telemetryMux)\n\thttp.ListenAndServe(\":8080\", nil)",
			want: "",
		},
		{
			name: "status counts only at the root", imports: []string{`"net/http"`},
			body: "http.HandleFunc(\"/v1/jobs/status\", nil)\n\t" + stdlibServer,
			want: "",
		},
		{
			name: "a router kept in a struct field", imports: []string{gin},
			body: "s := &server{router: gin.New()}\n\ts.routes()\n\ts.router.Run()",
			rest: []string{"type server struct{ router *gin.Engine }", "func (s *server) routes() {\n\ts.router.GET(\"/ping\", nil)\n}"},
			want: "/ping",
		},
		{
			name: "routes on a parameter of the program's own router type: no path", imports: []string{`"net/http"`},
			body: "http.ListenAndServe(\":8080\", nil)",
			rest: []string{"type Mux interface{ Handle(string, http.Handler) }", "func mount(routes Mux) {\n\troutes.Handle(\"/healthz\", nil)\n}"},
			want: "",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"go.mod": goModFile("example.com/app", "1.26"), "main.go": goMain(tc.imports, tc.body, tc.rest...)}
			det := detectGo(t, files, nil)
			if det.HealthPath != tc.want {
				t.Errorf("HealthPath = %q, want %q (%v)", det.HealthPath, tc.want, det.Evidence["healthPath"])
			}
			if _, ok := det.Evidence["healthPath"]; ok != (tc.want != "") {
				t.Errorf("healthPath evidence %v for %q", det.Evidence["healthPath"], tc.want)
			}
		})
	}
}
