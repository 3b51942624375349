// Package harness holds the pure parts of dgen's real-build test (make e2e):
// reading the Dockerfiles dgen writes, reading Buildah's build log, deciding
// what an example can build on a machine without PyPI, choosing a file to
// edit for the rebuild test, finding build leftovers in an image, and
// writing docs/benchmarks.md. The part that runs Buildah and Podman is the
// e2e-tagged test next to this folder; everything here is tested without
// them.
package harness

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Instruction is one Dockerfile instruction.
type Instruction struct {
	// Cmd is the upper-case keyword: FROM, RUN, COPY…
	Cmd string
	// Args is the rest of the instruction, continuation lines joined by a
	// single space.
	Args string
	// Line is the 1-based line the instruction starts on; End is its last.
	Line, End int
	// Stage is the 0-based index of the stage it belongs to, -1 before the
	// first FROM.
	Stage int
}

// ParseDockerfile splits a Dockerfile into instructions. It knows what the
// Dockerfiles dgen writes use: comments, blank lines and backslash
// continuations (heredocs are not allowed in them, so they are not read).
func ParseDockerfile(data []byte) []Instruction {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var out []Instruction
	stage := -1
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		start := i
		var parts []string
		for {
			t = strings.TrimSpace(lines[i])
			if i > start && (t == "" || strings.HasPrefix(t, "#")) {
				// Docker drops comment and blank lines inside a continued
				// instruction and goes on with the next line.
				if i+1 >= len(lines) {
					break
				}
				i++
				continue
			}
			cont := strings.HasSuffix(t, `\`)
			parts = append(parts, strings.TrimSpace(strings.TrimSuffix(t, `\`)))
			if !cont || i+1 >= len(lines) {
				break
			}
			i++
		}
		text := strings.Join(parts, " ")
		cmd, args, _ := strings.Cut(text, " ")
		cmd = strings.ToUpper(cmd)
		if cmd == "FROM" {
			stage++
		}
		out = append(out, Instruction{Cmd: cmd, Args: strings.TrimSpace(args), Line: start + 1, End: i + 1, Stage: stage})
	}
	return out
}

// Stage is one FROM of a Dockerfile.
type Stage struct {
	// Name is the name after AS, or "".
	Name string
	// Image is the base, with the global ARG defaults substituted.
	Image string
	// Line is the FROM's line.
	Line int
}

// ImageUse is an image a Dockerfile pulls, and the line that needs it.
type ImageUse struct {
	Ref  string
	Line int
}

var varRE = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// globalArgs returns the defaults of the ARGs declared before the first
// FROM: the only variables a FROM line can use.
func globalArgs(ins []Instruction) map[string]string {
	args := map[string]string{}
	for _, in := range ins {
		if in.Stage >= 0 {
			break
		}
		if in.Cmd != "ARG" {
			continue
		}
		for _, f := range strings.Fields(in.Args) {
			name, val, _ := strings.Cut(f, "=")
			args[name] = strings.Trim(val, `"'`)
		}
	}
	return args
}

// expand substitutes ${NAME}, ${NAME:-default} and $NAME from args; a
// variable with no value is an error that names it.
func expand(s string, args map[string]string) (string, error) {
	var missing []string
	out := varRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := varRE.FindStringSubmatch(m)
		name := sub[1] + sub[4]
		if v := args[name]; v != "" {
			return v
		}
		if sub[2] != "" {
			return sub[3]
		}
		missing = append(missing, name)
		return m
	})
	if len(missing) > 0 {
		return out, fmt.Errorf("%s: no default for %s", s, strings.Join(missing, ", "))
	}
	return out, nil
}

// Stages returns the stages of a parsed Dockerfile.
func Stages(ins []Instruction) ([]Stage, error) {
	args := globalArgs(ins)
	var out []Stage
	for _, in := range ins {
		if in.Cmd != "FROM" {
			continue
		}
		f := withoutFlags(strings.Fields(in.Args))
		if len(f) == 0 {
			return nil, fmt.Errorf("line %d: FROM without an image", in.Line)
		}
		img, err := expand(f[0], args)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", in.Line, err)
		}
		st := Stage{Image: img, Line: in.Line}
		if len(f) >= 3 && strings.EqualFold(f[1], "AS") {
			st.Name = f[2]
		}
		out = append(out, st)
	}
	return out, nil
}

func withoutFlags(f []string) []string {
	for len(f) > 0 && strings.HasPrefix(f[0], "--") {
		f = f[1:]
	}
	return f
}

// ExternalImages lists the images a Dockerfile needs from a registry: FROM
// bases that are not earlier stages, and COPY --from= or RUN --mount from=
// sources that are neither a stage name nor a stage index.
func ExternalImages(ins []Instruction) ([]ImageUse, error) {
	stages, err := Stages(ins)
	if err != nil {
		return nil, err
	}
	args := globalArgs(ins)
	named := map[string]bool{}
	var out []ImageUse
	seen := map[string]bool{}
	add := func(ref string, line int) {
		if !seen[ref] {
			seen[ref] = true
			out = append(out, ImageUse{Ref: ref, Line: line})
		}
	}
	si := 0
	for _, in := range ins {
		switch in.Cmd {
		case "FROM":
			st := stages[si]
			si++
			if !named[strings.ToLower(st.Image)] && st.Image != "scratch" {
				add(st.Image, in.Line)
			}
			if st.Name != "" {
				named[strings.ToLower(st.Name)] = true
			}
		case "COPY", "RUN":
			for _, src := range fromSources(in) {
				if named[strings.ToLower(src)] {
					continue
				}
				if _, err := strconv.Atoi(src); err == nil {
					continue
				}
				ref, err := expand(src, args)
				if err != nil {
					return nil, fmt.Errorf("line %d: %w", in.Line, err)
				}
				add(ref, in.Line)
			}
		}
	}
	return out, nil
}

// fromSources returns the --from= of a COPY and the from= of each RUN
// --mount.
func fromSources(in Instruction) []string {
	var out []string
	for _, f := range strings.Fields(in.Args) {
		if !strings.HasPrefix(f, "--") {
			break
		}
		switch {
		case in.Cmd == "COPY" && strings.HasPrefix(f, "--from="):
			out = append(out, strings.TrimPrefix(f, "--from="))
		case in.Cmd == "RUN" && strings.HasPrefix(f, "--mount="):
			for _, kv := range strings.Split(strings.TrimPrefix(f, "--mount="), ",") {
				if v, ok := strings.CutPrefix(kv, "from="); ok {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// installRE matches a command that installs an application's dependencies
// with its package manager (not apt: system packages are not the
// dependency step the rebuild test looks at).
var installRE = regexp.MustCompile(`(^|[\s;&|/(])(go mod download|pip3? install|uv (sync|pip install)|poetry install|pipenv (install|sync)|pdm (install|sync)|npm (ci|install)|yarn( install| --frozen-lockfile| --immutable| workspaces focus|\s*($|&&|;))|pnpm (install|fetch)|bun install)`)

// IsInstall reports whether a RUN instruction installs dependencies.
func IsInstall(in Instruction) bool {
	return in.Cmd == "RUN" && installRE.MatchString(in.Args)
}

// IsInstallStep reports whether a step line of Buildah's log ("RUN …")
// installs dependencies.
func IsInstallStep(text string) bool {
	cmd, args, _ := strings.Cut(strings.TrimSpace(text), " ")
	return IsInstall(Instruction{Cmd: strings.ToUpper(cmd), Args: args})
}

// FirstInstall returns the first dependency-install RUN, or false.
func FirstInstall(ins []Instruction) (Instruction, bool) {
	for _, in := range ins {
		if IsInstall(in) {
			return in, true
		}
	}
	return Instruction{}, false
}

// Prefix returns the part of a Dockerfile that can be built when some
// images cannot be had (unavailable reports which): the stages built FROM
// such an image are left out, and the file ends before the first
// instruction that needs one (COPY --from=, RUN --mount from=) or before
// line stop, whichever comes first (stop 0: no such line). upto is the line
// the result stops before, 0 when it runs to the end.
func Prefix(data []byte, unavailable func(ref string) bool, stop int) (out []byte, upto int, err error) {
	ins := ParseDockerfile(data)
	stages, err := Stages(ins)
	if err != nil {
		return nil, 0, err
	}
	args := globalArgs(ins)
	dropped := map[int]bool{}
	droppedName := map[string]bool{}
	upto = stop
	cut := func(line int) {
		if upto == 0 || line < upto {
			upto = line
		}
	}
	for _, in := range ins {
		if in.Stage < 0 {
			continue
		}
		if in.Cmd == "FROM" {
			st := stages[in.Stage]
			if droppedName[strings.ToLower(st.Image)] || !isStageName(stages[:in.Stage], st.Image) && unavailable(st.Image) {
				dropped[in.Stage] = true
				if st.Name != "" {
					droppedName[strings.ToLower(st.Name)] = true
				}
			}
			continue
		}
		if dropped[in.Stage] {
			continue
		}
		for _, src := range fromSources(in) {
			ref, _ := expand(src, args)
			if droppedName[strings.ToLower(src)] || !isStageName(stages[:in.Stage+1], src) && unavailable(ref) {
				cut(in.Line)
			}
		}
	}
	lines := strings.SplitAfter(string(data), "\n")
	var b strings.Builder
	keptFrom := false
	stage := -1
	for i, l := range lines {
		n := i + 1
		if upto > 0 && n >= upto {
			break
		}
		for stage+1 < len(stages) && stages[stage+1].Line <= n {
			stage++
		}
		if stage >= 0 && dropped[stage] {
			continue
		}
		if stage >= 0 && stages[stage].Line == n {
			keptFrom = true
		}
		b.WriteString(l)
	}
	if !keptFrom {
		if upto > 0 {
			return nil, upto, fmt.Errorf("no stage of it can be built here: each one needs an image that cannot be had, or starts after line %d", upto-1)
		}
		return nil, upto, fmt.Errorf("no stage of it can be built here: each one needs an image that cannot be had")
	}
	s := b.String()
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return []byte(s), upto, nil
}

// isStageName reports whether name is one of the stages' names.
func isStageName(stages []Stage, name string) bool {
	for _, st := range stages {
		if st.Name != "" && strings.EqualFold(st.Name, name) {
			return true
		}
	}
	_, err := strconv.Atoi(name)
	return err == nil
}
