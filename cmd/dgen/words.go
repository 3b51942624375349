package main

import (
	"errors"
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// splitWords splits a command line into argv the way a POSIX shell would
// split words and remove quotes, but refuses anything a shell would expand
// or run ($VAR, $(…), globs, pipes, ;): the container runs the argv as is,
// in exec form, with no shell.
func splitWords(s string) ([]string, error) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(s), "")
	if err != nil {
		return nil, err
	}
	if len(f.Stmts) != 1 {
		return nil, errors.New("give one command, without ; or newlines")
	}
	st := f.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Background || st.Negated || len(st.Redirs) > 0 || len(call.Assigns) > 0 {
		return nil, errors.New("give a plain command: no pipes, redirections, && or variable assignments")
	}
	var argv []string
	for _, w := range call.Args {
		var b strings.Builder
		for _, part := range w.Parts {
			switch p := part.(type) {
			case *syntax.Lit:
				if strings.ContainsAny(p.Value, "*?[") {
					return nil, fmt.Errorf("%q: globs are not expanded in exec form; quote it if it is literal", p.Value)
				}
				b.WriteString(unescape(p.Value))
			case *syntax.SglQuoted:
				b.WriteString(p.Value)
			case *syntax.DblQuoted:
				for _, q := range p.Parts {
					lit, ok := q.(*syntax.Lit)
					if !ok {
						return nil, errors.New("no $ expansions: the container runs the command without a shell")
					}
					b.WriteString(lit.Value)
				}
			default:
				return nil, errors.New("no $ expansions or command substitutions: the container runs the command without a shell")
			}
		}
		argv = append(argv, b.String())
	}
	if len(argv) == 0 {
		return nil, errors.New("empty command")
	}
	return argv, nil
}

// unescape removes the backslashes of an unquoted shell word.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
