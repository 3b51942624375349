package generator

import (
	"fmt"
	"path"
	"strings"
)

// envFileIgnored reports whether the .dockerignore dgen writes leaves the
// file out of the build context: commonIgnore drops **/.env and
// **/.env.* (secrets never reach an image).
func envFileIgnored(name string) bool {
	base := path.Base(name)
	return base == ".env" || strings.HasPrefix(base, ".env.")
}

// envFileIfExists reports whether Node's major version has
// --env-file-if-exists (added in 22.9.0 and 20.19.0; the node:<major>
// images carry the newest release of their line).
func envFileIfExists(major int) bool {
	return major == 20 || major >= 22
}

// planNodeEnvFile rewrites node's --env-file=FILE in the start command
// when the .dockerignore keeps FILE out of the image, where node would
// exit at start for want of it: --env-file-if-exists where Node has it,
// else the flag is dropped. Either way the note says to pass the
// variables at run time. A --start command is the user's and is kept.
func planNodeEnvFile(p *Plan, major int) {
	if len(p.Start) < 2 || p.Start[0] != "node" || p.Evidence["start"].Detail == "--start" {
		return
	}
	var out []string
	for i := 0; i < len(p.Start); i++ {
		arg := p.Start[i]
		file, joined := strings.CutPrefix(arg, "--env-file=")
		if !joined && arg == "--env-file" && i+1 < len(p.Start) {
			file = p.Start[i+1]
			i++
		} else if !joined {
			out = append(out, arg)
			continue
		}
		if !envFileIgnored(file) {
			out = append(out, "--env-file="+file)
			continue
		}
		if envFileIfExists(major) {
			out = append(out, "--env-file-if-exists="+file)
			p.Notes = append(p.Notes, fmt.Sprintf("the start command loads %s with --env-file, but the .dockerignore keeps %s out of the image (it may hold secrets) and node would exit without it: the image runs node --env-file-if-exists=%s instead; pass the variables with docker run --env-file %s or -e NAME=value", file, file, file, file))
		} else {
			p.Notes = append(p.Notes, fmt.Sprintf("the start command loads %s with --env-file, but the .dockerignore keeps %s out of the image (it may hold secrets) and Node %d has no --env-file-if-exists: the flag is dropped; pass the variables with docker run --env-file %s or -e NAME=value", file, file, major, file))
		}
	}
	p.Start = out
}
