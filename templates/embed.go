// Package templates holds the embedded Dockerfile and .dockerignore
// templates. Each <name>.Dockerfile.tmpl reads like the Dockerfile it
// produces; the data is a generator.Plan (docs/templates.md). A user's
// --templates folder overrides any of them by file name.
package templates

import "embed"

// FS holds every template, by file name.
//
//go:embed *.tmpl
var FS embed.FS
