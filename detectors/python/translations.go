package python

import (
	"encoding/json"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// pySettingsHint is the Django settings module a start command names.
type pySettingsHint struct {
	module string
	ev     facts.Evidence
}

// pyStartSettingsRe finds a settings module in a start command:
// DJANGO_SETTINGS_MODULE=mod (an assignment, gunicorn's --env) or a
// management command's --settings.
var pyStartSettingsRe = regexp.MustCompile(`(?:\bDJANGO_SETTINGS_MODULE=|--settings[= ])["']?([A-Za-z_][\w.]*)`)

// startSettingsHint reads the settings module from the start command that
// another source gave: its leading assignment (kept as the image's
// environment) or its arguments; else from the deployment's environment.
func (s *pyScan) startSettingsHint() pySettingsHint {
	ev := s.det.Evidence["start"]
	if mod := s.facts.Env["DJANGO_SETTINGS_MODULE"]; mod != "" {
		return pySettingsHint{module: mod, ev: facts.Evidence{File: ev.File, Line: ev.Line, Detail: "DJANGO_SETTINGS_MODULE=" + mod}}
	}
	if m := pyStartSettingsRe.FindStringSubmatch(strings.Join(s.det.Start, " ")); m != nil {
		return pySettingsHint{module: m[1], ev: facts.Evidence{File: ev.File, Line: ev.Line, Detail: strings.NewReplacer(`"`, "", "'", "").Replace(m[0])}}
	}
	return s.envSettingsHint()
}

// pyModuleRe is a dotted Python module name.
var pyModuleRe = regexp.MustCompile(`^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*$`)

// envSettingsHint reads DJANGO_SETTINGS_MODULE from app.json's env (the
// environment a Heroku-style deployment sets for every process), as a
// string or {"value": …}.
func (s *pyScan) envSettingsHint() pySettingsHint {
	data, ok := pyRead(s.fsys, s.det, "app.json")
	if !ok {
		return pySettingsHint{}
	}
	var doc struct {
		Env map[string]json.RawMessage `json:"env"`
	}
	if json.Unmarshal(data, &doc) != nil {
		return pySettingsHint{}
	}
	raw, ok := doc.Env["DJANGO_SETTINGS_MODULE"]
	if !ok {
		return pySettingsHint{}
	}
	var mod string
	if json.Unmarshal(raw, &mod) != nil {
		var v struct {
			Value string `json:"value"`
		}
		_ = json.Unmarshal(raw, &v)
		mod = v.Value
	}
	if !pyModuleRe.MatchString(mod) {
		return pySettingsHint{}
	}
	return pySettingsHint{module: mod, ev: facts.Evidence{File: "app.json", Line: pyLineOf(data, "DJANGO_SETTINGS_MODULE"), Detail: "env DJANGO_SETTINGS_MODULE " + mod}}
}

// djangoStartNotes says when a start command that came from elsewhere
// repeats a build step: the runtime user cannot write STATIC_ROOT or the
// catalogs, and the image has them already.
func (s *pyScan) djangoStartNotes() {
	line := strings.Join(s.det.Start, " ")
	ev := s.det.Evidence["start"]
	for _, step := range []struct {
		cmd  string
		done bool
	}{{"collectstatic", s.facts.CollectStatic}, {"compilemessages", s.facts.Translations == pyTranslationsDjango}} {
		if step.done && strings.Contains(line, step.cmd) {
			s.det.Notef("%s:%d: the start command runs %s, which the image already ran at build time; at start it would write into /app, which the runtime user cannot: remove it from the start command", ev.File, ev.Line, step.cmd)
		}
	}
}

// Tools that compile gettext catalogs at build time.
const (
	pyTranslationsDjango = "django" // manage.py compilemessages
	pyTranslationsBabel  = "babel"  // pybabel compile
)

// pyCatalogs finds gettext catalogs, <dir>/<lang>/LC_MESSAGES/<domain>.po,
// grouped by dir, sorted; the first .po file found is the evidence.
// Catalogs under docs/, tests/ or examples/ translate no part of the app
// and are left out.
func pyCatalogs(fsys fs.FS) (cats []facts.PythonCatalogs, first string) {
	byDir := map[string]map[string]bool{}
	_ = repo.Walk(fsys, ".", func(p string, d fs.DirEntry) error {
		if !strings.HasSuffix(p, ".po") || path.Base(path.Dir(p)) != "LC_MESSAGES" {
			return nil
		}
		for _, seg := range strings.Split(path.Dir(p), "/") {
			if pySkipSourceDirs[seg] {
				return nil
			}
		}
		dir := path.Dir(path.Dir(path.Dir(p)))
		if dir == "." || !repo.SafePath(dir) {
			return nil
		}
		if first == "" {
			first = p
		}
		if byDir[dir] == nil {
			byDir[dir] = map[string]bool{}
		}
		byDir[dir][strings.TrimSuffix(path.Base(p), ".po")] = true
		return nil
	})
	for dir, domains := range byDir {
		c := facts.PythonCatalogs{Dir: dir}
		for d := range domains {
			if pyDomainRe.MatchString(d) {
				c.Domains = append(c.Domains, d)
			}
		}
		if len(c.Domains) == 0 {
			continue
		}
		sort.Strings(c.Domains)
		cats = append(cats, c)
	}
	sort.Slice(cats, func(i, j int) bool { return cats[i].Dir < cats[j].Dir })
	return cats, first
}

// pyDomainRe is a gettext domain dgen writes into a command.
var pyDomainRe = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)

// djangoTranslations compiles the project's catalogs with manage.py
// compilemessages at build time, which needs GNU gettext's msgfmt in the
// build stage; the .mo files land next to the .po files and reach the
// runtime image with the app.
func (s *pyScan) djangoTranslations() {
	cats, first := pyCatalogs(s.fsys)
	if len(cats) == 0 {
		return
	}
	s.facts.Translations = pyTranslationsDjango
	s.facts.Catalogs = cats
	s.facts.BuildPackages = append(s.facts.BuildPackages, "gettext")
	s.det.Cite("translations", first, 0, "gettext catalog: manage.py compilemessages")
	s.det.Notef("%s: translations are compiled at build time (manage.py compilemessages, with gettext in the build stage only), so the .mo files are in the image and nothing writes them at start", first)
}

// pyBabelDeps are the dependencies that bring pybabel.
var pyBabelDeps = []string{"babel", "flask-babel", "flask-babelex", "quart-babel", "fastapi-babel"}

// babelTranslations compiles the catalogs of an app that uses Babel
// (Flask-Babel and the like) with pybabel compile, once per catalog
// folder: Flask-Babel reads the .mo files from translations/ next to the
// app, and nothing should have to write them at start.
func (s *pyScan) babelTranslations() {
	if s.facts.Translations != "" {
		return
	}
	dep := ""
	for _, d := range pyBabelDeps {
		if _, ok := s.deps[d]; ok {
			dep = d
			break
		}
	}
	if dep == "" {
		return
	}
	cats, first := pyCatalogs(s.fsys)
	if len(cats) == 0 {
		return
	}
	s.facts.Translations = pyTranslationsBabel
	s.facts.Catalogs = cats
	detail := "gettext catalog with " + dep + ": pybabel compile"
	if repo.IsFile(s.fsys, "babel.cfg") {
		detail += " (babel.cfg)"
	}
	s.det.Cite("translations", first, 0, detail)
	s.det.Notef("%s: translations are compiled at build time (pybabel compile, from %s), so the .mo files are in the image and nothing writes them at start", first, dep)
}
