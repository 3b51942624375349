package verify

import (
	"context"
	"errors"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestWebAppPasses(t *testing.T) {
	f := goodEngine()
	r := verifyWith(t, repo(t, nil), webPlan(8080), f, answers(0, 0, 200))
	wantStatuses(t, r, map[string]string{"build": Pass, "size": Pass, "user": Pass, "running": Pass,
		"healthy": Pass, "http": Pass, "processes": Pass})
	if !r.Passed() || len(r.Failed()) != 0 {
		t.Errorf("report failed: %+v", r.Checks)
	}
	if r.Kind != "web" || r.Port != 8080 || r.HostPort != 41234 {
		t.Errorf("kind %s port %d host port %d", r.Kind, r.Port, r.HostPort)
	}
	if f.run.Port != 8080 || f.run.HostPort != 41234 || f.run.Name != "dgen-verify-my-app-abc123" {
		t.Errorf("run spec %+v", f.run)
	}
	contains(t, "http evidence", check(t, r, "http").Evidence, "HTTP 200", "http://127.0.0.1:41234/healthz", "container port 8080")
	contains(t, "healthy evidence", check(t, r, "healthy").Evidence, "healthy after", "busybox wget")
	contains(t, "size evidence", check(t, r, "size").Evidence, "6.3 MB")
	if len(r.Logs) != 0 {
		t.Errorf("logs on success: %q", r.Logs)
	}
	// Everything verify made is removed.
	for _, want := range []string{"rm dgen-verify-my-app-abc123", "rmi dgen-verify-my-app-abc123:latest", "rmi sha256:abc"} {
		if !slices.Contains(f.calls, want) {
			t.Errorf("no %q in %q", want, f.calls)
		}
	}
}

func TestKeepLeavesEverything(t *testing.T) {
	f := goodEngine()
	r := verifyWith(t, repo(t, nil), webPlan(8080), f, answers(200), func(o *Options) { o.Keep = true })
	if !r.Kept {
		t.Error("report does not say kept")
	}
	for _, c := range f.calls {
		if strings.HasPrefix(c, "rm") {
			t.Errorf("--keep removed something: %s", c)
		}
	}
}

const buildahFailure = `STEP 1/9: FROM golang:1.26-trixie AS build
STEP 2/9: WORKDIR /src
--> Using cache 1f2e
STEP 3/9: COPY . .
STEP 4/9: RUN go build -o /out/app .
# example.com/app
./main.go:7:2: undefined: foo
Error: building at STEP "RUN go build -o /out/app .": while running runtime: exit status 1
`

func TestBuildFailureNamesTheStep(t *testing.T) {
	f := goodEngine()
	f.builds = [][]byte{[]byte(buildahFailure)}
	f.buildErr = errors.New("exit status 1")
	r := verifyWith(t, repo(t, nil), webPlan(8080), f, answers(200))
	c := check(t, r, "build")
	if c.Status != Fail {
		t.Fatalf("build %+v", c)
	}
	contains(t, "build evidence", c.Evidence, "build failed after", "RUN go build -o /out/app .", "undefined: foo", "exit status 1")
	if len(r.Checks) != 1 {
		t.Errorf("checks after a failed build: %+v", r.Checks)
	}
	if r.Passed() {
		t.Error("a failed build passed")
	}
	if !slices.Contains(f.calls, "rmi dgen-verify-my-app-abc123:latest") {
		t.Errorf("the image name was not cleaned up: %q", f.calls)
	}
}

func TestFailingStepBuildKit(t *testing.T) {
	out := `#1 [internal] load build definition from Dockerfile
#5 [build 2/5] WORKDIR /src
#5 CACHED
#8 [build 4/5] RUN npm ci
#8 0.512 npm ERR! code ENOTFOUND
#8 ERROR: executor failed running [/bin/sh -c npm ci]: exit code: 1
`
	if got := failingStep([]byte(out)); got != "[build 4/5] RUN npm ci" {
		t.Errorf("failingStep = %q", got)
	}
	if got := failingStep([]byte("Error: no Dockerfile\n")); got != "" {
		t.Errorf("failingStep of a log with no step = %q", got)
	}
}

func TestBuildHints(t *testing.T) {
	cases := map[string]string{
		"ERROR: BuildKit is enabled but the buildx component is missing or broken.": "buildx",
		"Error: creating build container: initializing source docker://golang:1.26": "could not be pulled",
		"write /var/lib/x: no space left on device":                                 "storage is full",
		"./main.go:7:2: undefined: foo":                                             "",
	}
	for out, want := range cases {
		got := buildHint([]byte(out))
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("buildHint(%q) = %q, want %q", out, got, want)
		}
	}
}

func TestUserCheck(t *testing.T) {
	cases := []struct{ user, status, mention string }{
		{"65532:65532", Pass, "65532:65532"},
		{"10001", Pass, "10001"},
		{"", Fail, "no USER"},
		{"app", Fail, "a name"},
		{"0:0", Fail, "root"},
		{"root", Fail, "a name"},
		{"00", Fail, "root"},
	}
	for _, c := range cases {
		f := goodEngine()
		f.image.User = c.user
		r := verifyWith(t, repo(t, nil), webPlan(8080), f, answers(200))
		got := check(t, r, "user")
		if got.Status != c.status || !strings.Contains(got.Evidence, c.mention) {
			t.Errorf("USER %q: %+v, want %s mentioning %q", c.user, got, c.status, c.mention)
		}
		if c.status == Fail && !strings.Contains(got.Hint, "USER <uid>:<gid>") {
			t.Errorf("USER %q: hint %q", c.user, got.Hint)
		}
	}
}

func TestRootProcessFails(t *testing.T) {
	f := goodEngine()
	f.procs = []Process{{User: "root", PID: "1", Args: "/bin/sh /entrypoint.sh"}, {User: "app", PID: "7", Args: "node server.js"}}
	r := verifyWith(t, repo(t, nil), webPlan(8080), f, answers(200))
	c := check(t, r, "processes")
	if c.Status != Fail {
		t.Fatalf("processes %+v", c)
	}
	contains(t, "processes evidence", c.Evidence, "1 of 2 processes run as root", "pid 1 (/bin/sh /entrypoint.sh)")
	if r.Passed() {
		t.Error("a root process passed")
	}
}

// procTCP is /proc/net/tcp with one listener on 0.0.0.0:3000 and one
// established connection.
const procTCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000 65532        0 1 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000 65532        0 2 1 0000000000000000 20 4 30 10 -1
`

func TestWrongPortHintFromProc(t *testing.T) {
	f := goodEngine()
	f.health = []string{"starting", "starting", "unhealthy"}
	f.healthOut = "wget: can't connect to remote host (127.0.0.1): Connection refused"
	f.logs = "listening on :3000\n"
	f.execFail = map[string]string{"/usr/local/bin/busybox": f.healthOut}
	read := func(p string) ([]byte, error) {
		if p == "/proc/4242/net/tcp" {
			return []byte(procTCP), nil
		}
		return nil, os.ErrNotExist
	}
	r := verifyWith(t, repo(t, nil), webPlan(8080), f, answers(0), func(o *Options) { o.readFile = read })
	wantStatuses(t, r, map[string]string{"healthy": Fail, "http": Fail, "running": Pass, "processes": Pass})
	http := check(t, r, "http")
	contains(t, "http hint", http.Hint, "listens on 3000, not on port 8080", "/proc/4242/net/tcp", "--port 3000")
	contains(t, "healthy hint", check(t, r, "healthy").Hint, "another port")
	if len(r.Logs) != 1 || r.Logs[0] != "listening on :3000" {
		t.Errorf("logs %q", r.Logs)
	}
}

func TestWrongPortHintFromSS(t *testing.T) {
	f := goodEngine()
	f.pid = 0
	f.health = []string{"unhealthy"}
	f.exec = map[string]string{"ss": "LISTEN 0      511          *:5000      *:*\n"}
	r := verifyWith(t, repo(t, nil), webPlan(8080), f, answers(0))
	contains(t, "http hint", check(t, r, "http").Hint, "listens on 5000, not on port 8080", "ss in the container")
}

func TestLoopbackOnlyHint(t *testing.T) {
	got := portHint(8000, []listener{{IP: net.IPv4(127, 0, 0, 1), Port: 8000}}, "x")
	contains(t, "hint", got, "loopback address only", "127.0.0.1:8000", "0.0.0.0")
	if got := portHint(8000, []listener{{IP: net.IPv4zero, Port: 8000}}, "x"); got != "" {
		t.Errorf("a reachable listener gave a hint: %q", got)
	}
	contains(t, "hint", portHint(8000, nil, "x"), "nothing in the container listens")
}

func TestParseProcNetTCP6AndSS(t *testing.T) {
	tcp6 := "  sl  local_address                         remote_address                        st\n" +
		"   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 0\n" +
		"   1: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 0\n"
	ls := parseProcNetTCP(tcp6)
	if len(ls) != 2 || ls[0].String() != "8080" || ls[1].String() != "[::1]:80" {
		t.Errorf("parseProcNetTCP(tcp6) = %v", ls)
	}
	ss := "LISTEN 0 4096 127.0.0.1:6379 0.0.0.0:*\nLISTEN 0 4096 [::]:8080 [::]:*\nLISTEN 0 4096 [fe80::1%eth0]:9000 [::]:*\n"
	got := parseSS(ss)
	if len(got) != 3 || got[0].String() != "127.0.0.1:6379" || got[1].String() != "8080" || got[2].Port != 9000 {
		t.Errorf("parseSS = %v", got)
	}
}

func TestHealthcheckThatCannotRun(t *testing.T) {
	f := goodEngine()
	f.health = []string{"starting", "unhealthy"}
	f.image.Healthcheck.Test = []string{"CMD", "/usr/bin/curl", "-fsS", "http://127.0.0.1:8080/healthz"}
	// Podman records no output when the check's program cannot start.
	f.healthOut = ""
	f.exec = map[string]string{"cat": strings.Replace(procTCP, "0BB8", "1F90", 1)}
	r := verifyWith(t, repo(t, nil), webPlan(8080), f, answers(200))
	wantStatuses(t, r, map[string]string{"healthy": Fail, "http": Pass})
	c := check(t, r, "healthy")
	contains(t, "healthy evidence", c.Evidence, "run by hand in the container it says", "stat /usr/bin/curl: no such file or directory")
	contains(t, "healthy hint", c.Hint, "does not exist in the runtime image")
	if !slices.Contains(f.calls, "exec /usr/bin/curl -fsS http://127.0.0.1:8080/healthz") {
		t.Errorf("the check was not run by hand: %q", f.calls)
	}
}

func TestHealthcheckThatFailsWithOutput(t *testing.T) {
	f := goodEngine()
	f.health = []string{"unhealthy"}
	f.healthOut = "wget: server returned error: HTTP/1.1 404 Not Found"
	r := verifyWith(t, repo(t, nil), webPlan(8080), f, answers(404))
	contains(t, "healthy evidence", check(t, r, "healthy").Evidence, "HTTP/1.1 404 Not Found")
	if status(r, "http") != Pass {
		t.Errorf("a 404 from the host is an HTTP answer: %+v", check(t, r, "http"))
	}
}

func TestNeverHealthyWithinBudget(t *testing.T) {
	f := goodEngine()
	f.health = []string{"starting"}
	start := time.Now()
	r := verifyWith(t, repo(t, nil), webPlan(8080), f, answers(200))
	if time.Since(start) > 5*time.Second {
		t.Error("the fake clock did not stand in for the wait")
	}
	c := check(t, r, "healthy")
	// 10s start period + 4 × (30s interval + 5s timeout) + 5s slack.
	contains(t, "healthy evidence", c.Evidence, `not healthy after 155.0s (status "starting"`, "start period 10s, then 3 retries")
}

func TestNoHealthcheckOnWebApp(t *testing.T) {
	f := goodEngine()
	f.image.Healthcheck = &ImageHealthcheck{Test: []string{"NONE"}}
	r := verifyWith(t, repo(t, nil), webPlan(8080), f, answers(200))
	wantStatuses(t, r, map[string]string{"healthy": Fail, "http": Pass})
	contains(t, "healthy", check(t, r, "healthy").Evidence, "no HEALTHCHECK")
}

func TestWebImageWithoutExpose(t *testing.T) {
	f := goodEngine()
	f.image.Exposed = nil
	r := verifyWith(t, repo(t, nil), webPlan(8080), f, answers(200))
	c := check(t, r, "http")
	if c.Status != Fail || !strings.Contains(c.Evidence, "EXPOSEs no port") || !strings.Contains(c.Hint, "EXPOSE 8080") {
		t.Errorf("http %+v", c)
	}
	f.image.Exposed = []int{3000}
	r = verifyWith(t, repo(t, nil), webPlan(8080), f, answers(200))
	contains(t, "http", check(t, r, "http").Evidence, "plan says port 8080, but the image EXPOSEs [3000]")
}

func TestWebAppThatExits(t *testing.T) {
	f := goodEngine()
	f.runningFor = 2
	f.exit = ContainerInfo{Status: "exited", ExitCode: 1}
	f.health = []string{"starting"}
	f.logs = "Traceback (most recent call last):\n  File \"/app/main.py\", line 3\nKeyError: 'DATABASE_URL'\n"
	r := verifyWith(t, repo(t, nil), webPlan(8080), f, answers(0))
	wantStatuses(t, r, map[string]string{"running": Fail, "healthy": Fail, "http": Fail, "processes": Skip})
	c := check(t, r, "running")
	contains(t, "running", c.Evidence, "exit code 1")
	contains(t, "running hint", c.Hint, "environment variable DATABASE_URL", "not set", "--env-file")
	if len(r.Logs) != 3 {
		t.Errorf("logs %q", r.Logs)
	}
}

func TestHostNetworkPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	f := goodEngine()
	f.hostNet = true
	f.image.Exposed = []int{port}
	r := verifyWith(t, repo(t, nil), webPlan(port), f, answers(200))
	c := check(t, r, "http")
	contains(t, "http", c.Evidence, "port "+strconv.Itoa(port)+" is already in use", "host's network")
	if slices.ContainsFunc(f.calls, func(s string) bool { return strings.HasPrefix(s, "run ") }) {
		t.Error("a container was started on a port in use")
	}
	l.Close()
	r = verifyWith(t, repo(t, nil), webPlan(port), f, answers(200))
	if r.HostPort != port || !r.Passed() {
		t.Errorf("host network: host port %d, checks %+v", r.HostPort, r.Checks)
	}
}

func TestCancelCleansUp(t *testing.T) {
	f := goodEngine()
	f.health = []string{"starting"}
	ctx, cancel := context.WithCancel(context.Background())
	sleeps := 0
	o := Options{Dir: repo(t, nil), Plan: webPlan(8080), Engine: f, httpGet: answers(0), suffix: "x",
		freePort: func() (int, error) { return 40000, nil },
		sleep: func(ctx context.Context, d time.Duration) error {
			if sleeps++; sleeps == 3 {
				cancel() // Ctrl-C while waiting for the health check
			}
			return ctx.Err()
		}}
	_, err := Verify(ctx, o)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"rm dgen-verify-my-app-x", "rmi dgen-verify-my-app-x:latest"} {
		if !slices.Contains(f.calls, want) {
			t.Errorf("not cleaned up after cancel: no %q in %q", want, f.calls)
		}
	}
}

func TestNoDockerfile(t *testing.T) {
	_, err := Verify(context.Background(), Options{Dir: t.TempDir(), Plan: webPlan(8080), Engine: goodEngine()})
	if !errors.Is(err, ErrNoDockerfile) {
		t.Errorf("err = %v", err)
	}
}

func TestChooseNamesBothEngines(t *testing.T) {
	bins := Bins{Docker: "/nonexistent/docker", Podman: "/nonexistent/podman"}
	_, err := Choose(context.Background(), "", bins)
	if !errors.Is(err, ErrNoEngine) {
		t.Fatalf("err = %v", err)
	}
	contains(t, "error", err.Error(), "docker: /nonexistent/docker is not installed", "podman: /nonexistent/podman is not installed")
	_, err = Choose(context.Background(), "podman", bins)
	if !errors.Is(err, ErrNoEngine) || !strings.Contains(err.Error(), "--engine podman") {
		t.Errorf("forced podman: %v", err)
	}
	if _, err = Choose(context.Background(), "lxc", bins); err == nil || errors.Is(err, ErrNoEngine) {
		t.Errorf("unknown engine: %v", err)
	}
}

// hostTCP is the host's /proc/net/tcp as a container on the host's network
// sees it: the app's socket (inode 777, port 8080) among the host's own.
const hostTCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0000000000000000 100 0 0 10 0
   1: 0100007F:9DFD 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 222 1 0000000000000000 100 0 0 10 0
   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 65532        0 777 1 0000000000000000 100 0 0 10 0
`

func TestWrongPortOnHostNetworkCountsOnlyTheAppsSockets(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	f := goodEngine()
	f.hostNet = true
	f.image.Exposed = []int{port}
	f.health = []string{"unhealthy"}
	// cat in the container would show the host's sockets: never asked.
	f.exec = map[string]string{"cat": hostTCP}
	hooks := func(o *Options) {
		o.readFile = func(p string) ([]byte, error) {
			if p == "/proc/4242/net/tcp" {
				return []byte(hostTCP), nil
			}
			return nil, os.ErrNotExist
		}
		o.socketInodes = func(pid int) (map[string]bool, error) {
			if pid != 4242 {
				t.Errorf("sockets of pid %d", pid)
			}
			return map[string]bool{"777": true, "12": true}, nil
		}
	}
	r := verifyWith(t, repo(t, nil), webPlan(port), f, answers(0), hooks)
	got := check(t, r, "http").Hint
	contains(t, "http hint", got, "the app listens on 8080, not on port "+strconv.Itoa(port))
	if strings.Contains(got, "2024") || strings.Contains(got, "40445") {
		t.Errorf("the host's own sockets are in the hint: %q", got)
	}
	// Without the app's sockets, no guess at all rather than the host's.
	r = verifyWith(t, repo(t, nil), webPlan(port), f, answers(0), hooks, func(o *Options) {
		o.socketInodes = func(int) (map[string]bool, error) { return nil, os.ErrPermission }
	})
	if h := check(t, r, "http").Hint; strings.Contains(h, "listens on") {
		t.Errorf("a hint from the host's sockets: %q", h)
	}
}
