package generator

import (
	"reflect"
	"strings"
	"testing"
)

// pyDjangoFiles is a Django project with STATIC_ROOT set and settings that
// read their secret at import time; extra files are added or replaced.
func pyDjangoFiles(extra map[string]string) map[string]string {
	files := map[string]string{
		"requirements.txt":      "django\ngunicorn\n",
		"manage.py":             "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
		"shop/__init__.py":      "",
		"shop/wsgi.py":          "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\napplication = None\n",
		"shop/urls.py":          "urlpatterns = [path('healthz/', healthz)]\n",
		"shop/settings.py":      "WSGI_APPLICATION = 'shop.wsgi.application'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\nSECRET_KEY = os.environ['SECRET_KEY']\nALLOWED_HOSTS = ['*']\n",
		"shop/settings_prod.py": "from .settings import *\nAPI_TOKEN = os.environ['API_TOKEN']\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	return files
}

// TestPlanPythonDjangoProcfileCollectsStatic: the Procfile's command is
// the CMD, and collectstatic still runs at build time with the settings
// module the Procfile names and the placeholders those settings need.
func TestPlanPythonDjangoProcfileCollectsStatic(t *testing.T) {
	files := pyDjangoFiles(map[string]string{"Procfile": "web: DJANGO_SETTINGS_MODULE=shop.settings_prod gunicorn shop.wsgi --workers 2 --bind 0.0.0.0:$PORT\n"})
	p := pythonPlanFor(t, files, Options{})
	pp := p.Python
	wantEnv := []PythonEnv{{"DJANGO_SETTINGS_MODULE", "shop.settings_prod"}, {"API_TOKEN", "build-only"}, {"SECRET_KEY", "build-only"}}
	if !pp.CollectStatic || !reflect.DeepEqual(pp.CollectStaticEnv, wantEnv) {
		t.Errorf("collectstatic %v env %+v, want true and %+v", pp.CollectStatic, pp.CollectStaticEnv, wantEnv)
	}
	if ev := p.Evidence["start"]; ev.File != "Procfile" {
		t.Errorf("start evidence %+v, want the Procfile", ev)
	}
	df, di := pythonRender(t, p)
	build, runtime, _ := strings.Cut(df, "AS runtime")
	pythonHas(t, "build stage", build,
		"RUN DJANGO_SETTINGS_MODULE=shop.settings_prod \\\n    API_TOKEN=build-only \\\n    SECRET_KEY=build-only \\\n    python manage.py collectstatic --noinput\n")
	pythonHas(t, "runtime stage", runtime, "DJANGO_SETTINGS_MODULE=shop.settings_prod",
		`CMD ["gunicorn","shop.wsgi","--workers","2","--bind","0.0.0.0:8000"]`, "urlopen('http://127.0.0.1:8000/healthz/'")
	pythonLacks(t, "runtime stage", runtime, "build-only", "collectstatic")
	pythonHas(t, ".dockerignore", di, "staticfiles/")
	pythonCheck(t, p, df, di)
	pythonRunsPlan(t, p, df)
}

// TestPlanPythonDjangoCompileMessages: Django's catalogs are compiled in
// the build stage with gettext installed there only, before the runtime
// stage copies /app (and the .mo files in it).
func TestPlanPythonDjangoCompileMessages(t *testing.T) {
	files := pyDjangoFiles(map[string]string{
		"locale/fr/LC_MESSAGES/django.po":         "msgid \"\"\nmsgstr \"\"\n",
		"catalog/locale/fr/LC_MESSAGES/django.po": "",
	})
	p := pythonPlanFor(t, files, Options{})
	pp := p.Python
	if want := []string{"python manage.py compilemessages"}; !reflect.DeepEqual(pp.CompileMessages, want) {
		t.Errorf("CompileMessages = %q, want %q", pp.CompileMessages, want)
	}
	wantEnv := []PythonEnv{{"DJANGO_SETTINGS_MODULE", "shop.settings"}, {"SECRET_KEY", "build-only"}}
	if !reflect.DeepEqual(pp.CompileMessagesEnv, wantEnv) {
		t.Errorf("CompileMessagesEnv = %+v, want %+v", pp.CompileMessagesEnv, wantEnv)
	}
	df, di := pythonRender(t, p)
	build, runtime, _ := strings.Cut(df, "AS runtime")
	pythonHas(t, "build stage", build, "# Build stage only: gettext's msgfmt, which compilemessages runs.\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends gettext",
		"RUN DJANGO_SETTINGS_MODULE=shop.settings \\\n    SECRET_KEY=build-only \\\n    python manage.py compilemessages\n")
	compile := strings.Index(build, "python manage.py compilemessages")
	if copySrc := strings.Index(build, "COPY . ."); copySrc < 0 || copySrc > compile {
		t.Error("compilemessages runs before the source is copied")
	}
	pythonHas(t, "runtime stage", runtime, "COPY --from=build /app /app")
	pythonLacks(t, "runtime stage", runtime, "gettext", "compilemessages", "build-only")
	pythonCheck(t, p, df, di)
	pythonRunsPlan(t, p, df)
}

// TestPlanPythonBabelCompile: Flask-Babel's catalogs are compiled with
// pybabel, naming the domains when there are others than messages.
func TestPlanPythonBabelCompile(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "flask\nflask-babel\ngunicorn\n",
		"babel.cfg":        "[python: app/**.py]\n",
		"app/__init__.py":  "from flask import Flask\napp = Flask(__name__)\n\n@app.get('/healthz')\ndef healthz():\n    return 'ok'\n",
		"app/translations/es/LC_MESSAGES/messages.po":  "",
		"plugins/mail/i18n/es/LC_MESSAGES/mail.po":     "",
		"plugins/mail/i18n/es/LC_MESSAGES/messages.po": "",
	}
	p := pythonPlanFor(t, files, Options{})
	want := []string{"pybabel compile -d app/translations", "pybabel compile -d plugins/mail/i18n -D 'mail messages'"}
	if !reflect.DeepEqual(p.Python.CompileMessages, want) {
		t.Errorf("CompileMessages = %q, want %q", p.Python.CompileMessages, want)
	}
	df, di := pythonRender(t, p)
	build, runtime, _ := strings.Cut(df, "AS runtime")
	pythonHas(t, "build stage", build, "RUN pybabel compile -d app/translations \\\n    && pybabel compile -d plugins/mail/i18n -D 'mail messages'\n")
	pythonLacks(t, "Dockerfile", df, "gettext", "DJANGO_SETTINGS_MODULE")
	pythonLacks(t, "runtime stage", runtime, "pybabel")
	pythonCheck(t, p, df, di)
	pythonRunsPlan(t, p, df)
}
