package generator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// DefaultPinTimeout bounds the registry lookup of one image: long enough
// for a slow registry, short enough that a blocked network fails fast.
const DefaultPinTimeout = 30 * time.Second

// PinOptions says how `dgen init --pin` reaches the registries.
type PinOptions struct {
	// Mirrors maps a registry ("docker.io", "gcr.io") to a registry
	// (host[:port]) that serves the same repositories, such as a
	// pull-through cache: lookups go to the mirror, the digests are the
	// same, and the Dockerfile keeps naming the original registry.
	Mirrors map[string]string
	// Timeout bounds each image's lookup (DefaultPinTimeout when zero).
	Timeout time.Duration
	// Keychain finds credentials; nil uses the Docker config and its
	// credential helpers (~/.docker/config.json, DOCKER_CONFIG).
	Keychain authn.Keychain
	// Transport carries the requests; nil uses the default HTTP transport
	// (which honours HTTPS_PROXY).
	Transport http.RoundTripper
}

// PinnedImage is one FROM image resolved to a digest.
type PinnedImage struct {
	// Ref is the image as the Dockerfile named it, ARGs expanded.
	Ref string `json:"ref"`
	// Digest is the digest of what the tag points to: the multi-platform
	// index when the image has one.
	Digest string `json:"digest"`
	// MultiPlatform is true when Digest is an index (or manifest list).
	MultiPlatform bool `json:"multiPlatform"`
}

// PinError is a failed lookup: which image, and what the user can do.
type PinError struct {
	Image string
	Msg   string
	Err   error
}

func (e *PinError) Error() string { return "pin " + e.Image + ": " + e.Msg }

// Unwrap returns the registry error.
func (e *PinError) Unwrap() error { return e.Err }

var (
	fromRe   = regexp.MustCompile(`(?i)^(\s*FROM\s+)((?:--\S+\s+)*)(\S+)(.*)$`)
	argRe    = regexp.MustCompile(`(?i)^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)\s*$`)
	asRe     = regexp.MustCompile(`(?i)\s+AS\s+(\S+)`)
	varRefRe = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)
)

// fromImage is one FROM line's image, with the global ARGs expanded.
type fromImage struct {
	line     int
	prefix   string // "FROM --platform=$BUILDPLATFORM "
	raw      string // as written
	expanded string // ARGs replaced by their defaults
	rest     string // " AS build"
	pinned   bool   // already image@digest
}

// FromImages lists the images the FROM lines of a Dockerfile pull, in
// order, with ARG defaults declared before the first FROM expanded. Stage
// names, scratch and images already pinned by digest are left out, and so
// is an image whose ARG has no default (it is only known at build time).
func FromImages(dockerfile []byte) []string {
	var out []string
	for _, f := range fromLines(dockerfile) {
		if !f.pinned && !slices.Contains(out, f.expanded) {
			out = append(out, f.expanded)
		}
	}
	return out
}

// baseImages lists every image the FROM lines pull, pinned or not.
func baseImages(dockerfile []byte) []string {
	var out []string
	for _, f := range fromLines(dockerfile) {
		out = append(out, f.expanded)
	}
	return out
}

func fromLines(dockerfile []byte) []fromImage {
	args := map[string]string{}
	stages := map[string]bool{}
	seenFrom := false
	var out []fromImage
	for i, line := range strings.Split(string(dockerfile), "\n") {
		if m := argRe.FindStringSubmatch(line); m != nil && !seenFrom {
			args[m[1]] = strings.Trim(m[2], `"'`)
			continue
		}
		m := fromRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		seenFrom = true
		f := fromImage{line: i, prefix: m[1] + m[2], raw: m[3], rest: m[4]}
		known := true
		f.expanded = varRefRe.ReplaceAllStringFunc(f.raw, func(v string) string {
			val, ok := args[varRefRe.FindStringSubmatch(v)[1]]
			known = known && ok
			return val
		})
		stage := stages[strings.ToLower(f.expanded)]
		if as := asRe.FindStringSubmatch(f.rest); as != nil {
			stages[strings.ToLower(as[1])] = true
		}
		if !known || stage || strings.EqualFold(f.expanded, "scratch") {
			continue
		}
		f.pinned = strings.Contains(f.expanded, "@")
		out = append(out, f)
	}
	return out
}

// PinDockerfile resolves every FROM image of dockerfile to the digest its
// tag points to now and returns the Dockerfile with each written as
// image:tag@sha256:… (the tag stays for readers and update bots; an ARG in
// the reference is written out, since the digest fixes its value). On any
// failure it returns a *PinError and no Dockerfile.
func PinDockerfile(ctx context.Context, dockerfile []byte, o PinOptions) ([]byte, []PinnedImage, error) {
	lines := strings.Split(string(dockerfile), "\n")
	resolved := map[string]PinnedImage{}
	var pinned []PinnedImage
	for _, f := range fromLines(dockerfile) {
		if f.pinned {
			continue
		}
		pi, ok := resolved[f.expanded]
		if !ok {
			var err error
			if pi, err = resolveDigest(ctx, f.expanded, o); err != nil {
				return nil, nil, err
			}
			resolved[f.expanded] = pi
			pinned = append(pinned, pi)
		}
		lines[f.line] = f.prefix + f.expanded + "@" + pi.Digest + f.rest
	}
	return []byte(strings.Join(lines, "\n")), pinned, nil
}

// resolveDigest asks the registry for the digest of ref's tag. HEAD comes
// first: Docker Hub does not count it against the pull rate limit.
func resolveDigest(ctx context.Context, ref string, o PinOptions) (PinnedImage, error) {
	r, err := name.ParseReference(ref)
	if err != nil {
		return PinnedImage{}, &PinError{Image: ref, Msg: fmt.Sprintf("not an image reference (%v): fix the FROM line", err), Err: err}
	}
	lookup := r
	if m := mirrorOf(o.Mirrors, r.Context().RegistryStr()); m != "" {
		if lookup, err = name.ParseReference(m + "/" + r.Context().RepositoryStr() + ":" + r.Identifier()); err != nil {
			return PinnedImage{}, &PinError{Image: ref, Msg: fmt.Sprintf("registry mirror %q: %v", m, err), Err: err}
		}
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultPinTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	kc := o.Keychain
	if kc == nil {
		kc = authn.DefaultKeychain
	}
	opts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(kc), remote.WithUserAgent("dgen"),
		// A rate limit lasts hours: retrying it only delays the message.
		remote.WithRetryStatusCodes(http.StatusRequestTimeout, http.StatusInternalServerError, http.StatusBadGateway,
			http.StatusServiceUnavailable, http.StatusGatewayTimeout),
		remote.WithRetryPredicate(retryable)}
	if o.Transport != nil {
		opts = append(opts, remote.WithTransport(o.Transport))
	}
	desc, err := remote.Head(lookup, opts...)
	if err != nil && !definite(err) && ctx.Err() == nil {
		var full *remote.Descriptor
		if full, err = remote.Get(lookup, opts...); err == nil {
			desc = &full.Descriptor
		}
	}
	if err != nil {
		return PinnedImage{}, pinFailure(ctx, ref, lookup.Context().RegistryStr(), timeout, err)
	}
	return PinnedImage{Ref: ref, Digest: desc.Digest.String(), MultiPlatform: desc.MediaType.IsIndex()}, nil
}

// mirrorOf is the mirror of registry; Docker Hub answers to both its
// names.
func mirrorOf(mirrors map[string]string, registry string) string {
	if m := mirrors[registry]; m != "" {
		return m
	}
	if registry == name.DefaultRegistry {
		return mirrors["docker.io"]
	}
	return ""
}

// ParseMirror reads a --registry-mirror value: "host[:port]" mirrors
// Docker Hub, "registry=host[:port]" mirrors that registry.
func ParseMirror(s string) (registry, mirror string, err error) {
	registry, mirror, ok := strings.Cut(s, "=")
	if !ok {
		registry, mirror = "docker.io", s
	}
	if _, err := name.NewRegistry(mirror); err != nil || mirror == "" || strings.Contains(mirror, "/") {
		return "", "", badInputf("--registry-mirror %q: expected host[:port] or registry=host[:port] (e.g. mirror.example.com or gcr.io=mirror.example.com:5000)", s)
	}
	return registry, mirror, nil
}

// retryable is go-containerregistry's retry rule without rate limits:
// temporary errors and connections cut short.
func retryable(err error) bool {
	var te *transport.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &te) && te.StatusCode == http.StatusTooManyRequests {
		return false
	}
	tmp, ok := err.(interface{ Temporary() bool })
	return (ok && tmp.Temporary()) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, net.ErrClosed)
}

// definite reports an answer a GET would only repeat: no such tag, or
// no access.
func definite(err error) bool {
	var te *transport.Error
	if !errors.As(err, &te) {
		return false
	}
	switch te.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusTooManyRequests:
		return true
	}
	return false
}

// pinFailure turns a registry error into what the user should do.
func pinFailure(ctx context.Context, ref, registry string, timeout time.Duration, err error) error {
	var te *transport.Error
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return &PinError{Image: ref, Err: err, Msg: fmt.Sprintf("registry %s did not answer within %s: check the network (or HTTPS_PROXY), retry, or run without --pin", registry, timeout)}
	case errors.As(err, &te) && (te.StatusCode == http.StatusUnauthorized || te.StatusCode == http.StatusForbidden):
		return &PinError{Image: ref, Err: err, Msg: fmt.Sprintf("registry %s refused access (HTTP %d): log in with docker login %s (dgen reads your Docker config and credential helpers), or check the image name", registry, te.StatusCode, registry)}
	case errors.As(err, &te) && te.StatusCode == http.StatusTooManyRequests:
		return &PinError{Image: ref, Err: err, Msg: fmt.Sprintf("registry %s is limiting requests (HTTP 429): log in with docker login %s for a higher limit, use --registry-mirror, or retry later", registry, registry)}
	case errors.As(err, &te) && te.StatusCode == http.StatusNotFound:
		return &PinError{Image: ref, Err: err, Msg: fmt.Sprintf("registry %s has no such image or tag: check the tag exists (pass --language-version for another version), or run without --pin", registry)}
	}
	return &PinError{Image: ref, Err: err, Msg: fmt.Sprintf("cannot reach registry %s (%v): check the network (or HTTPS_PROXY), or run without --pin", registry, err)}
}
