// Command worker settles pending transfers every few seconds.
package main

import (
	"context"
	"log"
	"os/signal"
	"syscall"
	"time"

	"github.com/acme/ledger/internal/ledger"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	l := ledger.New(map[string]int64{"alice": 10_000, "bob": 2_500})
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			log.Print("worker stopping")
			return
		case <-tick.C:
			if err := l.Transfer("alice", "bob", 100); err != nil {
				log.Printf("settle: %v", err)
			}
			log.Printf("settled: %v", l.Accounts())
		}
	}
}
