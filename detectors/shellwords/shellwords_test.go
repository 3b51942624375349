package shellwords

import (
	"errors"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	got, err := Split(`node "dist/main file.js" --flag='a b' x\ y`)
	if err != nil || strings.Join(got, "|") != "node|dist/main file.js|--flag=a b|x y" {
		t.Errorf("Split = %q, %v", got, err)
	}
	for _, bad := range []string{"a; b", "a | b", "echo $HOME", "$(id)", "a && b", "", "x > f", "ls *.go",
		"A=1 b", "a &", "! a", "echo `id`", "echo \"$(id)\"", "a\nb", "'unclosed"} {
		if _, err := Split(bad); err == nil {
			t.Errorf("Split(%q) accepted", bad)
		}
	}
}

func TestParseAssignsAndParams(t *testing.T) {
	var seen []string
	opt := Options{Assigns: true, Bash: true, Param: func(name, def string) (string, error) {
		seen = append(seen, name+"="+def)
		if name != "PORT" {
			return "", errors.New("only $PORT")
		}
		return "<port>", nil
	}}
	c, err := Parse(`WEB_CONCURRENCY=2 gunicorn -b "0.0.0.0:${PORT:-8000}" app:app --x=$PORT`, opt)
	if err != nil {
		t.Fatal(err)
	}
	if c.Env["WEB_CONCURRENCY"] != "2" || strings.Join(c.Argv, "|") != "gunicorn|-b|0.0.0.0:<port>|app:app|--x=<port>" {
		t.Errorf("Parse = %+v", c)
	}
	if strings.Join(seen, ",") != "PORT=8000,PORT=" {
		t.Errorf("Param calls = %q", seen)
	}
	for _, bad := range []string{`run $HOME`, `run ${PORT:=1}`, `run ${#PORT}`, `A=$(id) run`, `A+=1 run`, `run ${PORT:-$(id)}`} {
		if _, err := Parse(bad, opt); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if _, err := Parse(`A=1 run`, Options{}); err == nil {
		t.Error("an assignment was accepted without Options.Assigns")
	}
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{`a\ b`: "a b", `plain`: "plain", `a\\b`: `a\b`, `end\`: `end\`} {
		if got := Unescape(in); got != want {
			t.Errorf("Unescape(%q) = %q, want %q", in, got, want)
		}
	}
}
