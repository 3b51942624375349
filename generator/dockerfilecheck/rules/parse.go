package rules

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// file is a Dockerfile parsed for the policy checks: BuildKit's own parse,
// with every word expanded the way BuildKit expands it (so RUN mounts are
// typed and FROM/COPY/WORKDIR hold their final values).
type file struct {
	raw      []byte
	metaArgs []instructions.ArgCommand
	stages   []*stage
}

// stage is one build stage after expansion.
type stage struct {
	instructions.Stage
	// index is the stage's position, as `COPY --from=<n>` counts it.
	index int
	// base is the FROM operand with the global ARGs expanded.
	base string
	// parent is the earlier stage this one is built FROM, or nil for an
	// image (or scratch).
	parent *stage
}

// image is the image at the root of s's FROM chain ("scratch" included).
func (s *stage) image() string {
	for s.parent != nil {
		s = s.parent
	}
	return s.base
}

// chain is s and the stages it is built FROM, root first: everything the
// final image inherits.
func (s *stage) chain() []*stage {
	var out []*stage
	for ; s != nil; s = s.parent {
		out = append(out, s)
	}
	slices.Reverse(out)
	return out
}

// envMap is the environment words are expanded against.
type envMap map[string]string

// Get implements shell.EnvGetter.
func (e envMap) Get(k string) (string, bool) { v, ok := e[k]; return v, ok }

// Keys implements shell.EnvGetter.
func (e envMap) Keys() []string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// parseFile parses dt and expands every stage's commands in place.
func parseFile(dt []byte) (*file, error) {
	r, err := parser.Parse(bytes.NewReader(dt))
	if err != nil {
		return nil, fmt.Errorf("parse Dockerfile: %w", err)
	}
	// A silent linter: BuildKit's checks ran already; a nil one would be
	// dereferenced by a `# check=` comment above an instruction.
	return expandFile(dt, r, linter.New(&linter.Config{}))
}

// expandFile parses the instructions of r, reporting BuildKit's
// instruction-level checks to lint, and expands every stage's commands.
func expandFile(dt []byte, r *parser.Result, lint *linter.Linter) (*file, error) {
	stages, metaArgs, err := instructions.Parse(r.AST, lint)
	if err != nil {
		return nil, fmt.Errorf("parse Dockerfile: %w", err)
	}
	f := &file{raw: dt, metaArgs: metaArgs}
	lex := shell.NewLex(r.EscapeToken)

	// Global ARGs are visible in FROM lines, and inside a stage only where
	// the stage declares them again.
	global := envMap{}
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			if kv.Value == nil {
				if _, ok := global[kv.Key]; !ok {
					global[kv.Key] = ""
				}
				continue
			}
			v, _, err := lex.ProcessWord(*kv.Value, global)
			if err != nil {
				v = *kv.Value
			}
			global[kv.Key] = v
		}
	}

	envAtEnd := map[*stage]envMap{}
	for i := range stages {
		s := &stage{Stage: stages[i], index: i}
		s.base = s.BaseName
		if v, _, err := lex.ProcessWord(s.BaseName, global); err == nil {
			s.base = v
		}
		s.parent = f.lookupStage(s.base, i)
		env := envMap{}
		if s.parent != nil {
			for k, v := range envAtEnd[s.parent] {
				env[k] = v
			}
		} else {
			for _, kv := range BaseImageEnv(s.base) {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
		}
		expand := func(word string) (string, error) {
			v, _, err := lex.ProcessWord(word, env)
			return v, err
		}
		for _, c := range s.Commands {
			if e, ok := c.(instructions.SupportsSingleWordExpansion); ok {
				if err := e.Expand(expand); err != nil {
					return nil, fmt.Errorf("parse Dockerfile%s: %s: %w", lineSuffix(lineOf(c)), c.Name(), err)
				}
			}
			switch c := c.(type) {
			case *instructions.ArgCommand:
				for _, kv := range c.Args {
					switch {
					case kv.Value != nil:
						env[kv.Key] = *kv.Value
					default:
						env[kv.Key] = global[kv.Key]
					}
				}
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					env[kv.Key] = kv.Value
				}
			}
		}
		envAtEnd[s] = env
		f.stages = append(f.stages, s)
	}
	return f, nil
}

// lookupStage finds the stage that ref names among the stages before
// index: by name (case-insensitive, as BuildKit compares them) or by
// number. It returns nil for an image reference.
func (f *file) lookupStage(ref string, before int) *stage {
	for _, s := range f.stages[:min(before, len(f.stages))] {
		if s.Name != "" && strings.EqualFold(s.Name, ref) {
			return s
		}
	}
	if n, err := strconv.Atoi(ref); err == nil && n >= 0 && n < before && n < len(f.stages) {
		return f.stages[n]
	}
	return nil
}

// lineOf is the first line of c in the Dockerfile, or 0.
func lineOf(c interface{ Location() []parser.Range }) int {
	if loc := c.Location(); len(loc) > 0 {
		return loc[0].Start.Line
	}
	return 0
}
