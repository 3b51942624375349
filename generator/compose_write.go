package generator

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// GitignoreFile is the file that keeps .env out of git.
const GitignoreFile = ".gitignore"

// envIgnored are .gitignore lines that already ignore .env at the root.
var envIgnored = map[string]bool{".env": true, "/.env": true, ".env*": true, "/.env*": true, "*.env": true}

// GitignoreEnv returns the .gitignore dir needs so that the .env holding
// compose.yaml's secrets is never committed: the folder's own file with
// .env appended (every line of it kept in place), or a new one. It
// returns nil when .gitignore already ignores .env. A .gitignore that is
// not a regular file is left for Changes to refuse.
func GitignoreEnv(dir string) (*File, error) {
	path := filepath.Join(dir, GitignoreFile)
	st, err := os.Lstat(path)
	var old []byte
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	case !st.Mode().IsRegular():
		return &File{Name: GitignoreFile, Data: []byte(".env\n")}, nil
	default:
		if old, err = os.ReadFile(path); err != nil {
			return nil, err
		}
	}
	for _, l := range strings.Split(string(old), "\n") {
		if envIgnored[strings.TrimSpace(l)] {
			return nil, nil
		}
	}
	out := bytes.Clone(old)
	if len(out) > 0 && !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, '\n')
	}
	if len(out) > 0 {
		out = append(out, '\n')
	}
	out = append(out, "# Added by dgen: .env holds compose.yaml's secrets\n.env\n"...)
	return &File{Name: GitignoreFile, Data: out}, nil
}

// AppendOnly reports whether c only adds lines at the end of an existing
// file (dgen's .gitignore entry), which replaces nothing of the user's.
func (c Change) AppendOnly() bool { return c.Exists && bytes.HasPrefix(c.New, c.Old) }
