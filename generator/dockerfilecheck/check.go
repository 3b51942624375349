// Package dockerfilecheck holds a generated Dockerfile to Docker's own
// standard offline: BuildKit's parser, its build checks (what
// `docker build --check` runs) and its LLB conversion, plus the policy
// dgen promises and hadolint-style rules. Tests use it; the dgen binary
// does not link it.
package dockerfilecheck

import "context"

// Expect is what the caller knows the image must look like.
type Expect struct {
	// Port is the port that must be exposed and health-checked; 0 for a
	// worker, which must expose nothing.
	Port int
	// Healthcheck requires a HEALTHCHECK (web apps).
	Healthcheck bool
}

// Image is the final image's configuration after LLB conversion.
type Image struct {
	User         string
	Entrypoint   []string
	Cmd          []string
	WorkingDir   string
	ExposedPorts []string
	Healthcheck  []string
	Env          []string
}

// Result is what Check found.
type Result struct {
	// Warnings are BuildKit's build-check warnings.
	Warnings []string
	// Violations are dgen policy and hadolint-style rule failures.
	Violations []string
	// Stages are the stage names in order.
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
func Check(ctx context.Context, dockerfile, dockerignore []byte, want Expect) (*Result, error) {
	return &Result{}, nil // replaced by the real implementation
}
