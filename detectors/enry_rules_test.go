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
	if len(r.byExtension) != len(data.LanguagesByExtension) {
		t.Errorf("enry_rules.go has %d extensions, go-enry %d: run go generate ./detectors", len(r.byExtension), len(data.LanguagesByExtension))
	}
	for ext, langs := range data.LanguagesByExtension {
		if len(langs) == 0 || r.byExtension[ext] != langs[0] {
			t.Errorf("extension %q: enry_rules.go says %q, go-enry %v: run go generate ./detectors", ext, r.byExtension[ext], langs)
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
		var want string
		if langs := enry.GetLanguagesByExtension(p, nil, nil); len(langs) > 0 {
			want = langs[0]
		}
		if got := r.language(p); got != want {
			t.Errorf("language(%q) = %q, go-enry %q", p, got, want)
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
	// Every extension, alone and under a folder, resolves as go-enry does.
	for ext := range data.LanguagesByExtension {
		for _, p := range []string{"f" + ext, path.Join("src", "F"+ext)} {
			var want string
			if langs := enry.GetLanguagesByExtension(p, nil, nil); len(langs) > 0 {
				want = langs[0]
			}
			if got := r.language(p); got != want {
				t.Errorf("language(%q) = %q, go-enry %q", p, got, want)
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
