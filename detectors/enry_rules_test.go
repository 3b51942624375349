package detectors

import (
	"path"
	"testing"

	"github.com/go-enry/go-enry/v2"
	"github.com/go-enry/go-enry/v2/data"
	"github.com/go-enry/go-enry/v2/regex"
)

// TestEnryRulesMatchGoEnry holds enry_rules.go to the go-enry in go.mod:
// the same extension table and patterns, and the same answers as enry's own
// functions on paths that exercise every rule. When it fails after an
// upgrade of go-enry, run `go generate ./detectors`.
func TestEnryRulesMatchGoEnry(t *testing.T) {
	r := enryRules()
	eco := enryLanguageEcosystems()
	// firstEco is the ecosystem go-enry's own lookup gives p.
	firstEco := func(p string) string {
		if langs := enry.GetLanguagesByExtension(p, nil, nil); len(langs) > 0 {
			return eco[langs[0]]
		}
		return ""
	}
	for ext, langs := range data.LanguagesByExtension {
		if len(langs) == 0 {
			continue
		}
		if want, ours := eco[langs[0]]; ours && r.byExtension[ext] != want {
			t.Errorf("extension %q: enry_rules.go says %q, go-enry %v: run go generate ./detectors", ext, r.byExtension[ext], langs)
		}
	}
	for ext, e := range r.byExtension {
		if langs := data.LanguagesByExtension[ext]; len(langs) == 0 || (e != "" && eco[langs[0]] != e) {
			t.Errorf("extension %q: enry_rules.go says %q, go-enry %v: run go generate ./detectors", ext, e, langs)
		}
	}
	if r.vendor.String() != data.FastVendorMatcher.String() {
		t.Error("vendor pattern differs from go-enry's FastVendorMatcher: run go generate ./detectors")
	}
	samePatterns(t, "documentation", enryDocumentationPatterns[:], data.DocumentationMatchers)
	samePatterns(t, "test", enryTestPatterns[:], data.TestMatchers)

	paths := []string{
		"main.go", "cmd/app/main_test.go", "internal/x.GO", "a.b/c", "Makefile", "noext",
		"app.py", "tests/test_app.py", "docs/conf.py", "README.md", "setup.py",
		"src/index.ts", "src/index.spec.ts", "src/App.test.tsx", "types/index.d.ts",
		"web/app.vue", "web/App.svelte", "site/page.astro", "lib/jquery-3.7.1.js",
		"public/bootstrap.min.js", "node_modules/x/index.js", "vendor/github.com/a/b.go",
		"third_party/lib.py", "dist/bundle.js", "examples/demo/main.go", "Docs/guide.md",
		"archive.tar.gz", "script.PY", "x.spec.rb", "weird..ts", ".hidden.js", "d3.v7.js",
	}
	for _, p := range paths {
		if got, want := r.ecosystem(p), firstEco(p); got != want {
			t.Errorf("ecosystem(%q) = %q, go-enry %q", p, got, want)
		}
		if got, want := r.vendor.MatchString(p), enry.IsVendor(p); got != want {
			t.Errorf("vendor(%q) = %v, go-enry %v", p, got, want)
		}
		if got, want := matchAny(r.documentation, p), enry.IsDocumentation(p); got != want {
			t.Errorf("documentation(%q) = %v, go-enry %v", p, got, want)
		}
		if got, want := matchAny(r.test, p), enry.IsTest(p); got != want {
			t.Errorf("test(%q) = %v, go-enry %v", p, got, want)
		}
	}
	// Every extension, alone, under a folder, before and after one of
	// dgen's, resolves to the ecosystem go-enry's lookup gives.
	for ext := range data.LanguagesByExtension {
		for _, p := range []string{"f" + ext, path.Join("src", "F"+ext), "x" + ext + ".ts", "y.py" + ext} {
			if got, want := r.ecosystem(p), firstEco(p); got != want {
				t.Errorf("ecosystem(%q) = %q, go-enry %q", p, got, want)
			}
		}
	}
}

func samePatterns(t *testing.T, name string, ours []string, theirs []regex.EnryRegexp) {
	t.Helper()
	if len(ours) != len(theirs) {
		t.Errorf("%d %s patterns, go-enry has %d: run go generate ./detectors", len(ours), name, len(theirs))
		return
	}
	for i := range ours {
		if ours[i] != theirs[i].String() {
			t.Errorf("%s pattern %d is %q, go-enry's %q: run go generate ./detectors", name, i, ours[i], theirs[i].String())
		}
	}
}
