package main

import (
	"fmt"
	"io"
	"strings"
	"unicode"
)

// sanitize makes text that may come from the repository (file names,
// lines of code, manifest values) safe to print on a terminal: control
// characters other than newline and tab are shown as escapes, so a file
// name holding ESC sequences cannot clear the screen, move the cursor or
// retitle the window.
func sanitize(s string) string {
	if strings.IndexFunc(s, isUnsafeRune) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !isUnsafeRune(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func isUnsafeRune(r rune) bool {
	return r != '\n' && r != '\t' && (unicode.IsControl(r) || r == unicode.ReplacementChar || unicode.Is(unicode.Bidi_Control, r))
}

// sanitizingWriter applies sanitize to everything written through it; the
// generator's decision lines go through one.
type sanitizingWriter struct{ w io.Writer }

func (s sanitizingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(s.w, sanitize(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// clip cuts s to at most n runes, marking the cut.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
