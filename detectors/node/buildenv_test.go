package node

import (
	"reflect"
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestNodeDotenvCLI(t *testing.T) {
	tests := []struct {
		script string
		start  []string
		file   string
	}{
		{"dotenv -e .env.production -- node server.js", []string{"node", "server.js"}, ".env.production"},
		{"dotenv -e .env -v MODE=prod node server.js", []string{"node", "server.js"}, ".env"},
		{"dotenv -- node server.js", []string{"node", "server.js"}, ".env"},
	}
	for _, tt := range tests {
		t.Run(tt.script, func(t *testing.T) {
			det := nodeDetect(t, map[string]string{
				"package.json": `{"scripts": {"start": "` + tt.script + `"}, "dependencies": {"express": "^5", "dotenv-cli": "^8"}}`,
				"server.js":    "app.listen(process.env.PORT || 3000)\n",
			}, nil)
			if !reflect.DeepEqual(det.Start, tt.start) {
				t.Errorf("start %q, want %q", det.Start, tt.start)
			}
			if !detecttest.HasNote(det, "loads "+tt.file+" with dotenv-cli") || !detecttest.HasNote(det, "--env-file "+tt.file) {
				t.Errorf("notes %q do not say that %s is not in the image", det.Notes, tt.file)
			}
		})
	}
}

func TestNodePublicBuildVars(t *testing.T) {
	files := map[string]string{
		"package.json":    `{"scripts": {"build": "vite build"}, "devDependencies": {"vite": "^7"}}`,
		"index.html":      "<div id=app></div>",
		"src/main.ts":     "fetch(import.meta.env.VITE_API_URL)\nconsole.log(import.meta.env.VITE_SENTRY_DSN, import.meta.env.VITE_UNSET)\n",
		".env.production": "VITE_API_URL=https://api.example.com\n",
		".env":            "# local\nVITE_SENTRY_DSN=https://x@sentry.example/1\nVITE_NOT_READ=1\n",
		".env.example":    "VITE_UNSET=\n",
	}
	det := nodeDetect(t, files, nil)
	if want := []string{"VITE_API_URL", "VITE_SENTRY_DSN"}; !reflect.DeepEqual(det.Node.BuildArgs, want) {
		t.Fatalf("build args %q, want %q (read by the code and set only in excluded .env files)", det.Node.BuildArgs, want)
	}
	if !detecttest.HasNote(det, "--build-arg VITE_API_URL") {
		t.Errorf("notes %q", det.Notes)
	}

	det = nodeDetect(t, map[string]string{
		"package.json":       `{"scripts": {"build": "next build", "start": "next start"}, "dependencies": {"next": "16"}}`,
		"app/page.tsx":       "export default () => process.env.NEXT_PUBLIC_SITE_NAME\n",
		".env.local":         "NEXT_PUBLIC_SITE_NAME=demo\n",
		"app/api/x/route.ts": "export const GET = () => Response.json(process.env.SECRET)\n",
	}, nil)
	if want := []string{"NEXT_PUBLIC_SITE_NAME"}; !reflect.DeepEqual(det.Node.BuildArgs, want) {
		t.Errorf("next: build args %q, want %q", det.Node.BuildArgs, want)
	}

	delete(files, ".env")
	delete(files, ".env.production")
	if det := nodeDetect(t, files, nil); det.Node.BuildArgs != nil {
		t.Errorf("no .env files: build args %q", det.Node.BuildArgs)
	}
}
