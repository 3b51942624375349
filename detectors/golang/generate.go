package golang

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/detectors/shellwords"
)

// generation settles the steps that create files the build needs and the
// repository lacks: //go:embed patterns that match nothing (missing) and
// //go:generate directives whose named Go output is absent. go generate
// is never run blindly: only the directives that create a missing file
// run, and only when they are safe in the build stage (go run of a
// package of the module or of a module it requires). Anything else is
// said in a note and in the Dockerfile, so the build never stops on
// "pattern …: no matching files found" without a word.
func (Detector) generation(fsys fs.FS, in *mainInfo, missing []goDirective, det *facts.Detection) {
	var dirs []goDirective
	for _, sc := range in.scans {
		dirs = append(dirs, sc.Generates...)
	}
	need := map[goDirective]bool{}
	var order []goDirective
	want := func(d goDirective) {
		if !need[d] {
			need[d] = true
			order = append(order, d)
		}
	}
	for _, e := range missing {
		makers := embedMakers(e, dirs)
		var safe []goDirective
		var why []string
		for _, d := range makers {
			if ok, reason := generateSafe(fsys, in, d); ok {
				safe = append(safe, d)
			} else {
				why = append(why, fmt.Sprintf("%s:%d: //go:generate %s (%s)", d.File, d.Line, d.Text, reason))
			}
		}
		pat := strings.TrimPrefix(e.Text, "all:")
		switch {
		case len(safe) > 0:
			for _, d := range safe {
				want(d)
			}
		case len(why) > 0:
			needs(det, e, fmt.Sprintf("//go:embed %s (%s:%d) matches no file in the repository; the go:generate directive that may create it cannot run in the image: %s. Run go generate before docker build, or add the tool to the build stage", pat, e.File, e.Line, strings.Join(why, "; ")))
		default:
			if mk := makeTargetFor(fsys, in.pkg.Module.Dir, path.Join(e.Dir, fixedPrefix(pat))); mk != "" {
				needs(det, e, fmt.Sprintf("//go:embed %s (%s:%d) matches no file in the repository; %s creates it. Run it before docker build, or add that step to the build stage", pat, e.File, e.Line, mk))
			} else {
				needs(det, e, fmt.Sprintf("//go:embed %s (%s:%d) matches no file in the repository and dgen found no step that creates it (no front end, no //go:generate in its package, no Makefile target): go build stops with \"pattern %s: no matching files found\" until it exists", pat, e.File, e.Line, pat))
			}
		}
	}
	for _, d := range dirs {
		out := generateOutput(d)
		if out == "" || repo.IsFile(fsys, out) || need[d] {
			continue
		}
		if ok, reason := generateSafe(fsys, in, d); ok {
			want(d)
		} else {
			needs(det, d, fmt.Sprintf("%s is missing from the repository and //go:generate %s (%s:%d) creates it, but cannot run in the image (%s): run go generate before docker build or commit the file", out, d.Text, d.File, d.Line, reason))
		}
	}
	generateSteps(order, dirs, det)
}

// needs records a file the build needs that the image does not create.
func needs(det *facts.Detection, at goDirective, msg string) {
	det.Go.BuildNeeds = append(det.Go.BuildNeeds, msg)
	det.Notef("%s", msg)
	det.Cite(fmt.Sprintf("buildNeeds:%s:%d", at.File, at.Line), at.File, at.Line, at.Detail)
}

// generateSteps groups the directives to run by package, in the order
// first needed: one go generate per package, with -run selecting them
// unless they are all the package has.
func generateSteps(order, all []goDirective, det *facts.Detection) {
	byDir := map[string][]goDirective{}
	var dirOrder []string
	for _, d := range order {
		if _, ok := byDir[d.Dir]; !ok {
			dirOrder = append(dirOrder, d.Dir)
		}
		byDir[d.Dir] = append(byDir[d.Dir], d)
	}
	for _, dir := range dirOrder {
		run := byDir[dir]
		st := facts.GoGenerate{Package: mainValue(dir)}
		total := 0
		for _, d := range all {
			if d.Dir == dir {
				total++
			}
		}
		var alts []string
		for _, d := range run {
			st.Directives = append(st.Directives, fmt.Sprintf("%s:%d: %s", d.File, d.Line, d.Text))
			alts = append(alts, regexp.QuoteMeta(d.Text))
			det.Cite(fmt.Sprintf("generate:%s:%d", d.File, d.Line), d.File, d.Line, d.Detail)
		}
		if len(run) < total {
			st.Run = `^//go:generate\s+(` + strings.Join(alts, "|") + `)$`
		}
		det.Go.Generate = append(det.Go.Generate, st)
		det.Notef("go generate %s runs in the build stage before go build: %s creates files the build needs that the repository lacks", st.Package, strings.Join(st.Directives, "; "))
	}
}

// embedMakers are the directives that may create a missing embed: those
// of its own package, and any whose command line names the missing
// folder.
func embedMakers(e goDirective, dirs []goDirective) []goDirective {
	base := path.Base(fixedPrefix(strings.TrimPrefix(e.Text, "all:")))
	var out []goDirective
	for _, d := range dirs {
		if d.Dir == e.Dir || base != "." && len(base) > 2 && slices.Contains(strings.FieldsFunc(d.Text, func(r rune) bool { return r == ' ' || r == '/' || r == '=' || r == '"' }), base) {
			out = append(out, d)
		}
	}
	return out
}

// goRunValueFlags are go run's flags that take their value as the next
// argument.
var goRunValueFlags = map[string]bool{
	"-tags": true, "-mod": true, "-modfile": true, "-ldflags": true, "-gcflags": true, "-asmflags": true,
	"-exec": true, "-C": true, "-o": true, "-p": true, "-overlay": true, "-pgo": true, "-toolexec": true,
}

// generateSafe reports whether a directive can run in the build stage,
// which has the Go toolchain, the module's source and its downloaded
// dependencies and nothing else: `go run` of a package or file of the
// module, or of a package of a module go.mod requires. It says why not
// otherwise.
func generateSafe(fsys fs.FS, in *mainInfo, d goDirective) (bool, string) {
	args, err := shellwords.Split(d.Text)
	if err != nil || len(args) == 0 {
		return false, "its command line could not be read"
	}
	if args[0] != "go" || len(args) < 3 || args[1] != "run" {
		return false, "it runs " + args[0] + ", which the build image does not have"
	}
	target := goRunTarget(args[2:])
	mod := moduleOf(d.Dir, in)
	switch {
	case target == "" || strings.Contains(target, "$"):
		return false, "dgen cannot tell what it runs"
	case strings.Contains(target, "@"):
		return false, "it downloads " + target + " at build time"
	case target == "." || strings.HasPrefix(target, "./") || strings.HasPrefix(target, "../") || strings.HasSuffix(target, ".go"):
		p := path.Join(d.Dir, target)
		if mod == nil || !within(p, mod.Dir) || !repo.IsFile(fsys, p) && !repo.IsDir(fsys, p) {
			return false, target + " is not in the module"
		}
		return true, ""
	case mod != nil && (target == mod.Path || strings.HasPrefix(target, mod.Path+"/")):
		return true, ""
	case mod != nil && mod.File != nil:
		for _, r := range mod.File.Require {
			if target == r.Mod.Path || strings.HasPrefix(target, r.Mod.Path+"/") {
				return true, ""
			}
		}
	}
	return false, target + " is neither in the module nor a module go.mod requires"
}

// goRunTarget is what go run runs, from its arguments after "run": the
// first that is not a flag or a flag's value.
func goRunTarget(args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			return a
		}
		if goRunValueFlags[a] {
			i++
		}
	}
	return ""
}

// moduleOf is the module of the reachable package in dir.
func moduleOf(dir string, in *mainInfo) *buildModule {
	for _, p := range in.reach {
		if p.Dir == dir {
			return p.Module
		}
	}
	return in.pkg.Module
}

// generateOutputFlags are the flags generators name their output file
// with (stringer -output, mockgen -destination, most go run generators
// -o).
var generateOutputFlags = map[string]bool{
	"-o": true, "--o": true, "-out": true, "--out": true, "-output": true, "--output": true,
	"-destination": true, "--destination": true,
}

// generateOutput is the Go file a directive names as its output, relative
// to the repository root, when it is a non-test file of the directive's
// own package (so the package does not compile without it); "" otherwise.
func generateOutput(d goDirective) string {
	args, err := shellwords.Split(d.Text)
	if err != nil {
		return ""
	}
	out := ""
	for i, a := range args {
		name, val, hasVal := strings.Cut(a, "=")
		switch {
		case generateOutputFlags[name] && hasVal:
			out = val
		case generateOutputFlags[a] && i+1 < len(args):
			out = args[i+1]
		case a == ">" && i+1 < len(args):
			out = args[i+1]
		}
	}
	if out == "" || strings.Contains(out, "$") || !strings.HasSuffix(out, ".go") || strings.HasSuffix(out, "_test.go") || path.IsAbs(out) {
		return ""
	}
	p := path.Join(d.Dir, out)
	if path.Dir(p) != d.Dir {
		return ""
	}
	return p
}

// makeRuleRe is a Makefile rule line: targets, a colon (not :=), and the
// prerequisites.
var makeRuleRe = regexp.MustCompile(`^([A-Za-z0-9_./%-][^:=#]*?)\s*::?(?:[^=]|$)(.*)$`)

// makeTargetFor finds the Makefile target that creates want (a folder
// relative to the repository root): a target named like it, or one whose
// recipe names it. It returns "make <target> (Makefile:<line>)" or "".
func makeTargetFor(fsys fs.FS, modDir, want string) string {
	for _, dir := range []string{modDir, "."} {
		name := path.Join(dir, "Makefile")
		data, err := repo.ReadFile(fsys, name)
		if err != nil {
			continue
		}
		rel := relTo(dir, want)
		target, line, found := "", 0, ""
		repo.Lines(data, func(n int, l string) bool {
			if strings.HasPrefix(l, "\t") {
				if target != "" && strings.Contains(l, rel) {
					found = fmt.Sprintf("make %s (%s:%d)", target, name, line)
					return false
				}
				return true
			}
			target = ""
			if m := makeRuleRe.FindStringSubmatch(l); m != nil {
				t := strings.Fields(m[1])
				if len(t) == 0 || strings.HasPrefix(t[0], ".") {
					return true
				}
				target, line = t[0], n
				for _, tt := range t {
					if strings.TrimSuffix(tt, "/") == rel || strings.HasPrefix(tt, rel+"/") {
						found = fmt.Sprintf("make %s (%s:%d)", tt, name, n)
						return false
					}
				}
			}
			return true
		})
		if found != "" {
			return found
		}
	}
	return ""
}
