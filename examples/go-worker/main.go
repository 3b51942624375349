// Command janitor removes expired files from a spool folder on a schedule.
// It listens on no port: the container's exit status is its health.
package main

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, nil))
	spool := os.Getenv("SPOOL_DIR")
	if spool == "" {
		spool = os.TempDir()
	}
	every, err := time.ParseDuration(os.Getenv("INTERVAL"))
	if err != nil || every <= 0 {
		every = 30 * time.Second
	}
	maxAge := 24 * time.Hour

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logger.Info("janitor started", "spool", spool, "every", every)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		n, err := sweep(spool, time.Now().Add(-maxAge))
		if err != nil {
			logger.Error("sweep", "err", err)
		} else {
			logger.Info("sweep done", "removed", n)
		}
		select {
		case <-ctx.Done():
			logger.Info("janitor stopping")
			return
		case <-tick.C:
		}
	}
}

// sweep removes regular files under dir last modified before cutoff.
func sweep(dir string, cutoff time.Time) (int, error) {
	removed := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrPermission) {
				return nil
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		if info.ModTime().Before(cutoff) {
			if err := os.Remove(p); err == nil {
				removed++
			}
		}
		return nil
	})
	return removed, err
}
