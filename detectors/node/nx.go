package node

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// nxProject is what dgen reads of an Nx project: its project.json build
// target, or the outputs a webpack.config.js with Nx's plugin names when
// Nx infers the target.
type nxProject struct {
	dir, name string
	// file is where outputPath and main were read, line the line of
	// outputPath there.
	file string
	line int
	app  bool // projectType "application"
	// executor is the build target's executor ("@nx/webpack:webpack"),
	// "webpack" for an inferred target.
	executor       string
	outputPath     string // relative to the workspace root
	main           string // relative to the workspace root
	outputFileName string
}

// readNxProject reads dir/project.json (or the webpack.config.js beside
// it); ok is false when dir has neither or they name no build output.
func readNxProject(fsys fs.FS, dir string) (nxProject, bool) {
	p := nxProject{dir: dir, name: path.Base(dir)}
	file := path.Join(dir, "project.json")
	if data, err := repo.ReadPrefix(fsys, file, 256<<10); err == nil {
		var doc struct {
			Name        string `json:"name"`
			ProjectType string `json:"projectType"`
			Targets     map[string]struct {
				Executor string `json:"executor"`
				Options  struct {
					OutputPath     string `json:"outputPath"`
					Main           string `json:"main"`
					OutputFileName string `json:"outputFileName"`
				} `json:"options"`
			} `json:"targets"`
		}
		if json.Unmarshal(data, &doc) == nil {
			if npmNameRe.MatchString(doc.Name) {
				p.name = doc.Name
			}
			p.app = doc.ProjectType == "application"
			if b, ok := doc.Targets["build"]; ok && b.Options.OutputPath != "" && b.Options.Main != "" {
				p.file, p.executor = file, b.Executor
				p.outputPath = nxToken(b.Options.OutputPath, dir, p.name)
				p.main = nxToken(b.Options.Main, dir, p.name)
				p.outputFileName = b.Options.OutputFileName
				p.line = lineOf(data, `"outputPath"`)
				return p, p.outputPath != "" && p.main != ""
			}
		}
	}
	return p.inferredWebpack(fsys)
}

var (
	nxWebpackOutRe  = regexp.MustCompile(`\bpath\s*:\s*(?:path\.)?(?:join|resolve)\(\s*__dirname\s*,\s*['"]([^'"]+)['"]\s*\)`)
	nxWebpackMainRe = regexp.MustCompile(`\bmain\s*:\s*['"]([^'"]+)['"]`)
)

// inferredWebpack reads a webpack.config.js that builds with Nx's plugin
// (Nx 18 and later infer the build target from it).
func (p nxProject) inferredWebpack(fsys fs.FS) (nxProject, bool) {
	for _, f := range []string{"webpack.config.js", "webpack.config.cjs", "webpack.config.ts"} {
		file := path.Join(p.dir, f)
		data, err := repo.ReadPrefix(fsys, file, 64<<10)
		if err != nil || !strings.Contains(string(data), "NxAppWebpackPlugin") {
			continue
		}
		out, main := nxWebpackOutRe.FindSubmatchIndex(data), nxWebpackMainRe.FindSubmatch(data)
		if out == nil || main == nil {
			return p, false
		}
		p.file, p.executor, p.app = file, "webpack", true
		p.outputPath = cleanRootPath(path.Join(p.dir, string(data[out[2]:out[3]])))
		p.main = cleanRootPath(path.Join(p.dir, string(main[1])))
		p.line = repo.LineAt(data, out[0])
		return p, p.outputPath != "" && p.main != ""
	}
	return p, false
}

// nxToken replaces Nx's {workspaceRoot}, {projectRoot} and {projectName}
// in an option and cleans the path; "" when it leaves the workspace.
func nxToken(v, dir, name string) string {
	v = strings.NewReplacer("{workspaceRoot}/", "", "{workspaceRoot}", "", "{projectRoot}", dir, "{projectName}", name).Replace(v)
	return cleanRootPath(v)
}

// cleanRootPath cleans a workspace-relative path; "" when it leaves the
// workspace or is not safe to write into a command.
func cleanRootPath(p string) string {
	p = strings.TrimPrefix(path.Clean(p), "./")
	if p == "." || strings.HasPrefix(p, "../") || p == ".." || path.IsAbs(p) || !safePath(p) {
		return ""
	}
	return p
}

// lineOf is the line of the first occurrence of s in data, 0 when absent.
func lineOf(data []byte, s string) int {
	if i := strings.Index(string(data), s); i >= 0 {
		return repo.LineAt(data, i)
	}
	return 0
}

// startFile is the file the build writes for main: bundlers write one
// file (webpack and rspack main.js, esbuild main's name), tsc and swc keep
// main's path under the project folder. ok is false for an executor dgen
// does not know.
func (p nxProject) startFile() (string, bool) {
	stem := strings.TrimSuffix(path.Base(p.main), path.Ext(p.main))
	switch {
	case strings.Contains(p.executor, "webpack"), strings.Contains(p.executor, "rspack"):
		name := p.outputFileName
		if name == "" {
			name = "main.js"
		}
		return path.Join(p.outputPath, name), true
	case strings.Contains(p.executor, "esbuild"):
		name := p.outputFileName
		if name == "" {
			name = stem + ".js"
		}
		return path.Join(p.outputPath, name), true
	case strings.HasSuffix(p.executor, ":tsc"), strings.HasSuffix(p.executor, ":swc"):
		rel := strings.TrimPrefix(strings.TrimPrefix(p.main, p.dir), "/")
		return path.Join(p.outputPath, strings.TrimSuffix(rel, path.Ext(rel))+".js"), true
	}
	return "", false
}

// nxStart takes the build and start commands from the app's Nx build
// target: `nx build <project>`, then node on the file it writes (a path
// from the workspace root, where the app then runs). It reports whether
// it did.
func (a *nodeApp) nxStart() bool {
	det, nf := a.det, a.det.Node
	p := a.nx
	if p == nil {
		if a.ws == nil || !a.ws.Nx {
			return false
		}
		found, ok := readNxProject(a.root, a.dir)
		if !ok {
			return false
		}
		if a.pkg.Name != "" && npmNameRe.MatchString(a.pkg.Name) && !repo.IsFile(a.root, path.Join(a.dir, "project.json")) {
			found.name = a.pkg.Name
		}
		p = &found
	}
	start, ok := p.startFile()
	if !ok {
		det.Notef("%s: the build executor %q is not one dgen knows the output of; pass --start with the built file", p.file, p.executor)
		return false
	}
	nf.BuildScript, nf.BuildScriptName, nf.NxProject = "nx build "+p.name, "", p.name
	det.Build = binRunners[det.PackageManager] + " nx build " + p.name
	det.Cite("build", p.file, p.line, "Nx build target of "+p.name+": outputPath "+p.outputPath+", main "+p.main)
	det.Start = []string{"node", start}
	det.Cite("start", p.file, p.line, fmt.Sprintf("%s builds %s to %s", p.executor, p.main, start))
	nf.StartFromRoot = true
	return true
}

// nxIntegrated handles an Nx repository whose projects have project.json
// files but no package.json (one package at the root): the chosen
// application project is built, and ok is false while none is chosen. It
// returns nil when the repository is not one.
func nxIntegrated(fsys fs.FS, root *packageJSON, det *facts.Detection, answers facts.Answers) (p *nxProject, err error) {
	if !repo.IsFile(fsys, "nx.json") {
		return nil, nil
	}
	if !root.has("nx") {
		det.Notef("nx.json is present but nx is not a dependency of the root package.json: the image builds with the package manager instead (add nx to devDependencies to build through it)")
		return nil, nil
	}
	if pr, ok := readNxProject(fsys, "."); ok && answers["app"] == "" {
		// A standalone Nx repository: the project is the root.
		if pr.name == "." {
			pr.name = root.Name
		}
		if npmNameRe.MatchString(pr.name) {
			return &pr, nil
		}
	}
	var apps []nxProject
	_ = repo.Walk(fsys, ".", func(f string, d fs.DirEntry) error {
		if d.Name() != "project.json" || f == "project.json" || excludedDir(path.Dir(f)) {
			return nil
		}
		if pr, ok := readNxProject(fsys, path.Dir(f)); ok && pr.app {
			apps = append(apps, pr)
		}
		return nil
	})
	if len(apps) == 0 {
		return nil, nil
	}
	sort.Slice(apps, func(i, j int) bool { return apps[i].dir < apps[j].dir })
	if a := answers["app"]; a != "" {
		want := strings.TrimSuffix(strings.TrimPrefix(path.Clean(a), "./"), "/")
		for i := range apps {
			if apps[i].dir == want || apps[i].name == a {
				det.Cite("app", apps[i].file, 0, "chosen Nx project "+apps[i].name+" ("+apps[i].dir+")")
				return &apps[i], nil
			}
		}
		var names []string
		for _, pr := range apps {
			names = append(names, pr.dir)
		}
		return nil, fmt.Errorf("app %q is not an Nx application project of this repository; they are %s (pass --app with one of them)", a, strings.Join(names, ", "))
	}
	var opts []facts.Option
	for _, pr := range apps {
		opts = append(opts, facts.Option{Value: pr.dir, Label: pr.name + " (Nx application)", Evidence: &facts.Evidence{File: pr.file, Line: pr.line, Detail: "build target with outputPath " + pr.outputPath}})
	}
	c := facts.Choice{Key: "app", Question: "This Nx repository has several applications. Which one should the image run?", Options: opts, Flag: "--app"}
	if len(apps) == 1 {
		c.Default, c.Safe, c.Reason = apps[0].dir, true, "the only Nx project of type application with a build output"
	} else {
		c.Reason = "several Nx projects are applications"
	}
	det.AddChoice(c)
	return nil, nil
}

// hasChoice reports whether detection asks the question key.
func hasChoice(det *facts.Detection, key string) bool {
	for _, c := range det.Choices {
		if c.Key == key {
			return true
		}
	}
	return false
}
