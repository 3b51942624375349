// guestbook reads config.yaml and VERSION from its working directory at
// start and keeps its entries in data/, which it creates: an image that
// leaves out a file, or whose data folder the program cannot write, fails
// at start or fails its health check.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

const dataDir = "data"

func main() {
	cfg, err := os.ReadFile("config.yaml")
	if err != nil {
		log.Fatalf("config: %v", err)
	}
	title := setting(cfg, "title")
	version, err := os.ReadFile("VERSION")
	if err != nil {
		log.Fatalf("version: %v", err)
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		log.Fatalf("data folder: %v", err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		// Healthy only while the data folder takes writes.
		if err := os.WriteFile(dataDir+"/.probe", []byte(time.Now().UTC().Format(time.RFC3339)), 0o600); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		entries, _ := os.ReadFile(dataDir + "/entries.txt")
		fmt.Fprintf(w, "%s %s\n%s", title, bytes.TrimSpace(version), entries)
	})
	mux.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) {
		f, err := os.OpenFile(dataDir+"/entries.txt", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		fmt.Fprintln(f, strings.TrimSpace(r.FormValue("entry")))
	})

	addr := ":" + cmp.Or(os.Getenv("PORT"), "8080")
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Printf("%s %s listening on %s", title, bytes.TrimSpace(version), addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// setting is the value of a top-level "key: value" line of a flat YAML
// file, or "".
func setting(yaml []byte, key string) string {
	sc := bufio.NewScanner(bytes.NewReader(yaml))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
