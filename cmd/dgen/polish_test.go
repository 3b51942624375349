package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator"
	"github.com/dgen-dev/dgen/generator/prompttest"
)

// A Go version below the go line is refused: re-asked at the prompt, an
// error naming go.mod for the flag.
func TestGoVersionBelowGoLine(t *testing.T) {
	dir := writeRepo(t, goService) // go 1.24
	r := runDgen(t, nil, nil, "plan", "--dir", dir, "--language-version", "1.22")
	if r.code != exitBadInput || !strings.Contains(r.stderr, "go.mod requires (go 1.24)") || !strings.Contains(r.stderr, "use 1.24 or newer") {
		t.Errorf("flag below the go line: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := runDgen(t, nil, nil, "plan", "--dir", dir, "--language-version", "1.25"); r.code != 0 {
		t.Errorf("a version above the go line refused: exit %d, %s", r.code, r.stderr)
	}
	fake := prompttest.New(t,
		prompttest.Step{Key: "accept", Answer: false},
		prompttest.Step{Key: "port"},
		prompttest.Step{Key: "languageVersion", Answer: "1.22"},
		prompttest.Step{Key: "languageVersion", Answer: "1.26"},
		prompttest.Step{Key: "start"},
		prompttest.Step{Key: "compose"}, // Enter: as detected
		prompttest.Step{Key: "accept"},
		prompttest.Step{Key: "saveConfig", Answer: false},
	)
	r = runDgen(t, fake, nil, "init", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if len(fake.Refused) != 1 || !strings.Contains(fake.Refused[0], "older than Go 1.24") || strings.Contains(fake.Refused[0], "--") {
		t.Errorf("refused %q, want one refusal of 1.22 that names no flag", fake.Refused)
	}
}

// "keep mine" says the file was kept, never that nothing differs, and the
// docker run line publishes the port of the Dockerfile kept on disk.
func TestKeepMineReport(t *testing.T) {
	dir := writeRepo(t, goService)
	mine := "FROM scratch\nEXPOSE 3000/tcp\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runDgen(t, nil, nil, "init", "--yes", "--dir", dir, "--force"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	fake := prompttest.New(t,
		prompttest.Step{Key: "accept"},
		prompttest.Step{Key: "overwrite:Dockerfile"}, // Enter: keep mine
	)
	r := runDgen(t, fake, nil, "init", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "nothing to write") {
		t.Errorf("says nothing differs although the Dockerfile was kept:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "kept your "+filepath.Join(dir, "Dockerfile")) || !strings.Contains(r.stderr, "--diff") {
		t.Errorf("no word on the kept file and --diff:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "docker run --rm -p 3000:3000") {
		t.Errorf("docker run does not use the kept Dockerfile's port:\n%s", r.stderr)
	}
}

// --force merges dgen's lines into a hand-written .dockerignore unless
// --replace is given, and says which happened; one dgen wrote is replaced.
func TestForceMergesHandWrittenIgnore(t *testing.T) {
	dir := writeRepo(t, goService)
	ign := filepath.Join(dir, ".dockerignore")
	if err := os.WriteFile(ign, []byte("my-data/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runDgen(t, nil, nil, "init", "--yes", "--force", "--dir", dir)
	got := readFile(t, ign)
	if r.code != 0 || !strings.HasPrefix(got, "my-data/\n") || !strings.Contains(got, "**/.env") || !strings.Contains(r.stderr, "merged") {
		t.Fatalf("--force did not merge: exit %d, stderr %q\n%s", r.code, r.stderr, got)
	}
	if err := os.WriteFile(ign, []byte("my-data/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runDgen(t, nil, nil, "init", "--yes", "--force", "--replace", "--dir", dir)
	got = readFile(t, ign)
	if r.code != 0 || strings.Contains(got, "my-data/") || !generator.WrittenByDgen([]byte(got)) || !strings.Contains(r.stderr, "replaced") {
		t.Fatalf("--force --replace did not replace: exit %d, stderr %q\n%s", r.code, r.stderr, got)
	}
	// dgen's own (older) file is replaced by --force without a merge.
	old := strings.Replace(got, ".git\n", "", 1)
	if err := os.WriteFile(ign, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runDgen(t, nil, nil, "init", "--yes", "--force", "--dir", dir)
	if r.code != 0 || readFile(t, ign) != got || strings.Contains(r.stderr, "merged") {
		t.Errorf("dgen's own .dockerignore not replaced: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := runDgen(t, nil, nil, "init", "--yes", "--replace", "--dir", dir); r.code != exitBadInput || !strings.Contains(r.stderr, "--force") {
		t.Errorf("--replace without --force: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestRefusalGrammar(t *testing.T) {
	for _, tc := range []struct {
		files []string
		want  string
	}{
		{[]string{"Dockerfile"}, "Dockerfile already exists and differs from"},
		{[]string{"Dockerfile", ".dockerignore"}, "Dockerfile and .dockerignore already exist and differ from"},
	} {
		dir := writeRepo(t, goService)
		for _, f := range tc.files {
			if err := os.WriteFile(filepath.Join(dir, f), []byte("mine\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r := runDgen(t, nil, nil, "init", "--yes", "--dir", dir)
		if r.code != exitExists || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("exit %d, stderr %q, want %q", r.code, r.stderr, tc.want)
		}
	}
}

func TestVersionFlag(t *testing.T) {
	flag := runDgen(t, nil, nil, "--version")
	cmd := runDgen(t, nil, nil, "version")
	if flag.code != 0 || flag.stdout != cmd.stdout || !strings.HasPrefix(flag.stdout, "dgen ") {
		t.Errorf("--version printed %q (exit %d), version printed %q", flag.stdout, flag.code, cmd.stdout)
	}
}

// Shell completion completes closed sets of flag values and, from the
// repository, the packages --main and the apps --app can name.
func TestCompletionValues(t *testing.T) {
	multi := writeRepo(t, twoServers)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "init", "--package-manager", ""}, []string{"uv", "poetry", "pnpm", "yarn-berry", "bun"}},
		{[]string{"__complete", "plan", "--language", ""}, []string{"go", "python", "node"}},
		{[]string{"__complete", "verify", "--engine", ""}, []string{"docker", "podman"}},
		{[]string{"__complete", "init", "--dir", multi, "--main", ""}, []string{"./cmd/admin", "./cmd/blog"}},
		{[]string{"__complete", "plan", "--dir", "../../examples/node-pnpm-workspace", "--app", ""}, []string{"apps/api", "apps/web"}},
	} {
		r := runDgen(t, nil, nil, tc.args...)
		lines := strings.Split(r.stdout, "\n")
		for _, w := range tc.want {
			if !contains(lines, w) {
				t.Errorf("%v: %q not offered:\n%s", tc.args, w, r.stdout)
			}
		}
	}
	// The scripts themselves ask dgen for these values.
	for _, sh := range []string{"bash", "zsh", "fish"} {
		r := runDgen(t, nil, nil, "completion", sh)
		if r.code != 0 || !strings.Contains(r.stdout, "__complete") {
			t.Errorf("completion %s does not call back into dgen", sh)
		}
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

// The plan summary quotes commands as they run and, on a terminal, cuts
// evidence to the width; the full evidence stays in --json.
func TestSummaryQuotingAndWidth(t *testing.T) {
	p := &generator.Plan{Language: "python", LanguageVersion: "3.13", PackageManager: "pip",
		Start:       []string{"gunicorn", "app:create_app()"},
		Healthcheck: &generator.Healthcheck{Cmd: []string{"python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/')"}},
		Evidence:    map[string]facts.Evidence{"start": {File: "Procfile", Line: 1, Detail: strings.Repeat("x", 300)}},
	}
	var wide, narrow bytes.Buffer
	printSummary(&wide, p, false, 0)
	printSummary(&narrow, p, false, 100)
	if !strings.Contains(wide.String(), `gunicorn 'app:create_app()'`) || !strings.Contains(wide.String(), `python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/')"`) {
		t.Errorf("commands not quoted as they run:\n%s", wide.String())
	}
	if !strings.Contains(wide.String(), strings.Repeat("x", 300)) {
		t.Error("evidence cut although not on a terminal")
	}
	for _, l := range strings.Split(narrow.String(), "\n") {
		if n := len([]rune(l)); n > 100 {
			t.Errorf("line of %d columns on a 100-column terminal: %q", n, l)
		}
	}
}
