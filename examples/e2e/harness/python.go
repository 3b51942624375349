package harness

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// NeedsPyPI reports why a Python example's Dockerfile cannot install its
// dependencies on a machine that does not reach PyPI, or "" when it can (no
// third-party packages). fsys is the example's folder.
//
// uv, Poetry, Pipenv and PDM always need PyPI (for the tool itself or for
// the project's build backend). pip needs it for any requirement in a file
// it is given with -r, and for any package or project path it is asked to
// install (`pip install .` fetches the build backend).
func NeedsPyPI(fsys fs.FS, ins []Instruction, packageManager string) string {
	switch packageManager {
	case "uv", "poetry", "pipenv", "pdm":
		return fmt.Sprintf("%s installs from PyPI", packageManager)
	}
	for _, in := range ins {
		if in.Cmd != "RUN" {
			continue
		}
		for _, args := range pipInstalls(in.Args) {
			if why := pipNeedsIndex(fsys, args); why != "" {
				return fmt.Sprintf("line %d: %s", in.Line, why)
			}
		}
	}
	return ""
}

// pipInstalls returns the arguments of each `pip install` in a shell
// command (up to the next &&, ;, | or end).
func pipInstalls(cmd string) [][]string {
	var out [][]string
	f := strings.Fields(cmd)
	for i := 0; i+1 < len(f); i++ {
		if (path.Base(f[i]) != "pip" && path.Base(f[i]) != "pip3") || f[i+1] != "install" {
			continue
		}
		var args []string
		for _, a := range f[i+2:] {
			if a == "&&" || a == ";" || a == "||" || a == "|" {
				break
			}
			end := strings.HasSuffix(a, ";")
			args = append(args, strings.TrimSuffix(a, ";"))
			if end {
				break
			}
		}
		out = append(out, args)
	}
	return out
}

// pipValueFlags are pip install options whose value is the next word.
var pipValueFlags = map[string]bool{
	"-t": true, "--target": true, "--prefix": true, "--root": true,
	"-c": true, "--constraint": true, "-i": true, "--index-url": true,
	"--extra-index-url": true, "-f": true, "--find-links": true,
	"--cache-dir": true, "--src": true, "--platform": true,
	"--python-version": true, "--implementation": true, "--abi": true,
	"--progress-bar": true, "--log": true, "--root-user-action": true,
	"--only-binary": true, "--no-binary": true, "--upgrade-strategy": true,
	"--report": true, "--config-settings": true, "-C": true,
}

func pipNeedsIndex(fsys fs.FS, args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-r" || a == "--requirement":
			if i+1 < len(args) {
				i++
				if why := requirementsNeedIndex(fsys, args[i], 0); why != "" {
					return why
				}
			}
		case strings.HasPrefix(a, "--requirement="):
			if why := requirementsNeedIndex(fsys, strings.TrimPrefix(a, "--requirement="), 0); why != "" {
				return why
			}
		case a == "-e" || a == "--editable":
			return "pip install " + a + " installs a project, whose build backend comes from PyPI"
		case pipValueFlags[a]:
			i++
		case strings.HasPrefix(a, "-"):
		default:
			return fmt.Sprintf("pip install %s needs PyPI", a)
		}
	}
	return ""
}

// requirementsNeedIndex reads a requirements file (found by its path in
// the example, or by its name when the Dockerfile copied it elsewhere) and
// names the first requirement in it, following -r includes.
func requirementsNeedIndex(fsys fs.FS, name string, depth int) string {
	if depth > 5 {
		return ""
	}
	name = strings.Trim(name, `"'`)
	data, err := fs.ReadFile(fsys, path.Clean(strings.TrimPrefix(name, "/")))
	if err != nil {
		data, err = fs.ReadFile(fsys, path.Base(name))
		name = path.Base(name)
	}
	if err != nil {
		// Not in the example: nothing from there can be installed offline
		// either, so the build will show what is wrong.
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if i := strings.Index(l, " #"); i >= 0 {
			l = strings.TrimSpace(l[:i])
		}
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "-r ") || strings.HasPrefix(l, "--requirement "):
			inc := strings.TrimSpace(l[strings.Index(l, " "):])
			if why := requirementsNeedIndex(fsys, path.Join(path.Dir(name), inc), depth+1); why != "" {
				return why
			}
		case strings.HasPrefix(l, "-"):
			// Options (--index-url, -c, --hash…) install nothing themselves.
		default:
			return fmt.Sprintf("%s:%d asks for %s from PyPI", name, n, l)
		}
	}
	return ""
}
