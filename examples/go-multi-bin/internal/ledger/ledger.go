// Package ledger keeps account balances; the API, the worker and the
// migration tool share it.
package ledger

import (
	"errors"
	"sort"
	"sync"
)

// ErrUnknownAccount is returned for an account that does not exist.
var ErrUnknownAccount = errors.New("unknown account")

// Ledger holds balances in cents, safe for concurrent use.
type Ledger struct {
	mu       sync.Mutex
	balances map[string]int64
}

// New returns a ledger with the given opening balances.
func New(opening map[string]int64) *Ledger {
	b := make(map[string]int64, len(opening))
	for k, v := range opening {
		b[k] = v
	}
	return &Ledger{balances: b}
}

// Transfer moves cents from one account to another.
func (l *Ledger) Transfer(from, to string, cents int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.balances[from]; !ok {
		return ErrUnknownAccount
	}
	if _, ok := l.balances[to]; !ok {
		return ErrUnknownAccount
	}
	l.balances[from] -= cents
	l.balances[to] += cents
	return nil
}

// Account is one balance.
type Account struct {
	Name  string
	Cents int64
}

// Accounts returns every balance, by name.
func (l *Ledger) Accounts() []Account {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Account, 0, len(l.balances))
	for k, v := range l.balances {
		out = append(out, Account{Name: k, Cents: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
