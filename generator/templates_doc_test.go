package generator_test

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/generator"
)

// planJSONFields returns every JSON field name reachable from t: the
// Plan's own fields, its sub-plans' and their nested structs', with the
// Go path of one place each name is found (for the error message).
func planJSONFields(t reflect.Type, path string, seen map[reflect.Type]bool, out map[string]string) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, ok := out[name]; !ok {
			out[name] = path + "." + f.Name
		}
		planJSONFields(f.Type, path+"."+f.Name, seen, out)
	}
}

// TestTemplatesDocCoversPlan fails when a JSON field of the Plan (the
// templates' data model, recursively through GoPlan, PythonPlan, NodePlan
// and their nested types) is not mentioned in docs/templates.md as
// `name`, so the data-model documentation cannot go stale. It also wants
// every embedded template and every dgen helper function named there.
func TestTemplatesDocCoversPlan(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "templates.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	fields := map[string]string{}
	planJSONFields(reflect.TypeOf(generator.Plan{}), "Plan", map[reflect.Type]bool{}, fields)
	if len(fields) < 40 {
		t.Fatalf("found only %d JSON fields in Plan; the walk is broken", len(fields))
	}
	var missing []string
	for name, where := range fields {
		if !strings.Contains(doc, "`"+name+"`") {
			missing = append(missing, name+" ("+where+")")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("docs/templates.md does not document the Plan field `%s`", m)
	}
	for _, name := range generator.TemplateNames() {
		if !strings.Contains(doc, "`"+name+"`") {
			t.Errorf("docs/templates.md does not name the embedded template `%s`", name)
		}
	}
	fm := generator.FuncMap()
	for _, fn := range []string{"exec", "sh", "jsonString"} {
		if _, ok := fm[fn]; !ok {
			t.Errorf("FuncMap has no %s, which docs/templates.md documents", fn)
		}
		if !strings.Contains(doc, "`"+fn+"`") {
			t.Errorf("docs/templates.md does not document the helper `%s`", fn)
		}
	}
}

// TestTemplatesDocUnavailableFuncs checks what docs/templates.md says is
// not available to templates: each function listed on the line that
// starts "Not available:" must really be missing from FuncMap.
func TestTemplatesDocUnavailableFuncs(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "templates.md"))
	if err != nil {
		t.Fatal(err)
	}
	var line string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "Not available:") {
			line = l
		}
	}
	names := regexp.MustCompile("`([A-Za-z0-9_]+)`").FindAllStringSubmatch(line, -1)
	if len(names) < 5 {
		t.Fatalf("docs/templates.md has no \"Not available:\" line listing the missing functions (found %q)", line)
	}
	fm := generator.FuncMap()
	for _, m := range names {
		if _, ok := fm[m[1]]; ok {
			t.Errorf("docs/templates.md says %s is not available to templates, but FuncMap has it", m[1])
		}
	}
}

var goldenMarkerRe = regexp.MustCompile(`^<!--\s*golden:\s*(\S+)\s*-->\s*$`)

// TestDocsGoldenExcerpts keeps the Dockerfile excerpts in the docs true:
// a fenced block right after <!-- golden: examples/<name>/<file> --> must
// appear, as consecutive lines, in that checked-in golden file.
func TestDocsGoldenExcerpts(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, filepath.Join("..", "README.md"), filepath.Join("..", "examples", "README.md"))
	checked := 0
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for i := 0; i < len(lines); i++ {
			m := goldenMarkerRe.FindStringSubmatch(lines[i])
			if m == nil {
				continue
			}
			if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "```") {
				t.Errorf("%s:%d: golden marker not followed by a fenced block", page, i+1)
				continue
			}
			var block []string
			j := i + 2
			for ; j < len(lines) && !strings.HasPrefix(lines[j], "```"); j++ {
				block = append(block, lines[j])
			}
			golden, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(m[1])))
			if err != nil {
				t.Errorf("%s:%d: %v", page, i+1, err)
				continue
			}
			checked++
			if !containsLines(strings.Split(string(golden), "\n"), block) {
				t.Errorf("%s:%d: the excerpt is not in %s as it is now; copy it again from the file (the example's output changed)", page, i+1, m[1])
			}
			i = j
		}
	}
	if checked == 0 {
		t.Error("no golden excerpts found in the docs")
	}
}

// containsLines reports whether want appears in have as consecutive lines.
func containsLines(have, want []string) bool {
	if len(want) == 0 {
		return false
	}
	for i := 0; i+len(want) <= len(have); i++ {
		ok := true
		for k := range want {
			if have[i+k] != want[k] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// TestExamplesIndexComplete fails when an example is missing from
// examples/README.md, or its row does not link its Dockerfile and
// .dockerignore.
func TestExamplesIndexComplete(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "examples", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	index := string(data)
	for _, dir := range exampleDirs(t) {
		name := filepath.Base(dir)
		for _, link := range []string{"[" + name + "](" + name + "/)", "(" + name + "/Dockerfile)", "(" + name + "/.dockerignore)"} {
			if !strings.Contains(index, link) {
				t.Errorf("examples/README.md lacks %s for the example %s", link, name)
			}
		}
	}
}
