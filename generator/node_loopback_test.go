package generator

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
)

// TestPlanNodeHardLoopback: a loopback host hard-coded in the listen
// call, or a Fastify listen call with no host, stops the plan with a
// bad-input error naming the file, the line and the change to make.
func TestPlanNodeHardLoopback(t *testing.T) {
	for _, tt := range []struct{ fw, src, want string }{
		{"express", "const app = require('express')();\napp.listen(3000, '127.0.0.1');\n", `listen(port, "0.0.0.0")`},
		{"fastify", "const app = require('fastify')();\napp.listen({ port: 3000 });\n", `listen({ port, host: "0.0.0.0" })`},
	} {
		fsys := fstest.MapFS{
			"package.json":      {Data: []byte(`{"main": "server.js", "dependencies": {"` + tt.fw + `": "^5"}}`)},
			"package-lock.json": {Data: []byte("{}")},
			"server.js":         {Data: []byte(tt.src)},
		}
		p, err := Resolve(context.Background(), fsys, Options{})
		if p != nil || !IsBadInput(err) || !strings.Contains(err.Error(), "server.js:2:") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: plan %v, err = %v; want a bad-input error at server.js:2 saying %s", tt.fw, p != nil, err, tt.want)
		}
	}
}

// TestPlanNodeFastifyCLIAddress: an app started with fastify start gets
// FASTIFY_ADDRESS=0.0.0.0 in the image, so fastify-cli leaves localhost.
func TestPlanNodeFastifyCLIAddress(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json":      `{"scripts": {"start": "fastify start -l info app.js"}, "dependencies": {"fastify": "^5", "fastify-cli": "^7"}, "engines": {"node": "22"}}`,
		"package-lock.json": "{}",
		"app.js":            "module.exports = async function (fastify) {\n  fastify.get('/', async () => ({ ok: true }))\n}\n",
	}, Options{})
	_, img := nodeChecked(t, p)
	found := false
	for _, e := range img.Env {
		found = found || e == "FASTIFY_ADDRESS=0.0.0.0"
	}
	if !found {
		t.Errorf("image env %q lacks FASTIFY_ADDRESS=0.0.0.0", img.Env)
	}
}
