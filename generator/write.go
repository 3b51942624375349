package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// Change is one file dgen wants to write, next to what is there now.
type Change struct {
	// Name is the file name relative to the target folder.
	Name string
	// Old is the current content; Exists is false when there is no file.
	Old    []byte
	Exists bool
	// Mode is the current file mode, kept on overwrite (0644 for new files).
	Mode fs.FileMode
	// New is what dgen would write.
	New []byte
}

// Unchanged reports whether the file already holds exactly New.
func (c Change) Unchanged() bool { return c.Exists && bytes.Equal(c.Old, c.New) }

// Conflict reports whether writing would replace different content.
func (c Change) Conflict() bool { return c.Exists && !bytes.Equal(c.Old, c.New) }

// Diff is a unified diff from the current file to New ("" if unchanged).
func (c Change) Diff() string {
	if c.Unchanged() {
		return ""
	}
	from := "/dev/null"
	if c.Exists {
		from = "a/" + c.Name
	}
	d, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A:        difflib.SplitLines(string(c.Old)),
		B:        difflib.SplitLines(string(c.New)),
		FromFile: from,
		ToFile:   "b/" + c.Name,
		Context:  3,
	})
	return d
}

// Changes compares files with what is in dir. It fails, naming the file,
// when a target is a folder or cannot be read.
func Changes(dir string, files []File) ([]Change, error) {
	var out []Change
	for _, f := range files {
		c := Change{Name: f.Name, New: f.Data, Mode: 0o644}
		path := filepath.Join(dir, f.Name)
		if err := checkParents(dir, f.Name); err != nil {
			return nil, err
		}
		st, err := os.Lstat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, fmt.Errorf("check %s: %w", path, err)
		case st.IsDir():
			return nil, badInputf("%s is a folder; dgen writes a file there: move the folder away or run dgen elsewhere; nothing was written", path)
		case st.Mode()&fs.ModeSymlink != 0:
			return nil, badInputf("%s is a symbolic link; dgen does not write through links: replace it with a regular file or remove it; nothing was written", path)
		case !st.Mode().IsRegular():
			return nil, badInputf("%s is not a regular file (%s); dgen writes a file there: remove it; nothing was written", path, st.Mode().Type())
		default:
			old, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", path, err)
			}
			c.Old, c.Exists, c.Mode = old, true, st.Mode().Perm()
		}
		out = append(out, c)
	}
	return out, nil
}

// checkParents refuses a file under a folder that is a symbolic link or
// not a folder (.github/workflows/docker.yml): dgen never writes through a
// link, and a missing folder is created by Commit.
func checkParents(dir, name string) error {
	parts := strings.Split(filepath.ToSlash(name), "/")
	for i := 1; i < len(parts); i++ {
		p := filepath.Join(dir, filepath.FromSlash(strings.Join(parts[:i], "/")))
		st, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil
		case err != nil:
			return fmt.Errorf("check %s: %w", p, err)
		case st.Mode()&fs.ModeSymlink != 0:
			return badInputf("%s is a symbolic link; dgen does not write through links: replace it with a folder; nothing was written", p)
		case !st.IsDir():
			return badInputf("%s is not a folder; dgen writes %s under it: move it away; nothing was written", p, name)
		}
	}
	return nil
}

// ignoreHeader opens every .dockerignore dgen writes (templates/dockerignore.tmpl).
const ignoreHeader = "# .dockerignore written by dgen"

// WrittenByDgen reports whether a .dockerignore is one dgen wrote (its
// first line is dgen's header), as opposed to the user's own.
func WrittenByDgen(ignore []byte) bool {
	return bytes.HasPrefix(ignore, []byte(ignoreHeader))
}

// MergeIgnore keeps every line of the user's .dockerignore in its place and
// appends the lines of generated that it lacks, under a comment.
func MergeIgnore(user, generated []byte) []byte {
	have := map[string]bool{}
	for _, l := range strings.Split(string(user), "\n") {
		have[strings.TrimSpace(l)] = true
	}
	var missing []string
	for _, l := range strings.Split(string(generated), "\n") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") || have[t] {
			continue
		}
		have[t] = true
		missing = append(missing, t)
	}
	out := string(user)
	if len(missing) == 0 {
		return []byte(out)
	}
	if out != "" && !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	out += "\n# Added by dgen: secrets, VCS data and build output kept out of the image\n" + strings.Join(missing, "\n") + "\n"
	return []byte(out)
}

// Commit writes every change that is not already on disk into dir, all or
// nothing: each file is written to a temporary file in dir first (so the
// rename is atomic on one file system), with the old file's mode; only
// when all are written are they renamed into place, and if a rename fails
// the files already replaced are restored.
func Commit(dir string, changes []Change) (written []string, err error) {
	type staged struct {
		c   Change
		tmp string
	}
	var todo []staged
	var made []string // folders created, removed again on failure
	cleanup := func() {
		for _, s := range todo {
			os.Remove(s.tmp)
		}
		for i := len(made) - 1; i >= 0; i-- {
			os.Remove(made[i])
		}
	}
	for _, c := range changes {
		if c.Unchanged() {
			continue
		}
		if err := makeParents(dir, c.Name, &made); err != nil {
			cleanup()
			return nil, err
		}
		tmp, err := writeTemp(dir, c)
		if err != nil {
			cleanup()
			return nil, err
		}
		todo = append(todo, staged{c, tmp})
	}
	var done []Change
	for _, s := range todo {
		path := filepath.Join(dir, s.c.Name)
		if err := os.Rename(s.tmp, path); err != nil {
			for _, d := range done {
				restore(dir, d)
			}
			cleanup()
			return nil, fmt.Errorf("write %s: %w; nothing was written (files already replaced were restored)", path, err)
		}
		done = append(done, s.c)
		written = append(written, s.c.Name)
	}
	return written, nil
}

// makeParents creates the folders above name that are missing, adding
// each to made.
func makeParents(dir, name string, made *[]string) error {
	parts := strings.Split(filepath.ToSlash(name), "/")
	for i := 1; i < len(parts); i++ {
		p := filepath.Join(dir, filepath.FromSlash(strings.Join(parts[:i], "/")))
		err := os.Mkdir(p, 0o755)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("write %s: %w; nothing was written", filepath.Join(dir, name), err)
		}
		*made = append(*made, p)
	}
	return nil
}

func writeTemp(dir string, c Change) (string, error) {
	f, err := os.CreateTemp(filepath.Join(dir, filepath.Dir(filepath.FromSlash(c.Name))), "."+filepath.Base(c.Name)+".dgen-*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w; nothing was written", filepath.Join(dir, c.Name), err)
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(name)
		return "", fmt.Errorf("write %s: %w; nothing was written", filepath.Join(dir, c.Name), err)
	}
	if _, err := f.Write(c.New); err != nil {
		return fail(err)
	}
	if err := f.Chmod(c.Mode); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", fmt.Errorf("write %s: %w", filepath.Join(dir, c.Name), err)
	}
	return name, nil
}

// restore puts back what was there before a failed Commit.
func restore(dir string, c Change) {
	path := filepath.Join(dir, c.Name)
	if !c.Exists {
		os.Remove(path)
		return
	}
	_ = os.WriteFile(path, c.Old, c.Mode)
}
