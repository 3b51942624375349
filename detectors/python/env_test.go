package python

import (
	"slices"
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestRequiredEnvPython(t *testing.T) {
	const fastapiReq = "fastapi\nuvicorn\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "os.environ[] at module level of the app and of what it imports; .get and getenv are not required",
			files: map[string]string{
				"requirements.txt": fastapiReq,
				"app/__init__.py":  "",
				"app/main.py":      "import os\nfrom fastapi import FastAPI\nfrom app import config\nfrom app.config import (\n    REGION,\n)\nfrom app import  , config as c\nAPI_KEY = os.environ[\"API_KEY\"]\nDEBUG = os.environ.get(\"DEBUG\")\nHOME = os.getenv(\"HOME_URL\")\napp = FastAPI()\n",
				"app/config.py":    "import os\n\nREGION = os.environ.get('REGION', 'eu')\nDB = os.environ['DB_HOST']\n",
			},
			want: []string{"API_KEY app/main.py:8", "DB_HOST app/config.py:4"},
		},
		{
			name: "inside a function that nothing calls at import is not required",
			files: map[string]string{
				"requirements.txt": fastapiReq,
				"main.py":          "import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\ndef rotate():\n    token = os.environ[\"ROTATE_TOKEN\"]\n    return token\n\n\nclass Cfg:\n    NAME = os.environ[\"SERVICE_NAME\"]\n",
			},
			want: []string{"SERVICE_NAME main.py:13"},
		},
		{
			name: "the __main__ block runs only in the script Python runs",
			files: map[string]string{
				"requirements.txt": fastapiReq,
				"main.py":          "import os\nfrom fastapi import FastAPI\nimport tools\napp = FastAPI()\n\nif __name__ == \"__main__\":\n    DEBUG_HOST = os.environ[\"DEBUG_HOST\"]\n",
				"tools.py":         "import os\nif __name__ == '__main__':\n    os.environ['TOOLS_CLI']\nLIMIT = os.environ['LIMIT']\n",
				"serve.py":         "import os\nimport tools\n\nif __name__ == '__main__':\n    HOST = os.environ['SERVE_HOST']\n",
				"Procfile":         "web: python serve.py\n",
			},
			want: []string{"SERVE_HOST serve.py:5", "LIMIT tools.py:4"},
		},
		{
			name: "a module nobody imports is not read",
			files: map[string]string{
				"requirements.txt": fastapiReq,
				"main.py":          "from fastapi import FastAPI\napp = FastAPI()\n",
				"scripts_tool.py":  "import os\nX = os.environ['TOOL_ONLY']\n",
			},
			want: nil,
		},
		{
			name: "the app factory the server calls runs at start",
			files: map[string]string{
				"requirements.txt": "flask\ngunicorn\n",
				"Procfile":         "web: gunicorn 'shop:create_app()'\n",
				"shop/__init__.py": "import os\nfrom flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.config.update(\n        SECRET_KEY=os.environ[\"FLASK_SECRET\"],\n    )\n    return app\n\n\ndef helper():\n    return os.environ[\"NOT_AT_START\"]\n",
			},
			want: []string{"FLASK_SECRET shop/__init__.py:8"},
		},
		{
			name: "environs without a default",
			files: map[string]string{
				"requirements.txt": fastapiReq + "environs\n",
				"main.py":          "from environs import Env\nfrom fastapi import FastAPI\n\nenv = Env()\nenv.read_env()\nREDIS = env.str(\"REDIS_URL\")\nLEVEL = env.str(\"LOG_LEVEL\", default=\"info\")\nWORKERS = env.int(\"WORKERS\", 2)\napp = FastAPI()\n",
			},
			want: []string{"REDIS_URL main.py:6"},
		},
		{
			name: "pydantic settings: fields without a default, env_prefix and aliases",
			files: map[string]string{
				"requirements.txt": fastapiReq + "pydantic-settings\n",
				"main.py":          "from fastapi import FastAPI\nfrom settings import settings\napp = FastAPI()\n",
				"settings.py": `from typing import Optional
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="shop_")

    database_url: str
    api_token: str = Field(..., alias="PAYMENT_TOKEN")
    region: str = "eu"
    timeout: int = Field(default=5)
    sentry: Optional[str]
    name: str = Field(description="shown in the UI")


class Unused(BaseSettings):
    never: str


settings = Settings()
`,
			},
			want: []string{"SHOP_DATABASE_URL settings.py:9", "PAYMENT_TOKEN settings.py:10", "SHOP_NAME settings.py:14"},
		},
		{
			name: "django: the settings chain the server imports",
			files: map[string]string{
				"requirements.txt":       "django\ngunicorn\ndjango-environ\n",
				"manage.py":              "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings.prod')\n",
				"site1/__init__.py":      "",
				"site1/wsgi.py":          "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings.prod')\n",
				"site1/settings/base.py": "import environ\nenv = environ.Env(DEBUG=(bool, False))\nSECRET_KEY = env('DJANGO_SECRET_KEY')\nDEBUG = env('DEBUG')\nDATABASES = {'default': env.db()}\nCACHE_TTL = env.int('CACHE_TTL', default=60)\n",
				"site1/settings/prod.py": "from .base import *\nALLOWED_HOSTS = env.list('ALLOWED_HOSTS')\n",
			},
			want: []string{"ALLOWED_HOSTS site1/settings/prod.py:2", "DJANGO_SECRET_KEY site1/settings/base.py:3", "DATABASE_URL site1/settings/base.py:5"},
		},
		{
			name: "django: a SECRET_KEY from getenv without a default is required, with one it is not",
			files: map[string]string{
				"requirements.txt":    "django\ngunicorn\n",
				"manage.py":           "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
				"proj/__init__.py":    "",
				"proj/wsgi.py":        "",
				"proj/settings.py":    "import os\nSECRET_KEY = os.getenv(\"APP_SECRET\")\nDEBUG = os.getenv('DEBUG', '0') == '1'\n",
				"other/settings.py":   "import os\nSECRET_KEY = os.environ.get('ELSEWHERE', 'dev')\n",
				"other/__init__.py":   "",
				"proj/local_tools.py": "import os\nX = os.environ['LOCAL_ONLY']\n",
			},
			want: []string{"APP_SECRET proj/settings.py:2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := pyDetect(t, tt.files, nil)
			if got := detecttest.EnvNames(det); !slices.Equal(got, tt.want) {
				t.Errorf("required env %q, want %q (start %q)", got, tt.want, det.Start)
			}
		})
	}
}

func TestPyStartLines(t *testing.T) {
	src := "A = 1\nx = f(\n    1,\n)\ndef g():\n    s = '''\n  not a statement\n'''\n    return s\nB = 2\nasync def h():\n    pass\nclass C:\n    D = 3\n"
	var got []int
	pyStartLines([]byte(src), "", func(n int, _ string) { got = append(got, n) })
	want := []int{1, 2, 3, 4, 5, 10, 11, 13, 14, 15}
	if !slices.Equal(got, want) {
		t.Errorf("import-time lines %v, want %v", got, want)
	}
	got = nil
	pyStartLines([]byte(src), "g", func(n int, _ string) { got = append(got, n) })
	if want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15}; !slices.Equal(got, want) {
		t.Errorf("with the factory g: %v, want %v", got, want)
	}
}
