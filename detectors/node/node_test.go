package node

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// nodeDetect runs the Node detector and fails the test on an error.
func nodeDetect(t *testing.T, files map[string]string, answers facts.Answers) *facts.Detection {
	t.Helper()
	if answers == nil {
		answers = facts.Answers{}
	}
	det, err := Detector{}.Detect(detecttest.MapFS(files), answers)
	if err != nil {
		t.Fatalf("Detect: %v", err)
	}
	return det
}

func TestNodePackageManager(t *testing.T) {
	tests := []struct {
		name        string
		files       map[string]string
		answers     facts.Answers
		manager     string
		version     string
		major       string
		lockfile    string
		corepack    bool
		evFile      string
		evLine      int
		evDetail    string
		note        string
		problemFile string
	}{
		{
			name: "packageManager field with hash",
			files: map[string]string{
				"package.json":   "{\n  \"name\": \"a\",\n  \"packageManager\": \"pnpm@9.12.0+sha512.abc123\"\n}",
				"pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
			},
			manager: "pnpm", version: "9.12.0", major: "9", lockfile: "pnpm-lock.yaml", corepack: true,
			evFile: "package.json", evLine: 3, evDetail: "pnpm@9.12.0",
		},
		{
			name:    "packageManager yarn 4 is berry",
			files:   map[string]string{"package.json": `{"packageManager": "yarn@4.5.1"}`, "yarn.lock": "__metadata:\n  version: 8\n"},
			manager: "yarn-berry", version: "4.5.1", major: "4", lockfile: "yarn.lock", corepack: true,
			evFile: "package.json", evDetail: "yarn@4.5.1",
		},
		{
			name:    "packageManager yarn 1 is classic",
			files:   map[string]string{"package.json": `{"packageManager": "yarn@1.22.22"}`, "yarn.lock": "# yarn lockfile v1\n"},
			manager: "yarn", version: "1.22.22", major: "1", lockfile: "yarn.lock", corepack: true,
			evFile: "package.json", evDetail: "yarn@1.22.22",
		},
		{
			name:    "invalid packageManager falls back to the lockfile",
			files:   map[string]string{"package.json": `{"packageManager": "pnpm@latest"}`, "package-lock.json": "{}"},
			manager: "npm", lockfile: "package-lock.json",
			evFile: "package-lock.json", evDetail: "lockfile package-lock.json", problemFile: "package.json",
		},
		{
			name:    "packageManager field with a stray lockfile",
			files:   map[string]string{"package.json": `{"packageManager": "pnpm@9.1.0"}`, "pnpm-lock.yaml": "lockfileVersion: '9.0'\n", "package-lock.json": "{}"},
			manager: "pnpm", version: "9.1.0", major: "9", lockfile: "pnpm-lock.yaml", corepack: true,
			evFile: "package.json", evDetail: "pnpm@9.1.0", note: "package-lock.json is also present",
		},
		{
			name:    "pnpm lockfile 9.0",
			files:   map[string]string{"package.json": `{}`, "pnpm-lock.yaml": "lockfileVersion: '9.0'\n\nsettings: {}\n"},
			manager: "pnpm", major: "9", lockfile: "pnpm-lock.yaml", evFile: "pnpm-lock.yaml", evDetail: "lockfile pnpm-lock.yaml",
		},
		{
			name:    "pnpm lockfile 5.3 is pnpm 6",
			files:   map[string]string{"package.json": `{}`, "pnpm-lock.yaml": "lockfileVersion: 5.3\n"},
			manager: "pnpm", major: "6", lockfile: "pnpm-lock.yaml", evFile: "pnpm-lock.yaml", evDetail: "pnpm-lock.yaml",
		},
		{
			name:    "pnpm lockfile 5.4 is pnpm 7",
			files:   map[string]string{"package.json": `{}`, "pnpm-lock.yaml": "lockfileVersion: 5.4\n"},
			manager: "pnpm", major: "7", lockfile: "pnpm-lock.yaml", evFile: "pnpm-lock.yaml", evDetail: "pnpm-lock.yaml",
		},
		{
			name:    "pnpm lockfile 6.0 is pnpm 8",
			files:   map[string]string{"package.json": `{}`, "pnpm-lock.yaml": "lockfileVersion: '6.0'\n"},
			manager: "pnpm", major: "8", lockfile: "pnpm-lock.yaml", evFile: "pnpm-lock.yaml", evDetail: "pnpm-lock.yaml",
		},
		{
			name:    "bun.lock text lockfile",
			files:   map[string]string{"package.json": `{}`, "bun.lock": "{\n  \"lockfileVersion\": 1,\n}\n"},
			manager: "bun", lockfile: "bun.lock", evFile: "bun.lock", evDetail: "lockfile bun.lock",
		},
		{
			name:    "bun.lockb binary lockfile",
			files:   map[string]string{"package.json": `{}`, "bun.lockb": "\x00\x01"},
			manager: "bun", lockfile: "bun.lockb", evFile: "bun.lockb", evDetail: "lockfile bun.lockb",
		},
		{
			name:    "yarn.lock v1 is yarn classic",
			files:   map[string]string{"package.json": `{}`, "yarn.lock": "# yarn lockfile v1\n"},
			manager: "yarn", major: "1", lockfile: "yarn.lock", evFile: "yarn.lock", evDetail: "lockfile yarn.lock",
		},
		{
			name:    "yarn.lock with .yarnrc.yml is berry",
			files:   map[string]string{"package.json": `{}`, "yarn.lock": "# yarn lockfile v1\n", ".yarnrc.yml": "nodeLinker: node-modules\n"},
			manager: "yarn-berry", major: "4", lockfile: "yarn.lock", evFile: "yarn.lock", evDetail: "Berry",
		},
		{
			name:    "yarn.lock in berry format, metadata version 6 is yarn 3",
			files:   map[string]string{"package.json": `{}`, "yarn.lock": "__metadata:\n  version: 6\n  cacheKey: 8\n"},
			manager: "yarn-berry", major: "3", lockfile: "yarn.lock", evFile: "yarn.lock", evDetail: "Berry",
		},
		{
			name:    "package-lock.json is npm",
			files:   map[string]string{"package.json": `{}`, "package-lock.json": `{"lockfileVersion": 3}`},
			manager: "npm", lockfile: "package-lock.json", evFile: "package-lock.json", evDetail: "lockfile package-lock.json",
		},
		{
			name:    "answer picks among lockfiles",
			files:   map[string]string{"package.json": `{}`, "package-lock.json": "{}", "yarn.lock": "# yarn lockfile v1\n"},
			answers: facts.Answers{"packageManager": "npm"},
			manager: "npm", lockfile: "package-lock.json", evFile: "package-lock.json", evDetail: "chosen: npm",
		},
		{
			name:    "engines.pnpm without a lockfile",
			files:   map[string]string{"package.json": "{\n  \"engines\": {\n    \"pnpm\": \">=9.4.0\"\n  }\n}"},
			manager: "pnpm", major: "9", evFile: "package.json", evLine: 3, evDetail: `"pnpm": ">=9.4.0"`, note: "no lockfile",
		},
		{
			name:    "engines.yarn 4 is berry",
			files:   map[string]string{"package.json": `{"engines": {"yarn": "^4.0.0"}}`},
			manager: "yarn-berry", major: "4", evFile: "package.json", evDetail: `"yarn": "^4.0.0"`,
		},
		{
			name:    "engines.bun exact version",
			files:   map[string]string{"package.json": `{"engines": {"bun": "1.2.3"}}`},
			manager: "bun", version: "1.2.3", major: "1", evFile: "package.json", evDetail: `"bun": "1.2.3"`,
		},
		{
			name:    "nothing says: npm",
			files:   map[string]string{"package.json": `{}`},
			manager: "npm", evFile: "package.json", evDetail: "npm, which ships with Node", note: "no lockfile",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := nodeDetect(t, tt.files, tt.answers)
			nf := det.Node
			if det.PackageManager != tt.manager || det.PackageManagerVersion != tt.version || nf.ManagerMajor != tt.major ||
				nf.Lockfile != tt.lockfile || nf.Corepack != tt.corepack {
				t.Errorf("got manager %q version %q major %q lockfile %q corepack %v, want %q %q %q %q %v",
					det.PackageManager, det.PackageManagerVersion, nf.ManagerMajor, nf.Lockfile, nf.Corepack,
					tt.manager, tt.version, tt.major, tt.lockfile, tt.corepack)
			}
			detecttest.WantCited(t, det, "packageManager", tt.evFile, tt.evLine, tt.evDetail)
			if tt.note != "" && !detecttest.HasNote(det, tt.note) {
				t.Errorf("notes %q lack %q", det.Notes, tt.note)
			}
			if tt.problemFile != "" && !detecttest.HasFileProblem(det, tt.problemFile, "") {
				t.Errorf("problems %v lack one for %s", det.Problems, tt.problemFile)
			}
			if tt.answers == nil && len(det.Choices) != 0 {
				t.Errorf("unexpected choices %+v", det.Choices)
			}
		})
	}
}

func TestNodeSeveralLockfilesIsASafeChoice(t *testing.T) {
	files := map[string]string{"package.json": `{}`, "package-lock.json": "{}", "pnpm-lock.yaml": "lockfileVersion: '9.0'\n"}
	det := nodeDetect(t, files, nil)
	if len(det.Choices) != 1 {
		t.Fatalf("choices = %+v, want one", det.Choices)
	}
	c := det.Choices[0]
	if c.Key != "packageManager" || c.Flag != "--package-manager" || !c.Safe || c.Default != "pnpm" || c.Reason == "" {
		t.Errorf("choice = %+v, want a safe packageManager choice defaulting to pnpm with a reason", c)
	}
	var vals []string
	for _, o := range c.Options {
		vals = append(vals, o.Value)
		if o.Evidence == nil || o.Evidence.File == "" {
			t.Errorf("option %s has no evidence", o.Value)
		}
	}
	if !reflect.DeepEqual(vals, []string{"pnpm", "npm"}) {
		t.Errorf("options = %v, want [pnpm npm]", vals)
	}
	// The answer settles it: the choice is not offered again.
	det = nodeDetect(t, files, facts.Answers{"packageManager": "npm"})
	if len(det.Choices) != 0 || det.PackageManager != "npm" || det.Node.Lockfile != "package-lock.json" {
		t.Errorf("with answer: manager %q lockfile %q choices %+v", det.PackageManager, det.Node.Lockfile, det.Choices)
	}
}

func TestNodeVersion(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		want     string
		evFile   string
		evLine   int
		evDetail string
		note     string
		problem  string
	}{
		{"nvmrc full version", map[string]string{".nvmrc": "v22.3.0\n"}, "22", ".nvmrc", 1, "v22.3.0 → Node 22", "", ""},
		{"nvmrc major after a comment", map[string]string{".nvmrc": "# pinned\n24\n"}, "24", ".nvmrc", 2, "24 → Node 24", "", ""},
		{"nvmrc lts/*", map[string]string{".nvmrc": "lts/*"}, "26", ".nvmrc", 1, "lts/*", "", ""},
		{"nvmrc lts codename", map[string]string{".nvmrc": "lts/jod"}, "22", ".nvmrc", 1, "lts/jod", "", ""},
		{"nvmrc node is newest", map[string]string{".nvmrc": "node"}, "26", ".nvmrc", 1, "node", "", ""},
		{"nvmrc stable is newest", map[string]string{".nvmrc": "stable"}, "26", ".nvmrc", 1, "stable", "", ""},
		{"nvmrc end-of-life major is honoured with a note", map[string]string{".nvmrc": "20"}, "20", ".nvmrc", 1, "Node 20", "end of life", ""},
		{"node-version", map[string]string{".node-version": "24.11.1"}, "24", ".node-version", 1, "24.11.1", "", ""},
		{"tool-versions", map[string]string{".tool-versions": "python 3.12.1\nnodejs 22.11.0\n"}, "22", ".tool-versions", 2, "22.11.0", "", ""},
		{"mise.toml", map[string]string{"mise.toml": "[env]\nNODE_ENV = \"x\"\n\n[tools]\nnode = \"24\"\n"}, "24", "mise.toml", 5, "24 → Node 24", "", ""},
		{"nvmrc beats engines", map[string]string{".nvmrc": "22", "package.json": `{"engines": {"node": ">=24"}}`}, "22", ".nvmrc", 1, "22", "", ""},
		{"bad nvmrc falls through to engines", map[string]string{".nvmrc": "lts/unknown", "package.json": `{"engines": {"node": ">=24"}}`}, "26", "package.json", 0, `">=24" → Node 26`, "", ".nvmrc"},
		{"engines lower bound: newest LTS", map[string]string{"package.json": "{\n\"engines\": {\n\"node\": \">=20\"}}"}, "26", "package.json", 3, `">=20" → Node 26`, "", ""},
		{"engines caret on an LTS", map[string]string{"package.json": `{"engines": {"node": "^22.3.0"}}`}, "22", "package.json", 0, "Node 22", "", ""},
		{"engines tilde", map[string]string{"package.json": `{"engines": {"node": "~24.1"}}`}, "24", "package.json", 0, "Node 24", "", ""},
		{"engines or-range prefers the newest LTS", map[string]string{"package.json": `{"engines": {"node": "^20.19.0 || ^22.12.0 || >=24"}}`}, "26", "package.json", 0, "Node 26", "", ""},
		{"engines space-separated and-range", map[string]string{"package.json": `{"engines": {"node": ">=18 <23"}}`}, "22", "package.json", 0, "Node 22", "", ""},
		{"engines only end-of-life majors: newest with a note", map[string]string{"package.json": `{"engines": {"node": "18.x || 20.x"}}`}, "20", "package.json", 0, "Node 20", "no supported LTS", ""},
		{"engines unsatisfiable: default with a problem", map[string]string{"package.json": `{"engines": {"node": ">=99"}}`}, "", "", 0, "", "", "package.json"},
		{"engines not a range", map[string]string{"package.json": `{"engines": {"node": "banana"}}`}, "", "", 0, "", "", "package.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"package.json": `{}`}
			for k, v := range tt.files {
				files[k] = v
			}
			det := nodeDetect(t, files, nil)
			if det.LanguageVersion != tt.want {
				t.Fatalf("LanguageVersion = %q, want %q (problems %v)", det.LanguageVersion, tt.want, det.Problems)
			}
			if tt.evFile != "" {
				detecttest.WantCited(t, det, "languageVersion", tt.evFile, tt.evLine, tt.evDetail)
			}
			if _, ok := det.Evidence["languageVersion"]; tt.want == "" && ok {
				t.Errorf("evidence for a version that was not detected: %v", det.Evidence["languageVersion"])
			}
			if tt.note != "" && !detecttest.HasNote(det, tt.note) {
				t.Errorf("notes %q lack %q", det.Notes, tt.note)
			}
			if tt.problem != "" && !detecttest.HasFileProblem(det, tt.problem, "") {
				t.Errorf("problems %v lack one for %s", det.Problems, tt.problem)
			}
		})
	}
}

func TestNodePackageJSONErrors(t *testing.T) {
	_, err := Detector{}.Detect(detecttest.MapFS(map[string]string{"package.json": "{\n  \"name\": \"x\",\n  \"scripts\": {\n}\n"}), facts.Answers{})
	if err == nil || !strings.Contains(err.Error(), "package.json") || !strings.Contains(err.Error(), "line") || !strings.Contains(err.Error(), "column") {
		t.Errorf("malformed package.json: err = %v, want one naming the file, line and column", err)
	}
	_, err = Detector{}.Detect(detecttest.MapFS(map[string]string{"package.json": "{\"a\": 1,}"}), facts.Answers{})
	if err == nil || !strings.Contains(err.Error(), "line 1, column") {
		t.Errorf("trailing comma: err = %v, want line 1 and a column", err)
	}
	_, err = Detector{}.Detect(detecttest.MapFS(map[string]string{"package.json": "[]"}), facts.Answers{})
	if err == nil || !strings.Contains(err.Error(), "not a JSON object") {
		t.Errorf("array: err = %v", err)
	}
	// A directory named package.json is refused with its name.
	_, err = Detector{}.Detect(fstest.MapFS{"package.json/x": &fstest.MapFile{}}, facts.Answers{})
	if err == nil || !strings.Contains(err.Error(), "package.json") {
		t.Errorf("directory: err = %v", err)
	}
	// A BOM is tolerated; a field of the wrong type is a problem, not a failure.
	det := nodeDetect(t, map[string]string{
		"package.json": "\ufeff{\"scripts\": [\"x\"], \"dependencies\": {\"express\": \"^5\"}, \"main\": \"server.js\"}",
		"server.js":    "app.listen(3000)",
	}, nil)
	if det.Framework != "express" || !detecttest.HasFileProblem(det, "package.json", `"scripts" is not an object`) {
		t.Errorf("framework %q problems %v", det.Framework, det.Problems)
	}
	detecttest.WantCited(t, det, "start", "package.json", 1, `"main": "server.js"`)
}

func TestNodeNeverPanics(t *testing.T) {
	inputs := []map[string]string{
		{"package.json": "null"},
		{"package.json": `{"scripts": null, "engines": 5, "workspaces": 7, "packageManager": 1}`},
		{"package.json": `{"workspaces": ["**"]}`, "a/package.json": "{", "b/package.json": `{"name": 3}`},
		{"package.json": `{"dependencies": {"next": "1"}}`, "next.config.js": "output:"},
		{"package.json": `{"dependencies": {"@angular/core": "1"}}`, "angular.json": `{"projects": {"a": {"architect": {"build": {"options": {"outputPath": 5}}}}}}`},
		{"package.json": `{"scripts": {"start": "\"unterminated"}}`},
		{"package.json": `{}`, "pnpm-workspace.yaml": ": : :"},
		{"package.json": `{}`, "pnpm-lock.yaml": "lockfileVersion: 99\n", ".nvmrc": "lts/"},
		{"package.json": `{"engines": {"node": "||"}}`, "mise.toml": "[tools]\nnode = ["},
		{"package.json": `{"workspaces": ["a"]}`, "a/package.json": `{"name": "a", "dependencies": {"b": "*"}}`, "b/package.json": `{"name": "b", "dependencies": {"a": "*"}}`},
	}
	for i, files := range inputs {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("input %d panicked: %v", i, r)
				}
			}()
			_, _ = Detector{}.Detect(detecttest.MapFS(files), facts.Answers{})
			_, _ = Detector{}.Detect(detecttest.MapFS(files), facts.Answers{"app": "a", "main": "x", "packageManager": "pnpm"})
		}()
	}
}

func TestNodePnpmWorkspaceWithoutLockfile(t *testing.T) {
	det := nodeDetect(t, map[string]string{
		"package.json":          `{}`,
		"pnpm-workspace.yaml":   "packages: ['apps/*']\n",
		"apps/api/package.json": `{"name": "api", "scripts": {"start": "node index.js"}}`,
	}, facts.Answers{"app": "apps/api"})
	if det.PackageManager != "pnpm" || det.Node.ManagerMajor != catalog.PnpmDefaultMajor || !detecttest.HasNote(det, "commit pnpm-lock.yaml") {
		t.Errorf("manager %q major %q notes %q", det.PackageManager, det.Node.ManagerMajor, det.Notes)
	}
	detecttest.WantCited(t, det, "packageManager", "pnpm-workspace.yaml", 0, "pnpm workspace")
}

func TestNodeVersionFileProblems(t *testing.T) {
	for name, data := range map[string]string{
		"huge":    strings.Repeat("\x00", maxVersionFile+10),
		"binary":  "\x00\x01\x02\xff",
		"garbage": "this is not a version\n",
	} {
		det := nodeDetect(t, map[string]string{"package.json": `{"engines": {"node": "22"}}`, ".nvmrc": data}, nil)
		if !detecttest.HasFileProblem(det, ".nvmrc", "") || det.LanguageVersion != "22" {
			t.Errorf("%s .nvmrc: problems %v version %q, want a problem and engines.node used", name, det.Problems, det.LanguageVersion)
		}
	}
}
