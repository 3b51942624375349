package catalog

// ActionsChecked is when the GitHub Actions versions below were checked:
// the docker/* and actions/checkout majors against actionlint v1.7.12's
// table of popular actions (which lists each action's published major
// tags), the others against their release notes. Dependabot
// (.github/dependabot.yml, written beside the workflow) keeps a
// repository's copy current after that.
const ActionsChecked = "2026-12-05"

// Actions are the GitHub Actions the generated workflow uses, by the name
// the workflow template reads, each as owner/repo[/path]@tag.
//
// Trivy's action is named by its exact release: on 2026-03-19 the tags
// before 0.35.0 were force-pushed to malicious commits (GHSA-69fq-xp46-6x23);
// from v0.35.0 the project publishes immutable, v-prefixed tags only.
// cosign-installer v4 is the first that installs cosign v3.
func Actions() map[string]string {
	return map[string]string{
		"checkout":      "actions/checkout@v6",
		"setupQemu":     "docker/setup-qemu-action@v4",
		"setupBuildx":   "docker/setup-buildx-action@v4",
		"login":         "docker/login-action@v4",
		"metadata":      "docker/metadata-action@v6",
		"buildPush":     "docker/build-push-action@v7",
		"trivy":         "aquasecurity/trivy-action@v0.36.0",
		"uploadSarif":   "github/codeql-action/upload-sarif@v4",
		"cosignInstall": "sigstore/cosign-installer@v4.1.2",
	}
}
