package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CLI drives docker or podman through their command lines. Choose makes
// one; a caller that builds its own (a test harness with its own flags)
// calls Probe first, which also learns whether Docker needs the host's
// network.
type CLI struct {
	// Kind is "docker" or "podman".
	Kind string
	// Bin is the program run (a path or a name looked up on PATH).
	Bin string
	// BuildFlags are added to every build (e.g. --pull=never on a machine
	// with no registry).
	BuildFlags []string
	// hostNet is set for a Docker daemon with no bridge network.
	hostNet bool
}

// Probe reports whether an engine of this kind answers, with the reason
// when not. For docker it also learns whether containers need the host's
// network.
func (c *CLI) Probe(ctx context.Context) error {
	if _, err := exec.LookPath(c.Bin); err != nil {
		return fmt.Errorf("%s is not installed", c.Bin)
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if c.Kind == "podman" {
		if out, err := c.run(ctx, "version", "--format", "{{.Client.Version}}"); err != nil {
			return fmt.Errorf("podman version: %v: %s", err, lastLines(out, 2))
		}
		return nil
	}
	out, err := c.run(ctx, "version", "--format", "{{.Server.Version}}")
	if err != nil {
		return fmt.Errorf("no Docker daemon answers (%s)", lastLines(out, 1))
	}
	// A daemon started with --bridge=none has no "bridge" network: its
	// containers can only share the host's.
	if _, err := c.run(ctx, "network", "inspect", "bridge"); err != nil {
		c.hostNet = true
	}
	return nil
}

// Name is "docker" or "podman".
func (c *CLI) Name() string { return c.Kind }

// HostNetwork reports that containers run with --network host.
func (c *CLI) HostNetwork() bool { return c.hostNet }

func (c *CLI) run(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, c.Bin, args...)
	// Interrupt, not kill: a build told to stop removes its working
	// containers; one killed leaves them behind.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	if c.Kind == "docker" {
		// dgen's Dockerfiles use RUN --mount, which needs BuildKit.
		cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=1")
	} else {
		// The OCI format drops HEALTHCHECK.
		cmd.Env = append(os.Environ(), "BUILDAH_FORMAT=docker")
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		return out.Bytes(), ctx.Err()
	}
	return out.Bytes(), err
}

// Build builds with BuildKit (docker) or Buildah (podman build).
func (c *CLI) Build(ctx context.Context, dir, dockerfile, tag string) ([]byte, error) {
	args := []string{"build", "-f", dockerfile, "-t", tag}
	if c.Kind == "docker" {
		args = append(args, "--progress=plain")
		if c.hostNet {
			args = append(args, "--network", "host")
		}
	} else {
		args = append(args, "--format", "docker", "--layers")
	}
	args = append(args, c.BuildFlags...)
	return c.run(ctx, append(args, dir)...)
}

type inspectHealth struct {
	Test        []string
	Interval    int64
	Timeout     int64
	StartPeriod int64
	Retries     int
}

type imageJSON struct {
	ID     string `json:"Id"`
	Size   int64
	Config struct {
		User         string
		ExposedPorts map[string]struct{}
		Env          []string
		Healthcheck  *inspectHealth
	}
	// Podman reports the Docker-format HEALTHCHECK here.
	Healthcheck *inspectHealth
}

// InspectImage reads `image inspect`.
func (c *CLI) InspectImage(ctx context.Context, ref string) (ImageInfo, error) {
	out, err := c.run(ctx, "image", "inspect", ref)
	if err != nil {
		return ImageInfo{}, fmt.Errorf("%s image inspect: %v: %s", c.Kind, err, lastLines(out, 3))
	}
	return parseImageInspect(out)
}

func parseImageInspect(out []byte) (ImageInfo, error) {
	var imgs []imageJSON
	if err := json.Unmarshal(out, &imgs); err != nil || len(imgs) != 1 {
		return ImageInfo{}, fmt.Errorf("image inspect: unexpected output (%v)", err)
	}
	im := imgs[0]
	info := ImageInfo{ID: im.ID, User: im.Config.User, Size: im.Size, Env: im.Config.Env}
	for p := range im.Config.ExposedPorts {
		num, proto, _ := strings.Cut(p, "/")
		if n, err := strconv.Atoi(num); err == nil && (proto == "" || proto == "tcp") {
			info.Exposed = append(info.Exposed, n)
		}
	}
	sort.Ints(info.Exposed)
	hc := im.Config.Healthcheck
	if hc == nil {
		hc = im.Healthcheck
	}
	if hc != nil {
		info.Healthcheck = &ImageHealthcheck{Test: hc.Test, Interval: time.Duration(hc.Interval),
			Timeout: time.Duration(hc.Timeout), StartPeriod: time.Duration(hc.StartPeriod), Retries: hc.Retries}
	}
	return info, nil
}

// Run starts the container detached.
func (c *CLI) Run(ctx context.Context, r RunSpec) error {
	args := []string{"run", "-d", "--name", r.Name}
	if r.EnvFile != "" {
		args = append(args, "--env-file", r.EnvFile)
	}
	switch {
	case c.hostNet:
		args = append(args, "--network", "host")
	case r.Port > 0:
		args = append(args, "-p", fmt.Sprintf("127.0.0.1:%d:%d", r.HostPort, r.Port))
	}
	out, err := c.run(ctx, append(args, r.Image)...)
	if err != nil {
		return fmt.Errorf("%s run: %v: %s", c.Kind, err, lastLines(out, 5))
	}
	return nil
}

type healthJSON struct {
	Status string
	Log    []struct{ Output string }
}

type containerJSON struct {
	State struct {
		Status    string
		Running   bool
		ExitCode  int
		Pid       int
		OOMKilled bool
		Health    *healthJSON
		// Podman 4 names it Healthcheck.
		Healthcheck *healthJSON
	}
}

func (c *CLI) inspectContainer(ctx context.Context, name string) (containerJSON, error) {
	out, err := c.run(ctx, "container", "inspect", name)
	if err != nil {
		return containerJSON{}, fmt.Errorf("%s container inspect: %v: %s", c.Kind, err, lastLines(out, 3))
	}
	var cs []containerJSON
	if err := json.Unmarshal(out, &cs); err != nil || len(cs) != 1 {
		return containerJSON{}, fmt.Errorf("container inspect: unexpected output (%v)", err)
	}
	return cs[0], nil
}

func (s containerJSON) health() *healthJSON {
	if s.State.Health != nil && s.State.Health.Status != "" {
		return s.State.Health
	}
	return s.State.Healthcheck
}

// InspectContainer reads the container's state.
func (c *CLI) InspectContainer(ctx context.Context, name string) (ContainerInfo, error) {
	s, err := c.inspectContainer(ctx, name)
	if err != nil {
		return ContainerInfo{}, err
	}
	info := ContainerInfo{Running: s.State.Running, Status: s.State.Status, ExitCode: s.State.ExitCode,
		Pid: s.State.Pid, OOMKilled: s.State.OOMKilled}
	if h := s.health(); h != nil {
		info.Health = h.Status
	}
	return info, nil
}

// Health runs the check once with `podman healthcheck run` (nothing
// schedules it without systemd) or reads what the Docker daemon recorded.
func (c *CLI) Health(ctx context.Context, name string) (string, string, error) {
	var output string
	if c.Kind == "podman" {
		out, err := c.run(ctx, "healthcheck", "run", name)
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			return "", "", err
		}
		output = strings.TrimSpace(string(out))
	}
	s, err := c.inspectContainer(ctx, name)
	if err != nil {
		return "", output, err
	}
	h := s.health()
	if h == nil {
		return "", output, nil
	}
	// The check's own output (curl's or wget's error) says more than
	// podman's one word.
	if len(h.Log) > 0 {
		if last := strings.TrimSpace(h.Log[len(h.Log)-1].Output); last != "" {
			output = last
		}
	}
	return h.Status, output, nil
}

// Processes lists the container's processes with their user.
func (c *CLI) Processes(ctx context.Context, name string) ([]Process, error) {
	args := []string{"top", name, "user", "pid", "args"}
	if c.Kind == "docker" {
		// docker top runs the host's ps: ask for the numeric uid, which
		// the host may have no name for.
		args = []string{"top", name, "-o", "uid,pid,args"}
	}
	out, err := c.run(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("%s top: %v: %s", c.Kind, err, lastLines(out, 3))
	}
	return parseTop(out), nil
}

// parseTop reads `top` output: a header line, then USER PID ARGS….
func parseTop(out []byte) []Process {
	var ps []Process
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		ps = append(ps, Process{User: f[0], PID: f[1], Args: strings.Join(f[2:], " ")})
	}
	return ps
}

// Exec runs argv in the container.
func (c *CLI) Exec(ctx context.Context, name string, argv ...string) ([]byte, error) {
	return c.run(ctx, append([]string{"exec", name}, argv...)...)
}

// Logs returns the container's last n lines of output.
func (c *CLI) Logs(ctx context.Context, name string, n int) (string, error) {
	out, err := c.run(ctx, "logs", "--tail", strconv.Itoa(n), name)
	return string(out), err
}

// RemoveContainer removes the container at once (no stop timeout: an app
// that ignores SIGTERM as PID 1 would otherwise take ten seconds).
func (c *CLI) RemoveContainer(ctx context.Context, name string) error {
	args := []string{"rm", "-f", name}
	if c.Kind == "podman" {
		args = []string{"rm", "-f", "-t", "0", name}
	}
	_, err := c.run(ctx, args...)
	return err
}

// RemoveImage removes the image and the layers only it uses.
func (c *CLI) RemoveImage(ctx context.Context, ref string) error {
	_, err := c.run(ctx, "rmi", "-f", ref)
	return err
}

// Bins names the programs Choose tries; empty means "docker" and
// "podman" on PATH.
type Bins struct {
	Docker, Podman string
	// BuildFlags are added to every build.
	BuildFlags []string
}

// Choose picks the engine: want "docker" or "podman" forces one; "" takes
// docker when a daemon answers, else podman. The error wraps ErrNoEngine
// and says why each one is not usable.
func Choose(ctx context.Context, want string, bins Bins) (*CLI, error) {
	if bins.Docker == "" {
		bins.Docker = "docker"
	}
	if bins.Podman == "" {
		bins.Podman = "podman"
	}
	docker := &CLI{Kind: "docker", Bin: bins.Docker, BuildFlags: bins.BuildFlags}
	podman := &CLI{Kind: "podman", Bin: bins.Podman, BuildFlags: bins.BuildFlags}
	switch want {
	case "docker", "podman":
		e := docker
		if want == "podman" {
			e = podman
		}
		if err := e.Probe(ctx); err != nil {
			return nil, fmt.Errorf("%w: --engine %s: %v", ErrNoEngine, want, err)
		}
		return e, nil
	case "":
	default:
		return nil, fmt.Errorf("--engine %q: use docker or podman", want)
	}
	derr := docker.Probe(ctx)
	if derr == nil {
		return docker, nil
	}
	perr := podman.Probe(ctx)
	if perr == nil {
		return podman, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return nil, fmt.Errorf("%w: docker: %v; podman: %v. Install Docker (with a running daemon) or Podman, or pass --engine", ErrNoEngine, derr, perr)
}

// lastLines returns the last n non-empty lines of out, joined by " | ".
func lastLines(out []byte, n int) string {
	return strings.Join(tailLines(string(out), n), " | ")
}

// tailLines returns the last n non-empty lines of s.
func tailLines(s string, n int) []string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimRight(l, "\r "); strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines
}
