package golang

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// serveNames are the subcommands that start a server, best first.
var serveNames = []string{"serve", "server", "web", "start", "run"}

// cliOf merges the command-line facts of the packages a main reaches.
func cliOf(in *mainInfo) cliScan {
	out := cliScan{Children: map[string]bool{}, RequiredBy: map[string][]string{}, Roots: map[string]bool{}}
	for _, sc := range in.scans {
		out.Commands = append(out.Commands, sc.CLI.Commands...)
		for k := range sc.CLI.Children {
			out.Children[k] = true
		}
		for k := range sc.CLI.Roots {
			out.Roots[k] = true
		}
		for k, v := range sc.CLI.RequiredBy {
			out.RequiredBy[k] = append(out.RequiredBy[k], v...)
		}
		out.SwitchDefault = out.SwitchDefault || sc.CLI.SwitchDefault
	}
	return out
}

// serveCommand returns the subcommand a server must be started with, or
// nil: the program is built on cobra, urfave/cli, kingpin or a switch on
// os.Args[1], its root does nothing useful without a subcommand (no Run,
// or one that only prints help; no default command; no default case),
// and it has a serve, server, web, start or run subcommand that is not
// Deprecated or Hidden.
func serveCommand(cli cliScan) *cliCommand {
	for _, kind := range []string{"cobra", "urfave", "kingpin", "flag"} {
		var subs []cliCommand
		rootUseful, sawRoot := false, false
		for _, c := range cli.Commands {
			if c.Kind != kind {
				continue
			}
			root := isRoot(c, cli)
			if root {
				sawRoot = true
				rootUseful = rootUseful || (c.Action && !c.HelpOnly)
			} else {
				subs = append(subs, c)
			}
		}
		switch kind {
		case "kingpin":
			sawRoot = len(subs) > 0
			rootUseful = slices.ContainsFunc(subs, func(c cliCommand) bool { return c.Default })
		case "flag":
			sawRoot, rootUseful = len(subs) > 0, cli.SwitchDefault
		}
		if !sawRoot || rootUseful {
			continue
		}
		for _, name := range serveNames {
			for i := range subs {
				if subs[i].Name == name && !subs[i].Retired {
					return &subs[i]
				}
			}
		}
	}
	return nil
}

// isRoot reports whether a cobra command is a root (never passed to
// AddCommand) or a urfave/cli command holds subcommands.
func isRoot(c cliCommand, cli cliScan) bool {
	switch c.Kind {
	case "cobra":
		if len(cli.Children) == 0 {
			return false
		}
		return !cli.Children[c.varName] && (c.funcName == "" || !cli.Children[c.funcName])
	case "urfave":
		return c.Parent
	}
	return false
}

// startArgs works out the arguments the start command needs: the serve
// subcommand (else the subcommand the port is read on, see
// portSubcommand), with its bind flag when that defaults to loopback, and
// its required config file (a flag or a positional
// argument) filled from a config file in the repository, which is then
// copied into the image. What cannot be filled is a note.
func (Detector) startArgs(fsys fs.FS, in *mainInfo, det *facts.Detection) []string {
	if !in.serves {
		return nil
	}
	cli := cliOf(in)
	sub := serveCommand(cli)
	why := ""
	if sub != nil {
		why = fmt.Sprintf("%s: the root command does nothing without a subcommand, and %q starts the server", sub.Detail, sub.Name)
	} else if c, src := portSubcommand(in, cli); c != nil {
		sub = c
		why = fmt.Sprintf("%s: the port is read on the %q subcommand's path (%s:%d: %s), so the start runs it", sub.Detail, sub.Name, src.File, src.Line, src.Detail)
	}
	if sub == nil {
		return nil
	}
	in.sub = sub
	in.scans = onPath(in.scans, cli, sub)
	in.bound = subBindArgs(in.scans, cli, sub)
	args := append([]string{sub.Name}, in.bound...)
	var required []string
	required = append(required, sub.Required...)
	for _, owner := range []string{sub.varName, sub.funcName} {
		if owner != "" && owner != "main" && owner != "init" {
			required = append(required, cli.RequiredBy[owner]...)
		}
	}
	needsConfig := sub.NeedsArg && configWord(sub.Use)
	if sub.NeedsArg && !needsConfig {
		det.Notef("the %s subcommand takes a positional argument (%s) dgen cannot fill: pass --start with it", sub.Name, sub.Use)
	}
	var flagArgs []string
	for _, f := range slices.Compact(required) {
		if configWord(f) {
			needsConfig = true
			flagArgs = append(flagArgs, "--"+f)
			continue
		}
		det.Notef("the %s subcommand requires --%s, which dgen cannot fill: pass --start with it", sub.Name, f)
	}
	if needsConfig {
		file, ev := configFile(fsys, in.pkg.Module.Dir)
		if file == "" {
			det.Notef("the %s subcommand needs a config file and the repository has none dgen recognises: pass --start with its path", sub.Name)
			det.Cite("start", sub.File, sub.Line, why)
			return args
		}
		det.Go.ConfigFile = file
		det.Cite("configFile", ev.File, ev.Line, ev.Detail)
		if len(flagArgs) > 0 {
			args = append(args, flagArgs[0], file)
		} else {
			args = append(args, file)
		}
		why += fmt.Sprintf("; it needs a config file, so %s is copied into the image and passed", file)
	}
	det.Cite("start", sub.File, sub.Line, why)
	return args
}

// subBindArgs are bindArgs of the flags the subcommand declares.
func subBindArgs(scans []*pkgScan, cli cliScan, sub *cliCommand) []string {
	own := make([]*pkgScan, len(scans))
	for i, sc := range scans {
		cp := pkgScan{}
		for _, l := range sc.FlagPorts {
			if sameCommand(commandOf(cli, l), sub) {
				cp.FlagPorts = append(cp.FlagPorts, l)
			}
		}
		own[i] = &cp
	}
	return bindArgs(own)
}

// plainConfig reports whether a config file is plain data the program
// can read as it is, not a template (Go templates, gomplate) rendered
// by an entrypoint first.
func plainConfig(fsys fs.FS, file string) bool {
	data, err := repo.ReadPrefix(fsys, file, maxHintFile)
	if err != nil || strings.Contains(string(data), "{{") {
		return false
	}
	var v any
	if strings.HasSuffix(file, ".toml") {
		return toml.Unmarshal(data, &v) == nil
	}
	return yaml.Unmarshal(data, &v) == nil
}

// configWord reports whether a flag name or usage line names a config
// file.
func configWord(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "config") || strings.Contains(s, "conf") || strings.Contains(s, "settings")
}

// configDirs are the folders, below the module, searched for a config
// file, in order.
var configDirs = []string{".", "config", "configs", "conf", "etc", "examples", "example", "deploy", "deployments"}

// configName matches config file names; toolConfigs are other tools'.
var (
	configName  = regexp.MustCompile(`(?i)^[a-z0-9_.-]*(config|conf|settings)[a-z0-9_.-]*\.(ya?ml|json|toml)$`)
	toolConfigs = regexp.MustCompile(`(?i)^(tsconfig|jsconfig|golangci|\.golangci|goreleaser|codecov|renovate|commitlint|babel|eslint|prettier|jest|webpack|vite|tailwind|postcss|docker-compose|compose|mkdocs|netlify|vercel|lefthook|buf|sqlc|gqlgen|air|tilt|skaffold|kustomization|chart|values)`)
)

// configFile finds the config file to pass: in configDirs order, one
// named for containers (docker, container) first, then a plain config.*,
// then one named example, sample or default, then dev or local, then any
// other. The path is relative to the module folder (the
// image's /app).
func configFile(fsys fs.FS, mod string) (string, facts.Evidence) {
	best, bestRank := "", 99
	for di, d := range configDirs {
		ents, err := repo.ReadDir(fsys, path.Join(mod, d))
		if err != nil {
			continue
		}
		for _, e := range ents {
			n := e.Name()
			if !e.Type().IsRegular() || !configName.MatchString(n) || toolConfigs.MatchString(n) {
				continue
			}
			rank := di*5 + 4
			base := strings.ToLower(strings.TrimSuffix(n, path.Ext(n)))
			switch {
			case strings.Contains(base, "docker") || strings.Contains(base, "container"):
				rank = di * 5
			case base == "config" || base == "settings":
				rank = di*5 + 1
			case strings.Contains(base, "example") || strings.Contains(base, "sample") || strings.Contains(base, "default"):
				rank = di*5 + 2
			case strings.Contains(base, "dev") || strings.Contains(base, "local"):
				rank = di*5 + 3
			}
			rel := path.Join(d, n)
			if rank < bestRank && repo.SafePath(path.Join(mod, rel)) && plainConfig(fsys, path.Join(mod, rel)) {
				best, bestRank = rel, rank
			}
		}
	}
	if best == "" {
		return "", facts.Evidence{}
	}
	return best, facts.Evidence{File: path.Join(mod, best), Detail: "the config file the server subcommand is started with; copied into the image"}
}
