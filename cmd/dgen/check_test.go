package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/generator/dockerfilecheck/rules"
)

// poorExample is the example of a hand-written Dockerfile that breaks
// most rules; check.golden beside it is dgen check's output.
const poorExample = "../../examples/check-poor-dockerfile"

// TestCheckPoorExampleGolden: the example's findings, fixes and summary
// line, byte for byte (make golden rewrites the file).
func TestCheckPoorExampleGolden(t *testing.T) {
	r := runDgen(t, nil, nil, "check", "--dir", poorExample)
	if r.code != exitError {
		t.Errorf("exit %d, want %d (findings)\n%s", r.code, exitError, r.stderr)
	}
	golden := filepath.Join(poorExample, "check.golden")
	if updateDocs {
		if err := os.WriteFile(golden, []byte(r.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := readFile(t, golden); r.stdout != want {
		t.Errorf("dgen check output differs from %s (make golden rewrites it):\n%s", golden, r.stdout)
	}
}

// TestCheckGeneratedExamplesStrict: every Dockerfile dgen wrote for an
// example passes dgen check --strict without a finding (the generator's
// tests hold every other Dockerfile it writes to the same audit through
// dockerfilecheck.Check).
func TestCheckGeneratedExamplesStrict(t *testing.T) {
	ents, err := os.ReadDir("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range ents {
		dir := filepath.Join("../../examples", e.Name())
		if !e.IsDir() || strings.HasPrefix(e.Name(), "check-") {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "Dockerfile")); err != nil {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			r := runDgen(t, nil, nil, "check", "--strict", "--dir", dir)
			if r.code != exitOK || r.stdout != "Dockerfile: no findings\n" {
				t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
		})
	}
	if n < 10 {
		t.Fatalf("only %d examples with a Dockerfile", n)
	}
}

// checkRepo is a small Python service whose Dockerfile has one warning
// (no HEALTHCHECK) and one info (no cache mount).
func checkRepo(t *testing.T, dockerfile string) string {
	return writeRepo(t, map[string]string{
		"requirements.txt": "flask==3.1.0\n",
		"app.py":           "from flask import Flask\napp = Flask(__name__)\n\nif __name__ == \"__main__\":\n    app.run(port=5000)\n",
		"Dockerfile":       dockerfile,
		".dockerignore":    ".git\n.env\n",
	})
}

const checkWarnInfo = "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nUSER 10001:10001\nEXPOSE 5000\nCMD [\"python\", \"app.py\"]\n"

// TestCheckExitCodes: 0 clean or below the severity, 1 at or above, 2 for
// usage mistakes and files that cannot be read or parsed.
func TestCheckExitCodes(t *testing.T) {
	dir := checkRepo(t, checkWarnInfo)
	infoOnly := checkRepo(t, strings.Replace(checkWarnInfo, "EXPOSE 5000\n", "EXPOSE 5000\nHEALTHCHECK CMD [\"python\", \"-c\", \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/')\"]\n", 1))
	broken := checkRepo(t, "FROM\n")
	huge := checkRepo(t, "FROM alpine:3.22\n"+strings.Repeat("# padding\n", 500_000))
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--dir", dir}, exitError},
		{[]string{"--dir", dir, "--severity", "error"}, exitOK},
		{[]string{"--dir", infoOnly}, exitOK},
		{[]string{"--dir", infoOnly, "--strict"}, exitError},
		{[]string{"--dir", infoOnly, "--severity", "info"}, exitError},
		{[]string{"--dir", dir, "--severity", "fatal"}, exitBadInput},
		{[]string{"--dir", dir, "--json", "--sarif"}, exitBadInput},
		{[]string{"--dir", dir, "Dockerfile"}, exitBadInput},
		{[]string{"--dir", broken}, exitBadInput},
		{[]string{"--dir", huge}, exitBadInput},
		{[]string{"--dir", t.TempDir()}, exitBadInput},
		{[]string{"--dir", dir, "-f", filepath.Join(dir, "Nope.Dockerfile")}, exitBadInput},
		{[]string{"--dir", filepath.Join(dir, "missing")}, exitBadInput},
	} {
		r := runDgen(t, nil, nil, append([]string{"check"}, tc.args...)...)
		if r.code != tc.want {
			t.Errorf("dgen check %q: exit %d, want %d\n%s%s", tc.args, r.code, tc.want, r.stdout, r.stderr)
		}
	}
	r := runDgen(t, nil, nil, "check", "--dir", dir)
	if !strings.Contains(r.stdout, "Dockerfile:1: warning MissingHealthcheck:") || !strings.HasSuffix(r.stdout, "Dockerfile: 0 errors, 1 warning, 1 info; 1 at or above warning (exit 1); dgen init --diff shows the Dockerfile dgen would write\n") {
		t.Errorf("text output:\n%s", r.stdout)
	}
	// The fix quotes dgen's own HEALTHCHECK for this app.
	if !strings.Contains(r.stdout, "dgen would write:\n      HEALTHCHECK --interval=30s") || !strings.Contains(r.stdout, "http://127.0.0.1:5000/") {
		t.Errorf("the MissingHealthcheck fix does not quote dgen's HEALTHCHECK:\n%s", r.stdout)
	}
}

// TestCheckJSON: one object with the findings, their why, fix and docs
// link, and the counts.
func TestCheckJSON(t *testing.T) {
	r := runDgen(t, nil, nil, "check", "--json", "--dir", checkRepo(t, checkWarnInfo))
	var rep struct {
		File     string `json:"file"`
		Findings []struct {
			Rule, Severity, Message, Why, Fix, Docs string
			Line                                    int
			Suggested                               []string
		} `json:"findings"`
		Counts  map[string]int `json:"counts"`
		FailAt  string         `json:"failAt"`
		Planned bool           `json:"planned"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if r.code != exitError || rep.File != "Dockerfile" || rep.FailAt != "warning" || !rep.Planned || rep.Counts["warning"] != 1 || rep.Counts["info"] != 1 || len(rep.Findings) != 2 {
		t.Fatalf("exit %d, report %+v", r.code, rep)
	}
	f := rep.Findings[0]
	if f.Rule != "MissingHealthcheck" || f.Severity != "warning" || f.Line != 1 || f.Why == "" || f.Fix == "" || len(f.Suggested) == 0 ||
		f.Docs != "https://github.com/dgen-dev/dgen/blob/main/docs/check.md#missinghealthcheck" {
		t.Errorf("finding %+v", f)
	}
	if c := rep.Findings[1]; c.Rule != "CacheMount" || c.Line != 4 || len(c.Suggested) == 0 || !strings.Contains(c.Suggested[0], "--mount=type=cache,target=/root/.cache/pip") {
		t.Errorf("finding %+v: want CacheMount at line 4 quoting dgen's pip cache mount", c)
	}
}

// TestCheckSARIF holds the SARIF log to what GitHub code scanning
// documents it requires of an upload ("SARIF support for code
// scanning"): version 2.1.0 and the schema URI; tool.driver.name and
// rules with an id, descriptions and a helpUri; each result with a ruleId
// that names a rule (and the matching ruleIndex), a level of error,
// warning or note, message.text, and a physical location whose
// artifactLocation.uri is relative to the repository and whose
// region.startLine is at least 1. No Go module the proxy serves ships the
// OASIS JSON schema, so these are checked one by one.
func TestCheckSARIF(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "repo")
	if err := os.MkdirAll(filepath.Join(dir, "docker"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "docker", "app.Dockerfile"), []byte(readFile(t, filepath.Join(poorExample, "Dockerfile"))), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runDgen(t, nil, nil, "check", "--sarif", "--dir", dir, "-f", filepath.Join(dir, "docker", "app.Dockerfile"))
	if r.code != exitError {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID               string `json:"id"`
						HelpURI          string `json:"helpUri"`
						ShortDescription struct{ Text string }
						FullDescription  struct{ Text string }
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if log.Version != "2.1.0" || !strings.HasSuffix(log.Schema, "sarif-schema-2.1.0.json") || len(log.Runs) != 1 {
		t.Fatalf("version %q, $schema %q, %d runs", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "dgen" || len(run.Tool.Driver.Rules) != len(rules.Rules()) {
		t.Fatalf("driver %q with %d rules", run.Tool.Driver.Name, len(run.Tool.Driver.Rules))
	}
	anchors := docsAnchors(t)
	for _, rule := range run.Tool.Driver.Rules {
		u, err := url.Parse(rule.HelpURI)
		if err != nil || u.Scheme != "https" || !slices.Contains(anchors, u.Fragment) || rule.ShortDescription.Text == "" || rule.FullDescription.Text == "" {
			t.Errorf("rule %s: helpUri %q (docs/check.md anchors: %d), descriptions %q / %q", rule.ID, rule.HelpURI, len(anchors), rule.ShortDescription.Text, rule.FullDescription.Text)
		}
	}
	if len(run.Results) < 10 {
		t.Fatalf("%d results", len(run.Results))
	}
	for _, res := range run.Results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s: ruleIndex %d names another rule", res.RuleID, res.RuleIndex)
		}
		if !slices.Contains([]string{"error", "warning", "note"}, res.Level) || res.Message.Text == "" || len(res.Locations) != 1 {
			t.Errorf("result %s: level %q, message %q, %d locations", res.RuleID, res.Level, res.Message.Text, len(res.Locations))
			continue
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != "docker/app.Dockerfile" || loc.Region.StartLine < 1 {
			t.Errorf("result %s: uri %q, startLine %d; want the path relative to --dir and a line >= 1", res.RuleID, loc.ArtifactLocation.URI, loc.Region.StartLine)
		}
	}
}

// docsAnchors are the GitHub anchors of docs/check.md's second-level
// headings.
func docsAnchors(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, m := range regexp.MustCompile(`(?m)^## (.+)$`).FindAllStringSubmatch(readFile(t, "../../docs/check.md"), -1) {
		a := strings.ToLower(strings.TrimSpace(m[1]))
		a = regexp.MustCompile(`[^a-z0-9 _-]`).ReplaceAllString(a, "")
		out = append(out, strings.ReplaceAll(a, " ", "-"))
	}
	return out
}

// TestCheckDocsListEveryRule: docs/check.md has one section per rule, in
// the catalog's order, and `dgen check --help` names every rule.
func TestCheckDocsListEveryRule(t *testing.T) {
	anchors := docsAnchors(t)
	help := runDgen(t, nil, nil, "check", "--help").stdout
	last := -1
	for _, r := range rules.Rules() {
		i := slices.Index(anchors, strings.ToLower(r.ID))
		if i < 0 {
			t.Errorf("docs/check.md has no section ## %s", r.ID)
			continue
		}
		if i < last {
			t.Errorf("docs/check.md: ## %s is out of the catalog's order", r.ID)
		}
		last = i
		if !strings.Contains(strings.Join(strings.Fields(help), " "), r.ID) {
			t.Errorf("dgen check --help does not name %s", r.ID)
		}
	}
}
