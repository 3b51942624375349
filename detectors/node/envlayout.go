package node

import (
	"regexp"
	"strings"
)

// jsLayout tells start-time code from function bodies in one JavaScript
// or TypeScript file, without a parser: it matches brackets (skipping
// strings and comments) and calls a brace a function body when it follows
// an arrow or the parameter list of a function or method.
type jsLayout struct {
	funcs []jsFunc
	// called are the functions the module calls at its top level.
	called map[string]bool
}

// jsFunc is one function body: src[start:end] and its name, "" when
// anonymous.
type jsFunc struct {
	start, end int
	name       string
}

var (
	jsArrowNameRe  = regexp.MustCompile(`(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s*)?(?:\([^()]*\)|[A-Za-z_$][\w$]*)\s*(?::\s*[^=]+)?=>\s*$`)
	jsReturnTypeRe = regexp.MustCompile(`\)\s*:\s*[\w<>\[\]|.,\s]+$`)
	jsWordBeforeRe = regexp.MustCompile(`([A-Za-z_$][\w$]*)\s*$`)
)

// jsBlockKeywords open a block, not a function, before their parentheses.
var jsBlockKeywords = map[string]bool{"if": true, "for": true, "while": true, "switch": true, "catch": true, "with": true}

func newJSLayout(src string) *jsLayout {
	js := &jsLayout{called: map[string]bool{}}
	var parens []int
	closeToOpen := map[int]int{}
	type brace struct {
		start int
		fn    bool
		name  string
	}
	var braces []brace
	jsWalk(src, func(i int, c byte) bool {
		switch c {
		case '(':
			parens = append(parens, i)
		case ')':
			if n := len(parens); n > 0 {
				closeToOpen[i] = parens[n-1]
				parens = parens[:n-1]
			}
		case '{':
			fn, name := jsFuncBrace(src, i, closeToOpen)
			braces = append(braces, brace{i, fn, name})
		case '}':
			if n := len(braces); n > 0 {
				b := braces[n-1]
				braces = braces[:n-1]
				if b.fn {
					js.funcs = append(js.funcs, jsFunc{b.start, i, b.name})
				}
			}
		}
		return true
	})
	for _, m := range jsTopCallRe.FindAllStringSubmatchIndex(src, -1) {
		if js.inner(m[0]) != nil {
			continue
		}
		// m(): T { … } and m(a) { … } in a class body define, not call.
		if end := jsMatch(src, m[1]-1); end > 0 {
			if rest := strings.TrimLeft(src[end+1:], " \t"); strings.HasPrefix(rest, "{") || strings.HasPrefix(rest, ":") {
				continue
			}
		}
		js.called[src[m[2]:m[3]]] = true
	}
	return js
}

// jsFuncBrace classifies the brace at i.
func jsFuncBrace(src string, i int, closeToOpen map[int]int) (bool, string) {
	before := strings.TrimRight(src[:i], " \t\r\n")
	if strings.HasSuffix(before, "=>") {
		name := ""
		if m := jsArrowNameRe.FindStringSubmatch(before[max(0, len(before)-300):]); m != nil {
			name = m[1]
		}
		return true, name
	}
	if loc := jsReturnTypeRe.FindStringIndex(before); loc != nil {
		before = before[:loc[0]+1]
	}
	if !strings.HasSuffix(before, ")") {
		return false, ""
	}
	open, ok := closeToOpen[len(before)-1]
	if !ok {
		return false, ""
	}
	m := jsWordBeforeRe.FindStringSubmatch(src[:open])
	if m == nil {
		return true, ""
	}
	if jsBlockKeywords[m[1]] {
		return false, ""
	}
	if m[1] == "function" {
		return true, ""
	}
	return true, m[1]
}

// inner is the innermost function body holding offset i, or nil.
func (js *jsLayout) inner(i int) *jsFunc {
	var best *jsFunc
	for k := range js.funcs {
		f := &js.funcs[k]
		if f.start < i && i < f.end && (best == nil || f.start > best.start) {
			best = f
		}
	}
	return best
}

// atStart reports whether the code at offset i runs when the module
// loads: at its top level, or directly in a top-level function the
// module calls (main(), bootstrap()).
func (js *jsLayout) atStart(i int) bool {
	f := js.inner(i)
	if f == nil {
		return true
	}
	return f.name != "" && js.called[f.name] && js.inner(f.start) == nil
}

// jsMatch returns the offset of the bracket closing the one at open, or
// -1.
func jsMatch(src string, open int) int {
	closer := map[byte]byte{'(': ')', '[': ']', '{': '}'}[src[open]]
	if closer == 0 {
		return -1
	}
	depth, found := 0, -1
	jsWalk(src[open:], func(i int, c byte) bool {
		switch c {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth == 0 {
				found = open + i
				return false
			}
		}
		return true
	})
	return found
}

// jsWalk calls fn with each bracket of src outside strings, template
// literals and comments, until fn returns false.
func jsWalk(src string, fn func(i int, c byte) bool) {
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return
			}
			i += end + 3
		case c == '"' || c == '\'' || c == '`':
			for i++; i < len(src) && src[i] != c; i++ {
				if src[i] == '\\' {
					i++
				}
				if c != '`' && i < len(src) && src[i] == '\n' {
					break
				}
			}
		case strings.IndexByte("()[]{}", c) >= 0:
			if !fn(i, c) {
				return
			}
		}
	}
}
