package main

import (
	"os/exec"
	"testing"
)

// BenchmarkStartup runs the built binary as a user does, so the figures
// include what no in-process benchmark sees: loading and package
// initialisation before main. Peak memory is measured outside, with
// /usr/bin/time -v: the child's rusage cannot give it, because os/exec
// starts the child sharing the test process's memory until exec and Linux
// carries that high-water mark over. docs/performance.md has the figures.
func BenchmarkStartup(b *testing.B) {
	bin, err := builtDgen()
	if err != nil {
		b.Skip(err)
	}
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"version", []string{"version"}},
		{"plan-go-stdlib", []string{"plan", "--dir", "../../examples/go-stdlib"}},
		{"plan-mixed", []string{"plan", "--dir", "../../examples/python-django-assets"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if out, err := exec.Command(bin, bc.args...).CombinedOutput(); err != nil {
					b.Fatalf("dgen %v: %v\n%s", bc.args, err, out)
				}
			}
		})
	}
}
