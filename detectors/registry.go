// Package detectors reads a repository through an fs.FS and reports what it
// finds: the ecosystem, its versions, package manager, framework, start
// command and port, each with the file and line it came from.
//
// This package holds the registry and picks the ecosystem; the ecosystems
// live in golang, python and node, the shared contract in facts and
// bounded reading of a repository in repo. Detectors are pure: they read
// only through the fs.FS they are given, never the working directory or
// the network, so tests run them over fstest.MapFS and the CLI over a
// folder opened with os.OpenRoot.
package detectors

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"sync"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/golang"
	"github.com/dgen-dev/dgen/detectors/node"
	"github.com/dgen-dev/dgen/detectors/python"
	"github.com/dgen-dev/dgen/detectors/repo"
)

//go:generate go run ./internal/enrygen -o enry_rules.go

// Detector reads one ecosystem.
type Detector interface {
	// Name is the language this detector reports (LangGo, …).
	Name() string
	// Markers lists the files at the repository root that show this
	// ecosystem is present (go.mod, package.json, …), or nil.
	Markers(fsys fs.FS) []string
	// Detect reads the repository and reports what it finds. It returns an
	// error only when the repository cannot be used at all (the error names
	// the file and says what to do); problems with single files are
	// recorded in Detection.Problems.
	Detect(fsys fs.FS, answers facts.Answers) (*facts.Detection, error)
}

// Registry returns the detectors in the order they are tried. Order only
// breaks ties: when several ecosystems are present, go-enry's source volume
// decides (see Detect). Go comes first because a go.mod is never an
// incidental file; Python before Node because a package.json next to Python
// code is usually there for front-end assets, not the app.
func Registry() []Detector {
	return []Detector{golang.Detector{}, python.Detector{}, node.Detector{}}
}

// ErrNoProject is returned when no supported ecosystem is found.
var ErrNoProject = errors.New("no Go, Python or Node project found")

// Detect picks the ecosystem of the repository in fsys and runs its
// detector. answers["language"] forces the ecosystem.
func Detect(fsys fs.FS, answers facts.Answers) (*facts.Detection, error) {
	type found struct {
		det     Detector
		markers []string
	}
	var present []found
	for _, d := range Registry() {
		if m := d.Markers(fsys); len(m) > 0 {
			present = append(present, found{d, m})
		}
	}
	if want := answers["language"]; want != "" {
		for _, d := range Registry() {
			if d.Name() == want {
				det, err := d.Detect(fsys, answers)
				if err != nil {
					return nil, err
				}
				det.Cite("language", "", 0, "--language "+want)
				return det, nil
			}
		}
		return nil, fmt.Errorf("unknown language %q: use go, python or node", want)
	}
	switch len(present) {
	case 0:
		return nil, fmt.Errorf("%w: expected go.mod, pyproject.toml, requirements.txt, Pipfile, setup.py or package.json at the top of the folder; run dgen in the project's folder or pass --dir", ErrNoProject)
	case 1:
		det, err := present[0].det.Detect(fsys, answers)
		if err != nil {
			return nil, err
		}
		det.Cite("language", present[0].markers[0], 0, "found "+strings.Join(present[0].markers, ", "))
		return det, nil
	}
	// A server the repository shows (a Procfile, an app object, a main
	// that listens) outranks source volume: a big front end next to a
	// small API is still the API's image. Volume breaks only real ties.
	candidates := present
	var claims []found
	var evidence []facts.Evidence
	var detected []*facts.Detection
	for _, f := range present {
		if c, ok := f.det.(ServerClaimer); ok {
			if ev, det, ok := c.ServerEvidence(fsys, answers); ok {
				claims = append(claims, f)
				evidence = append(evidence, ev)
				detected = append(detected, det)
			}
		}
	}
	if len(claims) == 1 {
		best, det := claims[0], detected[0]
		if det == nil {
			var err error
			if det, err = best.det.Detect(fsys, answers); err != nil {
				return nil, err
			}
		}
		det.Cite("language", evidence[0].File, evidence[0].Line, "the server is "+best.det.Name()+": "+evidence[0].Detail)
		for _, f := range present {
			if f.det != best.det {
				det.Notef("%s also found (%s); %s shows the %s server, so this is a %s app whatever the source volume (pass --language %s to change it)",
					f.det.Name(), strings.Join(f.markers, ", "), evidence[0], best.det.Name(), best.det.Name(), f.det.Name())
			}
		}
		return det, nil
	}
	if len(claims) > 1 {
		candidates = claims
	}
	volume := SourceVolume(fsys)
	best := candidates[0]
	for _, f := range candidates[1:] {
		if volume[f.det.Name()] > volume[best.det.Name()] {
			best = f
		}
	}
	det, err := best.det.Detect(fsys, answers)
	if err != nil {
		return nil, err
	}
	var parts []string
	for _, f := range present {
		parts = append(parts, fmt.Sprintf("%s %d bytes (%s)", f.det.Name(), volume[f.det.Name()], strings.Join(f.markers, ", ")))
	}
	det.Cite("language", best.markers[0], 0, "largest source by go-enry: "+strings.Join(parts, "; "))
	for _, f := range present {
		if f.det != best.det {
			det.Notef("%s also found (%s); %s has more source, so this is a %s app (pass --language %s to change it)",
				f.det.Name(), strings.Join(f.markers, ", "), best.det.Name(), best.det.Name(), f.det.Name())
		}
	}
	return det, nil
}

// ServerClaimer is implemented by a detector that can tell, before Detect,
// that the repository's server is written in its language (a Procfile
// web: process, a WSGI/ASGI app object, manage.py, a main that listens).
// Detect ranks a claim above source volume.
type ServerClaimer interface {
	// ServerEvidence returns where the server shows, and true, or false
	// when this ecosystem's code holds no server. A claimer that had to
	// run its whole detection to decide returns that Detection (with
	// answers applied), which Detect then uses instead of detecting
	// again; a cheaper one returns nil.
	ServerEvidence(fsys fs.FS, answers facts.Answers) (facts.Evidence, *facts.Detection, bool)
}

// MaxVolumeFiles caps how many source files SourceVolume weighs. go-enry's
// vendor, documentation and test rules are large regular expressions
// (25–35µs a file); the first few thousand files, shallowest first, rank
// the ecosystems as well as all of them would, and a monorepo with 20,000
// TypeScript files is weighed in about a tenth of a second instead of
// nearly one (docs/performance.md).
const MaxVolumeFiles = 4000

// SourceVolume walks the repository (skipping dependencies, build output
// and vendored or generated files by go-enry's rules) and returns bytes of
// source per ecosystem, over at most MaxVolumeFiles source files.
func SourceVolume(fsys fs.FS) map[string]int64 {
	vol := map[string]int64{}
	files := 0
	r := enryRules()
	_ = repo.Walk(fsys, ".", func(p string, d fs.DirEntry) error {
		// The extension lookup is a map access; the regular expressions
		// run only on files that would count.
		eco := r.ecosystem(p)
		if eco == "" {
			return nil
		}
		if files++; files > MaxVolumeFiles {
			return fs.SkipAll
		}
		if r.vendor.MatchString(p) || matchAny(r.documentation, p) || matchAny(r.test, p) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		vol[eco] += info.Size()
		return nil
	})
	return vol
}

// goEnryRules are the go-enry rules SourceVolume applies (enry_rules.go,
// generated from go-enry's data). Importing go-enry would compile its 600
// regular expressions at start-up for every command; these 28 are compiled
// on the first SourceVolume, which only mixed repositories reach.
type goEnryRules struct {
	byExtension   map[string]string // ecosystem by extension
	vendor        *regexp.Regexp
	documentation []*regexp.Regexp
	test          []*regexp.Regexp
}

var enryRules = sync.OnceValue(func() *goEnryRules {
	r := &goEnryRules{
		byExtension: enryEcosystemByExtension(),
		vendor:      regexp.MustCompile(enryVendorPattern),
	}
	for _, p := range enryDocumentationPatterns {
		r.documentation = append(r.documentation, regexp.MustCompile(p))
	}
	for _, p := range enryTestPatterns {
		r.test = append(r.test, regexp.MustCompile(p))
	}
	return r
})

// ecosystem is the ecosystem of go-enry's GetLanguagesByExtension(path)[0],
// or "": the lower-cased path from each of its dots in turn, first entry
// found, as go-enry looks it up.
func (r *goEnryRules) ecosystem(path string) string {
	if !strings.Contains(path, ".") {
		return ""
	}
	path = strings.ToLower(path)
	for i := 0; i < len(path); i++ {
		if path[i] != '.' {
			continue
		}
		if lang, ok := r.byExtension[path[i:]]; ok {
			return lang
		}
	}
	return ""
}

func matchAny(rs []*regexp.Regexp, s string) bool {
	for _, r := range rs {
		if r.MatchString(s) {
			return true
		}
	}
	return false
}
