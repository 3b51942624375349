// Package rules holds the Dockerfile rules of dgen's guide, on BuildKit's
// own parser: the gate every Dockerfile dgen writes is held to
// (Generated), and the audit `dgen check` runs on a Dockerfile someone
// wrote (Audit). It imports only BuildKit's parser, instruction and
// linter packages, not its LLB conversion, so the dgen binary can carry
// it without growing much.
package rules

import "fmt"

// Expect is what the caller knows the image must look like.
type Expect struct {
	// Port is the port that must be exposed and health-checked; 0 for a
	// worker, which must expose nothing.
	Port int
	// Healthcheck requires a HEALTHCHECK (web apps).
	Healthcheck bool
}

// Image is the final image's configuration.
type Image struct {
	User         string
	Entrypoint   []string
	Cmd          []string
	WorkingDir   string
	ExposedPorts []string
	Healthcheck  []string
	Env          []string
}

// Severity orders findings: a CI run fails on the ones at or above the
// severity it is given.
type Severity int

// The severities, lowest first.
const (
	Info Severity = iota
	Warning
	Error
)

// String is the severity's name as the CLI prints and parses it.
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "info"
}

// ParseSeverity reads "info", "warning" or "error".
func ParseSeverity(s string) (Severity, error) {
	for _, v := range []Severity{Info, Warning, Error} {
		if v.String() == s {
			return v, nil
		}
	}
	return Info, fmt.Errorf("severity %q: use info, warning or error", s)
}

// Finding is one rule broken at one line.
type Finding struct {
	// Rule is the rule's ID: a dgen name, or BuildKit's rule name.
	Rule string `json:"rule"`
	// Severity is how much the finding matters.
	Severity Severity `json:"-"`
	// Line is the 1-based line in the Dockerfile; 0 for the whole file.
	Line int `json:"line"`
	// Message says what is wrong at this line.
	Message string `json:"message"`
	// Fix says what to do instead.
	Fix string `json:"fix,omitempty"`
	// Suggested are the lines dgen would write instead, from its own plan
	// of the repository, when it has one.
	Suggested []string `json:"suggested,omitempty"`
}

// String is "<Rule>: <message> (line N)", the form test failures print.
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s%s", f.Rule, f.Message, lineSuffix(f.Line))
}

// Generated holds a Dockerfile dgen wrote to every promise of the guide:
// img is the final image's configuration as BuildKit's conversion reports
// it. It returns the findings and the stage names in order ("" for an
// unnamed stage); an error means the file does not parse.
func Generated(dockerfile, dockerignore []byte, want Expect, img Image) ([]Finding, []string, error) {
	f, err := parseFile(dockerfile)
	if err != nil {
		return nil, nil, err
	}
	var stages []string
	for _, s := range f.stages {
		stages = append(stages, s.Name)
	}
	p := &policy{file: f, want: want, image: img}
	p.run()
	p.checkDockerignore(dockerignore)
	return p.findings, stages, nil
}
