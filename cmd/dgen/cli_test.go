package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/generator"
	"github.com/dgen-dev/dgen/generator/prompttest"
)

// goService is a small Go web service used by the CLI tests.
var goService = map[string]string{
	"go.mod": "module example.com/svc\n\ngo 1.24\n",
	"main.go": `package main

import (
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})
	http.ListenAndServe(":"+port, nil)
}
`,
}

// twoServers has two HTTP mains under cmd/ that nothing ranks apart: a
// real choice.
var twoServers = map[string]string{
	"go.mod":            "module example.com/two\n\ngo 1.24\n",
	"cmd/admin/main.go": "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8081\", nil) }\n",
	"cmd/blog/main.go":  "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8082\", nil) }\n",
}

func writeRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type result struct {
	code           int
	stdout, stderr string
}

// runDgen runs the CLI in-process with no terminal unless pr is given.
func runDgen(t *testing.T, pr generator.Prompter, envv map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return envv[k] },
	}
	if pr != nil {
		e.terminal = true
		e.prompter = func(*env) promptBackend { return pr }
	}
	code := run(context.Background(), args, e)
	return result{code, out.String(), errb.String()}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPlanJSONContract(t *testing.T) {
	dir := writeRepo(t, goService)
	r := runDgen(t, nil, nil, "plan", "--json", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, r.stdout)
	}
	for _, k := range []string{"language", "framework", "packageManager", "languageVersion", "port", "start", "build", "cgo", "evidence"} {
		if _, ok := m[k]; !ok {
			t.Errorf("plan JSON lacks key %q", k)
		}
	}
	if m["language"] != "go" || m["packageManager"] != "gomod" || m["languageVersion"] != "1.24" || m["port"] != float64(8080) || m["cgo"] != false {
		t.Errorf("plan = %v", r.stdout)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("plan wrote files: %v", ents)
	}
}

func TestInitWritesAndNeverClobbers(t *testing.T) {
	dir := writeRepo(t, goService)
	r := runDgen(t, nil, nil, "init", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	df := readFile(t, filepath.Join(dir, "Dockerfile"))
	if !strings.Contains(df, "FROM ") || !strings.Contains(readFile(t, filepath.Join(dir, ".dockerignore")), ".git") {
		t.Fatalf("files not written properly:\n%s", df)
	}
	if !strings.Contains(r.stderr, "docker build -t") || !strings.Contains(r.stderr, "docker run --rm -p 8080:8080") {
		t.Errorf("no next steps on stderr:\n%s", r.stderr)
	}

	// Same again: nothing to change, exit 0.
	if r := runDgen(t, nil, nil, "init", "--dir", dir); r.code != 0 || !strings.Contains(r.stderr, "unchanged") {
		t.Errorf("re-run: exit %d, stderr %s", r.code, r.stderr)
	}

	// A user's edit is never overwritten without --force.
	mine := df + "# my change\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(mine), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "Dockerfile"), 0o640); err != nil {
		t.Fatal(err)
	}
	r = runDgen(t, nil, nil, "init", "--yes", "--port", "9090", "--dir", dir)
	if r.code != exitExists || !strings.Contains(r.stderr, "--force") {
		t.Errorf("exit %d, stderr %q; want %d naming --force", r.code, r.stderr, exitExists)
	}
	if got := readFile(t, filepath.Join(dir, "Dockerfile")); got != mine {
		t.Error("Dockerfile changed without --force")
	}
	// .dockerignore must be untouched too: all or nothing.
	if strings.Contains(readFile(t, filepath.Join(dir, ".dockerignore")), "9090") {
		t.Error(".dockerignore changed in a refused run")
	}

	// --diff and --dry-run print and write nothing; --diff exits 4 on
	// drift, so CI can use it as a check.
	r = runDgen(t, nil, nil, "init", "--diff", "--dir", dir)
	if r.code != exitDrift || !strings.Contains(r.stdout, "-# my change") || !strings.Contains(r.stderr, "differ") {
		t.Errorf("--diff: exit %d (want %d), stdout %q, stderr %q", r.code, exitDrift, r.stdout, r.stderr)
	}
	r = runDgen(t, nil, nil, "init", "--dry-run", "--port", "9090", "--dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "# ===== Dockerfile =====") || !strings.Contains(r.stdout, "EXPOSE 9090") {
		t.Errorf("--dry-run: exit %d, stdout %q", r.code, r.stdout)
	}
	if got := readFile(t, filepath.Join(dir, "Dockerfile")); got != mine {
		t.Error("--diff or --dry-run wrote the Dockerfile")
	}

	// --force overwrites and keeps the file's mode.
	if r := runDgen(t, nil, nil, "init", "--force", "--port", "9090", "--dir", dir); r.code != 0 {
		t.Fatalf("--force: exit %d: %s", r.code, r.stderr)
	}
	if got := readFile(t, filepath.Join(dir, "Dockerfile")); !strings.Contains(got, "EXPOSE 9090") {
		t.Errorf("--force did not write the new Dockerfile:\n%s", got)
	}
	if st, _ := os.Stat(filepath.Join(dir, "Dockerfile")); st.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want 0640 kept", st.Mode().Perm())
	}
	// No drift left: --diff exits 0.
	if r := runDgen(t, nil, nil, "init", "--diff", "--port", "9090", "--dir", dir); r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "no changes") {
		t.Errorf("--diff without drift: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestSaveConfigReproduces(t *testing.T) {
	dir := writeRepo(t, twoServers)
	r := runDgen(t, nil, nil, "init", "--yes", "--main", "./cmd/blog", "--port", "7000", "--save-config", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	cfg := readFile(t, filepath.Join(dir, "dgen.yaml"))
	if !strings.Contains(cfg, "main: ./cmd/blog") || !strings.Contains(cfg, `port: "7000"`) {
		t.Errorf("dgen.yaml = %s", cfg)
	}
	first := readFile(t, filepath.Join(dir, "Dockerfile"))
	os.Remove(filepath.Join(dir, "Dockerfile"))
	// No flags now: the config file alone must give the same bytes.
	if r := runDgen(t, nil, nil, "init", "--yes", "--dir", dir); r.code != 0 {
		t.Fatalf("re-run: exit %d: %s", r.code, r.stderr)
	}
	if again := readFile(t, filepath.Join(dir, "Dockerfile")); again != first {
		t.Errorf("re-run with dgen.yaml differs:\n%s\n---\n%s", first, again)
	}
	// A flag beats the config file.
	r = runDgen(t, nil, nil, "plan", "--json", "--port", "7100", "--dir", dir)
	if !strings.Contains(r.stdout, `"port": 7100`) {
		t.Errorf("flag did not beat dgen.yaml: %s", r.stdout)
	}
}

func TestExitCodes(t *testing.T) {
	goDir := writeRepo(t, goService)
	empty := t.TempDir()
	badCfg := writeRepo(t, map[string]string{"go.mod": goService["go.mod"], "main.go": goService["main.go"], "dgen.yaml": "prot: 1\n"})
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"version", []string{"version"}, 0, ""},
		{"unknown command", []string{"plna"}, exitBadInput, "unknown command"},
		{"unknown flag", []string{"plan", "--bogus"}, exitBadInput, "unknown flag"},
		{"bad port", []string{"plan", "--dir", goDir, "--port", "99999"}, exitBadInput, "--port"},
		{"bad language", []string{"plan", "--dir", goDir, "--language", "rust"}, exitBadInput, "--language"},
		{"positional arg", []string{"init", goDir}, exitBadInput, "--dir"},
		{"missing dir", []string{"plan", "--dir", filepath.Join(empty, "nope")}, exitBadInput, "--dir"},
		{"empty repo", []string{"init", "--dir", empty}, exitBadInput, "no Go, Python or Node project"},
		{"bad config", []string{"plan", "--dir", badCfg}, exitBadInput, "dgen.yaml"},
		{"needs answer", []string{"init", "--dir", writeRepo(t, twoServers)}, exitBadInput, "--main"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runDgen(t, nil, nil, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", r.code, tc.code, r.stderr, tc.want)
			}
		})
	}
	if ents, _ := os.ReadDir(empty); len(ents) != 0 {
		t.Errorf("failed runs wrote into the folder: %v", ents)
	}
}

func TestCINeverPrompts(t *testing.T) {
	dir := writeRepo(t, twoServers)
	// A terminal is attached but CI is set: the scripted prompter has no
	// steps, so any question fails the test.
	r := runDgen(t, prompttest.New(t), map[string]string{"CI": "true"}, "init", "--dir", dir)
	if r.code != exitBadInput || !strings.Contains(r.stderr, "--main") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	r = runDgen(t, prompttest.New(t), nil, "init", "--yes", "--dir", writeRepo(t, goService))
	if r.code != 0 {
		t.Errorf("--yes: exit %d: %s", r.code, r.stderr)
	}
}

func TestInteractiveAcceptAll(t *testing.T) {
	dir := writeRepo(t, twoServers)
	fake := prompttest.New(t,
		prompttest.Step{Key: "main"},   // Enter: the default
		prompttest.Step{Key: "accept"}, // Enter: yes
	)
	r := runDgen(t, fake, nil, "init", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "dgen detected:") {
		t.Errorf("no summary screen:\n%s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "Dockerfile")); err != nil {
		t.Error(err)
	}
}

// Changed answers are shown again before anything is written, and the
// user is offered dgen.yaml, so a non-interactive re-run writes the same
// files.
func TestInteractiveChangeValues(t *testing.T) {
	dir := writeRepo(t, goService)
	fake := prompttest.New(t,
		prompttest.Step{Key: "accept", Answer: false},
		prompttest.Step{Key: "port", Answer: "9999"},
		prompttest.Step{Key: "languageVersion", Answer: "1.26"},
		prompttest.Step{Key: "start"},
		prompttest.Step{Key: "compose"},    // Enter: as detected
		prompttest.Step{Key: "accept"},     // the summary again: Enter accepts
		prompttest.Step{Key: "saveConfig"}, // Enter: save dgen.yaml
	)
	r := runDgen(t, fake, nil, "init", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	again := strings.Index(r.stderr, "dgen will write, with your answers:")
	if again < 0 || !strings.Contains(r.stderr[again:], "9999") || !strings.Contains(r.stderr[again:], "golang:1.26") {
		t.Errorf("the changed answers were not shown before writing:\n%s", r.stderr)
	}
	df := readFile(t, filepath.Join(dir, "Dockerfile"))
	if !strings.Contains(df, "EXPOSE 9999") || !strings.Contains(df, "golang:1.26") {
		t.Errorf("answers not used:\n%s", df)
	}
	if cfg := readFile(t, filepath.Join(dir, "dgen.yaml")); !strings.Contains(cfg, `port: "9999"`) {
		t.Errorf("dgen.yaml lacks the answer: %s", cfg)
	}
	// A re-run without a terminal reproduces the files byte for byte.
	os.Remove(filepath.Join(dir, "Dockerfile"))
	if r := runDgen(t, nil, nil, "init", "--yes", "--dir", dir); r.code != 0 {
		t.Fatalf("re-run: exit %d: %s", r.code, r.stderr)
	}
	if got := readFile(t, filepath.Join(dir, "Dockerfile")); got != df {
		t.Errorf("re-run with the saved dgen.yaml differs:\n%s\n---\n%s", df, got)
	}
}

// Accepting the detected plan asks nothing more: dgen.yaml is offered
// only when answers changed.
func TestInteractiveDeclineSave(t *testing.T) {
	dir := writeRepo(t, goService)
	fake := prompttest.New(t,
		prompttest.Step{Key: "accept", Answer: false},
		prompttest.Step{Key: "port", Answer: "9999"},
		prompttest.Step{Key: "languageVersion"},
		prompttest.Step{Key: "start"},
		prompttest.Step{Key: "compose"},               // Enter: as detected
		prompttest.Step{Key: "accept", Answer: false}, // change again
		prompttest.Step{Key: "port", Answer: "7000"},  // the default is now 9999
		prompttest.Step{Key: "languageVersion"},
		prompttest.Step{Key: "start"},
		prompttest.Step{Key: "compose"}, // Enter: as detected
		prompttest.Step{Key: "accept"},
		prompttest.Step{Key: "saveConfig", Answer: false},
	)
	r := runDgen(t, fake, nil, "init", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if n := strings.Count(r.stderr, "dgen will write, with your answers:"); n != 2 {
		t.Errorf("summary shown again %d times, want 2:\n%s", n, r.stderr)
	}
	if df := readFile(t, filepath.Join(dir, "Dockerfile")); !strings.Contains(df, "EXPOSE 7000") {
		t.Errorf("the last answer was not used:\n%s", df)
	}
	if _, err := os.Stat(filepath.Join(dir, "dgen.yaml")); err == nil {
		t.Error("dgen.yaml written although declined")
	}
}

// A bad answer is refused where it is typed and asked again: the
// conversation never ends on an error naming a flag nobody passed.
func TestInteractiveAnswersAreValidatedWhereTyped(t *testing.T) {
	dir := writeRepo(t, goService)
	fake := prompttest.New(t,
		prompttest.Step{Key: "accept", Answer: false},
		prompttest.Step{Key: "port", Answer: "99999"},
		prompttest.Step{Key: "port", Answer: "http"},
		prompttest.Step{Key: "port", Answer: "9090"},
		prompttest.Step{Key: "languageVersion", Answer: "latest"},
		prompttest.Step{Key: "languageVersion", Answer: "1.26"},
		prompttest.Step{Key: "start", Answer: "/usr/local/bin/app; rm -rf /"},
		prompttest.Step{Key: "start"},
		prompttest.Step{Key: "compose"}, // Enter: as detected
		prompttest.Step{Key: "accept"},
		prompttest.Step{Key: "saveConfig", Answer: false},
	)
	r := runDgen(t, fake, nil, "init", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if len(fake.Refused) != 4 {
		t.Errorf("refused %d answers, want 4: %q", len(fake.Refused), fake.Refused)
	}
	for _, refused := range fake.Refused {
		if strings.Contains(refused, "--") {
			t.Errorf("a prompt's error names a flag: %s", refused)
		}
	}
	if df := readFile(t, filepath.Join(dir, "Dockerfile")); !strings.Contains(df, "EXPOSE 9090") || !strings.Contains(df, "golang:1.26") {
		t.Errorf("the accepted answers were not used:\n%s", df)
	}
}

func TestInteractiveOverwriteChoices(t *testing.T) {
	dir := writeRepo(t, goService)
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("my-data/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fake := prompttest.New(t,
		prompttest.Step{Key: "accept"},
		prompttest.Step{Key: "overwrite:Dockerfile"},    // Enter: keep mine
		prompttest.Step{Key: "overwrite:.dockerignore"}, // Enter: merge
	)
	r := runDgen(t, fake, nil, "init", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if got := readFile(t, filepath.Join(dir, "Dockerfile")); got != "FROM mine\n" {
		t.Errorf("Dockerfile overwritten by default: %q", got)
	}
	ign := readFile(t, filepath.Join(dir, ".dockerignore"))
	if !strings.HasPrefix(ign, "my-data/\n") || !strings.Contains(ign, "**/.env") {
		t.Errorf(".dockerignore not merged:\n%s", ign)
	}
	if !strings.Contains(r.stderr, "+FROM") {
		t.Errorf("no diff shown before asking:\n%s", r.stderr)
	}
}

func TestCancelWritesNothing(t *testing.T) {
	dir := writeRepo(t, twoServers)
	fake := prompttest.New(t, prompttest.Step{Key: "main", Cancel: true})
	r := runDgen(t, fake, nil, "init", "--dir", dir)
	if r.code != exitCancelled || !strings.Contains(r.stderr, "nothing was written") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "Dockerfile")); err == nil {
		t.Error("Dockerfile written after cancel")
	}
}

func TestCompletionShells(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		r := runDgen(t, nil, nil, "completion", sh)
		if r.code != 0 || !strings.Contains(r.stdout, "dgen") {
			t.Errorf("completion %s: exit %d, %d bytes", sh, r.code, len(r.stdout))
		}
	}
}

func TestColourOnlyOnTerminal(t *testing.T) {
	for _, tc := range []struct {
		tty  bool
		env  map[string]string
		want bool
	}{
		{true, nil, true},
		{false, nil, false},
		{true, map[string]string{"NO_COLOR": "1"}, false},
		{true, map[string]string{"TERM": "dumb"}, false},
	} {
		if got := colourEnabled(tc.tty, func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("colourEnabled(%v, %v) = %v", tc.tty, tc.env, got)
		}
	}
	// Without a terminal no escape sequence reaches stderr.
	r := runDgen(t, nil, nil, "init", "--dry-run", "--dir", writeRepo(t, goService))
	if strings.Contains(r.stderr, "\x1b[") {
		t.Errorf("colour without a terminal: %q", r.stderr)
	}
}

// --dir inside a Node workspace app reads from the workspace root with
// that app chosen, since the app needs the root's lockfile and siblings.
func TestDirInsideWorkspaceApp(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"package.json":            `{"name":"mono","private":true,"packageManager":"pnpm@9.15.9"}`,
		"pnpm-workspace.yaml":     "packages:\n  - apps/*\n",
		"pnpm-lock.yaml":          "lockfileVersion: '9.0'\n",
		"apps/api/package.json":   `{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"^4.21.0"}}`,
		"apps/api/server.js":      "const app = require('express')();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 4000);\n",
		"apps/admin/package.json": `{"name":"admin","scripts":{"start":"node index.js"},"dependencies":{"express":"^4.21.0"}}`,
		"apps/admin/index.js":     "require('express')().listen(5000);\n",
	})
	r := runDgen(t, nil, nil, "plan", "--json", "--dir", filepath.Join(dir, "apps", "api"))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, `"app": "apps/api"`) || !strings.Contains(r.stdout, `"port": 4000`) {
		t.Errorf("plan = %s", r.stdout)
	}
	if !strings.Contains(r.stderr, "workspace") {
		t.Errorf("no note about the workspace root: %s", r.stderr)
	}
}

// TestInitNamesRequiredEnv: the next steps pass every variable the app
// stops without and the image does not set, and say where each is read.
func TestInitNamesRequiredEnv(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"go.mod":       "module example.com/svc\n\ngo 1.24\n",
		".env.example": "MODE=batch\n",
		"main.go":      "package main\n\nimport (\n\t\"log\"\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\tif os.Getenv(\"MODE\") == \"\" || os.Getenv(\"API_TOKEN\") == \"\" || os.Getenv(\"REGION\") == \"\" {\n\t\tlog.Fatal(\"config\")\n\t}\n\tlog.Fatal(http.ListenAndServe(\":8080\", nil))\n}\n",
	})
	r := runDgen(t, nil, nil, "init", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"docker run --rm -p 8080:8080 -e API_TOKEN=… -e REGION=… ",
		"the app stops at start without API_TOKEN, a secret: keep it out of the image (main.go:10: ",
		"the app stops at start without REGION (main.go:10: ",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("next steps lack %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "-e MODE=") {
		t.Errorf("MODE has its example value in the image, yet the next steps ask for it:\n%s", r.stderr)
	}
	if df := readFile(t, filepath.Join(dir, "Dockerfile")); !strings.Contains(df, "ENV MODE=batch\n") {
		t.Errorf("the Dockerfile does not set MODE:\n%s", df)
	}
	r = runDgen(t, nil, nil, "plan", "--dir", dir)
	for _, want := range []string{
		"required env     API_TOKEN (secret), given at run time ",
		"required env     ENV MODE=batch",
		"required env     REGION, given at run time",
	} {
		if !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("dgen plan lacks %q:\n%s%s", want, r.stdout, r.stderr)
		}
	}
}
