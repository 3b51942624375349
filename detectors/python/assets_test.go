package python

import (
	"reflect"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

// pyDjangoFiles is a Django app with STATIC_ROOT, to which each case adds
// a front end.
func pyDjangoFiles(extra map[string]string) map[string]string {
	files := map[string]string{
		"requirements.txt":  "django\ngunicorn\n",
		"manage.py":         "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
		"site1/settings.py": "WSGI_APPLICATION = 'site1.wsgi.application'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	return files
}

// TestPythonAssetsManagers holds the assets stage of a Django app to the
// front end's own package manager, read by the node package: pnpm, Bun
// and Yarn Berry front ends are installed with their tool, against their
// lockfile, with their cache.
func TestPythonAssetsManagers(t *testing.T) {
	tests := []struct {
		name      string
		files     map[string]string
		dir       string
		manager   string
		version   string
		major     string
		lockfile  string
		manifests []string
		dirs      []string
		install   string
		cache     string
		build     string
		node      string
		nodeEv    facts.Evidence
		pmEv      facts.Evidence
	}{
		{"pnpm pinned by packageManager",
			map[string]string{
				"package.json":   "{\n  \"packageManager\": \"pnpm@9.15.0\",\n  \"scripts\": {\n    \"build\": \"vite build\"\n  },\n  \"devDependencies\": {\"vite\": \"^7\"}\n}\n",
				"pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
				".nvmrc":         "22\n",
			},
			".", "pnpm", "9.15.0", "9", "pnpm-lock.yaml", []string{"package.json", "pnpm-lock.yaml"}, nil,
			"pnpm install --frozen-lockfile", "/root/.local/share/pnpm/store", "pnpm run build", "22",
			facts.Evidence{File: ".nvmrc", Line: 1, Detail: "22 → Node 22"},
			facts.Evidence{File: "package.json", Line: 2, Detail: `"packageManager": "pnpm@9.15.0"`}},
		{"pnpm from its lockfile beside manage.py",
			map[string]string{
				"requirements.txt":        "django\ngunicorn\n",
				"web/manage.py":           "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
				"web/site1/settings.py":   "WSGI_APPLICATION = 'site1.wsgi.application'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n",
				"web/package.json":        `{"scripts": {"build": "esbuild src/app.js --bundle --outdir=static/dist"}, "engines": {"node": ">=20 <23"}}`,
				"web/pnpm-lock.yaml":      "lockfileVersion: '6.0'\n",
				"web/pnpm-workspace.yaml": "onlyBuiltDependencies:\n  - esbuild\n",
			},
			"web", "pnpm", "", "8", "web/pnpm-lock.yaml", []string{"web/package.json", "web/pnpm-lock.yaml", "web/pnpm-workspace.yaml"}, nil,
			"pnpm install --frozen-lockfile", "/root/.local/share/pnpm/store", "pnpm run build", "22",
			facts.Evidence{File: "web/package.json", Line: 1, Detail: `engines.node ">=20 <23" → Node 22`},
			facts.Evidence{File: "web/pnpm-lock.yaml", Detail: "lockfile pnpm-lock.yaml"}},
		{"bun from bun.lock",
			map[string]string{
				"package.json": `{"scripts": {"build": "bun build ./src/app.ts --outdir static/dist"}}`,
				"bun.lock":     "{\n  \"lockfileVersion\": 1\n}\n",
				"bunfig.toml":  "[install]\nexact = true\n",
			},
			".", "bun", "", "", "bun.lock", []string{"package.json", "bun.lock", "bunfig.toml"}, nil,
			"bun install --frozen-lockfile", "/root/.bun/install/cache", "bun run build", "",
			facts.Evidence{}, facts.Evidence{File: "bun.lock", Detail: "lockfile bun.lock"}},
		{"yarn berry with its release",
			map[string]string{
				"package.json":                   `{"packageManager": "yarn@4.5.0", "scripts": {"build": "webpack --mode production --output-path static/bundles"}}`,
				"yarn.lock":                      "__metadata:\n  version: 8\n",
				".yarnrc.yml":                    "nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-4.5.0.cjs\n",
				".yarn/releases/yarn-4.5.0.cjs":  "// yarn\n",
				"static/js/app.js":               "console.log(1)\n",
				".tool-versions":                 "nodejs 24.1.0\n",
				"site1/templates/base.html":      "<html></html>\n",
				"site1/templates/includes/a.txt": "",
			},
			".", "yarn-berry", "4.5.0", "4", "yarn.lock", []string{"package.json", "yarn.lock", ".yarnrc.yml"}, []string{".yarn/releases"},
			"yarn install --immutable", "/root/.yarn/berry/cache", "yarn run build", "24",
			facts.Evidence{File: ".tool-versions", Line: 1, Detail: "24.1.0 → Node 24"}, facts.Evidence{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := pyDjangoFiles(tt.files)
			if tt.dir != "." {
				files = tt.files
			}
			det := pyDetect(t, files, nil)
			f := det.Python
			if f.AssetsDir != tt.dir || f.AssetsManager != tt.manager || f.AssetsManagerVersion != tt.version || f.AssetsManagerMajor != tt.major {
				t.Errorf("assets dir %q manager %q %q major %q; want %q %q %q %q", f.AssetsDir, f.AssetsManager, f.AssetsManagerVersion, f.AssetsManagerMajor, tt.dir, tt.manager, tt.version, tt.major)
			}
			if f.AssetsLockfile != tt.lockfile || !f.AssetsLocked {
				t.Errorf("lockfile %q locked %v, want %q locked", f.AssetsLockfile, f.AssetsLocked, tt.lockfile)
			}
			if !reflect.DeepEqual(f.AssetsManifests, tt.manifests) || !reflect.DeepEqual(f.AssetsManifestDirs, tt.dirs) {
				t.Errorf("manifests %q dirs %q, want %q %q", f.AssetsManifests, f.AssetsManifestDirs, tt.manifests, tt.dirs)
			}
			if f.AssetsInstall != tt.install || f.AssetsCache != tt.cache || f.AssetsBuild != tt.build {
				t.Errorf("install %q cache %q build %q; want %q %q %q", f.AssetsInstall, f.AssetsCache, f.AssetsBuild, tt.install, tt.cache, tt.build)
			}
			if tt.node != "" && f.AssetsNodeVersion != tt.node {
				t.Errorf("AssetsNodeVersion = %q, want %q", f.AssetsNodeVersion, tt.node)
			}
			if tt.nodeEv != (facts.Evidence{}) {
				detecttest.WantCited(t, det, "assetsNodeVersion", tt.nodeEv.File, tt.nodeEv.Line, tt.nodeEv.Detail)
			}
			if tt.pmEv != (facts.Evidence{}) {
				detecttest.WantCited(t, det, "assetsPackageManager", tt.pmEv.File, tt.pmEv.Line, tt.pmEv.Detail)
			}
			// The front end's manager and Node never become the app's.
			if det.PackageManager != "pip" || det.Evidence["languageVersion"].File == tt.nodeEv.File && tt.nodeEv.File != "" {
				t.Errorf("the app's own facts changed: manager %q, languageVersion evidence %+v", det.PackageManager, det.Evidence["languageVersion"])
			}
		})
	}
}

// TestPythonAssetsYarnBerryPnP keeps the linker Yarn Berry would use, so
// the planner can switch the assets install to a node_modules folder.
func TestPythonAssetsYarnBerryPnP(t *testing.T) {
	det := pyDetect(t, pyDjangoFiles(map[string]string{
		"package.json": `{"scripts": {"build": "vite build"}}`,
		"yarn.lock":    "__metadata:\n  version: 6\n",
	}), nil)
	f := det.Python
	if f.AssetsManager != "yarn-berry" || f.AssetsYarnNodeLinker != "pnp" || f.AssetsManagerMajor != "3" || f.AssetsCache != ".yarn/cache" {
		t.Errorf("manager %q linker %q major %q cache %q; want yarn-berry pnp 3 .yarn/cache", f.AssetsManager, f.AssetsYarnNodeLinker, f.AssetsManagerMajor, f.AssetsCache)
	}
}
