package golang

import "github.com/dgen-dev/dgen/detectors/facts"

// goLineMinimum is the lowest Go minor that builds the repository: the
// highest go directive of go.work, or of its modules (the main module
// alone without go.work). Since Go 1.21 a go line is a requirement, and
// the official images set GOTOOLCHAIN=local, so an older toolchain stops
// with "go.mod requires go >= …" instead of fetching a newer one.
func goLineMinimum(lay *layout) (string, facts.Evidence) {
	var best string
	var ev facts.Evidence
	consider := func(v, file string, line int) {
		m, ok := goMinor(v)
		if ok && (best == "" || goCompareMinor(m, best) > 0) {
			best, ev = m, facts.Evidence{File: file, Line: line, Detail: "go " + v}
		}
	}
	if lay.Work != nil && lay.Work.Go != nil {
		consider(lay.Work.Go.Version, "go.work", lay.Work.Go.Syntax.Start.Line)
		return best, ev
	}
	for _, m := range lay.Modules {
		if g := m.File.Go; g != nil {
			consider(g.Version, m.Name, g.Syntax.Start.Line)
		}
		if lay.Work == nil {
			break
		}
	}
	return best, ev
}
