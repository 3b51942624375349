package python

import (
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestPythonHealthPrefixes(t *testing.T) {
	fastapi := "from fastapi import FastAPI\n"
	tests := []struct {
		name  string
		files map[string]string
		want  string
		file  string
		line  int
	}{
		{"APIRouter prefix and include_router prefix",
			map[string]string{"svc/__init__.py": "", "svc/main.py": fastapi + "from .routes.health import router as health_router\napp = FastAPI()\napp.include_router(health_router, prefix='/api')\n",
				"svc/routes/__init__.py": "", "svc/routes/health.py": "from fastapi import APIRouter\nrouter = APIRouter(prefix='/v1', tags=['ops'])\n\n@router.get('/health')\ndef health():\n    return {}\n"},
			"/api/v1/health", "svc/routes/health.py", 4},
		{"module.router through nested routers",
			map[string]string{"main.py": fastapi + "from api import v1\napp = FastAPI()\napp.include_router(v1.api_router, prefix=\"/api/v1\")\n",
				"api/__init__.py": "", "api/v1.py": "from fastapi import APIRouter\nfrom api import status\napi_router = APIRouter()\napi_router.include_router(status.router, prefix='/status')\n",
				"api/status.py": "from fastapi import APIRouter\nrouter = APIRouter()\n@router.get('/healthz')\ndef hz(): ...\n"},
			"/api/v1/status/healthz", "api/status.py", 3},
		{"a prefix from settings is not guessed",
			map[string]string{"main.py": fastapi + "from routes import router\nfrom config import settings\napp = FastAPI()\napp.include_router(router, prefix=settings.API_PREFIX)\n",
				"routes.py": "from fastapi import APIRouter\nrouter = APIRouter()\n@router.get('/health')\ndef h(): ...\n"},
			"", "", 0},
		{"a prefixed router never mounted is not guessed",
			map[string]string{"main.py": fastapi + "app = FastAPI()\n",
				"routes.py": "from fastapi import APIRouter\nrouter = APIRouter(prefix='/x')\n@router.get('/health')\ndef h(): ...\n"},
			"", "", 0},
		{"Flask blueprint url_prefix at creation",
			map[string]string{"web/__init__.py": "from flask import Flask\nfrom .ops import bp\n\ndef create_app():\n    app = Flask(__name__)\n    app.register_blueprint(bp)\n    return app\n",
				"web/ops.py": "from flask import Blueprint\nbp = Blueprint('ops', __name__, url_prefix='/ops')\n\n@bp.route('/ping')\ndef ping():\n    return 'pong'\n"},
			"/ops/ping", "web/ops.py", 4},
		{"Flask registration url_prefix replaces the blueprint's",
			map[string]string{"app.py": "from flask import Flask\nfrom ops import bp\napp = Flask(__name__)\napp.register_blueprint(bp, url_prefix='/internal')\n",
				"ops.py": "from flask import Blueprint\nbp = Blueprint('ops', __name__, url_prefix='/ops')\n\n@bp.get('/health')\ndef health():\n    return 'ok'\n"},
			"/internal/health", "ops.py", 4},
		{"a route on an app imported from its module",
			map[string]string{"app.py": "from flask import Flask\napp = Flask(__name__)\n", "views.py": "from app import app\nfrom flask import Blueprint\nbp = Blueprint('x', __name__, url_prefix='/x')\n@app.route('/healthz')\ndef hz(): return 'ok'\n"},
			"/healthz", "views.py", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"requirements.txt": "fastapi\nuvicorn\nflask\ngunicorn\n"}
			for k, v := range tt.files {
				files[k] = v
			}
			det := pyDetect(t, files, nil)
			if det.HealthPath != tt.want {
				t.Errorf("HealthPath = %q, want %q", det.HealthPath, tt.want)
			}
			if tt.want != "" {
				detecttest.WantCited(t, det, "healthPath", tt.file, tt.line, "")
			} else if !detecttest.HasNote(det, "full path is unknown") {
				t.Errorf("no note on the unknown path: %q", det.Notes)
			}
		})
	}
}

func TestPythonDjangoIncludedHealth(t *testing.T) {
	files := map[string]string{
		"requirements.txt":  "django\ngunicorn\n",
		"manage.py":         "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
		"site1/__init__.py": "",
		"site1/settings.py": "ROOT_URLCONF = 'site1.urls'\nWSGI_APPLICATION = 'site1.wsgi.application'\nALLOWED_HOSTS = ['*']\n",
		"site1/wsgi.py":     "application = None\n",
		"site1/urls.py":     "from django.urls import include, path\nurlpatterns = [\n    path('ops/', include('ops.urls')),\n]\n",
		"ops/__init__.py":   "",
		"ops/urls.py":       "from django.urls import path\nfrom . import views\nurlpatterns = [path('healthz/', views.hz)]\n",
	}
	det := pyDetect(t, files, nil)
	if det.HealthPath != "/ops/healthz/" {
		t.Errorf("HealthPath = %q, want /ops/healthz/", det.HealthPath)
	}
	detecttest.WantCited(t, det, "healthPath", "ops/urls.py", 3, "")
}

// A Litestar controller's path prefixes its handlers; a Router with a
// path is a prefix dgen does not follow, and a literal elsewhere (an auth
// exclusion list) is never taken for a route.
func TestPythonLitestarPaths(t *testing.T) {
	files := map[string]string{"requirements.txt": "litestar[standard]\n",
		"app.py":  "from litestar import Litestar\nfrom ops import OpsController\napp = Litestar(route_handlers=[OpsController])\n",
		"ops.py":  "from litestar import Controller, get\nclass OpsController(Controller):\n    path = '/ops'\n    @get(\n        operation_id='health',\n        path='/health',\n    )\n    async def health(self) -> str:\n        return 'ok'\n",
		"auth.py": "EXCLUDE = ['/health']\n"}
	det := pyDetect(t, files, nil)
	if det.HealthPath != "/ops/health" {
		t.Errorf("HealthPath = %q, want /ops/health", det.HealthPath)
	}
	detecttest.WantCited(t, det, "healthPath", "ops.py", 4, "@get(")
	files["app.py"] = "from litestar import Litestar, Router\nfrom ops import OpsController\napp = Litestar(route_handlers=[Router(path='/api', route_handlers=[OpsController])])\n"
	det = pyDetect(t, files, nil)
	if det.HealthPath != "" {
		t.Errorf("under a Router path: HealthPath = %q, want none", det.HealthPath)
	}
}
