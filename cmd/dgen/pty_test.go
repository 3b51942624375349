//go:build linux || darwin

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	expect "github.com/Netflix/go-expect"
	pseudotty "github.com/creack/pty"
	"github.com/hinshun/vt10x"
)

// buildDgen returns the dgen binary, built once for all the tests that
// run it.
func buildDgen(t *testing.T) string {
	t.Helper()
	bin, err := builtDgen()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// console starts dgen on a pseudo-terminal emulated by vt10x, the way
// survey tests itself, and returns the console and the running command.
func console(t *testing.T, bin string, args ...string) (*expect.Console, *exec.Cmd) {
	t.Helper()
	ptm, pts, err := pseudotty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	term := vt10x.New(vt10x.WithWriter(pts))
	c, err := expect.NewConsole(expect.WithStdin(ptm), expect.WithStdout(term), expect.WithCloser(ptm, pts),
		expect.WithDefaultTimeout(90*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	cmd := exec.Command(bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.Tty(), c.Tty(), c.Tty()
	cmd.Env = []string{"TERM=xterm-256color", "HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	// The pseudo-terminal is dgen's controlling terminal, as a user's is:
	// Ctrl-C typed before a prompt switches to raw mode becomes SIGINT.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return c, cmd
}

func expectString(t *testing.T, c *expect.Console, s string) {
	t.Helper()
	if out, err := c.ExpectString(s); err != nil {
		t.Fatalf("waiting for %q: %v\nscreen so far:\n%s", s, err, out)
	}
}

func exitStatus(t *testing.T, cmd *exec.Cmd, c *expect.Console) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	go func() { _, _ = c.ExpectEOF() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(90 * time.Second):
		t.Fatal("dgen did not exit")
	}
	return -1
}

// TestTerminalConversation answers a whole `dgen init` conversation in a
// real pseudo-terminal by pressing Enter at every question.
func TestTerminalConversation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildDgen(t)
	dir := writeRepo(t, twoServers)
	c, cmd := console(t, bin, "init", "--dir", dir)
	expectString(t, c, "cmd/admin")      // the choice of binary, with candidates
	c.SendLine("")                       // Enter: take the default
	expectString(t, c, "dgen detected:") // the summary screen
	expectString(t, c, "with these settings?")
	c.SendLine("") // Enter: yes
	expectString(t, c, "Next steps:")
	if code := exitStatus(t, cmd, c); code != 0 {
		t.Fatalf("exit %d", code)
	}
	df, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(df), "./cmd/") {
		t.Errorf("Dockerfile does not build a cmd/ package:\n%s", df)
	}
}

// TestTerminalCtrlC cancels at the first question: exit 130, nothing written.
func TestTerminalCtrlC(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildDgen(t)
	dir := writeRepo(t, twoServers)
	c, cmd := console(t, bin, "init", "--dir", dir)
	expectString(t, c, "cmd/admin")
	c.Send("\x03")
	if code := exitStatus(t, cmd, c); code != exitCancelled {
		t.Errorf("exit %d, want %d", code, exitCancelled)
	}
	for _, name := range []string{"Dockerfile", ".dockerignore"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s written after Ctrl-C", name)
		}
	}
}

// TestTerminalChangeAnswers changes two answers in a real pseudo-terminal,
// sees the summary again, saves dgen.yaml and re-runs with --yes: the
// files are byte-identical.
func TestTerminalChangeAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildDgen(t)
	dir := writeRepo(t, goService)
	c, cmd := console(t, bin, "init", "--dir", dir)
	expectString(t, c, "with these settings?")
	c.SendLine("n")
	expectString(t, c, "Port")
	c.SendLine("9191")
	expectString(t, c, "go version")
	c.SendLine("1.26")
	expectString(t, c, "Start command")
	c.SendLine("") // keep the start command
	expectString(t, c, "Also write compose.yaml")
	c.SendLine("") // Enter: as detected (no)
	expectString(t, c, "with your answers:")
	expectString(t, c, "9191")
	expectString(t, c, "with these settings?")
	c.SendLine("") // Enter: yes
	expectString(t, c, "Save these answers to dgen.yaml?")
	c.SendLine("") // Enter: yes
	expectString(t, c, "Next steps:")
	if code := exitStatus(t, cmd, c); code != 0 {
		t.Fatalf("exit %d", code)
	}
	df := readFile(t, filepath.Join(dir, "Dockerfile"))
	ign := readFile(t, filepath.Join(dir, ".dockerignore"))
	if !strings.Contains(df, "EXPOSE 9191") || !strings.Contains(df, "golang:1.26") {
		t.Fatalf("answers not in the Dockerfile:\n%s", df)
	}
	for _, name := range []string{"Dockerfile", ".dockerignore"} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(bin, "init", "--yes", "--dir", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("re-run: %v\n%s", err, out)
	}
	if readFile(t, filepath.Join(dir, "Dockerfile")) != df || readFile(t, filepath.Join(dir, ".dockerignore")) != ign {
		t.Error("the re-run with dgen.yaml wrote different files")
	}
}
