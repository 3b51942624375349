package generator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors"
	"github.com/dgen-dev/dgen/detectors/backing"
	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/shellwords"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// Options is what the user said: flags and config file merged (flags win),
// plus how to reach the user.
type Options struct {
	// Answers answer detection's Choices by key ("language", "main",
	// "packageManager", "app", …).
	Answers facts.Answers
	// Port overrides the detected port; NoPort marks the app a worker.
	Port   int
	NoPort bool
	// LanguageVersion overrides the detected version ("1.24", "3.12", "22").
	LanguageVersion string
	// Start overrides the start command (argv).
	Start []string
	// HealthPath overrides the health-check path ("/healthz").
	HealthPath string
	// Prompter asks the user; nil means never ask.
	Prompter Prompter
	// Log receives one line per decision taken by default (stderr).
	Log io.Writer
	// Compose says whether compose.yaml is written (default: when backing
	// services or worker processes are found).
	Compose ComposeMode
	// Pin resolves the FROM tags to digests when the files are written
	// (dgen init --pin), asking Mirrors instead of the registries they map.
	Pin     bool
	Mirrors map[string]string
	// CI, when set, adds the CI workflow to what is written.
	CI *CIOptions
}

// maxRounds bounds how often detection is re-run with new answers; each
// answer can open at most a few new choices (app → lockfile).
const maxRounds = 8

// Resolve detects the repository in fsys, settles every open choice (from
// opts.Answers, by asking, or by a safe default) and returns the Plan.
func Resolve(ctx context.Context, fsys fs.FS, opts Options) (*Plan, error) {
	answers := facts.Answers{}
	for k, v := range opts.Answers {
		if v != "" {
			answers[k] = v
		}
	}
	var decisions []string
	var det *facts.Detection
	for round := 0; ; round++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d, err := detectors.Detect(fsys, answers)
		if err != nil {
			return nil, BadInput(err)
		}
		det = d
		open := unanswered(det.Choices, answers)
		if len(open) == 0 || round >= maxRounds {
			break
		}
		c := open[0]
		v, line, err := settle(c, opts.Prompter)
		if errors.Is(err, ErrNeedAnswer) {
			return nil, &NeedAnswerError{Plan: partialPlan(det, open, decisions), err: err}
		}
		if err != nil {
			return nil, err
		}
		if line != "" {
			decisions = append(decisions, line)
			logf(opts.Log, "%s", line)
		}
		answers[c.Key] = v
	}
	det.Services = backing.Detect(fsys, det)
	if want := answers["packageManager"]; want != "" && det.PackageManager != want {
		return nil, badInputf("--package-manager %s: this %s repository uses %s, and dgen cannot build it with %s; drop the flag (or the packageManager key in dgen.yaml)",
			want, det.Language, det.PackageManager, want)
	}
	if opts.Prompter != nil {
		// plan may run twice (after a start command is asked for): the
		// user is never asked the same question again.
		opts.Prompter = &onceAsked{Prompter: opts.Prompter, inputs: map[string]string{}, confirms: map[string]bool{}}
	}
	start := det.Start
	if len(opts.Start) > 0 {
		start = opts.Start
	}
	addStartFiles(fsys, det, start)
	p, err := plan(det, opts)
	var noStart noStartError
	if errors.As(err, &noStart) {
		p, err = askStart(det, opts, noStart, decisions)
	}
	var open *NeedAnswerError
	if errors.As(err, &open) {
		return nil, err
	}
	if errors.Is(err, ErrNeedAnswer) {
		return nil, &NeedAnswerError{Plan: partialPlan(det, unanswered(det.Choices, answers), decisions), err: err}
	}
	if err != nil {
		return nil, err
	}
	planRequiredEnv(fsys, det, p)
	p.Decisions = append(decisions, p.Decisions...)
	if len(answers) > 0 {
		p.Answers = answers
	}
	return p, nil
}

// askStart settles a start command detection could not find: asked on a
// terminal (checked where it is typed), else reported as the open question
// "start" with the plan found so far.
func askStart(det *facts.Detection, opts Options, why noStartError, decisions []string) (*Plan, error) {
	if opts.Prompter == nil {
		p := partialPlan(det, nil, decisions)
		p.Questions = append(p.Questions, OpenQuestion{Name: "start", Prompt: "What command starts the app?",
			Candidates: []facts.Option{}, Reason: why.msg, Flag: "--start"})
		return nil, &NeedAnswerError{Plan: p, err: fmt.Errorf("%w: %w", ErrNeedAnswer, why)}
	}
	ans, err := opts.Prompter.Input(Question{Key: "start", Message: "No start command was found. What command starts the app?", Help: why.msg,
		Validate: func(s string) error { _, err := shellwords.Split(s); return err }}, "")
	if err != nil {
		return nil, err
	}
	opts.Start, _ = shellwords.Split(ans)
	return plan(det, opts)
}

// detectedPlan starts a Plan from what detection found, with its evidence.
func detectedPlan(det *facts.Detection) *Plan {
	p := &Plan{
		Language:              det.Language,
		PackageManager:        det.PackageManager,
		PackageManagerVersion: det.PackageManagerVersion,
		LanguageVersion:       det.LanguageVersion,
		Start:                 det.Start,
		Build:                 det.Build,
		Evidence:              map[string]facts.Evidence{},
		Notes:                 det.Notes,
		Problems:              det.Problems,
	}
	for k, v := range det.Evidence {
		p.Evidence[k] = v
	}
	if det.Framework != "" {
		fw := det.Framework
		p.Framework = &fw
	}
	if det.Go != nil {
		p.minVersion, p.minVersionFrom = det.Go.MinVersion, det.Go.MinVersionFrom
	}
	return p
}

// partialPlan is what a run that stops on an open decision still knows:
// the detected values with their evidence, and the open questions. No
// image, user or command is decided from it, since each may hang on the
// answer.
func partialPlan(det *facts.Detection, open []facts.Choice, decisions []string) *Plan {
	p := detectedPlan(det)
	p.Decisions = decisions
	if det.Port != 0 {
		port := det.Port
		p.Port = &port
	}
	for _, c := range open {
		p.Questions = append(p.Questions, OpenQuestion{Name: c.Key, Prompt: c.Question, Candidates: c.Options,
			Default: c.Default, Reason: c.Reason, Flag: c.Flag})
	}
	return p
}

func unanswered(cs []facts.Choice, a facts.Answers) []facts.Choice {
	var open []facts.Choice
	for _, c := range cs {
		if _, ok := a[c.Key]; !ok {
			open = append(open, c)
		}
	}
	return open
}

// settle answers one choice: by asking when a prompter is there, else by
// its safe default (returning the line to print), else with ErrNeedAnswer.
func settle(c facts.Choice, pr Prompter) (value, line string, err error) {
	if pr != nil {
		var labels []string
		def := ""
		help := c.Reason
		for _, o := range c.Options {
			l := o.Value
			if o.Label != "" && o.Label != o.Value {
				l = o.Value + " — " + o.Label
			}
			labels = append(labels, l)
			if o.Value == c.Default {
				def = l
			}
			if o.Evidence != nil {
				help += "\n" + o.Value + ": " + o.Evidence.String()
			}
		}
		ans, err := pr.Select(Question{Key: c.Key, Message: c.Question, Help: strings.TrimSpace(help)}, labels, def)
		if err != nil {
			return "", "", err
		}
		for i, l := range labels {
			if l == ans {
				return c.Options[i].Value, "", nil
			}
		}
		return "", "", fmt.Errorf("%s: answer %q is not one of the options", c.Key, ans)
	}
	var vals []string
	for _, o := range c.Options {
		vals = append(vals, o.Value)
	}
	if c.Safe && c.Default != "" {
		why := ""
		if c.Reason != "" {
			why = " (" + c.Reason + ")"
		}
		return c.Default, fmt.Sprintf("dgen: %s: chose %s%s of %s; pass %s to change it",
			c.Key, c.Default, why, strings.Join(vals, ", "), c.Flag), nil
	}
	return "", "", fmt.Errorf("%w: %s (%s): the candidates are %s and none is a safe default; pass %s <one of them> (or run dgen in a terminal to choose)",
		ErrNeedAnswer, c.Key, strings.TrimSuffix(c.Question, "?"), strings.Join(vals, ", "), c.Flag)
}

func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", args...)
	}
}

// planners build the language-specific part of a Plan. Each sets Template,
// Images, User, Healthcheck, Build, Start and its own sub-plan, and may add
// to Dockerignore.
var planners = map[string]func(det *facts.Detection, p *Plan) error{
	facts.LangGo:     planGo,
	facts.LangPython: planPython,
	facts.LangNode:   planNode,
}

// plan applies the user's overrides to det and builds the Plan.
func plan(det *facts.Detection, opts Options) (*Plan, error) {
	p := detectedPlan(det)
	if opts.LanguageVersion != "" {
		v, err := p.checkLanguageVersion(opts.LanguageVersion)
		if err != nil {
			return nil, badInputf("--language-version %v", err)
		}
		p.LanguageVersion = v
		p.Evidence["languageVersion"] = facts.Evidence{Detail: "--language-version " + opts.LanguageVersion}
	}
	if p.LanguageVersion == "" {
		p.LanguageVersion = defaultVersion(det.Language)
		p.Evidence["languageVersion"] = facts.Evidence{Detail: "default (the repository names no version)"}
		p.Decisions = append(p.Decisions, fmt.Sprintf("dgen: languageVersion: the repository names no %s version; using %s (pass --language-version to change it)", det.Language, p.LanguageVersion))
		logf(opts.Log, "%s", p.Decisions[len(p.Decisions)-1])
	}
	switch {
	case opts.NoPort:
		p.Port = nil
		p.Evidence["port"] = facts.Evidence{Detail: "--port none"}
	case opts.Port != 0:
		if opts.Port < 1 || opts.Port > 65535 {
			return nil, badInputf("--port %d: a port is a number from 1 to 65535 (or none for a worker)", opts.Port)
		}
		port := opts.Port
		p.Port = &port
		p.Evidence["port"] = facts.Evidence{Detail: "--port " + strconv.Itoa(port)}
	case det.Port != 0:
		port := det.Port
		p.Port = &port
	case det.Worker:
		p.Port = nil
		if opts.Prompter != nil {
			ev := ""
			if e, ok := det.Evidence["port"]; ok {
				ev = e.String()
			}
			expose, err := opts.Prompter.Confirm(Question{Key: "worker", Message: "No HTTP server found: this looks like a worker. Expose a port anyway?",
				Help: strings.TrimSpace("A worker gets no EXPOSE and no HTTP health check. " + ev)}, false)
			if err != nil {
				return nil, err
			}
			if expose {
				ans, err := opts.Prompter.Input(Question{Key: "port", Message: "Port the app listens on",
					Validate: func(s string) error { _, err := ParsePort(s); return err }}, strconv.Itoa(defaultPort(det)))
				if err != nil {
					return nil, err
				}
				port, err := ParsePort(ans)
				if err != nil {
					return nil, err
				}
				p.Port = &port
				p.Evidence["port"] = facts.Evidence{Detail: "answered at the prompt"}
			}
		}
	default:
		port := defaultPort(det)
		if opts.Prompter != nil {
			ans, err := opts.Prompter.Input(Question{Key: "port", Message: "Port the app listens on (\"none\" for a worker)", Validate: ValidPortAnswer,
				Help: "No port was found in the code or configuration."}, strconv.Itoa(port))
			if err != nil {
				return nil, err
			}
			if strings.EqualFold(strings.TrimSpace(ans), "none") {
				port = 0
			} else if port, err = ParsePort(ans); err != nil {
				return nil, err
			}
		} else {
			line := fmt.Sprintf("dgen: port: none found in the code; using %d, the usual port for %s (pass --port to change it, --port none for a worker)", port, frameworkOr(det))
			p.Decisions = append(p.Decisions, line)
			logf(opts.Log, "%s", line)
		}
		if port != 0 {
			p.Port = &port
			p.Evidence["port"] = facts.Evidence{Detail: "default " + strconv.Itoa(port)}
		}
	}
	if len(opts.Start) > 0 {
		p.Start = opts.Start
		p.Evidence["start"] = facts.Evidence{Detail: "--start"}
	}
	if opts.HealthPath != "" {
		if !strings.HasPrefix(opts.HealthPath, "/") {
			return nil, badInputf("--health-path %q: a path starts with /", opts.HealthPath)
		}
		det.HealthPath = opts.HealthPath
	}
	fn, ok := planners[det.Language]
	if !ok {
		return nil, fmt.Errorf("no planner for language %q", det.Language)
	}
	if err := fn(det, p); err != nil {
		return nil, err
	}
	planRuntimeState(det, p)
	p.Dockerignore = Dockerignore(p)
	p.Compose = planCompose(det, p, opts.Compose)
	p.composeMode = opts.Compose
	if err := planPipeline(p, opts); err != nil {
		return nil, err
	}
	if p.Port == nil && p.Healthcheck == nil {
		line := "dgen: healthcheck: no port, so no HTTP health check is written; the container's own exit status tells a crashed worker (add a HEALTHCHECK that fits the worker, e.g. a heartbeat file)"
		p.Decisions = append(p.Decisions, line)
		logf(opts.Log, "%s", line)
	}
	return p, nil
}

// planPipeline adds what --pin and --ci ask for.
func planPipeline(p *Plan, opts Options) error {
	if opts.Pin {
		p.Pin = &PinPlan{Images: planImages(p), Mirrors: opts.Mirrors}
	}
	if opts.CI != nil {
		ci, err := planCI(p, *opts.CI)
		if err != nil {
			return err
		}
		p.CI = ci
	}
	return nil
}

// ValidPortAnswer checks an answer to a port question: a port, or "none"
// for a worker. Prompts use it to ask again instead of failing.
func ValidPortAnswer(s string) error {
	if strings.EqualFold(strings.TrimSpace(s), "none") {
		return nil
	}
	_, err := ParsePort(s)
	return err
}

// ValidVersionAnswer returns a check for an answer to the language version
// question of lang.
func ValidVersionAnswer(lang string) func(string) error {
	return func(s string) error {
		_, err := checkVersion(lang, s)
		return err
	}
}

// CheckLanguageVersion checks an answer to the language version question
// for this plan: well formed, and not below the minimum the repository
// sets (Go's go line).
func (p *Plan) CheckLanguageVersion(s string) error {
	_, err := p.checkLanguageVersion(s)
	return err
}

func (p *Plan) checkLanguageVersion(s string) (string, error) {
	v, err := checkVersion(p.Language, s)
	if err != nil || p.minVersion == "" || !versionLess(v, p.minVersion) {
		return v, err
	}
	return "", badInputf("%q is older than Go %s, which %s requires (%s); the official images build with their own toolchain only (GOTOOLCHAIN=local), so the build would stop: use %s or newer", s, p.minVersion, p.minVersionFrom.File, p.minVersionFrom.Detail, p.minVersion)
}

// versionLess compares dotted numeric versions ("1.9" < "1.22").
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// ParsePort parses a port flag or answer.
func ParsePort(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 65535 {
		return 0, badInputf("port %q: a port is a number from 1 to 65535 (or none for a worker)", s)
	}
	return n, nil
}

func frameworkOr(det *facts.Detection) string {
	if det.Framework != "" {
		return det.Framework
	}
	return det.Language + " web apps"
}

// defaultPort is the conventional port when the code names none.
func defaultPort(det *facts.Detection) int {
	return catalog.DefaultPort(det.Framework, det.Language)
}

func defaultVersion(lang string) string {
	switch lang {
	case facts.LangGo:
		return catalog.GoDefault
	case facts.LangPython:
		return catalog.PythonDefault
	case facts.LangNode:
		return catalog.NodeDefault
	}
	return ""
}

// checkVersion validates a --language-version value for lang.
func checkVersion(lang, v string) (string, error) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	parts := strings.Split(v, ".")
	ok := true
	for _, s := range parts {
		if _, err := strconv.Atoi(s); err != nil {
			ok = false
		}
	}
	switch {
	case !ok:
	case lang == facts.LangNode && len(parts) >= 1:
		return parts[0], nil
	case len(parts) >= 2:
		return parts[0] + "." + parts[1], nil
	}
	want := "major.minor, e.g. 1.24 or 3.12"
	if lang == facts.LangNode {
		want = "a major, e.g. 22"
	}
	return "", badInputf("%q: expected %s", v, want)
}

// IsCancelled reports whether err means the user cancelled.
func IsCancelled(err error) bool { return errors.Is(err, ErrCancelled) }
