// Package web holds the front end: its sources in src/, and the build
// output in dist/, which `npm run build` writes and the binary embeds.
package web

import "embed"

// Dist is the built front end. dist/ is not in the repository: go build
// needs `npm run build` first.
//
//go:embed all:dist
var Dist embed.FS
