package generator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// EnvVar is an environment variable the program requires at start: its
// code reads it with no default, so a container started without it stops.
type EnvVar struct {
	// Name is the variable.
	Name string `json:"name"`
	// Secret is true when the name (or its example value) says it holds a
	// credential: a password, token, key, or a URL with a user and
	// password. A secret never gets a value in the image.
	Secret bool `json:"secret"`
	// Value is the value the runtime image sets (ENV), taken from the
	// repository's example environment; empty when the variable must be
	// given at run time.
	Value string `json:"value,omitempty"`
	// ValueFrom is where Value came from.
	ValueFrom *facts.Evidence `json:"valueFrom,omitempty"`
	// Evidence is the line that reads the variable.
	Evidence facts.Evidence `json:"evidence"`
}

// envExampleFiles are the files that document an app's environment with
// example values, in the order they are read; .env itself holds real
// values and is never read.
var envExampleFiles = []string{".env.example", ".env.sample", ".env.template"}

// RequiredEnvSet are the required variables the image sets, with their
// example values.
func (p *Plan) RequiredEnvSet() []EnvVar {
	var out []EnvVar
	for _, e := range p.RequiredEnv {
		if e.Value != "" {
			out = append(out, e)
		}
	}
	return out
}

// RequiredEnvUnset are the names of the required variables that must be
// given when the container runs.
func (p *Plan) RequiredEnvUnset() []string {
	var out []string
	for _, e := range p.RequiredEnv {
		if e.Value == "" {
			out = append(out, e.Name)
		}
	}
	return out
}

// planRequiredEnv turns the variables detection found required into the
// plan's: a variable the image already sets (PORT, DJANGO_SETTINGS_MODULE)
// is left out, and a non-secret one gets the value the repository's
// example environment gives it.
func planRequiredEnv(fsys fs.FS, det *facts.Detection, p *Plan) {
	if len(det.Env) == 0 {
		return
	}
	set := imageEnv(p)
	examples := exampleValues(fsys, det)
	for _, req := range det.Env {
		if set[req.Name] {
			continue
		}
		e := EnvVar{Name: req.Name, Secret: SecretName(req.Name), Evidence: req.Evidence}
		if ex, ok := examples[req.Name]; ok {
			e.Secret = e.Secret || credentialURLRe.MatchString(ex.value)
			if !e.Secret && usableValue(ex.value) {
				e.Value = ex.value
				from := ex.from
				e.ValueFrom = &from
			}
		}
		p.RequiredEnv = append(p.RequiredEnv, e)
	}
	sort.Slice(p.RequiredEnv, func(i, j int) bool { return p.RequiredEnv[i].Name < p.RequiredEnv[j].Name })
}

// RunEnvFlags renders names as docker run -e flags with a placeholder
// value each.
func RunEnvFlags(names []string) string {
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("-e " + n + "=…")
	}
	return b.String()
}

// imageEnv are the variables the runtime image already sets.
func imageEnv(p *Plan) map[string]bool {
	set := map[string]bool{}
	if p.Python != nil {
		for _, e := range p.Python.Env {
			set[e.Name] = true
		}
	}
	if p.Node != nil {
		for _, e := range p.Node.Env {
			set[e.Name] = true
		}
	}
	if p.Go != nil && p.Port != nil {
		for _, n := range []string{p.Go.PortEnv, p.Go.AddrEnv, p.Go.HostEnv} {
			set[n] = n != ""
		}
	}
	return set
}

// secretWordRe matches the words of a variable name that say it holds a
// credential.
var secretWordRe = regexp.MustCompile(`^(?:SECRET|SECRETS|TOKEN|TOKENS|PASSWORD|PASSWD|PASS|PWD|KEY|KEYS|APIKEY|PRIVATE|CREDENTIAL|CREDENTIALS|SALT|DSN|AUTH|SIGNING|CERT|PEPPER|PASSPHRASE|WEBHOOK)$`)

// credentialURLRe is a URL with a user and a password.
var credentialURLRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://[^/@\s:]*:[^/@\s]+@`)

// connectionURLRe names a connection URL to a store, which carries the
// store's password in most deployments.
var connectionURLRe = regexp.MustCompile(`(?:DATABASE|DB|POSTGRES|POSTGRESQL|PG|MYSQL|MARIADB|MONGO|MONGODB|REDIS|AMQP|RABBITMQ|BROKER|CELERY_BROKER|CACHE|ELASTICSEARCH|SMTP|EMAIL)_(?:URL|URI)$`)

// SecretName reports whether a variable's name says it holds a secret
// (SECRET_KEY, API_TOKEN, DB_PASSWORD, SENTRY_DSN, DATABASE_URL).
func SecretName(name string) bool {
	up := strings.ToUpper(name)
	if connectionURLRe.MatchString(up) || up == "DATABASE_URL" {
		return true
	}
	for _, w := range strings.Split(up, "_") {
		if secretWordRe.MatchString(w) || strings.HasSuffix(w, "SECRET") || strings.HasSuffix(w, "TOKEN") || strings.HasSuffix(w, "PASSWORD") || strings.HasSuffix(w, "APIKEY") {
			return true
		}
	}
	return false
}

// safeValueRe is what an example value may hold to be written into an
// ENV instruction as it is: no quotes, spaces, $ or backslashes that the
// Dockerfile parser would read.
var safeValueRe = regexp.MustCompile(`^[A-Za-z0-9_./:,@%+=*-]+$`)

// placeholderRe matches example values that stand for a value to fill in.
var placeholderRe = regexp.MustCompile(`(?i)change[-_]?me|replace|your[-_]|xxx|todo|fixme|^\.\.\.$|^<|example\.com`)

// usableValue reports whether an example value can be set as it is.
func usableValue(v string) bool {
	return len(v) <= 200 && safeValueRe.MatchString(v) && !placeholderRe.MatchString(v)
}

// exampleValue is a value the repository documents for a variable.
type exampleValue struct {
	value string
	from  facts.Evidence
}

// exampleValues reads the example environment files and app.json (Heroku's
// env values), at the root and in the app's folder; the first non-empty
// value of a name wins.
func exampleValues(fsys fs.FS, det *facts.Detection) map[string]exampleValue {
	out := map[string]exampleValue{}
	dirs := []string{"."}
	if det.Node != nil && det.Node.AppDir != "" {
		dirs = append([]string{det.Node.AppDir}, dirs...)
	}
	if det.Python != nil && det.Python.AppDir != "" {
		dirs = append([]string{det.Python.AppDir}, dirs...)
	}
	for _, dir := range dirs {
		for _, name := range envExampleFiles {
			file := path.Join(dir, name)
			data, err := repo.ReadPrefix(fsys, file, repo.MaxSourceSize)
			if err != nil {
				continue
			}
			lines, _ := ParseDotenv(data)
			for _, l := range lines {
				if _, ok := out[l.Name]; !ok && l.Value != "" {
					out[l.Name] = exampleValue{l.Value, facts.Evidence{File: file, Line: l.Line, Detail: l.Name + "=" + l.Value}}
				}
			}
		}
		appJSONValues(fsys, path.Join(dir, "app.json"), out)
	}
	return out
}

// appJSONValues reads the env of a Heroku app.json: each variable is a
// string, or an object whose "value" is the default.
func appJSONValues(fsys fs.FS, file string, out map[string]exampleValue) {
	data, err := repo.ReadPrefix(fsys, file, repo.MaxSourceSize)
	if err != nil {
		return
	}
	var doc struct {
		Env map[string]json.RawMessage `json:"env"`
	}
	if json.Unmarshal(data, &doc) != nil {
		return
	}
	for name, raw := range doc.Env {
		var v string
		var obj struct {
			Value string `json:"value"`
		}
		if json.Unmarshal(raw, &v) != nil && json.Unmarshal(raw, &obj) == nil {
			v = obj.Value
		}
		if _, ok := out[name]; !ok && v != "" {
			out[name] = exampleValue{v, facts.Evidence{File: file, Line: repo.LineAt(data, bytes.Index(data, []byte(`"`+name+`"`))), Detail: "env." + name}}
		}
	}
}

// DotenvLine is one NAME=VALUE of a dotenv file.
type DotenvLine struct {
	Name, Value string
	// Line is its 1-based line number.
	Line int
}

var dotenvNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ParseDotenv reads dotenv lines: comments, blank lines, "export
// NAME=…", values in single or double quotes, a " #" comment after an
// unquoted value. bad are the numbers of the lines that are not
// NAME=VALUE, which are left out.
func ParseDotenv(data []byte) (lines []DotenvLine, bad []int) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		name, value, _ := strings.Cut(line, "=")
		name = strings.TrimSpace(name)
		if !dotenvNameRe.MatchString(name) {
			bad = append(bad, n)
			continue
		}
		lines = append(lines, DotenvLine{Name: name, Value: dotenvUnquote(strings.TrimSpace(value)), Line: n})
	}
	return lines, bad
}

func dotenvUnquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
		if end := closingQuote(v); end > 0 {
			inner := v[1:end]
			if v[0] == '"' {
				inner = strings.NewReplacer(`\n`, " ", `\"`, `"`, `\\`, `\`).Replace(inner)
			}
			return inner
		}
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v
}

// closingQuote is the index of the quote closing v's first, skipping
// backslash escapes inside double quotes; 0 when there is none.
func closingQuote(v string) int {
	for i := 1; i < len(v); i++ {
		switch {
		case v[0] == '"' && v[i] == '\\':
			i++
		case v[i] == v[0]:
			return i
		}
	}
	return 0
}
