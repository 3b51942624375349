package generator

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// planPythonInstall settles the install steps of the build stage.
func planPythonInstall(det *facts.Detection, p *Plan, pp *PythonPlan) error {
	// The install command follows from the package manager's manifest.
	defer func() {
		if ev, ok := p.Evidence["packageManager"]; ok {
			if _, has := p.Evidence["build"]; !has {
				p.Evidence["build"] = ev
			}
		}
	}()
	pf := det.Python
	if pf == nil {
		pf = &facts.PythonFacts{}
	}
	pp.ManifestCopies = pythonCopies(pf.Manifests)
	for _, d := range pf.LocalPaths {
		pp.ManifestCopies = append(pp.ManifestCopies, PythonCopy{Sources: []string{d + "/"}, Dest: d + "/"})
	}
	switch p.PackageManager {
	case "uv":
		pp.ToolVersion = pythonToolPin(p, "uv", catalog.UVVersion)
		p.Images.Extra = map[string]string{"uv": catalog.UVImage(pp.ToolVersion)}
		pp.Caches = []string{"/root/.cache/uv"}
		pp.InstallDeps = true
		pp.InstallProject = true // uv sync installs the project when it is a package
	case "poetry":
		pp.ToolVersion = pythonToolPin(p, "poetry", catalog.PoetryVersion)
		pp.Caches = []string{"/root/.cache/pypoetry"}
		pp.InstallDeps = true
	case "pdm":
		pp.ToolVersion = pythonToolPin(p, "pdm", catalog.PDMVersion)
		pp.Caches = []string{"/root/.cache/pdm"}
		pp.InstallDeps = true
	case "pipenv":
		pp.ToolVersion = pythonToolPin(p, "pipenv", catalog.PipenvVersion)
		pp.Caches = []string{"/root/.cache/pip", "/root/.cache/pipenv"}
		pp.InstallDeps = !pf.InstallWithSource
	default:
		pp.Caches = []string{"/root/.cache/pip"}
		switch {
		case pf.PyprojectDeps && !pythonOlder(p.LanguageVersion, "3.11"):
			pp.DepsFromPyproject = true
			pp.InstallDeps = true
		case pf.PyprojectDeps:
			// No tomllib before Python 3.11: install with the project.
			pp.InstallWithSource = true
			pp.InstallProject = true
			p.Notes = append(p.Notes, fmt.Sprintf("Python %s has no tomllib to read pyproject.toml's dependencies before the source, so pip installs them with the project after the source is copied; every source change reinstalls them", p.LanguageVersion))
		case pf.InstallWithSource && pf.Requirements == "":
			// pip install . after the source copy: the dependencies come with
			// the project.
		case pf.Requirements != "":
			pp.InstallDeps = !pf.InstallWithSource
		default:
			p.Notes = append(p.Notes, "no third-party dependencies: the virtualenv holds only pip and the standard library")
		}
	}
	if pp.InstallWithSource {
		pp.ManifestCopies = nil
	}
	return planPythonCommands(p, pp)
}

// pythonPyprojectDeps reads [project] dependencies from pyproject.toml with
// tomllib and installs them, so pip gets them without the project.
var pythonPyprojectDeps = []string{
	`python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project'].get('dependencies', [])))" >/tmp/requirements.txt`,
	"pip install -r /tmp/requirements.txt",
}

// planPythonCommands writes the commands of the install steps, exactly as
// the template runs them, and makes the first one the Plan's Build: the
// commands are decided here, where the facts are, and the template only
// places them.
func planPythonCommands(p *Plan, pp *PythonPlan) error {
	pm := p.PackageManager
	locked := ""
	if pp.Locked {
		locked = "--locked "
	}
	requirements := ""
	if pp.Requirements != "" {
		q, err := ShellQuote(pp.Requirements)
		if err != nil {
			return badInputf("%s: %v", pp.Requirements, err)
		}
		requirements = "pip install -r " + q
		for _, r := range pp.ServerRequirements {
			q, err := ShellQuote(r)
			if err != nil {
				return badInputf("%s: %v", r, err)
			}
			requirements += " -r " + q
		}
		for _, pkg := range pp.ServerPackages {
			q, err := ShellQuote(pkg)
			if err != nil {
				return badInputf("%s: %v", pkg, err)
			}
			requirements += " " + q
		}
	}
	pipenv := "pipenv install"
	if pp.Locked {
		pipenv += " --deploy"
	}
	switch pm {
	case "poetry", "pdm", "pipenv":
		tool := "/opt/" + pm
		pp.ToolInstall = []string{"python -m venv " + tool, tool + "/bin/pip install " + pm + "==" + pp.ToolVersion}
	}
	cmds := pythonInstallCmds{pipenv: pipenv, requirements: requirements}
	if pm == "uv" {
		var err error
		if cmds.uvDeps, cmds.uvProject, err = pythonUVSync(pp, locked); err != nil {
			return err
		}
	}
	if pp.InstallDeps {
		pp.DepsInstall = pythonDepsInstall(pm, pp, cmds)
	}
	pp.SourceInstall, pp.ProjectInstall = pythonLaterInstall(pm, pp, cmds)
	for _, step := range [][]string{pp.DepsInstall, pp.SourceInstall, pp.ProjectInstall} {
		if len(step) > 0 {
			p.Build = strings.Join(step, " && ")
			break
		}
	}
	return nil
}

// pythonInstallCmds are the install commands that depend on the
// manifests: pipenv's, pip's with the requirements file, uv's two syncs.
type pythonInstallCmds struct {
	pipenv, requirements string
	uvDeps, uvProject    string
}

// pythonUVSync writes uv's two syncs. In a workspace the first leaves out
// every workspace package (--no-install-workspace), whose source is not
// copied yet; a member is synced with --package from the lock as it is
// (--frozen: the lock is the workspace's, written by uv lock at its root).
func pythonUVSync(pp *PythonPlan, locked string) (deps, project string, err error) {
	skip, pkg := "--no-install-project", ""
	if pp.UVWorkspace {
		skip = "--no-install-workspace"
	}
	if pp.Member != "" {
		q, err := ShellQuote(pp.MemberPackage)
		if err != nil || pp.MemberPackage == "" {
			return "", "", badInputf("workspace member %s: its [project] name %q cannot be given to uv sync --package", pp.Member, pp.MemberPackage)
		}
		pkg = " --package " + q
		if pp.Locked {
			locked = "--frozen "
		}
	}
	return "uv sync " + locked + "--no-dev " + skip + pkg, "uv sync " + locked + "--no-dev --no-editable" + pkg, nil
}

// pythonDepsInstall is the install of the dependencies from the manifests
// alone, before the source is copied.
func pythonDepsInstall(pm string, pp *PythonPlan, cmds pythonInstallCmds) []string {
	switch {
	case pm == "uv":
		return []string{cmds.uvDeps}
	case pm == "poetry":
		return []string{"poetry install --only main --no-root --no-interaction"}
	case pm == "pdm":
		return []string{"pdm install --check --prod --no-editable --no-self"}
	case pm == "pipenv":
		return []string{cmds.pipenv}
	case pp.DepsFromPyproject:
		return slices.Clone(pythonPyprojectDeps)
	}
	return []string{cmds.requirements}
}

// pythonLaterInstall is the install after the source copy: the one that
// needs the source, or else the project itself.
func pythonLaterInstall(pm string, pp *PythonPlan, cmds pythonInstallCmds) (source, project []string) {
	switch {
	case pp.InstallWithSource && pm == "pipenv":
		return []string{cmds.pipenv}, nil
	case pp.InstallWithSource && cmds.requirements != "":
		return []string{cmds.requirements}, nil
	case pp.InstallWithSource:
		return []string{"pip install ."}, nil
	case !pp.InstallProject:
		return nil, nil
	case pm == "uv":
		return nil, []string{cmds.uvProject}
	case pm == "poetry":
		return nil, []string{"poetry install --only main --no-interaction"}
	case pm == "pdm":
		return nil, []string{"pdm install --check --prod --no-editable"}
	}
	return nil, []string{"pip install --no-deps ."}
}

func pythonPick(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// pythonToolPin is the version of the package manager to install: the
// repository's pin, else the catalog's newest release that supports the
// image's Python (an older one than the default for an old Python, said
// in a note), else the default with a note that it will not install.
func pythonToolPin(p *Plan, tool, def string) string {
	if p.PackageManagerVersion != "" {
		return p.PackageManagerVersion
	}
	v, ok := catalog.PythonToolVersion(tool, p.LanguageVersion)
	switch {
	case !ok:
		p.Notes = append(p.Notes, fmt.Sprintf("no %s release dgen knows installs on Python %s; the Dockerfile installs %s %s, which will not: use a newer Python or pin %s's version", tool, p.LanguageVersion, tool, def, tool))
		return def
	case v != def:
		p.Notes = append(p.Notes, fmt.Sprintf("%s %s does not install on Python %s: the image installs %s %s, the newest release that does", tool, def, p.LanguageVersion, tool, v))
	}
	return v
}

// pythonCopies groups manifests into COPY steps: root files in one step,
// files in folders one step per folder, so each lands where the install
// expects it (a requirements file including -r base.txt keeps its path).
func pythonCopies(files []string) []PythonCopy {
	byDir := map[string][]string{}
	for _, f := range files {
		d := path.Dir(f)
		byDir[d] = append(byDir[d], f)
	}
	var dirs []string
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Slice(dirs, func(i, j int) bool {
		if (dirs[i] == ".") != (dirs[j] == ".") {
			return dirs[i] == "."
		}
		return dirs[i] < dirs[j]
	})
	var out []PythonCopy
	for _, d := range dirs {
		dest := "./"
		if d != "." {
			dest = d + "/"
		}
		out = append(out, PythonCopy{Sources: byDir[d], Dest: dest})
	}
	return out
}
