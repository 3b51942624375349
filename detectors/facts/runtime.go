package facts

import (
	"slices"
	"strings"
)

// RuntimeFile is a file or folder the program opens by a relative path
// when it starts (a config file it loads by default, VERSION, a
// migrations folder, the config file its start command names). An image
// that leaves it out builds but fails at start, so the runtime stage
// copies it to the same place below the working directory.
type RuntimeFile struct {
	// Path is relative to the folder the program runs in (the app or
	// module folder, which becomes the image's working directory), with
	// forward slashes.
	Path string `json:"path"`
	// Dir is true for a folder.
	Dir bool `json:"dir,omitempty"`
	// Evidence is the code or command that opens it.
	Evidence Evidence `json:"evidence"`
}

// WritablePath is a folder the program writes into at run time next to
// its own files: a SQLite database in the working folder, uploads, a
// cache. The image runs as a user that owns none of the app's files, so
// the Dockerfile creates this folder owned by that user.
type WritablePath struct {
	// Dir is the folder, relative to the working directory; "." is the
	// working directory itself (a file written there by a fixed name). An
	// absolute Dir is a fixed folder outside the app (/etc/todos), which
	// the image creates owned by the user too.
	Dir string `json:"dir"`
	// Env is the program's own variable that names the written path
	// (DATABASE_PATH), when it has one; the image sets it to Value.
	Env string `json:"env,omitempty"`
	// Value is what Env is set to, relative to the working directory
	// ("data/app.db"); the planner makes it absolute.
	Value string `json:"value,omitempty"`
	// What says what is written there ("the SQLite database app.db").
	What string `json:"what"`
	// Evidence is the code that writes it.
	Evidence Evidence `json:"evidence"`
}

// AddRuntimeFile records a runtime file once: a second finding of the same
// path, or of a path inside a recorded folder, is dropped.
func (d *Detection) AddRuntimeFile(f RuntimeFile) {
	if slices.ContainsFunc(d.RuntimeFiles, func(have RuntimeFile) bool {
		return have.Path == f.Path || have.Dir && strings.HasPrefix(f.Path, have.Path+"/")
	}) {
		return
	}
	d.RuntimeFiles = append(d.RuntimeFiles, f)
}

// AddWritable records a writable folder once, by Dir.
func (d *Detection) AddWritable(w WritablePath) {
	if slices.ContainsFunc(d.Writable, func(have WritablePath) bool { return have.Dir == w.Dir }) {
		return
	}
	d.Writable = append(d.Writable, w)
}

// WrittenFile is the writable folder for a file the program writes at rel
// (relative to the working directory, or absolute). A file written in the
// working directory itself or at an absolute path, through the program's
// own variable env, is moved into data/ through that variable, so that a
// volume can be mounted there without hiding the program's files and the
// image need not own a system folder; without a variable the working
// directory itself, or the absolute file's folder, has to be writable.
func WrittenFile(rel, env, what string, ev Evidence) WritablePath {
	w := WritablePath{Dir: dirOf(rel), What: what, Evidence: ev}
	if (w.Dir == "." || strings.HasPrefix(rel, "/")) && env != "" {
		base := rel
		if i := strings.LastIndexByte(rel, '/'); i >= 0 {
			base = rel[i+1:]
		}
		w.Dir, w.Env, w.Value = "data", env, "data/"+base
	}
	return w
}

// dirOf is the folder part of a slash path, "." when it has none ("/" for
// a file at the root).
func dirOf(p string) string {
	switch i := strings.LastIndexByte(p, '/'); {
	case i > 0:
		return p[:i]
	case i == 0:
		return "/"
	}
	return "."
}
