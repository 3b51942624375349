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
	// outWidth and errWidth are the columns of stdout's and stderr's
	// terminal, 0 when not a terminal (then nothing is cut to fit).
	outWidth, errWidth int
	getenv             func(string) string
	// prompter builds the interactive prompter (survey on a real terminal).
	prompter func(e *env) promptBackend
}

func newSystemEnv() *env {
	tty := term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stdout.Fd()))
	colour := colourEnabled(term.IsTerminal(int(os.Stderr.Fd())), os.Getenv)
	return &env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		terminal: tty, colour: colour, getenv: os.Getenv,
		outWidth: termWidth(os.Stdout), errWidth: termWidth(os.Stderr),
		prompter: func(e *env) promptBackend { return newSurveyPrompter(os.Stdin, os.Stdout, os.Stderr) },
	}
}

// colourEnabled reports whether stderr may carry colour: only on a
// terminal, never with NO_COLOR set (https://no-color.org) or TERM=dumb.
func colourEnabled(stderrIsTerminal bool, getenv func(string) string) bool {
	return stderrIsTerminal && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// termWidth is the width of the terminal f is, or 0.
func termWidth(f *os.File) int {
	if !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	w, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return w
}
