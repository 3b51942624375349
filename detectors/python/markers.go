package python

import (
	"fmt"
	"strings"
	"unicode"
)

// pyMarkerAt reports whether a PEP 508 environment marker can hold in a
// python:3.<minor> image on Linux. Lockfiles gate packages with markers
// ("python_full_version < '3.11'", "sys_platform == 'win32'"); a package
// the image never installs must not hold back the Python version. What
// the image cannot tell (platform_machine, extras, "in" tests) counts as
// true, and so does a marker dgen cannot read: a needed package is never
// dropped by mistake.
func pyMarkerAt(marker string, minor int) bool {
	marker = strings.TrimSpace(marker)
	if marker == "" {
		return true
	}
	p := &pyMarkerParser{toks: pyMarkerTokens(marker), minor: minor}
	v, ok := p.or()
	if !ok || p.pos != len(p.toks) {
		return true
	}
	return v
}

// pyMarkerParser evaluates a tokenized marker: "or" of "and" of atoms,
// with parentheses.
type pyMarkerParser struct {
	toks  []string
	pos   int
	minor int
}

func (p *pyMarkerParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *pyMarkerParser) or() (bool, bool) {
	v, ok := p.and()
	for ok && p.peek() == "or" {
		p.pos++
		var w bool
		w, ok = p.and()
		v = v || w
	}
	return v, ok
}

func (p *pyMarkerParser) and() (bool, bool) {
	v, ok := p.atom()
	for ok && p.peek() == "and" {
		p.pos++
		var w bool
		w, ok = p.atom()
		v = v && w
	}
	return v, ok
}

func (p *pyMarkerParser) atom() (bool, bool) {
	if p.peek() == "(" {
		p.pos++
		v, ok := p.or()
		if !ok || p.peek() != ")" {
			return false, false
		}
		p.pos++
		return v, true
	}
	if p.pos+2 > len(p.toks) {
		return false, false
	}
	lhs, op := p.toks[p.pos], p.toks[p.pos+1]
	p.pos += 2
	if op == "not" {
		if p.peek() != "in" {
			return false, false
		}
		op = "not in"
		p.pos++
	}
	if p.pos >= len(p.toks) {
		return false, false
	}
	rhs := p.toks[p.pos]
	p.pos++
	return p.compare(lhs, op, rhs), true
}

// compare evaluates "variable op 'value'" for the variables an image
// fixes; anything else is unknown, hence true.
func (p *pyMarkerParser) compare(lhs, op, rhs string) bool {
	val, quoted := pyMarkerUnquote(rhs)
	if !quoted {
		return true
	}
	switch lhs {
	case "python_version", "python_full_version":
		patch := 0
		if lhs == "python_full_version" {
			patch = pyNewestPatch
		}
		r, err := parsePyRange(op + val)
		if err != nil {
			return true
		}
		return r.allows(mustPyVersion(fmt.Sprintf("3.%d.%d", p.minor, patch)))
	}
	have, known := map[string]string{
		"sys_platform":                   "linux",
		"platform_system":                "Linux",
		"os_name":                        "posix",
		"platform_python_implementation": "CPython",
		"implementation_name":            "cpython",
	}[lhs]
	switch {
	case !known:
		return true
	case op == "==":
		return have == val
	case op == "!=":
		return have != val
	}
	return true
}

func pyMarkerUnquote(s string) (string, bool) {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1], true
	}
	return s, false
}

// pyMarkerTokens splits a marker into parentheses, quoted strings,
// operators and words.
func pyMarkerTokens(m string) []string {
	var toks []string
	for i := 0; i < len(m); {
		c := m[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')':
			toks = append(toks, string(c))
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(m[i+1:], c)
			if j < 0 {
				return append(toks, m[i:])
			}
			toks = append(toks, m[i:i+j+2])
			i += j + 2
		case strings.ContainsRune("<>=!~", rune(c)):
			j := i
			for j < len(m) && strings.ContainsRune("<>=!~", rune(m[j])) {
				j++
			}
			toks = append(toks, m[i:j])
			i = j
		default:
			j := i
			for j < len(m) && (unicode.IsLetter(rune(m[j])) || unicode.IsDigit(rune(m[j])) || m[j] == '_' || m[j] == '.') {
				j++
			}
			if j == i {
				j++
			}
			toks = append(toks, m[i:j])
			i = j
		}
	}
	return toks
}
