package python

import (
	"regexp"
	"sort"
	"strings"
)

var (
	pyHealthRe       = regexp.MustCompile(`["'](/(?:healthz|health|livez|ping)/?)["']`)
	pyDjangoHealthRe = regexp.MustCompile(`(?:re_)?path\(\s*r?["']\^?((?:healthz|health|livez|ping)/?)\$?["']`)
	pyPrefixRe       = regexp.MustCompile(`\b(?:url_prefix|prefix|root_path)\s*=|\bMount\(`)
	pyHealthNames    = []string{"health", "livez", "ping"}
)

// pyHealthRank orders health paths: the Kubernetes-style liveness names
// first.
var pyHealthRank = map[string]int{"healthz": 0, "health": 1, "livez": 2, "ping": 3}

// healthPath looks for a route literal /healthz, /health, /livez or /ping.
// A route in a router or blueprint could be mounted under a prefix, so a
// literal counts only when the source sets no prefix anywhere, or when it
// is on the app object itself. Django paths count only in the root URLconf.
func (s *pyScan) healthPath() {
	if s.det.HealthPath != "" {
		return
	}
	prefixed := false
	for _, f := range s.src.files {
		if f.has("prefix", "root_path", "Mount(") && pyPrefixRe.Match(f.data) {
			prefixed = true
		}
	}
	appVar := ""
	if len(s.det.Start) > 0 {
		for _, a := range s.det.Start {
			if i := strings.Index(a, ":"); i > 0 && pyAppSpecRe.MatchString(a) {
				appVar = strings.TrimSuffix(a[i+1:], "()")
			}
		}
	}
	type hit struct {
		path string
		m    pyMatch
	}
	var hits []hit
	if s.facts.ManagePy != "" {
		if f := s.src.file(s.djangoRootURLConf()); f != nil {
			for _, m := range f.find(pyDjangoHealthRe, pyHealthNames...) {
				hits = append(hits, hit{"/" + m.sub[1], m})
			}
		}
	} else {
		for _, m := range s.src.find(pyHealthRe, pyHealthNames...) {
			onApp := appVar != "" && regexp.MustCompile(`\b`+regexp.QuoteMeta(appVar)+`\.`).MatchString(m.text)
			if prefixed && !onApp {
				continue
			}
			hits = append(hits, hit{m.sub[1], m})
		}
	}
	if len(hits) == 0 {
		if prefixed {
			s.det.Notef("health route not taken from the code: routers or blueprints are mounted under prefixes, so a literal path may not be the served one; pass --health-path")
		}
		return
	}
	sort.SliceStable(hits, func(i, j int) bool {
		return pyHealthRank[strings.Trim(hits[i].path, "/")] < pyHealthRank[strings.Trim(hits[j].path, "/")]
	})
	h := hits[0]
	s.det.HealthPath = h.path
	s.det.Cite("healthPath", h.m.file.path, h.m.line, h.m.text)
	s.djangoProbeNotes()
}
