package node

import (
	"path"
	"regexp"
	"strings"

	"github.com/dgen-dev/dgen/detectors/repo"
)

// Environment the app requires at start: a variable whose absence makes
// the process throw or exit before it serves. Read in the app's sources:
// checks at module level (or in a function the module calls at its top
// level, such as main() or bootstrap()) that throw or call process.exit
// when process.env.X is unset, directly, through a const, over a list of
// names or through a helper (required("X")); and the schemas of envalid
// (cleanEnv), zod (z.object parsed from process.env, createEnv), Joi
// (.required(), as NestJS's ConfigModule validates) and env-var
// (get("X").required()) that give the variable no default.

var (
	jsIfRe          = regexp.MustCompile(`\bif\s*\(`)
	jsNotEnvRe      = regexp.MustCompile(`!\s*process\.env(?:\.([A-Za-z_]\w*)|\[\s*['"]([A-Za-z_]\w*)['"]\s*\])`)
	jsNotIdentRe    = regexp.MustCompile(`!\s*([A-Za-z_$][\w$]*)\b`)
	jsEnvConstRe    = regexp.MustCompile(`(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*[\w|\s]+)?=\s*process\.env(?:\.([A-Za-z_]\w*)|\[\s*['"]([A-Za-z_]\w*)['"]\s*\])\s*(?:;|\n|$)`)
	jsEnvDestructRe = regexp.MustCompile(`(?:const|let|var)\s*\{([^}]*)\}\s*=\s*process\.env\b`)
	jsNameListRe    = regexp.MustCompile(`\[\s*((?:['"][A-Z_][A-Z0-9_]*['"]\s*,\s*)*['"][A-Z_][A-Z0-9_]*['"]\s*,?\s*)\]`)
	jsNameLitRe     = regexp.MustCompile(`['"]([A-Z_][A-Z0-9_]*)['"]`)
	jsEnvIndexVarRe = regexp.MustCompile(`process\.env\[\s*[A-Za-z_$][\w$]*\s*\]`)
	jsHelperDeclRe  = regexp.MustCompile(`(?:function\s+([A-Za-z_$][\w$]*)\s*\(\s*([A-Za-z_$][\w$]*)|(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?\(?\s*([A-Za-z_$][\w$]*)(?:\s*:\s*string)?\s*\)?\s*(?::\s*\w+\s*)?=>)`)
	jsCleanEnvRe    = regexp.MustCompile(`\bcleanEnv\s*\(\s*process\.env\s*,\s*\{`)
	jsEnvalidKeyRe  = regexp.MustCompile(`(?m)(?:^|[{,\s])['"]?([A-Z_][A-Z0-9_]*)['"]?\s*:\s*(?:envalid\.)?(str|url|email|host|port|num|bool|json)\s*\(`)
	jsZodObjectRe   = regexp.MustCompile(`\bz\.object\s*\(\s*\{|\b(?:server|shared)\s*:\s*\{`)
	jsZodKeyRe      = regexp.MustCompile(`(?m)(?:^|[{,\s])['"]?([A-Z_][A-Z0-9_]*)['"]?\s*:\s*z\.`)
	jsJoiObjectRe   = regexp.MustCompile(`\bJoi\.object\s*\(\s*\{`)
	jsJoiKeyRe      = regexp.MustCompile(`(?m)(?:^|[{,\s])['"]?([A-Z_][A-Z0-9_]*)['"]?\s*:\s*Joi\.`)
	jsEnvVarRe      = regexp.MustCompile(`\.get\(\s*['"]([A-Z_][A-Z0-9_]*)['"]\s*\)((?:\s*\.\s*\w+\([^()]*\))*)`)
	jsTopCallRe     = regexp.MustCompile(`(?m)^\s*(?:void\s+|await\s+)?([A-Za-z_$][\w$]*)\s*\(`)
)

// requiredEnv records the variables the app requires at start.
func (a *nodeApp) requiredEnv() {
	for _, f := range a.sourceFiles() {
		if jsToolFile(f) {
			continue
		}
		data, err := repo.ReadPrefix(a.fsys, f, repo.MaxSourceSize)
		if err != nil || !jsReadsEnv(string(data)) {
			continue
		}
		src := string(data)
		js := newJSLayout(src)
		req := func(name string, at int) {
			if jsPublicVar(name) {
				return // inlined by the build: a runtime value changes nothing
			}
			line := repo.LineAt(data, at)
			a.det.RequireEnv(name, a.rel(f), line, jsLineText(src, line))
		}
		a.envChecks(src, js, req)
		jsSchemas(src, req)
	}
}

// jsReadsEnv reports whether src may read the environment: directly, or
// through a schema a library checks it against.
func jsReadsEnv(src string) bool {
	return strings.Contains(src, "process.env") || strings.Contains(src, "Joi.object") || strings.Contains(src, "createEnv(")
}

// jsPublicVar reports whether a variable is one a front-end build inlines
// into the bundle (NEXT_PUBLIC_*, VITE_*, REACT_APP_*).
func jsPublicVar(name string) bool {
	for _, p := range []string{"NEXT_PUBLIC_", "VITE_", "REACT_APP_", "PUBLIC_"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// jsToolFile reports whether f is a script run by hand or by a tool
// (scripts/, seeds, migrations), not by the app when it starts.
func jsToolFile(f string) bool {
	for _, el := range strings.Split(path.Dir(f), "/") {
		switch el {
		case "scripts", "script", "tools", "seeds", "seeders", "migrations", "prisma", "db-scripts":
			return true
		}
	}
	base := path.Base(f)
	return strings.HasPrefix(base, "seed.") || strings.HasPrefix(base, "migrate.")
}

// envChecks finds the checks that throw or exit in start-time code.
func (a *nodeApp) envChecks(src string, js *jsLayout, req func(string, int)) {
	consts := map[string]string{}
	for _, m := range jsEnvConstRe.FindAllStringSubmatchIndex(src, -1) {
		consts[jsGroup(src, m, 1)] = jsGroup(src, m, 2, 3)
	}
	for _, m := range jsEnvDestructRe.FindAllStringSubmatch(src, -1) {
		for _, part := range strings.Split(m[1], ",") {
			key, local, ok := strings.Cut(part, ":")
			key = strings.TrimSpace(key)
			if !ok {
				local = key
			}
			if k, _, _ := strings.Cut(strings.TrimSpace(local), "="); k == strings.TrimSpace(local) && key != "" {
				consts[strings.TrimSpace(local)] = key
			}
		}
	}
	for _, loc := range jsIfRe.FindAllStringIndex(src, -1) {
		if !js.atStart(loc[0]) {
			continue
		}
		open := loc[1] - 1
		end := jsMatch(src, open)
		if end < 0 {
			continue
		}
		cond := src[open+1 : end]
		if strings.Contains(cond, "&&") || !jsStops(jsStatement(src, end+1)) {
			continue
		}
		for _, m := range jsNotEnvRe.FindAllStringSubmatch(cond, -1) {
			req(m[1]+m[2], loc[0])
		}
		for _, m := range jsNotIdentRe.FindAllStringSubmatch(cond, -1) {
			if name := consts[m[1]]; name != "" {
				req(name, loc[0])
			}
		}
	}
	// A list of names checked in a loop: for (const k of ["A", "B"]).
	for _, m := range jsNameListRe.FindAllStringSubmatchIndex(src, -1) {
		if !js.atStart(m[0]) {
			continue
		}
		after := src[m[1]:min(len(src), m[1]+400)]
		if jsEnvIndexVarRe.MatchString(after) && jsStops(after) {
			for _, n := range jsNameLitRe.FindAllStringSubmatch(src[m[2]:m[3]], -1) {
				req(n[1], m[0])
			}
		}
	}
	a.envHelpers(src, js, req)
}

// envHelpers finds functions that throw when the variable their parameter
// names is unset, and their calls with a literal in start-time code.
func (a *nodeApp) envHelpers(src string, js *jsLayout, req func(string, int)) {
	for _, m := range jsHelperDeclRe.FindAllStringSubmatchIndex(src, -1) {
		name, param := jsGroup(src, m, 1, 3), jsGroup(src, m, 2, 4)
		body := src[m[1]:min(len(src), m[1]+400)]
		uses := strings.Contains(body, "process.env["+param+"]")
		if !uses || !jsStops(body) || strings.Contains(body[:strings.Index(body, "process.env["+param+"]")], "default") {
			continue
		}
		call := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\(\s*['"]([A-Za-z_]\w*)['"]\s*\)`)
		for _, c := range call.FindAllStringSubmatchIndex(src, -1) {
			if js.atStart(c[0]) {
				req(src[c[2]:c[3]], c[0])
			}
		}
	}
}

// jsSchemas reads envalid, zod and env-var declarations.
func jsSchemas(src string, req func(string, int)) {
	for _, loc := range jsCleanEnvRe.FindAllStringIndex(src, -1) {
		obj := jsObject(src, loc[1]-1)
		for _, m := range jsEnvalidKeyRe.FindAllStringSubmatchIndex(obj.text, -1) {
			open := m[1] - 1
			end := jsMatch(obj.text, open)
			if end > 0 && !strings.Contains(obj.text[open:end], "default:") {
				req(obj.text[m[2]:m[3]], obj.at+m[0])
			}
		}
	}
	if strings.Contains(src, "(process.env)") || strings.Contains(src, "createEnv(") {
		for _, loc := range jsZodObjectRe.FindAllStringIndex(src, -1) {
			jsSchemaKeys(jsObject(src, loc[1]-1), jsZodKeyRe, func(name, chain string, at int) {
				if !strings.Contains(chain, ".optional(") && !strings.Contains(chain, ".default(") && !strings.Contains(chain, ".nullish(") && !strings.Contains(chain, ".catch(") {
					req(name, at)
				}
			})
		}
	}
	// Joi (NestJS ConfigModule's validationSchema): keys are optional
	// unless .required().
	for _, loc := range jsJoiObjectRe.FindAllStringIndex(src, -1) {
		obj := jsObject(src, loc[1]-1)
		jsSchemaKeys(obj, jsJoiKeyRe, func(name, chain string, at int) {
			if strings.Contains(chain, ".required()") && !strings.Contains(chain, ".default(") {
				req(name, at)
			}
		})
	}
	if strings.Contains(src, "env-var") {
		for _, m := range jsEnvVarRe.FindAllStringSubmatchIndex(src, -1) {
			chain := src[m[4]:m[5]]
			if strings.Contains(chain, ".required()") || strings.Contains(chain, ".required(true)") {
				if !strings.Contains(chain, ".default(") {
					req(src[m[2]:m[3]], m[0])
				}
			}
		}
	}
}

// jsSchemaKeys calls fn with each key of a schema object that keyRe
// finds, the text of its definition (up to the next key) and its offset.
func jsSchemaKeys(obj jsObjectText, keyRe *regexp.Regexp, fn func(name, chain string, at int)) {
	keys := keyRe.FindAllStringSubmatchIndex(obj.text, -1)
	for i, m := range keys {
		end := len(obj.text)
		if i+1 < len(keys) {
			end = keys[i+1][0]
		}
		fn(obj.text[m[2]:m[3]], obj.text[m[1]:end], obj.at+m[0])
	}
}

// jsStops reports whether code throws or exits the process.
func jsStops(code string) bool {
	return strings.Contains(code, "throw ") || strings.Contains(code, "process.exit(")
}

// jsStatement is the statement starting at i: a block up to its closing
// brace, else the text up to the end of the line.
func jsStatement(src string, i int) string {
	rest := strings.TrimLeft(src[i:], " \t\r\n")
	off := len(src) - len(rest)
	if strings.HasPrefix(rest, "{") {
		if end := jsMatch(src, off); end > 0 {
			return src[off : end+1]
		}
	}
	line, _, _ := strings.Cut(rest, "\n")
	return line
}

// jsObjectText is an object literal's text and its offset in the file.
type jsObjectText struct {
	text string
	at   int
}

func jsObject(src string, open int) jsObjectText {
	end := jsMatch(src, open)
	if end < 0 {
		end = len(src) - 1
	}
	return jsObjectText{text: src[open : end+1], at: open}
}

func jsGroup(src string, m []int, groups ...int) string {
	for _, g := range groups {
		if 2*g+1 < len(m) && m[2*g] >= 0 {
			return src[m[2*g]:m[2*g+1]]
		}
	}
	return ""
}

func jsLineText(src string, n int) string {
	lines := strings.SplitN(src, "\n", n+1)
	if n-1 < len(lines) {
		return strings.TrimSpace(lines[n-1])
	}
	return ""
}
