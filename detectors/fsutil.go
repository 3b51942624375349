package detectors

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
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
// directories, devices and files over the limit with an error that names
// the file, and never reads more than the limit.
func ReadFile(fsys fs.FS, name string) ([]byte, error) {
	return readLimited(fsys, name, MaxManifestSize, false)
}

// ReadPrefix reads at most max bytes of a regular file; a longer file is
// cut, not refused. It is for scanning source files.
func ReadPrefix(fsys fs.FS, name string, max int64) ([]byte, error) {
	return readLimited(fsys, name, max, true)
}

func readLimited(fsys fs.FS, name string, max int64, cut bool) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a directory, expected a file", name)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	if st.Size() > max && !cut {
		return nil, fmt.Errorf("%s: %w (%d bytes, limit %d)", name, ErrTooLarge, st.Size(), max)
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

// Walk visits regular files below root (use "." for the whole tree) in
// lexical order, skipping SkipDir folders, hidden folders, symlinks and
// anything deeper than MaxWalkDepth, and stops after MaxWalkEntries entries.
// Unreadable folders are passed over. fn may return fs.SkipAll to stop.
func Walk(fsys fs.FS, root string, fn func(p string, d fs.DirEntry) error) error {
	seen := 0
	baseDepth := depth(root)
	return fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			// An unreadable entry is not fatal to detection.
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		seen++
		if seen > MaxWalkEntries {
			return fs.SkipAll
		}
		if d.IsDir() {
			if p != root && (SkipDir(d.Name()) || strings.HasPrefix(d.Name(), ".")) {
				return fs.SkipDir
			}
			if depth(p)-baseDepth >= MaxWalkDepth {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return fn(p, d)
	})
}

func depth(p string) int {
	if p == "." || p == "" {
		return 0
	}
	return strings.Count(path.Clean(p), "/") + 1
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
