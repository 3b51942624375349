package generator

import (
	"reflect"
	"strings"
	"testing"
)

func TestPlanNodeImageBuildScript(t *testing.T) {
	p := nodePlanFor(t, map[string]string{
		"package.json":      `{"scripts": {"build": "tsc --watch", "build:docker": "tsc -p tsconfig.build.json", "start": "node dist/index.js"}, "dependencies": {"express": "^5"}, "devDependencies": {"typescript": "^5"}, "engines": {"node": "22"}}`,
		"package-lock.json": "{}",
		"src/index.ts":      "app.listen(process.env.PORT || 3000)\n",
	}, Options{})
	if p.Build != "npm run build:docker" {
		t.Fatalf("build %q", p.Build)
	}
	df, img := nodeChecked(t, p)
	if !strings.Contains(df, "RUN npm run build:docker\n") || strings.Contains(df, "RUN npm run build\n") {
		t.Errorf("the image script must replace build:\n%s", df)
	}
	if !reflect.DeepEqual(img.Cmd, []string{"node", "dist/index.js"}) {
		t.Errorf("CMD %q", img.Cmd)
	}
	said := false
	for _, n := range p.Notes {
		said = said || strings.Contains(n, "scripts.build:docker is meant for image builds")
	}
	if !said {
		t.Errorf("notes %q do not say why build:docker runs", p.Notes)
	}
}
