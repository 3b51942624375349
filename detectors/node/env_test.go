package node

import (
	"slices"
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestRequiredEnvNode(t *testing.T) {
	const pkg = `{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"^4"}}`
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "top-level checks that throw or exit; a fallback is not required",
			files: map[string]string{"package.json": pkg, "server.js": `const express = require("express");
if (!process.env.DATABASE_URL) {
  throw new Error("DATABASE_URL is required");
}
const secret = process.env.JWT_SECRET;
if (!secret) process.exit(1);
const region = process.env.REGION || "eu";
if (!process.env.OPTIONAL) console.warn("OPTIONAL unset");
if (!process.env.NEXT_PUBLIC_API) throw new Error("inlined by the build");
const app = express();
app.listen(process.env.PORT || 3000);
`},
			want: []string{"DATABASE_URL server.js:2", "JWT_SECRET server.js:6"},
		},
		{
			name: "in a function the module calls at start, yes; in a handler or an uncalled function, no",
			files: map[string]string{"package.json": pkg, "server.js": `const express = require("express");

function requireEnv(name) {
  const v = process.env[name];
  if (!v) throw new Error(name + " missing");
  return v;
}

async function main() {
  if (!process.env.REDIS_URL) {
    console.error("REDIS_URL missing");
    process.exit(1);
  }
  const app = express();
  app.get("/x", (req, res) => {
    if (!process.env.PER_REQUEST) throw new Error("no");
    res.send(requireEnv("IN_HANDLER"));
  });
  app.listen(3000);
}

function later() {
  if (!process.env.NEVER) throw new Error("never");
}

const config = { key: requireEnv("STRIPE_KEY") };
main();
`},
			want: []string{"REDIS_URL server.js:10", "STRIPE_KEY server.js:26"},
		},
		{
			name: "a list of names checked in a loop",
			files: map[string]string{"package.json": pkg, "server.js": `for (const k of ["SMTP_HOST", "SMTP_USER"]) {
  if (!process.env[k]) throw new Error(k + " is not set");
}
require("express")().listen(3000);
`},
			want: []string{"SMTP_HOST server.js:1", "SMTP_USER server.js:1"},
		},
		{
			name: "Joi validation schema (NestJS ConfigModule)",
			files: map[string]string{"package.json": pkg, "server.js": "require('express')().listen(3000);\n", "config.js": `const Joi = require("joi");
module.exports = {
  validationSchema: Joi.object({
    NODE_ENV: Joi.string().valid("development", "production").default("development"),
    DATABASE_URL: Joi.string().uri().required(),
    CACHE_TTL: Joi.number(),
    MAIL_FROM: Joi.string().required().default("noreply@localhost"),
  }),
};
`},
			want: []string{"DATABASE_URL config.js:5"},
		},
		{
			name: "scripts run by hand are not the app",
			files: map[string]string{"package.json": pkg, "server.js": "require('express')().listen(3000);\n",
				"scripts/backfill.js": "if (!process.env.BACKFILL_TOKEN) throw new Error('token');\n",
				"prisma/seed.ts":      "if (!process.env.SEED_ADMIN) process.exit(1);\n"},
			want: nil,
		},
		{
			name: "envalid, zod and env-var schemas; defaults and optional fields are not required",
			files: map[string]string{"package.json": pkg, "server.js": `require("express")().listen(3000);
require("./env");
`, "env.js": `const { cleanEnv, str, port, url } = require("envalid");
const { z } = require("zod");
const envVar = require("env-var");

const env = cleanEnv(process.env, {
  API_URL: url(),
  LOG_LEVEL: str({ default: "info", choices: ["info", "debug"] }),
  ADMIN_EMAIL: str({ devDefault: "dev@localhost" }),
  PORT: port({ default: 3000 }),
});

const schema = z.object({
  SESSION_SECRET: z.string().min(32),
  SENTRY_DSN: z.string().url().optional(),
  WORKERS: z.coerce.number().default(2),
});
const parsed = schema.parse(process.env);

const bucket = envVar.get("S3_BUCKET").required().asString();
const maybe = envVar.get("FEATURE").default("off").required().asString();
module.exports = { env, parsed, bucket, maybe };
`},
			want: []string{"API_URL env.js:6", "ADMIN_EMAIL env.js:8", "SESSION_SECRET env.js:13", "S3_BUCKET env.js:19"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := nodeDetect(t, tt.files, nil)
			if got := detecttest.EnvNames(det); !slices.Equal(got, tt.want) {
				t.Errorf("required env %q, want %q", got, tt.want)
			}
		})
	}
}

func TestJSLayout(t *testing.T) {
	src := "const a = {\n  b: 1,\n};\nif (x) {\n  y();\n}\nfunction f(p) {\n  z();\n}\nconst g = async (q): Promise<void> => {\n  w();\n};\nclass C {\n  m(): string {\n    v();\n  }\n}\ng();\n"
	js := newJSLayout(src)
	for _, c := range []struct {
		needle string
		start  bool
	}{{"b: 1", true}, {"y()", true}, {"z()", false}, {"w()", true}, {"v()", false}} {
		i := indexOf(src, c.needle)
		if got := js.atStart(i); got != c.start {
			t.Errorf("%s: atStart = %v, want %v", c.needle, got, c.start)
		}
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
