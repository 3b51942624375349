//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/dgen-dev/dgen/examples/e2e/harness"
)

// run runs a command with a timeout and returns its combined output.
func run(timeout time.Duration, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = nil
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		err = fmt.Errorf("%s %s: timed out after %s", name, strings.Join(args, " "), timeout)
	}
	return out, err
}

// tail returns the last n lines of out.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// writeBenchmarks writes docs/benchmarks.md from the results.
func writeBenchmarks(loadPeak string) error {
	m := harness.Machine{Date: time.Now(), Took: time.Since(started), LoadStart: loadStart, LoadEnd: loadAverage(), LoadPeak: loadPeak}
	if out, err := run(time.Minute, "nproc"); err == nil {
		m.CPUs, _ = strconv.Atoi(strings.TrimSpace(string(out)))
	} else {
		m.CPUs = runtime.NumCPU()
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		if f := regexp.MustCompile(`MemTotal:\s+(\d+) kB`).FindSubmatch(data); f != nil {
			kb, _ := strconv.Atoi(string(f[1]))
			m.MemoryMB = kb / 1024
		}
	}
	if data, err := os.ReadFile("/etc/os-release"); err == nil {
		if f := regexp.MustCompile(`(?m)^PRETTY_NAME="?([^"\n]*)`).FindSubmatch(data); f != nil {
			m.OS = string(f[1])
		}
	}
	m.Kernel = cmdLine("uname", "-r")
	m.Buildah = strings.TrimPrefix(cmdLine("buildah", "--version"), "buildah version ")
	m.Podman = strings.TrimPrefix(cmdLine("podman", "--version"), "podman version ")
	m.Docker = cmdLine(dockerBin, "version", "--format", "{{.Server.Version}}")
	m.Frontend = cmdLine(dockerBin, "image", "inspect", "--format", `{{index .Config.Labels "dgen.e2e.buildkit"}}`, "docker.io/docker/dockerfile:1")
	m.Suite = cmdLine("podman", "image", "inspect", "--format", `{{index .Labels "dgen.e2e.debian"}}`, "localhost/dgen-e2e/debian-base:trixie")
	m.Go = imageEnv("localhost/dgen-e2e/golang:host", "GOLANG_VERSION")
	m.Node = imageEnv("localhost/dgen-e2e/node:host", "NODE_VERSION")
	for _, eng := range engines {
		if l := lanes[eng]; l != nil {
			m.Lanes = append(m.Lanes, harness.Lane{Engine: eng, Took: l.took})
		}
	}
	var docker, broken []harness.Result
	if l := lanes["docker"]; l != nil {
		docker = l.results
	}
	for _, eng := range engines {
		if l := lanes[eng]; l != nil {
			for _, b := range l.broken {
				b.Name += " (" + eng + ")"
				broken = append(broken, b)
			}
		}
	}
	return os.WriteFile(filepath.Join(repoRoot, "docs", "benchmarks.md"), harness.Markdown(m, examplesOf("podman"), docker, broken), 0o644)
}

// loadAverage is the machine's 1-minute load average.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func cmdLine(name string, args ...string) string {
	out, err := run(time.Minute, name, args...)
	if err != nil {
		return ""
	}
	return firstLine(strings.TrimSpace(string(out)))
}

func imageEnv(image, key string) string {
	out, err := run(time.Minute, "podman", "image", "inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", image)
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(l, key+"="); ok {
			return v
		}
	}
	return ""
}
