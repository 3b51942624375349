package verify

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator"
)

func TestEnvExampleIsUsedNeverDotEnv(t *testing.T) {
	dir := repo(t, map[string]string{
		".env":         "SECRET=real-secret\n",
		".env.example": "# the app's settings\nexport DATABASE_URL=\"postgres://db/app\"\nSECRET=\nDEBUG=0 # off in production\nGREETING='hi # there'\n",
	})
	f := workerEngine()
	r := verifyWith(t, dir, workerPlan(), f, answers(0))
	if r.EnvFile != filepath.Join(dir, ".env.example") {
		t.Errorf("env file %q", r.EnvFile)
	}
	want := "DATABASE_URL=postgres://db/app\nSECRET=\nDEBUG=0\nGREETING=hi # there\n"
	if f.envSeen != want {
		t.Errorf("the container got\n%q\nwant\n%q", f.envSeen, want)
	}
	if strings.Contains(f.envSeen, "real-secret") {
		t.Error(".env was read")
	}
	if _, err := os.Stat(f.run.EnvFile); !os.IsNotExist(err) {
		t.Errorf("the normalized env file %s was left behind (%v)", f.run.EnvFile, err)
	}
}

func TestEnvSampleAndExplicit(t *testing.T) {
	dir := repo(t, map[string]string{".env.sample": "A=1\n", ".env": "B=2\n"})
	f := workerEngine()
	verifyWith(t, dir, workerPlan(), f, answers(0))
	if f.envSeen != "A=1\n" {
		t.Errorf(".env.sample: the container got %q", f.envSeen)
	}
	f = workerEngine()
	r := verifyWith(t, dir, workerPlan(), f, answers(0), func(o *Options) { o.EnvFile = filepath.Join(dir, ".env") })
	if f.envSeen != "B=2\n" || !strings.HasSuffix(r.EnvFile, ".env") {
		t.Errorf("--env-file .env: the container got %q from %s", f.envSeen, r.EnvFile)
	}
	f = workerEngine()
	r = verifyWith(t, repo(t, nil), workerPlan(), f, answers(0))
	if f.run.EnvFile != "" || r.EnvFile != "" {
		t.Errorf("no env file in the repository, yet %q / %q", f.run.EnvFile, r.EnvFile)
	}
}

func TestParseEnv(t *testing.T) {
	e, out, err := parseEnv([]byte("A=1\n\n# c\nexport B = \"x\\\"y\"\nC\n"))
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "A=1\nB=x\"y\nC=\n" || !slices.Equal(e.names, []string{"A", "B", "C"}) || !slices.Equal(e.empty, []string{"C"}) {
		t.Errorf("parseEnv: %q %+v", out, e)
	}
	if _, _, err := parseEnv([]byte("A=1\nnot a line=2\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a bad line: %v", err)
	}
}

func TestBadEnvFileStopsVerify(t *testing.T) {
	dir := repo(t, map[string]string{".env.example": "1BAD=x\n"})
	_, err := Verify(t.Context(), Options{Dir: dir, Plan: workerPlan(), Engine: workerEngine()})
	if err == nil || !strings.Contains(err.Error(), ".env.example") {
		t.Errorf("err = %v", err)
	}
}

// envPlan is a worker plan whose app requires A and C at start (B has a
// value in the image).
func envPlan() *generator.Plan {
	p := workerPlan()
	p.RequiredEnv = []generator.EnvVar{
		{Name: "A", Evidence: facts.Evidence{File: "app.py", Line: 3, Detail: `A = os.environ["A"]`}},
		{Name: "B", Value: "x"},
		{Name: "C", Secret: true, Evidence: facts.Evidence{File: "app.py", Line: 4}},
	}
	return p
}

func envCheck(t *testing.T, r *Report) *Check {
	t.Helper()
	for i := range r.Checks {
		if r.Checks[i].ID == "env" {
			return &r.Checks[i]
		}
	}
	t.Fatalf("no env check in %+v", r.Checks)
	return nil
}

func TestRequiredEnvNamedBeforeTheRun(t *testing.T) {
	// .env.example sets A and leaves C empty: C is named, A and B are not.
	dir := repo(t, map[string]string{".env.example": "A=1\nC=\n"})
	r := verifyWith(t, dir, envPlan(), workerEngine(), answers(0))
	c := envCheck(t, r)
	if c.Status != Fail || !strings.HasPrefix(c.Evidence, "the app stops at start without C (app.py:4): ") ||
		!strings.Contains(c.Hint, "set C in "+filepath.Join(dir, ".env.example")) {
		t.Errorf("env check %+v", c)
	}
	if r.Passed() {
		t.Error("a missing required variable passed")
	}

	// No environment at all: both are named, with --env-file as the way out.
	c = envCheck(t, verifyWith(t, repo(t, nil), envPlan(), workerEngine(), answers(0)))
	if c.Status != Fail || !strings.Contains(c.Evidence, `A (app.py:3: A = os.environ["A"]), C (app.py:4)`) || !strings.Contains(c.Hint, "pass --env-file with A, C") {
		t.Errorf("env check without a file %+v", c)
	}

	// Everything set: the check passes and says so.
	c = envCheck(t, verifyWith(t, repo(t, map[string]string{".env.sample": "A=1\nC=2\n"}), envPlan(), workerEngine(), answers(0)))
	if c.Status != Pass || !strings.Contains(c.Evidence, "A, C") {
		t.Errorf("env check with both set %+v", c)
	}

	// A plan that requires nothing has no env check.
	for _, ch := range verifyWith(t, repo(t, nil), workerPlan(), workerEngine(), answers(0)).Checks {
		if ch.ID == "env" {
			t.Errorf("env check without required variables: %+v", ch)
		}
	}
}
