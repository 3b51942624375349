package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommitWritesNewFilesAtomically(t *testing.T) {
	dir := t.TempDir()
	changes, err := Changes(dir, []File{{"Dockerfile", []byte("FROM a\n")}, {".dockerignore", []byte(".git\n")}})
	if err != nil {
		t.Fatal(err)
	}
	written, err := Commit(dir, changes)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(written, ",") != "Dockerfile,.dockerignore" {
		t.Fatalf("written = %v", written)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if string(got) != "FROM a\n" {
		t.Fatalf("Dockerfile = %q", got)
	}
	st, _ := os.Stat(filepath.Join(dir, "Dockerfile"))
	if st.Mode().Perm() != 0o644 {
		t.Errorf("new file mode = %v, want 0644", st.Mode().Perm())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("temporary files left behind: %v", ents)
	}
}

func TestCommitKeepsModeAndSkipsUnchanged(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(df, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("same\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changes, err := Changes(dir, []File{{"Dockerfile", []byte("new\n")}, {".dockerignore", []byte("same\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if !changes[0].Conflict() || changes[0].Unchanged() || !changes[1].Unchanged() {
		t.Fatalf("conflict/unchanged wrong: %+v", changes)
	}
	written, err := Commit(dir, changes)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 1 || written[0] != "Dockerfile" {
		t.Fatalf("written = %v, want only Dockerfile", written)
	}
	st, _ := os.Stat(df)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want the old 0600 kept", st.Mode().Perm())
	}
}

// A failure while staging any file leaves every file as it was.
func TestCommitAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(df, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changes := []Change{
		{Name: "Dockerfile", Old: []byte("mine\n"), Exists: true, Mode: 0o644, New: []byte("theirs\n")},
		// Under a file, not a folder: Commit creates missing folders, but
		// cannot write here.
		{Name: "Dockerfile/.dockerignore", Mode: 0o644, New: []byte(".git\n")},
	}
	if _, err := Commit(dir, changes); err == nil {
		t.Fatal("Commit succeeded; want an error for the unwritable second file")
	}
	got, _ := os.ReadFile(df)
	if string(got) != "mine\n" {
		t.Errorf("Dockerfile = %q after a failed run, want it untouched", got)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("files left behind: %v", ents)
	}
}

func TestChangesRefusesFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "Dockerfile"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Changes(dir, []File{{"Dockerfile", []byte("x")}})
	if err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Fatalf("err = %v, want one naming the folder", err)
	}
}

func TestDiff(t *testing.T) {
	c := Change{Name: "Dockerfile", Old: []byte("FROM a\nRUN x\n"), Exists: true, New: []byte("FROM a\nRUN y\n")}
	d := c.Diff()
	for _, want := range []string{"--- a/Dockerfile", "+++ b/Dockerfile", "-RUN x", "+RUN y"} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
	if (Change{Name: "x", Old: []byte("a"), Exists: true, New: []byte("a")}).Diff() != "" {
		t.Error("diff of identical content is not empty")
	}
}

func TestMergeIgnore(t *testing.T) {
	user := "# mine\nsecret-data/\n.git\n"
	gen := "# dgen\n.git\n**/.env\n\nnode_modules\n"
	got := string(MergeIgnore([]byte(user), []byte(gen)))
	if !strings.HasPrefix(got, user) {
		t.Errorf("user lines not kept in place:\n%s", got)
	}
	for _, want := range []string{"**/.env", "node_modules"} {
		if !strings.Contains(got, want+"\n") {
			t.Errorf("merged file lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, ".git\n") != 1 {
		t.Errorf(".git duplicated:\n%s", got)
	}
	if again := string(MergeIgnore([]byte(got), []byte(gen))); again != got {
		t.Errorf("merge is not idempotent:\n%s", again)
	}
}
