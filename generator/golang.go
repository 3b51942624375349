package generator

import "github.com/dgen-dev/dgen/detectors"

// GoPlan is what only the Go template needs.
type GoPlan struct{}

func planGo(det *detectors.Detection, p *Plan) error {
	p.Template = "go"
	p.Go = &GoPlan{}
	return nil
}
