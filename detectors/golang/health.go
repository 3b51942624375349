package golang

import (
	"path"
	"slices"
)

// healthPaths are the last elements of the paths taken as a health
// endpoint, best first: liveness before readiness, since a readiness
// check that fails while a database is down would mark a healthy process
// unhealthy.
var healthPaths = []string{"healthz", "livez", "health", "ping", "readyz", "ready", "status"}

// healthRank is the rank of a route's full path in healthPaths, -1 for
// none. A route with a path parameter or wildcard is not one.
func healthRank(p string) int {
	k := slices.Index(healthPaths, path.Base(p))
	if k >= 0 && healthPaths[k] == "status" && path.Dir(p) != "/" {
		return -1 // /v1/jobs/status is an API's, not the process's
	}
	return k
}

// healthRoute is the registered route whose full path ranks best in
// healthPaths (status only at the root), on a router not named for
// another server (the shorter path on a tie, then the first registered),
// or nil. Only routes whose router prefix is known are registered; when
// a router built by a call is mounted under a prefix somewhere, routes on
// routers that functions return are left out too, since they may be the
// mounted ones.
func healthRoute(scans []*pkgScan) *httpRoute {
	mounts := slices.ContainsFunc(scans, func(sc *pkgScan) bool { return sc.MountsCall })
	var best *httpRoute
	for _, sc := range scans {
		for i := range sc.Routes {
			r := &sc.Routes[i]
			k := healthRank(r.Path)
			if k < 0 || (mounts && r.returned) || sideRouter(r.recv) {
				continue
			}
			if best == nil || k < healthRank(best.Path) || (k == healthRank(best.Path) && len(r.Path) < len(best.Path)) {
				best = r
			}
		}
	}
	return best
}

// sideRouter reports whether a router is named for another server
// (telemetryRouter, metricsMux, adminRouter): its routes are served on
// that server's port, not the app's.
func sideRouter(recv string) bool {
	return sideWords.MatchString(recv) || otherServices.MatchString(recv)
}
