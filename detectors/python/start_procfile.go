package python

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/detectors/shellwords"
)

// pyProc is one Procfile line: name: command.
type pyProc struct {
	name, cmd string
	line      int
}

// procfileStart reads a Procfile: web: is the start command; a Procfile
// with no web: but one process makes that process a worker.
func (s *pyScan) procfileStart() (bool, error) {
	data, ok := pyRead(s.fsys, s.det, "Procfile")
	if !ok {
		return false, nil
	}
	if pyBinary(data) {
		s.det.Problemf("Procfile", "holds binary data, not process lines; it is ignored: fix it or remove it")
		return false, nil
	}
	web, worker := s.procfileMain(s.procfileLines(data))
	if web == nil {
		return false, nil
	}
	argv := s.dropDotenv(s.procfileArgv(*web), "Procfile", web.line)
	if worker {
		s.det.Worker = true
		s.det.Notef("Procfile has no web: process; %s: is run as a worker (no port, no HTTP health check)", web.name)
	}
	argv = s.procfilePort(*web, argv)
	argv = s.frameworkCLI(argv, "Procfile", web.line)
	argv = s.openHost(argv, "Procfile", web.line)
	argv = s.ensureHost(argv, "Procfile", web.line)
	s.frameworkFromDeps()
	ev := facts.Evidence{File: "Procfile", Line: web.line, Detail: web.name + ": " + web.cmd}
	s.setStart(pyCmd{argv: argv, server: pyServerOf(argv), ev: ev})
	return true, nil
}

// procfileLines parses the process lines; a malformed one is a Problem.
func (s *pyScan) procfileLines(data []byte) []pyProc {
	var procs []pyProc
	repo.Lines(data, func(n int, l string) bool {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			return true
		}
		name, cmd, ok := strings.Cut(l, ":")
		if !ok || !pyProcNameRe.MatchString(strings.TrimSpace(name)) {
			s.det.Problemf("Procfile", "line %d: expected `name: command`", n)
			return true
		}
		procs = append(procs, pyProc{strings.TrimSpace(name), strings.TrimSpace(cmd), n})
		return true
	})
	return procs
}

// procfileMain picks the process the container runs: web:, else the only
// process that is not release: (then a worker); nil when there is none or
// several. The processes left out get a Note saying how to run them.
func (s *pyScan) procfileMain(procs []pyProc) (main *pyProc, worker bool) {
	for i := range procs {
		switch procs[i].name {
		case "web":
			main = &procs[i]
		case "release":
			s.det.Notef("Procfile:%d: release: %s is a release step: run it once per deploy (docker run --rm IMAGE %s), not at container start", procs[i].line, procs[i].cmd, procs[i].cmd)
		}
	}
	if main == nil {
		var others []pyProc
		for _, p := range procs {
			if p.name != "release" {
				others = append(others, p)
			}
		}
		if len(others) != 1 {
			return nil, false
		}
		return &others[0], true
	}
	for _, p := range procs {
		if p.name != "web" && p.name != "release" {
			s.det.Notef("Procfile:%d: %s: %s runs as a second container from the same image (docker run IMAGE %s)", p.line, p.name, p.cmd, p.cmd)
		}
	}
	return main, false
}

// procfileArgv splits the process's command, moving its leading
// assignments into the image's ENV. A command that needs a shell keeps the
// author's line, run by sh, which expands $PORT from the image's ENV PORT.
func (s *pyScan) procfileArgv(p pyProc) []string {
	argv, env, defPort, err := pyShellArgv(p.cmd)
	if err != nil {
		s.det.Notef("Procfile:%d: %s; it runs as [\"sh\", \"-c\", …], and $PORT comes from the image's ENV PORT", p.line, err)
		return []string{"sh", "-c", p.cmd}
	}
	for k, v := range env {
		if s.facts.Env == nil {
			s.facts.Env = map[string]string{}
		}
		s.facts.Env[k] = v
	}
	if defPort > 0 {
		s.det.Port = defPort
		s.det.Cite("port", "Procfile", p.line, "${PORT:-"+strconv.Itoa(defPort)+"}")
	}
	return argv
}

// procfilePort takes the port from a literal server flag when ${PORT:-N}
// gave none, and marks it so that --port rewrites it.
func (s *pyScan) procfilePort(p pyProc, argv []string) []string {
	if s.det.Port == 0 {
		if n, i := pyPortFromArgs(argv); n > 0 {
			s.det.Port = n
			s.det.Cite("port", "Procfile", p.line, p.cmd)
			if j := strings.LastIndex(argv[i], strconv.Itoa(n)); j >= 0 {
				argv[i] = argv[i][:j] + pyPortMark + argv[i][j+len(strconv.Itoa(n)):]
			}
		}
	}
	for _, a := range argv {
		if strings.Contains(a, pyPortMark) {
			s.det.Notef("Procfile:%d: $PORT is written into the command as the port number (exec form has no shell to expand it)", p.line)
			break
		}
	}
	return argv
}

// ensureHost adds --host 0.0.0.0 to a uvicorn command that binds only
// 127.0.0.1, which nothing outside the container could reach.
func (s *pyScan) ensureHost(argv []string, file string, line int) []string {
	if len(argv) == 0 || path.Base(argv[0]) != "uvicorn" {
		return argv
	}
	for _, a := range argv {
		if a == "--host" || strings.HasPrefix(a, "--host=") || a == "--uds" || a == "--fd" {
			return argv
		}
	}
	s.det.Notef("%s:%d: uvicorn listens on 127.0.0.1 unless told otherwise; dgen adds --host 0.0.0.0 so the port is reachable from outside the container", file, line)
	return append(append([]string{}, argv...), "--host", "0.0.0.0")
}

// pyShellArgv splits a Procfile command into argv without a shell, with
// the one splitter dgen has (shellwords): words are unquoted, a leading
// exec is dropped, $PORT/${PORT}/${PORT:-N} become pyPortMark (N is
// returned as defPort), and leading NAME=value assignments become env.
// Anything that needs a shell (pipes, &&, redirections, other variables,
// command substitution, globs) is an error that says what.
func pyShellArgv(cmd string) (argv []string, env map[string]string, defPort int, err error) {
	port := func(name, def string) (string, error) {
		if name != "PORT" {
			return "", fmt.Errorf("$%s is expanded by a shell", name)
		}
		if n, err := strconv.Atoi(def); err == nil && n > 0 && n < 65536 {
			defPort = n
		}
		return pyPortMark, nil
	}
	c, err := shellwords.Parse(cmd, shellwords.Options{Assigns: true, Bash: true, Param: port})
	if err != nil {
		return nil, nil, 0, fmt.Errorf("%q: %w", cmd, err)
	}
	argv = c.Argv
	if argv[0] == "exec" {
		argv = argv[1:]
	}
	if len(argv) == 0 {
		return nil, nil, 0, fmt.Errorf("%q runs no command", cmd)
	}
	return argv, c.Env, defPort, nil
}

// pyPortFromArgs reads a literal port from server flags: --port N, -p N,
// --bind/-b host:N, --listen=host:N, --server.port N, host:N for runserver.
// It returns the port and the index of the argument holding it.
func pyPortFromArgs(argv []string) (port, index int) {
	for i, a := range argv {
		val, at := "", -1
		flag, v, hasEq := strings.Cut(a, "=")
		switch flag {
		case "--port", "-p", "--server.port", "--bind", "-b", "--listen", "--http":
			if hasEq {
				val, at = v, i
			} else if i+1 < len(argv) {
				val, at = argv[i+1], i+1
			}
		case "runserver":
			if i+1 < len(argv) {
				val, at = argv[i+1], i+1
			}
		}
		if j := strings.LastIndex(val, ":"); j >= 0 {
			val = val[j+1:]
		}
		if n, err := strconv.Atoi(val); err == nil && n > 0 && n < 65536 {
			return n, at
		}
	}
	return 0, -1
}
