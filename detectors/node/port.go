package node

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/catalog"
	"go.yaml.in/yaml/v3"
)

// envRef matches a read of an environment variable whose name ends in
// PORT, in the forms Node, Bun and Vite code use; the name is group 1 or 2.
const envRef = `(?:process\.env|Bun\.env|import\.meta\.env)(?:\.((?:[A-Z][A-Z0-9_]*)?PORT)|\[\s*['"]((?:[A-Z][A-Z0-9_]*)?PORT)['"]\s*\])`

// envChain is what may sit between an env lookup and its fallback: a
// closing parenthesis or radix, and further lookups
// (process.env.PORT || process.env.OTHER_PORT || 8080).
const envChain = `\s*\)?(?:\s*,\s*10\s*\))?\s*(?:\|\||\?\?)\s*(?:(?:process\.env|Bun\.env)\.[A-Z][A-Z0-9_]*\s*(?:\|\||\?\?)\s*)*`

// portPass is one way code states its port, tried in order over every
// source file before the next.
type portPass struct {
	re *regexp.Regexp
	// env reports the variable name when the port is a fallback of an
	// environment lookup.
	env bool
	// anyName accepts a variable other than PORT (APP_PORT, …).
	anyName bool
	// skipAux skips a match on a line about a metrics or debug server.
	skipAux bool
}

var portPasses = []portPass{
	// process.env.PORT || 8081, Number(process.env.PORT ?? "8081"),
	// parseInt(process.env.PORT, 10) || 8081
	{re: regexp.MustCompile(envRef + envChain + `['"]?(\d{2,5})\b`), env: true},
	// const { PORT = 8081 } = process.env
	{re: regexp.MustCompile(`\{[^{}]*?\b(PORT)()\s*=\s*['"]?(\d{2,5})\b[^{}]*\}\s*=\s*process\.env\b`), env: true},
	// process.env.APP_PORT ?? 4000
	{re: regexp.MustCompile(envRef + envChain + `['"]?(\d{2,5})\b`), env: true, anyName: true},
	// An env schema with a default: PORT: Joi.number().default(3000),
	// PORT: z.coerce.number().default(3000), PORT: port({ default: 3000 }).
	{re: regexp.MustCompile(`\b((?:[A-Z][A-Z0-9_]*)?PORT)()['"]?\s*:\s*[^,\n]{0,80}?(?:\.default\(\s*|\{\s*default\s*:\s*)['"]?(\d{2,5})\b`), env: true, anyName: true},
	{re: regexp.MustCompile(`\.listen\(\s*(\d{2,5})\b`), skipAux: true},
	// listen({ port: 3000 }), Bun's serve({ port }), hapi's
	// Hapi.server({ port: 3000 }).
	{re: regexp.MustCompile(`(?s)(?:listen|serve|\b[Ss]erver)\(\s*\{[^}]{0,300}?\bport\s*:\s*(\d{2,5})\b`), skipAux: true},
	{re: regexp.MustCompile(`\b(?:const|let|var)\s+(?:PORT|port|DEFAULT_PORT)\s*=\s*(\d{2,5})\b`)},
}

// appPortEnvs are variable names, besides PORT, that hold the app's own
// port; DB_PORT, REDIS_PORT, METRICS_PORT and the like are someone
// else's.
var appPortEnvs = []string{"APP_PORT", "HTTP_PORT", "SERVER_PORT", "API_PORT", "WEB_PORT", "NODE_PORT", "SERVICE_PORT", "LISTEN_PORT", "EXPRESS_PORT", "BACKEND_PORT", "NITRO_PORT"}

// auxListenerRe marks a line about a second, auxiliary server: its port
// is not the app's.
var auxListenerRe = regexp.MustCompile(`(?i)metric|prometheus|debug|inspect|admin`)

// port finds the port from the source code, unless the framework or the
// start script already said, and sets 8080 for static sites (nginx).
func (a *nodeApp) port() {
	det, nf := a.det, a.det.Node
	if nf.StaticDir != "" {
		det.Port = 8080
		det.Cite("port", "", 0, "static site served by nginx on 8080 (unprivileged port)")
		return
	}
	if det.Port != 0 && det.Evidence["port"].Line > 0 {
		return // from the start script
	}
	files := a.sourceFiles()
	for _, pass := range portPasses {
		if a.portPass(pass, files) {
			return
		}
	}
	if a.fallbackPort(files) || a.configPort(files) || a.envExamplePort() {
		return
	}
}

// portPass runs one pass over files and reports whether it set the port.
func (a *nodeApp) portPass(pass portPass, files []string) bool {
	for _, f := range files {
		data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		for _, m := range pass.re.FindAllSubmatchIndex(data, 8) {
			num := m[len(m)-2:]
			n, err := strconv.Atoi(string(data[num[0]:num[1]]))
			if err != nil || n < 1 || n > 65535 {
				continue
			}
			if pass.skipAux && auxListenerRe.MatchString(lineText(data, m[0])) {
				a.auxNote(f, data, m[0], n)
				continue
			}
			env := ""
			if pass.env {
				for g := 1; g <= 2; g++ {
					if m[2*g] >= 0 && m[2*g+1] > m[2*g] {
						env = string(data[m[2*g]:m[2*g+1]])
					}
				}
				if env != "PORT" && (!pass.anyName || !contains(appPortEnvs, env)) {
					continue
				}
			}
			a.det.Port = n
			a.det.Node.PortEnv = env
			a.det.Cite("port", a.rel(f), repo.LineAt(data, m[0]), lineText(data, m[0]))
			return true
		}
	}
	return false
}

// auxNote reports a metrics or debug listener once, so its port is
// known to be someone else's.
func (a *nodeApp) auxNote(f string, data []byte, off, port int) {
	note := fmt.Sprintf("%s:%d: a metrics or debug server on port %d (%s) is not the app's port; publish it yourself if it is scraped", a.rel(f), repo.LineAt(data, off), port, lineText(data, off))
	if !contains(a.det.Notes, note) {
		a.det.Notes = append(a.det.Notes, note)
	}
}

// listenConfigRe matches a listener that takes its port from a config
// object: app.listen(config.port), listen({ port: cfg.server.port }).
var listenConfigRe = regexp.MustCompile(`(?:listen\(\s*|\bport\s*:\s*)[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\.port\b`)

// configFiles are the JSON files config loaders read, the one
// node-config reads under NODE_ENV=production (which the image sets)
// first.
var configFiles = []string{
	"config/production.json", "config/production.yaml", "config/production.yml",
	"config/default.json", "config/default.yaml", "config/default.yml",
	"config.json", "config.yaml", "config.yml", "config/config.json", "src/config.json",
}

var configPortRe = regexp.MustCompile(`\bport['"]?\s*:\s*['"]?(\d{2,5})\b`)

// configPort takes the port from the config the code reads it from: a
// "port" in a JSON config file, or a port: N default in a config module.
func (a *nodeApp) configPort(files []string) bool {
	reads := false
	for _, f := range files {
		if data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize); err == nil && listenConfigRe.Match(data) {
			reads = true
			break
		}
	}
	if !reads {
		return false
	}
	for _, f := range configFiles {
		data, err := repo.ReadPrefix(a.fsys, f, 256<<10)
		if err != nil {
			continue
		}
		if n, line, ok := jsonPort(data); ok {
			a.det.Port = n
			a.det.Cite("port", a.rel(f), line, fmt.Sprintf(`"port": %d (the code listens on the config's port)`, n))
			return true
		}
	}
	for _, f := range files {
		if !strings.Contains(strings.ToLower(path.Base(f)), "config") && !strings.HasPrefix(f, "config/") && !strings.Contains(f, "/config/") {
			continue
		}
		data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		if m := configPortRe.FindSubmatchIndex(data); m != nil {
			if n, err := strconv.Atoi(string(data[m[2]:m[3]])); err == nil && n > 0 && n < 65536 {
				a.det.Port = n
				a.det.Cite("port", a.rel(f), repo.LineAt(data, m[0]), lineText(data, m[0]))
				return true
			}
		}
	}
	return false
}

// jsonPort finds a "port" number at the top of a JSON or YAML config or
// one object down ({"server": {"port": 8081}}), with its line.
func jsonPort(data []byte) (int, int, bool) {
	var doc map[string]any
	// JSON is YAML: one decoder reads both.
	if yaml.Unmarshal(data, &doc) != nil {
		return 0, 0, false
	}
	num := func(v any) (int, bool) {
		switch x := v.(type) {
		case int:
			return x, x >= 1 && x <= 65535
		case float64:
			return int(x), x >= 1 && x <= 65535 && x == float64(int(x))
		case string:
			n, err := strconv.Atoi(x)
			return n, err == nil && n >= 1 && n <= 65535
		}
		return 0, false
	}
	n, ok := num(doc["port"])
	if !ok {
		for _, k := range []string{"server", "app", "http", "api"} {
			if sub, isMap := doc[k].(map[string]any); isMap {
				if n, ok = num(sub["port"]); ok {
					break
				}
			}
		}
	}
	if !ok {
		return 0, 0, false
	}
	line := 0
	if m := configPortRe.FindIndex(data); m != nil {
		line = repo.LineAt(data, m[0])
	}
	return n, line, true
}

var envExamplePortRe = regexp.MustCompile(`(?m)^\s*(?:export\s+)?PORT\s*=\s*['"]?(\d{2,5})\b`)

// envExamplePort takes PORT from the example environment file the
// project documents, when the code reads PORT with no default.
func (a *nodeApp) envExamplePort() bool {
	reads := false
	for _, f := range a.sourceFiles() {
		if data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize); err == nil && regexp.MustCompile(envRef).Match(data) {
			reads = true
			break
		}
	}
	if !reads {
		return false
	}
	for _, f := range []string{".env.example", ".env.sample", ".env.defaults", "env.example", ".env.dist"} {
		data, err := repo.ReadPrefix(a.fsys, f, 64<<10)
		if err != nil {
			continue
		}
		if m := envExamplePortRe.FindSubmatchIndex(data); m != nil {
			if n, err := strconv.Atoi(string(data[m[2]:m[3]])); err == nil && n > 0 && n < 65536 {
				a.det.Port = n
				a.det.Node.PortEnv = "PORT"
				a.det.Cite("port", a.rel(f), repo.LineAt(data, m[0]), lineText(data, m[0]))
				return true
			}
		}
	}
	return false
}

// lowPort moves an app that reads its port from a variable off a port
// below 1024, which a non-root user binds only where the engine lowers
// ip_unprivileged_port_start (Docker does; Podman and Kubernetes by
// default do not). A port fixed in the code is only reported.
func (a *nodeApp) lowPort() {
	det, nf := a.det, a.det.Node
	if det.Worker || nf.StaticDir != "" || det.Port == 0 || det.Port >= 1024 {
		return
	}
	from := det.Port
	ev := det.Evidence["port"]
	_, framework := catalog.FrameworkPort(det.Framework)
	if nf.PortEnv == "" && !framework && !strings.Contains(ev.Detail, "PORT=") {
		det.Notef("%s: the app listens on port %d, below 1024: the image runs as a non-root user, which may bind it under Docker (it lowers ip_unprivileged_port_start) but not under Podman or Kubernetes by default; read the port from a variable such as PORT to run it on a high port", ev, from)
		return
	}
	name := nf.PortEnv
	if name == "" {
		name = "PORT"
	}
	det.Port = 8080
	det.Cite("port", ev.File, ev.Line, fmt.Sprintf("%s; moved to 8080 through %s: a non-root user binds port %d only where the engine lowers ip_unprivileged_port_start", ev.Detail, name, from))
	det.Notef("the app listens on port %d by default (%s), below 1024; the image runs as a non-root user, so it sets %s=8080 and exposes 8080 (Docker would allow %d, Podman and Kubernetes by default would not)", from, ev, name, from)
}
