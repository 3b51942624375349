package golang

import (
	"io/fs"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// ServerEvidence implements detectors.ServerClaimer: the repository's
// server is Go when the main dgen would build opens a listener in code it
// reaches. A big JavaScript front end next to it is then the front end of
// a Go app, whatever the source volume. It runs Go detection with the
// answers given (a main chosen only as a default still counts, since it is
// the one that listens) and returns it, so the registry does not run it
// again.
func (d Detector) ServerEvidence(fsys fs.FS, answers facts.Answers) (facts.Evidence, *facts.Detection, bool) {
	det, err := d.Detect(fsys, answers)
	if err != nil || det.Worker || det.Port == 0 {
		return facts.Evidence{}, nil, false
	}
	ev, ok := det.Evidence["port"]
	if !ok || ev.File == "" {
		// A port from a default or a flag is no sign of a listener.
		return facts.Evidence{}, nil, false
	}
	return facts.Evidence{File: ev.File, Line: ev.Line, Detail: "a main that listens: " + ev.Detail}, det, true
}
