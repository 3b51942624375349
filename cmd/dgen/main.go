// Command dgen looks at a repository and writes the Dockerfile and
// .dockerignore a senior platform engineer would write for it.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// version is set at build time with -ldflags "-X main.version=…"; build
// info fills in the rest (see version.go).
var version = ""

// cancelGrace is how long dgen waits, after Ctrl-C or SIGTERM, for the
// command to notice the cancelled context and return on its own.
const cancelGrace = 2 * time.Second

// cleanupGrace is that wait for a command that removes containers and
// images on the way out (verify, init --verify); a second Ctrl-C leaves at
// once.
const cleanupGrace = time.Minute

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	grace := cancelGrace
	if cleansUp(os.Args[1:]) {
		grace = cleanupGrace
	}
	go func() {
		// A read from the terminal (a prompt not yet in raw mode) does not
		// watch the context: if the command has not returned soon after
		// the signal, leave. Nothing is written before the last step, and
		// that step renames whole files, so no half-written file remains.
		<-ctx.Done()
		// From now on a second signal kills dgen the default way.
		stop()
		time.Sleep(grace)
		fmt.Fprintln(os.Stderr, "dgen: cancelled; nothing was written")
		os.Exit(exitCancelled)
	}()
	code := run(ctx, os.Args[1:], newSystemEnv())
	stop()
	os.Exit(code)
}

// cleansUp reports whether the command line runs verify, which removes
// what it created after a Ctrl-C and needs the time to.
func cleansUp(args []string) bool {
	if len(args) > 0 && args[0] == "verify" {
		return true
	}
	for _, a := range args {
		if a == "--verify" {
			return true
		}
	}
	return false
}
