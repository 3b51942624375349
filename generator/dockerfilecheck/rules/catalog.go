package rules

import "slices"

// Rule is one rule `dgen check` applies, as docs/check.md describes it.
type Rule struct {
	// ID names the rule in findings, SARIF and the docs anchor.
	ID string `json:"id"`
	// Severity is the severity of its findings.
	Severity Severity `json:"-"`
	// Title is a short description.
	Title string `json:"title"`
	// Why is the one sentence that says why it matters.
	Why string `json:"why"`
	// Fix is what to do, when a finding has nothing more precise.
	Fix string `json:"fix"`
}

// catalog is every rule Audit applies, in the order docs/check.md lists
// them. BuildKit's own rules keep BuildKit's names.
var catalog = []Rule{
	{"RootUser", Warning, "The app runs as root",
		"A process that escapes the app, or a bug in it, acts as root inside the container and on every volume it mounts.",
		"Add a non-root USER to the final stage, by number (UID:GID)."},
	{"NumericUser", Info, "The final USER is a name, not a number",
		"Kubernetes' runAsNonRoot can only verify a numeric user; a name needs /etc/passwd and is refused.",
		"Write the user's UID:GID instead of its name."},
	{"MissingHealthcheck", Warning, "A service image without HEALTHCHECK",
		"Without a health check, Docker, Compose and orchestrators see a hung app as running, and nothing can wait for it to be ready (depends_on: condition: service_healthy).",
		"Add a HEALTHCHECK in exec form that runs a program the final image has."},
	{"HealthcheckProgram", Error, "The HEALTHCHECK runs a program the final image lacks",
		"A health check whose program is missing always fails, so the container is marked unhealthy however well the app runs.",
		"Probe with a program the final image has (the app's interpreter, or a static busybox copied in), in exec form."},
	{"BuildToolsInImage", Warning, "Compilers or a full SDK image in the final image",
		"Compilers and build tools in the image that ships make it several times larger and give an attacker tools to work with.",
		"Build in one stage and copy only the result into a slim or distroless final stage."},
	{"PackageCache", Warning, "A package manager's download cache stays in the image",
		"The downloads a package manager keeps are dead weight in every pull of the image.",
		"Mount a cache (RUN --mount=type=cache) or clean the cache in the same RUN."},
	{"ManifestsBeforeSource", Warning, "The source is copied before the dependencies are installed",
		"Copying the whole source before installing dependencies means every code change re-downloads and reinstalls them all.",
		"Copy only the dependency manifests, install, then copy the source."},
	{"CacheMount", Info, "No cache mount for the package manager",
		"Without a cache mount every rebuild downloads all dependencies again.",
		"Install with RUN --mount=type=cache,target=<the package manager's cache>."},
	{"ImageTag", Warning, "A base image without a tag, or on latest",
		"An untagged or latest image changes under the Dockerfile, so the same commit builds a different image tomorrow.",
		"Pin a version tag (and, for full reproducibility, a digest: image:tag@sha256:...)."},
	{"SecretInArgEnv", Warning, "A secret in ARG or ENV",
		"ARG and ENV values are stored in the image's history and configuration, where anyone who can pull the image reads them.",
		"Pass secrets with RUN --mount=type=secret (docker build --secret) and give runtime secrets when the container starts."},
	{"SecretFile", Warning, "A secret file copied into the image",
		"A copied .env file or private key stays in the image layer even if a later step deletes it.",
		"Do not copy it: mount it at build time with RUN --mount=type=secret, or give it to the container at run time."},
	{"ContextSecrets", Warning, "The .dockerignore lets secret files into the build context",
		"COPY . . copies every file the .dockerignore does not exclude, so a local .env or key ends up in the image.",
		"Exclude them in .dockerignore (.env, .env.*, *.key, id_rsa ...), keeping !.env.example if it is needed."},
	{"ContextVCS", Info, "The .dockerignore lets .git into the build context",
		"The repository's history is copied into the image by COPY . . and every commit invalidates the layer.",
		"Add .git to .dockerignore."},
	{"ExecForm", Warning, "ENTRYPOINT or CMD in shell form",
		"The shell form runs the app under /bin/sh -c, which does not pass SIGTERM on, so the app is killed after the stop timeout instead of shutting down.",
		`Write the JSON exec form: CMD ["program", "arg"].`},
	{"AddURL", Warning, "ADD of a URL without a checksum",
		"ADD downloads whatever the URL serves at build time, unverified, into the image.",
		"Give ADD --checksum=sha256:<digest>, or download and verify in a RUN step."},
	{"AddLocal", Info, "ADD of a local file",
		"ADD also unpacks archives and fetches URLs, so COPY states the intent and does nothing behind your back.",
		"Use COPY for local files and folders."},
	{"AptNoRecommends", Warning, "apt-get install without --no-install-recommends",
		"Recommended packages nobody asked for make the image larger and add to what must be patched.",
		"Add --no-install-recommends to apt-get install."},
	{"AptLists", Warning, "apt package lists left in the image",
		"apt-get update's package lists add tens of megabytes to the layer and are stale by the next build.",
		"End the same RUN with rm -rf /var/lib/apt/lists/* (or mount a cache on /var/lib/apt)."},
	{"AptYes", Warning, "apt-get install without -y",
		"apt-get install waits for a yes nobody can type during a build, and the build stops.",
		"Add -y."},
	{"AptCommand", Info, "apt instead of apt-get",
		"apt is meant for terminals and warns that its interface may change; scripts should call apt-get.",
		"Use apt-get."},
	{"ExposePort", Warning, "EXPOSE does not match the port the app listens on",
		"Tools that read EXPOSE (docker run -P, Compose, platforms) map a port nothing listens on.",
		"EXPOSE the port the app listens on."},
	{"CopyIgnoredFile", Warning, "COPY of a file the .dockerignore excludes",
		"A source excluded from the build context is not there, so the COPY fails or copies nothing.",
		"Copy something else, or stop excluding it in .dockerignore."},
	{"FromAsCasing", Info, "FROM and AS in different cases (BuildKit)",
		"BuildKit's check: mixed keyword casing makes the stage line harder to read.",
		"Write the keywords in the same case: FROM ... AS ...."},
	{"StageNameCasing", Info, "A stage name with upper-case letters (BuildKit)",
		"BuildKit's check: stage names are compared in lower case, so upper case only misleads.",
		"Write the stage name in lower case."},
	{"MaintainerDeprecated", Info, "MAINTAINER is deprecated (BuildKit)",
		"BuildKit's check: MAINTAINER was replaced by a label that tools read.",
		`Use LABEL org.opencontainers.image.authors="..." instead.`},
	{"LegacyKeyValueFormat", Info, "ENV or LABEL in the legacy key value format (BuildKit)",
		"BuildKit's check: ENV key value sets only one variable and reads the rest of the line as its value, which misleads when a second pair is added.",
		"Write ENV key=value (and LABEL key=value)."},
	{"NoEmptyContinuation", Info, "An empty line inside a continued instruction (BuildKit)",
		"BuildKit's check: an empty continuation line will be an error in a future Dockerfile syntax.",
		"Remove the empty line, or end the instruction before it."},
}

// Rules returns every rule Audit applies, in documentation order.
func Rules() []Rule { return slices.Clone(catalog) }

// RuleByID returns the rule named id.
func RuleByID(id string) (Rule, bool) {
	i := slices.IndexFunc(catalog, func(r Rule) bool { return r.ID == id })
	if i < 0 {
		return Rule{}, false
	}
	return catalog[i], true
}
