package node

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
)

var (
	// loopbackListenRe matches a listener bound to the loopback address:
	// listen(port, 'localhost'), listen({ host: '127.0.0.1' }),
	// Hapi.server({ host: 'localhost' }).
	loopbackListenRe = regexp.MustCompile(`(?s)(?:listen\(\s*(?:[^,(){}]+,\s*|\{[^}]{0,300}?\bhost(?:name)?\s*:\s*)|\b[Ss]erver\(\s*\{[^}]{0,300}?\bhost\s*:\s*)['"\x60](localhost|127\.0\.0\.1|::1)['"\x60]`)
	// hostEnvRe matches a variable read with a loopback default:
	// process.env.HOST || 'localhost' (listenHostEnvs says whose it is).
	hostEnvRe = regexp.MustCompile(`(?:process\.env\.([A-Z][A-Z0-9_]*)\s*(?:\|\||\?\?)\s*|\{[^{}]*?\b([A-Z][A-Z0-9_]*)\s*=\s*)['"\x60](localhost|127\.0\.0\.1)['"\x60]`)
	// listenHostRe matches a listen call that names a host at all.
	listenHostRe = regexp.MustCompile(`(?s)listen\(\s*(?:[^()]{0,200}?,\s*['"\x60]?(?:0\.0\.0\.0|::)|\{[^}]{0,300}?\bhost\b|[^()]{0,200}?,\s*[A-Za-z_$][\w$.]*\s*[,)])`)
	// listenArgsRe matches a listen call whose first argument dgen can
	// read whole: an object literal, or a name or number (with an || or
	// ?? default), and what follows it.
	listenArgsRe = regexp.MustCompile(`\.listen\(\s*(\{[^{}]{0,300}\}|[\w$.]+(?:\s*(?:\|\||\?\?)\s*[\w$.'"]+)?)\s*([,)])`)
	// callbackArgRe matches a callback argument: (err) =>, function, async.
	callbackArgRe = regexp.MustCompile(`^\s*(?:\(|function\b|async\b|[A-Za-z_$][\w$]*\s*=>)`)
	// listenHostNameRe matches a listen call whose host is a name:
	// listen(port, host), listen({ port, host: bind }), listen({ port, host }).
	listenHostNameRe = regexp.MustCompile(`listen\(\s*(?:[^,(){}]+,\s*([A-Za-z_$][\w$]*)\s*[,)]|\{[^}]{0,300}?\bhost\s*:\s*([A-Za-z_$][\w$]*)\s*[,}]|\{[^}]{0,300}?\b(host)\s*[,}])`)
	// fastifyStartRe matches fastify-cli's start in a command: fastify
	// start …, or fastify run on a file (start is its default command).
	fastifyStartRe = regexp.MustCompile(`(?:^|[\s/])fastify(?:-cli)?\s+(?:start\b|[\w./-]+\.[cm]?[jt]s\b)`)
	// fastifyAddressRe matches an address fastify-cli is given.
	fastifyAddressRe = regexp.MustCompile(`(?:^|\s)(?:-a|--address)(?:\s|=)|FASTIFY_ADDRESS=`)
)

// listenHostEnvs are variables that hold the app's own listen address;
// DB_HOST, REDIS_HOST and the like name other services.
var listenHostEnvs = []string{"HOST", "HOSTNAME", "BIND_HOST", "LISTEN_HOST", "APP_HOST", "SERVER_HOST", "HTTP_HOST", "BIND_ADDRESS", "BIND_ADDR", "LISTEN_ADDRESS", "LISTEN_ADDR", "BIND", "IP"}

// listenSite is a listen call: where it is and its line.
type listenSite struct {
	file string
	line int
	text string
}

// hostBind looks at the address the app binds. A host read from a
// variable whose default is the loopback is set to 0.0.0.0 in the image,
// as is FASTIFY_ADDRESS for fastify-cli. A loopback written in the listen
// call itself, or a Fastify listen call that gives no host (Fastify then
// binds localhost), stops the plan: nothing outside the container could
// reach the app, and no variable changes it. A loopback that reaches the
// call through other code is only a note, since dgen does not follow
// values.
func (a *nodeApp) hostBind() error {
	det, nf := a.det, a.det.Node
	if det.Worker || nf.StaticDir != "" || nf.HostEnv != "" || a.fastifyCLI() {
		return nil
	}
	namesHost := false
	var hostless *listenSite
	for _, f := range a.sourceFiles() {
		data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		if a.hostEnv(f, data) {
			return nil
		}
		if m := loopbackListenRe.FindSubmatchIndex(data); m != nil {
			return a.loopbackLiteral(f, data, m)
		}
		namesHost = namesHost || listenHostRe.Match(data)
		a.loopbackName(f, data)
		if hostless == nil {
			hostless = a.hostlessListen(f, data)
		}
	}
	fix := `listen({ port, host: "0.0.0.0" })`
	switch {
	case namesHost:
		return nil
	case det.Framework == "nestjs" && a.pkg.has("@nestjs/platform-fastify"):
		// Nest's FastifyAdapter keeps Fastify's localhost default.
		fix = `app.listen(port, "0.0.0.0")`
	case det.Framework != "fastify":
		return nil
	}
	if hostless == nil || a.incidental(hostless.file) {
		det.Notef("Fastify listens on localhost unless listen() is given a host, which is unreachable from outside the container: call %s (dgen found no host in the listen call)", fix)
		return nil
	}
	return fmt.Errorf("%s:%d: Fastify listens on localhost when listen() is given no host, and this call (%s) gives none, so nothing outside the container can reach the app; call %s (or read the host from a variable such as HOST), then run dgen again", hostless.file, hostless.line, hostless.text, fix)
}

// hostEnv reports a listen host read from a variable with a loopback
// default: the image sets that variable to 0.0.0.0.
func (a *nodeApp) hostEnv(f string, data []byte) bool {
	det := a.det
	for _, m := range hostEnvRe.FindAllSubmatchIndex(data, 16) {
		name := ""
		for g := 1; g <= 2; g++ {
			if m[2*g] >= 0 {
				name = string(data[m[2*g]:m[2*g+1]])
			}
		}
		if !contains(listenHostEnvs, name) {
			continue
		}
		det.Node.HostEnv = name
		det.Cite("hostEnv", a.rel(f), repo.LineAt(data, m[0]), lineText(data, m[0]))
		det.Notef("%s:%d: the app binds to %s unless %s is set, which is unreachable from outside the container: the image sets %s=0.0.0.0", a.rel(f), repo.LineAt(data, m[0]), data[m[6]:m[7]], name, name)
		return true
	}
	return false
}

// loopbackLiteral stops the plan on a loopback host written in the listen
// call itself; in a developer script or example it is only a note.
func (a *nodeApp) loopbackLiteral(f string, data []byte, m []int) error {
	file, line, host := a.rel(f), repo.LineAt(data, m[0]), string(data[m[2]:m[3]])
	if a.incidental(file) {
		a.det.Notef("%s:%d: the app listens on %s only, which is unreachable from outside the container (published ports and health checks from other containers fail): listen on 0.0.0.0, or read the host from a variable such as HOST", file, line, host)
		return nil
	}
	call := string(data[m[0]:m[1]])
	fix := `listen(port, "0.0.0.0")`
	switch {
	case !strings.HasPrefix(call, "listen("):
		fix = `host: "0.0.0.0"`
	case strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(call, "listen(")), "{"):
		fix = `listen({ port, host: "0.0.0.0" })`
	}
	return fmt.Errorf("%s:%d: the app listens on %s, hard-coded in the listen call (%s), so nothing outside the container can reach it (published ports and health checks fail) and no variable changes it; change it to %s (or read the host from a variable such as HOST), then run dgen again", file, line, host, lineText(data, m[0]), fix)
}

// loopbackName notes a listen host given by a name that the same file
// sets to a loopback literal: dgen does not follow the value to the call,
// so it is said, not acted on.
func (a *nodeApp) loopbackName(f string, data []byte) {
	for _, m := range listenHostNameRe.FindAllSubmatch(data, 8) {
		name := ""
		for _, g := range m[1:] {
			if len(g) > 0 {
				name = string(g)
			}
		}
		decl := regexp.MustCompile(`\b(?:const|let|var)\s+` + regexp.QuoteMeta(name) + `\s*=\s*['"\x60](localhost|127\.0\.0\.1|::1)['"\x60]`)
		if d := decl.FindSubmatchIndex(data); d != nil {
			a.det.Notef("%s:%d: the listen host %s may be %s, which is unreachable from outside the container; if the app listens there, listen on 0.0.0.0 or read the host from a variable such as HOST", a.rel(f), repo.LineAt(data, d[0]), name, data[d[2]:d[3]])
			return
		}
	}
}

// hostlessListen returns the first listen call in data whose own text
// shows it gives no host: an object literal without host, or a port with
// at most a callback after it. A call whose arguments dgen cannot read
// whole (an options variable, a spread) is passed over.
func (a *nodeApp) hostlessListen(f string, data []byte) *listenSite {
	if strings.Contains(string(data), "createServer(") {
		// A Node http server binds every address by default.
		return nil
	}
	for _, m := range listenArgsRe.FindAllSubmatchIndex(data, 8) {
		arg, sep := string(data[m[2]:m[3]]), string(data[m[4]:m[5]])
		switch {
		case strings.HasPrefix(arg, "{"):
			if strings.Contains(arg, "host") || strings.Contains(arg, "...") {
				continue
			}
		case !strings.Contains(strings.ToLower(arg), "port") && !isDigits(arg):
			continue
		case sep == "," && !callbackArgRe.Match(data[m[1]:]):
			continue
		}
		return &listenSite{file: a.rel(f), line: repo.LineAt(data, m[0]), text: lineText(data, m[0])}
	}
	return nil
}

// fastifyCLI reports an app started with fastify-cli (fastify start),
// whose address the command gives, not a listen call; it listens on
// localhost unless given -a/--address or FASTIFY_ADDRESS, so without
// either the image sets FASTIFY_ADDRESS.
func (a *nodeApp) fastifyCLI() bool {
	det := a.det
	start := a.pkg.Scripts["start"]
	if s := strings.Join(det.Start, " "); fastifyStartRe.MatchString(s) {
		start = s
	}
	if !fastifyStartRe.MatchString(start) {
		return false
	}
	if fastifyAddressRe.MatchString(start) {
		return true
	}
	det.Node.HostEnv = "FASTIFY_ADDRESS"
	a.pkg.cite(det, "hostEnv", "scripts", "start", start)
	det.Notef("fastify start listens on localhost unless it is given -a or FASTIFY_ADDRESS, which is unreachable from outside the container: the image sets FASTIFY_ADDRESS=0.0.0.0")
	return true
}

// incidental reports whether file (root-relative) is incidental and not
// the file the start command runs.
func (a *nodeApp) incidental(file string) bool {
	if s := a.det.Start; len(s) > 0 && a.rel(strings.TrimPrefix(s[len(s)-1], "./")) == file {
		return false
	}
	return incidentalSource(file)
}

// incidentalSource reports whether a source file sits where a repository
// keeps developer scripts, examples and mocks rather than its server, or
// is named as one (dev-server.js, mock-api.ts).
func incidentalSource(p string) bool {
	base := strings.ToLower(path.Base(p))
	if strings.HasPrefix(base, "dev") || strings.Contains(base, "mock") || strings.Contains(base, "-dev") || strings.Contains(base, ".dev.") || strings.Contains(base, "_dev") {
		return true
	}
	for _, seg := range strings.Split(path.Dir(p), "/") {
		switch strings.ToLower(seg) {
		case "scripts", "script", "tools", "examples", "example", "demo", "demos", "bench", "benchmarks", "mocks", "mock", "dev", "docs":
			return true
		}
	}
	return false
}

// isDigits reports whether s is a decimal number.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
