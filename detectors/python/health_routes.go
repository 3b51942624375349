package python

import (
	"path"
	"regexp"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
)

var (
	// pyRouteDecoRe is a route declared on an app, router or blueprint:
	// @router.get("/health"), @bp.route("/ping"), app.add_api_route(…).
	pyRouteDecoRe = regexp.MustCompile(`(?m)^[ \t]*(?:@([A-Za-z_]\w*)\.(?:get|head|post|api_route|route)\(|([A-Za-z_]\w*)\.(?:add_api_route|add_url_rule)\()\s*["'](/[^"'\s]*)["']`)
	// pyRouterDefRe is a FastAPI router or Flask blueprint object.
	pyRouterDefRe = regexp.MustCompile(`(?m)^([A-Za-z_]\w*)\s*(?::\s*[\w.]+\s*)?=\s*(?:\w+\.)?(APIRouter|Blueprint)\(([^)]*)\)?`)
	// pyIncludeRe mounts a router or blueprint on an app or another one.
	pyIncludeRe = regexp.MustCompile(`([A-Za-z_]\w*)\.(?:include_router|register_blueprint)\(\s*([A-Za-z_][\w.]*)\s*(?:,([^)]*))?\)`)
	// pyPrefixKwRe reads a prefix keyword argument: a string literal, or
	// anything else (then the prefix is unknown).
	pyPrefixKwRe = regexp.MustCompile(`\b(?:url_prefix|prefix)\s*=\s*(?:["']([^"']*)["']|(\S))`)
	// pyAppDefRe is an app object in a file.
	pyAppDefRe = regexp.MustCompile(`(?m)^[ \t]*([A-Za-z_]\w*)\s*(?::\s*[\w.]+\s*)?=\s*(?:\w+\.)?(?:FastAPI|Flask|Starlette|Quart|Litestar)\(`)
)

// pyRouteOwner is where a route is declared: a variable of a file.
type pyRouteOwner struct {
	file *pyFile
	name string
}

// routePath returns the full path a route declared on owner is served at,
// resolving router and blueprint prefixes up to the app; ok is false when
// a prefix is not a literal, or the router is never mounted where dgen can
// see it.
func (s *pyScan) routePath(o pyRouteOwner, route string, depth int) (string, bool) {
	if depth > 4 {
		return "", false
	}
	for _, m := range pyAppDefRe.FindAllSubmatch(o.file.data, -1) {
		if string(m[1]) == o.name {
			return route, true
		}
	}
	own, kind, ok := pyRouterPrefix(o)
	if !ok {
		// The app or router may be imported from the module that
		// creates it (from .main import app).
		if mod := pyImportedFrom(o.file, o.name); mod != "" {
			if f := s.src.module(mod); f != nil && f != o.file {
				return s.routePath(pyRouteOwner{f, o.name}, route, depth+1)
			}
		}
		return "", false
	}
	for _, g := range s.src.files {
		if !g.has("include_router", "register_blueprint") {
			continue
		}
		for _, m := range pyIncludeRe.FindAllStringSubmatch(string(g.data), -1) {
			if !pyRefersTo(g, m[2], o) {
				continue
			}
			prefix := own
			if kw := pyPrefixKwRe.FindStringSubmatch(m[3]); kw != nil {
				if kw[2] != "" {
					return "", false
				}
				if kind == "Blueprint" {
					prefix = kw[1] // a registration's url_prefix replaces the blueprint's
				} else {
					prefix = kw[1] + own
				}
			}
			return s.routePath(pyRouteOwner{g, m[1]}, pyJoinRoute(prefix, route), depth+1)
		}
	}
	return "", false
}

// pyRouterPrefix reads the prefix a router or blueprint is created with;
// ok is false when owner is no router or blueprint of its file, or its
// prefix is not a literal.
func pyRouterPrefix(o pyRouteOwner) (prefix, kind string, ok bool) {
	for _, m := range pyRouterDefRe.FindAllSubmatch(o.file.data, -1) {
		if string(m[1]) != o.name {
			continue
		}
		kw := pyPrefixKwRe.FindSubmatch(m[3])
		switch {
		case kw == nil:
			return "", string(m[2]), true
		case len(kw[2]) > 0:
			return "", "", false
		}
		return string(kw[1]), string(m[2]), true
	}
	return "", "", false
}

// pyRefersTo reports whether expr, written in g, names owner's variable:
// the variable itself in its own file, a name imported from its module
// (with or without an alias), or module.variable.
func pyRefersTo(g *pyFile, expr string, o pyRouteOwner) bool {
	base := o.file.module
	if i := strings.LastIndex(base, "."); i >= 0 {
		base = base[i+1:]
	}
	if q, v, dotted := strings.Cut(expr, "."); dotted {
		last := v[strings.LastIndex(v, ".")+1:]
		return last == o.name && (q == base || strings.HasSuffix(strings.TrimSuffix(expr, "."+o.name), base))
	}
	if g == o.file {
		return expr == o.name
	}
	re := regexp.MustCompile(`(?m)^\s*from\s+([.\w]+)\s+import\s+[^\n]*\b` + regexp.QuoteMeta(o.name) + `(?:\s+as\s+(\w+))?`)
	for _, m := range re.FindAllStringSubmatch(string(g.data), -1) {
		name := o.name
		if m[2] != "" {
			name = m[2]
		}
		mod := strings.TrimLeft(m[1], ".")
		if name == expr && (mod == base || strings.HasSuffix(mod, "."+base) || pyImportedFrom(g, name) == o.file.module) {
			return true
		}
	}
	return false
}

// pyJoinRoute joins a prefix and a route as the frameworks do.
func pyJoinRoute(prefix, route string) string {
	if prefix == "" {
		return route
	}
	return strings.TrimSuffix(prefix, "/") + route
}

// pyIsHealth reports whether a full path ends in a health name.
func pyIsHealth(p string) bool {
	_, ok := pyHealthRank[path.Base(strings.TrimSuffix(p, "/"))]
	return ok && p != "/"
}

// pyRouteHit is a health route with its full path.
type pyRouteHit struct {
	path string
	m    pyMatch
}

// routeHealth finds health routes declared on apps, routers and
// blueprints, with their prefixes resolved. When the source sets no
// prefix anywhere (prefixed is false), a route's literal is its full path
// even where dgen cannot follow the router to the app. unresolved counts
// the health routes whose full path is unknown.
func (s *pyScan) routeHealth(prefixed bool) (hits []pyRouteHit, unresolved int) {
	for _, m := range s.src.find(pyRouteDecoRe, pyHealthNames...) {
		owner := m.sub[1]
		if owner == "" {
			owner = m.sub[2]
		}
		full, ok := s.routePath(pyRouteOwner{m.file, owner}, m.sub[3], 0)
		if !ok && !prefixed {
			full, ok = m.sub[3], true
		}
		switch {
		case ok && pyIsHealth(full):
			hits = append(hits, pyRouteHit{full, m})
		case !ok && pyIsHealth(m.sub[3]):
			unresolved++
		}
	}
	return hits, unresolved
}

var (
	pyDjangoIncludeRe = regexp.MustCompile(`(?:re_)?path\(\s*r?["']\^?([\w/-]*?)\$?["']\s*,\s*include\(\s*["']([\w.]+)["']`)
)

// djangoHealth finds health paths in the root URLconf and in the URLconfs
// it include()s under a literal prefix, one level down.
func (s *pyScan) djangoHealth() []pyRouteHit {
	root := s.src.file(s.djangoRootURLConf())
	if root == nil {
		return nil
	}
	var hits []pyRouteHit
	for _, m := range root.find(pyDjangoHealthRe, pyHealthNames...) {
		hits = append(hits, pyRouteHit{"/" + m.sub[1], m})
	}
	dir := path.Dir(s.facts.ManagePy)
	for _, inc := range root.find(pyDjangoIncludeRe, "include") {
		f := s.src.file(s.djangoModuleFile(dir, inc.sub[2]))
		if f == nil {
			continue
		}
		for _, m := range f.find(pyDjangoHealthRe, pyHealthNames...) {
			hits = append(hits, pyRouteHit{"/" + inc.sub[1] + m.sub[1], m})
		}
	}
	return hits
}

var (
	// pyLitestarRouteRe is a Litestar handler decorator: @get("/health"),
	// @get(path="/health", …), over several lines.
	pyLitestarRouteRe = regexp.MustCompile(`(?m)^([ \t]*)@(?:get|head|route)\(((?:[^()]|\([^()]*\))*)\)`)
	pyLitestarPathRe  = regexp.MustCompile(`^\s*\[?\s*["'](/[^"']*)["']|\bpath\s*=\s*\[?\s*["'](/[^"']*)["']`)
	pyClassPathRe     = regexp.MustCompile(`(?m)^[ \t]+path\s*(?::\s*str\s*)?=\s*["']([^"']*)["']`)
	pyLitestarRouter  = regexp.MustCompile(`\bRouter\(\s*(?:path\s*=\s*)?["']/`)
)

// litestarHealth finds Litestar handlers: a function handler's path is its
// own, a controller's handler is under the controller's path. A Router
// with a path anywhere is a prefix dgen does not follow, so then none is
// resolved.
func (s *pyScan) litestarHealth() (hits []pyRouteHit, unresolved int) {
	routers := false
	for _, f := range s.src.files {
		routers = routers || (f.has("Router(") && pyLitestarRouter.Match(f.data))
	}
	for _, f := range s.src.files {
		if !f.imports("litestar") || !f.has("@get(", "@head(", "@route(") {
			continue
		}
		for _, loc := range pyLitestarRouteRe.FindAllSubmatchIndex(f.data, -1) {
			pm := pyLitestarPathRe.FindSubmatch(f.data[loc[4]:loc[5]])
			if pm == nil {
				continue
			}
			route := string(pm[1]) + string(pm[2])
			prefix := ""
			if loc[3] > loc[2] {
				// Indented: a method of the nearest class above.
				cls := pyClassRe.FindAllIndex(f.data[:loc[0]], -1)
				if len(cls) > 0 {
					if cp := pyClassPathRe.FindSubmatch(f.data[cls[len(cls)-1][0]:loc[0]]); cp != nil {
						prefix = string(cp[1])
					}
				}
			}
			full := pyJoinRoute(prefix, route)
			if !pyIsHealth(full) {
				continue
			}
			if routers {
				unresolved++
				continue
			}
			line := repo.LineAt(f.data, loc[0])
			hits = append(hits, pyRouteHit{full, pyMatch{file: f, line: line, text: pyLineText(f.data, line)}})
		}
	}
	return hits, unresolved
}
