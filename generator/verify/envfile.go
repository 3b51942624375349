package verify

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/generator"
)

// envFile is the environment given to the container: read from the
// user's file and written again in docker's --env-file format (one
// NAME=VALUE a line, no quotes), which both engines read the same way.
type envFile struct {
	// source is the file read ("" when there is none).
	source string
	// path is the normalized copy passed to the engine.
	path string
	// names are the variables it sets; empty those set to "".
	names, empty []string
}

func (e envFile) has(name string) bool {
	for _, n := range e.empty {
		if n == name {
			return true
		}
	}
	return false
}

func (e envFile) remove() {
	if e.path != "" {
		os.RemoveAll(filepath.Dir(e.path))
	}
}

// exampleEnvFiles are the files that document an app's environment, read
// when no --env-file is given. .env itself holds real secrets and is never
// read unless passed.
var exampleEnvFiles = []string{".env.example", ".env.sample"}

// loadEnv reads explicit, else the first example file in dir.
func loadEnv(dir, explicit string) (envFile, error) {
	src := explicit
	if src == "" {
		for _, name := range exampleEnvFiles {
			p := filepath.Join(dir, name)
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				src = p
				break
			}
		}
	}
	if src == "" {
		return envFile{}, nil
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return envFile{}, fmt.Errorf("--env-file: %w", err)
	}
	e, out, err := parseEnv(data)
	if err != nil {
		return envFile{}, fmt.Errorf("%s: %w", src, err)
	}
	e.source = src
	tmp, err := os.MkdirTemp("", "dgen-verify-env-")
	if err != nil {
		return envFile{}, err
	}
	e.path = filepath.Join(tmp, "env")
	if err := os.WriteFile(e.path, out, 0o600); err != nil {
		os.RemoveAll(tmp)
		return envFile{}, err
	}
	return e, nil
}

// parseEnv reads a dotenv file (generator.ParseDotenv) and returns its
// variables in docker's --env-file format; a line that is not NAME=VALUE
// is an error.
func parseEnv(data []byte) (envFile, []byte, error) {
	var e envFile
	var out bytes.Buffer
	lines, bad := generator.ParseDotenv(data)
	if len(bad) > 0 {
		text := strings.TrimSpace(strings.Split(string(data), "\n")[bad[0]-1])
		return e, nil, fmt.Errorf("line %d: %q is not NAME=VALUE", bad[0], clip(strings.TrimPrefix(text, "export "), 40))
	}
	for _, l := range lines {
		e.names = append(e.names, l.Name)
		if l.Value == "" {
			e.empty = append(e.empty, l.Name)
		}
		fmt.Fprintf(&out, "%s=%s\n", l.Name, l.Value)
	}
	return e, out.Bytes(), nil
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// checkRequiredEnv compares the variables the plan says the app stops
// without, and the image does not set, with the environment file: each
// one missing or left empty is named before the container runs.
func (v *run) checkRequiredEnv() {
	need := v.o.Plan.RequiredEnvUnset()
	if len(need) == 0 {
		return
	}
	set := map[string]bool{}
	for _, n := range v.env.names {
		set[n] = !v.env.has(n)
	}
	var missing []string
	for _, n := range need {
		if !set[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		v.r.passf("env", "%s sets %s, which the app requires at start", v.env.source, strings.Join(need, ", "))
		return
	}
	where := "no --env-file was given and the repository has no .env.example or .env.sample"
	hint := fmt.Sprintf("pass --env-file with %s (or add them to .env.example)", strings.Join(missing, ", "))
	if v.env.source != "" {
		where = v.env.source + " does not set them (or leaves them empty)"
		hint = fmt.Sprintf("set %s in %s, or pass --env-file with them", strings.Join(missing, ", "), v.env.source)
	}
	var ev []string
	for _, e := range v.o.Plan.RequiredEnv {
		if slices.Contains(missing, e.Name) {
			ev = append(ev, e.Name+" ("+e.Evidence.String()+")")
		}
	}
	v.r.failf("env", hint, "the app stops at start without %s: %s", strings.Join(ev, ", "), where)
}
