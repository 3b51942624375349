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

// A partial (_*.tmpl) is parsed with every template and overridden by
// name: one file changes what several templates share.
func TestRenderPartialOverride(t *testing.T) {
	dir := t.TempDir()
	tmpl := "FROM scratch\n{{ template \"why\" \"a reason\" }}\nCMD {{ exec .Start }}\n"
	if err := os.WriteFile(filepath.Join(dir, "go.Dockerfile.tmpl"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := Render(testPlan(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(files[0].Data); got != "FROM scratch\n# a reason.\nCMD [\"/app\"]\n" {
		t.Errorf("embedded partial: Dockerfile = %q", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "_common.tmpl"), []byte(`{{ define "why" }}# WHY: {{ . }}{{ end }}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if files, err = Render(testPlan(), dir); err != nil {
		t.Fatal(err)
	}
	if got := string(files[0].Data); got != "FROM scratch\n# WHY: a reason\nCMD [\"/app\"]\n" {
		t.Errorf("overridden partial: Dockerfile = %q", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "_common.tmpl"), []byte(`{{ define "why" }}{{ end`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Render(testPlan(), dir); err == nil || !strings.Contains(err.Error(), "_common.tmpl") {
		t.Errorf("a broken partial: %v, want an error naming _common.tmpl", err)
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

func TestCommentNeverEndsOnALoneWord(t *testing.T) {
	for _, text := range []string{
		"Production dependencies only: there is no build step that needs the dev ones.",
		"Node 25 and later no longer bundle corepack: install it from npm, then let it install pnpm 9.15.9, as pinned by \"packageManager\" in package.json.",
		"short.",
		strings.Repeat("word ", 60) + "end.",
	} {
		got := Comment(text)
		lines := strings.Split(got, "\n")
		var words []string
		for _, l := range lines {
			if !strings.HasPrefix(l, "# ") || len(l) > 78 {
				t.Errorf("Comment(%q): line %q is not a comment of at most 78 columns", text, l)
			}
			words = append(words, strings.Fields(strings.TrimPrefix(l, "# "))...)
		}
		if strings.Join(words, " ") != strings.Join(strings.Fields(text), " ") {
			t.Errorf("Comment(%q) lost or changed words: %q", text, got)
		}
		if len(lines) > 1 && !strings.Contains(strings.TrimPrefix(lines[len(lines)-1], "# "), " ") {
			t.Errorf("Comment(%q) ends on a lone word:\n%s", text, got)
		}
	}
	if got := Comment("  "); got != "" {
		t.Errorf("Comment of nothing = %q", got)
	}
}
