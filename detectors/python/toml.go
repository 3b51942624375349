package python

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/pelletier/go-toml/v2"
)

// pyTypeRules are the pyproject.toml keys dgen reads and the TOML type each
// must have; a key of another type is ignored with a Problem.
var pyTypeRules = []struct {
	keys []string
	kind string // "string", "strings" (array of strings), "table"
}{
	{[]string{"project", "name"}, "string"},
	{[]string{"project", "requires-python"}, "string"},
	{[]string{"project", "dependencies"}, "strings"},
	{[]string{"project", "dynamic"}, "strings"},
	{[]string{"project", "scripts"}, "table"},
	{[]string{"tool", "poetry", "dependencies"}, "table"},
	{[]string{"tool", "poetry", "scripts"}, "table"},
	{[]string{"tool", "uv", "required-version"}, "string"},
}

// pyCheckTypes records a Problem for each key of the wrong type, and drops
// it so that nothing reads it by mistake.
func pyCheckTypes(det *facts.Detection, doc map[string]any, data []byte) {
	for _, r := range pyTypeRules {
		v := pyT(doc, r.keys...)
		if v == nil {
			continue
		}
		ok := true
		switch r.kind {
		case "string":
			_, ok = v.(string)
		case "table":
			t, isTable := v.(map[string]any)
			ok = isTable
			if isTable && r.keys[len(r.keys)-1] == "scripts" {
				for _, name := range slices.Sorted(maps.Keys(t)) {
					switch t[name].(type) {
					case string, map[string]any:
					default:
						det.Problemf("pyproject.toml", "line %d: [%s] %s = %v is not a string; ignored", pyLineOf(data, name), strings.Join(r.keys, "."), name, t[name])
						delete(t, name)
					}
				}
			}
		case "strings":
			list, isList := v.([]any)
			ok = isList
			for _, e := range list {
				if _, isString := e.(string); !isString {
					ok = false
				}
			}
		}
		if !ok {
			key := r.keys[len(r.keys)-1]
			kind := map[string]string{"string": "a string", "strings": "a list of strings", "table": "a table"}[r.kind]
			det.Problemf("pyproject.toml", "line %d: [%s] %s = %v is not %s; ignored", pyLineOf(data, key), strings.Join(r.keys[:len(r.keys)-1], "."), key, v, kind)
			parent, _ := pyT(doc, r.keys[:len(r.keys)-1]...).(map[string]any)
			delete(parent, key)
		}
	}
}

// pyTOMLErr shortens a go-toml error to its message with the line.
func pyTOMLErr(err error) string {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		return fmt.Sprintf("line %d column %d: %s", row, col, de.Error())
	}
	return err.Error()
}

// pyT walks nested TOML tables; nil when any step is missing.
func pyT(m map[string]any, keys ...string) any {
	var cur any = m
	for _, k := range keys {
		t, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = t[k]
	}
	return cur
}

func pyTMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func pyTSlice(v any) []any {
	switch s := v.(type) {
	case []any:
		return s
	case []map[string]any:
		out := make([]any, len(s))
		for i := range s {
			out[i] = s[i]
		}
		return out
	}
	return nil
}

// pyTStrings returns the strings of a TOML array (a single string counts as
// one), skipping other values.
func pyTStrings(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	var out []string
	for _, e := range pyTSlice(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
