package python

import (
	"reflect"
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestPythonPortSources(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		port    int
		portEnv string
		evFile  string
		evLine  int
		env     map[string]string
		note    string
	}{
		{"APP_PORT default",
			map[string]string{"main.py": "import os\nfrom http.server import HTTPServer\nport = int(os.getenv('APP_PORT', '8081'))\n"},
			8081, "APP_PORT", "main.py", 3, nil, ""},
		{"PORT beats APP_PORT, another service's port never counts",
			map[string]string{"main.py": "import os\nfrom http.server import HTTPServer\ndb = os.getenv('DB_PORT', '5432')\napp = os.getenv('APP_PORT', '8081')\nport = os.environ.get('PORT', 9000)\n"},
			9000, "", "main.py", 5, nil, ""},
		{"pydantic BaseSettings field with an env prefix",
			map[string]string{"main.py": "import uvicorn\nfrom settings import settings\nuvicorn.run('api:app', port=settings.port)\n",
				"settings.py": "from pydantic_settings import BaseSettings, SettingsConfigDict\n\nclass Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix='SVC_')\n    debug: bool = False\n    port: int = 8082\n"},
			8082, "SVC_PORT", "settings.py", 6, nil, ""},
		{"uvicorn.run(port=)",
			map[string]string{"main.py": "import uvicorn\nuvicorn.run(app, host='0.0.0.0', port=8083)\n"},
			8083, "", "main.py", 2, nil, ""},
		{"websockets server",
			map[string]string{"main.py": "import websockets\nasync def main():\n    async with websockets.serve(handler, '0.0.0.0', 8765):\n        pass\n"},
			8765, "", "main.py", 3, nil, ""},
		{"gRPC server",
			map[string]string{"main.py": "import grpc\nserver = grpc.server(pool)\nserver.add_insecure_port('[::]:50051')\n"},
			50051, "", "main.py", 3, nil, ""},
		{"tornado define default",
			map[string]string{"main.py": "from tornado.options import define, options\nimport tornado.web\ndefine('port', default=5555, help='port')\n"},
			5555, "", "main.py", 3, nil, ""},
		{"argparse --port default",
			map[string]string{"main.py": "import argparse\nfrom http.server import HTTPServer\np = argparse.ArgumentParser()\np.add_argument('-p', '--port', type=int, default=8090)\n"},
			8090, "", "main.py", 4, nil, ""},
		{".env.example gives the port a variable is read from",
			map[string]string{"main.py": "import os\nfrom aiohttp import web\nweb.run_app(app, port=int(os.environ['PORT']))\n", ".env.example": "# copy to .env\nDEBUG=1\nPORT=8084\n"},
			8084, "", ".env.example", 3, nil, ""},
		{"a privileged port from a variable moves to 8080",
			map[string]string{"main.py": "import os\nfrom http.server import HTTPServer\nport = int(os.getenv('PORT', 80))\n"},
			8080, "", "main.py", 3, nil, "runs on 8080"},
		{"a privileged literal port stays, with a note",
			map[string]string{"main.py": "from http.server import HTTPServer\nHTTPServer(('', 80), H).serve_forever()\n"},
			80, "", "main.py", 2, nil, "ip_unprivileged_port_start"},
		{"a loopback host default from a variable is opened",
			map[string]string{"main.py": "import os\nimport uvicorn\nuvicorn.run(app, host=os.getenv('HOST', '127.0.0.1'), port=8085)\n"},
			8085, "", "main.py", 3, map[string]string{"HOST": "0.0.0.0"}, "the image sets HOST=0.0.0.0"},
		{"a loopback settings host is opened with its prefix",
			map[string]string{"main.py": "import uvicorn\nfrom conf import s\nuvicorn.run(app, host=s.host, port=s.port)\n",
				"conf.py": "from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    class Config:\n        env_prefix = 'API_'\n    host: str = 'localhost'\n    port: int = 8086\n"},
			8086, "API_PORT", "conf.py", 6, map[string]string{"API_HOST": "0.0.0.0"}, "API_HOST=0.0.0.0"},
		{"a loopback literal gets a note",
			map[string]string{"main.py": "from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run(host='127.0.0.1', port=8087)\n", "Procfile": "web: python main.py\n"},
			8087, "", "main.py", 4, nil, "binds 127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"requirements.txt": "uvicorn\nwebsockets\ngrpcio\naiohttp\nflask\n"}
			for k, v := range tt.files {
				files[k] = v
			}
			det := pyDetect(t, files, nil)
			if det.Port != tt.port {
				t.Errorf("Port = %d, want %d", det.Port, tt.port)
			}
			if det.Python.PortEnv != tt.portEnv {
				t.Errorf("PortEnv = %q, want %q", det.Python.PortEnv, tt.portEnv)
			}
			detecttest.WantCited(t, det, "port", tt.evFile, tt.evLine, "")
			if tt.env != nil && !reflect.DeepEqual(det.Python.Env, tt.env) {
				t.Errorf("Env = %v, want %v", det.Python.Env, tt.env)
			}
			if tt.note != "" && !detecttest.HasNote(det, tt.note) {
				t.Errorf("no note with %q: %q", tt.note, det.Notes)
			}
		})
	}
}

func TestPythonProcfileLoopback(t *testing.T) {
	det := pyDetect(t, map[string]string{"requirements.txt": "gunicorn\nflask\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n",
		"Procfile": "web: gunicorn --bind 127.0.0.1:$PORT app:app\n"}, nil)
	want := []string{"gunicorn", "--bind", "0.0.0.0:5000", "app:app"}
	if !reflect.DeepEqual(det.Start, want) {
		t.Errorf("Start = %q, want %q", det.Start, want)
	}
	if !detecttest.HasNote(det, "binds 127.0.0.1") || det.Python.PortArg == nil || det.Python.PortArg.Prefix != "0.0.0.0:" {
		t.Errorf("notes %q, port arg %+v", det.Notes, det.Python.PortArg)
	}
}

// Settings classes of other services (Redis, a database, mail) hold their
// host and port, not the app's: a bot with only those is a worker.
func TestPythonOtherServiceSettings(t *testing.T) {
	files := map[string]string{
		"pyproject.toml":   "[project]\nname = \"bot\"\n",
		"bot/__init__.py":  "",
		"bot/__main__.py":  "from bot.constants import redis\nprint(redis.port)\n",
		"bot/constants.py": "from pydantic_settings import BaseSettings\n\nclass _Bot(BaseSettings, env_prefix='bot_'):\n    token: str = ''\n\nclass _Redis(BaseSettings, env_prefix='redis_'):\n    host: str = 'localhost'\n    port: int = 6379\n\nclass Database(BaseSettings):\n    port: int = 5432\n",
	}
	det := pyDetect(t, files, nil)
	if det.Port != 0 || !det.Worker || det.Python.PortEnv != "" || len(det.Python.Env) != 0 {
		t.Errorf("Port = %d, Worker %v, PortEnv %q, Env %v", det.Port, det.Worker, det.Python.PortEnv, det.Python.Env)
	}
}

// A --port option of another command (a management command's SMTP
// server) is not the app's port.
func TestPythonFlagPortOnlyInTheFileRun(t *testing.T) {
	det := pyDetect(t, map[string]string{"requirements.txt": "", "main.py": "from http.server import HTTPServer\n",
		"tools_smtpd.py": "import argparse\np = argparse.ArgumentParser()\np.add_argument('--port', type=int, default=25)\n"}, nil)
	if det.Port != 0 || detecttest.HasNote(det, "below 1024") {
		t.Errorf("Port = %d, notes %q", det.Port, det.Notes)
	}
}

// uvicorn.run and Flask's app.run bind 127.0.0.1 without host=: a script
// that calls them gets a note.
func TestPythonDefaultLoopbackRun(t *testing.T) {
	det := pyDetect(t, map[string]string{"requirements.txt": "uvicorn\n", "Procfile": "web: python serve.py\n",
		"serve.py": "import uvicorn\nfrom api import app\n\nif __name__ == '__main__':\n    uvicorn.run(app, port=8000)\n"}, nil)
	if !detecttest.HasNote(det, "serve.py:5: uvicorn.run without host= binds 127.0.0.1") {
		t.Errorf("notes %q", det.Notes)
	}
	det = pyDetect(t, map[string]string{"requirements.txt": "uvicorn\n", "Procfile": "web: python serve.py\n",
		"serve.py": "import uvicorn\nfrom api import app\n\nif __name__ == '__main__':\n    uvicorn.run(app, host='0.0.0.0', port=8000)\n"}, nil)
	if detecttest.HasNote(det, "binds 127.0.0.1") {
		t.Errorf("a note with host='0.0.0.0': %q", det.Notes)
	}
}
