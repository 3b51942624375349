package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// buildVersion reports version, commit and Go version from the build info
// the Go toolchain embeds (vcs.revision for builds from a checkout).
func buildVersion() (ver, commit, goVersion string) {
	ver, commit = version, "unknown"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return firstNonEmpty(ver, "dev"), commit, "unknown"
	}
	goVersion = info.GoVersion
	if ver == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		ver = info.Main.Version
	}
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
			if len(commit) > 12 {
				commit = commit[:12]
			}
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && commit != "unknown" {
		commit += "-dirty"
	}
	return firstNonEmpty(ver, "dev"), commit, goVersion
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print dgen's version, commit and Go version",
		Example: "  dgen version",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v, c, g := buildVersion()
			fmt.Fprintf(e.stdout, "dgen %s (commit %s, %s)\n", v, c, g)
			return nil
		},
	}
}
