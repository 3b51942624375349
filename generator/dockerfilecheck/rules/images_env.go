package rules

import (
	"fmt"
	"strings"
)

// DefaultPath is the PATH of Debian-based official images.
const DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// BaseImageEnv is the environment the official image ref defines, as far
// as a Dockerfile may rely on it (otherwise BuildKit's UndefinedVar fires on
// a correct file). The versions are taken from the tag.
func BaseImageEnv(ref string) []string {
	repo, tag := splitImageRef(ref)
	version := leadingVersion(tag)
	switch path := strings.TrimPrefix(repo, "docker.io/"); path {
	case "library/golang", "golang":
		return []string{
			"PATH=/go/bin:/usr/local/go/bin:" + DefaultPath,
			"GOLANG_VERSION=" + version,
			"GOTOOLCHAIN=local",
			"GOPATH=/go",
		}
	case "library/python", "python":
		return []string{
			"PATH=/usr/local/bin:" + DefaultPath,
			"LANG=C.UTF-8",
			"PYTHON_VERSION=" + version,
		}
	case "library/node", "node":
		return []string{
			"PATH=" + DefaultPath,
			"NODE_VERSION=" + version,
			"YARN_VERSION=1.22.22",
		}
	default:
		if strings.HasPrefix(path, "gcr.io/distroless/") {
			return []string{
				"PATH=" + DefaultPath,
				"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
			}
		}
		return []string{"PATH=" + DefaultPath}
	}
}

// leadingVersion is the version at the start of an image tag:
// "1.26-trixie" → "1.26", "22-trixie-slim" → "22".
func leadingVersion(tag string) string {
	end := 0
	for end < len(tag) && (tag[end] == '.' || tag[end] >= '0' && tag[end] <= '9') {
		end++
	}
	return strings.TrimSuffix(tag[:end], ".")
}

// lineSuffix is " (line N)", or nothing for a finding about the whole file.
func lineSuffix(line int) string {
	if line <= 0 {
		return ""
	}
	return fmt.Sprintf(" (line %d)", line)
}
