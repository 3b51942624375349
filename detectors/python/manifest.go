package python

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"unicode/utf8"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"github.com/pelletier/go-toml/v2"
)

// pyManifests is what the dependency files say, read once per Detect.
type pyManifests struct {
	pyproject     map[string]any // nil when absent or unreadable
	pyprojectData []byte
	pipfile       map[string]any
	pipfileData   []byte
	pipfileLock   map[string]any

	hasPyproject, hasPipfile, hasPipfileLock bool
	hasUVLock, hasPoetryLock, hasPDMLock     bool
	hasSetupPy, hasSetupCfg                  bool

	// requirements are the root requirements files in preference order.
	requirements []string
}

// readPyManifests reads the manifests at the root. An unparseable file is
// a Problem; detection goes on without it.
func readPyManifests(fsys fs.FS, det *facts.Detection) *pyManifests {
	m := &pyManifests{}
	if data, ok := pyRead(fsys, det, "pyproject.toml"); ok {
		m.hasPyproject = true
		m.pyprojectData = data
		switch err := toml.Unmarshal(data, &m.pyproject); {
		case pyBinary(data):
			det.Problemf("pyproject.toml", "holds binary data, not TOML; it is ignored: fix it or remove it")
			m.pyproject = nil
		case err != nil:
			det.Problemf("pyproject.toml", "not valid TOML: %v; it is ignored: fix it (`python -c \"import tomllib; tomllib.load(open('pyproject.toml','rb'))\"` shows the same error)", pyTOMLErr(err))
			m.pyproject = nil
		default:
			pyCheckTypes(det, m.pyproject, data)
		}
	}
	if data, ok := pyRead(fsys, det, "Pipfile"); ok {
		m.hasPipfile = true
		m.pipfileData = data
		if err := toml.Unmarshal(data, &m.pipfile); err != nil {
			det.Problemf("Pipfile", "not valid TOML: %v", pyTOMLErr(err))
			m.pipfile = nil
		}
	}
	if data, ok := pyRead(fsys, det, "Pipfile.lock"); ok {
		m.hasPipfileLock = true
		if err := json.Unmarshal(data, &m.pipfileLock); err != nil {
			det.Problemf("Pipfile.lock", "not valid JSON: %v; run `pipenv lock` to rewrite it", err)
			m.pipfileLock = nil
		}
	}
	m.hasUVLock = repo.IsFile(fsys, "uv.lock")
	m.hasPoetryLock = repo.IsFile(fsys, "poetry.lock")
	m.hasPDMLock = repo.IsFile(fsys, "pdm.lock")
	m.hasSetupPy = repo.IsFile(fsys, "setup.py")
	m.hasSetupCfg = repo.IsFile(fsys, "setup.cfg")
	m.requirements = pyRequirementsCandidates(fsys)
	return m
}

// pyBinary reports whether data cannot be a text manifest: it holds NUL
// bytes or is not UTF-8.
func pyBinary(data []byte) bool {
	return bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data)
}
