package dockerfilecheck

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/dgen-dev/dgen/generator/dockerfilecheck/rules"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/solver/pb"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	digest "github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// experimentalChecks is the parser directive that switches on BuildKit's
// experimental build checks. Without a BuildKit client the only lint
// settings BuildKit honours come from a `# check=` line in the file itself,
// so lint prepends this line (and shifts reported lines back by one).
const experimentalChecks = "# check=experimental=all\n"

// ruleHints add what BuildKit's message leaves out.
var ruleHints = map[string]string{
	// BuildKit compares only the comment line directly above FROM or ARG
	// with the name, so a multi-line description must end, not start,
	// with the name-led line (or be cut off by a blank line or a lone #).
	"InvalidDefinitionDescription": "BuildKit reads only the comment line directly above, so make that line start with the name, or put a blank line or a lone # between the comment and the instruction",
}

// targetPlatform is fixed so results do not depend on the machine running
// the tests: dgen's images are built for linux/amd64 first.
var targetPlatform = ocispecs.Platform{OS: "linux", Architecture: "amd64"}

// convertOpt is the ConvertOpt for an offline run over dt.
func convertOpt(ctx context.Context, dt []byte) (dockerfile2llb.ConvertOpt, error) {
	st := llb.Local("dockerfile")
	def, err := st.Marshal(ctx)
	if err != nil {
		return dockerfile2llb.ConvertOpt{}, fmt.Errorf("marshal Dockerfile source: %w", err)
	}
	sm := llb.NewSourceMap(&st, "Dockerfile", "Dockerfile", dt)
	sm.Definition = def // DockerfileLint dereferences it
	p := targetPlatform
	// The capabilities of a current BuildKit daemon; without a client
	// nobody reports them, and BuildKit dereferences them for some RUN
	// mounts.
	caps := pb.Caps.CapSet(pb.Caps.All())
	return dockerfile2llb.ConvertOpt{
		SourceMap:      sm,
		MetaResolver:   offlineResolver{},
		TargetPlatform: &p,
		LLBCaps:        &caps,
	}, nil
}

// lint runs BuildKit's build checks, the same rules `docker build --check`
// runs, and returns one "<Rule>: <message> (line N)" string per warning.
func lint(ctx context.Context, dt []byte) ([]string, error) {
	src, shift := dt, 0
	if _, _, _, ok := parser.ParseDirective("check", dt); !ok {
		// A file that sets its own `# check=` keeps it (and policy flags
		// a skip=); otherwise the experimental rules are switched on.
		body := bytes.TrimPrefix(dt, []byte("\xef\xbb\xbf"))
		src = append([]byte(experimentalChecks), body...)
		shift = 1
	}
	opt, err := convertOpt(ctx, src)
	if err != nil {
		return nil, err
	}
	res, err := dockerfile2llb.DockerfileLint(ctx, src, opt)
	if err != nil {
		return nil, fmt.Errorf("lint Dockerfile: %w", err)
	}
	if res.Error != nil {
		line := 0
		if rs := res.Error.Location.Ranges; len(rs) > 0 && rs[0].Start != nil {
			line = int(rs[0].Start.Line) - shift
		}
		return nil, fmt.Errorf("the Dockerfile does not build%s: %s", lineSuffix(line), res.Error.Message)
	}
	var out []string
	for _, w := range res.Warnings {
		line := 0
		if w.Location != nil && len(w.Location.Ranges) > 0 && w.Location.Ranges[0].Start != nil {
			line = int(w.Location.Ranges[0].Start.Line) - shift
		}
		msg := w.Detail
		if msg == "" {
			msg = w.Description
		}
		if hint, ok := ruleHints[w.RuleName]; ok {
			msg += "; " + hint
		}
		out = append(out, fmt.Sprintf("%s: %s%s", w.RuleName, msg, lineSuffix(line)))
	}
	return out, nil
}

// convert turns the Dockerfile into LLB, marshals it (which catches what
// only shows once every stage is wired together) and returns the final
// image's configuration.
func convert(ctx context.Context, dt []byte) (Image, error) {
	opt, err := convertOpt(ctx, dt)
	if err != nil {
		return Image{}, err
	}
	out, err := dockerfile2llb.Dockerfile2LLB(ctx, dt, opt)
	if err != nil {
		return Image{}, fmt.Errorf("convert Dockerfile to LLB: %w", err)
	}
	if _, err := out.State.Marshal(ctx); err != nil {
		return Image{}, fmt.Errorf("marshal LLB: %w", err)
	}
	var img Image
	if out.Image != nil {
		c := out.Image.Config
		img = Image{
			User:         c.User,
			Entrypoint:   c.Entrypoint,
			Cmd:          c.Cmd,
			WorkingDir:   c.WorkingDir,
			ExposedPorts: slices.Sorted(maps.Keys(c.ExposedPorts)),
			Env:          c.Env,
		}
		if c.Healthcheck != nil {
			img.Healthcheck = c.Healthcheck.Test
		}
	}
	return img, nil
}

// offlineResolver stands in for the registry: BuildKit asks it for each
// base image's configuration. Without it BuildKit goes to the network,
// fails, and runs only part of its checks.
type offlineResolver struct{}

// ResolveImageConfig returns a made-up configuration for ref: the platform
// asked for, one fake layer (with none BuildKit would treat the base as
// scratch) and the environment the official image defines.
func (offlineResolver) ResolveImageConfig(_ context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	p := targetPlatform
	if opt.ImageOpt != nil && opt.ImageOpt.Platform != nil {
		p = *opt.ImageOpt.Platform
	}
	var img dockerspec.DockerOCIImage
	img.OS, img.Architecture, img.Variant = p.OS, p.Architecture, p.Variant
	img.RootFS = ocispecs.RootFS{
		Type:    "layers",
		DiffIDs: []digest.Digest{digest.FromString("dgen offline layer for " + ref)},
	}
	img.Config.Env = rules.BaseImageEnv(ref)
	dt, err := json.Marshal(img)
	if err != nil {
		return "", "", nil, err
	}
	return ref, digest.FromBytes(dt), dt, nil
}

// lineSuffix is " (line N)", or nothing for a finding about the whole file.
func lineSuffix(line int) string {
	if line <= 0 {
		return ""
	}
	return fmt.Sprintf(" (line %d)", line)
}
