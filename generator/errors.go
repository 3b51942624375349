package generator

import (
	"errors"
	"fmt"
)

// ErrNeedAnswer is returned when a decision has no safe default and nobody
// can be asked; the message names the flag to pass. cmd/dgen maps it to
// exit code 2.
var ErrNeedAnswer = errors.New("a decision needs an answer")

// NeedAnswerError is an ErrNeedAnswer that carries the plan as far as
// detection got: the values found, with their evidence, and the open
// questions. `dgen plan --json` prints it before exiting with code 2.
type NeedAnswerError struct {
	// Plan holds the detected values and Questions; nothing is rendered
	// from it.
	Plan *Plan
	err  error
}

func (e *NeedAnswerError) Error() string { return e.err.Error() }
func (e *NeedAnswerError) Unwrap() error { return e.err }

// noStartError is the planners' "no start command found": a decision
// detection could not make, asked on a terminal and reported as the open
// question "start" otherwise. It is an ErrBadInput, so its exit code is 2.
type noStartError struct{ msg string }

func (e noStartError) Error() string        { return e.msg }
func (e noStartError) Is(target error) bool { return target == ErrBadInput }

// noStartf formats a noStartError.
func noStartf(format string, args ...any) error {
	return noStartError{fmt.Sprintf(format, args...)}
}

// ErrBadInput marks errors caused by the repository or the user's input
// (unparseable manifest, invalid flag value, bad config file). cmd/dgen
// maps it to exit code 2. Test with errors.Is.
var ErrBadInput = errors.New("bad input")

// ErrExists is returned when a file exists and may not be overwritten.
// cmd/dgen maps it to exit code 3.
var ErrExists = errors.New("file exists")

// inputError is an ErrBadInput whose message is only the cause.
type inputError struct{ err error }

func (e inputError) Error() string        { return e.err.Error() }
func (e inputError) Unwrap() []error      { return []error{e.err, ErrBadInput} }
func (e inputError) Is(target error) bool { return target == ErrBadInput }

// BadInput wraps err as an ErrBadInput, keeping its message.
func BadInput(err error) error {
	if err == nil {
		return nil
	}
	return inputError{err}
}

// badInputf formats a message as an ErrBadInput.
func badInputf(format string, args ...any) error {
	return inputError{fmt.Errorf(format, args...)}
}

// IsBadInput reports whether err is an ErrBadInput.
func IsBadInput(err error) bool { return errors.Is(err, ErrBadInput) }
