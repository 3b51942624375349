package golang

import (
	"go/ast"
	"go/token"
	"reflect"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// envLibs are the configuration libraries whose struct tags make a
// variable required, by import path prefix.
var envLibs = []string{"github.com/caarlos0/env", "github.com/sethvargo/go-envconfig", "github.com/kelseyhightower/envconfig", "github.com/ilyakaznacheev/cleanenv"}

// structTags reads the required fields of configuration structs, when a
// package of the build imports a library that reads them.
func structTags(files []*envFile, fset *token.FileSet, det *facts.Detection) {
	uses := false
	prefix := ""
	for _, ef := range files {
		for _, imp := range ef.f.Imports {
			ip, _ := strconv.Unquote(imp.Path.Value)
			for _, l := range envLibs {
				uses = uses || strings.HasPrefix(ip, l)
			}
		}
		ast.Inspect(ef.f, func(n ast.Node) bool {
			// envconfig.Process("app", &cfg): the prefix of untagged fields.
			if call, ok := n.(*ast.CallExpr); ok && len(call.Args) == 2 {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Process" || sel.Sel.Name == "MustProcess") {
					if s, ok := stringLit(call.Args[0]); ok && prefix == "" {
						prefix = s
					}
				}
			}
			return true
		})
	}
	if !uses {
		return
	}
	for _, ef := range files {
		ast.Inspect(ef.f, func(n ast.Node) bool {
			st, ok := n.(*ast.StructType)
			if !ok {
				return true
			}
			for _, f := range st.Fields.List {
				if f.Tag == nil || len(f.Names) == 0 {
					continue
				}
				raw, err := strconv.Unquote(f.Tag.Value)
				if err != nil {
					continue
				}
				if name := requiredTag(reflect.StructTag(raw), f.Names[0].Name, prefix); name != "" {
					line := fset.Position(f.Pos()).Line
					det.RequireEnv(name, ef.name, line, lineText(ef.src, line))
				}
			}
			return true
		})
	}
}

// requiredTag returns the variable a field's tags make required, or "".
func requiredTag(tag reflect.StructTag, field, prefix string) string {
	env, hasEnv := tag.Lookup("env")
	envName, opts, _ := strings.Cut(env, ",")
	switch {
	case tag.Get("env-required") == "true":
		// cleanenv: env:"A,B" lists alternative names.
		if _, def := tag.Lookup("env-default"); def || !hasEnv || envName == "" {
			return ""
		}
		return envName
	case hasEnv && envName != "" && tag.Get("required") != "true":
		// caarlos0/env and sethvargo/go-envconfig.
		_, def := tag.Lookup("envDefault")
		for _, o := range strings.Split(opts, ",") {
			if strings.HasPrefix(o, "default=") {
				def = true
			}
		}
		for _, o := range strings.Split(opts, ",") {
			if (o == "required" || o == "notEmpty") && !def {
				return envName
			}
		}
	case tag.Get("required") == "true":
		// kelseyhightower/envconfig: the tag's name without the prefix is
		// read too; an untagged field needs the prefix.
		if _, def := tag.Lookup("default"); def || tag.Get("ignored") == "true" {
			return ""
		}
		if n := tag.Get("envconfig"); n != "" {
			return strings.ToUpper(n)
		}
		key := field
		if tag.Get("split_words") == "true" {
			key = splitWords(field)
		}
		if prefix != "" {
			key = prefix + "_" + key
		}
		return strings.ToUpper(key)
	}
	return ""
}

// splitWords is envconfig's split_words: DatabaseURL → Database_URL.
func splitWords(s string) string {
	var out []string
	start := 0
	rs := []rune(s)
	for i := 1; i < len(rs); i++ {
		upper := func(r rune) bool { return r >= 'A' && r <= 'Z' }
		if upper(rs[i]) && (!upper(rs[i-1]) || (i+1 < len(rs) && !upper(rs[i+1]))) {
			out = append(out, string(rs[start:i]))
			start = i
		}
	}
	return strings.Join(append(out, string(rs[start:])), "_")
}
