package python

import (
	"reflect"
	"slices"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// pyDjangoRepo is a Django project whose settings set STATIC_ROOT and read
// SECRET_KEY from the environment, with a production module beside the
// default one; extra files are added or replaced.
func pyDjangoRepo(extra map[string]string) map[string]string {
	files := map[string]string{
		"requirements.txt":          "django\ngunicorn\n",
		"manage.py":                 "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
		"shop/__init__.py":          "",
		"shop/wsgi.py":              "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\napplication = None\n",
		"shop/urls.py":              "urlpatterns = [path('healthz/', healthz)]\n",
		"shop/settings.py":          "WSGI_APPLICATION = 'shop.wsgi.application'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\nSECRET_KEY = os.environ['SECRET_KEY']\nALLOWED_HOSTS = ['*']\n",
		"shop/settings_prod.py":     "from .settings import *\nSTATIC_ROOT = '/srv/static'\nAPI_TOKEN = os.environ['API_TOKEN']\n",
		"catalog/__init__.py":       "",
		"catalog/views.py":          "def index(request): ...\n",
		"catalog/templates/x.html":  "",
		"catalog/static/catalog.js": "",
	}
	for k, v := range extra {
		files[k] = v
	}
	return files
}

// TestPythonDjangoSettingsReadWhateverGivesTheStart: a Procfile, a console
// script or --main decides how a Django app starts, never whether its
// settings are read: collectstatic runs whenever STATIC_ROOT is set, and
// the settings module the start command names is the one used.
func TestPythonDjangoSettingsReadWhateverGivesTheStart(t *testing.T) {
	tests := []struct {
		name      string
		extra     map[string]string
		answers   facts.Answers
		start     []string
		startFile string
		settings  string
		setEv     string // file of the djangoSettings evidence
		static    string
		env       map[string]string
		note      string
	}{
		{"Procfile web: with the default settings",
			map[string]string{"Procfile": "web: gunicorn shop.wsgi --workers 2 --bind 0.0.0.0:$PORT\n"}, nil,
			[]string{"gunicorn", "shop.wsgi", "--workers", "2", "--bind", "0.0.0.0:8000"}, "Procfile",
			"shop.settings", "shop/wsgi.py", "staticfiles", map[string]string{"SECRET_KEY": "build-only"}, "migrations are not run at container start"},
		{"Procfile assignment names the settings",
			map[string]string{"Procfile": "web: DJANGO_SETTINGS_MODULE=shop.settings_prod gunicorn shop.wsgi --bind 0.0.0.0:$PORT\n"}, nil,
			[]string{"gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000"}, "Procfile",
			"shop.settings_prod", "Procfile", "/srv/static", map[string]string{"SECRET_KEY": "build-only", "API_TOKEN": "build-only"}, "Procfile:1: the app is deployed with settings shop.settings_prod, while shop/wsgi.py names shop.settings"},
		{"gunicorn --env names the settings",
			map[string]string{"Procfile": "web: gunicorn shop.wsgi --env DJANGO_SETTINGS_MODULE=shop.settings_prod --bind 0.0.0.0:8000\n"}, nil,
			[]string{"gunicorn", "shop.wsgi", "--env", "DJANGO_SETTINGS_MODULE=shop.settings_prod", "--bind", "0.0.0.0:8000"}, "Procfile",
			"shop.settings_prod", "Procfile", "/srv/static", nil, ""},
		{"app.json's env names the settings",
			map[string]string{"Procfile": "web: gunicorn shop.wsgi --bind 0.0.0.0:$PORT\n", "app.json": `{"env": {"DJANGO_SETTINGS_MODULE": {"value": "shop.settings_prod"}, "SECRET_KEY": {"generator": "secret"}}}`}, nil,
			[]string{"gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000"}, "Procfile",
			"shop.settings_prod", "app.json", "/srv/static", nil, "app.json:1: the app is deployed with settings shop.settings_prod"},
		{"app.json's env without a Procfile",
			map[string]string{"app.json": `{"env": {"DJANGO_SETTINGS_MODULE": "shop.settings_prod"}}`}, nil,
			[]string{"gunicorn", "--bind", "0.0.0.0:8000", "shop.wsgi:application"}, "shop/settings.py",
			"shop.settings_prod", "app.json", "/srv/static", nil, ""},
		{"a shell line that collects static files at start",
			map[string]string{"Procfile": "web: python manage.py collectstatic --noinput && gunicorn shop.wsgi --bind 0.0.0.0:$PORT\n"}, nil,
			[]string{"sh", "-c", "python manage.py collectstatic --noinput && gunicorn shop.wsgi --bind 0.0.0.0:$PORT"}, "Procfile",
			"shop.settings", "shop/wsgi.py", "staticfiles", nil, "the start command runs collectstatic, which the image already ran at build time"},
		{"a console script gives the start",
			map[string]string{"requirements.txt": "", "pyproject.toml": "[project]\nname = \"shop\"\ndependencies = [\"django\", \"waitress\"]\n[project.scripts]\nshop-serve = \"shop.serve:main\"\n",
				"shop/serve.py": "import waitress\nfrom shop.wsgi import application\n\ndef main():\n    waitress.serve(application, host='0.0.0.0', port=8000)\n"},
			facts.Answers{"main": "shop-serve"},
			[]string{"shop-serve"}, "pyproject.toml",
			"shop.settings", "shop/wsgi.py", "staticfiles", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := pyDjangoRepo(tt.extra)
			if tt.extra["requirements.txt"] == "" && tt.extra["pyproject.toml"] != "" {
				delete(files, "requirements.txt")
			}
			det := pyDetect(t, files, tt.answers)
			if !reflect.DeepEqual(det.Start, tt.start) {
				t.Errorf("Start = %q, want %q", det.Start, tt.start)
			}
			if ev := det.Evidence["start"]; ev.File != tt.startFile {
				t.Errorf("start evidence %+v, want from %s", ev, tt.startFile)
			}
			pf := det.Python
			if det.Framework != "django" || pf.ManagePy != "manage.py" {
				t.Errorf("Framework %q ManagePy %q, want django and manage.py", det.Framework, pf.ManagePy)
			}
			if pf.DjangoSettings != tt.settings {
				t.Errorf("DjangoSettings = %q, want %q", pf.DjangoSettings, tt.settings)
			}
			detecttest.WantCited(t, det, "djangoSettings", tt.setEv, 0, tt.settings)
			if !pf.CollectStatic || pf.StaticRoot != tt.static {
				t.Errorf("CollectStatic %v StaticRoot %q, want true and %q", pf.CollectStatic, pf.StaticRoot, tt.static)
			}
			if tt.env != nil && !reflect.DeepEqual(pf.CollectStaticEnv, tt.env) {
				t.Errorf("CollectStaticEnv = %v, want %v", pf.CollectStaticEnv, tt.env)
			}
			if tt.note != "" && !detecttest.HasNote(det, tt.note) {
				t.Errorf("no note containing %q: %q", tt.note, det.Notes)
			}
			if det.HealthPath != "/healthz/" {
				t.Errorf("HealthPath = %q, want /healthz/ from the root URLconf", det.HealthPath)
			}
		})
	}
}

// TestPythonDjangoProcfileOtherFramework: a manage.py beside a Procfile
// that runs another framework's app is not read as the app's settings.
func TestPythonDjangoProcfileOtherFramework(t *testing.T) {
	det := pyDetect(t, map[string]string{
		"requirements.txt": "fastapi\nuvicorn\n",
		"Procfile":         "web: uvicorn api:app --host 0.0.0.0 --port 8000\n",
		"api.py":           "from fastapi import FastAPI\napp = FastAPI()\n",
		"manage.py":        "from flask_script import Manager\n",
	}, nil)
	if det.Python.ManagePy != "" || det.Python.CollectStatic || det.Framework != "fastapi" {
		t.Errorf("ManagePy %q CollectStatic %v Framework %q", det.Python.ManagePy, det.Python.CollectStatic, det.Framework)
	}
}

// TestPythonDjangoTranslations: gettext catalogs under locale/ are compiled
// with compilemessages at build time, with gettext in the build stage and
// the settings' placeholders, also without STATIC_ROOT.
func TestPythonDjangoTranslations(t *testing.T) {
	files := pyDjangoRepo(map[string]string{
		"locale/fr/LC_MESSAGES/django.po":           "msgid \"\"\nmsgstr \"\"\n",
		"locale/de/LC_MESSAGES/django.po":           "",
		"catalog/locale/fr/LC_MESSAGES/django.po":   "",
		"catalog/locale/fr/LC_MESSAGES/djangojs.po": "",
	})
	det := pyDetect(t, files, nil)
	pf := det.Python
	if pf.Translations != "django" {
		t.Fatalf("Translations = %q, want django", pf.Translations)
	}
	want := []facts.PythonCatalogs{{Dir: "catalog/locale", Domains: []string{"django", "djangojs"}}, {Dir: "locale", Domains: []string{"django"}}}
	if !reflect.DeepEqual(pf.Catalogs, want) {
		t.Errorf("Catalogs = %+v, want %+v", pf.Catalogs, want)
	}
	if !slices.Contains(pf.BuildPackages, "gettext") {
		t.Errorf("BuildPackages = %q, want gettext", pf.BuildPackages)
	}
	detecttest.WantCited(t, det, "translations", "locale/de/LC_MESSAGES/django.po", 0, "compilemessages")
	if !detecttest.HasNote(det, "collectstatic and compilemessages import the settings, which need SECRET_KEY") {
		t.Errorf("notes %q", det.Notes)
	}

	// Without STATIC_ROOT the catalogs still need the settings' placeholders.
	files["shop/settings.py"] = "WSGI_APPLICATION = 'shop.wsgi.application'\nSECRET_KEY = os.environ['SECRET_KEY']\n"
	det = pyDetect(t, files, nil)
	if det.Python.CollectStatic || det.Python.Translations != "django" || !reflect.DeepEqual(det.Python.CollectStaticEnv, map[string]string{"SECRET_KEY": "build-only"}) {
		t.Errorf("CollectStatic %v Translations %q env %v", det.Python.CollectStatic, det.Python.Translations, det.Python.CollectStaticEnv)
	}

	// A Django app without catalogs compiles nothing and needs no gettext.
	det = pyDetect(t, pyDjangoRepo(nil), nil)
	if det.Python.Translations != "" || slices.Contains(det.Python.BuildPackages, "gettext") {
		t.Errorf("Translations %q BuildPackages %q without catalogs", det.Python.Translations, det.Python.BuildPackages)
	}
}

// TestPythonBabelTranslations: an app that depends on Babel gets its
// catalogs compiled with pybabel, one folder at a time; without Babel in
// the dependencies, .po files are left alone.
func TestPythonBabelTranslations(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "flask\nflask-babel\ngunicorn\n",
		"babel.cfg":        "[python: app/**.py]\n",
		"app/__init__.py":  "from flask import Flask\nfrom flask_babel import Babel\napp = Flask(__name__)\nbabel = Babel(app)\n",
		"app/translations/es/LC_MESSAGES/messages.po": "",
		"app/translations/fr/LC_MESSAGES/messages.po": "",
		"app/translations/fr/LC_MESSAGES/admin.po":    "",
	}
	det := pyDetect(t, files, nil)
	pf := det.Python
	if pf.Translations != "babel" {
		t.Fatalf("Translations = %q, want babel", pf.Translations)
	}
	want := []facts.PythonCatalogs{{Dir: "app/translations", Domains: []string{"admin", "messages"}}}
	if !reflect.DeepEqual(pf.Catalogs, want) {
		t.Errorf("Catalogs = %+v, want %+v", pf.Catalogs, want)
	}
	detecttest.WantCited(t, det, "translations", "app/translations/es/LC_MESSAGES/messages.po", 0, "flask-babel: pybabel compile (babel.cfg)")
	if slices.Contains(pf.BuildPackages, "gettext") {
		t.Error("pybabel needs no gettext, yet it is a build package")
	}

	// The documentation's catalogs are not the app's.
	docs := map[string]string{"requirements.txt": "flask\ngunicorn\nsphinx\nbabel\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n",
		"docs/locale/fr/LC_MESSAGES/index.po": ""}
	if det = pyDetect(t, docs, nil); det.Python.Translations != "" {
		t.Errorf("documentation catalogs: Translations %q Catalogs %+v", det.Python.Translations, det.Python.Catalogs)
	}

	files["requirements.txt"] = "flask\ngunicorn\n"
	det = pyDetect(t, files, nil)
	if det.Python.Translations != "" || det.Python.Catalogs != nil {
		t.Errorf("without Babel: Translations %q Catalogs %v", det.Python.Translations, det.Python.Catalogs)
	}
}
