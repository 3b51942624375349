package generator

import (
	"fmt"
	"io/fs"
	"strings"
)

// ComposeExec renders argv as a flow sequence for compose.yaml: JSON
// strings (valid YAML) with every $ doubled, so compose passes the
// repository's text through instead of interpolating it.
func ComposeExec(argv []string) (string, error) {
	s, err := ExecForm(argv)
	return strings.ReplaceAll(s, "$", "$$"), err
}

// renderCompose renders compose.yaml and .env.example for p.Compose.
func renderCompose(p *Plan, over fs.FS) ([]File, error) {
	for _, e := range p.Compose.Env {
		if !envName.MatchString(e.Name) {
			return nil, badInputf("compose: %q is not a variable name", e.Name)
		}
	}
	data, err := renderOne("compose.yaml.tmpl", over, p)
	if err != nil {
		return nil, err
	}
	files := []File{{Name: ComposeFile, Data: data}}
	if len(p.Compose.EnvFile) > 0 {
		files = append(files, File{Name: EnvExampleFile, Data: envExample(p.Compose)})
	}
	return files, nil
}

// envExample is .env.example: the secrets compose.yaml reads, with
// placeholders, and how to make real ones.
func envExample(c *ComposePlan) []byte {
	var b strings.Builder
	b.WriteString("# .env.example written by dgen: the secrets compose.yaml reads.\n")
	b.WriteString("# Copy it to .env and replace every value; .env stays out of git and of\n")
	b.WriteString("# the image (.gitignore, .dockerignore). The passwords go into connection\n")
	b.WriteString("# URLs, so use letters and digits only, e.g. from `openssl rand -hex 24`.\n")
	for _, s := range c.EnvFile {
		fmt.Fprintf(&b, "\n# %s\n%s=%s\n", s.Why, s.Name, s.Placeholder)
	}
	return []byte(b.String())
}
