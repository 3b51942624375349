package node

import (
	"slices"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/internal/detecttest"
)

func TestNodeLockedNativeAddons(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		native []string
		cited  string // part of the nativeDeps evidence
	}{
		{
			name: "package-lock v3: an addon two levels down with an install script and node-gyp-build",
			files: map[string]string{
				"package.json": `{"dependencies": {"@google-cloud/profiler": "^6"}, "scripts": {"start": "node server.js"}}`,
				"package-lock.json": `{"lockfileVersion": 3, "packages": {
  "": {"dependencies": {"@google-cloud/profiler": "^6"}},
  "node_modules/@google-cloud/profiler": {"version": "6.0.0", "dependencies": {"pprof": "^4"}},
  "node_modules/pprof": {"version": "4.0.0", "hasInstallScript": true, "dependencies": {"node-gyp-build": "^4", "bindings": "^1"}},
  "node_modules/esbuild": {"version": "0.20.0", "hasInstallScript": true, "optionalDependencies": {"@esbuild/linux-x64": "0.20.0"}},
  "node_modules/node-gyp-build": {"version": "4.8.0"}
}}`,
			},
			native: []string{"pprof"}, cited: "pprof (locked) loads a prebuilt binary it ships",
		},
		{
			name: "package-lock: prebuild-install says it downloads first",
			files: map[string]string{
				"package.json": `{"dependencies": {"x": "1"}, "scripts": {"start": "node server.js"}}`,
				"package-lock.json": `{"lockfileVersion": 2, "packages": {
  "node_modules/x/node_modules/keytar": {"version": "7.9.0", "hasInstallScript": true, "dependencies": {"node-addon-api": "^4", "prebuild-install": "^7"}},
  "node_modules/not-installed": {"version": "1.0.0", "dependencies": {"node-gyp": "^9"}}
}}`,
			},
			native: []string{"keytar"}, cited: "downloads a prebuilt binary with prebuild-install and builds with node-gyp when none fits or the download fails",
		},
		{
			name: "pnpm-lock v6: requiresBuild with node-pre-gyp",
			files: map[string]string{
				"package.json":   `{"packageManager": "pnpm@8.15.0", "dependencies": {"x": "1"}, "scripts": {"start": "node server.js"}}`,
				"pnpm-lock.yaml": "lockfileVersion: '6.0'\npackages:\n  /bcrypt-like@5.1.1:\n    resolution: {integrity: sha512-x}\n    requiresBuild: true\n    dependencies:\n      '@mapbox/node-pre-gyp': 1.0.11\n  /core-js@3.0.0:\n    resolution: {integrity: sha512-y}\n    requiresBuild: true\n  /nobuild@1.0.0:\n    resolution: {integrity: sha512-z}\n    dependencies:\n      nan: 2.0.0\n",
			},
			native: []string{"bcrypt-like"}, cited: "node-pre-gyp",
		},
		{
			name: "pnpm-lock v9: dependencies in snapshots, no requiresBuild recorded",
			files: map[string]string{
				"package.json":   `{"packageManager": "pnpm@9.15.0", "dependencies": {"x": "1"}, "scripts": {"start": "node server.js"}}`,
				"pnpm-lock.yaml": "lockfileVersion: '9.0'\npackages:\n  '@scope/addon@2.0.0':\n    resolution: {integrity: sha512-x}\nsnapshots:\n  '@scope/addon@2.0.0(peer@1.0.0)':\n    dependencies:\n      node-gyp-build: 4.8.0\n",
			},
			native: []string{"@scope/addon"}, cited: "@scope/addon (locked)",
		},
		{
			name: "yarn v1: best effort from dependencies",
			files: map[string]string{
				"package.json": `{"dependencies": {"x": "1"}, "scripts": {"start": "node server.js"}}`,
				"yarn.lock":    "# yarn lockfile v1\n\n\n\"@serial/addon@^1.0.0\", \"@serial/addon@^1.1.0\":\n  version \"1.1.0\"\n  dependencies:\n    nan \"^2.17.0\"\n\nleft-pad@^1.0.0:\n  version \"1.3.0\"\n",
			},
			native: []string{"@serial/addon"}, cited: "builds with node-gyp (nan)",
		},
		{
			name: "yarn berry",
			files: map[string]string{
				"package.json": `{"packageManager": "yarn@4.1.0", "dependencies": {"x": "1"}, "scripts": {"start": "node server.js"}}`,
				"yarn.lock":    "__metadata:\n  version: 8\n\n\"sqlite-like@npm:^5.0.0\":\n  version: 5.1.7\n  dependencies:\n    node-addon-api: \"npm:^7.0.0\"\n    prebuild-install: \"npm:^7.1.1\"\n  languageName: node\n",
				".yarnrc.yml":  "nodeLinker: node-modules\n",
			},
			native: []string{"sqlite-like"}, cited: "prebuild-install",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det := nodeDetect(t, tt.files, nil)
			if !slices.Equal(det.Node.NativeDeps, tt.native) {
				t.Errorf("native deps = %q, want %q", det.Node.NativeDeps, tt.native)
			}
			if ev := det.Evidence["nativeDeps"]; !strings.Contains(ev.Detail, tt.cited) || ev.File != det.Node.Lockfile || ev.Line == 0 {
				t.Errorf("nativeDeps evidence = %+v, want %q in %s with a line", ev, tt.cited, det.Node.Lockfile)
			}
			if !detecttest.HasNote(det, "locks packages whose install may compile with node-gyp") {
				t.Errorf("notes %q lack the locked-addon note", det.Notes)
			}
		})
	}
}

func TestNodeLockedNativeSkipsDirectOnes(t *testing.T) {
	det := nodeDetect(t, map[string]string{
		"package.json":      `{"dependencies": {"bcrypt": "5"}, "scripts": {"start": "node server.js"}}`,
		"package-lock.json": `{"lockfileVersion": 3, "packages": {"node_modules/bcrypt": {"hasInstallScript": true, "dependencies": {"@mapbox/node-pre-gyp": "^1"}}}}`,
	}, nil)
	if !slices.Equal(det.Node.NativeDeps, []string{"bcrypt"}) {
		t.Errorf("native deps = %q", det.Node.NativeDeps)
	}
	if detecttest.HasNote(det, "locks packages whose install") {
		t.Errorf("a direct dependency already named is noted again: %q", det.Notes)
	}
}

func TestPnpmLockOddValuesKeepTheFile(t *testing.T) {
	lock := "lockfileVersion: '6.0'\npackages:\n  /odd@1.0.0:\n    dependencies:\n      weird: {version: 1.0.0}\n  /addon@1.0.0:\n    requiresBuild: true\n    dependencies:\n      node-gyp-build: 4.8.0\n"
	got := pnpmLockAddons([]byte(lock))
	if len(got) != 1 || got[0].name != "addon" || got[0].line != 6 {
		t.Errorf("addons = %+v, want addon at line 6", got)
	}
}

func TestNodeLockedNativeSkipsOtherSystems(t *testing.T) {
	tests := []struct {
		name, lockfile, lock string
		native               []string
	}{
		{
			name:     "package-lock v3: fsevents 1 is darwin-only, a !win32 addon installs on linux",
			lockfile: "package-lock.json",
			lock: `{"lockfileVersion": 3, "packages": {
  "node_modules/fsevents": {"version": "1.2.13", "os": ["darwin"], "hasInstallScript": true, "optional": true, "dependencies": {"bindings": "^1.5.0", "nan": "^2.12.1"}},
  "node_modules/win-only": {"version": "1.0.0", "os": ["!linux"], "hasInstallScript": true, "dependencies": {"node-gyp-build": "^4"}},
  "node_modules/unix-addon": {"version": "1.0.0", "os": ["!win32"], "hasInstallScript": true, "dependencies": {"node-gyp-build": "^4"}},
  "node_modules/linux-addon": {"version": "1.0.0", "os": ["linux", "darwin"], "hasInstallScript": true, "dependencies": {"nan": "^2"}}
}}`,
			native: []string{"linux-addon", "unix-addon"},
		},
		{
			name:     "pnpm-lock v6: os in the package entry",
			lockfile: "pnpm-lock.yaml",
			lock:     "lockfileVersion: '6.0'\npackages:\n  /fsevents@1.2.13:\n    resolution: {integrity: sha512-x}\n    os: [darwin]\n    requiresBuild: true\n    dependencies:\n      nan: 2.17.0\n  /addon@1.0.0:\n    resolution: {integrity: sha512-y}\n    requiresBuild: true\n    dependencies:\n      nan: 2.17.0\n",
			native:   []string{"addon"},
		},
		{
			name:     "pnpm-lock v9: os in packages, dependencies in snapshots",
			lockfile: "pnpm-lock.yaml",
			lock:     "lockfileVersion: '9.0'\npackages:\n  fsevents@1.2.13:\n    resolution: {integrity: sha512-x}\n    os: [darwin]\n  addon@1.0.0:\n    resolution: {integrity: sha512-y}\nsnapshots:\n  fsevents@1.2.13:\n    dependencies:\n      nan: 2.17.0\n  addon@1.0.0:\n    dependencies:\n      node-gyp-build: 4.8.0\n",
			native:   []string{"addon"},
		},
		{
			name:     "yarn.lock records no os: fsevents still counts",
			lockfile: "yarn.lock",
			lock:     "# yarn lockfile v1\n\n\nfsevents@^1.2.7:\n  version \"1.2.13\"\n  dependencies:\n    bindings \"^1.5.0\"\n    nan \"^2.12.1\"\n",
			native:   []string{"fsevents"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkg := `{"dependencies": {"x": "1"}, "scripts": {"start": "node server.js"}}`
			if tt.lockfile == "pnpm-lock.yaml" {
				pkg = `{"packageManager": "pnpm@8.15.0", "dependencies": {"x": "1"}, "scripts": {"start": "node server.js"}}`
			}
			det := nodeDetect(t, map[string]string{"package.json": pkg, tt.lockfile: tt.lock}, nil)
			if !slices.Equal(det.Node.NativeDeps, tt.native) {
				t.Errorf("native deps = %q, want %q", det.Node.NativeDeps, tt.native)
			}
			for _, n := range det.Notes {
				if strings.Contains(n, "locks packages") && strings.Contains(n, "fsevents") != slices.Contains(tt.native, "fsevents") {
					t.Errorf("note %q, native %q", n, tt.native)
				}
			}
		})
	}
}

func TestOSAllowsLinux(t *testing.T) {
	for _, tc := range []struct {
		os   []string
		want bool
	}{
		{nil, true}, {[]string{"darwin"}, false}, {[]string{"darwin", "win32"}, false}, {[]string{"!linux"}, false},
		{[]string{"!win32"}, true}, {[]string{"linux"}, true}, {[]string{"darwin", "linux"}, true}, {[]string{"!win32", "!darwin"}, true},
	} {
		if got := osAllowsLinux(tc.os); got != tc.want {
			t.Errorf("osAllowsLinux(%q) = %v, want %v", tc.os, got, tc.want)
		}
	}
}
