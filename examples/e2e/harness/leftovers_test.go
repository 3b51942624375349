package harness

import (
	"io/fs"
	"reflect"
	"testing"
	"testing/fstest"
)

func TestLeftovers(t *testing.T) {
	exe := &fstest.MapFile{Data: []byte("\x7fELF"), Mode: 0o755}
	data := &fstest.MapFile{Data: []byte("x"), Mode: 0o644}
	link := &fstest.MapFile{Data: []byte("/etc/alternatives/cc"), Mode: fs.ModeSymlink | 0o777}
	dir := &fstest.MapFile{Mode: fs.ModeDir | 0o755}
	tests := []struct {
		name  string
		files fstest.MapFS
		want  []string
	}{
		{"clean distroless-like image", fstest.MapFS{
			"app": exe, "usr/local/bin/busybox": exe, "etc/passwd": data, "usr/share/zoneinfo/UTC": data,
		}, nil},
		{"Go toolchain", fstest.MapFS{"usr/local/go/bin/go": exe, "usr/local/go/bin/gofmt": exe},
			[]string{"/usr/local/go/bin/go (compiler)", "/usr/local/go/bin/gofmt (compiler)"}},
		{"gcc and a cc link", fstest.MapFS{"usr/bin/gcc-14": exe, "usr/bin/cc": link, "usr/bin/x86_64-linux-gnu-gcc-14": exe},
			[]string{"/usr/bin/cc (compiler link)", "/usr/bin/gcc-14 (compiler)", "/usr/bin/x86_64-linux-gnu-gcc-14 (compiler)"}},
		{"cc1 under lib/gcc", fstest.MapFS{"usr/lib/gcc/x86_64-linux-gnu/14/cc1": exe}, []string{"/usr/lib/gcc/x86_64-linux-gnu/14/cc1 (compiler)"}},
		{"names outside bin folders are not programs", fstest.MapFS{"usr/share/doc/gcc": data, "app/go": data, "srv/cc": exe}, nil},
		{"a non-executable file named go is not a compiler", fstest.MapFS{"usr/local/bin/go": data}, nil},
		{"pip cache", fstest.MapFS{"root/.cache/pip/http-v2/a/b": data}, []string{"/root/.cache/pip/ (package-manager cache)"}},
		{"npm cache of any user", fstest.MapFS{"home/node/.npm/_cacache/index-v5/x": data}, []string{"/home/node/.npm/_cacache/ (package-manager cache)"}},
		{"npm logs are not a cache", fstest.MapFS{"home/node/.npm/_logs/debug.log": data}, nil},
		{"Go module and build caches", fstest.MapFS{"go/pkg/mod/cache/x": data, "root/.cache/go-build/00/a": data},
			[]string{"/go/pkg/mod/ (package-manager cache)", "/root/.cache/go-build/ (package-manager cache)"}},
		{"uv, pnpm and yarn caches", fstest.MapFS{
			"root/.cache/uv/x": data, "app/.pnpm-store/v3/x": data, "usr/local/share/.cache/yarn/v6/x": data,
		}, []string{"/app/.pnpm-store/ (package-manager cache)", "/root/.cache/uv/ (package-manager cache)", "/usr/local/share/.cache/yarn/ (package-manager cache)"}},
		{"empty cache-mount targets are fine", fstest.MapFS{"root/.cache/pip": dir, "root/.npm/_cacache": dir}, nil},
		{"apt archive with only its lock", fstest.MapFS{"var/cache/apt/archives/lock": data, "var/cache/apt/archives/partial": dir}, nil},
		{"apt archive with packages", fstest.MapFS{"var/cache/apt/archives/gcc_14.deb": data}, []string{"/var/cache/apt/archives/ (package-manager cache)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Leftovers(tt.files)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
