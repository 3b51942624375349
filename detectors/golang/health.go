package golang

// goHealthPaths are the paths taken as a health endpoint, best first:
// liveness before readiness, since a readiness check that fails while a
// database is down would mark a healthy process unhealthy.
var goHealthPaths = []string{"/healthz", "/livez", "/health", "/ping", "/readyz", "/ready", "/status"}
