package generator

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/moby/patternmatcher"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/detectors/shellwords"
)

// RuntimeFile is a file or folder the program opens by a relative path at
// start, copied into the runtime image at the path it expects below its
// working directory.
type RuntimeFile struct {
	// From is the stage it is copied from ("build"), or "" for the build
	// context.
	From string `json:"from,omitempty"`
	// Src is its path in the build context or in that stage.
	Src string `json:"src"`
	// Dest is the absolute path in the runtime image.
	Dest string `json:"dest"`
	// Dir is true for a folder.
	Dir bool `json:"dir,omitempty"`
	// Evidence is the code or command that opens it.
	Evidence facts.Evidence `json:"evidence"`
}

// WritableDir is a folder the program writes into at run time, created in
// the runtime image and owned by the non-root user; nothing else the app
// ships is.
type WritableDir struct {
	// Path is the absolute folder; the app's working directory itself
	// when the program writes a file there by a fixed name.
	Path string `json:"path"`
	// Workdir is true when Path is the working directory itself. On a
	// runtime without a shell its copy then comes before WORKDIR, which
	// would otherwise create the folder root-owned: a copy onto an
	// existing folder keeps that folder's owner.
	Workdir bool `json:"workdir,omitempty"`
	// Env is the program's own variable for the written path, set to
	// Value so the program writes into Path.
	Env   string `json:"env,omitempty"`
	Value string `json:"value,omitempty"`
	// Why is the comment written above the folder's creation: what is
	// written, and where to mount a volume.
	Why string `json:"why"`
	// Evidence is the code that writes it.
	Evidence facts.Evidence `json:"evidence"`
}

// writableEmpty is the empty folder a shell-less runtime copies, owned by
// the user, to each writable path.
const writableEmpty = "/out/writable"

// WritableByCopy reports whether the runtime image has no shell to create
// the writable folders (distroless): the build stage then makes an empty
// folder that the runtime copies with the user as owner.
func (p *Plan) WritableByCopy() bool { return p.Template == "go" && !p.User.Create }

// WritableEmpty is the build stage's empty folder for WritableByCopy.
func (p *Plan) WritableEmpty() string { return writableEmpty }

// planRuntimeState lists the files the runtime image must hold and the
// folders the non-root user must be able to write, for the app's
// template. A static site is served by nginx and runs no app code.
func planRuntimeState(det *facts.Detection, p *Plan) {
	// srcDir is where the files are copied from, ctxDir where they sit
	// in the build context.
	workdir, srcDir, ctxDir, from := "/app", "", "", ""
	switch {
	case p.Go != nil:
		srcDir, ctxDir = det.Go.ModuleDir, det.Go.ModuleDir
	case p.Node != nil && p.Template == "node":
		workdir, srcDir, ctxDir, from = p.Node.Workdir, path.Join("/app", det.Node.AppDir), det.Node.AppDir, "build"
		if nodeCopiesWholeApp(p.Node) {
			// The runtime holds the whole app already.
			srcDir = ""
		}
	case p.Python != nil:
		// The runtime copies the whole app: only writable folders matter,
		// below the member's folder for a uv workspace member.
		workdir = path.Join("/app", p.Python.Member)
	default:
		return
	}
	if srcDir != "" || p.Go != nil {
		ignored := contextIgnores(p)
		for _, f := range det.RuntimeFiles {
			src := path.Join(srcDir, f.Path)
			if from == "" && !repo.SafePath(src) {
				continue
			}
			if ignored(path.Join(ctxDir, f.Path)) {
				p.Notes = append(p.Notes, fmt.Sprintf("%s: the program opens %s at start, but .dockerignore keeps it out of the image (it looks like a secret or local file); mount it at %s when the container runs", f.Evidence, f.Path, path.Join(workdir, f.Path)))
				continue
			}
			p.RuntimeFiles = append(p.RuntimeFiles, RuntimeFile{From: from, Src: src, Dest: path.Join(workdir, f.Path), Dir: f.Dir, Evidence: f.Evidence})
		}
	}
	for _, w := range det.Writable {
		planWritable(w, workdir, p)
	}
}

// nodeCopiesWholeApp reports whether the runtime stage copies the build
// stage's whole /app.
func nodeCopiesWholeApp(np *NodePlan) bool {
	for _, c := range np.Copies {
		if len(c.Sources) == 1 && c.Sources[0] == "/app/" {
			return true
		}
	}
	return false
}

// planWritable adds one writable folder, with its variable when the
// program has one, and the comment that says why and where to mount.
func planWritable(w facts.WritablePath, workdir string, p *Plan) {
	dir := path.Join(workdir, w.Dir)
	if path.IsAbs(w.Dir) {
		dir = path.Clean(w.Dir)
		if !planFixedWritable(w, dir, workdir, p) {
			return
		}
	} else if !repo.SafePath(w.Dir) && w.Dir != "." {
		p.Notes = append(p.Notes, fmt.Sprintf("%s: the program writes %s, a folder name dgen will not write into a Dockerfile; create it writable for user %d yourself", w.Evidence, w.Dir, p.User.UID))
		return
	}
	for _, have := range p.Writable {
		if have.Path == dir {
			return
		}
	}
	wd := WritableDir{Path: dir, Workdir: w.Dir == ".", Evidence: w.Evidence}
	if w.Env != "" && envName.MatchString(w.Env) && repo.SafePath(w.Value) {
		wd.Env, wd.Value = w.Env, path.Join(workdir, w.Value)
	}
	if w.Dir == "." {
		wd.Why = fmt.Sprintf("%s: the program writes %s in its working directory, so the user owns the folder %s itself, not the files in it (though it can now replace those at its top level). To keep the data and the app out of reach, have the program write into a subfolder and mount a volume there", w.Evidence, w.What, dir)
	} else {
		wd.Why = fmt.Sprintf("%s: the program writes %s, so the user owns %s (and nothing else of the app). Mount a volume at %s to keep what it writes", w.Evidence, w.What, dir, dir)
	}
	p.Writable = append(p.Writable, wd)
}

// fixedWritableSkip are the absolute folders the image never creates or
// chowns for a program, most specific first: the world-writable temporary
// folders (nothing to do), the kernel's and the system's own and root's
// home, which the user cannot even enter (a note), and the shared parents
// of many programs' folders, /etc or /var themselves (a note; a folder
// below them is fine).
var fixedWritableSkip = []struct {
	top         string
	warn, exact bool
}{
	{top: "tmp"}, {top: "var/tmp"}, {top: "dev/shm"},
	{top: "proc", warn: true}, {top: "sys", warn: true}, {top: "dev", warn: true}, {top: "run", warn: true},
	{top: "bin", warn: true}, {top: "sbin", warn: true}, {top: "usr", warn: true}, {top: "lib", warn: true},
	{top: "lib64", warn: true}, {top: "boot", warn: true}, {top: "root", warn: true},
	{top: "etc", warn: true, exact: true}, {top: "var", warn: true, exact: true}, {top: "var/lib", warn: true, exact: true},
	{top: "home", warn: true, exact: true}, {top: "opt", warn: true, exact: true}, {top: "mnt", warn: true, exact: true},
}

// planFixedWritable vets a folder the program writes at a fixed absolute
// path (a SQLite file at /etc/todos/todo.db, with no variable to move it):
// the image creates it owned by the user, with a note, since it lies
// outside the app. It reports whether the folder is to be created.
func planFixedWritable(w facts.WritablePath, dir, workdir string, p *Plan) bool {
	if dir == workdir || strings.HasPrefix(dir, workdir+"/") {
		return repo.SafePath(strings.TrimPrefix(dir, "/"))
	}
	rel := strings.TrimPrefix(dir, "/")
	for _, s := range fixedWritableSkip {
		if rel == s.top || !s.exact && strings.HasPrefix(rel, s.top+"/") {
			if s.warn {
				p.Notes = append(p.Notes, fmt.Sprintf("%s: the program writes %s, a system folder dgen will not hand to user %d; have it write below %s (or read the path from a variable)", w.Evidence, dir, p.User.UID, workdir))
			}
			return false
		}
	}
	if dir == "/" || !repo.SafePath(rel) {
		p.Notes = append(p.Notes, fmt.Sprintf("%s: the program writes %s, a folder name dgen will not write into a Dockerfile; create it writable for user %d yourself", w.Evidence, dir, p.User.UID))
		return false
	}
	p.Notes = append(p.Notes, fmt.Sprintf("%s: the program writes %s at the fixed path %s, outside the app: the image creates that folder owned by user %d; mount a volume at %s to keep it, or have the program read the path from a variable", w.Evidence, w.What, dir, p.User.UID, dir))
	return true
}

// configFlags are the start-command options whose value is a config file
// the program reads at start.
var configFlags = map[string]bool{"--config": true, "-config": true, "-c": true, "--conf": true, "--config-file": true, "--settings": true}

// addStartFiles records, as runtime files, a config file the start
// command names (--config config.yaml, -c conf/app.toml) that exists in
// the app's folder. Python images hold the whole app already.
func addStartFiles(fsys fs.FS, det *facts.Detection, start []string) {
	base := ""
	switch {
	case det.Go != nil:
		base = det.Go.ModuleDir
	case det.Node != nil:
		base = det.Node.AppDir
	default:
		return
	}
	if len(start) == 1 {
		// One string from --start "app --config x.yaml".
		if words, err := shellwords.Split(start[0]); err == nil {
			start = words
		}
	}
	for i, arg := range start {
		val := ""
		if k, v, ok := strings.Cut(arg, "="); ok && configFlags[k] {
			val = v
		} else if configFlags[arg] && i+1 < len(start) {
			val = start[i+1]
		}
		rel := path.Clean(strings.TrimPrefix(val, "./"))
		if val == "" || path.IsAbs(rel) || rel == "." || strings.HasPrefix(rel, "../") || (det.Go != nil && rel == det.Go.ConfigFile) {
			continue
		}
		full := path.Join(base, rel)
		if !repo.SafePath(full) || !repo.IsFile(fsys, full) || strings.HasPrefix(path.Base(rel), ".env") {
			continue
		}
		ev := det.Evidence["start"]
		ev.Detail = "the start command names " + rel + " as its config file"
		det.AddRuntimeFile(facts.RuntimeFile{Path: rel, Evidence: ev})
	}
}

// WritablePaths are the writable folders' paths, for one mkdir and chown.
func (p *Plan) WritablePaths() []string {
	out := make([]string, 0, len(p.Writable))
	for _, w := range p.Writable {
		out = append(out, w.Path)
	}
	return out
}

// contextIgnores matches a build-context path against the .dockerignore
// dgen writes (the common part and the language planner's), so that no
// runtime file it leaves out is copied: the COPY would fail.
func contextIgnores(p *Plan) func(string) bool {
	var pats []string
	for _, l := range append(append([]string{}, commonIgnore...), p.Dockerignore...) {
		if l != "" && !strings.HasPrefix(l, "#") {
			pats = append(pats, l)
		}
	}
	pm, err := patternmatcher.New(pats)
	if err != nil {
		// The patterns are dgen's own; a bad one copies nothing it hides.
		return func(string) bool { return true }
	}
	return func(file string) bool {
		ok, err := pm.MatchesOrParentMatches(file)
		return ok || err != nil
	}
}
