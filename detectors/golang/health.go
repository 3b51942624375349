package golang

import "slices"

// goHealthPaths are the paths taken as a health endpoint, best first:
// liveness before readiness, since a readiness check that fails while a
// database is down would mark a healthy process unhealthy.
var goHealthPaths = []string{"/healthz", "/livez", "/health", "/ping", "/readyz", "/ready", "/status"}

// goHealthRoute is the registered route whose path ranks best in
// goHealthPaths, the first registered on a tie, or nil.
func goHealthRoute(scans []*goScan) *goRoute {
	var best *goRoute
	for _, sc := range scans {
		for i := range sc.Routes {
			r := &sc.Routes[i]
			if k := slices.Index(goHealthPaths, r.Path); k >= 0 && (best == nil || k < slices.Index(goHealthPaths, best.Path)) {
				best = r
			}
		}
	}
	return best
}
