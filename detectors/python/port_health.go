package python

import (
	"path"
	"regexp"
	"sort"
	"strings"
)

var (
	pyHealthRe       = regexp.MustCompile(`["'](/(?:healthz|health|livez|ping)/?)["']`)
	pyDjangoHealthRe = regexp.MustCompile(`(?:re_)?path\(\s*r?["']\^?((?:healthz|health|livez|ping)/?)\$?["']`)
	pyPrefixRe       = regexp.MustCompile(`\b(?:url_prefix|prefix|root_path)\s*=|\bMount\(|(?m:^[ \t]+path\s*(?::\s*str\s*)?=\s*["']/[^"'])|\bRouter\(\s*path\s*=`)
	pyHealthNames    = []string{"health", "livez", "ping"}
)

// pyHealthRank orders health paths: the Kubernetes-style liveness names
// first.
var pyHealthRank = map[string]int{"healthz": 0, "health": 1, "livez": 2, "ping": 3}

// healthPath looks for a health route (/healthz, /health, /livez, /ping)
// whose full path is known: a route on the app, or on a router or
// blueprint whose prefixes (APIRouter(prefix=…), include_router(prefix=…),
// Blueprint(url_prefix=…), register_blueprint(url_prefix=…)) are literals
// up to the app; for Django, the root URLconf and the URLconfs it
// include()s. A literal outside a route declaration (a stdlib handler's
// path comparison) counts only when nothing in the source mounts routes
// under a prefix. When no full path is known, the probe takes any HTTP
// answer as liveness; it never guesses a path.
func (s *pyScan) healthPath() {
	if s.det.HealthPath != "" {
		return
	}
	var hits []pyRouteHit
	unresolved := 0
	prefixed := false
	if s.facts.ManagePy != "" {
		hits = s.djangoHealth()
	} else {
		for _, f := range s.src.files {
			if f.has("prefix", "root_path", "Mount(", "path") && pyPrefixRe.Match(f.data) {
				prefixed = true
			}
		}
		hits, unresolved = s.routeHealth(prefixed)
		lh, lu := s.litestarHealth()
		hits, unresolved = append(hits, lh...), unresolved+lu
		for _, m := range s.src.find(pyHealthRe, pyHealthNames...) {
			switch {
			case pyRouteDecoRe.MatchString(m.text):
			case prefixed:
				unresolved++
			default:
				hits = append(hits, pyRouteHit{m.sub[1], m})
			}
		}
	}
	if len(hits) == 0 {
		if unresolved > 0 {
			s.det.Notef("health route not taken from the code: its router or blueprint prefix is not a literal dgen can follow to the app, so its full path is unknown; the probe takes any HTTP answer (pass --health-path to name it)")
		}
		return
	}
	sort.SliceStable(hits, func(i, j int) bool {
		return pyHealthRank[path.Base(strings.TrimSuffix(hits[i].path, "/"))] < pyHealthRank[path.Base(strings.TrimSuffix(hits[j].path, "/"))]
	})
	h := hits[0]
	s.det.HealthPath = h.path
	s.det.Cite("healthPath", h.m.file.path, h.m.line, h.m.text)
	s.djangoProbeNotes()
}
