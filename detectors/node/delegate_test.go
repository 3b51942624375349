package node

import (
	"strings"
	"testing"
)

// rankFiles is a workspace with two apps and a library, whose root
// package.json has the given scripts and workspace declaration.
func rankFiles(rootExtra string, more map[string]string) map[string]string {
	files := map[string]string{
		"package.json":              `{"name": "mono", "private": true, "workspaces": ["apps/*", "packages/*", "examples/*"]` + rootExtra + `}`,
		"package-lock.json":         "{}",
		"apps/api/package.json":     `{"name": "@acme/api", "scripts": {"start": "node src/index.js"}, "dependencies": {"express": "^5"}}`,
		"apps/api/src/index.js":     "app.listen(process.env.PORT || 4000)\n",
		"apps/web/package.json":     `{"name": "@acme/web", "scripts": {"build": "next build", "start": "next start"}, "dependencies": {"next": "16"}}`,
		"packages/lib/package.json": `{"name": "@acme/lib"}`,
	}
	for k, v := range more {
		files[k] = v
	}
	return files
}

func TestNodeWorkspaceRanking(t *testing.T) {
	tests := []struct {
		name    string
		scripts string
		more    map[string]string
		want    string // the safe default, "" for an open choice
		reason  string
	}{
		{"npm -w", `"start": "npm run start -w apps/api"`, nil, "apps/api", `scripts.start (npm run start -w apps/api)`},
		{"npm --workspace=name", `"start": "npm start --workspace=@acme/web"`, nil, "apps/web", "scripts.start"},
		{"pnpm --filter", `"start": "pnpm --filter @acme/api start"`, nil, "apps/api", "--filter @acme/api"},
		{"pnpm --filter with dependencies", `"build": "pnpm --filter @acme/web... build"`, nil, "apps/web", "scripts.build"},
		{"yarn workspace", `"start": "yarn workspace @acme/api start"`, nil, "apps/api", "yarn workspace"},
		{"turbo filter", `"build": "turbo run build", "start": "turbo run start --filter=@acme/web"`, nil, "apps/web", "turbo"},
		{"turbo through npx", `"start": "npx turbo start -F @acme/api"`, nil, "apps/api", "npx turbo"},
		{"nx target", `"start": "nx run api:serve"`, nil, "apps/api", "nx run api:serve"},
		{"nx short form", `"start": "nx serve web --prod"`, nil, "apps/web", "nx serve web"},
		{"cd into the app", `"start": "cd apps/api && node src/index.js"`, nil, "apps/api", "cd apps/api"},
		{"followed through npm run", `"start": "npm run start:prod", "start:prod": "pnpm -F @acme/api start"`, nil, "apps/api", "start:prod"},
		{"start wins over build", `"build": "turbo run build --filter=@acme/web", "start": "yarn workspace @acme/api start"`, nil, "apps/api", "scripts.start"},
		{"no delegation: both apps stay open", `"build": "turbo run build"`, nil, "", ""},
		{"two starts tie", `"start": "npm start -w apps/api & npm start -w apps/web"`, nil, "", ""},
		{
			name:    "examples are never candidates",
			scripts: `"build": "turbo run build"`,
			more: map[string]string{
				"apps/web/package.json":           `{"name": "@acme/web", "scripts": {"build": "tsc"}}`,
				"examples/demo/package.json":      `{"name": "demo", "scripts": {"start": "node index.js"}}`,
				"examples/demo/index.js":          "require('http').createServer().listen(3000)\n",
				"examples/demo-next/package.json": `{"name": "demo-next", "dependencies": {"next": "16"}}`,
			},
			want: "apps/api", reason: "the only workspace package that is an app",
		},
		{
			name:    "a Storybook package is not an app",
			scripts: `"build": "turbo run build"`,
			more: map[string]string{
				"apps/web/package.json":       `{"name": "@acme/web", "scripts": {"build": "tsc"}}`,
				"apps/storybook/package.json": `{"name": "storybook", "scripts": {"build-storybook": "storybook build"}, "devDependencies": {"storybook": "^10", "vite": "^7"}}`,
				"apps/storybook/index.html":   "<div></div>",
			},
			want: "apps/api", reason: "the only workspace package that is an app",
		},
		{
			name:    "a delegation into examples is ignored",
			scripts: `"start": "npm start -w examples/demo"`,
			more: map[string]string{
				"examples/demo/package.json": `{"name": "demo", "scripts": {"start": "node index.js"}}`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			extra := ""
			if tt.scripts != "" {
				extra = `, "scripts": {` + tt.scripts + `}`
			}
			det := nodeDetect(t, rankFiles(extra, tt.more), nil)
			if len(det.Choices) != 1 || det.Choices[0].Key != "app" {
				t.Fatalf("choices %+v", det.Choices)
			}
			c := det.Choices[0]
			for _, o := range c.Options {
				if excludedDir(o.Value) {
					t.Errorf("option %s is under an excluded folder", o.Value)
				}
			}
			if tt.want == "" {
				if c.Safe {
					t.Fatalf("a tie became safe: default %q (%s)", c.Default, c.Reason)
				}
				return
			}
			if !c.Safe || c.Default != tt.want || !strings.Contains(c.Reason, tt.reason) {
				t.Fatalf("default %q safe %v reason %q; want %q, a reason with %q", c.Default, c.Safe, c.Reason, tt.want, tt.reason)
			}
			found := false
			for _, o := range c.Options {
				found = found || o.Value == tt.want
			}
			if !found {
				t.Errorf("the default %s is not among the options %+v", tt.want, c.Options)
			}
		})
	}
}

func TestNodeExcludedDir(t *testing.T) {
	for dir, want := range map[string]bool{
		"examples/basic": true, "packages/x/examples/y": true, "docs": true, "test": true, "tests/app": true,
		"testing/fixture": true, "e2e/app": true, "apps/api": false, "packages/latest": false, "apps/contest": false,
	} {
		if got := excludedDir(dir); got != want {
			t.Errorf("excludedDir(%q) = %v, want %v", dir, got, want)
		}
	}
}
