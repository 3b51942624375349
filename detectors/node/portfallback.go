package node

import (
	"regexp"
	"strconv"

	"github.com/dgen-dev/dgen/detectors/repo"
)

// fallbackArrayRe matches an array literal on one line whose last element
// is a port number: [args.port, process.env.APP_PORT, process.env.PORT, 3001],
// a list of fallbacks the code takes the first set one of.
var fallbackArrayRe = regexp.MustCompile(`\[([^\[\]\n]{0,300}?),\s*['"]?(\d{2,5})['"]?\s*\]`)

// envNameRe matches an environment variable read inside such an array.
var envNameRe = regexp.MustCompile(`(?:process\.env|Bun\.env)(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])`)

// fallbackChainRe matches a || or ?? chain from a port variable, through
// other values (config.port, args.port), to a numeric literal:
// process.env.PORT || config.port || 3000.
var fallbackChainRe = regexp.MustCompile(`(?:process\.env|Bun\.env)\.((?:[A-Z][A-Z0-9_]*)?PORT)\b(?:\s*(?:\|\||\?\?)\s*[\w$.]+(?:\(\))?){1,4}?\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})\b`)

// fallbackPort takes the port from the last numeric literal of a fallback
// array or || chain that reads the app's port variable, when no simpler
// form stated it: the literal is what the app binds when nothing is set.
func (a *nodeApp) fallbackPort(files []string) bool {
	for _, f := range files {
		data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		for _, m := range fallbackArrayRe.FindAllSubmatchIndex(data, 32) {
			env := fallbackEnv(data[m[2]:m[3]])
			if env != "" && a.setFallback(f, data, m[0], string(data[m[4]:m[5]]), env) {
				return true
			}
		}
		for _, m := range fallbackChainRe.FindAllSubmatchIndex(data, 32) {
			env := string(data[m[2]:m[3]])
			if (env == "PORT" || contains(appPortEnvs, env)) && a.setFallback(f, data, m[0], string(data[m[4]:m[5]]), env) {
				return true
			}
		}
	}
	return false
}

// fallbackEnv is the variable the image sets for a fallback array: PORT
// when the array reads it, else the first variable it reads that is named
// like the app's port; "" when it reads none (not a port's fallbacks).
func fallbackEnv(elems []byte) string {
	first := ""
	for _, m := range envNameRe.FindAllSubmatch(elems, 8) {
		name := string(m[1]) + string(m[2])
		if name == "PORT" {
			return name
		}
		if first == "" && (contains(appPortEnvs, name) || (len(name) > 5 && name[len(name)-5:] == "_PORT" && !auxListenerRe.MatchString(name) && !otherServicePort(name))) {
			first = name
		}
	}
	return first
}

// otherServicePort reports whether a variable holds another service's
// port (DB_PORT, REDIS_PORT), not the app's.
func otherServicePort(name string) bool {
	return otherPortRe.MatchString(name)
}

// otherPortRe names services an app connects to rather than is.
var otherPortRe = regexp.MustCompile(`(?i)(DB|DATABASE|REDIS|POSTGRES|PG|MYSQL|MONGO|SMTP|MAIL|AMQP|RABBIT|KAFKA|NATS|ELASTIC|MEMCACHE)`)

// setFallback records the port n read at off, with the variable the image
// sets; false when n is no port.
func (a *nodeApp) setFallback(f string, data []byte, off int, num, env string) bool {
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > 65535 {
		return false
	}
	a.det.Port = n
	a.det.Node.PortEnv = env
	a.det.Cite("port", a.rel(f), repo.LineAt(data, off), lineText(data, off)+" (the last fallback, "+num+", is the default)")
	return true
}
