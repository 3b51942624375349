package rules

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// envTemplateSuffixes mark an env file that documents variables rather
// than holding them (.env.example).
var envTemplateSuffixes = []string{"example", "sample", "template", "tpl", "dist", "default", "defaults", "schema"}

// IsSecretFile reports whether a file name is one that holds credentials:
// .env files (not .env.example and the like), SSH private keys, private
// key and keystore files, netrc and registry credentials.
func IsSecretFile(name string) bool {
	base := path.Base(name)
	lower := strings.ToLower(base)
	switch lower {
	case ".env", ".netrc", ".git-credentials", ".pypirc", "credentials.json", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519":
		return true
	}
	if rest, ok := strings.CutPrefix(lower, ".env."); ok {
		return !slices.ContainsFunc(envTemplateSuffixes, func(s string) bool {
			return rest == s || strings.HasPrefix(rest, s+".") || strings.HasSuffix(rest, "."+s)
		})
	}
	switch path.Ext(lower) {
	case ".key":
		return !strings.Contains(lower, "pub") && !strings.Contains(lower, "gpg")
	case ".p12", ".pfx":
		return true
	}
	return false
}

// checkSecretSources: no COPY or ADD names a secret file.
func (a *auditor) checkSecretSources(srcs []string, what string, line int) {
	for _, src := range srcs {
		if isRemote(src) {
			continue
		}
		names := []string{src}
		if strings.ContainsAny(src, "*?[") {
			names = nil
			if a.c.FS != nil {
				names, _ = fs.Glob(a.c.FS, strings.TrimPrefix(path.Clean("/"+src), "/"))
			}
		}
		for _, n := range names {
			if IsSecretFile(n) {
				a.add("SecretFile", line, fmt.Sprintf("%s %s copies %s, a secret file, into the image", what, src, path.Base(n)), "", nil)
				break
			}
		}
	}
}

// skipDirs are folders the context walk does not enter: dependencies and
// VCS data, which hold no secrets of the project's own and many files.
var skipDirs = []string{"node_modules", ".git", "vendor", ".venv", "venv", "__pycache__", "dist", "build", "target"}

// maxContextFiles bounds the build-context walk.
const maxContextFiles = 20000

// checkContext: what COPY . . takes in is what the .dockerignore lets in;
// secret files and .git should not be part of it. Also BuildKit's
// CopyIgnoredFile, which needs a client and so is rebuilt here.
func (a *auditor) checkContext() {
	pm := a.ignoreMatcher()
	if pm == nil {
		return
	}
	copyLine := 0
	for _, s := range a.f.stages {
		for _, c := range s.Commands {
			what, srcs, ok := contextSources(c)
			if !ok {
				continue
			}
			for _, src := range srcs {
				if isWholeTree(src) {
					if copyLine == 0 && a.inFinal(s) {
						copyLine = lineOf(c)
					}
					continue
				}
				if a.c.HasDockerignore && !strings.Contains(src, "$") && ignored(pm, src) {
					a.add("CopyIgnoredFile", lineOf(c), fmt.Sprintf("%s %s: .dockerignore excludes %s from the build context", what, src, src), "", nil)
				}
			}
		}
	}
	if copyLine == 0 || a.c.FS == nil {
		return
	}
	if secrets := contextSecrets(a.c.FS, pm); len(secrets) > 0 {
		more := ""
		if len(secrets) > 5 {
			more = fmt.Sprintf(" and %d more", len(secrets)-5)
			secrets = secrets[:5]
		}
		a.add("ContextSecrets", copyLine, fmt.Sprintf("COPY of the whole build context copies %s%s into the final image, as .dockerignore lets them in", strings.Join(secrets, ", "), more), "", nil)
	}
	if st, err := fs.Stat(a.c.FS, ".git"); err == nil && st.IsDir() {
		if ok, err := pm.MatchesOrParentMatches(".git"); err == nil && !ok {
			a.add("ContextVCS", copyLine, "COPY of the whole build context copies .git into the final image, as .dockerignore lets it in", "", nil)
		}
	}
}

// ignoreMatcher is the .dockerignore's matcher (one that excludes nothing
// without a .dockerignore), or nil if the file cannot be read.
func (a *auditor) ignoreMatcher() *patternmatcher.PatternMatcher {
	patterns, err := ignorefile.ReadAll(bytes.NewReader(a.c.Dockerignore))
	if err != nil {
		return nil
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return nil
	}
	return pm
}

// contextSecrets are the secret files in fsys that pm lets into the build
// context, in walk order.
func contextSecrets(fsys fs.FS, pm *patternmatcher.PatternMatcher) []string {
	var out []string
	n := 0
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		n++
		if n > maxContextFiles {
			return fs.SkipAll
		}
		if err != nil {
			return fs.SkipDir
		}
		if d.IsDir() {
			if p != "." && slices.Contains(skipDirs, d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if IsSecretFile(p) {
			if ok, err := pm.MatchesOrParentMatches(p); err == nil && !ok {
				out = append(out, p)
			}
		}
		return nil
	})
	return out
}
