package python

import (
	"testing"
)

func TestPyWheelFits(t *testing.T) {
	tests := []struct {
		file   string
		usable bool
		lo, hi int // the minors it fits, inclusive; ignored when !usable
	}{
		{"numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", true, 12, 12},
		{"https://files.pythonhosted.org/packages/ab/cd/numpy-1.26.4-cp39-cp39-manylinux_2_17_aarch64.manylinux2014_aarch64.whl#sha256=00", true, 9, 9},
		{"cryptography-44.0.0-cp39-abi3-manylinux_2_28_x86_64.whl", true, 9, pyMaxMinor},
		{"idna-3.11-py3-none-any.whl", true, 0, pyMaxMinor},
		{"six-1.17.0-py2.py3-none-any.whl", true, 0, pyMaxMinor},
		{"ruff-0.14.2-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", true, 0, pyMaxMinor},
		{"tomli-2.0-py311-none-any.whl", true, 11, pyMaxMinor},
		{"old-1.0-cp37-cp37m-manylinux1_x86_64.whl", true, 7, 7},
		{"weird-1.0-cp312-none-linux_x86_64.whl", true, 12, 12},
		{"build-1.0-1-cp311-cp311-manylinux_2_17_x86_64.whl", true, 11, 11},
		{"numpy-2.3.4-cp313-cp313t-manylinux_2_28_x86_64.whl", false, 0, 0},
		{"numpy-2.3.4-cp312-cp312-musllinux_1_2_x86_64.whl", false, 0, 0},
		{"numpy-2.3.4-cp312-cp312-win_amd64.whl", false, 0, 0},
		{"numpy-2.3.4-cp312-cp312-macosx_14_0_arm64.whl", false, 0, 0},
		{"numpy-1.21.0-cp39-cp39-manylinux_2_12_i686.manylinux2010_i686.whl", false, 0, 0},
		{"numpy-2.3.4-pp310-pypy310_pp73-manylinux_2_17_x86_64.whl", false, 0, 0},
		{"py2only-1.0-py2-none-any.whl", false, 0, 0},
		{"numpy-2.3.4.tar.gz", false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			fits, usable := pyWheelFits(tt.file)
			if usable != tt.usable {
				t.Fatalf("usable = %v, want %v (fits %s)", usable, tt.usable, fits.describe())
			}
			for m := 0; m <= pyMaxMinor; m++ {
				want := tt.usable && m >= tt.lo && m <= tt.hi
				if fits[m] != want {
					t.Fatalf("fits 3.%d = %v, want %v (fits %s)", m, fits[m], want, fits.describe())
				}
			}
		})
	}
}

func TestPyFitsDescribe(t *testing.T) {
	var f pyFits
	for m := 9; m <= 12; m++ {
		f[m] = true
	}
	if got := f.describe(); got != "cp39–cp312" {
		t.Errorf("describe = %q", got)
	}
	f[14] = true
	if got := f.describe(); got != "cp39–cp312, cp314" {
		t.Errorf("describe = %q", got)
	}
	var abi3 pyFits
	for m := 8; m <= pyMaxMinor; m++ {
		abi3[m] = true
	}
	if got := abi3.describe(); got != "cp38 and newer (abi3)" {
		t.Errorf("describe = %q", got)
	}
}

func TestPyMarkerAt(t *testing.T) {
	tests := []struct {
		marker string
		minor  int
		want   bool
	}{
		{"", 12, true},
		{"python_full_version < '3.11'", 10, true},
		{"python_full_version < '3.11'", 11, false},
		{`python_version < "3.9"`, 8, true},
		{`python_version < "3.9"`, 13, false},
		{`python_version >= "3.10" and python_version < "3.12"`, 11, true},
		{`python_version >= "3.10" and python_version < "3.12"`, 12, false},
		{"python_full_version >= '3.12' or python_full_version < '3.9'", 10, false},
		{"python_full_version >= '3.12' or python_full_version < '3.9'", 13, true},
		{"sys_platform == 'win32'", 12, false},
		{"sys_platform != 'win32'", 12, true},
		{`platform_system == "Windows" and python_version < "3.11"`, 10, false},
		{`(sys_platform == "win32" or sys_platform == "linux") and python_version < "3.11"`, 10, true},
		{`(sys_platform == "win32" or sys_platform == "linux") and python_version < "3.11"`, 12, false},
		{"platform_machine == 'aarch64'", 12, true},
		{"extra == 'standard'", 12, true},
		{"platform_python_implementation != 'PyPy'", 12, true},
		{"implementation_name == 'pypy'", 12, false},
		{"'linux' in sys_platform", 12, true},
		{"python_version not in '3.9, 3.10'", 12, true},
		{"python_version ==", 12, true},
		{"(python_version < '3.9'", 12, true},
	}
	for _, tt := range tests {
		if got := pyMarkerAt(tt.marker, tt.minor); got != tt.want {
			t.Errorf("pyMarkerAt(%q, 3.%d) = %v, want %v", tt.marker, tt.minor, got, tt.want)
		}
	}
}
