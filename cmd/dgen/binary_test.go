package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	os.RemoveAll(binDir())
	os.Exit(code)
}

// binDir is where builtDgen puts the binary: one folder per test process,
// removed by TestMain whether or not a test built into it.
func binDir() string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("dgen-test-bin-%d", os.Getpid()))
}

// builtDgen is the `go build` of this package, run once for every test and
// benchmark that starts dgen as a process: a build costs seconds.
var builtDgen = sync.OnceValues(func() (string, error) {
	if err := os.MkdirAll(binDir(), 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(binDir(), "dgen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})
