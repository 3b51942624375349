package rules

import "github.com/moby/buildkit/frontend/dockerfile/instructions"

// Images returns every image the Dockerfile pulls, in order and without
// repeats: the FROM operands that name no earlier stage (global ARG
// defaults expanded, as BuildKit expands them) and the COPY --from sources
// that name no stage. "scratch" pulls nothing and is left out. Tests hold
// the result against the tag table of the images dgen may write.
func Images(dockerfile []byte) ([]string, error) {
	f, err := parseFile(dockerfile)
	if err != nil {
		return nil, err
	}
	var out []string
	add := func(ref string) {
		for _, o := range out {
			if o == ref {
				return
			}
		}
		if ref != "scratch" {
			out = append(out, ref)
		}
	}
	for _, s := range f.stages {
		if s.parent == nil {
			add(s.base)
		}
		for _, c := range s.Commands {
			if cp, ok := c.(*instructions.CopyCommand); ok && cp.From != "" && f.lookupStage(cp.From, s.index) == nil {
				add(cp.From)
			}
		}
	}
	return out, nil
}
