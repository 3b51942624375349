// Command api shows the ledger's balances as an HTML page.
package main

import (
	"flag"
	"html/template"
	"log"
	"net/http"
	"time"

	"github.com/acme/ledger/internal/ledger"
)

func main() {
	addr := flag.String("addr", ":8090", "address to listen on")
	flag.Parse()

	// The page template is read from disk at start-up, relative to the
	// working directory, so designers can change it without a rebuild.
	page := template.Must(template.ParseGlob("templates/*.html"))
	l := ledger.New(map[string]int64{"alice": 10_000, "bob": 2_500})

	mux := http.NewServeMux()
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		if err := page.ExecuteTemplate(w, "balances.html", l.Accounts()); err != nil {
			log.Printf("render: %v", err)
		}
	})

	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("api listening on %s", *addr)
	log.Fatal(srv.ListenAndServe())
}
