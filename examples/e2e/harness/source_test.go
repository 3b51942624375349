package harness

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestPickSourceFile(t *testing.T) {
	src := []byte("x\n")
	tests := []struct {
		name   string
		files  fstest.MapFS
		ignore []string
		want   string
		err    string
	}{
		{"entry file first", fstest.MapFS{"a.go": {Data: src}, "cmd/api/main.go": {Data: src}, "z.go": {Data: src}}, nil, "cmd/api/main.go", ""},
		{"nearest the root", fstest.MapFS{"internal/books/books.go": {Data: src}, "util.go": {Data: src}}, nil, "util.go", ""},
		{"tests and configs skipped", fstest.MapFS{
			"main_test.go": {Data: src}, "src/greeting.test.js": {Data: src}, "vite.config.js": {Data: src},
			"tests/test_app.py": {Data: src}, "src/greeting.js": {Data: src},
		}, nil, "src/greeting.js", ""},
		{"ignored files skipped", fstest.MapFS{"server.js": {Data: src}, "scripts/seed.js": {Data: src}}, []string{"server.js"}, "scripts/seed.js", ""},
		{"ignored folders skipped", fstest.MapFS{"docs/example.py": {Data: src}, "app/views.py": {Data: src}}, []string{"docs"}, "app/views.py", ""},
		{"node_modules and dot folders skipped", fstest.MapFS{
			"node_modules/x/index.js": {Data: src}, ".next/server.js": {Data: src}, "app/page.js": {Data: src},
		}, nil, "app/page.js", ""},
		{"manage.py for Django", fstest.MapFS{"mysite/settings.py": {Data: src}, "manage.py": {Data: src}}, nil, "manage.py", ""},
		{"nothing to edit", fstest.MapFS{"README.md": {Data: src}, "go.mod": {Data: src}}, nil, "", "no source file"},
		{"everything ignored", fstest.MapFS{"main.go": {Data: src}}, []string{"*", "!go.mod"}, "", "no source file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PickSourceFile(tt.files, tt.ignore)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %q, %v; want error %q", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestReadIgnore(t *testing.T) {
	got := ReadIgnore([]byte("# comment\n.git\n\n  node_modules  \n!keep.txt\n"))
	want := []string{".git", "node_modules", "!keep.txt"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestEditComment(t *testing.T) {
	tests := map[string]string{
		"main.go":         "\n// dgen e2e: one-file change\n",
		"app.py":          "\n# dgen e2e: one-file change\n",
		"src/App.tsx":     "\n// dgen e2e: one-file change\n",
		"src/App.vue":     "\n<!-- dgen e2e: one-file change -->\n",
		"package.json":    "",
		"styles/main.css": "",
	}
	for file, want := range tests {
		if got := EditComment(file); got != want {
			t.Errorf("EditComment(%s) = %q, want %q", file, got, want)
		}
	}
}
