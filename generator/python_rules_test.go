package generator

import (
	"testing"
)

// TestPlanPythonClientWorker: a program that only uses HTTP and websocket
// clients serves nothing, so its image has no port, EXPOSE or probe and
// runs the script with a __main__ guard.
func TestPlanPythonClientWorker(t *testing.T) {
	files := map[string]string{
		"requirements.txt":  "aiohttp\nwebsockets\n",
		"relay/__init__.py": "",
		"relay/run.py":      "import asyncio\nimport aiohttp\nimport websockets\n\nasync def main():\n    async with websockets.connect('wss://feed.example') as ws, aiohttp.ClientSession() as s:\n        await s.post('https://sink.example', data=await ws.recv())\n\nif __name__ == '__main__':\n    asyncio.run(main())\n",
	}
	p := pythonPlanFor(t, files, Options{})
	if p.Port != nil || p.Healthcheck != nil {
		t.Errorf("worker has port %v, health check %+v", p.Port, p.Healthcheck)
	}
	df, di := pythonRender(t, p)
	pythonLacks(t, "Dockerfile", df, "EXPOSE", "HEALTHCHECK", "PORT=")
	pythonHas(t, "Dockerfile", df, `CMD ["python","-m","relay.run"]`)
	pythonCheck(t, p, df, di)
}

// TestPlanPythonPortVariable: the app reads its port from APP_PORT with a
// default; the image sets APP_PORT to the EXPOSEd port, also when --port
// changes it, so the listener, EXPOSE and the probe agree.
func TestPlanPythonPortVariable(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "aiohttp\n",
		"main.py":          "import os\nfrom aiohttp import web\n\napp = web.Application()\n\nif __name__ == '__main__':\n    web.run_app(app, host=os.getenv('HOST', '127.0.0.1'), port=int(os.getenv('APP_PORT', '8081')))\n",
	}
	for _, tt := range []struct {
		opts Options
		port string
	}{{Options{}, "8081"}, {Options{Port: 9000}, "9000"}} {
		p := pythonPlanFor(t, files, tt.opts)
		df, di := pythonRender(t, p)
		pythonHas(t, "Dockerfile", df, "APP_PORT="+tt.port, "HOST=0.0.0.0", "EXPOSE "+tt.port, "127.0.0.1:"+tt.port+"/", `CMD ["python","main.py"]`)
		pythonCheck(t, p, df, di)
	}
}
