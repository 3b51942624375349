package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dgen-dev/dgen/generator"
	"github.com/dgen-dev/dgen/generator/verify"
)

// Exit codes, documented in docs/cli.md and in `dgen --help`. Scripts rely
// on them: keep them stable.
const (
	exitOK        = 0   // success (also: nothing to change)
	exitError     = 1   // unexpected error (I/O, template); check: findings at or above --severity
	exitBadInput  = 2   // bad flag, config file or repository; or a decision with no safe default
	exitExists    = 3   // refused to overwrite an existing file without --force
	exitNoEngine  = 3   // verify: neither a Docker daemon nor Podman answers
	exitDrift     = 4   // init --diff: the files on disk differ from what dgen would write
	exitCancelled = 130 // cancelled at a prompt or by Ctrl-C; nothing written
)

const exitCodesHelp = `Exit codes:
  0    success (or nothing to change)
  1    unexpected error; with --pin, a registry lookup failed (nothing written);
       for check: a finding at or above --severity
  2    bad input: flag, dgen.yaml or repository; or a decision that needs a flag
  3    refused to overwrite an existing file (pass --force, or --diff to see why);
       for verify: no container engine (neither a Docker daemon nor Podman)
  4    --diff: the files on disk differ from what dgen would write
  130  cancelled (Ctrl-C or end of input at a prompt); nothing written`

// errDrift marks an init --diff that found differences (exit 4); the diff
// itself is on stdout.
var errDrift = errors.New("the files on disk differ from what dgen would write (the diff is on stdout; dgen init --force writes dgen's)")

// usageError marks a command-line mistake (exit 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// exitCode maps an error to its documented exit code.
func exitCode(err error) int {
	var u usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, generator.ErrCancelled), errors.Is(err, context.Canceled):
		return exitCancelled
	case errors.Is(err, generator.ErrExists):
		return exitExists
	case errors.Is(err, verify.ErrNoEngine):
		return exitNoEngine
	case errors.Is(err, errDrift):
		return exitDrift
	case errors.Is(err, errChecksFailed), errors.Is(err, errFindings):
		return exitError
	case errors.Is(err, generator.ErrNeedAnswer), errors.Is(err, generator.ErrBadInput), errors.As(err, &u):
		return exitBadInput
	}
	return exitError
}

// noArgs rejects positional arguments as a usage error (exit 2); the
// repository is given with --dir.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments (got %q); pass the repository folder with --dir", cmd.CommandPath(), args[0])
	}
	return nil
}
