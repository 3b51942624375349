package harness

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestNeedsPyPI(t *testing.T) {
	pipDockerfile := "FROM python:3.13-slim-trixie AS build\nCOPY requirements.txt ./\nRUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install --no-cache-dir -r requirements.txt\n"
	tests := []struct {
		name       string
		files      fstest.MapFS
		dockerfile string
		pm         string
		want       string // "" or a substring of the reason
	}{
		{"uv always", fstest.MapFS{}, "FROM python\nRUN uv sync\n", "uv", "uv installs from PyPI"},
		{"poetry always", fstest.MapFS{}, "FROM python\nRUN poetry install\n", "poetry", "poetry installs from PyPI"},
		{"comments only", fstest.MapFS{"requirements.txt": {Data: []byte("# nothing third-party\n\n")}}, pipDockerfile, "pip", ""},
		{"a requirement", fstest.MapFS{"requirements.txt": {Data: []byte("# web\nflask==3.0.3  # the app\n")}}, pipDockerfile, "pip", "requirements.txt:2 asks for flask==3.0.3"},
		{"options install nothing", fstest.MapFS{"requirements.txt": {Data: []byte("--index-url https://example.invalid/simple\n")}}, pipDockerfile, "pip", ""},
		{"include followed", fstest.MapFS{
			"requirements.txt":      {Data: []byte("-r requirements/base.txt\n")},
			"requirements/base.txt": {Data: []byte("django>=5\n")},
		}, pipDockerfile, "pip", "requirements/base.txt:1 asks for django>=5"},
		{"copied elsewhere", fstest.MapFS{"requirements.txt": {Data: []byte("gunicorn\n")}},
			"FROM python\nCOPY requirements.txt /tmp/\nRUN pip install --target /deps -r /tmp/requirements.txt\n", "pip", "requirements.txt:1 asks for gunicorn"},
		{"install the project", fstest.MapFS{"pyproject.toml": {Data: []byte("[project]\nname='a'\n")}},
			"FROM python\nRUN pip install --no-cache-dir .\n", "pip", "line 2: pip install . needs PyPI"},
		{"editable", fstest.MapFS{}, "FROM python\nRUN pip install -e .\n", "pip", "installs a project"},
		{"a package by name", fstest.MapFS{}, "FROM python\nRUN python -m pip install --upgrade pip && echo done\n", "pip", "pip install pip needs PyPI"},
		{"no pip at all", fstest.MapFS{"app.py": {Data: []byte("print(1)\n")}}, "FROM python\nCOPY . .\nRUN python -m compileall .\n", "pip", ""},
		{"value flags skipped", fstest.MapFS{"requirements.txt": {Data: []byte("")}},
			"FROM python\nRUN pip install --prefix /install --root-user-action ignore -r requirements.txt\n", "pip", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NeedsPyPI(tt.files, ParseDockerfile([]byte(tt.dockerfile)), tt.pm)
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("NeedsPyPI = %q, want %q", got, tt.want)
			}
		})
	}
}
