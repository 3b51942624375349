package generator

import "github.com/dgen-dev/dgen/detectors"

// NodePlan is what only the Node template needs.
type NodePlan struct{}

func planNode(det *detectors.Detection, p *Plan) error {
	p.Template = "node"
	p.Node = &NodePlan{}
	return nil
}
