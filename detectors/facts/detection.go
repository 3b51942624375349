// Package facts is the contract between the detectors and the generator:
// a Detection, the evidence for each value, the choices left open and the
// facts only one ecosystem has (GoFacts, PythonFacts, NodeFacts). It sits
// below the ecosystem packages so that each can fill it and none imports
// another.
package facts

import (
	"fmt"
	"sort"
)

// Language names used in a Detection and in the Plan.
const (
	LangGo     = "go"
	LangPython = "python"
	LangNode   = "node"
)

// Evidence says where a detected value came from.
type Evidence struct {
	// File is the path, relative to the repository root, with forward slashes.
	File string `json:"file"`
	// Line is the 1-based line in File, or 0 when the value came from the
	// file as a whole (its presence, say).
	Line int `json:"line,omitempty"`
	// Detail is the text that decided it, e.g. "go 1.24" or "FastAPI()".
	Detail string `json:"detail"`
}

// String renders e as "file:line: detail".
func (e Evidence) String() string {
	if e.File == "" {
		return e.Detail
	}
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Detail == "" {
		return loc
	}
	return loc + ": " + e.Detail
}

// Option is one candidate answer to a Choice.
type Option struct {
	// Value is what the user (or a flag) gives to pick this option.
	Value string `json:"value"`
	// Label is a short human description shown in prompts.
	Label string `json:"label,omitempty"`
	// Evidence is why this option is a candidate.
	Evidence *Evidence `json:"evidence,omitempty"`
}

// Choice is a decision detection could not make alone: several binaries,
// several lockfiles, several apps in a workspace. The generator asks in a
// terminal, or takes Default when it is Safe, or stops and names Flag.
type Choice struct {
	// Key identifies the choice; the answer is passed back to the detector
	// in Answers under this key.
	Key string `json:"key"`
	// Question is the prompt text.
	Question string `json:"question"`
	// Options are the candidates, in a stable order.
	Options []Option `json:"options"`
	// Default is the Value of the option detection prefers ("" for none).
	Default string `json:"default,omitempty"`
	// Safe reports whether Default may be taken without asking (with one
	// line on stderr). When false and no terminal is attached, the run stops
	// with exit code 2 and names Flag.
	Safe bool `json:"safe"`
	// Reason explains why Default was preferred.
	Reason string `json:"reason,omitempty"`
	// Flag is the command-line flag that answers this choice, e.g. "--main".
	Flag string `json:"flag"`
}

// Answers are the user's answers to Choices, by Choice.Key. A detector that
// finds an answer for one of its choices uses it instead of its default.
type Answers map[string]string

// Problem is something wrong with one file that detection worked around.
type Problem struct {
	File    string `json:"file"`
	Message string `json:"message"`
}

// String renders p as "file: message".
func (p Problem) String() string { return p.File + ": " + p.Message }

// Detection is what a detector found in a repository. Values the repository
// does not state are left zero; the generator fills them with documented
// defaults and says so.
type Detection struct {
	// Language is LangGo, LangPython or LangNode.
	Language string `json:"language"`
	// Framework is e.g. "django", "fastapi", "nextjs", "gin" or "".
	Framework string `json:"framework,omitempty"`
	// PackageManager is "gomod", "uv", "poetry", "pipenv", "pdm", "pip",
	// "npm", "yarn", "yarn-berry", "pnpm" or "bun".
	PackageManager string `json:"packageManager"`
	// PackageManagerVersion is the exact version the repo pins, if any.
	PackageManagerVersion string `json:"packageManagerVersion,omitempty"`
	// LanguageVersion is "1.24" for Go and Python, "22" for Node, or "" when
	// the repo says nothing.
	LanguageVersion string `json:"languageVersion,omitempty"`
	// Port is the port the app listens on, 0 when none was found.
	Port int `json:"port,omitempty"`
	// Worker is true when the app is known not to serve HTTP.
	Worker bool `json:"worker,omitempty"`
	// Start is the argv the container runs, nil when not found.
	Start []string `json:"start,omitempty"`
	// Build is the build command, e.g. "go build ... ./cmd/api".
	Build string `json:"build,omitempty"`
	// HealthPath is an HTTP path the app answers for health checks
	// ("/healthz"), or "" when none was found.
	HealthPath string `json:"healthPath,omitempty"`
	// Evidence maps a field name ("languageVersion", "port", …) to where its
	// value came from.
	Evidence map[string]Evidence `json:"evidence,omitempty"`
	// Choices are decisions left open (several candidates).
	Choices []Choice `json:"choices,omitempty"`
	// Problems are files that could not be read or parsed.
	Problems []Problem `json:"problems,omitempty"`
	// Notes are facts worth telling the user ("package.json found: assets
	// are built in their own stage").
	Notes []string `json:"notes,omitempty"`
	// Env are the environment variables the program requires at start
	// (read with no default), in the order found; see RequireEnv.
	Env []RequiredEnv `json:"env,omitempty"`

	// RuntimeFiles are files and folders the program opens by a relative
	// path at start, which the runtime image must hold.
	RuntimeFiles []RuntimeFile `json:"runtimeFiles,omitempty"`
	// Writable are folders the program writes into next to its own files.
	Writable []WritablePath `json:"writable,omitempty"`
	// Go, Python and Node carry what only that ecosystem has.
	Go     *GoFacts     `json:"go,omitempty"`
	Python *PythonFacts `json:"python,omitempty"`
	Node   *NodeFacts   `json:"node,omitempty"`
	// Services are the backing services, connection variables, extra
	// processes and migration command found (compose.yaml's input).
	Services *ServiceFacts `json:"services,omitempty"`
}

// Cite records where field's value came from.
func (d *Detection) Cite(field, file string, line int, detail string) {
	if d.Evidence == nil {
		d.Evidence = map[string]Evidence{}
	}
	d.Evidence[field] = Evidence{File: file, Line: line, Detail: detail}
}

// maxProblemLen caps a problem message: messages quote the repository,
// and a line of binary junk must not flood the terminal.
const maxProblemLen = 240

// Problemf records a problem with file and goes on. The same problem is
// recorded once, and a long message is cut.
func (d *Detection) Problemf(file, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if r := []rune(msg); len(r) > maxProblemLen {
		msg = string(r[:maxProblemLen]) + "…"
	}
	pr := Problem{File: file, Message: msg}
	for _, have := range d.Problems {
		if have == pr {
			return
		}
	}
	d.Problems = append(d.Problems, pr)
}

// Notef records a note for the user.
func (d *Detection) Notef(format string, args ...any) {
	d.Notes = append(d.Notes, fmt.Sprintf(format, args...))
}

// AddChoice records an open decision; options are kept in the given order.
func (d *Detection) AddChoice(c Choice) {
	d.Choices = append(d.Choices, c)
	sort.SliceStable(d.Choices, func(i, j int) bool { return d.Choices[i].Key < d.Choices[j].Key })
}
