// Package repo reads a repository through an fs.FS within fixed bounds:
// size limits per file, a breadth-first walk capped in entries, depth and
// folder width, no reads through pipes or devices, and one rule for the
// paths dgen may write into a Dockerfile.
package repo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Limits that keep detection bounded on huge or hostile repositories.
const (
	// MaxManifestSize is the largest manifest or lockfile read whole.
	MaxManifestSize = 8 << 20
	// MaxSourceSize is how much of one source file is scanned for ports,
	// imports and framework calls; the rest is ignored.
	MaxSourceSize = 256 << 10
	// MaxWalkEntries caps how many directory entries one walk visits.
	MaxWalkEntries = 20000
	// MaxDirEntries caps how many entries of one folder a walk visits: a
	// folder holding more is generated data, not source a person wrote.
	MaxDirEntries = 5000
	// MaxWalkDepth caps how deep a walk descends below its root.
	MaxWalkDepth = 12
)

// ErrTooLarge is returned by ReadFile for a file over the size limit.
var ErrTooLarge = errors.New("file too large")

// skipDirs are folders that never hold the project's own source: VCS data,
// installed dependencies, virtualenvs, caches and build output. Walking them
// is what makes other tools crawl on big monorepos.
var skipDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, "node_modules": true,
	"bower_components": true, "vendor": true, ".venv": true, "venv": true,
	".tox": true, ".nox": true, "__pycache__": true, ".mypy_cache": true,
	".pytest_cache": true, ".ruff_cache": true, "site-packages": true,
	".next": true, ".nuxt": true, ".output": true, ".svelte-kit": true,
	".turbo": true, ".cache": true, ".parcel-cache": true, "coverage": true,
	"dist": true, "build": true, "target": true, ".idea": true,
	".vscode": true, ".terraform": true, "testdata": true, ".yarn": true,
	".pnpm-store": true, ".gradle": true, "htmlcov": true, ".eggs": true,
}

// SkipDir reports whether a folder with this base name is never walked.
func SkipDir(name string) bool { return skipDirs[name] }

// ReadFile reads a regular file of at most MaxManifestSize bytes. It refuses
// directories, named pipes, sockets, devices and files over the limit with
// an error that names the file, checks the type before it opens anything,
// and never reads more than the limit.
func ReadFile(fsys fs.FS, name string) ([]byte, error) {
	return readLimited(fsys, name, MaxManifestSize, false)
}

// ReadPrefix reads at most max bytes of a regular file; a longer file is
// cut, not refused. It is for scanning source files.
func ReadPrefix(fsys fs.FS, name string, max int64) ([]byte, error) {
	return readLimited(fsys, name, max, true)
}

func readLimited(fsys fs.FS, name string, max int64, cut bool) ([]byte, error) {
	// Stat before Open: opening a FIFO blocks until something writes to
	// it, so a named pipe called package.json would hang dgen forever.
	// Devices and sockets are refused here too, before any open.
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(name, st, max, cut); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Check again on the opened file: the path may have been swapped
	// between the two calls.
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := checkRegular(name, st, max, cut); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		if !cut {
			return nil, fmt.Errorf("%s: %w (limit %d bytes)", name, ErrTooLarge, max)
		}
		data = data[:max]
	}
	return data, nil
}

// checkRegular refuses anything but a regular file, and a file over max
// bytes unless it may be cut.
func checkRegular(name string, st fs.FileInfo, max int64, cut bool) error {
	if st.IsDir() {
		return fmt.Errorf("%s is a directory, expected a file", name)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (%s)", name, fileKind(st.Mode()))
	}
	if st.Size() > max && !cut {
		return fmt.Errorf("%s: %w (%d bytes, limit %d)", name, ErrTooLarge, st.Size(), max)
	}
	return nil
}

// fileKind names a non-regular file type for messages.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}

// IsFile reports whether name exists and is a regular file. Symlinks are
// judged by what fsys resolves them to; os.Root's FS never resolves one
// out of the repository.
func IsFile(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && st.Mode().IsRegular()
}

// IsDir reports whether name exists and is a directory.
func IsDir(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && st.IsDir()
}

// Walk visits regular files below root (use "." for the whole tree),
// shallowest first: every file of a folder before anything in its
// subfolders, folders of one level in lexical order, entries of a folder in
// lexical order. It skips SkipDir folders, hidden folders, symlinks and
// anything deeper than MaxWalkDepth; it considers at most MaxDirEntries
// entries of one folder and MaxWalkEntries in all. Unreadable folders are
// passed over. fn may return fs.SkipDir to leave the rest of the current
// folder (its subfolders included), or fs.SkipAll to stop.
//
// The order and the limits are what keep detection fast and right on huge
// repositories: a folder is skipped by its name before it is opened, so
// node_modules or .git cost one entry each; no folder is listed beyond what
// could still be visited; and a folder of 50,000 generated files, wherever
// it sorts, cannot use up the budget before the files at the top of the
// repository (go.mod, main.go, manage.py) are seen.
func Walk(fsys fs.FS, root string, fn func(p string, d fs.DirEntry) error) error {
	st, err := fs.Stat(fsys, root)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		if !st.Mode().IsRegular() {
			return nil
		}
		return ignoreSkip(fn(root, fs.FileInfoToDirEntry(st)))
	}
	type folder struct {
		path  string
		level int // folders below root; root is 0
	}
	queue := []folder{{root, 0}}
	left := MaxWalkEntries
	for len(queue) > 0 {
		dir := queue[0]
		queue = queue[1:]
		ents, err := listDir(fsys, dir.path, MaxDirEntries)
		if err != nil {
			if dir.level == 0 {
				return err
			}
			continue // an unreadable folder is not fatal to detection
		}
		var subs []folder
	entries:
		for _, e := range ents {
			if left <= 0 {
				return nil
			}
			left--
			name := e.Name()
			p := name
			if dir.path != "." {
				p = dir.path + "/" + name
			}
			switch {
			case e.IsDir():
				// Decided on the name alone, before the folder is opened.
				if SkipDir(name) || strings.HasPrefix(name, ".") || dir.level+1 >= MaxWalkDepth {
					continue
				}
				subs = append(subs, folder{p, dir.level + 1})
			case e.Type().IsRegular():
				if err := fn(p, e); err != nil {
					if errors.Is(err, fs.SkipDir) {
						subs = nil
						break entries
					}
					return ignoreSkip(err)
				}
			}
		}
		queue = append(queue, subs...)
	}
	return nil
}

func ignoreSkip(err error) error {
	if errors.Is(err, fs.SkipAll) || errors.Is(err, fs.SkipDir) {
		return nil
	}
	return err
}

// ReadDir returns the entries of folder dir sorted by name, at most
// MaxDirEntries of them: use it instead of fs.ReadDir, which reads a
// folder of any size whole.
func ReadDir(fsys fs.FS, dir string) ([]fs.DirEntry, error) {
	return listDir(fsys, dir, MaxDirEntries)
}

// listDir returns the first max entries of folder dir by name. It reads at
// most MaxWalkEntries+1 entries, so the result is exact for any folder up
// to that size and a bounded sample of a larger one.
func listDir(fsys fs.FS, dir string, max int) ([]fs.DirEntry, error) {
	f, err := fsys.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rd, ok := f.(fs.ReadDirFile)
	if !ok {
		return nil, fmt.Errorf("%s is not a folder", dir)
	}
	var ents []fs.DirEntry
	for len(ents) <= MaxWalkEntries {
		batch, err := rd.ReadDir(min(1024, MaxWalkEntries+1-len(ents)))
		ents = append(ents, batch...)
		if errors.Is(err, io.EOF) || (err == nil && len(batch) == 0) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
	if len(ents) > max {
		ents = ents[:max]
	}
	return ents, nil
}

// Lines calls fn for each line of data with its 1-based number until fn
// returns false. Lines longer than 64 KiB are cut.
func Lines(data []byte, fn func(n int, line string) bool) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	n := 0
	for sc.Scan() {
		n++
		if !fn(n, sc.Text()) {
			return
		}
	}
}

// LineAt returns the 1-based line number of byte offset off in data.
func LineAt(data []byte, off int) int {
	if off > len(data) {
		off = len(data)
	}
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

// CheckPath says why p, a slash-separated path relative to the repository,
// cannot be written into a Dockerfile COPY or RUN as is, or returns nil.
// It is the one rule for every ecosystem, the strictest of them: a clean
// relative path that stays inside the root, no element that is empty,
// "..", or starts with '-', and only letters, digits and . _ - + @ in
// names (no quotes, $, backslashes, whitespace, globs, ~ or control
// characters). "." is the root itself. Paths that fail are skipped with a
// Problem rather than quoted, so a hostile folder name can never become
// an instruction.
func CheckPath(p string) error {
	switch {
	case p == "":
		return errors.New("empty path")
	case p == ".":
		return nil
	case path.IsAbs(p):
		return errors.New("absolute path")
	case path.Clean(p) != p:
		return errors.New("not a clean path")
	}
	for _, el := range strings.Split(p, "/") {
		switch {
		case el == "..":
			return errors.New("outside the repository")
		case el[0] == '-':
			return errors.New("a name starts with '-'")
		}
		for _, r := range el {
			ok := r == '.' || r == '_' || r == '-' || r == '+' || r == '@' ||
				('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
			if !ok {
				return fmt.Errorf("contains %q, which dgen does not write into a Dockerfile", r)
			}
		}
	}
	return nil
}

// SafePath reports whether CheckPath accepts p.
func SafePath(p string) bool { return CheckPath(p) == nil }
