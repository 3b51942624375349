package generator

import (
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// renderDockerfile renders p's Dockerfile.
func renderDockerfile(t *testing.T, p *Plan) string {
	t.Helper()
	files, err := Render(p, "")
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return string(files[0].Data)
}

func TestRequiredEnvPlan(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "fastapi\nuvicorn\n",
		"main.py": `import os
from fastapi import FastAPI

LOG_FORMAT = os.environ["LOG_FORMAT"]
API_TOKEN = os.environ["API_TOKEN"]
CACHE_URL = os.environ["CACHE_URL"]
GREETING = os.environ["GREETING"]
REGION = os.environ["REGION"]
PORT = os.environ["PORT"]
TEAM = os.environ["TEAM"]
app = FastAPI()
`,
		// A secret's example value is never used; a placeholder, a value
		// with a space and an empty one are not either.
		".env.example": "LOG_FORMAT=json\nAPI_TOKEN=abc123\nCACHE_URL=redis://app:s3cret@cache:6379/0\nGREETING=\"hello world\"\nREGION=changeme\n",
		"app.json":     `{"env": {"TEAM": {"description": "owner", "value": "payments"}, "LOG_FORMAT": "text"}}`,
	}
	p := pythonPlanFor(t, files, Options{})
	got := map[string]EnvVar{}
	var names []string
	for _, e := range p.RequiredEnv {
		got[e.Name] = e
		names = append(names, e.Name)
	}
	// PORT is set by the image already; the list is sorted.
	if strings.Join(names, ",") != "API_TOKEN,CACHE_URL,GREETING,LOG_FORMAT,REGION,TEAM" {
		t.Fatalf("required env %v", names)
	}
	if e := got["LOG_FORMAT"]; e.Value != "json" || e.Secret || e.ValueFrom == nil || e.ValueFrom.File != ".env.example" || e.ValueFrom.Line != 1 ||
		e.Evidence != (facts.Evidence{File: "main.py", Line: 4, Detail: `LOG_FORMAT = os.environ["LOG_FORMAT"]`}) {
		t.Errorf("LOG_FORMAT %+v (the first example file wins over app.json)", e)
	}
	if e := got["TEAM"]; e.Value != "payments" || e.ValueFrom == nil || e.ValueFrom.File != "app.json" {
		t.Errorf("TEAM from app.json: %+v", e)
	}
	if e := got["API_TOKEN"]; !e.Secret || e.Value != "" {
		t.Errorf("API_TOKEN is a secret by name: %+v", e)
	}
	if e := got["CACHE_URL"]; !e.Secret || e.Value != "" {
		t.Errorf("CACHE_URL's example holds a password: %+v", e)
	}
	for _, n := range []string{"GREETING", "REGION"} {
		if e := got[n]; e.Secret || e.Value != "" {
			t.Errorf("%s: %+v", n, e)
		}
	}
	if set := p.RequiredEnvSet(); len(set) != 2 || set[0].Name != "LOG_FORMAT" || set[1].Name != "TEAM" {
		t.Errorf("RequiredEnvSet %+v", set)
	}
	if un := strings.Join(p.RequiredEnvUnset(), ","); un != "API_TOKEN,CACHE_URL,GREETING,REGION" {
		t.Errorf("RequiredEnvUnset %s", un)
	}

	df := renderDockerfile(t, p)
	_, runtime, _ := strings.Cut(df, "AS runtime")
	pythonHas(t, "runtime stage", runtime, "ENV LOG_FORMAT=json \\\n    TEAM=payments\n")
	// The comment, with its line breaks undone.
	pythonHas(t, "runtime stage", strings.ReplaceAll(runtime, "\n# ", " "),
		"The app stops at start without API_TOKEN, CACHE_URL, GREETING, REGION (read with no default; dgen plan --json says where).",
		"The image does not set them: give them when the container runs (docker run -e API_TOKEN=… -e CACHE_URL=… -e GREETING=… -e REGION=…).")
	pythonLacks(t, "runtime stage", runtime, "abc123", "s3cret", "hello world", "changeme")
	// The settings come after USER, so a value change reuses every layer
	// above it.
	if strings.Index(runtime, "USER ") > strings.Index(runtime, "LOG_FORMAT=json") {
		t.Error("the required variables are set before USER")
	}
}

func TestRequiredEnvNoneWritesNothing(t *testing.T) {
	p := pythonPlanFor(t, map[string]string{
		"requirements.txt": "fastapi\nuvicorn\n",
		"main.py":          "import os\nfrom fastapi import FastAPI\nX = os.environ.get('X', '1')\napp = FastAPI()\n",
	}, Options{})
	if p.RequiredEnv != nil {
		t.Errorf("required env %+v", p.RequiredEnv)
	}
	if df := renderDockerfile(t, p); strings.Contains(df, "stops at start without") || strings.Contains(df, "requires these at start") {
		t.Errorf("a Dockerfile without required variables mentions them:\n%s", df)
	}
}

func TestRequiredEnvGoAndNodeTemplates(t *testing.T) {
	goPlan := resolveFiles(t, map[string]string{
		"go.mod":      "module example.com/app\n\ngo 1.24\n",
		".env.sample": "MODE=batch\n",
		"main.go": `package main

import (
	"log"
	"net/http"
	"os"
)

func main() {
	if os.Getenv("MODE") == "" || os.Getenv("DB_PASSWORD") == "" {
		log.Fatal("MODE and DB_PASSWORD are required")
	}
	log.Fatal(http.ListenAndServe(":8080", nil))
}
`}, Options{})
	df := renderDockerfile(t, goPlan)
	for _, want := range []string{"ENV MODE=batch\n", "# The app stops at start without DB_PASSWORD (read", "-e DB_PASSWORD=…"} {
		if !strings.Contains(df, want) {
			t.Errorf("Go Dockerfile lacks %q:\n%s", want, df)
		}
	}
	nodePlan := resolveFiles(t, map[string]string{
		"package.json":      `{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"^4"}}`,
		"package-lock.json": `{"lockfileVersion":3,"packages":{}}`,
		"server.js":         "if (!process.env.SESSION_SECRET) throw new Error('SESSION_SECRET');\nrequire('express')().listen(3000);\n",
	}, Options{})
	df = renderDockerfile(t, nodePlan)
	if !strings.Contains(df, "# The app stops at start without SESSION_SECRET (read") {
		t.Errorf("Node Dockerfile does not name SESSION_SECRET:\n%s", df)
	}
}

func TestSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"SECRET_KEY": true, "DJANGO_SECRET_KEY": true, "API_TOKEN": true, "GITHUB_TOKEN": true, "DB_PASSWORD": true,
		"STRIPE_APIKEY": true, "SENTRY_DSN": true, "DATABASE_URL": true, "REDIS_URL": true, "JWT_SIGNING_KEY": true,
		"AWS_ACCESS_KEY_ID": true, "CLIENTSECRET": true, "GPG_PASSPHRASE": true, "SLACK_WEBHOOK_URL": true,
		"LOG_LEVEL": false, "PORT": false, "KEYCLOAK_REALM": false, "ALLOWED_HOSTS": false, "API_URL": false, "MONKEY": false,
	} {
		if got := SecretName(name); got != want {
			t.Errorf("SecretName(%s) = %v, want %v", name, got, want)
		}
	}
}

func TestParseDotenv(t *testing.T) {
	lines, bad := ParseDotenv([]byte("# c\nexport A = \"x\\\"y\"\nB='q # r'\nC=1 # note\nnot valid\nD\n"))
	var got []string
	for _, l := range lines {
		got = append(got, l.Name+"="+l.Value+"@"+string(rune('0'+l.Line)))
	}
	if strings.Join(got, "|") != `A=x"y@2|B=q # r@3|C=1@4|D=@6` || len(bad) != 1 || bad[0] != 5 {
		t.Errorf("ParseDotenv %q bad %v", got, bad)
	}
}
