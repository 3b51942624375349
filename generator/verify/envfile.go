package verify

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// parseEnv reads dotenv lines: comments, blank lines, "export NAME=…",
// values in single or double quotes, a " #" comment after an unquoted
// value. It returns the variables in docker's --env-file format.
func parseEnv(data []byte) (envFile, []byte, error) {
	var e envFile
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		name, value, _ := strings.Cut(line, "=")
		name = strings.TrimSpace(name)
		if !envNameRE.MatchString(name) {
			return e, nil, fmt.Errorf("line %d: %q is not NAME=VALUE", n, clip(line, 40))
		}
		value = unquote(strings.TrimSpace(value))
		e.names = append(e.names, name)
		if value == "" {
			e.empty = append(e.empty, name)
		}
		fmt.Fprintf(&out, "%s=%s\n", name, value)
	}
	return e, out.Bytes(), sc.Err()
}

func unquote(v string) string {
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

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
