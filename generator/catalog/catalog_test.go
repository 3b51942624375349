package catalog

import "testing"

func TestDefaultPort(t *testing.T) {
	for _, tt := range []struct {
		framework, language string
		want                int
	}{
		{"django", "python", 8000}, {"flask", "python", 5000}, {"streamlit", "python", 8501},
		{"", "python", 8000}, {"nextjs", "node", 3000}, {"astro", "node", 4321},
		{"express", "node", 3000}, {"gin", "go", 8080}, {"", "go", 8080}, {"", "", 8080},
	} {
		if got := DefaultPort(tt.framework, tt.language); got != tt.want {
			t.Errorf("DefaultPort(%q, %q) = %d, want %d", tt.framework, tt.language, got, tt.want)
		}
	}
	for name := range frameworkPorts {
		if p, ok := FrameworkPort(name); !ok || p < 1 || p > 65535 {
			t.Errorf("FrameworkPort(%q) = %d, %v", name, p, ok)
		}
	}
}

func TestImagesAndDebianNames(t *testing.T) {
	for got, want := range map[string]string{
		PythonImage("3.13", DebianCurrent):            "python:3.13-slim-trixie",
		PythonImage("3.8", DebianPrevious):            "python:3.8-slim-bookworm",
		nodeImageOn("24", DebianCurrent):              "node:24-trixie-slim",
		BunImage("1.4.5"):                             "oven/bun:1.4.5-slim",
		UVImage("0.12.15"):                            "ghcr.io/astral-sh/uv:0.12.15",
		NginxUnprivilegedImage():                      "nginxinc/nginx-unprivileged:" + NginxUnprivilegedTag,
		GoBuildImage("1.26"):                          "golang:1.26-trixie",
		DebianPackage("libmagic1t64", DebianPrevious): "libmagic1",
		DebianPackage("libmagic1t64", DebianCurrent):  "libmagic1t64",
		DebianPackage("libpq5", DebianPrevious):       "libpq5",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestPythonNativesAreCopies(t *testing.T) {
	a := PythonNatives()
	if len(a) == 0 || len(a[0].Build) == 0 {
		t.Fatal("empty table")
	}
	a[0].Build[0] = "changed"
	if PythonNatives()[0].Build[0] == "changed" {
		t.Error("a caller's change reached the catalog")
	}
	if n, ok := PythonNativeOf("psycopg[c]"); !ok || len(n.Runtime) == 0 || n.Runtime[0] != "libpq5" {
		t.Errorf("PythonNativeOf(psycopg[c]) = %+v, %v", n, ok)
	}
	if _, ok := PythonNativeOf("requests"); ok {
		t.Error("a pure-Python package has native needs")
	}
}
