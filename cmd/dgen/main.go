// Command dgen looks at a repository and writes the Dockerfile and
// .dockerignore a senior platform engineer would write for it.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…"; build
// info fills in the rest (see version.go).
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], newSystemEnv())
	stop()
	os.Exit(code)
}
