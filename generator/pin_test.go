package generator

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/dgen-dev/dgen/generator/registrytest"
)

// anonymous keeps the tests away from the Docker config of whoever runs
// them.
func anonymous() authn.Keychain { return authn.NewMultiKeychain() }

const pinDockerfile = `# syntax=docker/dockerfile:1
ARG PYTHON_VERSION=3.13

FROM --platform=$BUILDPLATFORM golang:1.24-bookworm AS build
RUN go build
FROM python:${PYTHON_VERSION}-slim-trixie AS py
FROM build AS test
FROM scratch AS empty
FROM gcr.io/distroless/static-debian12:nonroot AS runtime
FROM golang:1.24-bookworm AS again
FROM alpine:3.22@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS pinned
FROM ${UNSET}-image AS late
`

func TestFromImages(t *testing.T) {
	got := strings.Join(FromImages([]byte(pinDockerfile)), " ")
	want := "golang:1.24-bookworm python:3.13-slim-trixie gcr.io/distroless/static-debian12:nonroot"
	if got != want {
		t.Errorf("FromImages = %q, want %q (stages, scratch, pinned images and unknown ARGs left out; ARG defaults expanded)", got, want)
	}
}

func TestPinDockerfileWritesIndexDigests(t *testing.T) {
	hub := registrytest.Start(t, registrytest.Open)
	gcr := registrytest.Start(t, registrytest.Open)
	golang := hub.PushIndex(t, "library/golang", "1.24-bookworm")
	python := hub.PushIndex(t, "library/python", "3.13-slim-trixie")
	distroless := gcr.PushImage(t, "distroless/static-debian12", "nonroot")
	out, pinned, err := PinDockerfile(context.Background(), []byte(pinDockerfile), PinOptions{
		Mirrors:  map[string]string{"docker.io": hub.Host, "gcr.io": gcr.Host},
		Keychain: anonymous(),
	})
	if err != nil {
		t.Fatal(err)
	}
	df := string(out)
	for _, want := range []string{
		"FROM --platform=$BUILDPLATFORM golang:1.24-bookworm@" + golang.Digest + " AS build\n",
		"FROM python:3.13-slim-trixie@" + python.Digest + " AS py\n",
		"FROM gcr.io/distroless/static-debian12:nonroot@" + distroless + " AS runtime\n",
		"FROM golang:1.24-bookworm@" + golang.Digest + " AS again\n",
		"FROM build AS test\n", "FROM scratch AS empty\n", "FROM ${UNSET}-image AS late\n",
		"ARG PYTHON_VERSION=3.13\n", "RUN go build\n",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("pinned Dockerfile lacks %q:\n%s", want, df)
		}
	}
	for _, d := range append(golang.Platforms, python.Platforms...) {
		if strings.Contains(df, d) {
			t.Errorf("pinned Dockerfile names the platform manifest %s, not the index", d)
		}
	}
	if strings.Contains(df, hub.Host) || strings.Contains(df, gcr.Host) {
		t.Errorf("the mirror's address leaked into the Dockerfile:\n%s", df)
	}
	if len(pinned) != 3 || !pinned[0].MultiPlatform || pinned[0].Digest != golang.Digest || pinned[2].MultiPlatform {
		t.Errorf("pinned = %+v, want golang (index), python (index), distroless (single manifest), each once", pinned)
	}
}

func TestPinDockerfileFailures(t *testing.T) {
	open := registrytest.Start(t, registrytest.Open)
	open.PushIndex(t, "library/golang", "1.24-bookworm")
	private := registrytest.Start(t, registrytest.AuthRequired)
	slow := registrytest.Start(t, registrytest.Slow)
	limited := registrytest.Start(t, registrytest.RateLimited)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	df := []byte("FROM golang:1.24-bookworm AS build\nFROM golang:1.99-bookworm AS other\n")
	for _, tc := range []struct {
		name, mirror string
		want         []string
	}{
		{"missing tag", open.Host, []string{"pin golang:1.99-bookworm:", "has no such image or tag", "without --pin"}},
		{"auth required", private.Host, []string{"pin golang:1.24-bookworm:", "refused access (HTTP 401)", "docker login " + private.Host}},
		{"rate limited", limited.Host, []string{"pin golang:1.24-bookworm:", "limiting requests (HTTP 429)", "--registry-mirror"}},
		{"slow", slow.Host, []string{"pin golang:1.24-bookworm:", "did not answer within 300ms", "without --pin"}},
		{"unreachable", closed, []string{"pin golang:1.24-bookworm:", "cannot reach registry " + closed, "check the network"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			out, pinned, err := PinDockerfile(context.Background(), df, PinOptions{
				Mirrors: map[string]string{"docker.io": tc.mirror}, Keychain: anonymous(), Timeout: 300 * time.Millisecond,
			})
			var pe *PinError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *PinError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if out != nil || pinned != nil {
				t.Errorf("a failed pin returned a Dockerfile (%d bytes) or images %v", len(out), pinned)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %s: the timeout did not bound the lookup", d)
			}
		})
	}
}

func TestParseMirror(t *testing.T) {
	for in, want := range map[string][2]string{
		"mirror.example.com":           {"docker.io", "mirror.example.com"},
		"gcr.io=127.0.0.1:5000":        {"gcr.io", "127.0.0.1:5000"},
		"ghcr.io=mirror.example.com:1": {"ghcr.io", "mirror.example.com:1"},
	} {
		reg, m, err := ParseMirror(in)
		if err != nil || reg != want[0] || m != want[1] {
			t.Errorf("ParseMirror(%q) = %q, %q, %v; want %q, %q", in, reg, m, err, want[0], want[1])
		}
	}
	for _, bad := range []string{"", "docker.io=", "https://mirror/x", "a b"} {
		if _, _, err := ParseMirror(bad); err == nil {
			t.Errorf("ParseMirror(%q) accepted a value that is no registry host", bad)
		}
	}
}

// A file under folders that do not exist yet gets them; a folder that is
// a link is refused before anything is written.
func TestCommitNestedFiles(t *testing.T) {
	dir := t.TempDir()
	files := []File{{Name: "Dockerfile", Data: []byte("FROM x\n")}, {Name: ".github/workflows/docker.yml", Data: []byte("name: docker\n")}}
	changes, err := Changes(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	written, err := Commit(dir, changes)
	if err != nil || len(written) != 2 {
		t.Fatalf("Commit = %v, %v", written, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, ".github", "workflows", "docker.yml")); err != nil || string(b) != "name: docker\n" {
		t.Errorf("workflow = %q, %v", b, err)
	}
	other := t.TempDir()
	linked := t.TempDir()
	if err := os.Symlink(other, filepath.Join(linked, ".github")); err != nil {
		t.Skip(err)
	}
	if _, err := Changes(linked, files); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("a .github link: %v, want a refusal", err)
	}
	if ents, _ := os.ReadDir(other); len(ents) != 0 {
		t.Errorf("wrote through the link: %v", ents)
	}
}

// --save-config keeps --pin, the mirrors and the workflow's choices, and
// reading the file back asks for them again.
func TestConfigKeepsPipeline(t *testing.T) {
	port := 8080
	p := &Plan{Language: "go", LanguageVersion: "1.26", Port: &port,
		Pin: &PinPlan{Images: []string{"golang:1.26-trixie"}, Mirrors: map[string]string{"docker.io": "mirror.example.com", "gcr.io": "127.0.0.1:5000"}}}
	ci, err := NewCIPlan(CIOptions{Provider: CIGitHub, Image: "docker.io/acme/api", Branch: "trunk"}, []string{"linux/amd64"}, "")
	if err != nil {
		t.Fatal(err)
	}
	p.CI = ci
	data, err := ConfigFromPlan(p, "").Marshal()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(fstest.MapFS{ConfigFile: {Data: data}})
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	var opts Options
	cfg.Apply(&opts)
	if !opts.Pin || opts.Mirrors["docker.io"] != "mirror.example.com" || opts.Mirrors["gcr.io"] != "127.0.0.1:5000" {
		t.Errorf("pin %v mirrors %v from\n%s", opts.Pin, opts.Mirrors, data)
	}
	if opts.CI == nil || *opts.CI != (CIOptions{Provider: CIGitHub, Image: "docker.io/acme/api", Branch: "trunk"}) {
		t.Errorf("ci %+v from\n%s", opts.CI, data)
	}
	for _, bad := range []string{"pin: yes-please\n", "registryMirrors: [\"https://x/y\"]\n", "ci:\n  provider: gitlab\n", "ci:\n  provider: github\n  image: Not/Valid\n"} {
		if _, err := LoadConfig(fstest.MapFS{ConfigFile: {Data: []byte(bad)}}); err == nil {
			t.Errorf("dgen.yaml %q accepted", bad)
		}
	}
}

// Platforms reads Dockerfiles dgen did not write too.
func TestPlatforms(t *testing.T) {
	for _, tc := range []struct {
		name, df string
		multi    bool
	}{
		{"cross-compile, braces", "FROM --platform=${BUILDPLATFORM} golang:1.26 AS b\nARG TARGETOS\nARG TARGETARCH\nRUN go build\nFROM scratch\n", true},
		{"TARGETARCH without BUILDPLATFORM runs emulated", "FROM golang:1.26 AS b\nARG TARGETARCH\nFROM scratch\n", false},
		{"plain Go", "FROM golang:1.26 AS b\nRUN go build\nFROM gcr.io/distroless/base-debian13\n", false},
		{"ruby", "FROM ruby:3.4-slim\nCMD [\"ruby\", \"app.rb\"]\n", true},
		{"python by ARG", "ARG V=3.13\nFROM python:${V}-slim\n", true},
		{"bun", "FROM oven/bun:1.4-slim\n", true},
		{"java", "FROM eclipse-temurin:21-jre\n", false},
		{"python stage name only", "FROM golang:1.26 AS python\nFROM python\n", false},
		{"pinned python", "FROM python:3.13-slim-trixie@sha256:0000000000000000000000000000000000000000000000000000000000000000\n", true},
	} {
		got, why := Platforms([]byte(tc.df))
		if (len(got) == 2) != tc.multi || why == "" {
			t.Errorf("%s: %v (%s), want multi-platform %v", tc.name, got, why, tc.multi)
		}
	}
}
