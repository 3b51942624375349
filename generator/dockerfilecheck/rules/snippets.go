package rules

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// PlanLines picks from a Dockerfile dgen rendered the lines a finding's
// fix can quote: the final stage's USER (with the RUN that creates the
// user, if any), its HEALTHCHECK (with the stage and COPY that supply the
// probe program, if any) and the first dependency install with a cache
// mount. packageManager is the plan's.
func PlanLines(dockerfile []byte, packageManager string) (Suggestions, error) {
	r, err := parser.Parse(bytes.NewReader(dockerfile))
	if err != nil {
		return Suggestions{}, err
	}
	lines := strings.Split(string(dockerfile), "\n")
	text := func(n *parser.Node) []string {
		if n.StartLine < 1 || n.EndLine > len(lines) {
			return nil
		}
		return lines[n.StartLine-1 : n.EndLine]
	}
	sg := Suggestions{PackageManager: packageManager}
	nodes := r.AST.Children
	finalFrom := 0
	stageFrom := map[string]*parser.Node{}
	for i, n := range nodes {
		if strings.EqualFold(n.Value, "from") {
			finalFrom = i
			if f := fromName(n); f != "" {
				stageFrom[f] = n
			}
		}
		if strings.EqualFold(n.Value, "run") && sg.CacheMount == nil && installsWithCache(n) {
			sg.CacheMount = text(n)
		}
	}
	var createUser []string
	copies := map[string][]*parser.Node{} // COPY --from=<stage> by destination
	for _, n := range nodes[finalFrom:] {
		switch strings.ToLower(n.Value) {
		case "run":
			if o := n.Original; strings.Contains(o, "useradd") || strings.Contains(o, "adduser") {
				createUser = text(n)
			}
		case "copy":
			for _, f := range n.Flags {
				if from, ok := strings.CutPrefix(f, "--from="); ok {
					dest := lastArg(n)
					copies[dest] = append(copies[dest], stageFrom[from], n)
				}
			}
		case "user":
			sg.User = append(append([]string{}, createUser...), text(n)...)
		case "healthcheck":
			sg.Healthcheck = nil
			if prog := healthProgram(text(n)); prog != "" {
				for _, c := range copies[prog] {
					if c != nil {
						sg.Healthcheck = append(sg.Healthcheck, text(c)...)
					}
				}
			}
			sg.Healthcheck = append(sg.Healthcheck, text(n)...)
		}
	}
	return sg, nil
}

// fromName is the stage name of a FROM node ("" if unnamed).
func fromName(n *parser.Node) string {
	var words []string
	for c := n.Next; c != nil; c = c.Next {
		words = append(words, c.Value)
	}
	if len(words) == 3 && strings.EqualFold(words[1], "as") {
		return words[2]
	}
	return ""
}

// lastArg is a node's last argument (a COPY's destination).
func lastArg(n *parser.Node) string {
	last := ""
	for c := n.Next; c != nil; c = c.Next {
		last = c.Value
	}
	return last
}

// installsWithCache reports whether a RUN node mounts a cache for a
// language package manager (not apt's or apk's).
func installsWithCache(n *parser.Node) bool {
	for _, f := range n.Flags {
		if !strings.Contains(f, "type=cache") {
			continue
		}
		if !strings.Contains(f, "/var/cache/apt") && !strings.Contains(f, "/var/lib/apt") && !strings.Contains(f, "/var/cache/apk") {
			return true
		}
	}
	return false
}

// healthProgram is the program a HEALTHCHECK runs in exec form ("" for
// the shell form); text is the instruction as written.
func healthProgram(text []string) string {
	body := strings.ReplaceAll(strings.Join(text, "\n"), "\\\n", " ")
	i := strings.Index(body, "CMD [")
	if i < 0 {
		return ""
	}
	var argv []string
	if err := json.Unmarshal([]byte(strings.TrimSpace(body[i+len("CMD "):])), &argv); err != nil || len(argv) == 0 {
		return ""
	}
	return argv[0]
}
