package golang

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// Serving tiers of a main package, best first. A listener in the
// program's own code (its package, a package below its folder, or one no
// other main imports) is stronger evidence than a listener in a package
// several mains share: a CLI that imports the server's packages for their
// types reaches the listener too, but never starts it.
const (
	tierNone   = 0
	tierShared = 1
	tierOwn    = 2
)

// rankedMain is one candidate with its score and the evidence for it.
type rankedMain struct {
	in    *mainInfo
	tier  int
	score int
	// tierWhy is the evidence for the tier; why the points that scored.
	tierWhy string
	why     []string
}

// mainPick is the main package picked among several, why, and whether
// the pick is safe to take without asking.
type mainPick struct {
	pick   *mainInfo
	reason string
	safe   bool
}

// rankMains ranks several analysed candidates. The serving tier decides
// first (own listener, then shared listener or web framework, then
// none); a client of the server (it imports the build's client package
// or is named …ctl/…cli/…client, and listens nowhere of its own) counts
// as not serving. Ties are broken by points: named like the module (2),
// a Procfile web process (2), a name that says server (server, …server,
// api, …-api, …d), a Makefile build, a GoReleaser build and a README
// `go run`/`go install` (1 each). The first is taken without asking only
// when it scores strictly more than the second.
func rankMains(infos []*mainInfo, lay *layout, hints map[string][]mainHint) mainPick {
	reached := map[string]int{}
	for _, in := range infos {
		for _, r := range in.reach {
			reached[r.Dir]++
		}
	}
	ranked := make([]*rankedMain, len(infos))
	servers := 0
	for i, in := range infos {
		ranked[i] = scoreMain(in, lay, reached, hints[in.pkg.Dir])
		if ranked[i].tier > tierNone {
			servers++
		}
	}
	sort.SliceStable(ranked, func(i, j int) bool {
		if ranked[i].tier != ranked[j].tier {
			return ranked[i].tier > ranked[j].tier
		}
		return ranked[i].score > ranked[j].score
	})
	top, next := ranked[0], ranked[1]
	if toolMain(top.in.pkg) && !listensItself(top.in) {
		return mainPick{pick: top.in, reason: "none serves HTTP; " + top.in.value + " is an internal tool or generator, not a program to ship, so it is only a suggestion"}
	}
	what := "several serve"
	switch servers {
	case 0:
		what = "none serves HTTP"
	case 1:
		return mainPick{pick: top.in, safe: true, reason: "the only one that serves (" + top.in.why.evidence().String() + ")" + clientNote(ranked)}
	}
	if top.tier > next.tier {
		return mainPick{pick: top.in, safe: true, reason: what + "; " + top.in.value + " is the only one that " + top.tierWhy + clientNote(ranked)}
	}
	if top.score > next.score {
		return mainPick{pick: top.in, safe: true, reason: what + "; " + top.in.value + " ranks first: " + strings.Join(top.why, "; ")}
	}
	var tied []string
	for _, r := range ranked {
		if r.tier == top.tier && r.score == top.score {
			tied = append(tied, r.in.value)
		}
	}
	return mainPick{pick: top.in, reason: what + "; " + strings.Join(tied, ", ") + " tie and no rule decides, so the first is only a suggestion"}
}

// clientNote names the candidates set aside as clients of the server.
func clientNote(ranked []*rankedMain) string {
	var cl []string
	for _, r := range ranked {
		if r.in.client != nil {
			cl = append(cl, r.in.value+" is a client ("+r.in.client.evidence().String()+")")
		}
	}
	if len(cl) == 0 {
		return ""
	}
	return "; " + strings.Join(cl, "; ")
}

// scoreMain places one candidate in its tier and counts its tie-breaking
// points.
func scoreMain(in *mainInfo, lay *layout, reached map[string]int, hints []mainHint) *rankedMain {
	r := &rankedMain{in: in}
	own, shared := listenersOf(in, reached)
	in.client = clientOf(in, lay)
	switch {
	case own != nil:
		r.tier = tierOwn
		r.tierWhy = "opens a listener in its own code (" + own.evidence().String() + ")"
		in.client = nil
	case in.client != nil:
		in.serves = false
	case shared != nil:
		r.tier = tierShared
		r.tierWhy = "reaches a listener in a package other mains share (" + shared.evidence().String() + ")"
	case in.serves:
		r.tier = tierShared
		r.tierWhy = "builds a web router (" + in.why.evidence().String() + ")"
	}
	name := mainName(in.pkg)
	if name == moduleBase(in.pkg.Module.Path) {
		r.score += 2
		r.why = append(r.why, fmt.Sprintf("%s is named like the module %s", in.value, in.pkg.Module.Path))
	}
	if serverName(name) {
		r.score++
		r.why = append(r.why, fmt.Sprintf("%s is named %q, a server's name", in.value, name))
	}
	for _, h := range hints {
		r.score += h.points
		r.why = append(r.why, h.evidence().String())
	}
	return r
}

// listenersOf returns the first listener in the candidate's own code and
// the first in a package other candidates import too.
func listenersOf(in *mainInfo, reached map[string]int) (own, shared *finding) {
	for i, sc := range in.scans {
		if len(sc.Listeners) == 0 {
			continue
		}
		f := sc.Listeners[0].finding
		d := in.reach[i].Dir
		if i == 0 || reached[d] <= 1 || strings.HasPrefix(d, in.pkg.Dir+"/") {
			if own == nil {
				own = &f
			}
		} else if shared == nil {
			shared = &f
		}
	}
	return own, shared
}

// clientOf returns why a candidate looks like a client of a server: it
// imports one of the build's own client packages (a folder named client,
// …client, clients or sdk), or its name ends in ctl, cli or client.
func clientOf(in *mainInfo, lay *layout) *finding {
	for _, r := range in.reach {
		for _, imp := range r.Imports {
			if importDir(imp.Path, lay) == "" {
				continue
			}
			for _, el := range strings.Split(imp.Path, "/") {
				if strings.HasSuffix(el, "client") || el == "clients" || el == "sdk" {
					return &finding{File: imp.File, Line: imp.Line, Detail: "imports the client package " + fmt.Sprintf("%q", imp.Path)}
				}
			}
		}
	}
	name := mainName(in.pkg)
	for _, suf := range []string{"ctl", "cli", "client"} {
		if strings.HasSuffix(name, suf) {
			return &finding{File: in.pkg.Main, Line: in.pkg.MainLine, Detail: "named " + fmt.Sprintf("%q", name) + ", a command-line client's name"}
		}
	}
	return nil
}

// mainName is a candidate's name: its folder's, or the module's for the
// root package.
func mainName(p *buildPkg) string {
	if p.Dir == p.Module.Dir {
		return moduleBase(p.Module.Path)
	}
	return path.Base(p.Dir)
}

// notDaemons are words ending in d that name tools, not daemons.
var notDaemons = map[string]bool{
	"cmd": true, "build": true, "seed": true, "upload": true, "download": true, "load": true,
	"add": true, "find": true, "record": true, "old": true, "bad": true, "reload": true,
	"embed": true, "fwd": true, "gold": true, "cloud": true, "shared": true, "thread": true,
}

// serverName reports whether a program's name says it is the server:
// server, …server, …-server, api, …-api, or a daemon's …d.
func serverName(name string) bool {
	n := strings.ToLower(name)
	switch {
	case n == "api" || strings.HasSuffix(n, "server") || strings.HasSuffix(n, "-api") || strings.HasSuffix(n, "_api"):
		return true
	case len(n) >= 3 && strings.HasSuffix(n, "d") && !notDaemons[n] && !strings.HasSuffix(n, "ed"):
		return true
	}
	return false
}

// choice is the question asked (or answered by the pick) with every
// candidate as an option.
func (c mainPick) choice(infos []*mainInfo) facts.Choice {
	ch := facts.Choice{
		Key:      "main",
		Question: "Which Go program should the image run?",
		Default:  c.pick.value,
		Safe:     c.safe,
		Reason:   c.reason,
		Flag:     "--main",
	}
	for _, in := range infos {
		label := "no listener found: a CLI or worker"
		switch {
		case in.client != nil:
			label = "a client of the server: " + in.client.Detail
		case in.serves:
			label = "serves: " + in.why.Detail
		}
		ev := facts.Evidence{File: in.pkg.Main, Line: in.pkg.MainLine, Detail: "package main"}
		ch.Options = append(ch.Options, facts.Option{Value: in.value, Label: label, Evidence: &ev})
	}
	return ch
}
