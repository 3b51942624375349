package detectors

import (
	"strings"
	"testing"
	"testing/fstest"
)

// mapFS builds an in-memory repository from file names and contents.
func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644}
	}
	return m
}

// wantCited checks that field was cited from file (and line, when
// line > 0) with a detail containing detail.
func wantCited(t *testing.T, det *Detection, field, file string, line int, detail string) {
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

// hasNote reports whether a note contains sub.
func hasNote(det *Detection, sub string) bool {
	for _, n := range det.Notes {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}

// hasFileProblem reports whether a problem with file contains sub.
func hasFileProblem(det *Detection, file, sub string) bool {
	for _, p := range det.Problems {
		if p.File == file && strings.Contains(p.Message, sub) {
			return true
		}
	}
	return false
}
