package golang

import (
	"go/ast"
	"strings"
	"unicode"
)

// flagSetters are the flag and pflag calls (package functions or FlagSet
// methods, cobra's cmd.Flags() included) that define a string flag with a
// default: where the flag's name, its default and its usage sit, and how
// many arguments the call has.
var flagSetters = map[string]struct{ name, value, args int }{
	"String":     {0, 1, 3},
	"StringVar":  {1, 2, 4},
	"StringP":    {0, 2, 4},
	"StringVarP": {1, 3, 5},
}

// pathFlagWords mark a flag (or viper key) as naming a path the server
// reads: one of them is a word of its name.
var pathFlagWords = map[string]bool{
	"path": true, "dir": true, "directory": true, "folder": true, "root": true,
	"static": true, "ui": true, "templates": true, "template": true, "tmpl": true,
	"assets": true, "asset": true, "web": true, "public": true, "www": true,
}

// pathUsageWords mark a flag as a path in its usage text.
var pathUsageWords = map[string]bool{"path": true, "dir": true, "directory": true, "folder": true}

// flagPathDefault returns the default of a string flag (or of a viper
// key set with SetDefault) that names a path by its name or usage; ok is
// false for any other call.
func flagPathDefault(call *ast.CallExpr) (def ast.Expr, ok bool) {
	sel, isSel := call.Fun.(*ast.SelectorExpr)
	if !isSel {
		return nil, false
	}
	if sel.Sel.Name == "SetDefault" && len(call.Args) == 2 {
		key, isLit := stringLit(call.Args[0])
		return call.Args[1], isLit && hasWord(key, pathFlagWords)
	}
	f, isFlag := flagSetters[sel.Sel.Name]
	if !isFlag || len(call.Args) != f.args {
		return nil, false
	}
	name, isLit := stringLit(call.Args[f.name])
	if !isLit {
		return nil, false
	}
	usage, _ := stringLit(call.Args[f.args-1])
	return call.Args[f.value], hasWord(name, pathFlagWords) || hasWord(usage, pathUsageWords)
}

// hasWord reports whether one of the words of s ("ui-path", "staticDir",
// "UIPath", "web.root", "path to the UI") is in words, case-insensitively.
func hasWord(s string, words map[string]bool) bool {
	rs := []rune(s)
	start := 0
	for i := 0; i <= len(rs); i++ {
		end := i == len(rs) || !unicode.IsLetter(rs[i]) && !unicode.IsDigit(rs[i])
		// A new word starts at an upper-case letter after a lower-case
		// one (staticDir), or before a lower-case one after a run of
		// upper-case letters (UIPath).
		camel := !end && i > start && unicode.IsUpper(rs[i]) &&
			(!unicode.IsUpper(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1]))
		if end || camel {
			if i > start && words[strings.ToLower(string(rs[start:i]))] {
				return true
			}
			start = i
			if end {
				start = i + 1
			}
		}
	}
	return false
}
