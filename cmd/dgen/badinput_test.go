//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/dgen-dev/dgen/generator/dockerfilecheck"
)

// This file runs dgen over hostile and broken repositories: malformed
// manifests and lockfiles, binary junk under a manifest's name, files of
// 100 MB, symlink loops, symlinks out of the repository, named pipes and
// sockets where a manifest should be, file names that are not UTF-8 or hold
// a newline, 200 folders deep, a folder where a file belongs, a read-only
// target. Every case goes through the real command line (run, in-process)
// for both `plan --json` and `init --yes`, and must end with the exit code
// written in its row: 2 with a message that names the file and what to do,
// or 0 with a sensible result (and a warning where the row says so). A
// failing run writes nothing, a plan never writes, and no run may panic,
// hang, or show a byte of a file outside the repository.
//
// Unreadable files: the tests run as root, and root reads a chmod 000 file
// anyway, so "cannot be read" is simulated with a named pipe (opening one
// blocks until a writer comes) and a unix socket (opening one fails)
// named like a manifest. The chmod 000 rows are kept too: as root they
// read normally, as another user they are unreadable, and both must give
// the outcome in the row.
//
// Fixtures git can hold live in testdata/bad/<case>/; the rest (sparse
// 100 MB files, symlinks, pipes, sockets, odd names, deep trees, and every
// .go file, which gofmt would otherwise read) are made by the test.

// badRunTimeout bounds one dgen run; a hostile repository must never make
// dgen hang (a named pipe opened for reading blocks forever).
const badRunTimeout = 20 * time.Second

// outsideSentinel is written into files outside the repository that
// symlinks inside point to. It must never show up in anything dgen prints
// or writes.
const outsideSentinel = "evil.example/outside-sentinel"

const (
	badGoMod  = "module example.com/shop\n\ngo 1.24\n"
	badGoMain = "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"
	badPkg    = "{\n  \"name\": \"shop\",\n  \"version\": \"1.0.0\",\n  \"main\": \"server.js\",\n  \"scripts\": {\n    \"start\": \"node server.js\"\n  },\n  \"dependencies\": {\n    \"express\": \"^4.21.2\"\n  }\n}\n"
	badServer = "const http = require('http');\nconst port = process.env.PORT || 3000;\nhttp.createServer((req, res) => res.end('ok')).listen(port);\n"
	badReqs   = "flask==3.1.0\ngunicorn==23.0.0\n"
	badAppPy  = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get('/healthz')\ndef health():\n    return 'ok'\n"
)

var (
	goApp   = map[string]string{"go.mod": badGoMod, "main.go": badGoMain}
	nodeApp = map[string]string{"package.json": badPkg, "server.js": badServer}
	pyApp   = map[string]string{"requirements.txt": badReqs, "app.py": badAppPy}
)

// outcome is what one command must do with a case.
type outcome struct {
	// code is the exit code.
	code int
	// say are substrings stderr must hold: the file at fault and, for a
	// failure, what to do about it; "warning" for a problem worked around.
	say []string
	// lang is the plan's language when code is 0.
	lang string
}

// badCase is one hostile repository and what dgen must do with it.
type badCase struct {
	name string
	// fixture copies testdata/bad/<name>/ into the repository.
	fixture bool
	// files are written into the repository (after the fixture).
	files map[string]string
	// setup makes what git cannot hold: pipes, sockets, links, sparse files.
	setup func(t *testing.T, dir string)
	// shared makes one repository for plan and then init, for a setup that
	// is costly and leaves nothing that plan could change or a subtest's
	// cleanup undo. runBadCase checks that plan changes nothing.
	shared bool
	// plan is the outcome of `plan --json`; init that of `init --yes`
	// (nil: the same as plan).
	plan outcome
	init *outcome
	// check runs extra assertions on a successful plan.
	check func(t *testing.T, p map[string]any)
}

func TestBadInputCorpus(t *testing.T) {
	cases := badCases()
	if len(cases) < 40 {
		t.Fatalf("only %d cases; the corpus promises at least 40", len(cases))
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("case %s twice", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			repoFor := func(sub *testing.T) string { return makeBadRepo(sub, tc) }
			if tc.shared {
				dir := makeBadRepo(t, tc)
				repoFor = func(*testing.T) string { return dir }
			}
			t.Run("plan", func(t *testing.T) {
				dir := repoFor(t)
				runBadCase(t, tc, dir, tc.plan, "plan", "--json", "--dir", dir)
			})
			t.Run("init", func(t *testing.T) {
				want := tc.plan
				if tc.init != nil {
					want = *tc.init
				}
				dir := repoFor(t)
				runBadCase(t, tc, dir, want, "init", "--yes", "--dir", dir)
			})
		})
	}
	// Every committed fixture belongs to a case.
	ents, err := os.ReadDir(filepath.Join("testdata", "bad"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !seen[e.Name()] {
			t.Errorf("testdata/bad/%s has no case in badCases", e.Name())
		}
	}
}

func badCases() []badCase {
	fail := func(say ...string) outcome { return outcome{code: exitBadInput, say: say} }
	ok := func(lang string, say ...string) outcome { return outcome{code: exitOK, lang: lang, say: say} }
	noProject := fail("no Go, Python or Node project")
	merge := func(ms ...map[string]string) map[string]string {
		out := map[string]string{}
		for _, m := range ms {
			for k, v := range m {
				out[k] = v
			}
		}
		return out
	}
	main := map[string]string{"main.go": badGoMain}

	return []badCase{
		// --- Go ---
		{name: "gomod-garbage", fixture: true, files: main, plan: fail("go.mod", "fix")},
		{name: "gomod-no-module", fixture: true, files: main, plan: fail("go.mod", "module")},
		{name: "gomod-bad-go-version", fixture: true, files: main, plan: fail("go.mod", "banana")},
		{name: "gomod-binary", fixture: true, files: main, plan: fail("go.mod", "fix")},
		{name: "gowork-garbage", fixture: true, files: main, plan: fail("go.work")},
		{name: "gosum-binary", fixture: true, files: main, plan: ok("go")}, // go.sum is go's business: `go mod download` checks it
		{name: "gomod-folder", files: main, setup: mkdirs("go.mod/sub"), plan: noProject},
		{name: "gomod-huge", files: main, setup: sparse("go.mod"), plan: fail("go.mod", "too large")},
		{name: "gomod-socket", files: main, setup: socketAt("go.mod"), plan: noProject},
		{name: "go-source-huge", files: map[string]string{"go.mod": badGoMod, "app.go": badGoMain}, setup: sparse("main.go"), plan: ok("go")},
		{name: "go-source-fifo", files: map[string]string{"go.mod": badGoMod, "app.go": badGoMain}, setup: fifoAt("main.go"), plan: ok("go")},
		{name: "go-cmd-hostile-names", files: map[string]string{
			"go.mod":               badGoMod,
			"cmd/api/main.go":      badGoMain,
			"cmd/$(id)/main.go":    badGoMain,
			"cmd/a b/main.go":      badGoMain,
			"cmd/-rf/main.go":      badGoMain,
			"cmd/it's/main.go":     badGoMain,
			"cmd/back\\sl/main.go": badGoMain,
		}, plan: ok("go", "warning", "cmd/$(id)/main.go", "cmd/a b/main.go"), check: startIs("/usr/local/bin/api")},

		// --- Node ---
		{name: "pkg-truncated", fixture: true, plan: fail("package.json", "line", "fix")},
		{name: "pkg-scripts-number", fixture: true, plan: ok("node", "warning", "package.json", "scripts")},
		{name: "pkg-bom", fixture: true, plan: ok("node")},
		{name: "pkg-null", fixture: true, plan: fail("package.json", "fix")},
		{name: "pkg-array", fixture: true, plan: fail("package.json", "fix")},
		{name: "pkg-empty", fixture: true, plan: fail("package.json", "fix")},
		{name: "pkg-binary", fixture: true, plan: fail("package.json", "fix")},
		{name: "pkg-wrong-types", fixture: true, plan: ok("node", "warning", "package.json")},
		{name: "pkg-workspaces-number", fixture: true, plan: ok("node", "warning", "workspaces")},
		{name: "pkg-lock-truncated", fixture: true, plan: ok("node")}, // not read by dgen; `npm ci` names it in the build
		{name: "pnpm-lock-garbage", fixture: true, plan: ok("node", "warning", "pnpm-lock.yaml")},
		{name: "lockfiles-conflict", fixture: true, plan: ok("node", "packageManager", "--package-manager")},
		{name: "nvmrc-garbage", fixture: true, plan: ok("node", "warning", ".nvmrc")},
		{name: "nvmrc-binary", fixture: true, plan: ok("node", "warning", ".nvmrc")},
		{name: "nvmrc-huge", files: nodeApp, setup: sparse(".nvmrc"), plan: ok("node", "warning", ".nvmrc")},
		{name: "nvmrc-fifo", files: nodeApp, setup: fifoAt(".nvmrc"), plan: ok("node")}, // not a file: as if absent
		{name: "nvmrc-folder", files: nodeApp, setup: mkdirs(".nvmrc/x"), plan: ok("node")},
		{name: "engines-garbage", fixture: true, plan: ok("node", "warning", "engines")},
		{name: "yarnrc-garbage", fixture: true, plan: ok("node")}, // only nodeLinker is read; yarn reports the rest
		{name: "pkg-folder", files: map[string]string{"server.js": badServer}, setup: mkdirs("package.json/x"), plan: noProject},
		{name: "pkg-huge", files: map[string]string{"server.js": badServer}, setup: sparse("package.json"), plan: fail("package.json", "too large")},
		{name: "pkg-fifo", files: map[string]string{"server.js": badServer}, setup: fifoAt("package.json"), plan: noProject},
		{name: "node-hostile-file-names", files: merge(nodeApp, map[string]string{
			"src/caf\xe9.js":       "module.exports = 1;\n",
			"\xff\xfe/index.js":    "module.exports = 2;\n",
			"new\nline.js":         "module.exports = 3;\n",
			"ctl\x01\x1b[31m.js":   "module.exports = 4;\n",
			"$(id).js":             "module.exports = 5;\n",
			"-rf.js":               "module.exports = 6;\n",
			"a b.js":               "module.exports = 7;\n",
			"quote'\".js":          "module.exports = 8;\n",
			"back\\slash/index.js": "module.exports = 9;\n",
		}), plan: ok("node")},

		{name: "escape-sequences", files: map[string]string{
			"package.json":                        `{"name": "mono", "private": true, "workspaces": ["apps/*"]}`,
			"package-lock.json":                   `{"lockfileVersion": 3}`,
			"apps/web/package.json":               `{"name": "web", "scripts": {"start": "node index.js"}}`,
			"apps/web/index.js":                   badServer,
			"apps/web/.nvmrc":                     "\x1b]0;owned\x07\x1b[2J22\n",
			"apps/x\x1b[2J\x1b[31my/package.json": `{"name": "evil"}`,
		}, plan: ok("node", "warning")},

		// --- Python ---
		{name: "pyproject-garbage", fixture: true, plan: fail("pyproject.toml", "fix")}, // nothing else to run: the error must name the broken file
		{name: "pyproject-wrong-types", fixture: true, plan: ok("python", "warning", "pyproject.toml")},
		{name: "pyproject-binary", fixture: true, plan: fail("pyproject.toml", "fix")}, // likewise
		{name: "requires-python-garbage", fixture: true, plan: ok("python", "warning", "pyproject.toml", "three")},
		{name: "pipfile-garbage", fixture: true, plan: ok("python", "warning", "Pipfile")},
		{name: "pipfile-lock-garbage", fixture: true, plan: ok("python", "warning", "Pipfile.lock")},
		{name: "poetry-lock-garbage", fixture: true, plan: ok("python", "warning", "poetry.lock")},
		{name: "uv-lock-garbage", fixture: true, plan: ok("python", "warning", "uv.lock")},
		{name: "python-version-garbage", fixture: true, plan: ok("python", "warning", ".python-version")},
		{name: "python-version-huge", files: pyApp, setup: sparse(".python-version"), plan: ok("python", "warning", ".python-version")},
		{name: "requirements-binary", fixture: true, plan: ok("python", "warning", "requirements.txt")},
		{name: "requirements-huge", files: map[string]string{"app.py": badAppPy}, setup: sparse("requirements.txt"), plan: ok("python", "warning", "requirements.txt", "too large")},
		{name: "procfile-binary", fixture: true, plan: ok("python", "warning", "Procfile")},

		// --- Any repository ---
		{name: "empty", plan: noProject},
		{name: "readme-only", fixture: true, plan: noProject},
		{name: "dgen-yaml-binary", fixture: true, plan: fail("dgen.yaml")},
		{name: "dgen-yaml-fifo", files: nodeApp, setup: fifoAt("dgen.yaml"), plan: fail("dgen.yaml", "not a regular file")},
		{name: "symlink-loop", files: goApp, setup: symlinkLoop, plan: ok("go")},
		{name: "symlink-out-manifest", files: main, setup: linkOut("go.mod", "go.mod", "module "+outsideSentinel+"\n\ngo 1.21\n"), plan: noProject},
		{name: "symlink-out-version", files: nodeApp, setup: linkOut(".nvmrc", ".nvmrc", "16\n"), plan: ok("node"),
			check: func(t *testing.T, p map[string]any) {
				if p["languageVersion"] == "16" {
					t.Errorf("languageVersion 16 was read through a symlink out of the repository")
				}
			}},
		{name: "symlink-out-folder", files: pyApp, setup: linkOutDir("src"), plan: ok("python")},
		{name: "symlink-absolute", files: pyApp, setup: symlinkAt("Pipfile", "/etc/passwd"), plan: ok("python")},
		{name: "chmod000-file", files: nodeApp, setup: chmod000(".nvmrc", "22\n"), plan: ok("node")},
		{name: "chmod000-folder", files: nodeApp, setup: chmod000("lib/", "module.exports = 1;\n"), plan: ok("node")},
		{name: "deep-nesting", files: pyApp, setup: deepTree(200), plan: ok("python")},
		// One folder with one file more than a walk reads of any folder
		// (MaxWalkEntries+1), the fewest that reach every limit.
		{name: "wide-folder", files: goApp, setup: wideFolder("assets", repo.MaxWalkEntries+2), shared: true, plan: ok("go")},
		{name: "dockerfile-folder", files: goApp, setup: mkdirs("Dockerfile/keep"),
			plan: ok("go"), init: &outcome{code: exitBadInput, say: []string{"Dockerfile", "is a folder", "nothing was written"}}},
		{name: "dockerfile-fifo", files: goApp, setup: fifoAt("Dockerfile"),
			plan: ok("go"), init: &outcome{code: exitBadInput, say: []string{"Dockerfile", "not a regular file", "nothing was written"}}},
		// A .dockerignore linked to a pipe stands for a link to /dev/zero
		// too: following either would hang or read without end. dgen never
		// reads or writes through a link at the target.
		{name: "dockerignore-pipe-link", files: goApp, setup: chain(fifoAt("pipe"), symlinkAt(".dockerignore", "pipe")),
			plan: ok("go"), init: &outcome{code: exitBadInput, say: []string{".dockerignore", "symbolic link", "nothing was written"}}},
		{name: "dockerfile-link-out", files: goApp, setup: linkOut("Dockerfile", "Dockerfile", "FROM "+outsideSentinel+"\n"),
			plan: ok("go"), init: &outcome{code: exitBadInput, say: []string{"Dockerfile", "symbolic link", "nothing was written"}}},
		{name: "readonly-target", files: goApp, setup: readOnly,
			plan: ok("go"), init: &outcome{code: exitError, say: []string{"Dockerfile", "read-only file system", "nothing was written"}}},
	}
}

// runBadCase runs dgen with args over dir and holds the result to want.
func runBadCase(t *testing.T, tc badCase, dir string, want outcome, args ...string) {
	before := listing(t, dir)
	r := runGuarded(t, args...)
	after := listing(t, dir)
	cmd := args[0]

	if r.code != want.code {
		t.Errorf("dgen %s: exit %d, want %d\nstderr: %s", cmd, r.code, want.code, r.stderr)
	}
	for _, s := range want.say {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("dgen %s: stderr does not say %q:\n%s", cmd, s, r.stderr)
		}
	}
	if r.code != exitOK && !strings.HasPrefix(r.stderr, "dgen: ") && !strings.Contains(r.stderr, "\ndgen: ") {
		t.Errorf("dgen %s: a failure must explain itself on stderr, got %q", cmd, r.stderr)
	}
	if c := controlChar(r.stderr); c != "" {
		t.Errorf("dgen %s wrote %s to the terminal: a name or line from the repository must be quoted, or it can rewrite the screen:\n%q", cmd, c, r.stderr)
	}
	seenLine := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		if strings.HasPrefix(l, "dgen: ") && seenLine[l] {
			t.Errorf("dgen %s says the same thing twice:\n%s", cmd, l)
		}
		seenLine[l] = true
		// A message quotes what it found, not all of it: a line of
		// binary junk echoed back helps nobody.
		if n := utf8.RuneCountInString(l); n > maxMessageLine {
			t.Errorf("dgen %s wrote a %d-character line; quote at most a short excerpt of the repository:\n%.200s…", cmd, n, l)
		}
	}
	if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") {
		t.Errorf("dgen %s: stderr looks like a crash:\n%s", cmd, r.stderr)
	}
	for _, out := range []string{r.stdout, r.stderr} {
		if strings.Contains(out, outsideSentinel) {
			t.Errorf("dgen %s printed the content of a file outside the repository:\n%s", cmd, out)
		}
	}

	added := diffListing(before, after)
	switch {
	case cmd == "plan" || r.code != exitOK:
		if len(added) > 0 {
			t.Errorf("dgen %s (exit %d) changed the folder: %v", cmd, r.code, added)
		}
	default:
		// A successful init adds exactly the two files, nothing else (no
		// temporary files left behind).
		var names []string
		for _, a := range added {
			names = append(names, strings.Fields(a)[1])
		}
		if want := []string{`".dockerignore"`, `"Dockerfile"`}; !slices.Equal(names, want) {
			t.Errorf("dgen init changed %v, want exactly the new %v", added, want)
		}
	}
	if r.code != exitOK || t.Failed() {
		return
	}

	if cmd == "plan" {
		if !utf8.ValidString(r.stdout) || !json.Valid([]byte(r.stdout)) {
			t.Fatalf("plan --json stdout is not one valid UTF-8 JSON document:\n%q", r.stdout)
		}
		var p map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
			t.Fatal(err)
		}
		if p["language"] != want.lang {
			t.Errorf("language %v, want %s", p["language"], want.lang)
		}
		if tc.check != nil {
			tc.check(t, p)
		}
		return
	}
	df, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	ign, err := os.ReadFile(filepath.Join(dir, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(df, []byte(outsideSentinel)) || bytes.Contains(ign, []byte(outsideSentinel)) {
		t.Errorf("a written file holds content from outside the repository")
	}
	port := 0
	if m := portRe(df); m > 0 {
		port = m
	}
	res, err := dockerfilecheck.Check(context.Background(), df, ign, dockerfilecheck.Expect{Port: port, Healthcheck: port != 0})
	if err != nil {
		t.Fatalf("the Dockerfile written for this repository does not build: %v\n%s", err, df)
	}
	for _, pr := range res.Problems() {
		t.Errorf("Dockerfile: %s", pr)
	}
	if t.Failed() {
		t.Logf("Dockerfile:\n%s", df)
	}
}

// maxMessageLine is the longest line dgen should write to stderr.
const maxMessageLine = 400

// controlChar names the first control character in s other than newline
// and tab (an escape sequence starts with ESC), or returns "".
func controlChar(s string) string {
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return fmt.Sprintf("the control character %U", r)
		}
	}
	return ""
}

// portRe returns the first EXPOSEd port of a Dockerfile, or 0.
func portRe(df []byte) int {
	for _, l := range strings.Split(string(df), "\n") {
		var n int
		if _, err := fmt.Sscanf(l, "EXPOSE %d", &n); err == nil {
			return n
		}
	}
	return 0
}

// runGuarded runs the CLI in-process like runDgen, but turns a panic into
// a test failure with its stack and gives up on a run that hangs.
func runGuarded(t *testing.T, args ...string) result {
	t.Helper()
	type done struct {
		r     result
		panic any
		stack []byte
	}
	ch := make(chan done, 1)
	ctx, cancel := context.WithTimeout(context.Background(), badRunTimeout)
	defer cancel()
	go func() {
		var d done
		defer func() {
			if p := recover(); p != nil {
				d.panic, d.stack = p, debug.Stack()
			}
			ch <- d
		}()
		var out, errb bytes.Buffer
		e := &env{
			stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
			getenv: func(string) string { return "" },
		}
		code := run(ctx, args, e)
		d.r = result{code, out.String(), errb.String()}
	}()
	select {
	case d := <-ch:
		if d.panic != nil {
			t.Fatalf("dgen %s panicked: %v\n%s", strings.Join(args, " "), d.panic, d.stack)
		}
		return d.r
	case <-time.After(badRunTimeout + 5*time.Second):
		t.Fatalf("dgen %s did not finish in %s: it hangs on this repository (a named pipe opened, or a read without a limit?)", strings.Join(args, " "), badRunTimeout)
	}
	return result{}
}

// makeBadRepo builds the case's repository in a fresh folder.
func makeBadRepo(t *testing.T, tc badCase) string {
	t.Helper()
	base := t.TempDir()
	dir := filepath.Join(base, "repo")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if tc.fixture {
		if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "bad", tc.name))); err != nil {
			t.Fatal(err)
		}
	}
	for name, body := range tc.files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if tc.setup != nil {
		tc.setup(t, dir)
	}
	return dir
}

// listing describes every entry below dir (name, type and permissions,
// size of files, target of links) without following links or opening
// anything, so pipes and huge files are safe to list.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		if err != nil {
			out = append(out, fmt.Sprintf("%q unreadable", rel))
			return nil
		}
		info, err := d.Info()
		if err != nil {
			out = append(out, fmt.Sprintf("%q gone", rel))
			return nil
		}
		line := fmt.Sprintf("%q %v", rel, info.Mode())
		switch {
		case info.Mode().IsRegular():
			line += fmt.Sprintf(" %d", info.Size())
		case info.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			line += " -> " + target
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// diffListing returns the entries of after that are not in before, and
// before's entries missing from after, each as "+ entry" or "- entry".
// Sets, not slices.Contains: a listing can hold 20,000 entries.
func diffListing(before, after []string) []string {
	inBefore := make(map[string]bool, len(before))
	for _, b := range before {
		inBefore[b] = true
	}
	inAfter := make(map[string]bool, len(after))
	for _, a := range after {
		inAfter[a] = true
	}
	var d []string
	for _, a := range after {
		if !inBefore[a] {
			d = append(d, "+ "+a)
		}
	}
	for _, b := range before {
		if !inAfter[b] {
			d = append(d, "- "+b)
		}
	}
	return d
}

// --- what git cannot hold ---

// chain runs several setups in order.
func chain(fns ...func(*testing.T, string)) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		for _, fn := range fns {
			fn(t, dir)
		}
	}
}

func mkdirs(rel string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.MkdirAll(filepath.Join(dir, rel), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// sparse makes a 100 MB file of zeros at rel without writing 100 MB.
func sparse(rel string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		f, err := os.Create(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Truncate(100 << 20); err != nil {
			t.Fatal(err)
		}
	}
}

// fifoAt makes a named pipe at rel: opening it for reading blocks until a
// writer comes, which never happens here.
func fifoAt(rel string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := syscall.Mkfifo(filepath.Join(dir, rel), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// socketAt makes a listening unix socket at rel. The socket is created in
// a short folder (socket paths are limited to 108 bytes) and renamed.
func socketAt(rel string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		tmp, err := os.MkdirTemp("", "s")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(tmp) })
		l, err := net.Listen("unix", filepath.Join(tmp, "s"))
		if err != nil {
			t.Fatal(err)
		}
		l.(*net.UnixListener).SetUnlinkOnClose(false)
		t.Cleanup(func() { l.Close() })
		if err := os.Rename(filepath.Join(tmp, "s"), filepath.Join(dir, rel)); err != nil {
			t.Fatal(err)
		}
	}
}

func symlinkAt(rel, target string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Symlink(target, filepath.Join(dir, rel)); err != nil {
			t.Fatal(err)
		}
	}
}

// symlinkLoop adds links that point at each other and at their own folder.
func symlinkLoop(t *testing.T, dir string) {
	for _, l := range [][2]string{
		{"a", "b"}, {"b", "a"}, // a file loop
		{"self", "self"},          // a link to itself
		{"loop", "."},             // a folder containing itself
		{"pkg/up", ".."},          // back up to the root
		{"package.json", "a"},     // a manifest name on the loop
		{"requirements.txt", "."}, // a manifest name that is a folder link
	} {
		p := filepath.Join(dir, l[0])
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(l[1], p); err != nil {
			t.Fatal(err)
		}
	}
}

// linkOut writes body to a file outside the repository (next to it) and
// links rel to it with a relative path.
func linkOut(rel, outName, body string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		out := filepath.Join(filepath.Dir(dir), "outside")
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, outName), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join("..", "outside", outName), filepath.Join(dir, rel)); err != nil {
			t.Fatal(err)
		}
	}
}

// linkOutDir links folder rel to a folder outside the repository that
// holds a complete, valid-looking Node app.
func linkOutDir(rel string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		out := filepath.Join(filepath.Dir(dir), "outside-app")
		files := map[string]string{
			"package.json": `{"name": "` + outsideSentinel + `", "scripts": {"start": "node ` + outsideSentinel + `.js"}}`,
			"index.js":     "// " + outsideSentinel + "\n",
			"main.py":      "# " + outsideSentinel + "\n",
		}
		for i := 0; i < 50; i++ {
			files[fmt.Sprintf("lib/m%d.js", i)] = "module.exports = '" + outsideSentinel + "';\n"
		}
		for name, body := range files {
			p := filepath.Join(out, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Symlink(filepath.Join("..", "outside-app"), filepath.Join(dir, rel)); err != nil {
			t.Fatal(err)
		}
	}
}

// chmod000 writes rel (a folder when it ends in /, holding one file) and
// takes every permission away. Root still reads it; other users do not.
func chmod000(rel, body string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, rel)
		if strings.HasSuffix(rel, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(p, "index.js"), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		} else if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
		// t.TempDir's cleanup cannot remove a folder it cannot read.
		t.Cleanup(func() { os.Chmod(p, 0o755) })
	}
}

// deepTree nests n folders (a/a/a/…) with Python files at several depths.
func deepTree(n int) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		p := dir
		for i := 0; i < n; i++ {
			p = filepath.Join(p, "a")
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			if i%20 == 0 || i == n-1 {
				if err := os.WriteFile(filepath.Join(p, "m.py"), []byte("import os\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := os.WriteFile(filepath.Join(p, "package.json"), []byte(`{"name":"deep"}`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// wideFolder puts n small JavaScript files in one folder: more than one
// walk may visit, in a folder that is not skipped by name. The files are
// hard links to the first where the file system allows: a link is one
// directory entry, some ten times faster to make than a file, and the walk
// sees the same regular files.
func wideFolder(rel string, n int) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		first := filepath.Join(p, "f00000.js")
		link := true
		for i := 0; i < n; i++ {
			name := filepath.Join(p, fmt.Sprintf("f%05d.js", i))
			if i > 0 && link {
				if os.Link(first, name) == nil {
					continue
				}
				link = false
			}
			if err := os.WriteFile(name, []byte("x=1\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// readOnly makes the repository folder read-only. chmod is enough for
// other users; root writes through it, so as root the folder is
// bind-mounted onto itself read-only (needs CAP_SYS_ADMIN, which the test
// machines have), and the case is skipped where neither works.
func readOnly(t *testing.T, dir string) {
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	if !writable(dir) {
		return
	}
	if err := syscall.Mount(dir, dir, "", syscall.MS_BIND, ""); err != nil {
		t.Skipf("cannot make %s read-only as uid %d: chmod does not bind root and bind mounts are not allowed: %v", dir, os.Getuid(), err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	if err := syscall.Mount("", dir, "", syscall.MS_BIND|syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot remount %s read-only: %v", dir, err)
	}
	if writable(dir) {
		t.Skipf("%s is still writable", dir)
	}
}

func writable(dir string) bool {
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}

// startIs checks the plan's start command runs program.
func startIs(program string) func(*testing.T, map[string]any) {
	return func(t *testing.T, p map[string]any) {
		start, _ := p["start"].([]any)
		if len(start) == 0 {
			t.Fatalf("plan has no start command: %v", p["start"])
		}
		if s, _ := start[0].(string); s != program {
			t.Errorf("start = %v, want it to run %s", start, program)
		}
	}
}

// TestBadInputHelpers checks the simulations themselves: a pipe really
// blocks an open, a socket really refuses one, a sparse file really is
// 100 MB, so the corpus tests what it says it tests.
func TestBadInputHelpers(t *testing.T) {
	dir := t.TempDir()
	fifoAt("p")(t, dir)
	socketAt("s")(t, dir)
	sparse("big")(t, dir)
	opened := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(filepath.Join(dir, "p"), os.O_RDONLY, 0)
		if err == nil {
			f.Close()
		}
		opened <- err
	}()
	select {
	case err := <-opened:
		t.Errorf("opening the pipe returned (%v); it should block", err)
	case <-time.After(200 * time.Millisecond):
		// Unblock the reader so the goroutine ends.
		if w, err := os.OpenFile(filepath.Join(dir, "p"), os.O_WRONLY, 0); err == nil {
			w.Close()
		}
	}
	if _, err := os.ReadFile(filepath.Join(dir, "s")); err == nil || !errors.Is(err, syscall.ENXIO) {
		t.Errorf("reading the socket: %v, want ENXIO", err)
	}
	if st, err := os.Stat(filepath.Join(dir, "big")); err != nil || st.Size() != 100<<20 {
		t.Errorf("sparse file: %v, %v", st, err)
	}
}

// TestRepositoryTextCannotDriveTheTerminal: the text of `dgen plan` shows
// evidence (a source line), warnings (a file name) and notes taken from
// the repository. A repository can hold escape sequences in all of them;
// printed raw they clear the screen, retitle the window or hide lines.
func TestRepositoryTextCannotDriveTheTerminal(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"go.mod": badGoMod,
		"main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {\n" +
			"\thttp.HandleFunc(\"/healthz\", nil) // \x1b]0;owned\x07\n" +
			"\thttp.ListenAndServe(\":8080\" /* \x1b[2J\x1b[31m */, nil)\n}\n",
		"cmd/\x1b[2Jtool/main.go": "package main\n\nfunc main() {}\n",
	})
	for _, args := range [][]string{
		{"plan", "--dir", dir},
		{"plan", "--json", "--dir", dir},
		{"init", "--yes", "--main", ".", "--dry-run", "--dir", dir},
	} {
		r := runGuarded(t, args...)
		if r.code != exitOK {
			t.Errorf("dgen %s: exit %d: %s", strings.Join(args[:len(args)-2], " "), r.code, r.stderr)
		}
		for name, out := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
			if c := controlChar(out); c != "" {
				t.Errorf("dgen %s wrote %s to %s:\n%q", strings.Join(args[:len(args)-2], " "), c, name, out)
			}
		}
	}
}
