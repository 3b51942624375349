package node

import (
	"io/fs"
	"path"

	"github.com/dgen-dev/dgen/detectors/repo"
)

// DeclaresApp reports whether the folder at the top of fsys declares a
// workspace (pnpm-workspace.yaml, package.json "workspaces" or lerna.json)
// that includes app, a slash-separated folder below it that holds a
// package.json. The generator asks it of each parent of a --dir, nearest
// first, to find the build context of a workspace app.
func DeclaresApp(fsys fs.FS, app string) bool {
	app = path.Clean(app)
	if app == "." || !fs.ValidPath(app) || !repo.IsFile(fsys, path.Join(app, "package.json")) {
		return false
	}
	include, exclude := workspaceGlobs(fsys, ".")
	return matchAny(include, app) && !matchAny(exclude, app)
}
