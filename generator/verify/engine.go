package verify

import (
	"context"
	"errors"
	"time"
)

// ErrNoEngine is returned when neither a Docker daemon nor Podman answers
// (or the engine asked for with --engine does not).
var ErrNoEngine = errors.New("no container engine")

// Engine is what verify needs from a container engine's command line. The
// CLI type drives docker and podman through os/exec; tests script a fake.
// Every call honours ctx, so a cancelled verify stops waiting at once.
type Engine interface {
	// Name is "docker" or "podman".
	Name() string
	// Build builds dir's Dockerfile into tag. It returns the build's
	// combined output even when the build fails.
	Build(ctx context.Context, dir, dockerfile, tag string) ([]byte, error)
	// InspectImage reads the image's config.
	InspectImage(ctx context.Context, ref string) (ImageInfo, error)
	// Run starts a detached container.
	Run(ctx context.Context, r RunSpec) error
	// InspectContainer reads a container's state.
	InspectContainer(ctx context.Context, name string) (ContainerInfo, error)
	// Health runs or reads the container's HEALTHCHECK once and returns
	// its status ("healthy", "unhealthy", "starting") and the check's
	// last output.
	Health(ctx context.Context, name string) (status, output string, err error)
	// Processes lists the container's processes.
	Processes(ctx context.Context, name string) ([]Process, error)
	// Exec runs argv in the running container and returns its output.
	Exec(ctx context.Context, name string, argv ...string) ([]byte, error)
	// Logs returns the last n lines of the container's output.
	Logs(ctx context.Context, name string, n int) (string, error)
	// RemoveContainer removes a container, running or not.
	RemoveContainer(ctx context.Context, name string) error
	// RemoveImage removes an image.
	RemoveImage(ctx context.Context, ref string) error
	// HostNetwork reports that containers must share the host's network
	// (a Docker daemon without a bridge): a port is then published by the
	// app listening on it, not by a mapping.
	HostNetwork() bool
}

// RunSpec is one container to start.
type RunSpec struct {
	Name  string
	Image string
	// EnvFile is a file of NAME=VALUE lines (docker's --env-file format).
	EnvFile string
	// HostPort and Port publish 127.0.0.1:HostPort to the container's
	// Port (both 0: publish nothing).
	HostPort, Port int
}

// ImageInfo is the part of an image's config verify checks.
type ImageInfo struct {
	ID   string
	User string
	// Exposed are the EXPOSEd TCP ports, sorted.
	Exposed     []int
	Healthcheck *ImageHealthcheck
	Size        int64
	Env         []string
}

// ImageHealthcheck is an image's HEALTHCHECK. Zero durations take
// Docker's defaults (30s interval and timeout, 3 retries).
type ImageHealthcheck struct {
	Test                           []string
	Interval, Timeout, StartPeriod time.Duration
	Retries                        int
}

// Disabled reports a HEALTHCHECK NONE or an empty test.
func (h *ImageHealthcheck) Disabled() bool {
	return h == nil || len(h.Test) == 0 || h.Test[0] == "NONE"
}

// ContainerInfo is a container's state.
type ContainerInfo struct {
	Running  bool
	Status   string
	ExitCode int
	// Pid is the host pid of the container's first process (0 when it
	// is not running).
	Pid    int
	Health string
	// OOMKilled is true when the kernel killed it for memory.
	OOMKilled bool
}

// Process is one process of a container.
type Process struct {
	// User is the user name or numeric id as the engine shows it.
	User string
	PID  string
	Args string
}
