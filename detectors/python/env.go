package python

import (
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Environment the app requires at start: a variable read with no default
// in code that runs when the app is imported (module level of the entry
// module and the modules it imports, the app factory the server calls,
// the Django settings chain), so a container started without it stops
// with a KeyError, ImproperlyConfigured or a validation error.

var (
	pyEnvLibImportRe  = regexp.MustCompile(`(?m)^(?:import\s+(?:environ|environs|decouple)\b|from\s+(?:environ|environs|decouple)\s+import\b)`)
	pyImportLineRe    = regexp.MustCompile(`^(?:import\s+([\w.]+(?:\s*,\s*[\w.]+)*)|from\s+(\.*[\w.]*)\s+import\s+\(?\s*([\w\s,]*))`)
	pyDefLineRe       = regexp.MustCompile(`^(?:async\s+)?def\s+(\w+)`)
	pyClassLineRe     = regexp.MustCompile(`^class\s+(\w+)\s*\(([^)]*)\)\s*:`)
	pyFieldLineRe     = regexp.MustCompile(`^([A-Za-z_]\w*)\s*:\s*(.+)$`)
	pyAliasRe         = regexp.MustCompile(`\b(?:validation_alias|alias|env)\s*=\s*["']([A-Za-z_][A-Za-z0-9_]*)["']`)
	pySecretKeyReadRe = regexp.MustCompile(`^SECRET_KEY\s*=\s*os\.(?:getenv|environ\.get)\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\)`)
	pyAppRefRe        = regexp.MustCompile(`^([A-Za-z_][\w.]*):([A-Za-z_]\w*)(\(.*\))?$`)
)

// requiredEnv records the variables the app requires at start.
func (s *pyScan) requiredEnv() {
	if s.django != nil {
		s.djangoRequired()
	}
	files, factories := s.startModules()
	for _, f := range files {
		s.moduleRequired(f, factories[f.module])
	}
	s.pydanticRequired(files)
}

// djangoRequired reads the settings chain the server imports. The names
// are those the collectstatic placeholders are made for (djangoRequiredEnv),
// each with the line that reads it; a SECRET_KEY read with os.getenv and
// no default is required too, since Django refuses an empty one.
func (s *pyScan) djangoRequired() {
	for _, file := range s.django.files {
		data, ok := pyRead(s.fsys, s.det, file)
		if !ok {
			continue
		}
		pyStartLines(data, "", func(n int, line string) {
			t := strings.TrimSpace(line)
			found := &djangoConf{required: map[string]string{}, schemeDefaults: s.django.schemeDefaults}
			s.djangoRequiredEnv(t, found)
			for _, name := range pySortedKeys(found.required) {
				s.det.RequireEnv(name, file, n, t)
			}
			if m := pySecretKeyReadRe.FindStringSubmatch(t); m != nil {
				s.det.RequireEnv(m[1], file, n, t+" (Django refuses an empty SECRET_KEY)")
			}
		})
	}
}

// moduleRequired reads one module's import-time code (and the body of the
// factory the server calls, when there is one).
func (s *pyScan) moduleRequired(f *pyFile, factory string) {
	envLib := pyEnvLibImportRe.Match(f.data)
	pyStartLines(f.data, factory, func(n int, line string) {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "#") {
			return
		}
		for _, m := range pyEnvironIndexRe.FindAllStringSubmatch(t, -1) {
			s.det.RequireEnv(m[2], f.path, n, t)
		}
		if envLib {
			found := &djangoConf{required: map[string]string{}, schemeDefaults: map[string]bool{}}
			s.djangoRequiredEnv(t, found)
			for _, name := range pySortedKeys(found.required) {
				if !pyPositionalDefault(t, name) {
					s.det.RequireEnv(name, f.path, n, t)
				}
			}
		}
	})
}

// startModules are the source files whose import-time code runs when the
// container starts: the module the start command names, then every module
// it imports at module level (and their parent packages), breadth first.
// factories maps a module to the app factory the server calls in it.
func (s *pyScan) startModules() ([]*pyFile, map[string]string) {
	factories := map[string]string{}
	var queue []string
	for i, a := range s.det.Start {
		switch {
		case strings.HasSuffix(a, ".py"):
			if f := s.src.file(path.Clean(a)); f != nil {
				queue = append(queue, f.module)
				factories[f.module] = pyMainGuard
			}
		case i > 0 && s.det.Start[i-1] == "-m":
			queue = append(queue, a)
			factories[a] = pyMainGuard
		case i > 0 && (s.det.Start[i-1] == "-A" || s.det.Start[i-1] == "--app"):
			queue = append(queue, strings.Split(a, ":")[0])
		case strings.HasPrefix(a, "--app="):
			queue = append(queue, strings.Split(strings.TrimPrefix(a, "--app="), ":")[0])
		default:
			if m := pyAppRefRe.FindStringSubmatch(a); m != nil {
				queue = append(queue, m[1])
				if m[3] != "" || pyHasArg(s.det.Start, "--factory") {
					factories[m[1]] = m[2]
				}
			}
		}
	}
	var out []*pyFile
	seen := map[string]bool{}
	for len(queue) > 0 && len(out) < pyMaxSourceFiles {
		mod := queue[0]
		queue = queue[1:]
		if mod == "" || seen[mod] {
			continue
		}
		seen[mod] = true
		// Importing a.b.c runs a/__init__.py and a/b/__init__.py first.
		if i := strings.LastIndex(mod, "."); i > 0 {
			queue = append(queue, mod[:i])
		}
		f := s.moduleFile(mod)
		if f == nil {
			continue
		}
		out = append(out, f)
		queue = append(queue, pyModuleImports(f)...)
	}
	return out, factories
}

// moduleFile is the scanned file of a dotted module name, or nil.
func (s *pyScan) moduleFile(mod string) *pyFile {
	for _, f := range s.src.files {
		if f.module == mod {
			return f
		}
	}
	return nil
}

// pyModuleImports are the modules f imports at module level, resolved
// against f's package; "from a import b" names a.b too, which may be a
// submodule.
func pyModuleImports(f *pyFile) []string {
	pkg := f.module
	if !strings.HasSuffix(f.path, "/__init__.py") {
		if i := strings.LastIndex(pkg, "."); i >= 0 {
			pkg = pkg[:i]
		} else {
			pkg = ""
		}
	}
	var mods []string
	pyStartLines(f.data, "", func(_ int, line string) {
		if line != strings.TrimLeft(line, " \t") {
			return // inside a class body or a conditional block: still imported, but keep to the plain case
		}
		m := pyImportLineRe.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			return
		}
		if m[1] != "" {
			for _, part := range strings.Split(m[1], ",") {
				mods = append(mods, strings.TrimSpace(part))
			}
			return
		}
		base := pyResolveRelative(pkg, m[2])
		mods = append(mods, base)
		for _, name := range strings.Split(m[3], ",") {
			// "x as y", "", or the "(" of a multi-line import.
			if f := strings.Fields(name); len(f) > 0 && f[0] != "*" {
				mods = append(mods, strings.TrimPrefix(base+"."+f[0], "."))
			}
		}
	})
	return mods
}

// pydanticRequired records the fields without a default of the pydantic
// BaseSettings classes the start modules instantiate at import time.
func (s *pyScan) pydanticRequired(files []*pyFile) {
	for _, f := range files {
		if !f.has("BaseSettings") {
			continue
		}
		for _, c := range pySettingsModels(f) {
			if !pyInstantiated(files, c.name) {
				continue
			}
			for _, fl := range c.fields {
				s.det.RequireEnv(fl.env, f.path, fl.line, fl.text+" (pydantic settings field with no default)")
			}
		}
	}
}

// pySettingsModel is a BaseSettings subclass and its fields that have no
// default.
type pySettingsModel struct {
	name   string
	fields []pyRequiredField
}

type pyRequiredField struct {
	env, text string
	line      int
}

// pySettingsModels reads the module-level BaseSettings classes of f.
func pySettingsModels(f *pyFile) []pySettingsModel {
	var out []pySettingsModel
	lines := strings.Split(string(f.data), "\n")
	for i := 0; i < len(lines); i++ {
		m := pyClassLineRe.FindStringSubmatch(lines[i])
		if m == nil || !strings.Contains(m[2], "BaseSettings") {
			continue
		}
		c := pySettingsModel{name: m[1]}
		prefix := ""
		bodyIndent := -1
		var fields []pyRequiredField
		j := i + 1
		for ; j < len(lines); j++ {
			l := lines[j]
			t := strings.TrimSpace(l)
			if t == "" || strings.HasPrefix(t, "#") {
				continue
			}
			ind := len(l) - len(strings.TrimLeft(l, " \t"))
			if ind == 0 {
				break
			}
			if p := pyEnvPrefixRe.FindStringSubmatch(t); p != nil {
				prefix = p[1]
			}
			if bodyIndent < 0 {
				bodyIndent = ind
			}
			if ind != bodyIndent {
				continue
			}
			if fl, ok := pyRequiredSetting(t); ok {
				fl.line = j + 1
				fields = append(fields, fl)
			}
		}
		for _, fl := range fields {
			if !strings.HasPrefix(fl.env, "=") {
				fl.env = strings.ToUpper(prefix + fl.env)
			} else {
				fl.env = fl.env[1:]
			}
			c.fields = append(c.fields, fl)
		}
		out = append(out, c)
		i = j - 1
	}
	return out
}

// pyRequiredSetting reads one class-body line as a settings field with no
// default. An alias is returned as "=NAME" (no prefix applies to it).
func pyRequiredSetting(t string) (pyRequiredField, bool) {
	m := pyFieldLineRe.FindStringSubmatch(t)
	if m == nil || m[1] == "model_config" {
		return pyRequiredField{}, false
	}
	annot, value, hasValue := pyCutAssign(m[2])
	if strings.Contains(annot, "ClassVar") || strings.Contains(annot, "Optional[") || strings.Contains(annot, "None") {
		return pyRequiredField{}, false
	}
	field := pyRequiredField{env: m[1], text: t}
	if a := pyAliasRe.FindStringSubmatch(t); a != nil {
		field.env = "=" + a[1]
	}
	if !hasValue {
		return field, true
	}
	return field, pyFieldRequired(strings.TrimSpace(value))
}

// pyFieldRequired reports whether a field's right-hand side gives no
// default: Field(...), Field() or Field with keywords other than default
// and default_factory.
func pyFieldRequired(v string) bool {
	args, ok := strings.CutPrefix(v, "Field(")
	if !ok || strings.Contains(args, "default") {
		return false
	}
	args = strings.TrimSpace(args)
	if strings.HasPrefix(args, "...") || strings.HasPrefix(args, ")") {
		return true
	}
	first, _, _ := strings.Cut(args, ",")
	return strings.Contains(first, "=")
}

// pyCutAssign splits "type = value" at the first "=" outside brackets
// that is not part of "==", "<=", ">=" or "!=".
func pyCutAssign(s string) (string, string, bool) {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '[', '(', '{':
			depth++
		case ']', ')', '}':
			depth--
		case '=':
			prev, next := byte(' '), byte(' ')
			if i > 0 {
				prev = s[i-1]
			}
			if i+1 < len(s) {
				next = s[i+1]
			}
			if depth == 0 && next != '=' && !strings.ContainsRune("=<>!", rune(prev)) {
				return s[:i], s[i+1:], true
			}
		}
	}
	return s, "", false
}

// pyInstantiated reports whether one of files creates class name at
// import time (settings = Settings()).
func pyInstantiated(files []*pyFile, name string) bool {
	re := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\(\s*\)`)
	for _, f := range files {
		if !f.has(name + "(") {
			continue
		}
		found := false
		pyStartLines(f.data, "", func(_ int, line string) {
			if !strings.HasPrefix(strings.TrimSpace(line), "class ") && re.MatchString(line) {
				found = true
			}
		})
		if found {
			return true
		}
	}
	return false
}

// pyMainGuard, as pyStartLines' factory, stands for the module's
// `if __name__ == "__main__":` block: the module is the one Python runs.
const pyMainGuard = "__main__"

// pyStartLines calls fn with each line of data that runs when the module
// is imported: everything but function bodies (class bodies run too) and
// the `if __name__ == "__main__":` block, plus the body of the function
// named factory (or that block, for pyMainGuard). Lines inside brackets
// or triple-quoted strings belong to the statement that opened them.
func pyStartLines(data []byte, factory string, fn func(n int, line string)) {
	defIndent := -1
	inFactory := false
	depth := 0
	inTriple := ""
	for i, line := range strings.Split(string(data), "\n") {
		cont := depth > 0 || inTriple != ""
		if !cont {
			t := strings.TrimSpace(line)
			if t != "" && !strings.HasPrefix(t, "#") {
				ind := len(line) - len(strings.TrimLeft(line, " \t"))
				if defIndent >= 0 && ind <= defIndent {
					defIndent, inFactory = -1, false
				}
				if defIndent < 0 && ind == 0 && pyMainGuardRe.MatchString(t) {
					defIndent, inFactory = 0, factory == pyMainGuard
					depth, inTriple = pyBrackets(line, depth, inTriple)
					continue
				}
				if defIndent < 0 {
					if m := pyDefLineRe.FindStringSubmatch(t); m != nil {
						defIndent = ind
						inFactory = factory != "" && m[1] == factory && ind == 0
						fn(i+1, line) // decorators and defaults run at import
						depth, inTriple = pyBrackets(line, depth, inTriple)
						continue
					}
				}
			}
		}
		if defIndent < 0 || inFactory {
			fn(i+1, line)
		}
		depth, inTriple = pyBrackets(line, depth, inTriple)
	}
}

// pyBrackets carries the bracket depth and an open triple-quoted string
// across one line, skipping string literals and comments.
func pyBrackets(line string, depth int, triple string) (int, string) {
	for i := 0; i < len(line); i++ {
		if triple != "" {
			if strings.HasPrefix(line[i:], triple) {
				i += 2
				triple = ""
			}
			continue
		}
		switch c := line[i]; c {
		case '#':
			return depth, triple
		case '"', '\'':
			q := string(c)
			if strings.HasPrefix(line[i:], q+q+q) {
				triple = q + q + q
				i += 2
				continue
			}
			for i++; i < len(line) && line[i] != c; i++ {
				if line[i] == '\\' {
					i++
				}
			}
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return depth, triple
}

// pyPositionalDefault reports whether a typed accessor passes name a
// default as its second positional argument (environs' and
// django-environ's env.int("WORKERS", 2)); env("X", str) passes a cast.
func pyPositionalDefault(line, name string) bool {
	re := regexp.MustCompile(`\benv\.\w+\(\s*["']` + regexp.QuoteMeta(name) + `["']\s*,\s*([^,)]+)`)
	m := re.FindStringSubmatch(line)
	return m != nil && !strings.Contains(m[1], "=")
}

func pyHasArg(argv []string, arg string) bool {
	for _, a := range argv {
		if a == arg {
			return true
		}
	}
	return false
}

func pySortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
