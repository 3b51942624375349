package main

import (
	"fmt"
	"io"

	"github.com/dgen-dev/dgen/generator"
)

// runEnvFlags are the -e flags of the variables the app stops without and
// the image does not set, with a leading space; "" when there are none.
func runEnvFlags(p *generator.Plan) string {
	if unset := p.RequiredEnvUnset(); len(unset) > 0 {
		return " " + generator.RunEnvFlags(unset)
	}
	return ""
}

// printRequiredEnv says, in the next steps, where each of those variables
// is read and which are secrets.
func printRequiredEnv(w io.Writer, p *generator.Plan) {
	for _, e := range p.RequiredEnv {
		if e.Value != "" {
			continue
		}
		kind := ""
		if e.Secret {
			kind = ", a secret: keep it out of the image"
		}
		fmt.Fprintf(w, "  the app stops at start without %s%s (%s)\n", e.Name, kind, sanitize(e.Evidence.String()))
	}
}
