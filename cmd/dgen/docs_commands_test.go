package main

// TestDocsCommands runs every dgen command the documentation shows, so that
// each one works as written.
//
// Which commands: every line of a fenced block tagged sh, shell, bash or
// console in README.md and docs/*.md (docs/reference/ is generated from the
// command tree and checked by TestReferenceDocsCurrent). In a console block
// only lines starting with "$ " are commands. Lines continued with a
// backslash are joined. Each line is parsed as a shell command line, and
// every simple command in it whose program is dgen (also bin/dgen,
// ./bin/dgen and go run ./cmd/dgen) runs in-process through run(); the rest
// of the line (docker, pipes into less or jq, redirections) is not run.
//
// Where it runs: in a fresh temporary copy of an example, without the
// example's generated Dockerfile and .dockerignore, which is the state of a
// project dgen has never seen. The example is, first match wins:
//
//  1. the one named by the command's own --dir examples/<name>[/sub] (the
//     flag is pointed at the copy);
//  2. the one named by a marker on the line before the block:
//     <!-- docs-test: example=<name> -->
//  3. the page's default (pageExample below): docs/python.md uses
//     python-fastapi-uv, docs/node.md node-express-pnpm, every other page
//     go-stdlib.
//
// Without --dir the command runs with the copy as its working directory.
// Each command gets its own copy, unless the marker says "sequence": then
// the block's commands run one after another in the same copies, to show
// what a second run does to the files of the first.
//
// Outcome: every command must exit 0, unless the comment at the end of its
// line states the exit code of a command shown failing on purpose
// ("# exit 3: …").
//
// Fixtures: a --templates folder missing from the copy is created holding
// the embedded templates, as the worked example in docs/templates.md does by
// copying them.
//
// Skipped: dgen commands listed in skippedCommands (with the reason), and
// those whose words need a shell to expand ($VAR, $(…)). Commands of other
// programs (docker, podman, cosign, …) are never run; `go test -v` logs
// each with the reason from otherPrograms.

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"

	"github.com/dgen-dev/dgen/detectors/shellwords"
	"github.com/dgen-dev/dgen/templates"
)

// pageExample is the example a page's commands run against when neither
// the command nor a marker names one.
var pageExample = map[string]string{
	"docs/python.md": "python-fastapi-uv",
	"docs/node.md":   "node-express-pnpm",
}

const defaultExample = "go-stdlib"

// skippedCommands are dgen commands the docs show that cannot run here,
// by the exact command line (without its comment), with the reason. An
// entry no page uses any more fails the test, so the list stays true.
var skippedCommands = map[string]string{
	"dgen init --pin --registry-mirror mirror.example.com --dry-run":                 "asks a registry mirror over the network (TestInitPin runs --pin against registries in the test process)",
	"dgen init --pin --registry-mirror gcr.io=gcr-mirror.example.com:5000 --dry-run": "asks a registry mirror over the network (TestInitPin runs --pin against registries in the test process)",
}

// otherPrograms are the programs of documented commands that are not
// dgen, with why the test does not run them; they are logged, so a run
// with -v lists everything the docs show that is left untested.
var otherPrograms = map[string]string{
	"docker":  "needs a Docker engine (and usually a registry)",
	"podman":  "needs Podman and base images",
	"buildah": "needs Buildah and base images",
	"cosign":  "needs a registry and signing keys",
	"trivy":   "needs a vulnerability database",
	"curl":    "needs a running container",
	"git":     "needs the network",
	"go":      "a Go toolchain command (install, test), not dgen",
	"make":    "builds dgen itself",
	"mkdir":   "a setup step; the test creates --templates folders itself",
	"cp":      "a setup step; the test creates --templates folders itself",
}

// docCommand is one dgen command found in a page.
type docCommand struct {
	page  string
	line  int
	text  string // the command line as written, without its comment
	args  []string
	env   map[string]string
	want  int    // expected exit code
	skip  string // why it is not run, "" to run it
	block int    // index of the fenced block in the page
	opts  markerOpts
}

type markerOpts struct {
	example  string
	sequence bool
}

var (
	fenceRe  = regexp.MustCompile("^\\s*(```+|~~~+)\\s*([A-Za-z0-9_-]*)")
	markerRe = regexp.MustCompile(`^\s*<!--\s*docs-test:(.*?)-->\s*$`)
	exitRe   = regexp.MustCompile(`(?i)\bexit(?:s)?(?: with)?(?: code)? (\d+)\b`)
)

// docPages lists README.md and docs/*.md, relative to root.
func docPages(t *testing.T, root string) []string {
	t.Helper()
	pages := []string{"README.md"}
	ms, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		rel, _ := filepath.Rel(root, m)
		pages = append(pages, filepath.ToSlash(rel))
	}
	sort.Strings(pages[1:])
	return pages
}

// extractCommands returns the dgen commands of one page.
func extractCommands(t *testing.T, page string, data string) []docCommand {
	t.Helper()
	var out []docCommand
	lines := strings.Split(data, "\n")
	var fence, lang string
	var opts, pending markerOpts
	block := -1
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if fence == "" {
			if m := markerRe.FindStringSubmatch(l); m != nil {
				pending = parseMarker(t, page, i+1, m[1])
				continue
			}
			if m := fenceRe.FindStringSubmatch(l); m != nil {
				fence, lang = m[1], strings.ToLower(m[2])
				opts, pending = pending, markerOpts{}
				block++
				continue
			}
			if strings.TrimSpace(l) != "" {
				pending = markerOpts{}
			}
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(l), fence) {
			fence = ""
			continue
		}
		switch lang {
		case "sh", "shell", "bash", "console":
		default:
			continue
		}
		start := i + 1
		text := l
		if lang == "console" {
			rest, ok := strings.CutPrefix(strings.TrimLeft(text, " "), "$ ")
			if !ok {
				continue
			}
			text = rest
		}
		for strings.HasSuffix(text, `\`) && i+1 < len(lines) {
			i++
			text = strings.TrimSuffix(text, `\`) + " " + strings.TrimSpace(lines[i])
		}
		for _, c := range parseCommandLine(t, page, start, text) {
			c.block, c.opts = block, opts
			out = append(out, c)
		}
	}
	return out
}

func parseMarker(t *testing.T, page string, line int, s string) markerOpts {
	var o markerOpts
	for _, f := range strings.Fields(s) {
		switch {
		case strings.HasPrefix(f, "example="):
			o.example = strings.TrimPrefix(f, "example=")
		case f == "sequence":
			o.sequence = true
		default:
			t.Errorf("%s:%d: unknown docs-test marker option %q (use example=<name> or sequence)", page, line, f)
		}
	}
	return o
}

// parseCommandLine finds the dgen commands in one shell command line.
func parseCommandLine(t *testing.T, page string, line int, text string) []docCommand {
	f, err := syntax.NewParser(syntax.KeepComments(true), syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
	if err != nil {
		if strings.Contains(text, "dgen ") {
			t.Errorf("%s:%d: cannot parse %q as a shell command line: %v", page, line, text, err)
		}
		return nil
	}
	comment := ""
	syntax.Walk(f, func(n syntax.Node) bool {
		if st, ok := n.(*syntax.Stmt); ok {
			for _, c := range st.Comments {
				comment += c.Text
			}
		}
		return true
	})
	for _, c := range f.Last {
		comment += c.Text
	}
	want := 0
	if m := exitRe.FindStringSubmatch(comment); m != nil {
		want, _ = strconv.Atoi(m[1])
	}
	var out []docCommand
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		words, static := make([]string, 0, len(call.Args)), true
		for _, w := range call.Args {
			s, ok := staticWord(w)
			if !ok {
				static = false
			}
			words = append(words, s)
		}
		var args []string
		switch {
		case words[0] == "dgen" || words[0] == "bin/dgen" || words[0] == "./bin/dgen":
			args = words[1:]
		case len(words) >= 3 && words[0] == "go" && words[1] == "run" && strings.TrimSuffix(words[2], "/") == "./cmd/dgen":
			args = words[3:]
		default:
			why, ok := otherPrograms[words[0]]
			if !ok {
				why = "not a dgen command"
			}
			t.Logf("%s:%d: not run: %s: %s", page, line, strings.Join(words, " "), why)
			return true
		}
		c := docCommand{page: page, line: line, text: cutComment(text), args: args, env: map[string]string{}, want: want}
		for _, a := range call.Assigns {
			v := ""
			if a.Value != nil {
				s, ok := staticWord(a.Value)
				if !ok {
					static = false
				}
				v = s
			}
			c.env[a.Name.Value] = v
		}
		if !static {
			c.skip = "needs a shell to expand $… in its words"
		}
		if r, ok := skippedCommands[c.text]; ok {
			c.skip = r
		}
		if slices.Contains(args, "verify") || slices.Contains(args, "--verify") {
			c.skip = "builds and runs a container: needs Docker or Podman and the base images (generator/verify's tests cover it with a scripted engine)"
		}
		out = append(out, c)
		return true
	})
	return out
}

// staticWord returns a word's value when it needs no expansion.
func staticWord(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			b.WriteString(shellwords.Unescape(p.Value))
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				lit, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				b.WriteString(lit.Value)
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// cutComment removes a trailing shell comment (a # that starts a word
// outside quotes) and surrounding space.
func cutComment(s string) string {
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t'):
			return strings.TrimSpace(s[:i])
		}
	}
	return strings.TrimSpace(s)
}

// copyExample copies examples/<name> to a new temporary folder, leaving
// out the generated Dockerfile and .dockerignore at its top.
func copyExample(t *testing.T, root, name, parent string) string {
	t.Helper()
	src := filepath.Join(root, "examples", name)
	if st, err := os.Stat(src); err != nil || !st.IsDir() {
		t.Fatalf("example %q: no folder %s", name, src)
	}
	dst, err := os.MkdirTemp(parent, name+"-")
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			if d.Name() == "node_modules" || d.Name() == ".git" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() || rel == "Dockerfile" || rel == ".dockerignore" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// writeTemplates fills dir with the embedded templates.
func writeTemplates(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := fs.ReadDir(templates.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := fs.ReadFile(templates.FS, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDocsCommands(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	perPage := map[string]int{}
	used := map[string]bool{}
	ran := 0
	for _, page := range docPages(t, root) {
		data, err := os.ReadFile(filepath.Join(root, page))
		if err != nil {
			t.Fatal(err)
		}
		cmds := extractCommands(t, page, string(data))
		// Copies shared by the commands of a "sequence" block live as
		// long as this test, not one subtest.
		shared := t.TempDir()
		copies := map[int]map[string]string{} // block → example → copy
		for _, c := range cmds {
			perPage[page]++
			if _, ok := skippedCommands[c.text]; ok {
				used[c.text] = true
			}
			if c.skip != "" {
				t.Logf("%s:%d: skipped %q: %s", c.page, c.line, c.text, c.skip)
				continue
			}
			ran++
			t.Run(strings.ReplaceAll(page, "/", "_")+":"+strconv.Itoa(c.line), func(t *testing.T) {
				runDocCommand(t, root, shared, c, copies)
			})
		}
	}
	for cmd := range skippedCommands {
		if !used[cmd] {
			t.Errorf("skippedCommands lists %q, which no page shows any more: remove it", cmd)
		}
	}
	// The extractor must keep finding the commands of the main pages; a
	// change of fence style must not make this test pass vacuously.
	for _, page := range []string{"README.md", "docs/getting-started.md", "docs/go.md", "docs/node.md", "docs/python.md", "docs/templates.md", "docs/faq.md"} {
		if perPage[page] < 2 {
			t.Errorf("%s: found %d dgen commands in its shell blocks, expected at least 2", page, perPage[page])
		}
	}
	if ran < 30 {
		t.Errorf("ran %d documented commands, expected at least 30", ran)
	}
}

// runDocCommand runs one documented command in its example copy.
func runDocCommand(t *testing.T, root, shared string, c docCommand, copies map[int]map[string]string) {
	example := c.opts.example
	if example == "" {
		example = pageExample[c.page]
	}
	if example == "" {
		example = defaultExample
	}
	copyOf := func(name string) string {
		if !c.opts.sequence {
			return copyExample(t, root, name, t.TempDir())
		}
		if copies[c.block] == nil {
			copies[c.block] = map[string]string{}
		}
		d, ok := copies[c.block][name]
		if !ok {
			d = copyExample(t, root, name, shared)
			copies[c.block][name] = d
		}
		return d
	}
	own := map[string]string{}
	copyOnce := func(name string) string {
		if d, ok := own[name]; ok {
			return d
		}
		own[name] = copyOf(name)
		return own[name]
	}
	args := append([]string(nil), c.args...)
	cwd := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		var val *string
		switch {
		case (a == "--dir" || a == "-C") && i+1 < len(args):
			val = &args[i+1]
		case strings.HasPrefix(a, "--dir="):
			v := strings.TrimPrefix(a, "--dir=")
			args[i] = "--dir"
			args = append(args[:i+1], append([]string{v}, args[i+1:]...)...)
			val = &args[i+1]
		}
		if val == nil {
			continue
		}
		rest, ok := strings.CutPrefix(filepath.ToSlash(filepath.Clean(*val)), "examples/")
		if !ok {
			continue
		}
		name, sub, _ := strings.Cut(rest, "/")
		*val = filepath.Join(copyOnce(name), filepath.FromSlash(sub))
		cwd = filepath.Dir(copyOnce(name))
	}
	if cwd == "" {
		cwd = copyOnce(example)
	}
	t.Chdir(cwd)
	for i, a := range args {
		if a == "--templates" && i+1 < len(args) {
			if _, err := os.Stat(args[i+1]); err != nil {
				writeTemplates(t, args[i+1])
			}
		}
	}
	r := runDgen(t, nil, c.env, args...)
	if r.code != c.want {
		t.Errorf("%s:%d: %s\nexited %d, the page expects %d\nstderr:\n%s\nstdout:\n%s", c.page, c.line, c.text, r.code, c.want, r.stderr, r.stdout)
	}
}
