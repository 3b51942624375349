package harness

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
)

// Plan is the part of `dgen plan --json` the real-build test reads.
type Plan struct {
	Language       string            `json:"language"`
	PackageManager string            `json:"packageManager"`
	Template       string            `json:"template"`
	Port           *int              `json:"port"`
	Start          []string          `json:"start"`
	Build          string            `json:"build"`
	Answers        map[string]string `json:"answers"`
	Images         struct {
		Build   string `json:"build"`
		Runtime string `json:"runtime"`
	} `json:"images"`
	User struct {
		UID int `json:"uid"`
		GID int `json:"gid"`
	} `json:"user"`
	Healthcheck *struct {
		Cmd  []string `json:"cmd"`
		Path string   `json:"path"`
	} `json:"healthcheck"`
	Go *GoPlan `json:"go"`
}

// GoPlan is the part of the plan's Go section the test reads.
type GoPlan struct {
	// Main is the package built ("./cmd/api").
	Main string `json:"main"`
	// Frontend is set when a Node stage builds a front end the program
	// embeds or serves.
	Frontend json.RawMessage `json:"frontend"`
}

// ParsePlan reads `dgen plan --json` output.
func ParsePlan(data []byte) (*Plan, error) {
	var p Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("read dgen plan --json: %w", err)
	}
	if p.Language == "" {
		return nil, fmt.Errorf("dgen plan --json: no language in %s", strings.TrimSpace(string(data)))
	}
	return &p, nil
}

// Naive is the single-stage Dockerfile a developer writes without thinking
// about layers, for the same app: one of examples/e2e/naive/<File>, built
// with these build arguments.
type Naive struct {
	File string
	Args map[string]string
}

// NaiveFor picks the naive Dockerfile and its arguments for an example from
// its plan: the same base image as dgen's build stage, the package
// manager's plain install command, the app's build and start commands.
// fsys is the example's folder.
func NaiveFor(p *Plan, fsys fs.FS) (Naive, error) {
	if p.Images.Build == "" {
		return Naive{}, fmt.Errorf("the plan names no build image")
	}
	start := ShellJoin(p.Start)
	switch p.Language {
	case "go":
		if p.Go != nil && len(p.Go.Frontend) > 0 && string(p.Go.Frontend) != "null" {
			// Without the front end's output, go build stops on the
			// //go:embed pattern: there is no naive image to compare.
			return Naive{}, fmt.Errorf("a single-stage Go image has no Node to build the front end the program embeds or serves")
		}
		main := p.Answers["main"]
		if p.Go != nil && p.Go.Main != "" {
			main = p.Go.Main
		}
		if main == "" {
			main = "."
		}
		return Naive{File: "go.Dockerfile", Args: map[string]string{"BASE": p.Images.Build, "MAIN": main}}, nil
	case "python":
		// Only requirements.txt: a project that installs itself (pip
		// install .) needs a build backend from PyPI, and such examples are
		// not built in full here.
		install := "true"
		if exists(fsys, "requirements.txt") {
			install = "pip install -r requirements.txt"
		}
		return Naive{File: "python.Dockerfile", Args: map[string]string{"BASE": p.Images.Build, "INSTALL": install, "START": start}}, nil
	case "node":
		// pnpm and Yarn 2+ come through corepack, which Node 25 and later
		// no longer bundle: a naive image installs it from npm first.
		var install string
		switch p.PackageManager {
		case "npm", "":
			install = "npm install"
		case "yarn":
			install = "yarn install"
		case "yarn-berry":
			install = "npm install -g corepack && corepack enable && yarn install"
		case "pnpm":
			install = "npm install -g corepack && corepack enable && pnpm install"
		case "bun":
			install = "bun install"
		default:
			return Naive{}, fmt.Errorf("no naive install command for package manager %q", p.PackageManager)
		}
		if start == "" || p.Template == "static" {
			// A naive single-stage image serves a built SPA with the dev
			// tooling it was built with.
			start = "npx --yes serve -s dist"
		}
		return Naive{File: "node.Dockerfile", Args: map[string]string{"BASE": p.Images.Build, "INSTALL": install, "BUILD": p.Build, "START": start}}, nil
	}
	return Naive{}, fmt.Errorf("no naive Dockerfile for language %q", p.Language)
}

func exists(fsys fs.FS, name string) bool {
	_, err := fs.Stat(fsys, name)
	return err == nil
}

// ShellJoin quotes argv for a POSIX shell.
func ShellJoin(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == "" {
			q[i] = a
		} else {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(q, " ")
}
