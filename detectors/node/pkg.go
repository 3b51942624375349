package node

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// packageJSON is the part of a package.json dgen reads. Fields are decoded
// one by one, so a field of the wrong type is a Problem, not a failure.
type packageJSON struct {
	// file is the path of the package.json, data its bytes (for evidence).
	file string
	data []byte

	Name           string
	Main           string
	Module         string
	Type           string
	PackageManager string
	Scripts        map[string]string
	Deps           map[string]string // dependencies
	DevDeps        map[string]string // devDependencies
	OptionalDeps   map[string]string // optionalDependencies
	Engines        map[string]string
	// Workspaces are the workspace globs from "workspaces" (an array, or
	// an object with "packages").
	Workspaces []string
	// HasWorkspaces is true when the field is present at all.
	HasWorkspaces bool
	// Files is the "files" field (what a pack or pnpm deploy keeps).
	Files []string
	// PrismaSchema is "prisma": {"schema": …}, where the Prisma CLI
	// finds the schema of this package.
	PrismaSchema string
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readPackageJSON reads and decodes one package.json. A missing or
// malformed file is an error naming the file and the JSON error's line and
// column; fields of the wrong type are recorded on det and skipped.
func readPackageJSON(fsys fs.FS, name string, det *facts.Detection) (*packageJSON, error) {
	data, err := repo.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("read %s: %s; fix the file (npm and every other tool need it to install anything)", name, describeJSONError(data, err))
	}
	if raw == nil {
		return nil, fmt.Errorf("read %s: the file holds null, not an object; fix the file", name)
	}
	p := &packageJSON{file: name, data: data}
	str := func(key string, dst *string) {
		if v, ok := raw[key]; ok {
			if err := json.Unmarshal(v, dst); err != nil {
				det.Problemf(name, "%q is not a string; ignored", key)
			}
		}
	}
	strMap := func(key string, dst *map[string]string) {
		v, ok := raw[key]
		if !ok {
			return
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(v, &m); err != nil {
			det.Problemf(name, "%q is not an object; ignored", key)
			return
		}
		*dst = map[string]string{}
		for k, rv := range m {
			var s string
			if json.Unmarshal(rv, &s) == nil {
				(*dst)[k] = s
			}
		}
	}
	str("name", &p.Name)
	str("main", &p.Main)
	str("module", &p.Module)
	str("type", &p.Type)
	str("packageManager", &p.PackageManager)
	strMap("scripts", &p.Scripts)
	strMap("dependencies", &p.Deps)
	strMap("devDependencies", &p.DevDeps)
	strMap("optionalDependencies", &p.OptionalDeps)
	strMap("engines", &p.Engines)
	if v, ok := raw["files"]; ok {
		if json.Unmarshal(v, &p.Files) != nil {
			det.Problemf(name, `"files" is not an array of strings; ignored`)
		}
	}
	if v, ok := raw["prisma"]; ok {
		var cfg struct {
			Schema string `json:"schema"`
		}
		if json.Unmarshal(v, &cfg) == nil {
			p.PrismaSchema = cfg.Schema
		}
	}
	if v, ok := raw["workspaces"]; ok {
		p.HasWorkspaces = true
		var list []string
		var obj struct {
			Packages []string `json:"packages"`
		}
		switch {
		case json.Unmarshal(v, &list) == nil:
			p.Workspaces = list
		case json.Unmarshal(v, &obj) == nil:
			p.Workspaces = obj.Packages
		default:
			det.Problemf(name, `"workspaces" is neither an array nor an object with "packages"; ignored`)
			p.HasWorkspaces = false
		}
	}
	return p, nil
}

// describeJSONError turns a JSON error into "invalid JSON at line L,
// column C: …".
func describeJSONError(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := -1
	switch {
	case errors.As(err, &se):
		off = int(se.Offset)
	case errors.As(err, &te):
		return "the top level is not a JSON object"
	}
	if off < 0 {
		return "invalid JSON: " + err.Error()
	}
	if off > len(data) {
		off = len(data)
	}
	line := repo.LineAt(data, off)
	col := off - bytes.LastIndexByte(data[:off], '\n')
	if off > 0 && data[off-1] == '\n' {
		// The offset points just past the bad byte; keep the error on
		// the line it belongs to.
		line--
		col = off - 1 - bytes.LastIndexByte(data[:off-1], '\n')
	}
	return fmt.Sprintf("invalid JSON at line %d, column %d: %v", line, col, err)
}

// has reports whether name is a dependency of any kind.
func (p *packageJSON) has(name string) bool {
	if p == nil {
		return false
	}
	_, a := p.Deps[name]
	_, b := p.DevDeps[name]
	_, c := p.OptionalDeps[name]
	return a || b || c
}

// hasProd reports whether name is a production dependency.
func (p *packageJSON) hasProd(name string) bool {
	if p == nil {
		return false
	}
	_, a := p.Deps[name]
	_, c := p.OptionalDeps[name]
	return a || c
}

// allDeps returns every dependency name, sorted.
func (p *packageJSON) allDeps() []string {
	seen := map[string]bool{}
	for _, m := range []map[string]string{p.Deps, p.DevDeps, p.OptionalDeps} {
		for k := range m {
			seen[k] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// depSpec returns the version spec of dependency name, any kind.
func (p *packageJSON) depSpec(name string) string {
	for _, m := range []map[string]string{p.Deps, p.DevDeps, p.OptionalDeps} {
		if v, ok := m[name]; ok {
			return v
		}
	}
	return ""
}

// keyLine returns the line of the first `"key":` in the file (after the
// first `"within":` when within is not ""), or 0.
func (p *packageJSON) keyLine(within, key string) int {
	start := 0
	if within != "" {
		re := regexp.MustCompile(`"` + regexp.QuoteMeta(within) + `"\s*:`)
		loc := re.FindIndex(p.data)
		if loc == nil {
			return 0
		}
		start = loc[1]
	}
	re := regexp.MustCompile(`"` + regexp.QuoteMeta(key) + `"\s*:`)
	loc := re.FindIndex(p.data[start:])
	if loc == nil {
		return 0
	}
	return repo.LineAt(p.data, start+loc[0])
}

// cite records evidence for field from a key of this package.json.
func (p *packageJSON) cite(det *facts.Detection, field, within, key, detail string) {
	det.Cite(field, p.file, p.keyLine(within, key), detail)
}

// depLine returns the line of a dependency's key.
func (p *packageJSON) depLine(name string) int {
	for _, sect := range []string{"dependencies", "devDependencies", "optionalDependencies"} {
		var m map[string]string
		switch sect {
		case "dependencies":
			m = p.Deps
		case "devDependencies":
			m = p.DevDeps
		default:
			m = p.OptionalDeps
		}
		if _, ok := m[name]; ok {
			return p.keyLine(sect, name)
		}
	}
	return 0
}

// safePath reports whether a repository path may be written into a COPY
// instruction: repo.CheckPath's rule, and not "." either. Every caller
// means one file or folder (a manifest, a local dependency, an output
// folder); "." would stand for the whole build context and, copied before
// the install, would rebuild that layer on any change.
func safePath(p string) bool {
	return p != "." && repo.SafePath(p)
}
