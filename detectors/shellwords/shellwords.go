// Package shellwords splits a command line into the argv a container runs
// in exec form. It parses with mvdan.cc/sh, splits words and removes quotes
// the way a shell would, and refuses whatever a shell would run or expand
// (pipes, ;, &&, redirections, command substitutions, globs), so nothing a
// repository writes can become a second command.
package shellwords

import (
	"errors"
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Options loosen Parse for commands read from a repository's own files.
type Options struct {
	// Assigns accepts leading NAME=value assignments (a Procfile's
	// "WEB_CONCURRENCY=2 gunicorn …"); they are returned in Command.Env.
	Assigns bool
	// Param, when set, is called for each $NAME or ${NAME:-default} in a
	// word and returns the text that replaces it, or an error to refuse
	// the command. When nil, any expansion is refused.
	Param func(name, def string) (string, error)
	// Bash parses with bash's grammar instead of POSIX sh's.
	Bash bool
}

// Command is a parsed command line.
type Command struct {
	// Env holds the leading assignments (only with Options.Assigns).
	Env map[string]string
	// Argv is the program and its arguments, quotes removed.
	Argv []string
}

// Split parses s strictly: one plain command, no assignments, no
// expansions, no globs.
func Split(s string) ([]string, error) {
	c, err := Parse(s, Options{})
	if err != nil {
		return nil, err
	}
	return c.Argv, nil
}

// Parse parses one command line with the given options.
func Parse(s string, opt Options) (*Command, error) {
	lang := syntax.LangPOSIX
	if opt.Bash {
		lang = syntax.LangBash
	}
	f, err := syntax.NewParser(syntax.Variant(lang)).Parse(strings.NewReader(s), "")
	if err != nil {
		return nil, err
	}
	if len(f.Stmts) != 1 {
		return nil, errors.New("give one command, without ; or newlines")
	}
	st := f.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Background || st.Coprocess || st.Negated || len(st.Redirs) > 0 {
		return nil, errors.New("give a plain command: no pipes, redirections or &&")
	}
	c := &Command{}
	if len(call.Assigns) > 0 && !opt.Assigns {
		return nil, errors.New("give a plain command: no variable assignments")
	}
	for _, as := range call.Assigns {
		if as.Name == nil || as.Append || as.Index != nil || as.Array != nil {
			return nil, errors.New("only plain NAME=value assignments are accepted")
		}
		v := ""
		if as.Value != nil {
			if v, err = word(as.Value, Options{}); err != nil {
				return nil, fmt.Errorf("%s=…: %w", as.Name.Value, err)
			}
		}
		if c.Env == nil {
			c.Env = map[string]string{}
		}
		c.Env[as.Name.Value] = v
	}
	for _, w := range call.Args {
		s, err := word(w, opt)
		if err != nil {
			return nil, err
		}
		c.Argv = append(c.Argv, s)
	}
	if len(c.Argv) == 0 {
		return nil, errors.New("empty command")
	}
	return c, nil
}

var errExpansion = errors.New("no $ expansions or command substitutions: the container runs the command without a shell")

// word flattens one shell word.
func word(w *syntax.Word, opt Options) (string, error) {
	var b strings.Builder
	for _, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			if strings.ContainsAny(p.Value, "*?[") {
				return "", fmt.Errorf("%q: globs are not expanded in exec form; quote it if it is literal", p.Value)
			}
			b.WriteString(Unescape(p.Value))
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", errExpansion
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				switch q := q.(type) {
				case *syntax.Lit:
					b.WriteString(q.Value)
				case *syntax.ParamExp:
					s, err := param(q, opt)
					if err != nil {
						return "", err
					}
					b.WriteString(s)
				default:
					return "", errExpansion
				}
			}
		case *syntax.ParamExp:
			s, err := param(p, opt)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		default:
			return "", errExpansion
		}
	}
	return b.String(), nil
}

// param resolves $NAME or ${NAME:-default} through opt.Param.
func param(p *syntax.ParamExp, opt Options) (string, error) {
	if opt.Param == nil || p.Param == nil || p.Excl || p.Length || p.Width || p.Index != nil || p.Slice != nil || p.Repl != nil || p.Names != 0 {
		return "", errExpansion
	}
	def := ""
	if p.Exp != nil {
		if p.Exp.Op != syntax.DefaultUnsetOrNull && p.Exp.Op != syntax.DefaultUnset {
			return "", errExpansion
		}
		if p.Exp.Word != nil {
			d, err := word(p.Exp.Word, Options{})
			if err != nil {
				return "", err
			}
			def = d
		}
	}
	return opt.Param(p.Param.Value, def)
}

// Unescape removes the backslashes of an unquoted shell word.
func Unescape(s string) string {
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
