package harness

import (
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
)

// compilerRE matches the names of compilers and toolchain drivers that a
// runtime image must not carry.
var compilerRE = regexp.MustCompile(`^((x86_64|aarch64)-linux-gnu-)?(go|gofmt|gcc|cc|c\+\+|g\+\+|cpp|clang|clang\+\+|cc1|cc1plus|tcc|rustc|cargo|javac)(-[0-9.]+)?$`)

// cacheDirRE matches package-manager caches; they belong in a cache mount,
// never in a layer.
var cacheDirRE = regexp.MustCompile(`(^|/)(\.cache/(pip|go-build|uv|pypoetry|pipenv|pdm|yarn|node-gyp)|\.npm/_cacache|\.pnpm-store|\.local/share/pnpm/store|\.bun/install/cache|\.yarn-cache|go/pkg/mod|usr/local/share/\.cache/yarn|var/cache/apt/archives)$`)

// Leftovers walks an image's root file system and names what a runtime
// image must not hold: compilers (go, gcc, cc…) as executable files or
// links in any folder, and package-manager caches (pip, npm, go build and
// module caches…) that hold any file. An empty cache folder (left by a
// cache mount's target) is fine.
func Leftovers(root fs.FS) ([]string, error) {
	var out []string
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			// Unreadable corners (device files, dangling links) are not
			// what this looks for.
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
			if p == "proc" || p == "sys" || p == "dev" {
				return fs.SkipDir
			}
			if cacheDirRE.MatchString(p) {
				if nonEmpty(root, p) {
					out = append(out, "/"+p+"/ (package-manager cache)")
				}
				return fs.SkipDir
			}
		case compilerRE.MatchString(d.Name()) && inBinDir(p):
			if d.Type()&fs.ModeSymlink != 0 {
				out = append(out, "/"+p+" (compiler link)")
				break
			}
			if info, err := d.Info(); err == nil && info.Mode().IsRegular() && info.Mode()&0o111 != 0 {
				out = append(out, "/"+p+" (compiler)")
			}
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// inBinDir reports whether p is in a folder that holds programs: a bin or
// sbin folder, or a toolchain's libexec or lib/gcc.
func inBinDir(p string) bool {
	dir := path.Dir(p)
	for _, part := range strings.Split(dir, "/") {
		if part == "bin" || part == "sbin" || part == "libexec" || part == "gcc" {
			return true
		}
	}
	return false
}

func nonEmpty(root fs.FS, dir string) bool {
	found := false
	_ = fs.WalkDir(root, dir, func(p string, d fs.DirEntry, err error) error {
		// apt keeps a lock file in its archive cache even when it is empty.
		if err == nil && !d.IsDir() && d.Name() != "lock" {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}
