package node

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// TestDetectFrontend reads front ends in a folder of another app: paths
// and evidence are the repository's, the caller's Detection keeps its own
// language, manager and evidence, and an open choice of lockfile becomes a
// note with the default taken.
func TestDetectFrontend(t *testing.T) {
	fsys := detecttest.MapFS(map[string]string{
		"web/package.json":      "{\n  \"scripts\": {\n    \"build\": \"vite build\"\n  },\n  \"devDependencies\": {\"vite\": \"^7\"}\n}\n",
		"web/pnpm-lock.yaml":    "lockfileVersion: '9.0'\n",
		"web/package-lock.json": "{}",
		"web/.node-version":     "22.4.0\n",
	})
	det := &facts.Detection{Language: facts.LangPython, PackageManager: "pip", LanguageVersion: "3.13"}
	det.Cite("languageVersion", ".python-version", 1, "3.13")
	f, err := DetectFrontend(fsys, "web", det)
	if err != nil {
		t.Fatal(err)
	}
	want := &Frontend{
		Dir: "web", Manager: facts.NodePNPM, ManagerMajor: "9", Lockfile: "web/pnpm-lock.yaml", Locked: true,
		Manifests: []string{"web/package.json", "web/pnpm-lock.yaml"}, NodeMajor: "22",
		NodeEvidence:    facts.Evidence{File: "web/.node-version", Line: 1, Detail: "22.4.0 → Node 22"},
		ManagerEvidence: facts.Evidence{File: "web/pnpm-lock.yaml", Detail: "lockfile pnpm-lock.yaml"},
		Install:         "pnpm install --frozen-lockfile", CacheTarget: "/root/.local/share/pnpm/store",
		BuildScript: "vite build", BuildScriptName: "build", BuildScriptLine: 3, Build: "pnpm run build",
		Scripts: map[string]string{"build": "vite build"}, Dependencies: []string{"vite"},
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("DetectFrontend =\n%+v\nwant\n%+v", f, want)
	}
	if det.Language != facts.LangPython || det.PackageManager != "pip" || det.LanguageVersion != "3.13" || det.Evidence["languageVersion"].File != ".python-version" || len(det.Choices) != 0 {
		t.Errorf("the caller's Detection changed: %+v", det)
	}
	if !detecttest.HasNote(det, "web/package.json: several lockfiles; the front end is installed with pnpm") {
		t.Errorf("no note about the lockfiles: %q", det.Notes)
	}

	// Unpinned npm without a lockfile at the root; Node from the default.
	det = &facts.Detection{Language: facts.LangPython}
	f, err = DetectFrontend(detecttest.MapFS(map[string]string{"package.json": `{"scripts": {"lint": "eslint ."}}`}), ".", det)
	if err != nil {
		t.Fatal(err)
	}
	if f.Manager != facts.NodeNPM || f.Locked || f.Install != "npm install" || f.CacheTarget != "/root/.npm" || f.Build != "" || f.NodeEvidence.File != "package.json" {
		t.Errorf("npm without a lockfile: %+v", f)
	}
	if !detecttest.HasNote(det, "front end (package.json): no lockfile") {
		t.Errorf("no note about the missing lockfile: %q", det.Notes)
	}

	// A script kept for image builds wins, with a note.
	det = &facts.Detection{Language: facts.LangPython}
	f, err = DetectFrontend(detecttest.MapFS(map[string]string{
		"assets/package.json":      "{\"scripts\": {\n\"build\": \"vite build --watch\",\n\"build:prod\": \"vite build --mode production\"}}",
		"assets/package-lock.json": "{}",
	}), "assets", det)
	if err != nil {
		t.Fatal(err)
	}
	if f.Build != "npm run build:prod" || f.BuildScript != "vite build --mode production" || f.BuildScriptName != "build:prod" || f.BuildScriptLine != 3 {
		t.Errorf("build:prod: build %q script %q name %q line %d", f.Build, f.BuildScript, f.BuildScriptName, f.BuildScriptLine)
	}
	if !detecttest.HasNote(det, "scripts.build:prod is meant for image builds") {
		t.Errorf("notes %q", det.Notes)
	}

	// A broken package.json is an error naming the file.
	_, err = DetectFrontend(detecttest.MapFS(map[string]string{"ui/package.json": `{"scripts": `}), "ui", &facts.Detection{})
	if err == nil || !strings.Contains(err.Error(), "ui/package.json") {
		t.Errorf("broken package.json: err = %v", err)
	}
}

// TestFrontendInstall holds every manager's install, with and without a
// lockfile, to the commands and caches the Node planner uses.
func TestFrontendInstall(t *testing.T) {
	tests := []struct {
		manager, version, major string
		locked                  bool
		install, cache          string
	}{
		{facts.NodeNPM, "", "", true, "npm ci", "/root/.npm"},
		{facts.NodeNPM, "", "", false, "npm install", "/root/.npm"},
		{facts.NodeYarn, "", "1", true, "yarn install --frozen-lockfile", "/usr/local/share/.cache/yarn"},
		{facts.NodeYarnBerry, "4.5.0", "4", true, "yarn install --immutable", "/root/.yarn/berry/cache"},
		{facts.NodeYarnBerry, "", "3", true, "yarn install --immutable", ".yarn/cache"},
		{facts.NodeYarnBerry, "", "", false, "yarn install", "/root/.yarn/berry/cache"},
		{facts.NodePNPM, "", "9", true, "pnpm install --frozen-lockfile", "/root/.local/share/pnpm/store"},
		{facts.NodePNPM, "", "", false, "pnpm install", "/root/.local/share/pnpm/store"},
		{facts.NodeBun, "", "", true, "bun install --frozen-lockfile", "/root/.bun/install/cache"},
	}
	for _, tt := range tests {
		install, cache := frontendInstall(tt.manager, tt.version, tt.major, tt.locked)
		if install != tt.install || cache != tt.cache {
			t.Errorf("frontendInstall(%s %q %q locked=%v) = %q %q, want %q %q", tt.manager, tt.version, tt.major, tt.locked, install, cache, tt.install, tt.cache)
		}
	}
}
