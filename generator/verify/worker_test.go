package verify

import (
	"strings"
	"testing"
	"time"
)

func workerEngine() *fakeEngine {
	img := goodImage()
	img.Exposed, img.Healthcheck, img.User = nil, nil, "10001:10001"
	return &fakeEngine{image: img, pid: 99, procs: []Process{{User: "app", PID: "1", Args: "python -m worker"}}}
}

func TestWorkerPasses(t *testing.T) {
	f := workerEngine()
	r := verifyWith(t, repo(t, nil), workerPlan(), f, answers(0), func(o *Options) { o.Settle = 7 * time.Second })
	wantStatuses(t, r, map[string]string{"build": Pass, "user": Pass, "no-expose": Pass, "running": Pass, "processes": Pass,
		"http": "absent", "healthy": "absent"})
	if r.Kind != "worker" || r.Port != 0 || f.run.Port != 0 {
		t.Errorf("a worker got a port: %+v %+v", r, f.run)
	}
	contains(t, "running", check(t, r, "running").Evidence, "still running after 7s")
}

func TestWorkerThatExits(t *testing.T) {
	f := workerEngine()
	f.runningFor = -1 // every inspect sees it stopped
	f.exit = ContainerInfo{Status: "exited", ExitCode: 127}
	f.logs = "exec /app/worker: no such file or directory\n"
	r := verifyWith(t, repo(t, nil), workerPlan(), f, answers(0))
	wantStatuses(t, r, map[string]string{"running": Fail, "processes": Skip, "no-expose": Pass})
	c := check(t, r, "running")
	contains(t, "running", c.Evidence, "stopped within 5s", "exit code 127")
	contains(t, "running hint", c.Hint, "could not be run", "missing in the image (/app/worker)")
	if r.Passed() {
		t.Error("an exited worker passed")
	}
}

func TestWorkerThatExposes(t *testing.T) {
	f := workerEngine()
	f.image.Exposed = []int{8000}
	r := verifyWith(t, repo(t, nil), workerPlan(), f, answers(0))
	c := check(t, r, "no-expose")
	if c.Status != Fail || !strings.Contains(c.Evidence, "EXPOSEs [8000]") || !strings.Contains(c.Hint, "--port") {
		t.Errorf("no-expose %+v", c)
	}
}

func TestWorkerPermissionDenied(t *testing.T) {
	f := workerEngine()
	f.runningFor = -1
	f.exit = ContainerInfo{Status: "exited", ExitCode: 1}
	f.logs = "Traceback (most recent call last):\nPermissionError: [Errno 13] Permission denied: '/app/data/state.db'\n"
	r := verifyWith(t, repo(t, nil), workerPlan(), f, answers(0))
	contains(t, "running hint", check(t, r, "running").Hint, "permission denied on /app/data/state.db", "writable-folder rule", "/tmp")
}

func TestLogHints(t *testing.T) {
	env := envFile{source: "/r/.env.example", names: []string{"DATABASE_URL", "SECRET_KEY"}, empty: []string{"SECRET_KEY"}}
	cases := []struct {
		log   string
		env   envFile
		wants []string
	}{
		{"Error: environment variable REDIS_URL is not set", envFile{}, []string{"REDIS_URL", "not set", "--env-file"}},
		{"django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.\nKeyError: 'SECRET_KEY'", env, []string{"SECRET_KEY", "leaves empty"}},
		{"Missing required environment variable: STRIPE_KEY", env, []string{"STRIPE_KEY", "does not set"}},
		{"panic: API_TOKEN must be set", envFile{}, []string{"API_TOKEN"}},
		{"Error: EACCES: permission denied, open '/app/logs/out.log'", envFile{}, []string{"permission denied on /app/logs/out.log"}},
		{"mkdir /home/app/.cache: permission denied", envFile{}, []string{"permission denied on /home/app/.cache"}},
		{"Error: Cannot find module '/app/dist/main.js'", envFile{}, []string{"missing in the image (/app/dist/main.js)"}},
		{"ModuleNotFoundError: No module named 'flask'", envFile{}, []string{"missing in the image (flask)"}},
	}
	for _, c := range cases {
		got := strings.Join(logHints(c.log, c.env), "; ")
		for _, w := range c.wants {
			if !strings.Contains(got, w) {
				t.Errorf("logHints(%q) = %q, want %q", c.log, got, w)
			}
		}
	}
	if got := logHints("server started on :8080\nGET /healthz 200", envFile{}); len(got) != 0 {
		t.Errorf("hints from a healthy log: %q", got)
	}
}

// TestWorkerExits127OnItsOwn: http-echo exits 127 after printing its own
// usage error; the hint points at that line, not at the image's paths.
func TestWorkerExits127OnItsOwn(t *testing.T) {
	f := workerEngine()
	f.runningFor = -1
	f.exit = ContainerInfo{Status: "exited", ExitCode: 127}
	f.logs = "2026/12/05 12:00:00 [ERR] Missing -text option!\n"
	r := verifyWith(t, repo(t, nil), workerPlan(), f, answers(0))
	c := check(t, r, "running")
	contains(t, "running hint", c.Hint, "the program itself exited with 127", "Missing -text option!")
	if strings.Contains(c.Hint, "could not be run") {
		t.Errorf("hint blames the start command's path: %q", c.Hint)
	}
}

func TestNotRunHint(t *testing.T) {
	for _, tt := range []struct {
		logs  string
		blame bool // the hint blames the start command's path
	}{
		{"", true},
		{"\n  \n", true},
		{"/bin/sh: 1: gunicorn: not found\n", true},
		{"env: 'node': No such file or directory\n", true},
		{"Error: crun: executable file `app` not found in $PATH: No such file or directory: OCI runtime attempted to invoke a command that was not found\n", true},
		{"exec /app/server: permission denied\n", true},
		{"starting\nusage: server -config FILE\n", false},
		{"user alice not found\n", false},
	} {
		got := notRunHint(127, tt.logs)
		if blamed := strings.Contains(got, "could not be run"); blamed != tt.blame {
			t.Errorf("logs %q: hint %q, blame the path %v, want %v", tt.logs, got, blamed, tt.blame)
		}
	}
}
