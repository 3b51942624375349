package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
	"go.yaml.in/yaml/v3"
)

// ConfigFile is the name of the configuration file dgen reads from the
// target folder.
const ConfigFile = "dgen.yaml"

// Config is the schema of dgen.yaml: the answers and overrides a team keeps
// with the repository. Flags beat it; it beats detection. Every field is
// optional. docs/configuration.md documents it.
type Config struct {
	// Language forces the ecosystem: go, python or node.
	Language string `yaml:"language,omitempty"`
	// LanguageVersion overrides the detected version ("1.24", "3.12", "22").
	LanguageVersion string `yaml:"languageVersion,omitempty"`
	// Main is the Go package to build (./cmd/api), the Python module or the
	// Node entry file to run when several are found.
	Main string `yaml:"main,omitempty"`
	// PackageManager picks one when several lockfiles are present.
	PackageManager string `yaml:"packageManager,omitempty"`
	// App is the workspace app to build in a monorepo (apps/web).
	App string `yaml:"app,omitempty"`
	// Port is the port the app listens on, or "none" for a worker.
	Port string `yaml:"port,omitempty"`
	// Start is the command the container runs, as an argv list.
	Start []string `yaml:"start,omitempty"`
	// HealthPath is the HTTP path the health check requests.
	HealthPath string `yaml:"healthPath,omitempty"`
	// Templates is a folder of templates overriding the embedded ones,
	// relative to the repository.
	Templates string `yaml:"templates,omitempty"`
	// Compose says whether compose.yaml is written: true always, false
	// never; unset writes it when backing services or workers are found.
	Compose *bool `yaml:"compose,omitempty"`
	// Pin resolves every FROM tag to its digest on dgen init, as --pin.
	Pin bool `yaml:"pin,omitempty"`
	// RegistryMirrors are --registry-mirror values: "host[:port]" for
	// Docker Hub, "registry=host[:port]" for another registry.
	RegistryMirrors []string `yaml:"registryMirrors,omitempty"`
	// CI is the CI workflow dgen init writes too, as --ci.
	CI *CIConfig `yaml:"ci,omitempty"`
}

// CIConfig is the ci key of dgen.yaml (docs/ci.md).
type CIConfig struct {
	// Provider is "github".
	Provider string `yaml:"provider"`
	// Image is the repository pushed to, as --image.
	Image string `yaml:"image,omitempty"`
	// Branch is the default branch, as --branch.
	Branch string `yaml:"branch,omitempty"`
}

// LoadConfig reads dgen.yaml from fsys. It returns nil and no error when
// the file does not exist. Unknown keys are errors, so a typo is caught.
func LoadConfig(fsys fs.FS) (*Config, error) {
	data, err := repo.ReadFile(fsys, ConfigFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, badInputf("read %s: %v", ConfigFile, err)
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		msg := strings.ReplaceAll(err.Error(), " in type generator.Config", "")
		return nil, badInputf("read %s: %s (known keys: language, languageVersion, main, packageManager, app, port, start, healthPath, templates, compose, pin, registryMirrors, ci; see docs/configuration.md)", ConfigFile, msg)
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

func (c *Config) validate() error {
	switch c.Language {
	case "", facts.LangGo, facts.LangPython, facts.LangNode:
	default:
		return badInputf("%s: language %q: use go, python or node", ConfigFile, c.Language)
	}
	if c.Port != "" && !strings.EqualFold(c.Port, "none") {
		if _, err := ParsePort(c.Port); err != nil {
			return badInputf("%s: port %q: a number from 1 to 65535, or none for a worker", ConfigFile, c.Port)
		}
	}
	if c.HealthPath != "" && !strings.HasPrefix(c.HealthPath, "/") {
		return badInputf("%s: healthPath %q: a path starts with /", ConfigFile, c.HealthPath)
	}
	if _, err := ParseMirrors(c.RegistryMirrors); err != nil {
		return badInputf("%s: registryMirrors: %v", ConfigFile, err)
	}
	if c.CI != nil {
		if _, err := NewCIPlan(CIOptions(*c.CI), nil, ""); err != nil {
			return badInputf("%s: ci: %v", ConfigFile, err)
		}
	}
	return nil
}

// ParseMirrors reads --registry-mirror values into a registry → mirror
// map (nil when there are none).
func ParseMirrors(values []string) (map[string]string, error) {
	var out map[string]string
	for _, v := range values {
		reg, m, err := ParseMirror(v)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = map[string]string{}
		}
		out[reg] = m
	}
	return out, nil
}

// Apply copies the config's values into opts where opts has none, so that
// flags (already in opts) win.
func (c *Config) Apply(opts *Options) {
	if c == nil {
		return
	}
	if opts.Answers == nil {
		opts.Answers = facts.Answers{}
	}
	for k, v := range map[string]string{"language": c.Language, "main": c.Main, "packageManager": c.PackageManager, "app": c.App} {
		if v != "" && opts.Answers[k] == "" {
			opts.Answers[k] = v
		}
	}
	if opts.LanguageVersion == "" {
		opts.LanguageVersion = c.LanguageVersion
	}
	if opts.Port == 0 && !opts.NoPort && c.Port != "" {
		if strings.EqualFold(c.Port, "none") {
			opts.NoPort = true
		} else {
			opts.Port, _ = strconv.Atoi(c.Port)
		}
	}
	if len(opts.Start) == 0 {
		opts.Start = c.Start
	}
	if opts.HealthPath == "" {
		opts.HealthPath = c.HealthPath
	}
	opts.Pin = opts.Pin || c.Pin
	if opts.Mirrors == nil {
		opts.Mirrors, _ = ParseMirrors(c.RegistryMirrors)
	}
	if opts.CI == nil && c.CI != nil {
		ci := CIOptions(*c.CI)
		opts.CI = &ci
	}
	if opts.Compose == ComposeAuto && c.Compose != nil {
		opts.Compose = ComposeNever
		if *c.Compose {
			opts.Compose = ComposeAlways
		}
	}
}

// ConfigFromPlan returns the config that reproduces p's decisions: every
// choice and override, so a re-run gives the same files byte for byte.
func ConfigFromPlan(p *Plan, templatesDir string) *Config {
	answers := p.Answers
	c := &Config{
		Language:        p.Language,
		LanguageVersion: p.LanguageVersion,
		Main:            answers["main"],
		PackageManager:  answers["packageManager"],
		App:             answers["app"],
		Start:           p.Start,
		Templates:       templatesDir,
	}
	if p.Port == nil {
		c.Port = "none"
	} else {
		c.Port = strconv.Itoa(*p.Port)
	}
	if p.Healthcheck != nil {
		c.HealthPath = p.Healthcheck.Path
	}
	if p.composeMode != ComposeAuto {
		on := p.composeMode == ComposeAlways
		c.Compose = &on
	}
	if p.Pin != nil {
		c.Pin = true
		for _, reg := range slices.Sorted(maps.Keys(p.Pin.Mirrors)) {
			c.RegistryMirrors = append(c.RegistryMirrors, reg+"="+p.Pin.Mirrors[reg])
		}
	}
	if p.CI != nil {
		c.CI = &CIConfig{Provider: p.CI.Provider, Branch: p.CI.Branch}
		if p.CI.Image != ghcrDefault {
			c.CI.Image = p.CI.Image
		}
	}
	return c
}

// Marshal renders c as YAML with a header comment.
func (c *Config) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# dgen configuration: answers and overrides for `dgen init`.\n# Flags beat this file; this file beats detection. Schema: docs/configuration.md\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
