package rules

import (
	"slices"
	"testing"
)

func TestNameWords(t *testing.T) {
	for name, want := range map[string][]string{
		"npmAuthToken":      {"npm", "auth", "token"},
		"DB_PASS":           {"db", "pass"},
		"api-key.file":      {"api", "key", "file"},
		"PYTHONUNBUFFERED":  {"pythonunbuffered"},
		"GOFLAGS":           {"goflags"},
		"sslCertFile_PATH2": {"ssl", "cert", "file", "path2"},
	} {
		if got := nameWords(name); !slices.Equal(got, want) {
			t.Errorf("nameWords(%q) = %q, want %q", name, got, want)
		}
	}
}
