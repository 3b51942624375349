package node

import (
	"bytes"
	"path"
	"regexp"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
)

// healthNames are the route paths taken as health checks.
const healthNames = `/(?:api/)?(?:healthz|health|livez|readyz|ping)`

var (
	// routeOnRe matches a route registered on a receiver:
	// router.get('/health', …), app.all('/ping', …).
	routeOnRe = regexp.MustCompile(`\b([A-Za-z_$][\w$]*)\s*\.\s*(?:get|all|head|route|use|on)\(\s*(?:['"]GET['"]\s*,\s*)?['"\x60](` + healthNames + `)['"\x60]`)
	// urlCompareRe matches a plain http handler comparing the request's
	// path: the path is the full one.
	urlCompareRe = regexp.MustCompile(`(?:===?\s*|case\s+)['"\x60](` + healthNames + `)['"\x60]`)
	// routeObjectRe matches a route object ({ path: '/health' } in hapi,
	// { url: '/health' } in Fastify), full only when nothing adds a prefix.
	routeObjectRe = regexp.MustCompile(`\b(?:path|url)\s*:\s*['"\x60](` + healthNames + `)['"\x60]`)
	// anyPrefixRe matches something that adds a prefix to routes.
	anyPrefixRe = regexp.MustCompile(`\bprefix\s*:|\.(?:use|route)\(\s*['"\x60]/[^'"\x60]+['"\x60]\s*,|setGlobalPrefix\(`)

	nestControllerRe = regexp.MustCompile(`@Controller\(\s*(?:['"\x60]/?([\w/-]*)['"\x60])?\s*\)`)
	nestGetRe        = regexp.MustCompile(`@(?:Get|All|Head)\(\s*(?:['"\x60]/?([\w/-]*)['"\x60])?\s*\)`)
	nestPrefixRe     = regexp.MustCompile(`setGlobalPrefix\(\s*['"\x60]/?([\w/-]*)['"\x60]\s*(,)?`)
	nestHealthNames  = regexp.MustCompile(`^` + healthNames + `$`)

	// importRe matches a module bound to a name: const x = require('./r'),
	// import x from './r', import { x as y } from './r' (group 1 or 2 is
	// the name, 3 the module).
	importRe = regexp.MustCompile(`(?:(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:await\s+)?require\(\s*|import\s+(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)\s+from\s+)['"\x60](\.{1,2}/[^'"\x60]+)['"\x60]`)
	// inlineRequireRe matches a module mounted or called where it is
	// required: app.use('/api', require('./r')), require('./r')(app).
	inlineRequireRe = regexp.MustCompile(`\b([A-Za-z_$][\w$]*)\.(?:use|route)\(\s*(?:['"\x60](/[^'"\x60]*)['"\x60]\s*,\s*)?require\(\s*['"\x60](\.{1,2}/[^'"\x60]+)['"\x60]\s*\)|require\(\s*['"\x60](\.{1,2}/[^'"\x60]+)['"\x60]\s*\)\s*\(\s*([A-Za-z_$][\w$]*)`)
)

// maxMountDepth bounds how many routers deep a prefix is followed.
const maxMountDepth = 4

// serverHealthPath finds a health route in the server code and sets
// HealthPath only when the prefixes of every router it sits on are
// known. A route whose prefix cannot be resolved is skipped, so the
// health check falls back to "any HTTP answer" rather than probing a
// guessed path.
func (a *nodeApp) serverHealthPath() {
	files := a.sourceFiles()
	src := map[string][]byte{}
	prefixed := false
	for _, f := range files {
		if data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize); err == nil {
			src[f] = data
			prefixed = prefixed || anyPrefixRe.Match(data)
		}
	}
	r := &routeResolver{files: files, src: src}
	for _, f := range files {
		data := src[f]
		if data == nil {
			continue
		}
		for _, m := range routeOnRe.FindAllSubmatchIndex(data, 16) {
			recv, route := string(data[m[2]:m[3]]), string(data[m[4]:m[5]])
			prefix, ok := r.prefix(f, recv, 0)
			if !ok {
				continue
			}
			a.setHealth(f, data, m[0], joinRoute(prefix, route))
			return
		}
		if m := urlCompareRe.FindSubmatchIndex(data); m != nil {
			a.setHealth(f, data, m[0], string(data[m[2]:m[3]]))
			return
		}
		for _, m := range routeObjectRe.FindAllSubmatchIndex(data, 16) {
			if !prefixed && routeHandlerNear(data, m[0]) {
				a.setHealth(f, data, m[0], string(data[m[2]:m[3]]))
				return
			}
		}
		if p, off, ok := r.nestRoute(f); ok {
			a.setHealth(f, data, off, p)
			return
		}
	}
}

// routeHandlerNear reports whether the object around byte off declares
// a handler, as a route object does; the same path: key in the options of
// an outgoing request (http.request) has none.
func routeHandlerNear(data []byte, off int) bool {
	lo, hi := max(0, off-300), min(len(data), off+300)
	return bytes.Contains(data[lo:hi], []byte("handler"))
}

// setHealth records the health path found at byte off of file f.
func (a *nodeApp) setHealth(f string, data []byte, off int, p string) {
	a.det.HealthPath = p
	a.det.Cite("healthPath", a.rel(f), repo.LineAt(data, off), lineText(data, off))
}

// joinRoute joins a router prefix and a route path.
func joinRoute(prefix, route string) string {
	if prefix == "" || prefix == "/" {
		return route
	}
	return strings.TrimSuffix("/"+strings.Trim(prefix, "/"), "/") + route
}

// routeResolver follows router mounts through the app's sources.
type routeResolver struct {
	files []string
	src   map[string][]byte
}

// appLikeRe builds the pattern of an app object created under name.
func appLikeRe(name string) *regexp.Regexp {
	n := regexp.QuoteMeta(name)
	return regexp.MustCompile(`\b` + n + `\s*=\s*(?:await\s+)?(?:(?:express|fastify|Fastify|polka|connect|require\(\s*['"]express['"]\s*\))\s*\(|restify\.createServer\(|new\s+(?:Koa|Hono|Elysia)\b)|\b` + n + `\s*\.\s*listen\(`)
}

// prefix returns the path prefix under which routes registered on recv
// in file f are served, and whether it is known.
func (r *routeResolver) prefix(f, recv string, depth int) (string, bool) {
	if depth > maxMountDepth {
		return "", false
	}
	data := r.src[f]
	own := ""
	n := regexp.QuoteMeta(recv)
	// koa-router and similar: new Router({ prefix: '/api' }).
	if m := regexp.MustCompile(`\b` + n + `\s*=\s*new\s+\w*Router\(\s*\{[^}]*\bprefix\s*:\s*['"\x60](/[^'"\x60]*)['"\x60]`).FindSubmatch(data); m != nil {
		own = string(m[1])
	}
	if p, ok := r.mountIn(f, recv, depth); ok {
		return joinPrefix(p, own), true
	}
	if appLikeRe(recv).Match(data) {
		return own, true
	}
	// Exported from f: find where another file mounts it.
	for _, g := range r.files {
		if g == f {
			continue
		}
		if p, ok := r.importedMount(g, f, depth); ok {
			return joinPrefix(p, own), true
		}
	}
	return "", false
}

// joinPrefix joins two prefixes.
func joinPrefix(outer, inner string) string {
	if inner == "" {
		return outer
	}
	return strings.TrimSuffix(outer, "/") + "/" + strings.Trim(inner, "/")
}

// mountIn finds where file f mounts recv on another router or app
// (use/route with or without a path, Fastify's register with a prefix)
// and returns the full prefix.
func (r *routeResolver) mountIn(f, recv string, depth int) (string, bool) {
	data := r.src[f]
	n := regexp.QuoteMeta(recv)
	mw := `(?:[\w$.]+(?:\([^()]*\))?\s*,\s*)*`
	withPath := regexp.MustCompile(`\b([A-Za-z_$][\w$]*)\.(?:use|route)\(\s*['"\x60](/[^'"\x60]*)['"\x60]\s*,\s*` + mw + n + `(?:\.routes\(\))?\s*[,)]`)
	if m := withPath.FindSubmatch(data); m != nil && string(m[1]) != recv {
		if outer, ok := r.prefix(f, string(m[1]), depth+1); ok {
			return joinPrefix(outer, string(m[2])), true
		}
		return "", false
	}
	// Without a path the router must come first: in use(x, router) x
	// may be a middleware or a path held in a variable.
	bare := regexp.MustCompile(`\b([A-Za-z_$][\w$]*)\.use\(\s*` + n + `(?:\.routes\(\))?\s*[,)]`)
	if m := bare.FindSubmatch(data); m != nil && string(m[1]) != recv {
		return r.prefix(f, string(m[1]), depth+1)
	}
	register := regexp.MustCompile(`\b([A-Za-z_$][\w$]*)\.register\(\s*` + n + `\s*(?:,\s*\{([^}]*)\})?\s*\)`)
	if m := register.FindSubmatch(data); m != nil && string(m[1]) != recv {
		outer, ok := r.prefix(f, string(m[1]), depth+1)
		if !ok {
			return "", false
		}
		if pm := regexp.MustCompile(`\bprefix\s*:\s*(['"\x60])?(/[^'"\x60,}]*)`).FindSubmatch(m[2]); pm != nil {
			if pm[1] == nil {
				return "", false // a prefix from a variable
			}
			return joinPrefix(outer, string(pm[2])), true
		}
		return outer, true
	}
	// A function that registers routes on the app it is given:
	// routes(app), healthRoutes(server).
	call := regexp.MustCompile(`\b` + n + `\s*\(\s*([A-Za-z_$][\w$]*)\s*[,)]`)
	if m := call.FindSubmatch(data); m != nil && string(m[1]) != recv {
		return r.prefix(f, string(m[1]), depth+1)
	}
	return "", false
}

// importedMount finds in file g a mount of the module in file f, bound
// to a name or required inline, and returns the full prefix.
func (r *routeResolver) importedMount(g, f string, depth int) (string, bool) {
	data := r.src[g]
	for _, m := range importRe.FindAllSubmatch(data, 64) {
		name := string(m[1])
		if name == "" {
			name = string(m[2])
		}
		if r.resolves(g, string(m[3]), f) {
			if p, ok := r.mountIn(g, name, depth+1); ok {
				return p, true
			}
		}
	}
	for _, m := range inlineRequireRe.FindAllSubmatch(data, 64) {
		switch {
		case m[3] != nil && r.resolves(g, string(m[3]), f):
			outer, ok := r.prefix(g, string(m[1]), depth+1)
			if ok {
				return joinPrefix(outer, string(m[2])), true
			}
		case m[4] != nil && r.resolves(g, string(m[4]), f):
			if p, ok := r.prefix(g, string(m[5]), depth+1); ok {
				return p, true
			}
		}
	}
	return "", false
}

// resolves reports whether module spec, imported from file g, is file f.
func (r *routeResolver) resolves(g, spec, f string) bool {
	base := path.Join(path.Dir(g), spec)
	if base == f {
		return true
	}
	stem := strings.TrimSuffix(f, path.Ext(f))
	// TypeScript sources import their compiled name (./routes.js).
	if strings.TrimSuffix(base, path.Ext(base)) == stem && path.Ext(base) != "" {
		return true
	}
	return base == stem || base+"/index" == stem
}

// nestRoute finds a NestJS health route in file f: @Controller('health')
// with a bare @Get(), or @Get('health') in a controller without a path,
// under the global prefix when setGlobalPrefix names one. Versioning and
// a prefix with exclusions leave it unresolved.
func (r *routeResolver) nestRoute(f string) (string, int, bool) {
	data := r.src[f]
	cm := nestControllerRe.FindSubmatchIndex(data)
	if cm == nil {
		return "", 0, false
	}
	ctrl := ""
	if cm[2] >= 0 {
		ctrl = strings.Trim(string(data[cm[2]:cm[3]]), "/")
	}
	route, off := "", -1
	for _, gm := range nestGetRe.FindAllSubmatchIndex(data, 32) {
		sub := ""
		if gm[2] >= 0 {
			sub = strings.Trim(string(data[gm[2]:gm[3]]), "/")
		}
		full := "/" + strings.Trim(ctrl+"/"+sub, "/")
		if nestHealthNames.MatchString(full) {
			route, off = full, cm[0]
			if ctrl == "" {
				off = gm[0]
			}
			break
		}
	}
	if route == "" {
		return "", 0, false
	}
	global := ""
	for _, g := range r.files {
		d := r.src[g]
		if bytes.Contains(d, []byte("enableVersioning(")) {
			return "", 0, false
		}
		if m := nestPrefixRe.FindSubmatch(d); m != nil {
			if m[2] != nil {
				return "", 0, false // exclusions: which routes they cover is not read
			}
			global = string(m[1])
		} else if bytes.Contains(d, []byte("setGlobalPrefix(")) {
			return "", 0, false // a prefix from a variable
		}
	}
	return joinRoute(global, route), off, true
}
