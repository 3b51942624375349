package node

import (
	"slices"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
)

func TestNodeSkipDownloads(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files map[string]string
		app   string
		want  []string
	}{
		{"dev-only test tools", map[string]string{
			"package.json":      `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "^5"}, "devDependencies": {"cypress": "^13", "@playwright/test": "^1.48", "electron": "^33"}}`,
			"package-lock.json": "{}",
			"server.js":         "app.listen(3000)\n",
		}, "", []string{"cypress", "@playwright/test", "electron"}},
		{"puppeteer the app renders with is kept", map[string]string{
			"package.json":      `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "^5", "puppeteer": "^23"}, "devDependencies": {"playwright": "^1.48"}}`,
			"package-lock.json": "{}",
			"server.js":         "app.listen(3000)\n",
		}, "", []string{"playwright"}},
		{"an e2e package of the workspace", map[string]string{
			"package.json":          `{"private": true}`,
			"pnpm-workspace.yaml":   "packages: ['apps/*']\n",
			"pnpm-lock.yaml":        "lockfileVersion: '9.0'\n",
			"apps/api/package.json": `{"name": "api", "scripts": {"start": "node index.js"}, "dependencies": {"fastify": "^5"}}`,
			"apps/api/index.js":     "app.listen({ port: 3000, host: '0.0.0.0' })\n",
			"apps/e2e/package.json": `{"name": "e2e", "devDependencies": {"@playwright/test": "^1.48"}}`,
		}, "apps/api", []string{"@playwright/test"}},
		{"none", map[string]string{
			"package.json":      `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "^5"}}`,
			"package-lock.json": "{}",
			"server.js":         "app.listen(3000)\n",
		}, "", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			answers := facts.Answers{}
			if tt.app != "" {
				answers["app"] = tt.app
			}
			det := nodeDetect(t, tt.files, answers)
			if got := det.Node.SkipDownloads; !slices.Equal(got, tt.want) {
				t.Errorf("SkipDownloads = %q, want %q", got, tt.want)
			}
		})
	}
}
