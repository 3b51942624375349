package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra/doc"
)

// updateDocs is the repository-wide golden switch (see `make golden`).
var updateDocs = os.Getenv("DGEN_UPDATE_GOLDEN") == "1"

// TestReferenceDocsCurrent fails when docs/reference no longer matches the
// cobra command tree: a flag or help text changed without regenerating
// the reference (make golden).
func TestReferenceDocsCurrent(t *testing.T) {
	root := newRootCmd(&env{getenv: func(string) string { return "" }})
	root.DisableAutoGenTag = true
	root.InitDefaultCompletionCmd()
	tmp := t.TempDir()
	if err := doc.GenMarkdownTree(root, tmp); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join("..", "..", "docs", "reference")
	gen, _ := os.ReadDir(tmp)
	if updateDocs {
		if err := os.RemoveAll(want); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(want, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	names := map[string]bool{}
	for _, e := range gen {
		names[e.Name()] = true
		got, err := os.ReadFile(filepath.Join(tmp, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(want, e.Name())
		if updateDocs {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		have, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(have, got) {
			t.Errorf("%s is stale or missing; run: make golden", path)
		}
	}
	if updateDocs {
		return
	}
	have, _ := os.ReadDir(want)
	for _, e := range have {
		if !names[e.Name()] && strings.HasSuffix(e.Name(), ".md") {
			t.Errorf("%s documents a command that no longer exists", filepath.Join(want, e.Name()))
		}
	}
}
