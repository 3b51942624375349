package node

import (
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// TestFallbackPort: the last numeric literal of a fallback array or a
// || chain through other values is the port, read from the variable the
// image can set.
func TestFallbackPort(t *testing.T) {
	pkg := `{"name": "app", "main": "server.js", "dependencies": {"express": "^4.21.0"}}`
	for _, tc := range []struct {
		name, src string
		port      int
		env       string
		line      int
	}{
		{
			name: "a fallback array with PORT",
			src:  "const app = require('express')();\nconst port = [args.port, process.env.APP_KUMA_PORT, process.env.PORT, 3001]\n  .map((p) => parseInt(p)).find((p) => !isNaN(p));\napp.listen(port);\n",
			port: 3001, env: "PORT", line: 2,
		},
		{
			name: "a fallback array with only the app's own variable",
			src:  "const app = require('express')();\nconst port = [process.env.DB_PORT && 0, process.env.SHOP_PORT, 4001].find(Boolean);\napp.listen(port);\n",
			port: 4001, env: "SHOP_PORT", line: 2,
		},
		{
			name: "a || chain through a settings value",
			src:  "const app = require('express')();\nconst settings = require('./settings');\napp.listen(process.env.PORT || settings.uiPort || 1880);\n",
			port: 1880, env: "PORT", line: 3,
		},
		{
			name: "an array of other numbers is no port",
			src:  "const app = require('express')();\nconst sizes = [process.env.SIZE, 1024];\napp.listen(process.env.PORT);\n",
			port: 0,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			det := nodeDetect(t, map[string]string{"package.json": pkg, "server.js": tc.src}, nil)
			if tc.port == 0 {
				if det.Port == 1024 {
					t.Errorf("Port = %d from %v, want no port from a non-port array", det.Port, det.Evidence["port"])
				}
				return
			}
			if det.Port != tc.port || det.Node.PortEnv != tc.env {
				t.Errorf("Port=%d PortEnv=%q, want %d %q (%v)", det.Port, det.Node.PortEnv, tc.port, tc.env, det.Evidence["port"])
			}
			detecttest.WantCited(t, det, "port", "server.js", tc.line, "the last fallback")
		})
	}
}
