package main

import (
	"errors"
	"io"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"

	"github.com/dgen-dev/dgen/generator"
)

// promptBackend is the generator's Prompter; the alias keeps env readable.
type promptBackend = generator.Prompter

// surveyPrompter asks on a real terminal with survey.
type surveyPrompter struct {
	opts []survey.AskOpt
}

func newSurveyPrompter(in terminal.FileReader, out terminal.FileWriter, errw io.Writer) *surveyPrompter {
	return &surveyPrompter{opts: []survey.AskOpt{survey.WithStdio(in, out, errw)}}
}

var _ generator.Prompter = (*surveyPrompter)(nil)

func (s *surveyPrompter) Select(q generator.Question, options []string, def string) (string, error) {
	var ans string
	p := &survey.Select{Message: q.Message, Options: options, Help: q.Help}
	if def != "" {
		p.Default = def
	}
	return ans, mapPromptErr(survey.AskOne(p, &ans, s.opts...))
}

func (s *surveyPrompter) Input(q generator.Question, def string) (string, error) {
	var ans string
	opts := s.opts
	if q.Validate != nil {
		opts = append(opts[:len(opts):len(opts)], survey.WithValidator(func(v any) error {
			s, _ := v.(string)
			return q.Validate(s)
		}))
	}
	err := survey.AskOne(&survey.Input{Message: q.Message, Default: def, Help: q.Help}, &ans, opts...)
	return ans, mapPromptErr(err)
}

func (s *surveyPrompter) Confirm(q generator.Question, def bool) (bool, error) {
	var ans bool
	err := survey.AskOne(&survey.Confirm{Message: q.Message, Default: def, Help: q.Help}, &ans, s.opts...)
	return ans, mapPromptErr(err)
}

// mapPromptErr turns Ctrl-C and end of input into generator.ErrCancelled.
func mapPromptErr(err error) error {
	if errors.Is(err, terminal.InterruptErr) || errors.Is(err, io.EOF) {
		return generator.ErrCancelled
	}
	return err
}
