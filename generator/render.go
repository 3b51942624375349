package generator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"mvdan.cc/sh/v3/syntax"

	"github.com/dgen-dev/dgen/templates"
)

// File is one generated file.
type File struct {
	// Name is the file name relative to the target folder.
	Name string
	// Data is the content.
	Data []byte
}

// Render renders the Plan through the templates: the embedded ones, each
// overridden by a file of the same name in overrideDir when overrideDir is
// not "". It returns the Dockerfile and the .dockerignore, in that order,
// then compose.yaml and .env.example when the Plan has a compose section.
func Render(p *Plan, overrideDir string) ([]File, error) {
	if err := checkPlanStrings(reflect.ValueOf(p).Elem(), "plan"); err != nil {
		return nil, err
	}
	var over fs.FS
	if overrideDir != "" {
		st, err := os.Stat(overrideDir)
		if err != nil {
			return nil, badInputf("--templates %s: %v", overrideDir, err)
		}
		if !st.IsDir() {
			return nil, badInputf("--templates %s: not a folder", overrideDir)
		}
		over = os.DirFS(overrideDir)
	}
	var out []File
	for _, f := range []struct{ name, tmpl string }{
		{"Dockerfile", p.Template + ".Dockerfile.tmpl"},
		{".dockerignore", "dockerignore.tmpl"},
	} {
		data, err := renderOne(f.tmpl, over, p)
		if err != nil {
			return nil, err
		}
		out = append(out, File{Name: f.name, Data: data})
	}
	if p.Compose != nil {
		files, err := renderCompose(p, over)
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	return out, nil
}

// TemplateNames lists the embedded templates, for docs and `--templates`.
func TemplateNames() []string {
	ents, _ := fs.ReadDir(templates.FS, ".")
	var names []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmpl") {
			names = append(names, e.Name())
		}
	}
	return names
}

// partialNames lists the embedded partials: templates whose name starts
// with "_" hold only {{ define }} blocks that the Dockerfile templates
// share (the "why" comment, the Node build stage). Each is parsed with
// every template and can be overridden by name like any other.
func partialNames() []string {
	var names []string
	for _, n := range TemplateNames() {
		if strings.HasPrefix(n, "_") {
			names = append(names, n)
		}
	}
	return names
}

// readTemplate reads a template from the override folder, else the
// embedded set, and says where it came from.
func readTemplate(name string, over fs.FS) (src []byte, origin string, err error) {
	if over != nil {
		if b, oerr := fs.ReadFile(over, name); oerr == nil {
			return b, "template " + name + " from --templates", nil
		} else if !errors.Is(oerr, fs.ErrNotExist) {
			return nil, "", badInputf("read template %s: %v", name, oerr)
		}
	}
	src, err = fs.ReadFile(templates.FS, name)
	if err != nil {
		return nil, "", fmt.Errorf("no template %s for this plan: %w", name, err)
	}
	return src, "embedded template " + name, nil
}

func renderOne(name string, over fs.FS, p *Plan) ([]byte, error) {
	src, origin, err := readTemplate(name, over)
	if err != nil {
		return nil, err
	}
	t := template.New(name).Option("missingkey=error").Funcs(FuncMap())
	// Partials first, so a template may redefine what it needs itself.
	for _, partial := range partialNames() {
		psrc, porigin, err := readTemplate(partial, over)
		if err != nil {
			return nil, err
		}
		if _, err := t.New(partial).Parse(string(psrc)); err != nil {
			return nil, badInputf("%s: %v", porigin, err)
		}
	}
	if _, err := t.Parse(string(src)); err != nil {
		return nil, badInputf("%s: %v", origin, err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		return nil, badInputf("%s: %v", origin, err)
	}
	return tidy(buf.Bytes()), nil
}

// tidy collapses runs of blank lines left by template actions and ends the
// file with exactly one newline, so output is stable byte for byte.
func tidy(b []byte) []byte {
	lines := strings.Split(strings.TrimRight(string(b), "\n \t"), "\n")
	var out []string
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			if blank || len(out) == 0 {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return []byte(strings.Join(out, "\n") + "\n")
}

// envName is a variable name that is safe as an ENV key.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// nonHermetic are sprig functions that read the environment, the network
// or the clock, or give different bytes on every call (random values and
// salts, generated keys). HermeticTxtFuncMap already drops some of them;
// the rest go here, so the same Plan always renders the same bytes.
var nonHermetic = []string{
	"env", "expandenv", "getHostByName",
	"now", "date", "dateInZone", "date_in_zone", "ago", "dateModify", "date_modify", "mustDateModify", "must_date_modify", "unixEpoch", "duration", "durationRound", "htmlDate", "htmlDateInZone", "toDate", "mustToDate",
	"randInt", "randBytes", "randAlpha", "randAlphaNum", "randAscii", "randNumeric", "shuffle", "uuidv4",
	"bcrypt", "htpasswd", "encryptAES", "derivePassword",
	"genPrivateKey", "genCA", "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "buildCustomCert",
}

// FuncMap is what templates may call: sprig's hermetic helpers (no env,
// no randomness, no clock) plus dgen's quoting helpers. Every value that
// comes from the repository must pass through one of these.
func FuncMap() template.FuncMap {
	fm := sprig.HermeticTxtFuncMap()
	for _, k := range nonHermetic {
		delete(fm, k)
	}
	fm["exec"] = ExecForm
	fm["sh"] = ShellQuote
	fm["jsonString"] = JSONString
	fm["comment"] = Comment
	fm["composeExec"] = ComposeExec
	return fm
}

// commentWidth is the widest comment line Comment writes, "# " included.
const commentWidth = 78

// Comment renders text as Dockerfile comment lines ("# …") at most
// commentWidth columns wide. Among the widths that fit, it takes the
// widest that does not leave a single word alone on the last line, so a
// reason never ends on a lone word.
func Comment(text string) string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return ""
	}
	max := commentWidth - 2
	lines := fillWords(words, max)
	// Narrowing moves words down to the last line; it helps only while
	// the number of lines stays the same.
	for width := max - 1; len(lines) > 1 && loneLast(lines) && width >= max*3/4; width-- {
		narrower := fillWords(words, width)
		if len(narrower) != len(lines) {
			break
		}
		if !loneLast(narrower) {
			lines = narrower
		}
	}
	return "# " + strings.Join(lines, "\n# ")
}

// loneLast reports whether the last line holds a single word.
func loneLast(lines []string) bool {
	return !strings.Contains(lines[len(lines)-1], " ")
}

// fillWords fills lines of at most width columns greedily; a word longer
// than width has a line of its own.
func fillWords(words []string, width int) []string {
	var lines []string
	cur := ""
	for _, w := range words {
		switch {
		case cur == "":
			cur = w
		case len(cur)+1+len(w) <= width:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	return append(lines, cur)
}

// ExecForm renders argv as a JSON array for exec-form instructions
// (ENTRYPOINT, CMD, HEALTHCHECK, COPY with odd paths). Nothing in it is
// interpreted by a shell.
func ExecForm(argv []string) (string, error) {
	if argv == nil {
		argv = []string{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(argv); err != nil {
		return "", err
	}
	return strings.TrimSpace(buf.String()), nil
}

// JSONString renders s as one JSON string literal.
func JSONString(s string) (string, error) {
	out, err := ExecForm([]string{s})
	if err != nil {
		return "", err
	}
	return out[1 : len(out)-1], nil
}

// ShellQuote quotes s as one word for a shell-form RUN, so that no
// character in it (spaces, quotes, $, backticks, ;) is interpreted.
func ShellQuote(s string) (string, error) {
	q, err := syntax.Quote(s, syntax.LangPOSIX)
	if err != nil {
		return "", fmt.Errorf("cannot quote %q for a shell: %w", s, err)
	}
	return q, nil
}

// checkPlanStrings refuses a Plan holding a string with a newline, carriage
// return or NUL in any field a template renders: such a value could end
// an instruction and start another, whatever the quoting.
func checkPlanStrings(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.String:
		if strings.ContainsAny(v.String(), "\n\r\x00") {
			return badInputf("%s: value %q holds a line break or NUL, which cannot be written into a Dockerfile safely; fix it in the repository or override it with a flag", path, v.String())
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return checkPlanStrings(v.Elem(), path)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			switch f.Name {
			case "Evidence", "Notes", "Decisions", "Problems":
				continue // shown to the user, never rendered
			}
			name := f.Name
			if tag := strings.Split(f.Tag.Get("json"), ",")[0]; tag != "" && tag != "-" {
				name = tag
			}
			if err := checkPlanStrings(v.Field(i), path+"."+name); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := checkPlanStrings(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if err := checkPlanStrings(v.MapIndex(k), fmt.Sprintf("%s[%v]", path, k)); err != nil {
				return err
			}
		}
	}
	return nil
}
