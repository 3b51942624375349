// Package registrytest runs an OCI registry in the test process
// (go-containerregistry's pkg/registry behind httptest), so digest pinning
// is tested without the network: images with a multi-platform index, a
// registry that wants credentials, and one too slow to answer.
package registrytest

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// The credentials an AuthRequired registry accepts (HTTP basic).
const (
	Username = "user"
	Password = "secret"
)

// credentials are Username and Password for go-containerregistry.
func credentials() authn.Authenticator { return &authn.Basic{Username: Username, Password: Password} }

// Registry is a registry listening on 127.0.0.1 for one test.
type Registry struct {
	// Host is host:port, what an image reference or a mirror names.
	Host string
	srv  *httptest.Server
}

// Mode is how the registry behaves towards dgen's requests.
type Mode int

const (
	// Open serves every request anonymously.
	Open Mode = iota
	// AuthRequired answers 401 to every request without the test's
	// credentials, as a private registry does.
	AuthRequired
	// Slow never answers a manifest request until the client gives up.
	Slow
	// RateLimited answers 429 to every manifest request, as Docker Hub
	// does past its pull limit.
	RateLimited
)

// Start runs a registry until the test ends. Push images to an Open or
// AuthRequired one: the other modes refuse or hold manifest requests.
func Start(t *testing.T, mode Mode) *Registry {
	t.Helper()
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	var h http.Handler = reg
	release := make(chan struct{})
	switch mode {
	case AuthRequired:
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if u, p, ok := r.BasicAuth(); !ok || u != Username || p != Password {
				w.Header().Set("WWW-Authenticate", `Basic realm="registrytest"`)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			reg.ServeHTTP(w, r)
		})
	case RateLimited:
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "/manifests/") {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = w.Write([]byte(`{"errors":[{"code":"TOOMANYREQUESTS","message":"pull rate limit"}]}`))
				return
			}
			reg.ServeHTTP(w, r)
		})
	case Slow:
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "/manifests/") {
				select {
				case <-r.Context().Done():
				case <-release:
				}
				return
			}
			reg.ServeHTTP(w, r)
		})
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { close(release); srv.Close() })
	return &Registry{Host: strings.TrimPrefix(srv.URL, "http://"), srv: srv}
}

// Index is a pushed multi-platform image.
type Index struct {
	// Digest is the index's digest, what a pin must write.
	Digest string
	// Platforms are the digests of its per-platform manifests, which a pin
	// must not write.
	Platforms []string
}

// PushIndex pushes a linux/amd64 + linux/arm64 index as repo:tag
// (repo is a repository path such as "library/golang"), with Username and
// Password (which an Open registry ignores).
func (r *Registry) PushIndex(t *testing.T, repo, tag string) Index {
	t.Helper()
	var idx v1.ImageIndex = empty.Index
	var out Index
	for _, arch := range []string{"amd64", "arm64"} {
		img, err := random.Image(256, 1)
		if err != nil {
			t.Fatal(err)
		}
		d, err := img.Digest()
		if err != nil {
			t.Fatal(err)
		}
		out.Platforms = append(out.Platforms, d.String())
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: arch}}})
	}
	ref, err := name.ParseReference(fmt.Sprintf("%s/%s:%s", r.Host, repo, tag))
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(ref, idx, remote.WithAuth(credentials())); err != nil {
		t.Fatal(err)
	}
	d, err := idx.Digest()
	if err != nil {
		t.Fatal(err)
	}
	out.Digest = d.String()
	return out
}

// PushImage pushes a single-platform image as repo:tag and returns its
// digest.
func (r *Registry) PushImage(t *testing.T, repo, tag string) string {
	t.Helper()
	img, err := random.Image(256, 1)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := name.ParseReference(fmt.Sprintf("%s/%s:%s", r.Host, repo, tag))
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img, remote.WithAuth(credentials())); err != nil {
		t.Fatal(err)
	}
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}
