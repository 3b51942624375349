package harness

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Step is one step of a `buildah bud` run, as its log shows it.
type Step struct {
	// Stage is the 1-based stage the step belongs to ("[2/3] STEP …"), 1
	// in a single-stage build.
	Stage int
	// Text is the instruction as Buildah prints it ("RUN --mount=… go mod
	// download").
	Text string
	// Cached is true when Buildah reused the layer ("--> Using cache").
	Cached bool
}

// Cmd is the step's upper-case keyword.
func (s Step) Cmd() string {
	cmd, _, _ := strings.Cut(s.Text, " ")
	return strings.ToUpper(cmd)
}

var stepRE = regexp.MustCompile(`^(?:\[(\d+)/\d+\] )?STEP \d+/\d+: (.*)$`)

// ParseBuildLog reads the steps out of Buildah's output: each "STEP n/m:"
// line starts one, and a "--> Using cache" line before the next marks it as
// reused.
func ParseBuildLog(out []byte) []Step {
	var steps []Step
	for _, line := range bytes.Split(out, []byte("\n")) {
		l := strings.TrimRight(string(line), "\r")
		if m := stepRE.FindStringSubmatch(l); m != nil {
			stage, err := strconv.Atoi(m[1])
			if err != nil {
				stage = 1
			}
			steps = append(steps, Step{Stage: stage, Text: m[2]})
			continue
		}
		if strings.HasPrefix(l, "--> Using cache ") && len(steps) > 0 {
			steps[len(steps)-1].Cached = true
		}
	}
	return steps
}

// Rebuild sums up a rebuild's log for the benchmark: whether the
// dependency-install steps came from the cache, and whether anything was
// rebuilt at all (if not, the edited file never reached the build).
//
// Only the install steps that must be cached count: those with no step
// that ran again before them in their stage (they see only manifests), and,
// in a stage with none of those, its first install step (a stage that
// installs only after copying the source reinstalls on every edit). An
// install that follows the source copy in a stage that already installed
// its dependencies (pruning dev dependencies after a build, say) is
// expected to run again and does not count.
type Rebuild struct {
	// InstallSteps is how many dependency-install steps count.
	InstallSteps int
	// InstallCached is how many of them were reused.
	InstallCached int
	// Rebuilt is how many steps (FROM aside) ran again.
	Rebuilt int
	// Steps is how many steps (FROM aside) the build has.
	Steps int
}

// SummarizeRebuild reads a rebuild's steps.
func SummarizeRebuild(steps []Step) Rebuild {
	var r Rebuild
	dirty := map[int]bool{}     // a step of the stage ran again
	protected := map[int]bool{} // the stage has an install before that
	firstLate := map[int]bool{} // the stage's first install came after
	for _, s := range steps {
		if s.Cmd() == "FROM" {
			continue
		}
		r.Steps++
		if IsInstallStep(s.Text) {
			switch {
			case !dirty[s.Stage]:
				protected[s.Stage] = true
				r.count(s.Cached)
			case !protected[s.Stage] && !firstLate[s.Stage]:
				firstLate[s.Stage] = true
				r.count(s.Cached)
			}
		}
		if !s.Cached {
			r.Rebuilt++
			dirty[s.Stage] = true
		}
	}
	return r
}

func (r *Rebuild) count(cached bool) {
	r.InstallSteps++
	if cached {
		r.InstallCached++
	}
}

// DepsCached is "yes", "no" (with how many of the install steps ran
// again) or "n/a" when the build installs no dependencies.
func (r Rebuild) DepsCached() string {
	switch {
	case r.InstallSteps == 0:
		return "n/a"
	case r.InstallCached == r.InstallSteps:
		return "yes"
	default:
		return fmt.Sprintf("no (%d of %d ran again)", r.InstallSteps-r.InstallCached, r.InstallSteps)
	}
}

var dryRunHeader = regexp.MustCompile(`(?m)^# ===== (.+) =====\n`)

// ParseDryRun splits the output of `dgen init --dry-run` ("# ===== NAME
// =====" then the file, a blank line between files) into files by name.
func ParseDryRun(out []byte) (map[string][]byte, error) {
	locs := dryRunHeader.FindAllSubmatchIndex(out, -1)
	if len(locs) == 0 || locs[0][0] != 0 {
		return nil, fmt.Errorf("dgen init --dry-run printed no %q header first; has its output format changed?", "# ===== NAME =====")
	}
	files := map[string][]byte{}
	for i, loc := range locs {
		name := string(out[loc[2]:loc[3]])
		end := len(out)
		if i+1 < len(locs) {
			// The blank line before the next header separates the files.
			end = locs[i+1][0]
			if end-1 < loc[1] || out[end-1] != '\n' || end-2 >= loc[1] && out[end-2] != '\n' {
				return nil, fmt.Errorf("dgen init --dry-run: no blank line after %s", name)
			}
			end--
		}
		files[name] = out[loc[1]:end]
	}
	return files, nil
}

// FirstDifference describes where got first differs from want, for a
// failure message short enough to read.
func FirstDifference(want, got []byte) string {
	w := strings.Split(string(want), "\n")
	g := strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if i >= len(w) || i >= len(g) || wl != gl {
			return fmt.Sprintf("line %d: committed %q, dgen writes %q", i+1, wl, gl)
		}
	}
	return "no difference"
}
