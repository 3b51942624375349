package detectors

import "io/fs"

// NodeFacts is what only a Node repository has.
type NodeFacts struct{}

// NodeDetector reads Node repositories.
type NodeDetector struct{}

// Name implements Detector.
func (NodeDetector) Name() string { return "node" }

// Markers implements Detector.
func (NodeDetector) Markers(fsys fs.FS) []string {
	if IsFile(fsys, "package.json") {
		return []string{"package.json"}
	}
	return nil
}

// Detect implements Detector.
func (d NodeDetector) Detect(fsys fs.FS, answers Answers) (*Detection, error) {
	return &Detection{Language: d.Name()}, nil
}
