package generator

import "strings"

// commonIgnore is what every build context leaves out: VCS data, editor
// files, secrets and credentials (so no image can carry them), the Docker
// files themselves and logs. "**/" makes a pattern match at any depth.
var commonIgnore = []string{
	"# Version control and editors",
	".git",
	".hg",
	".svn",
	"**/.DS_Store",
	"**/*.swp",
	".idea",
	".vscode",
	"",
	"# Secrets and credentials: never part of an image",
	"**/.env",
	"**/.env.*",
	"**/*.pem",
	"**/*.key",
	"**/*.p12",
	"**/*.pfx",
	"**/*.crt",
	"**/*.cer",
	"**/id_rsa*",
	"**/id_ecdsa*",
	"**/id_ed25519*",
	"**/.ssh",
	"**/.aws",
	"**/.azure",
	"**/.config/gcloud",
	"**/.kube",
	"**/.docker/config.json",
	"**/credentials.json",
	"**/*service-account*.json",
	"**/.npmrc",
	"**/.yarnrc",
	"**/.pypirc",
	"**/.netrc",
	"**/pip.conf",
	"**/*.tfstate*",
	"",
	"# Docker files: changing them must not bust the build cache",
	"**/Dockerfile*",
	"**/*.Dockerfile",
	".dockerignore",
	"**/docker-compose*.yml",
	"**/docker-compose*.yaml",
	"**/compose*.yml",
	"**/compose*.yaml",
	"",
	"# Logs and local tooling",
	"**/*.log",
	".github",
	".gitlab-ci.yml",
}

// Dockerignore returns the .dockerignore lines for p: the common entries,
// then the language section the planner left in p.Dockerignore, without
// duplicates, and with the files the Dockerfile copies on purpose let
// through (p.keep: a token-free .npmrc the install needs).
//
// A kept "**/X" is narrowed, not dropped: it becomes "**/*/X", which still
// excludes every X below the top of the build context and lets through
// only the top one, which is the one the Dockerfile copies. Dropping it
// would let a nested .npmrc (a workspace package's, with a token in it)
// ride into the build stage with COPY . . and from there into the image.
func Dockerignore(p *Plan) []string {
	keep := map[string]bool{}
	for _, k := range p.keep {
		keep[k] = true
	}
	seen := map[string]bool{}
	var out []string
	add := func(l string) {
		if keep[l] {
			top, ok := strings.CutPrefix(l, "**/")
			if !ok {
				return
			}
			l = "**/*/" + top
		}
		if l != "" && l[0] != '#' {
			if seen[l] {
				return
			}
			seen[l] = true
		}
		out = append(out, l)
	}
	for _, l := range commonIgnore {
		add(l)
	}
	if len(p.Dockerignore) > 0 {
		add("")
		for _, l := range p.Dockerignore {
			add(l)
		}
	}
	return out
}
