package catalog

import "slices"

// PythonNative is what one Python distribution needs from Debian 13
// (trixie) when no wheel carries it: Build packages to compile it (build
// stage only), Runtime packages to load or run it. Names are trixie's;
// DebianPackage gives another release's.
type PythonNative struct {
	// Package is the distribution's normalized name; "psycopg[c]" and
	// "psycopg" are psycopg 3 with its C extra and without any extra.
	Package string
	Build   []string
	Runtime []string
	// Why is told to the user.
	Why string
}

// pythonNatives are the common distributions that still reach for the
// system (checked 2026-11-27); most others ship wheels. gcc comes with
// libc6-dev: apt's --no-install-recommends leaves out the C library
// headers gcc only recommends, and nothing compiles without them.
var pythonNatives = []PythonNative{
	{"psycopg2", []string{"gcc", "libc6-dev", "libpq-dev"}, []string{"libpq5"}, "compiles against libpq (psycopg2-binary would bundle it)"},
	{"mysqlclient", []string{"gcc", "libc6-dev", "pkg-config", "default-libmysqlclient-dev"}, []string{"libmariadb3"}, "compiles against the MariaDB client library"},
	{"pycairo", []string{"gcc", "libc6-dev", "pkg-config", "libcairo2-dev"}, []string{"libcairo2"}, "compiles against cairo"},
	{"pdf2image", nil, []string{"poppler-utils"}, "runs poppler's pdftoppm"},
	{"pydub", nil, []string{"ffmpeg"}, "runs ffmpeg"},
	{"opencv-python", nil, []string{"libgl1", "libglib2.0-0t64"}, "loads libGL and GLib (opencv-python-headless would not)"},
	{"opencv-contrib-python", nil, []string{"libgl1", "libglib2.0-0t64"}, "loads libGL and GLib (the -headless build would not)"},
	{"python-magic", nil, []string{"libmagic1t64"}, "loads libmagic"},
	{"psycopg[c]", []string{"gcc", "libc6-dev", "libpq-dev"}, []string{"libpq5"}, "compiles against libpq"},
	{"psycopg", nil, []string{"libpq5"}, "without the [binary] extra loads the system libpq"},
	// uWSGI publishes no wheels (pyuwsgi does): pip compiles it from the
	// sdist with gcc (uwsgi-docs Install.html, checked 2026-12-05).
	{"uwsgi", []string{"gcc", "libc6-dev"}, nil, "has no wheels: pip compiles it from source (pyuwsgi ships wheels)"},
}

// PythonNatives lists the distributions with native needs, in a stable
// order. The caller gets a copy.
func PythonNatives() []PythonNative {
	out := slices.Clone(pythonNatives)
	for i := range out {
		out[i].Build, out[i].Runtime = slices.Clone(out[i].Build), slices.Clone(out[i].Runtime)
	}
	return out
}

// PythonNativeOf returns the native needs of one distribution.
func PythonNativeOf(pkg string) (PythonNative, bool) {
	for _, n := range PythonNatives() {
		if n.Package == pkg {
			return n, true
		}
	}
	return PythonNative{}, false
}

// PythonSourceBuildPackages are what compiling a C or C++ extension from
// an sdist needs in the build stage when no wheel fits: the compilers and
// the C library headers (gcc only recommends libc6-dev, and the install
// skips recommends). Python.h is in the python images already.
func PythonSourceBuildPackages() []string { return []string{"g++", "gcc", "libc6-dev"} }
