package facts

import (
	"regexp"
	"slices"
)

// RequiredEnv is an environment variable the program reads at start with
// no default: without it the program stops (a KeyError, a log.Fatal, a
// thrown error, a settings validation). The generator decides what the
// image does about it; detection only says where it is read.
type RequiredEnv struct {
	// Name is the variable's name.
	Name string `json:"name"`
	// Evidence is the line that reads it (or declares it required).
	Evidence Evidence `json:"evidence"`
}

// envNameRe is what a variable name may be for dgen to write it into a
// Dockerfile (ENV, a comment) and a docker run line.
var envNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// runtimeSetEnv are the variables every container has whatever the image
// says: Docker and Podman set HOSTNAME (the container's host name), HOME
// (from the user's passwd entry, else /) and PATH (a default when the
// image sets none).
var runtimeSetEnv = []string{"HOSTNAME", "HOME", "PATH"}

// RequireEnv records that the program requires name at start. The first
// evidence for a name is kept; a name that could not be written into a
// Dockerfile safely, or that every container has anyway, is left out.
func (d *Detection) RequireEnv(name, file string, line int, detail string) {
	if !envNameRe.MatchString(name) || slices.Contains(runtimeSetEnv, name) {
		return
	}
	for _, e := range d.Env {
		if e.Name == name {
			return
		}
	}
	d.Env = append(d.Env, RequiredEnv{Name: name, Evidence: Evidence{File: file, Line: line, Detail: detail}})
}
