package generator

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// planPythonHealth writes the health check with the image's own Python:
// slim images have no curl or wget.
func planPythonHealth(det *facts.Detection, p *Plan) {
	if p.Port == nil {
		return
	}
	hc := newHealthcheck()
	base := "http://127.0.0.1:" + strconv.Itoa(*p.Port)
	switch {
	case det.Framework == "grpc":
		// gRPC is HTTP/2 only: an HTTP/1.1 request never succeeds, so connect.
		hc.Cmd = []string{"python", "-c", "import socket; socket.create_connection(('127.0.0.1', " + strconv.Itoa(*p.Port) + "), timeout=4).close()"}
		hc.Why = "A gRPC server speaks HTTP/2 only, so an HTTP request never succeeds: the image's own Python connects to the port; a refused connection raises, so python exits 1"
	case det.HealthPath != "":
		hc.Path = det.HealthPath
		hc.Cmd = []string{"python", "-c", "import urllib.request; urllib.request.urlopen('" + base + pythonEscapePath(det.HealthPath) + "', timeout=4)"}
		hc.Why = "The image's own Python is the probe (slim images have no curl or wget): urlopen raises, so python exits 1, unless " + det.HealthPath + " answers 2xx"
	default:
		hc.Cmd = []string{"python", "-c", "import urllib.request as u; o = u.OpenerDirector(); o.add_handler(u.HTTPHandler()); o.open('" + base + "/', timeout=4)"}
		hc.Why = "The image's own Python is the probe (slim images have no curl or wget). No health route was found, so any HTTP answer counts: an opener without HTTPErrorProcessor returns even a 404 or 500 instead of raising, and only a refused connection fails"
	}
	p.Healthcheck = hc
}

// pythonEscapePath percent-encodes everything in an HTTP path but unreserved
// characters and "/", so it is safe inside a Python string literal.
func pythonEscapePath(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '/' || c == '-' || c == '.' || c == '_' || c == '~' ||
			'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// pythonIgnore is the Python section of the .dockerignore: caches,
// virtualenvs, test and coverage output, local databases. None of it is
// ever copied by the Dockerfile.
var pythonIgnore = []string{
	"# Python: caches, virtualenvs, test output, local databases",
	"**/__pycache__",
	"**/*.py[cod]",
	".venv",
	"venv",
	".pdm-python",
	".pytest_cache",
	".mypy_cache",
	".ruff_cache",
	"**/*.egg-info",
	".coverage",
	"htmlcov",
	".tox",
	".nox",
	"**/*.sqlite3",
}

// planPythonIgnore adds the Python section, node_modules when assets are
// built, and local build outputs the image makes itself.
func planPythonIgnore(det *facts.Detection, p *Plan, pp *PythonPlan) {
	p.Dockerignore = append(p.Dockerignore, pythonIgnore...)
	var extra []string
	if pp.Assets {
		extra = append(extra, "**/node_modules")
	}
	if pp.Member != "" {
		// The root's .venv is in the Python section; the member's own
		// would be copied with the workspace.
		extra = append(extra, pp.Member+"/.venv/")
	}
	if det.Python != nil {
		for _, d := range det.Python.IgnoreDirs {
			extra = append(extra, d+"/")
		}
	}
	if len(extra) > 0 {
		p.Dockerignore = append(p.Dockerignore, "", "# Built inside the image; local copies must not shadow them")
		p.Dockerignore = append(p.Dockerignore, extra...)
	}
}
