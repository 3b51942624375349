package generator

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadConfig(t *testing.T) {
	fsys := fstest.MapFS{"dgen.yaml": {Data: []byte("language: go\nport: 9090\nmain: ./cmd/api\nstart: [\"/app\", \"serve\"]\nhealthPath: /healthz\n")}}
	c, err := LoadConfig(fsys)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Port: 7070}
	c.Apply(&opts)
	if opts.Port != 7070 {
		t.Errorf("flag port lost: %d", opts.Port)
	}
	if opts.Answers["main"] != "./cmd/api" || opts.Answers["language"] != "go" {
		t.Errorf("answers = %v", opts.Answers)
	}
	if strings.Join(opts.Start, " ") != "/app serve" || opts.HealthPath != "/healthz" {
		t.Errorf("start/health = %v %q", opts.Start, opts.HealthPath)
	}
	opts = Options{}
	c.Apply(&opts)
	if opts.Port != 9090 {
		t.Errorf("config port not applied: %d", opts.Port)
	}
}

func TestLoadConfigAbsentAndNone(t *testing.T) {
	c, err := LoadConfig(fstest.MapFS{})
	if c != nil || err != nil {
		t.Fatalf("absent config = %v, %v", c, err)
	}
	c, err = LoadConfig(fstest.MapFS{"dgen.yaml": {Data: []byte("port: none\n")}})
	if err != nil {
		t.Fatal(err)
	}
	var opts Options
	c.Apply(&opts)
	if !opts.NoPort {
		t.Error("port: none did not mark a worker")
	}
}

func TestLoadConfigErrors(t *testing.T) {
	for name, body := range map[string]string{
		"unknown key":  "prot: 80\n",
		"bad port":     "port: 70000\n",
		"bad language": "language: rust\n",
		"bad yaml":     "port: [\n",
		"bad health":   "healthPath: healthz\n",
	} {
		_, err := LoadConfig(fstest.MapFS{"dgen.yaml": {Data: []byte(body)}})
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if !strings.Contains(err.Error(), "dgen.yaml") {
			t.Errorf("%s: error %q does not name dgen.yaml", name, err)
		}
		if !IsBadInput(err) {
			t.Errorf("%s: error is not ErrBadInput", name)
		}
	}
}

func TestConfigRoundTrip(t *testing.T) {
	port := 8080
	p := &Plan{Language: "go", LanguageVersion: "1.24", Port: &port, Start: []string{"/app"},
		Answers: map[string]string{"main": "./cmd/api"}, Healthcheck: &Healthcheck{Path: "/healthz"}}
	data, err := ConfigFromPlan(p, "").Marshal()
	if err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig(fstest.MapFS{"dgen.yaml": {Data: data}})
	if err != nil {
		t.Fatalf("saved config does not load: %v\n%s", err, data)
	}
	if c.Main != "./cmd/api" || c.Port != "8080" || c.LanguageVersion != "1.24" || c.HealthPath != "/healthz" {
		t.Errorf("round trip lost values: %+v\n%s", c, data)
	}
}
