package generator

import (
	"context"
	"testing"
	"testing/fstest"
)

// mapFS builds an in-memory repository from file names and contents.
func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644}
	}
	return fsys
}

// resolveFiles resolves a Plan for an in-memory repository.
func resolveFiles(t *testing.T, files map[string]string, opts Options) *Plan {
	t.Helper()
	p, err := Resolve(context.Background(), mapFS(files), opts)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	return p
}
