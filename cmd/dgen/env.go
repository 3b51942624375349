package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// env is everything a command touches outside its arguments, so tests can
// run commands in-process with fake streams.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// terminal reports whether stdin and stdout are both a terminal.
	terminal bool
	// colour reports whether stderr may carry ANSI colour.
	colour bool
	getenv func(string) string
	// prompter builds the interactive prompter (survey on a real terminal).
	prompter func(e *env) promptBackend
}

func newSystemEnv() *env {
	tty := term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stdout.Fd()))
	colour := term.IsTerminal(int(os.Stderr.Fd())) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	return &env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		terminal: tty, colour: colour, getenv: os.Getenv,
		prompter: func(e *env) promptBackend { return newSurveyPrompter(os.Stdin, os.Stdout, os.Stderr) },
	}
}
