// Package detecttest holds the helpers the detector packages' tests share:
// an in-memory repository and checks on evidence, notes and problems.
package detecttest

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// MapFS builds an in-memory repository from file names and contents.
func MapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644}
	}
	return m
}

// WantCited checks that field was cited from file (and line, when
// line > 0) with a detail containing detail.
func WantCited(t *testing.T, det *facts.Detection, field, file string, line int, detail string) {
	t.Helper()
	ev, ok := det.Evidence[field]
	if !ok {
		t.Errorf("no evidence for %s; evidence = %v", field, det.Evidence)
		return
	}
	if ev.File != file || (line > 0 && ev.Line != line) || !strings.Contains(ev.Detail, detail) {
		t.Errorf("evidence[%s] = %+v, want file %q line %d detail containing %q", field, ev, file, line, detail)
	}
}

// HasNote reports whether a note contains sub.
func HasNote(det *facts.Detection, sub string) bool {
	for _, n := range det.Notes {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}

// HasFileProblem reports whether a problem with file contains sub.
func HasFileProblem(det *facts.Detection, file, sub string) bool {
	for _, p := range det.Problems {
		if p.File == file && strings.Contains(p.Message, sub) {
			return true
		}
	}
	return false
}

// EnvNames lists the required variables of det as "NAME file:line".
func EnvNames(det *facts.Detection) []string {
	var out []string
	for _, e := range det.Env {
		out = append(out, fmt.Sprintf("%s %s:%d", e.Name, e.Evidence.File, e.Evidence.Line))
	}
	return out
}
