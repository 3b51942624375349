package harness

import (
	"strings"
	"testing"
	"time"
)

func TestMarkdown(t *testing.T) {
	m := Machine{
		Date: time.Date(2026, 11, 27, 4, 5, 0, 0, time.UTC), CPUs: 2, MemoryMB: 24105,
		OS: "Debian GNU/Linux 12 (bookworm)", Kernel: "6.1.0", Buildah: "1.28.2", Podman: "4.3.1",
		Suite: "trixie/13.8", Go: "1.26.8", Node: "20.20.2", Took: 9*time.Minute + 31*time.Second,
		LoadStart: "0.12", LoadEnd: "1.93", LoadPeak: "7.5", Docker: "20.10.24+dfsg1", Frontend: "v0.34.2",
		Lanes: []Lane{{Engine: "podman", Took: 9 * time.Minute}, {Engine: "docker", Took: 7 * time.Minute}},
	}
	results := []Result{
		{Name: "go-stdlib", Language: "go", Kind: "web app on port 8080", Edited: "main.go",
			Dgen:   Build{Cold: 20 * time.Second, Rebuild: 2 * time.Second, DepsCached: "yes", Bytes: 9_000_000},
			Naive:  Build{Cold: 30 * time.Second, Rebuild: 16 * time.Second, DepsCached: "no", Bytes: 720_000_000},
			Checks: []string{"answers HTTP 200 on /healthz"}},
		{Name: "python-django", Language: "python", Partial: "its dependencies come from PyPI, which this machine cannot reach", Upto: 14,
			Dgen: Build{Cold: 5 * time.Second}, NaiveSkipped: "the app's dependencies cannot be installed here"},
		{Name: "node-broken", Language: "node", Failures: []string{"no HTTP answer\ncontainer exited 1; its log:\nError: boom"}},
	}
	docker := []Result{
		{Name: "go-stdlib", Dgen: Build{Cold: 40 * time.Second, Bytes: 8_900_000}, Checks: []string{"dgen verify (docker): healthy: turned healthy after 31.0s"}},
		{Name: "node-broken", Failures: []string{"dgen verify (docker): http failed: no HTTP answer"}},
	}
	broken := []Result{
		{Name: "broken/root-user (podman)", Kind: "USER 0:0", Checks: []string{"dgen verify (podman) exits 1 on USER 0:0: processes and user failed"}},
		{Name: "broken/wrong-port (docker)", Kind: "EXPOSE 9090", Failures: []string{"dgen verify (docker) on EXPOSE 9090: want exit 1 with healthy, http failing\nmore"}},
	}
	out := string(Markdown(m, results, docker, broken))
	for _, want := range []string{
		"on 2026-11-27 04:05 UTC",
		"2 of 3 examples passed every check with\nPodman and 1 of 2 with Docker; 1 of 2 broken copies failed as they\nshould.",
		"The whole run took 9m31s (the engines side by side: podman 9m0s, docker 7m0s).",
		"| Docker | 20.10.24+dfsg1, BuildKit; Dockerfile frontend built from BuildKit v0.34.2 |",
		"| CPUs (`nproc`) | 2 |",
		"| memory | 23.5 GiB |",
		"| Buildah | 1.28.2 |",
		"| Podman | 4.3.1 |",
		"| load average (1 min) | 0.12 at the start, 1.93 at the end, 7.5 at the highest |",
		"Debian trixie/13.8",
		"Go 1.26.8, Node 20.20.2",
		"| go-stdlib | pass | 20.0 | 2.0 | yes | 9.0 | 30.0 | 16.0 | 720.0 | pass, built in 40.0 s |",
		"| python-django | pass (partial) | partial: 5.0 | — | — | — | — | — | — | not run |",
		"| node-broken | **FAIL** | — | — | — | — | — | — | — | **FAIL** |",
		"| docker (BuildKit) | 40.0 | | | 8.9 |",
		"Passed with Docker:\n\n- dgen verify (docker): healthy: turned healthy after 31.0s",
		"Failed with Docker:\n\n- dgen verify (docker): http failed: no HTTP answer",
		"| broken/root-user (podman) | USER 0:0 | dgen verify (podman) exits 1 on USER 0:0: processes and user failed |",
		"| broken/wrong-port (docker) | EXPOSE 9090 | **FAIL**: dgen verify (docker) on EXPOSE 9090: want exit 1 with healthy, http failing |",
		"| dgen (partial) | 5.0 | — | — | — |",
		"| node-broken | **FAIL** |",
		"| dgen | 20.0 | 2.0 | yes | 9.0 |",
		"| naive | 30.0 | 16.0 | no | 720.0 |",
		"| naive ÷ dgen | 1.5× | 8.0× | | 80.0× |",
		"rebuild edits `main.go`",
		"Built only up to line 14 of its Dockerfile (lines 1–13), because\nits dependencies come from PyPI, which this machine cannot reach. The run,",
		"| naive | not built: the app's dependencies cannot be installed here | | | |",
		"Passed with Podman:\n\n- answers HTTP 200 on /healthz",
		"- no HTTP answer\n\n  ```text\n  container exited 1; its log:\n  Error: boom\n  ```",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("benchmarks.md lacks %q:\n%s", want, out)
		}
	}
}

func TestResultPassed(t *testing.T) {
	var r Result
	r.Okf("built in %.1fs", 1.5)
	if !r.Passed() || r.Checks[0] != "built in 1.5s" {
		t.Errorf("got %+v", r)
	}
	r.Failf("no HTTP answer on %s", "/")
	if r.Passed() || r.Failures[0] != "no HTTP answer on /" {
		t.Errorf("got %+v", r)
	}
}
