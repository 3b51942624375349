package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testPlan() *Plan {
	port := 8080
	return &Plan{
		Language: "go", PackageManager: "gomod", LanguageVersion: "1.24", Port: &port,
		Start: []string{"/app"}, Template: "go",
		Dockerignore: []string{".git", "**/.env"},
	}
}

func TestRenderTemplateOverride(t *testing.T) {
	dir := t.TempDir()
	tmpl := "# custom {{ .Language }} {{ .LanguageVersion }}\nFROM scratch\nCMD {{ exec .Start }}\n"
	if err := os.WriteFile(filepath.Join(dir, "go.Dockerfile.tmpl"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := Render(testPlan(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(files[0].Data); got != "# custom go 1.24\nFROM scratch\nCMD [\"/app\"]\n" {
		t.Errorf("Dockerfile = %q, want the override rendered", got)
	}
	// The .dockerignore template was not overridden: the embedded one runs.
	if !strings.Contains(string(files[1].Data), "**/.env") {
		t.Errorf(".dockerignore = %q, want the embedded template's output", files[1].Data)
	}
}

func TestRenderTemplateErrorNamesTemplateAndLine(t *testing.T) {
	dir := t.TempDir()
	tmpl := "FROM scratch\n\n{{ .NoSuchField }}\n"
	if err := os.WriteFile(filepath.Join(dir, "go.Dockerfile.tmpl"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Render(testPlan(), dir)
	if err == nil {
		t.Fatal("Render succeeded with an unknown field")
	}
	for _, want := range []string{"go.Dockerfile.tmpl:3", "NoSuchField", "--templates"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "go.Dockerfile.tmpl"), []byte("FROM x\n{{ if }}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Render(testPlan(), dir); err == nil || !strings.Contains(err.Error(), "go.Dockerfile.tmpl:2") {
		t.Errorf("parse error %v does not name template and line", err)
	}
}

func TestRenderIsHermetic(t *testing.T) {
	for _, fn := range []string{"env", "expandenv", "now", "randAlpha", "uuidv4", "date"} {
		if _, ok := FuncMap()[fn]; ok {
			t.Errorf("template function %q is available; templates must be hermetic", fn)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.Dockerfile.tmpl"), []byte(`{{ env "HOME" }}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Render(testPlan(), dir); err == nil {
		t.Error("a template calling env rendered")
	}
}

func TestRenderRefusesLineBreaks(t *testing.T) {
	p := testPlan()
	p.Start = []string{"/app", "x\nRUN rm -rf /"}
	_, err := Render(p, "")
	if err == nil || !strings.Contains(err.Error(), "plan.start[1]") {
		t.Fatalf("err = %v, want a refusal naming plan.start[1]", err)
	}
}

func TestQuoting(t *testing.T) {
	got, err := ExecForm([]string{"node", `a "b" <c> & $HOME \ d`})
	if err != nil {
		t.Fatal(err)
	}
	if want := `["node","a \"b\" <c> & $HOME \\ d"]`; got != want {
		t.Errorf("ExecForm = %s, want %s", got, want)
	}
	for in, want := range map[string]string{"plain": "plain", "a b": "'a b'", "it's": `"it's"`, "$(id)": "'$(id)'"} {
		got, err := ShellQuote(in)
		if err != nil || got != want {
			t.Errorf("ShellQuote(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestTidy(t *testing.T) {
	got := string(tidy([]byte("\n\nFROM a  \n\n\n\nRUN b\n\n")))
	if got != "FROM a\n\nRUN b\n" {
		t.Errorf("tidy = %q", got)
	}
}

func TestDockerignoreKeepsCommonAndLanguageEntries(t *testing.T) {
	p := &Plan{Dockerignore: []string{"# Go", "bin/", ".git"}, keep: []string{"**/.npmrc"}}
	lines := Dockerignore(p)
	joined := "\n" + strings.Join(lines, "\n") + "\n"
	for _, want := range []string{"\n.git\n", "\n**/.env\n", "\n**/.env.*\n", "\n**/*.pem\n", "\nbin/\n", "\n# Go\n"} {
		if !strings.Contains(joined, want) {
			t.Errorf(".dockerignore lacks %q", strings.TrimSpace(want))
		}
	}
	if strings.Count(joined, "\n.git\n") != 1 {
		t.Error(".git listed twice")
	}
	if strings.Contains(joined, "\n**/.npmrc\n") {
		t.Error("a kept pattern was written")
	}
}
