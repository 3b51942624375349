package python

import (
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

var (
	pyDjangoSettingsRe = regexp.MustCompile(`DJANGO_SETTINGS_MODULE["']\s*,\s*["']([A-Za-z_][\w.]*)["']`)
	pyStarImportRe     = regexp.MustCompile(`^from\s+(\.*[\w.]*)\s+import\s+\*`)
	pySettingLineRe    = regexp.MustCompile(`^([A-Z][A-Z0-9_]*)\s*(?::[^=]+)?=\s*(.+)$`)
	pyStringLitRe      = regexp.MustCompile(`["']([^"'\n]*)["']`)
	pyEnvVarNameRe     = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)
	pyEnvCallRe        = regexp.MustCompile(`\b(env|config)(?:\.(str|bool|int|float|list|tuple|dict|json|url|db_url|db|cache_url|cache|email_url|search_url|path))?\(\s*(?:["']([A-Za-z_][A-Za-z0-9_]*)["'])?([^)]*)\)`)
	pyEnvironIndexRe   = regexp.MustCompile(`(int\(\s*)?os\.environ\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]`)
	pyEnvSchemeRe      = regexp.MustCompile(`environ\.Env\(([^)]*)\)`)
	pyKwargNameRe      = regexp.MustCompile(`([A-Z_][A-Z0-9_]*)\s*=`)
)

// pyMaxSettingsDepth bounds the star-import chain followed through Django
// settings (base → production → …).
const pyMaxSettingsDepth = 6

// djangoConf is what the settings chain says.
type djangoConf struct {
	values map[string]string         // setting → raw right-hand side
	where  map[string]facts.Evidence // setting → where it was set
	// required are environment variables read without a default at import
	// time, with a placeholder that parses for their accessor.
	required map[string]string
	// schemeDefaults are variables environ.Env(...) gives a default.
	schemeDefaults map[string]bool
	files          []string
	// dir is manage.py's folder ("" at the root) and pkg the project
	// package that holds wsgi.py.
	dir, pkg string
}

// djangoStart is the start rung of a Django project: the settings are
// read (djangoAnalyze) and WSGI_APPLICATION runs with gunicorn, or
// ASGI_APPLICATION with uvicorn.
func (s *pyScan) djangoStart() (bool, error) {
	if !s.djangoAnalyze(s.envSettingsHint()) {
		return false, nil
	}
	conf := s.django
	cmd, err := s.djangoServer(conf.dir, conf.pkg, conf)
	if err != nil {
		return false, err
	}
	s.setStart(cmd)
	s.det.Notef("Django migrations are not run at container start (several replicas would race); run them as a release step: docker run --rm IMAGE python %s migrate", s.facts.ManagePy)
	return true, nil
}

// djangoAfterStart reads the Django settings when another source (a
// Procfile, a console script, --main) gave the start command: that source
// decides how the app starts, not whether collectstatic and
// compilemessages run. The settings module the start command names
// (DJANGO_SETTINGS_MODULE=…, --env, --settings), else app.json's, is the
// one read.
func (s *pyScan) djangoAfterStart() {
	if s.django != nil || (s.det.Framework != "" && s.det.Framework != "django") {
		return
	}
	if !s.djangoAnalyze(s.startSettingsHint()) {
		return
	}
	s.djangoStartNotes()
	s.det.Notef("Django migrations are not run at container start (several replicas would race); run them as a release step: docker run --rm IMAGE python %s migrate", s.facts.ManagePy)
}

// djangoAnalyze finds manage.py (at the root or one folder down), the
// settings module (the hint's, from the start command or app.json, when
// there is one, else wsgi.py's, which is the production one, else
// manage.py's), and follows
// the settings through star imports: STATIC_ROOT, the environment they
// need at import time, the root URLconf, translations to compile. It
// reports false when the repository is not a Django project.
func (s *pyScan) djangoAnalyze(hint pySettingsHint) bool {
	manage := s.findManagePy()
	if manage == "" {
		return false
	}
	if err := repo.CheckPath(manage); err != nil {
		s.det.Problemf(manage, "cannot be used: %v", err)
		return false
	}
	dir := path.Dir(manage)
	if dir == "." {
		dir = ""
	}
	data, ok := pyRead(s.fsys, s.det, manage)
	if !ok {
		return false
	}
	if _, dep := s.deps["django"]; !dep && !strings.Contains(strings.ToLower(string(data)), "django") {
		// A manage.py of another tool (Flask-Script, a custom CLI).
		return false
	}
	if s.facts.AppDir == "" {
		s.facts.AppDir = dir
	}
	s.facts.ManagePy = manage
	settings, settingsEv := "", facts.Evidence{}
	if loc := pyDjangoSettingsRe.FindSubmatchIndex(data); loc != nil {
		settings = string(data[loc[2]:loc[3]])
		settingsEv = facts.Evidence{File: manage, Line: repo.LineAt(data, loc[0]), Detail: "DJANGO_SETTINGS_MODULE " + settings}
	}
	pkg := ""
	if settings != "" {
		pkg = strings.Split(settings, ".")[0]
	} else {
		pkg = s.djangoGuessPackage(dir)
	}
	// wsgi.py and asgi.py name the settings the server runs with, which is
	// the production module when manage.py points at a local one.
	for _, f := range []string{"wsgi.py", "asgi.py"} {
		p := path.Join(dir, pkg, f)
		d, ok := pyRead(s.fsys, s.det, p)
		if !ok {
			continue
		}
		if loc := pyDjangoSettingsRe.FindSubmatchIndex(d); loc != nil {
			mod := string(d[loc[2]:loc[3]])
			if settings != "" && mod != settings {
				s.det.Notef("%s uses %s and %s uses %s; the image (and collectstatic) use %s's, the server's", manage, settings, p, mod, f)
			}
			settings = mod
			settingsEv = facts.Evidence{File: p, Line: repo.LineAt(d, loc[0]), Detail: "DJANGO_SETTINGS_MODULE " + mod}
			break
		}
	}
	if hint.module != "" {
		if settings != "" && hint.module != settings {
			s.det.Notef("%s:%d: the app is deployed with settings %s, while %s names %s; the image and the build steps use %s", hint.ev.File, hint.ev.Line, hint.module, settingsEv.File, settings, hint.module)
		}
		settings, settingsEv = hint.module, hint.ev
		if top := strings.Split(settings, ".")[0]; repo.IsDir(s.fsys, path.Join(dir, top)) {
			pkg = top
		}
	}
	if s.det.Framework != "django" || s.det.Evidence["framework"].File == "" {
		s.det.Cite("framework", manage, 0, "Django's manage.py")
	}
	s.det.Framework = "django"
	conf := &djangoConf{values: map[string]string{}, where: map[string]facts.Evidence{}, required: map[string]string{}, schemeDefaults: map[string]bool{}, dir: dir, pkg: pkg}
	if settings == "" {
		s.det.Problemf(manage, "names no DJANGO_SETTINGS_MODULE; dgen assumes %s.settings", pkg)
		settings = pkg + ".settings"
	} else {
		s.det.Cite("djangoSettings", settingsEv.File, settingsEv.Line, settingsEv.Detail)
	}
	if pyEnvVarNameRe.MatchString(strings.ReplaceAll(strings.ToUpper(settings), ".", "_")) {
		s.facts.DjangoSettings = settings
	}
	s.readDjangoSettings(dir, settings, conf, 0, map[string]bool{})
	if len(conf.files) == 0 {
		s.det.Problemf(manage, "settings module %s not found under %s; WSGI_APPLICATION and STATIC_ROOT could not be read", settings, pyOr(dir, "the root"))
	}
	s.django = conf
	s.djangoStatic(dir, conf)
	s.djangoTranslations()
	s.djangoEnv(conf)
	s.djangoURLConf = s.djangoModuleFile(dir, pyOr(pyLiteral(conf.values["ROOT_URLCONF"]), pkg+".urls"))
	return true
}

// findManagePy returns manage.py at the root, else in a folder one level
// down (backend/manage.py), first by name.
func (s *pyScan) findManagePy() string {
	if repo.IsFile(s.fsys, "manage.py") {
		return "manage.py"
	}
	ents, err := fs.ReadDir(s.fsys, ".")
	if err != nil {
		return ""
	}
	for _, e := range ents {
		if e.IsDir() && !repo.SkipDir(e.Name()) && !strings.HasPrefix(e.Name(), ".") && repo.IsFile(s.fsys, e.Name()+"/manage.py") {
			return e.Name() + "/manage.py"
		}
	}
	return ""
}

// djangoGuessPackage finds the project package when manage.py names no
// settings: the folder with settings.py (or settings/) next to wsgi.py.
func (s *pyScan) djangoGuessPackage(dir string) string {
	ents, err := fs.ReadDir(s.fsys, pyOr(dir, "."))
	if err != nil {
		return "config"
	}
	for _, e := range ents {
		p := path.Join(dir, e.Name())
		if e.IsDir() && repo.IsFile(s.fsys, p+"/wsgi.py") {
			return e.Name()
		}
	}
	return "config"
}

// djangoModuleFile maps a dotted module to its file under dir: a module
// file or a package's __init__.py; "" when neither exists.
func (s *pyScan) djangoModuleFile(dir, mod string) string {
	if !regexp.MustCompile(`^[A-Za-z_][\w.]*$`).MatchString(mod) {
		return ""
	}
	base := path.Join(dir, strings.ReplaceAll(mod, ".", "/"))
	for _, p := range []string{base + ".py", base + "/__init__.py"} {
		if repo.IsFile(s.fsys, p) {
			return p
		}
	}
	return ""
}

// readDjangoSettings reads one settings module, following star imports in
// place (so later assignments override them, as in Python).
func (s *pyScan) readDjangoSettings(dir, mod string, conf *djangoConf, depth int, seen map[string]bool) {
	if depth > pyMaxSettingsDepth || seen[mod] {
		return
	}
	seen[mod] = true
	file := s.djangoModuleFile(dir, mod)
	if file == "" {
		if depth > 0 {
			s.det.Problemf(pyOr(dir, "."), "settings module %s is imported but not found", mod)
		}
		return
	}
	data, ok := pyRead(s.fsys, s.det, file)
	if !ok {
		return
	}
	conf.files = append(conf.files, file)
	pkg := mod
	if !strings.HasSuffix(file, "/__init__.py") {
		if i := strings.LastIndex(mod, "."); i >= 0 {
			pkg = mod[:i]
		} else {
			pkg = ""
		}
	}
	for _, m := range pyEnvSchemeRe.FindAllSubmatch(data, -1) {
		for _, k := range pyKwargNameRe.FindAllSubmatch(m[1], -1) {
			conf.schemeDefaults[string(k[1])] = true
		}
	}
	repo.Lines(data, func(n int, l string) bool {
		t := strings.TrimSpace(l)
		if m := pyStarImportRe.FindStringSubmatch(t); m != nil && l == t {
			s.readDjangoSettings(dir, pyResolveRelative(pkg, m[1]), conf, depth+1, seen)
			return true
		}
		if m := pySettingLineRe.FindStringSubmatch(l); m != nil {
			conf.values[m[1]] = strings.TrimSpace(m[2])
			conf.where[m[1]] = facts.Evidence{File: file, Line: n, Detail: strings.TrimSpace(l)}
		}
		s.djangoRequiredEnv(t, conf)
		return true
	})
}

// pyResolveRelative resolves a "from .base import *" module against the
// importing package.
func pyResolveRelative(pkg, mod string) string {
	if !strings.HasPrefix(mod, ".") {
		return mod
	}
	dots := len(mod) - len(strings.TrimLeft(mod, "."))
	rest := mod[dots:]
	parts := []string{}
	if pkg != "" {
		parts = strings.Split(pkg, ".")
	}
	up := dots - 1
	if up > len(parts) {
		up = len(parts)
	}
	parts = parts[:len(parts)-up]
	if rest != "" {
		parts = append(parts, rest)
	}
	return strings.Join(parts, ".")
}

// djangoRequiredEnv records environment variables a settings line reads
// without a default: os.environ["X"], django-environ env("X") and
// python-decouple config("X").
func (s *pyScan) djangoRequiredEnv(line string, conf *djangoConf) {
	if strings.HasPrefix(line, "#") {
		return
	}
	for _, m := range pyEnvironIndexRe.FindAllStringSubmatch(line, -1) {
		v := "build-only"
		if m[1] != "" {
			v = "0"
		}
		conf.required[m[2]] = v
	}
	for _, m := range pyEnvCallRe.FindAllStringSubmatch(line, -1) {
		accessor, name, rest := m[2], m[3], m[4]
		if strings.Contains(rest, "default") || (m[1] == "config" && strings.Contains(rest, ",")) {
			continue
		}
		switch {
		case name == "" && (accessor == "db" || accessor == "db_url"):
			name = "DATABASE_URL"
		case name == "" && (accessor == "cache" || accessor == "cache_url"):
			name = "CACHE_URL"
		case name == "":
			continue
		}
		if conf.schemeDefaults[name] {
			continue
		}
		conf.required[name] = pyPlaceholder(accessor, name)
	}
}

// pyPlaceholder is a build-time value that parses for the accessor, so
// importing the settings succeeds without the real secret or database.
func pyPlaceholder(accessor, name string) string {
	switch {
	case accessor == "db" || accessor == "db_url" || strings.Contains(name, "DATABASE_URL"):
		return "sqlite://:memory:"
	case accessor == "cache" || accessor == "cache_url":
		return "locmemcache://"
	case accessor == "bool":
		return "False"
	case accessor == "int" || accessor == "float":
		return "0"
	case accessor == "json" || accessor == "dict":
		return "{}"
	case accessor == "url" || accessor == "email_url" || accessor == "search_url":
		return "http://localhost"
	case accessor == "path":
		return "/tmp"
	}
	return "build-only"
}

// djangoEnv keeps the placeholders for collectstatic and says where a
// SECRET_KEY is hard-coded.
func (s *pyScan) djangoEnv(conf *djangoConf) {
	if sk, ok := conf.values["SECRET_KEY"]; ok {
		ev := conf.where["SECRET_KEY"]
		readsEnv := strings.Contains(sk, "environ") || strings.Contains(sk, "getenv") || pyEnvCallRe.MatchString(sk)
		if readsEnv {
			if m := regexp.MustCompile(`["']([A-Z_][A-Z0-9_]*)["']`).FindStringSubmatch(sk); m != nil {
				if _, ok := conf.required[m[1]]; !ok {
					conf.required[m[1]] = "build-only"
				}
			}
		} else if pyStringLitRe.MatchString(sk) {
			s.det.Notef("%s:%d: SECRET_KEY is written in the settings; read it from the environment in production (os.environ[\"SECRET_KEY\"])", ev.File, ev.Line)
		}
	}
	compile := s.facts.Translations == pyTranslationsDjango
	if !s.facts.CollectStatic && !compile || len(conf.required) == 0 {
		return
	}
	s.facts.CollectStaticEnv = map[string]string{}
	var names []string
	for _, k := range slices.Sorted(maps.Keys(conf.required)) {
		if pyEnvVarNameRe.MatchString(k) {
			s.facts.CollectStaticEnv[k] = conf.required[k]
			names = append(names, k)
		}
	}
	sort.Strings(names)
	if len(names) > 0 {
		steps := "collectstatic imports the settings, which need %s: placeholder values are set for that one build step only, never in the image"
		switch {
		case compile && s.facts.CollectStatic:
			steps = "collectstatic and compilemessages import the settings, which need %s: placeholder values are set for those two build steps only, never in the image"
		case compile:
			steps = "compilemessages imports the settings, which need %s: placeholder values are set for that one build step only, never in the image"
		}
		s.det.Notef(steps, strings.Join(names, ", "))
	}
}

// djangoStatic reads STATIC_ROOT: when set, collectstatic runs at build
// time into that folder.
func (s *pyScan) djangoStatic(dir string, conf *djangoConf) {
	raw, ok := conf.values["STATIC_ROOT"]
	if !ok || raw == "None" || strings.HasPrefix(raw, "None ") {
		s.det.Notef("STATIC_ROOT is not set, so collectstatic is not run; set it (STATIC_ROOT = BASE_DIR / \"staticfiles\") to serve static files from the image")
		return
	}
	s.facts.CollectStatic = true
	ev := conf.where["STATIC_ROOT"]
	s.det.Cite("staticRoot", ev.File, ev.Line, ev.Detail)
	lits := pyStringLitRe.FindAllStringSubmatch(raw, -1)
	if len(lits) == 0 {
		s.det.Notef("%s:%d: STATIC_ROOT has no literal folder; collectstatic runs at build time, but check that its output is inside the app", ev.File, ev.Line)
		return
	}
	root := lits[len(lits)-1][1]
	if strings.HasPrefix(root, "/") {
		root = path.Clean(root)
	} else {
		root = path.Join(dir, strings.TrimPrefix(root, "./"))
	}
	check := strings.TrimPrefix(root, "/")
	if err := repo.CheckPath(check); err != nil {
		s.det.Problemf(ev.File, "STATIC_ROOT %q cannot be written into a Dockerfile: %v", root, err)
		return
	}
	s.facts.StaticRoot = root
	if !strings.HasPrefix(root, "/") {
		s.facts.IgnoreDirs = append(s.facts.IgnoreDirs, root)
	}
}

// djangoServer builds the server command for the WSGI or ASGI application.
func (s *pyScan) djangoServer(dir, pkg string, conf *djangoConf) (pyCmd, error) {
	ev := facts.Evidence{File: s.facts.ManagePy, Detail: "manage.py"}
	spec := func(setting, fallback string) (string, bool) {
		if v := pyLiteral(conf.values[setting]); v != "" {
			if i := strings.LastIndex(v, "."); i > 0 {
				ev = conf.where[setting]
				return v[:i] + ":" + v[i+1:], true
			}
		}
		if s.djangoModuleFile(dir, fallback) != "" {
			return fallback + ":application", true
		}
		return "", false
	}
	asgi, hasASGI := "", false
	if _, set := conf.values["ASGI_APPLICATION"]; set {
		asgi, hasASGI = spec("ASGI_APPLICATION", pkg+".asgi")
	}
	asgiEv := ev
	wsgi, hasWSGI := spec("WSGI_APPLICATION", pkg+".wsgi")
	c := pyCmd{framework: "django", ev: ev}
	chdir := func(argv []string) []string {
		if dir != "" {
			return append(argv, "--chdir", dir)
		}
		return argv
	}
	if hasASGI {
		c.ev = asgiEv
		switch {
		case s.depPresent("gunicorn") && (s.depPresent("uvicorn-worker") || s.depPresent("uvicorn")):
			worker := "uvicorn.workers.UvicornWorker"
			if s.depPresent("uvicorn-worker") {
				worker = "uvicorn_worker.UvicornWorker"
			}
			c.server = "gunicorn"
			c.argv = append(chdir([]string{"gunicorn", "--bind", "0.0.0.0:" + pyPortMark, "--worker-class", worker}), asgi)
			return c, nil
		case s.depPresent("uvicorn"):
			c.server = "uvicorn"
			c.argv = []string{"uvicorn", asgi}
			if dir != "" {
				c.argv = append(c.argv, "--app-dir", dir)
			}
			c.argv = append(c.argv, "--host", "0.0.0.0", "--port", pyPortMark)
			return c, nil
		case s.depPresent("daphne"):
			c.server = "daphne"
			c.argv = []string{"daphne", "--bind", "0.0.0.0", "--port", pyPortMark, asgi}
			s.pythonPathIfRoot(dir)
			return c, nil
		case !hasWSGI:
			s.det.Notef("ASGI_APPLICATION is set but no ASGI server (uvicorn, daphne) is a dependency; add uvicorn")
		}
	}
	if !hasWSGI {
		s.det.Problemf(s.facts.ManagePy, "no WSGI_APPLICATION in the settings and no %s/wsgi.py; dgen runs %s.wsgi:application", pkg, pkg)
		wsgi = pkg + ".wsgi:application"
	}
	switch {
	case s.depPresent("gunicorn"):
		c.server = "gunicorn"
		c.argv = append(chdir([]string{"gunicorn", "--bind", "0.0.0.0:" + pyPortMark}), wsgi)
	case s.depPresent("waitress"):
		c.server = "waitress"
		c.argv = []string{"waitress-serve", "--listen=0.0.0.0:" + pyPortMark, wsgi}
		s.pythonPathIfRoot(dir)
	case s.depPresent("uwsgi"):
		c.server = "uwsgi"
		c.argv = []string{"uwsgi", "--http-socket", "0.0.0.0:" + pyPortMark, "--master", "--die-on-term", "--module", wsgi}
		s.pythonPathIfRoot(dir)
	default:
		c.server = "python"
		c.argv = []string{"python", s.facts.ManagePy, "runserver", "0.0.0.0:" + pyPortMark, "--noreload"}
		s.det.Notef("Django without gunicorn in the dependencies: the container runs manage.py runserver, which is not for production; add gunicorn and run dgen again")
	}
	return c, nil
}

// djangoProbeNotes says what in the settings would fail the health check:
// a Host the settings do not allow (Django answers 400) and an HTTPS
// redirect (the probe speaks plain HTTP).
func (s *pyScan) djangoProbeNotes() {
	conf := s.django
	if conf == nil {
		return
	}
	if raw, ok := conf.values["ALLOWED_HOSTS"]; ok && !strings.Contains(raw, `"*"`) && !strings.Contains(raw, `'*'`) && !strings.Contains(raw, "127.0.0.1") {
		ev := conf.where["ALLOWED_HOSTS"]
		s.det.Notef("%s:%d: the health check requests http://127.0.0.1:<port>%s; include 127.0.0.1 in ALLOWED_HOSTS or Django answers 400 Bad Request and the container is marked unhealthy", ev.File, ev.Line, s.det.HealthPath)
	}
	if raw := conf.values["SECURE_SSL_REDIRECT"]; strings.HasPrefix(raw, "True") || strings.Contains(raw, "bool(") {
		ev := conf.where["SECURE_SSL_REDIRECT"]
		s.det.Notef("%s:%d: SECURE_SSL_REDIRECT sends the plain-HTTP health check to https; exempt its path with SECURE_REDIRECT_EXEMPT = [r\"^%s$\"]", ev.File, ev.Line, strings.TrimPrefix(s.det.HealthPath, "/"))
	}
}

// djangoRootURLConf is the root URLconf file, "" when unknown.
func (s *pyScan) djangoRootURLConf() string { return s.djangoURLConf }

// pyLiteral returns the string a right-hand side is, when it is exactly
// one string literal.
func pyLiteral(raw string) string {
	raw = strings.TrimSpace(raw)
	if i := strings.Index(raw, "#"); i > 0 {
		raw = strings.TrimSpace(raw[:i])
	}
	if m := regexp.MustCompile(`^["']([^"'\n]*)["']$`).FindStringSubmatch(raw); m != nil {
		return m[1]
	}
	return ""
}

func pyOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
