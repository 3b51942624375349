// Package prompttest provides a scripted generator.Prompter for tests. It
// fails the test on a question it did not expect, on a question asked out
// of order, and (at cleanup) on a scripted answer that was never used.
package prompttest

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/dgen-dev/dgen/generator"
)

// Step is one expected question and its answer. Key matches
// generator.Question.Key. Answer is a string for Select and Input (""
// takes the default, like pressing Enter) and a bool for Confirm; Cancel
// answers with Ctrl-C.
type Step struct {
	Key    string
	Answer any
	Cancel bool
}

// Fake is a scripted Prompter.
type Fake struct {
	t     testing.TB
	mu    sync.Mutex
	steps []Step
	pos   int
	// Asked records every question asked, in order, with the default shown.
	Asked []string
	// Refused records the typed answers a question's Validate refused.
	Refused []string
}

// New returns a Fake that expects exactly steps, in order.
func New(t testing.TB, steps ...Step) *Fake {
	f := &Fake{t: t, steps: steps}
	t.Cleanup(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.pos < len(f.steps) {
			var keys []string
			for _, s := range f.steps[f.pos:] {
				keys = append(keys, s.Key)
			}
			t.Errorf("prompttest: scripted questions never asked: %s (asked: %s)", strings.Join(keys, ", "), strings.Join(f.Asked, "; "))
		}
	})
	return f
}

func (f *Fake) next(q generator.Question, kind, def string) (Step, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Asked = append(f.Asked, fmt.Sprintf("%s %s [%s]", kind, q.Key, def))
	if f.pos >= len(f.steps) {
		f.t.Errorf("prompttest: unexpected %s question %q (%s) after the script ended", kind, q.Key, q.Message)
		return Step{}, generator.ErrCancelled
	}
	s := f.steps[f.pos]
	f.pos++
	if s.Key != q.Key {
		f.t.Errorf("prompttest: asked %s %q (%s), script expected %q", kind, q.Key, q.Message, s.Key)
		return Step{}, generator.ErrCancelled
	}
	if s.Cancel {
		return Step{}, generator.ErrCancelled
	}
	return s, nil
}

// Select implements generator.Prompter. An answer must be one of options,
// or "" for the default.
func (f *Fake) Select(q generator.Question, options []string, def string) (string, error) {
	s, err := f.next(q, "select", def)
	if err != nil {
		return "", err
	}
	ans, _ := s.Answer.(string)
	if ans == "" {
		if def == "" && len(options) > 0 {
			return options[0], nil
		}
		return def, nil
	}
	for _, o := range options {
		if o == ans || strings.HasPrefix(o, ans+" ") {
			return o, nil
		}
	}
	f.t.Errorf("prompttest: answer %q to %q is not among %q", ans, q.Key, options)
	return "", generator.ErrCancelled
}

// Input implements generator.Prompter. An answer the question's Validate
// refuses is recorded in Refused and the question is asked again, as the
// terminal does: the script's next step must answer the same key.
func (f *Fake) Input(q generator.Question, def string) (string, error) {
	for {
		s, err := f.next(q, "input", def)
		if err != nil {
			return "", err
		}
		ans := def
		if a, _ := s.Answer.(string); a != "" {
			ans = a
		}
		if q.Validate != nil {
			if err := q.Validate(ans); err != nil {
				f.mu.Lock()
				f.Refused = append(f.Refused, fmt.Sprintf("%s %q: %v", q.Key, ans, err))
				f.mu.Unlock()
				continue
			}
		}
		return ans, nil
	}
}

// Confirm implements generator.Prompter. A nil Answer takes the default.
func (f *Fake) Confirm(q generator.Question, def bool) (bool, error) {
	s, err := f.next(q, "confirm", fmt.Sprint(def))
	if err != nil {
		return false, err
	}
	if b, ok := s.Answer.(bool); ok {
		return b, nil
	}
	return def, nil
}
