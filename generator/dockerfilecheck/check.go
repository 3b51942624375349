// Package dockerfilecheck holds a generated Dockerfile to Docker's own
// standard offline: BuildKit's parser, its build checks (what
// `docker build --check` runs) and its LLB conversion, plus the policy
// dgen promises and hadolint-style rules (package rules). Tests use it;
// the dgen binary does not link it (BuildKit's LLB conversion adds some
// 13 MB to a binary), only package rules, which `dgen check` runs.
//
// Check runs three levels, each on its own parse of the file:
//
//  1. BuildKit's parser and instruction parser: a Dockerfile that does not
//     parse is an error, not a finding.
//  2. BuildKit's build checks (dockerfile2llb.DockerfileLint) with an
//     offline stand-in for the registry, so every rule runs as it would in
//     `docker build --check`. The experimental rules are switched on too
//     (BuildKit off a client only reads them from a `# check=` line, so
//     one is prepended and line numbers shifted back). The only one in
//     BuildKit v0.34 is InvalidDefinitionDescription: the comment line
//     directly above FROM or ARG must start with the stage or ARG name, or
//     be cut off from it by a blank line or a lone "#". dgen's templates
//     follow it on purpose (their stage comments are the descriptions
//     `docker build --call=outline` shows), so on a well-formed file it
//     adds no noise; note that BuildKit looks only at the last line of a
//     multi-line comment.
//  3. BuildKit's LLB conversion and marshalling ("would it build?"); the
//     final image configuration is returned in Result.Image so tests can
//     assert on the image rather than on strings.
//
// On top of those, dgen's policy and the hadolint rules that matter for
// generated files are checked on the parsed instructions, with RUN bodies
// parsed by mvdan.cc/sh. Every finding names its rule and line.
package dockerfilecheck

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/dgen-dev/dgen/generator/dockerfilecheck/rules"
)

// Expect is what the caller knows the image must look like.
type Expect = rules.Expect

// Image is the final image's configuration after LLB conversion.
type Image = rules.Image

// Result is what Check found.
type Result struct {
	// Warnings are BuildKit's build-check warnings, each
	// "<Rule>: <message> (line N)".
	Warnings []string
	// Violations are dgen policy and hadolint-style rule failures, each
	// "<Rule>: <message> (line N)"; hadolint rules keep their DLxxxx code.
	// The findings of `dgen check` (rules.Audit) are among them, as
	// "check <Rule>: <message> (line N)".
	Violations []string
	// Stages are the stage names in order ("" for an unnamed stage).
	Stages []string
	// Image is the final stage's configuration.
	Image Image
}

// Problems returns Warnings and Violations together.
func (r *Result) Problems() []string {
	return append(append([]string{}, r.Warnings...), r.Violations...)
}

// Check runs every check on dockerfile with the .dockerignore beside it.
// An error means the Dockerfile did not parse or convert at all.
func Check(ctx context.Context, dockerfile, dockerignore []byte, want Expect) (res *Result, err error) {
	// BuildKit is not written to be fed arbitrary bytes by a test; a panic
	// deep in it must fail the caller's test with a message, not kill the
	// whole test binary.
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("dockerfilecheck: buildkit panicked on this Dockerfile: %v", r)
		}
	}()
	res = &Result{}
	if res.Warnings, err = lint(ctx, dockerfile); err != nil {
		return nil, err
	}
	img, err := convert(ctx, dockerfile)
	if err != nil {
		return nil, err
	}
	res.Image = img
	findings, stages, err := rules.Generated(dockerfile, dockerignore, want, img)
	if err != nil {
		return nil, err
	}
	res.Stages = stages
	for _, f := range findings {
		res.Violations = append(res.Violations, f.String())
	}
	// What `dgen check --strict` would say about the file: every
	// Dockerfile dgen writes must pass its own audit without a finding.
	audited, err := rules.Audit(dockerfile, rules.Context{Dockerignore: dockerignore, HasDockerignore: true, Port: want.Port})
	if err != nil {
		return nil, err
	}
	for _, f := range audited {
		res.Violations = append(res.Violations, "check "+f.String())
	}
	return res, nil
}

// Skeleton returns the Dockerfile's instruction keywords in order,
// upper-cased, one per instruction (a FROM starts each stage), e.g.
// ["ARG", "FROM", "WORKDIR", "COPY", "RUN", "FROM", "COPY", "USER",
// "ENTRYPOINT"]. Parser directives and comments are not instructions and
// are left out. Fuzz tests compare the skeletons of two renderings to prove
// that a string taken from a repository cannot add, drop or change an
// instruction.
func Skeleton(dockerfile []byte) ([]string, error) {
	r, err := parser.Parse(bytes.NewReader(dockerfile))
	if err != nil {
		return nil, fmt.Errorf("parse Dockerfile: %w", err)
	}
	out := make([]string, 0, len(r.AST.Children))
	for _, n := range r.AST.Children {
		out = append(out, strings.ToUpper(n.Value))
	}
	return out, nil
}
