package golang

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// listenKeys are config keys (lower case, without - and _) that hold the
// server's own port or listen address.
var listenKeys = map[string]bool{
	"port": true, "httpport": true, "serverport": true, "listen": true, "listenaddr": true,
	"listenaddress": true, "addr": true, "address": true, "http": true, "httpaddr": true,
	"httpaddress": true, "bind": true, "bindaddr": true, "bindaddress": true, "listenport": true,
}

// otherServices matches config sections that configure something else
// than the server's own listener: a database, a cache, a metrics or
// debug server, an upstream.
var otherServices = regexp.MustCompile(`(?i)(db|database|redis|postgres|mysql|mongo|sql|smtp|mail|metric|telemetry|prometheus|grpc|debug|pprof|storage|cache|proxy|upstream|client|oauth|ldap|s3|kafka|nats|amqp|rabbit|elastic|sentry|jaeger|otel|tracing|admin|connector|backend|remote|peer|cluster)`)

// configPort reads the server's listen address from a YAML, JSON or TOML
// config file: the first listen key, in document order, outside sections
// that configure other services. ok is false when there is none.
func configPort(fsys fs.FS, file string) (port int, host string, ev facts.Evidence, ok bool) {
	data, err := repo.ReadPrefix(fsys, file, maxHintFile)
	if err != nil {
		return 0, "", facts.Evidence{}, false
	}
	if strings.HasSuffix(file, ".toml") {
		var m map[string]any
		if toml.Unmarshal(data, &m) != nil {
			return 0, "", facts.Evidence{}, false
		}
		if p, h, key, ok := mapPort(m, "", 0); ok {
			return p, h, facts.Evidence{File: file, Detail: key + " in the config file"}, true
		}
		return 0, "", facts.Evidence{}, false
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil {
		return 0, "", facts.Evidence{}, false
	}
	if p, h, key, line, ok := nodePort(&doc, "", 0); ok {
		return p, h, facts.Evidence{File: file, Line: line, Detail: key + " in the config file"}, true
	}
	return 0, "", facts.Evidence{}, false
}

// maxConfigDepth bounds how deep a config file is searched.
const maxConfigDepth = 4

// nodePort walks a YAML node for the first listen key.
func nodePort(n *yaml.Node, prefix string, depth int) (int, string, string, int, bool) {
	if depth > maxConfigDepth {
		return 0, "", "", 0, false
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if p, h, k, l, ok := nodePort(c, prefix, depth); ok {
				return p, h, k, l, true
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := strings.TrimPrefix(prefix+"."+k.Value, ".")
			if otherServices.MatchString(k.Value) {
				continue
			}
			if v.Kind == yaml.ScalarNode && listenKeys[normKey(k.Value)] {
				if p, h, ok := parsePort(v.Value); ok {
					return p, h, fmt.Sprintf("%s: %s", key, v.Value), k.Line, true
				}
			}
			if p, h, kk, l, ok := nodePort(v, key, depth+1); ok {
				return p, h, kk, l, true
			}
		}
	}
	return 0, "", "", 0, false
}

// mapPort walks a decoded TOML table, keys sorted, for the first listen
// key.
func mapPort(m map[string]any, prefix string, depth int) (int, string, string, bool) {
	if depth > maxConfigDepth {
		return 0, "", "", false
	}
	keys := slices.Sorted(maps.Keys(m))
	for _, k := range keys {
		key := strings.TrimPrefix(prefix+"."+k, ".")
		if otherServices.MatchString(k) {
			continue
		}
		switch v := m[k].(type) {
		case string, int64:
			s := fmt.Sprint(v)
			if p, h, ok := parsePort(s); ok && listenKeys[normKey(k)] {
				return p, h, key + " = " + s, true
			}
		case map[string]any:
			if p, h, kk, ok := mapPort(v, key, depth+1); ok {
				return p, h, kk, true
			}
		}
	}
	return 0, "", "", false
}

// normKey lowers a key and drops - and _.
func normKey(k string) string {
	return strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(k))
}

// passedConfigPort is the port in the config file the start command
// passes, relative to the module folder.
func passedConfigPort(fsys fs.FS, in *mainInfo, det *facts.Detection) (int, facts.Evidence, bool) {
	if det.Go.ConfigFile == "" {
		return 0, facts.Evidence{}, false
	}
	p, host, ev, ok := configPort(fsys, path.Join(in.pkg.Module.Dir, det.Go.ConfigFile))
	if !ok {
		return 0, facts.Evidence{}, false
	}
	ev.Detail += " passed by the start command"
	if loopback(host) {
		det.Notef("%s listens on %s, which nothing outside the container can reach: change it to 0.0.0.0 in the copied config", ev.File, host)
	}
	return p, ev, true
}

// loopback reports whether a listen host is reachable only from inside
// the container.
func loopback(host string) bool {
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}

// loadedConfig is the config file the program loads by default: the
// first file named by a string literal in its code ("config.yml",
// "./config/local.yml") that exists below the module folder and is plain
// data, relative to the module folder, with the literal.
func loadedConfig(in *mainInfo) (string, pathLit, bool) {
	if in.fsys == nil {
		return "", pathLit{}, false
	}
	mod := in.pkg.Module.Dir
	for _, sc := range in.scans {
		for _, lit := range sc.ConfigNames {
			rel := path.Clean(lit.Path)
			file := path.Join(mod, rel)
			if strings.HasPrefix(rel, "../") || path.IsAbs(rel) || !repo.SafePath(file) || !repo.IsFile(in.fsys, file) || !plainConfig(in.fsys, file) {
				continue
			}
			return rel, lit, true
		}
	}
	return "", pathLit{}, false
}

// copyLoadedConfig copies the config file the program loads by default
// into the image, so that it starts as it does from the repository.
func copyLoadedConfig(in *mainInfo, det *facts.Detection) {
	if det.Go.ConfigFile != "" {
		return
	}
	if rel, lit, ok := loadedConfig(in); ok {
		det.Go.ConfigFile = rel
		det.Cite("configFile", lit.File, lit.Line, lit.Detail+" is loaded at run time, so "+rel+" is copied into the image")
	}
}

// loadedConfigPort is the listen address in the config file the program
// loads by default, which is then copied into the image.
func loadedConfigPort(in *mainInfo, det *facts.Detection) (int, facts.Evidence, bool) {
	if det.Go.ConfigFile != "" {
		return 0, facts.Evidence{}, false
	}
	rel, lit, ok := loadedConfig(in)
	if !ok {
		return 0, facts.Evidence{}, false
	}
	p, host, ev, ok := configPort(in.fsys, path.Join(in.pkg.Module.Dir, rel))
	if !ok {
		return 0, facts.Evidence{}, false
	}
	copyLoadedConfig(in, det)
	ev.Detail += fmt.Sprintf(", which the program loads (%s:%d)", lit.File, lit.Line)
	if loopback(host) {
		det.Notef("%s listens on %s, which nothing outside the container can reach: change it to 0.0.0.0 in the copied config", ev.File, host)
	}
	return p, ev, true
}

// configPath reports whether a path literal names a config file:
// config.yml, app.settings.json, or any YAML, JSON or TOML file in a
// config folder (config/local.yml); not another tool's.
func configPath(p string) bool {
	base := path.Base(p)
	if toolConfigs.MatchString(base) {
		return false
	}
	if configName.MatchString(base) {
		return true
	}
	switch path.Ext(base) {
	case ".yml", ".yaml", ".json", ".toml":
		return configWord(path.Base(path.Dir(p)))
	}
	return false
}

// dotenvSamples are the files that document a program's variables.
var dotenvSamples = []string{".env.example", ".env.sample", ".env.dist", ".env.template", "example.env", "sample.env"}

// dotenvPort is the port an example environment file gives the variable
// the program reads its port (or address) from: PORT=3000 in
// .env.example. The image then sets the variable to it.
func dotenvPort(fsys fs.FS, mod, env string) (int, facts.Evidence, bool) {
	if env == "" {
		return 0, facts.Evidence{}, false
	}
	for _, name := range dotenvSamples {
		file := path.Join(mod, name)
		data, err := repo.ReadPrefix(fsys, file, maxHintFile)
		if err != nil {
			continue
		}
		port, line := 0, 0
		repo.Lines(data, func(n int, l string) bool {
			k, v, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(l), "export "), "=")
			if !ok || strings.TrimSpace(k) != env {
				return true
			}
			v = strings.Trim(strings.TrimSpace(v), `"'`)
			if p, _, ok := parsePort(v); ok {
				port, line = p, n
			}
			return false
		})
		if port != 0 {
			return port, facts.Evidence{File: file, Line: line, Detail: fmt.Sprintf("%s=%d in the example environment file", env, port)}, true
		}
	}
	return 0, facts.Evidence{}, false
}
