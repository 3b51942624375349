package dockerfilecheck

import "github.com/dgen-dev/dgen/generator/dockerfilecheck/rules"

// Images returns every image the Dockerfile pulls (see rules.Images).
func Images(dockerfile []byte) ([]string, error) { return rules.Images(dockerfile) }
