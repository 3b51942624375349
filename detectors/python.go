package detectors

import "io/fs"

// PythonFacts is what only a Python repository has.
type PythonFacts struct{}

// PythonDetector reads Python repositories.
type PythonDetector struct{}

// Name implements Detector.
func (PythonDetector) Name() string { return "python" }

// Markers implements Detector.
func (PythonDetector) Markers(fsys fs.FS) []string {
	if IsFile(fsys, "pyproject.toml") {
		return []string{"pyproject.toml"}
	}
	return nil
}

// Detect implements Detector.
func (d PythonDetector) Detect(fsys fs.FS, answers Answers) (*Detection, error) {
	return &Detection{Language: d.Name()}, nil
}
