package detectors

import "io/fs"

// GoFacts is what only a Go repository has.
type GoFacts struct{}

// GoDetector reads Go repositories.
type GoDetector struct{}

// Name implements Detector.
func (GoDetector) Name() string { return "go" }

// Markers implements Detector.
func (GoDetector) Markers(fsys fs.FS) []string {
	if IsFile(fsys, "go.mod") {
		return []string{"go.mod"}
	}
	return nil
}

// Detect implements Detector.
func (d GoDetector) Detect(fsys fs.FS, answers Answers) (*Detection, error) {
	return &Detection{Language: d.Name()}, nil
}
