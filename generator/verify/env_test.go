package verify

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
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
