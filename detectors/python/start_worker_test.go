package python

import (
	"reflect"
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestPythonWorkerRule(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		start  []string
		worker bool
		choice bool // a main choice is recorded
		safe   bool
	}{
		{"aiohttp client in a root script is a worker",
			map[string]string{"requirements.txt": "aiohttp\n", "poller.py": "import asyncio\nimport aiohttp\n\nasync def main():\n    async with aiohttp.ClientSession() as s:\n        await s.get('https://example.com')\n\nif __name__ == '__main__':\n    asyncio.run(main())\n"},
			[]string{"python", "poller.py"}, true, false, false},
		{"aiohttp web server is not a worker",
			map[string]string{"requirements.txt": "aiohttp\n", "service.py": "from aiohttp import web\n\napp = web.Application()\n\nif __name__ == '__main__':\n    web.run_app(app, port=8081)\n"},
			[]string{"python", "service.py"}, false, false, false},
		{"httpx and a gRPC stub are clients",
			map[string]string{"requirements.txt": "httpx\ngrpcio\n", "sync/run.py": "import grpc\nimport httpx\n\nif __name__ == \"__main__\":\n    ch = grpc.insecure_channel('x:1')\n    httpx.get('https://example.com')\n"},
			[]string{"python", "sync/run.py"}, true, false, false},
		{"a gRPC server is not a worker",
			map[string]string{"requirements.txt": "grpcio\n", "serve.py": "import grpc\nfrom concurrent import futures\n\nif __name__ == '__main__':\n    server = grpc.server(futures.ThreadPoolExecutor())\n    server.add_insecure_port('[::]:50051')\n    server.start()\n"},
			[]string{"python", "serve.py"}, false, false, false},
		{"a script in a package runs as a module",
			map[string]string{"requirements.txt": "requests\n", "bot/__init__.py": "", "bot/run.py": "from .feed import poll\n\nif __name__ == '__main__':\n    poll()\n", "bot/feed.py": "import requests\ndef poll(): requests.get('https://example.com')\n"},
			[]string{"python", "-m", "bot.run"}, true, false, false},
		{"a root script beats one a folder down, developer scripts never count",
			map[string]string{"requirements.txt": "", "run.py": "if __name__ == '__main__':\n    print(1)\n", "jobs/sync.py": "if __name__ == '__main__':\n    print(2)\n", "scripts/release.py": "if __name__ == '__main__':\n    print(3)\n"},
			[]string{"python", "run.py"}, true, true, true},
		{"alike scripts are an open choice",
			map[string]string{"requirements.txt": "", "alpha.py": "if __name__ == '__main__':\n    print(1)\n", "beta.py": "if __name__ == '__main__':\n    print(2)\n"},
			[]string{"python", "alpha.py"}, true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := pyDetect(t, tt.files, nil)
			if !reflect.DeepEqual(det.Start, tt.start) {
				t.Errorf("Start = %q, want %q", det.Start, tt.start)
			}
			if det.Worker != tt.worker {
				t.Errorf("Worker = %v, want %v (notes %q)", det.Worker, tt.worker, det.Notes)
			}
			if tt.worker && (det.Port != 0 || det.HealthPath != "" || det.Python.PortArg != nil) {
				t.Errorf("worker has port %d, health %q, port arg %v", det.Port, det.HealthPath, det.Python.PortArg)
			}
			if tt.worker && !detecttest.HasNote(det, "serves nothing") {
				t.Errorf("worker without a note: %q", det.Notes)
			}
			if (len(det.Choices) == 1) != tt.choice {
				t.Fatalf("choices = %+v, want one: %v", det.Choices, tt.choice)
			}
			if tt.choice && det.Choices[0].Safe != tt.safe {
				t.Errorf("choice Safe = %v, want %v", det.Choices[0].Safe, tt.safe)
			}
		})
	}
}

// A script in a package that imports its siblings absolutely (import
// config) runs as a file: as a module, its folder would not be on
// sys.path.
func TestPythonScriptSiblingImports(t *testing.T) {
	det := pyDetect(t, map[string]string{"requirements.txt": "python-telegram-bot\n", "bot/__init__.py": "", "bot/config.py": "TOKEN = ''\n",
		"bot/bot.py": "import config\nfrom telegram.ext import Application\n\nif __name__ == '__main__':\n    Application.builder().token(config.TOKEN).build().run_polling()\n"}, nil)
	if want := []string{"python", "bot/bot.py"}; !reflect.DeepEqual(det.Start, want) || !det.Worker {
		t.Errorf("Start = %q (want %q), Worker %v", det.Start, want, det.Worker)
	}
}
