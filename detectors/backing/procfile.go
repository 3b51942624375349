package backing

import (
	"regexp"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/detectors/shellwords"
)

// procNameRe is a Procfile process name, which becomes a compose service
// name: lower-case letters, digits, - and _.
var procNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// shellOps mark a Procfile command that needs a shell to run.
const shellOps = "$&|;<>`(){}*?"

// procfile turns a Procfile's entries other than web: into processes of
// the same image, and its release: entry into the migration command.
// The entry the image already runs (det.Start) is left out.
func (s *scan) procfile() {
	data, err := repo.ReadPrefix(s.fsys, "Procfile", repo.MaxSourceSize)
	if err != nil {
		return
	}
	repo.Lines(data, func(n int, line string) bool {
		line = strings.TrimSpace(line)
		name, cmd, ok := strings.Cut(line, ":")
		name, cmd = strings.TrimSpace(name), strings.TrimSpace(cmd)
		if !ok || strings.HasPrefix(line, "#") || name == "web" || cmd == "" || !procNameRe.MatchString(name) {
			return true
		}
		argv := procArgv(cmd)
		if argv == nil || slices.Equal(argv, s.det.Start) {
			return true
		}
		p := facts.Process{Name: strings.ToLower(name), Command: argv, Evidence: facts.Evidence{File: "Procfile", Line: n, Detail: name + ": " + cmd}}
		if name == "release" {
			if s.out.Migrate == nil {
				p.Name = "migrate"
				s.out.Migrate = &p
			}
			return true
		}
		s.out.AddProcess(p)
		return true
	})
}

// procArgv splits a Procfile command into argv, through sh -c when it
// uses the shell (variables, &&, pipes) or sets variables first; nil when
// it cannot be read.
func procArgv(cmd string) []string {
	if strings.ContainsAny(cmd, shellOps) {
		return []string{"sh", "-c", cmd}
	}
	argv, err := shellwords.Split(cmd)
	if err != nil || len(argv) == 0 {
		return nil
	}
	if strings.Contains(argv[0], "=") {
		return []string{"sh", "-c", cmd}
	}
	return argv
}
