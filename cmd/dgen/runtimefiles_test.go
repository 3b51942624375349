package main

import (
	"strings"
	"testing"
)

// The plan summary lists the files copied for the program's start and
// the folders it may write, each with the code that asks for it.
func TestPlanTextListsRuntimeFilesAndWritable(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"go.mod":  "module example.com/app\n\ngo 1.26\n",
		"VERSION": "1.0.0\n",
		"main.go": "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\tos.ReadFile(\"VERSION\")\n\tos.MkdirAll(\"data\", 0o750)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
	})
	r := runDgen(t, nil, nil, "plan", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"runtime file", "/app/VERSION", "main.go:9: os.ReadFile(\"VERSION\")", "writable", "/app/data", "main.go:10: os.MkdirAll(\"data\", 0o750)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan output lacks %q:\n%s", want, r.stdout)
		}
	}
}
