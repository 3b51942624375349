package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/generator/prompttest"
)

// An open decision still prints the plan found so far on stdout, with the
// questions, and exits 2: a script loses nothing that was detected.
func TestPlanJSONKeepsWhatWasFoundWhenADecisionIsOpen(t *testing.T) {
	for _, tt := range []struct {
		name, lang, manager, version, question, flag string
		files                                        map[string]string
		candidates                                   []string
	}{
		{
			name: "two go programs", lang: "go", manager: "gomod", version: "1.26", question: "main", flag: "--main",
			files: map[string]string{
				"go.mod":          "module example.com/tools\n\ngo 1.26\n",
				"cmd/a/main.go":   "package main\n\nfunc main() {}\n",
				"cmd/b/main.go":   "package main\n\nfunc main() {}\n",
				"internal/x/x.go": "package x\n",
			},
			candidates: []string{"./cmd/a", "./cmd/b"},
		},
		{
			name: "two workspace apps", lang: "node", manager: "pnpm", version: "22", question: "app", flag: "--app",
			files: map[string]string{
				"package.json":          `{"private": true, "packageManager": "pnpm@9.12.0", "engines": {"node": "22"}}`,
				"pnpm-workspace.yaml":   "packages: ['apps/*']\n",
				"pnpm-lock.yaml":        "lockfileVersion: '9.0'\n",
				"apps/web/package.json": `{"name": "web", "scripts": {"start": "node server.js"}}`,
				"apps/api/package.json": `{"name": "api", "scripts": {"start": "node index.js"}}`,
			},
			candidates: []string{"apps/api", "apps/web"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeRepo(t, tt.files)
			r := runDgen(t, nil, nil, "plan", "--json", "--dir", dir)
			if r.code != exitBadInput {
				t.Fatalf("exit %d, want %d; stderr: %s", r.code, exitBadInput, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.flag) {
				t.Errorf("stderr does not name %s: %s", tt.flag, r.stderr)
			}
			var got struct {
				Language        string `json:"language"`
				PackageManager  string `json:"packageManager"`
				LanguageVersion string `json:"languageVersion"`
				Evidence        map[string]any
				User            *struct{ UID int } `json:"user"`
				Questions       []struct {
					Name       string `json:"name"`
					Prompt     string `json:"prompt"`
					Flag       string `json:"flag"`
					Candidates []struct {
						Value    string         `json:"value"`
						Evidence map[string]any `json:"evidence"`
					} `json:"candidates"`
				} `json:"questions"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatalf("stdout is not one JSON plan: %v\n%s", err, r.stdout)
			}
			if got.Language != tt.lang || got.PackageManager != tt.manager || got.LanguageVersion != tt.version {
				t.Errorf("plan = %s %s %s, want %s %s %s", got.Language, got.PackageManager, got.LanguageVersion, tt.lang, tt.manager, tt.version)
			}
			if got.Evidence["packageManager"] == nil || got.Evidence["languageVersion"] == nil {
				t.Errorf("evidence lost: %v", got.Evidence)
			}
			if got.User != nil {
				t.Errorf("a plan with an open decision names a user: %+v", got.User)
			}
			if len(got.Questions) != 1 {
				t.Fatalf("questions = %+v, want one", got.Questions)
			}
			q := got.Questions[0]
			if q.Name != tt.question || q.Flag != tt.flag || q.Prompt == "" {
				t.Errorf("question = %+v", q)
			}
			var vals []string
			for _, c := range q.Candidates {
				vals = append(vals, c.Value)
				if c.Evidence == nil {
					t.Errorf("candidate %s has no evidence", c.Value)
				}
			}
			if strings.Join(vals, ",") != strings.Join(tt.candidates, ",") {
				t.Errorf("candidates = %v, want %v", vals, tt.candidates)
			}
		})
	}
}

// Without --json an open decision prints nothing on stdout.
func TestPlanTextPrintsNothingWhenADecisionIsOpen(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"go.mod":        "module example.com/tools\n\ngo 1.26\n",
		"cmd/a/main.go": "package main\n\nfunc main() {}\n",
		"cmd/b/main.go": "package main\n\nfunc main() {}\n",
	})
	if r := runDgen(t, nil, nil, "plan", "--dir", dir); r.code != exitBadInput || r.stdout != "" {
		t.Errorf("exit %d, stdout %q", r.code, r.stdout)
	}
}

// No start command found is an open question too: without a terminal the
// plan is printed with the question "start"; on a terminal it is asked,
// and the answer checked where it is typed.
func TestNoStartCommandIsAQuestion(t *testing.T) {
	files := map[string]string{
		"package.json": `{"name": "tool", "dependencies": {"express": "^4"}}`,
		"lib/x.js":     "module.exports = 1\n",
	}
	dir := writeRepo(t, files)
	r := runDgen(t, nil, nil, "plan", "--json", "--dir", dir)
	if r.code != exitBadInput || !strings.Contains(r.stderr, "--start") {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	var got struct {
		Language  string `json:"language"`
		Questions []struct {
			Name, Flag, Reason string
		} `json:"questions"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("stdout is not a JSON plan: %v\n%s", err, r.stdout)
	}
	if got.Language != "node" || len(got.Questions) != 1 || got.Questions[0].Name != "start" || got.Questions[0].Flag != "--start" || got.Questions[0].Reason == "" {
		t.Errorf("plan = %+v", got)
	}

	fake := prompttest.New(t,
		prompttest.Step{Key: "port"}, // Enter: the default
		prompttest.Step{Key: "start", Answer: "node lib/x.js | tee log"},
		prompttest.Step{Key: "start", Answer: "node lib/x.js"},
		prompttest.Step{Key: "accept"},
	)
	if r := runDgen(t, fake, nil, "init", "--dir", dir); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if len(fake.Refused) != 1 {
		t.Errorf("refused %q, want the piped command only", fake.Refused)
	}
	if df := readFile(t, dir+"/Dockerfile"); !strings.Contains(df, `CMD ["node","lib/x.js"]`) {
		t.Errorf("the answered start command is not the CMD:\n%s", df)
	}
}
