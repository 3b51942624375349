package generator_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dgen-dev/dgen/generator"
)

func TestGitignoreEnv(t *testing.T) {
	for name, tc := range map[string]struct {
		have string // "" for no file
		want string // "" for no change
	}{
		"none":          {"", "# Added by dgen: .env holds compose.yaml's secrets\n.env\n"},
		"own lines":     {"node_modules\n*.log", "node_modules\n*.log\n\n# Added by dgen: .env holds compose.yaml's secrets\n.env\n"},
		"already":       {"venv/\n.env\n", ""},
		"rooted":        {"/.env\n", ""},
		"wildcard":      {".env*\n", ""},
		"only examples": {".env.local\n", ".env.local\n\n# Added by dgen: .env holds compose.yaml's secrets\n.env\n"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.have != "" {
				if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(tc.have), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			f, err := generator.GitignoreEnv(dir)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.want == "" && f != nil:
				t.Errorf("changed a .gitignore that ignores .env: %q", f.Data)
			case tc.want != "" && (f == nil || string(f.Data) != tc.want):
				t.Errorf("got %v, want %q", f, tc.want)
			}
			if f == nil {
				return
			}
			changes, err := generator.Changes(dir, []generator.File{*f})
			if err != nil {
				t.Fatal(err)
			}
			if c := changes[0]; c.Exists && !c.AppendOnly() {
				t.Error("the user's .gitignore lines were not kept as they are")
			}
		})
	}
}
