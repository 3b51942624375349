package node

import (
	"fmt"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

const prismaSchemaText = "generator client {\n  provider = \"prisma-client-js\"\n}\n\ndatasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n"

func TestNodePrismaSchema(t *testing.T) {
	prismaPkg := `{"main": "index.js", "dependencies": {"@prisma/client": "^6"}, "devDependencies": {"prisma": "^6"}%s}`
	tests := []struct {
		name     string
		files    map[string]string
		answers  facts.Answers
		schema   string
		dir, pkg string
		arg      string
		why      string
	}{
		{
			name:   "default location",
			files:  map[string]string{"package.json": sprintf(prismaPkg, ""), "index.js": "", "prisma/schema.prisma": prismaSchemaText},
			schema: "prisma/schema.prisma", why: "default",
		},
		{
			name:   "schema.prisma at the root",
			files:  map[string]string{"package.json": sprintf(prismaPkg, ""), "index.js": "", "schema.prisma": prismaSchemaText},
			schema: "schema.prisma", why: "default",
		},
		{
			name:   "elsewhere: --schema",
			files:  map[string]string{"package.json": sprintf(prismaPkg, ""), "index.js": "", "src/db/schema.prisma": prismaSchemaText, "prisma/migrations/0_init/migration.sql": ""},
			schema: "src/db/schema.prisma", arg: "src/db/schema.prisma", why: "--schema src/db/schema.prisma",
		},
		{
			name:   "several files in one folder: the folder",
			files:  map[string]string{"package.json": sprintf(prismaPkg, ""), "index.js": "", "db/models/base.prisma": prismaSchemaText, "db/models/user.prisma": "model User {\n  id Int @id\n}\n"},
			schema: "db/models", arg: "db/models", why: "--schema db/models",
		},
		{
			name:   "package.json names it",
			files:  map[string]string{"package.json": sprintf(prismaPkg, `, "prisma": {"schema": "db/schema.prisma"}`), "index.js": "", "db/schema.prisma": prismaSchemaText},
			schema: "db/schema.prisma", why: `"prisma": {"schema": "db/schema.prisma"}`,
		},
		{
			name:   "prisma.config.ts names it",
			files:  map[string]string{"package.json": sprintf(prismaPkg, ""), "index.js": "", "prisma.config.ts": "import path from 'node:path'\nexport default defineConfig({\n  schema: path.join(__dirname, 'database', 'schema.prisma'),\n})\n", "database/schema.prisma": prismaSchemaText},
			schema: "database/schema.prisma", why: "prisma.config.ts",
		},
		{
			name: "a workspace package the app uses holds it",
			files: map[string]string{
				"package.json":                     `{"packageManager": "pnpm@9.15.0"}`,
				"pnpm-lock.yaml":                   "lockfileVersion: '9.0'\n",
				"pnpm-workspace.yaml":              "packages: ['apps/*', 'packages/*']\n",
				"apps/api/package.json":            `{"name": "api", "scripts": {"build": "tsc", "start": "node dist/main.js"}, "dependencies": {"@acme/db": "workspace:*"}}`,
				"packages/db/package.json":         `{"name": "@acme/db", "dependencies": {"@prisma/client": "^6"}, "devDependencies": {"prisma": "^6"}}`,
				"packages/db/prisma/schema.prisma": prismaSchemaText,
				"packages/other/schema.prisma":     prismaSchemaText,
			},
			answers: facts.Answers{"app": "apps/api"},
			schema:  "packages/db/prisma/schema.prisma", dir: "packages/db", pkg: "@acme/db", why: "default",
		},
		{
			name: "the app itself in a workspace, not at the default path",
			files: map[string]string{
				"package.json":                    `{"workspaces": ["apps/*"]}`,
				"package-lock.json":               "{}",
				"apps/api/package.json":           `{"name": "api", "main": "index.js", "dependencies": {"@prisma/client": "^6"}}`,
				"apps/api/index.js":               "",
				"apps/api/src/db/schema.prisma":   prismaSchemaText,
				"apps/other/package.json":         `{"name": "other"}`,
				"apps/other/prisma/schema.prisma": prismaSchemaText,
			},
			answers: facts.Answers{"app": "apps/api"},
			schema:  "apps/api/src/db/schema.prisma", dir: "apps/api", pkg: "api", arg: "src/db/schema.prisma", why: "--schema src/db/schema.prisma",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := nodeDetect(t, tt.files, tt.answers)
			nf := det.Node
			if !nf.Prisma || nf.PrismaSchemaPath != tt.schema || nf.PrismaDir != tt.dir || nf.PrismaPackage != tt.pkg || nf.PrismaSchemaArg != tt.arg {
				t.Errorf("prisma %v schema %q dir %q pkg %q arg %q, want %q %q %q %q", nf.Prisma, nf.PrismaSchemaPath, nf.PrismaDir, nf.PrismaPackage, nf.PrismaSchemaArg, tt.schema, tt.dir, tt.pkg, tt.arg)
			}
			detecttest.WantCited(t, det, "prismaSchema", tt.schema, 0, tt.why)
		})
	}
}

func TestNodePrismaBinaryTargets(t *testing.T) {
	for _, tt := range []struct {
		targets string
		note    bool
	}{
		{`["rhel-openssl-1.0.x"]`, true},
		{`["debian-openssl-1.1.x", "linux-musl"]`, true},
		{`["native", "rhel-openssl-3.0.x"]`, false},
		{`["debian-openssl-3.0.x"]`, false},
	} {
		det := nodeDetect(t, map[string]string{
			"package.json":         `{"main": "index.js", "dependencies": {"@prisma/client": "^6"}}`,
			"index.js":             "",
			"prisma/schema.prisma": "datasource db {\n  provider = \"sqlite\"\n}\n\ngenerator client {\n  provider      = \"prisma-client-js\"\n  binaryTargets = " + tt.targets + "\n}\n",
		}, nil)
		detecttest.WantCited(t, det, "prismaBinaryTargets", "prisma/schema.prisma", 7, "binaryTargets = [")
		if got := detecttest.HasNote(det, `add "debian-openssl-3.0.x"`); got != tt.note {
			t.Errorf("%s: note %v, want %v: %q", tt.targets, got, tt.note, det.Notes)
		}
	}
	det := nodeDetect(t, map[string]string{"package.json": `{"main": "index.js", "dependencies": {"@prisma/client": "^6"}}`, "index.js": ""}, nil)
	if !detecttest.HasNote(det, "no schema.prisma was found") {
		t.Errorf("no schema: notes %q", det.Notes)
	}
}

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }
