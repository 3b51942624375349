package generator

import "errors"

// Question is one prompt.
type Question struct {
	// Key names the decision ("main", "port", …); fakes in tests match on it.
	Key string
	// Message is the question shown.
	Message string
	// Help is shown on '?': the evidence behind the default.
	Help string
	// Validate, when set, checks a typed answer where it is typed: an
	// answer it refuses is shown the error and asked again, so the
	// conversation never ends on an error about a flag nobody passed.
	Validate func(answer string) error
}

// Prompter asks the user. cmd/dgen implements it with survey; tests use a
// scripted fake. Every method returns ErrCancelled when the user presses
// Ctrl-C or ends input.
type Prompter interface {
	// Select asks for one of options; def is preselected.
	Select(q Question, options []string, def string) (string, error)
	// Input asks for free text; def is returned on Enter.
	Input(q Question, def string) (string, error)
	// Confirm asks yes or no; def is returned on Enter.
	Confirm(q Question, def bool) (bool, error)
}

// ErrCancelled is returned when the user cancels a prompt.
var ErrCancelled = errors.New("cancelled")

// onceAsked remembers the answers to Input and Confirm questions by key, so
// a decision made again with the same facts does not ask twice.
type onceAsked struct {
	Prompter
	inputs   map[string]string
	confirms map[string]bool
}

func (o *onceAsked) Input(q Question, def string) (string, error) {
	if ans, ok := o.inputs[q.Key]; ok {
		return ans, nil
	}
	ans, err := o.Prompter.Input(q, def)
	if err == nil {
		o.inputs[q.Key] = ans
	}
	return ans, err
}

func (o *onceAsked) Confirm(q Question, def bool) (bool, error) {
	if ans, ok := o.confirms[q.Key]; ok {
		return ans, nil
	}
	ans, err := o.Prompter.Confirm(q, def)
	if err == nil {
		o.confirms[q.Key] = ans
	}
	return ans, err
}
