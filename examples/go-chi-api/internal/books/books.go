// Package books holds the bookstore's catalogue and its HTTP routes.
package books

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"sort"
	"sync"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// Book is one title in the catalogue.
type Book struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Author string `json:"author"`
}

// Store is an in-memory catalogue, safe for concurrent use.
type Store struct {
	mu    sync.RWMutex
	books map[string]Book
}

// NewStore returns a catalogue with a few books in it.
func NewStore() *Store {
	return &Store{books: map[string]Book{
		"1": {ID: "1", Title: "The Go Programming Language", Author: "Donovan, Kernighan"},
		"2": {ID: "2", Title: "Designing Data-Intensive Applications", Author: "Kleppmann"},
	}}
}

// Router wires the API's routes.
func Router(s *Store, logger *slog.Logger) http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, middleware.Recoverer)
	r.Get("/health", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	r.Route("/books", func(r chi.Router) {
		r.Get("/", s.list)
		r.Get("/{id}", s.get)
		r.Post("/", s.create)
	})
	logger.Debug("routes ready")
	return r
}

func (s *Store) list(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	out := make([]Book, 0, len(s.books))
	for _, b := range s.books {
		out = append(out, b)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	writeJSON(w, http.StatusOK, out)
}

func (s *Store) get(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	b, ok := s.books[chi.URLParam(r, "id")]
	s.mu.RUnlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

func (s *Store) create(w http.ResponseWriter, r *http.Request) {
	var b Book
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&b); err != nil || b.ID == "" || b.Title == "" {
		http.Error(w, "expected a JSON book with id and title", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.books[b.ID] = b
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
