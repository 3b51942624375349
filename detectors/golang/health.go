package golang

import "slices"

// healthPaths are the paths taken as a health endpoint, best first:
// liveness before readiness, since a readiness check that fails while a
// database is down would mark a healthy process unhealthy.
var healthPaths = []string{"/healthz", "/livez", "/health", "/ping", "/readyz", "/ready", "/status"}

// healthRoute is the registered route whose path ranks best in
// healthPaths, the first registered on a tie, or nil.
func healthRoute(scans []*pkgScan) *httpRoute {
	var best *httpRoute
	for _, sc := range scans {
		for i := range sc.Routes {
			r := &sc.Routes[i]
			if k := slices.Index(healthPaths, r.Path); k >= 0 && (best == nil || k < slices.Index(healthPaths, best.Path)) {
				best = r
			}
		}
	}
	return best
}
