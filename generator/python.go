package generator

import "github.com/dgen-dev/dgen/detectors"

// PythonPlan is what only the Python template needs.
type PythonPlan struct{}

func planPython(det *detectors.Detection, p *Plan) error {
	p.Template = "python"
	p.Python = &PythonPlan{}
	return nil
}
