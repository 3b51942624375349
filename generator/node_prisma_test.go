package generator

import (
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
)

const prismaSchemaFixture = "generator client {\n  provider = \"prisma-client-js\"\n}\n\ndatasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n"

func TestPlanNodePrismaKeepsTheGeneratedClient(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		answers  facts.Answers
		generate string
		prune    []string // parts of the prune step, in order
	}{
		{
			name: "npm, default schema",
			files: map[string]string{
				"package.json":         `{"scripts": {"build": "tsc", "start": "node dist/index.js"}, "dependencies": {"@prisma/client": "^6", "express": "^5"}, "devDependencies": {"prisma": "^6", "typescript": "^5"}, "engines": {"node": "22"}}`,
				"package-lock.json":    "{}",
				"prisma/schema.prisma": prismaSchemaFixture,
				"src/index.ts":         "app.listen(3000)\n",
			},
			generate: "npx --no-install prisma generate",
			prune:    []string{prismaSave, "npm prune --omit=dev", prismaRestore},
		},
		{
			name: "yarn, schema elsewhere",
			files: map[string]string{
				"package.json":         `{"scripts": {"build": "tsc", "start": "node dist/index.js"}, "dependencies": {"@prisma/client": "^6"}, "devDependencies": {"prisma": "^6"}, "engines": {"node": "22"}}`,
				"yarn.lock":            "# yarn lockfile v1\n",
				"src/db/schema.prisma": prismaSchemaFixture,
				"src/index.ts":         "app.listen(3000)\n",
			},
			generate: "yarn run prisma generate --schema src/db/schema.prisma",
			prune:    []string{prismaSave, "yarn install --frozen-lockfile --production", prismaRestore},
		},
		{
			name: "bun reinstalls node_modules",
			files: map[string]string{
				"package.json":         `{"scripts": {"build": "tsc", "start": "node dist/index.js"}, "dependencies": {"@prisma/client": "^6"}, "devDependencies": {"prisma": "^6"}}`,
				"bun.lock":             "{}",
				"prisma/schema.prisma": prismaSchemaFixture,
				"src/index.ts":         "app.listen(3000)\n",
			},
			generate: "bunx prisma generate",
			prune:    []string{prismaSave, "bun install --frozen-lockfile --production", prismaRestore},
		},
		{
			name: "pnpm workspace, schema in a library package",
			files: map[string]string{
				"package.json":                     `{"packageManager": "pnpm@9.15.0", "engines": {"node": "22"}}`,
				"pnpm-lock.yaml":                   "lockfileVersion: '9.0'\n",
				"pnpm-workspace.yaml":              "packages: ['apps/*', 'packages/*']\n",
				"apps/api/package.json":            `{"name": "api", "scripts": {"build": "tsc", "start": "node dist/main.js"}, "dependencies": {"@acme/db": "workspace:*"}}`,
				"apps/api/src/main.ts":             "app.listen(3000)\n",
				"packages/db/package.json":         `{"name": "@acme/db", "dependencies": {"@prisma/client": "^6"}, "devDependencies": {"prisma": "^6"}}`,
				"packages/db/prisma/schema.prisma": prismaSchemaFixture,
			},
			answers:  facts.Answers{"app": "apps/api"},
			generate: "pnpm --filter @acme/db exec prisma generate",
			prune:    []string{"pnpm --filter api deploy --prod /prod/app", "require.resolve('@prisma/client/package.json'", "at('/app/packages/db'), at(fs.realpathSync('/prod/app/node_modules/@acme/db'))"},
		},
		{
			name: "npm workspace, schema in the app",
			files: map[string]string{
				"package.json":                  `{"workspaces": ["apps/*"], "engines": {"node": "22"}}`,
				"package-lock.json":             "{}",
				"apps/api/package.json":         `{"name": "api", "scripts": {"build": "tsc", "start": "node dist/main.js"}, "dependencies": {"@prisma/client": "^6"}, "devDependencies": {"prisma": "^6"}}`,
				"apps/api/src/main.ts":          "app.listen(3000)\n",
				"apps/api/src/db/schema.prisma": prismaSchemaFixture,
			},
			answers:  facts.Answers{"app": "apps/api"},
			generate: "npm exec -w apps/api -- prisma generate --schema src/db/schema.prisma",
			prune:    []string{prismaSave, "npm prune --omit=dev", prismaRestore},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := nodePlanFor(t, tt.files, Options{Answers: tt.answers})
			if len(p.Node.Generate) != 1 || p.Node.Generate[0] != tt.generate {
				t.Errorf("generate %q, want %q", p.Node.Generate, tt.generate)
			}
			last := -1
			for _, part := range tt.prune {
				i := strings.Index(p.Node.Prune, part)
				if i <= last {
					t.Errorf("prune %q lacks %q after position %d", p.Node.Prune, part, last)
				}
				last = i
			}
			if !strings.Contains(p.Node.PruneWhy, "nothing downloads it at start") {
				t.Errorf("prune comment %q", p.Node.PruneWhy)
			}
			df, _ := nodeChecked(t, p)
			gen, build, prune := strings.Index(df, "RUN "+tt.generate), strings.Index(df, "RUN "+p.Build), strings.Index(df, tt.prune[0])
			if gen < 0 || build < gen || prune < build {
				t.Errorf("generate, build and prune must run in that order in the build stage:\n%s", df)
			}
			_, runtime, _ := strings.Cut(df, "AS runtime")
			if strings.Contains(runtime, "prisma generate") || !strings.Contains(runtime, "openssl") {
				t.Errorf("the runtime stage has OpenSSL and generates nothing:\n%s", runtime)
			}
		})
	}
}
