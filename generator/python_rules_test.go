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
