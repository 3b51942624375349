package node

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// gypBuilders are the packages a native addon depends on to build or
// fetch its binary, with what that means for the image build.
var gypBuilders = map[string]string{
	"node-gyp":                "builds with node-gyp",
	"nan":                     "builds with node-gyp (nan)",
	"node-addon-api":          "builds with node-gyp (node-addon-api)",
	"node-gyp-build":          "loads a prebuilt binary it ships when one fits, else builds with node-gyp",
	"prebuild-install":        "downloads a prebuilt binary with prebuild-install and builds with node-gyp when none fits or the download fails (no network)",
	"node-pre-gyp":            "downloads a prebuilt binary with node-pre-gyp and builds with node-gyp when none fits or the download fails (no network)",
	"@mapbox/node-pre-gyp":    "downloads a prebuilt binary with node-pre-gyp and builds with node-gyp when none fits or the download fails (no network)",
	"@discordjs/node-pre-gyp": "downloads a prebuilt binary with node-pre-gyp and builds with node-gyp when none fits or the download fails (no network)",
}

// lockedAddon is a locked package whose install may run node-gyp.
type lockedAddon struct {
	name string
	line int
	why  string
}

// gypBuilderOrder ranks the builders for the evidence: a prebuilt
// binary's fetcher says more about the install than the headers it
// compiles against.
var gypBuilderOrder = []string{"prebuild-install", "@mapbox/node-pre-gyp", "node-pre-gyp", "@discordjs/node-pre-gyp", "node-gyp-build", "node-gyp", "node-addon-api", "nan"}

// builderOf returns what the best-ranked gyp builder among a package's
// dependencies means, or "".
func builderOf(deps ...map[string]string) string {
	for _, b := range gypBuilderOrder {
		for _, d := range deps {
			if _, ok := d[b]; ok {
				return gypBuilders[b]
			}
		}
	}
	return ""
}

// lockedNative adds to NativeDeps every package of the lockfile whose
// install may compile with node-gyp, at any depth: package-lock.json v2/v3
// (hasInstallScript and a gyp builder among its dependencies),
// pnpm-lock.yaml (requiresBuild; from lockfile v9, which no longer
// records it, a gyp builder alone), yarn.lock (no install script is
// recorded: a gyp builder alone, best effort). A package whose locked
// "os" leaves out linux (fsevents: ["darwin"]) is never installed in the
// image, so it needs no compiler; yarn.lock records no "os".
func lockedNative(fsys fs.FS, det *facts.Detection) {
	nf := det.Node
	data, err := repo.ReadFile(fsys, nf.Lockfile)
	if nf.Lockfile == "" || err != nil {
		return
	}
	var found []lockedAddon
	switch nf.Lockfile {
	case "package-lock.json", "npm-shrinkwrap.json":
		found = npmLockAddons(data)
	case "pnpm-lock.yaml":
		found = pnpmLockAddons(data)
	case "yarn.lock":
		found = yarnLockAddons(data)
	}
	var added []string
	for _, f := range found {
		if contains(nf.NativeDeps, f.name) {
			continue
		}
		if len(added) == 0 {
			det.Cite("nativeDeps", nf.Lockfile, f.line, fmt.Sprintf("%s (locked) %s", f.name, f.why))
		}
		nf.NativeDeps = append(nf.NativeDeps, f.name)
		added = append(added, f.name)
	}
	if len(added) > 0 {
		det.Notef("%s locks packages whose install may compile with node-gyp (%s): python3, make and g++ are in the build stage; those with prebuilt binaries (node-gyp-build, prebuild-install, node-pre-gyp) use them when one fits and the download works, and compile otherwise", nf.Lockfile, strings.Join(added, ", "))
	}
}

// npmLockAddons reads package-lock.json v2/v3's "packages".
func npmLockAddons(data []byte) []lockedAddon {
	var lock struct {
		Packages map[string]struct {
			HasInstallScript     bool              `json:"hasInstallScript"`
			OS                   []string          `json:"os"`
			Dependencies         map[string]string `json:"dependencies"`
			OptionalDependencies map[string]string `json:"optionalDependencies"`
		} `json:"packages"`
	}
	if json.Unmarshal(data, &lock) != nil {
		return nil
	}
	var out []lockedAddon
	for key, p := range lock.Packages {
		i := strings.LastIndex(key, "node_modules/")
		if !p.HasInstallScript || i < 0 || !osAllowsLinux(p.OS) {
			continue
		}
		if why := builderOf(p.Dependencies, p.OptionalDependencies); why != "" {
			name := key[i+len("node_modules/"):]
			out = append(out, lockedAddon{name: name, line: lineOf(data, `"`+key+`"`), why: why})
		}
	}
	return sortAddons(out)
}

// pnpmLockAddons reads pnpm-lock.yaml's packages (and v9's snapshots,
// where the dependencies moved).
func pnpmLockAddons(data []byte) []lockedAddon {
	// Values are read as anything: one odd entry must not lose the file.
	type entry struct {
		RequiresBuild        any            `yaml:"requiresBuild"`
		OS                   any            `yaml:"os"`
		Dependencies         map[string]any `yaml:"dependencies"`
		OptionalDependencies map[string]any `yaml:"optionalDependencies"`
	}
	var lock struct {
		Packages  map[string]entry `yaml:"packages"`
		Snapshots map[string]entry `yaml:"snapshots"`
	}
	if yaml.Unmarshal(data, &lock) != nil {
		return nil
	}
	seen := map[string]bool{}
	// From v9 "os" stays in packages while dependencies move to
	// snapshots: a package's exclusion holds for all its snapshots.
	notLinux := map[string]bool{}
	for k, e := range lock.Packages {
		if !osAllowsLinux(yamlStrings(e.OS)) {
			notLinux[pnpmKeyName(k)] = true
		}
	}
	var out []lockedAddon
	check := func(key string, e entry, recorded bool) {
		name := pnpmKeyName(key)
		if name == "" || seen[name] || notLinux[name] || (recorded && e.RequiresBuild != true) {
			return
		}
		if why := builderOf(keysOf(e.Dependencies), keysOf(e.OptionalDependencies)); why != "" {
			seen[name] = true
			out = append(out, lockedAddon{name: name, line: lineOf(data, key), why: why})
		}
	}
	recorded := false
	for _, e := range lock.Packages {
		if e.RequiresBuild != nil {
			recorded = true
			break
		}
	}
	for k, e := range lock.Packages {
		check(k, e, recorded)
	}
	for k, e := range lock.Snapshots {
		check(k, e, false)
	}
	return sortAddons(out)
}

// osAllowsLinux reports whether a lockfile's "os" list (npm's package.json
// form: allowed names, or "!name" for excluded ones) lets the package
// install on linux, as in the image; no list allows every system.
func osAllowsLinux(oses []string) bool {
	allowed := false
	for _, o := range oses {
		switch {
		case o == "!linux":
			return false
		case o == "linux":
			return true
		case !strings.HasPrefix(o, "!"):
			allowed = true
		}
	}
	// Only other systems named: linux is left out.
	return !allowed
}

// yamlStrings is a YAML value read as a list of strings (one string is
// a list of one); anything else is no list.
func yamlStrings(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// pnpmKeyName returns the package name of a pnpm-lock key:
// "/pprof/3.2.1" (v5), "/pprof@3.2.1" (v6), "pprof@3.2.1(peer@1)" (v9).
func pnpmKeyName(k string) string {
	k = strings.TrimPrefix(k, "/")
	if i := strings.IndexByte(k, '('); i >= 0 {
		k = k[:i]
	}
	if i := strings.LastIndexByte(k, '@'); i > 0 {
		return k[:i]
	}
	if i := strings.LastIndexByte(k, '/'); i > 0 {
		return k[:i]
	}
	return ""
}

var yarnDepRe = regexp.MustCompile(`^\s{4}"?(@?[^\s"@:]+(?:/[^\s"@:]+)?)"?:?\s`)

// yarnLockAddons reads yarn.lock (v1 and Berry) line by line: an entry
// header at the left margin, its "dependencies:" block indented by two
// spaces and each dependency by four.
func yarnLockAddons(data []byte) []lockedAddon {
	var out []lockedAddon
	seen := map[string]bool{}
	name, line, inDeps := "", 0, false
	var deps map[string]string
	flush := func() {
		if why := builderOf(deps); name != "" && why != "" && !seen[name] {
			seen[name] = true
			out = append(out, lockedAddon{name: name, line: line, why: why})
		}
	}
	repo.Lines(data, func(n int, l string) bool {
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case !strings.HasPrefix(l, " "):
			flush()
			name, line, inDeps, deps = yarnEntryName(l), n, false, map[string]string{}
		case strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "   "):
			t := strings.TrimSpace(l)
			inDeps = t == "dependencies:" || t == "optionalDependencies:"
		case inDeps:
			if m := yarnDepRe.FindStringSubmatch(l); m != nil {
				deps[m[1]] = ""
			}
		}
		return true
	})
	flush()
	return sortAddons(out)
}

// yarnEntryName returns the package name of a yarn.lock entry header:
// `pprof@^3.2.0:`, `"@scope/x@npm:^1.0.0", "@scope/x@npm:^1.1.0":`.
func yarnEntryName(l string) string {
	first := strings.TrimSpace(strings.SplitN(strings.TrimSuffix(l, ":"), ",", 2)[0])
	first = strings.Trim(first, `"`)
	if len(first) < 2 {
		return ""
	}
	// The name ends at the "@" before the range; a scope's "@" is first.
	if i := strings.IndexByte(first[1:], '@'); i >= 0 {
		return first[:i+1]
	}
	return ""
}

// sortAddons orders addons by name, for stable output.
func sortAddons(out []lockedAddon) []lockedAddon {
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// keysOf returns a map's keys as a dependency set.
func keysOf(m map[string]any) map[string]string {
	out := make(map[string]string, len(m))
	for k := range m {
		out[k] = ""
	}
	return out
}
