package main

import (
	"slices"

	"github.com/spf13/cobra"

	"github.com/dgen-dev/dgen/detectors"
	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator"
)

// Closed sets of flag values, completed by the shells.
var (
	languageValues       = []string{facts.LangGo, facts.LangPython, facts.LangNode}
	packageManagerValues = []string{"uv", "poetry", "pipenv", "pdm", "pip", "npm", "yarn", "yarn-berry", "pnpm", "bun"}
	engineValues         = []string{"docker", "podman"}
)

// registerCompletions completes the flags of common: closed sets from the
// lists above, --dir with folders, and --main and --app with the
// candidates detection finds in the repository --dir names.
func (c *common) registerCompletions(cmd *cobra.Command) {
	_ = cmd.RegisterFlagCompletionFunc("language", cobra.FixedCompletions(languageValues, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("package-manager", cobra.FixedCompletions(packageManagerValues, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("dir", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	_ = cmd.RegisterFlagCompletionFunc("main", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return c.candidates("main"), cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("app", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return c.candidates("app"), cobra.ShellCompDirectiveNoFileComp
	})
}

// candidates are the values detection offers for the answer key ("main"
// or "app") in the repository at --dir: the options of an open choice, Go's
// main packages, or a Node workspace's deployable packages. Completion
// never fails loudly: an unreadable repository completes nothing.
func (c *common) candidates(key string) []string {
	r, err := generator.OpenRepository(c.dir, false)
	if err != nil {
		return nil
	}
	defer r.Root.Close()
	answers := facts.Answers{}
	if c.language != "" {
		answers["language"] = c.language
	}
	det, err := detectors.Detect(r.Root.FS(), answers)
	if err != nil {
		return nil
	}
	var out []string
	for _, ch := range det.Choices {
		if ch.Key == key {
			for _, o := range ch.Options {
				out = append(out, o.Value)
			}
		}
	}
	switch {
	case key == "main" && det.Go != nil:
		out = append(out, det.Go.Mains...)
	case key == "app" && det.Node != nil && det.Node.Workspace != nil:
		for _, p := range det.Node.Workspace.Packages {
			if p.Deployable {
				out = append(out, p.Dir)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
