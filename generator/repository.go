package generator

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/dgen-dev/dgen/detectors/node"
	"github.com/dgen-dev/dgen/detectors/python"
)

// MaxWorkspaceDepth is how many parent folders OpenRepository climbs to
// find the Node or uv workspace that holds the folder it was given. Workspace
// apps sit one to three folders below their root (apps/web,
// packages/group/app); six is generous and keeps the climb bounded.
const MaxWorkspaceDepth = 6

// Repository is the folder dgen reads, and init writes into.
type Repository struct {
	// Root is the folder opened with os.OpenRoot: reading through
	// Root.FS() never follows a symlink out of it.
	Root *os.Root
	// Dir is the folder's absolute path.
	Dir string
	// App is set when the folder given was an app of a Node workspace (or
	// a member of a uv workspace) declared in a parent folder: Dir is then the workspace root and App
	// the app's folder relative to it (the answer to the "app" choice).
	App string
}

// Close releases the folder.
func (r *Repository) Close() error { return r.Root.Close() }

// OpenRepository opens the folder dir. With findWorkspace, a folder that is
// a package of a Node or uv workspace declared in one of its parents opens that
// workspace root instead, with App set: the build context must hold the
// lockfile and the sibling packages. dir's symlinks are resolved first, so
// the parents searched are the real ones, and each parent is read through
// an os.Root of its own, so a symlink inside a parent cannot lead the
// search out of that parent.
func OpenRepository(dir string, findWorkspace bool) (*Repository, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, errors.New("not a folder")
	}
	r := &Repository{Dir: abs}
	if findWorkspace {
		if ws, app, ok := workspaceOf(abs); ok {
			r.Dir, r.App = ws, app
		}
	}
	if r.Root, err = os.OpenRoot(r.Dir); err != nil {
		return nil, err
	}
	return r, nil
}

// workspaceOf looks for the nearest parent of dir, at most
// MaxWorkspaceDepth folders up, that declares dir as a workspace package.
func workspaceOf(dir string) (root, app string, ok bool) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", "", false
	}
	for parent, depth := filepath.Dir(real), 1; depth <= MaxWorkspaceDepth; parent, depth = filepath.Dir(parent), depth+1 {
		rel, err := filepath.Rel(parent, real)
		if err != nil {
			return "", "", false
		}
		if found := declares(parent, filepath.ToSlash(rel)); found {
			return parent, filepath.ToSlash(rel), true
		}
		if filepath.Dir(parent) == parent {
			return "", "", false
		}
	}
	return "", "", false
}

// declares reports whether folder declares a workspace that includes app:
// a Node workspace, or a uv workspace ([tool.uv.workspace] members).
func declares(folder, app string) bool {
	root, err := os.OpenRoot(folder)
	if err != nil {
		return false
	}
	defer root.Close()
	return node.DeclaresApp(root.FS(), app) || python.DeclaresMember(root.FS(), app)
}
