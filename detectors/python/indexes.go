package python

import (
	"net/url"
	"strings"
)

// pyPublicIndexes need no credentials.
var pyPublicIndexes = map[string]bool{
	"pypi.org": true, "pypi.python.org": true, "files.pythonhosted.org": true,
	"test.pypi.org": true, "download.pytorch.org": true,
}

// addIndex records a package index. One that is not a public index may
// need credentials: the install step mounts a netrc secret for it. An
// index URL with credentials in it is a leak, said in a Note.
func (s *pyScan) addIndex(raw, file string, line int) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		if strings.Contains(raw, "${") {
			host := pyHostOf(raw)
			s.det.Notef("%s:%d: the index URL expands environment variables (%s); dgen mounts ~/.netrc as a build secret instead, so put the credentials there and drop them from the URL", file, line, raw)
			if !pyContains(s.facts.PrivateIndexes, host) {
				s.det.Cite("privateIndex", file, line, host)
			}
			s.facts.PrivateIndexes = append(s.facts.PrivateIndexes, host)
		}
		return
	}
	host := u.Hostname()
	if pyPublicIndexes[host] {
		return
	}
	if u.User != nil {
		if _, hasPass := u.User.Password(); hasPass || strings.Contains(u.User.String(), "${") {
			s.det.Notef("%s:%d: the index URL for %s carries credentials; they end up in the build context and the build stage's layers. Move them to ~/.netrc (machine %s login … password …) and build with --secret id=netrc,src=$HOME/.netrc", file, line, host, host)
		}
	}
	if !pyContains(s.facts.PrivateIndexes, host) {
		s.det.Cite("privateIndex", file, line, host)
	}
	s.facts.PrivateIndexes = append(s.facts.PrivateIndexes, host)
}

// pyHostOf extracts a host from an index URL that may hold ${VARS}.
func pyHostOf(raw string) string {
	h := raw
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	if i := strings.LastIndex(h, "@"); i >= 0 {
		h = h[i+1:]
	}
	if i := strings.IndexAny(h, "/:"); i >= 0 {
		h = h[:i]
	}
	return h
}

// privateIndexes reads the index declarations of every manager: Poetry
// sources, uv indexes, PDM sources, Pipfile sources.
func (s *pyScan) privateIndexes() {
	m := s.m
	for _, src := range pyTSlice(pyT(m.pyproject, "tool", "poetry", "source")) {
		if u, _ := pyTMap(src)["url"].(string); u != "" {
			s.addIndex(u, "pyproject.toml", pyLineOf(m.pyprojectData, u))
		}
	}
	for _, src := range pyTSlice(pyT(m.pyproject, "tool", "uv", "index")) {
		if u, _ := pyTMap(src)["url"].(string); u != "" {
			s.addIndex(u, "pyproject.toml", pyLineOf(m.pyprojectData, u))
		}
	}
	if u, _ := pyT(m.pyproject, "tool", "uv", "index-url").(string); u != "" {
		s.addIndex(u, "pyproject.toml", pyLineOf(m.pyprojectData, u))
	}
	for _, u := range pyTStrings(pyT(m.pyproject, "tool", "uv", "extra-index-url")) {
		s.addIndex(u, "pyproject.toml", pyLineOf(m.pyprojectData, u))
	}
	for _, src := range pyTSlice(pyT(m.pyproject, "tool", "pdm", "source")) {
		if u, _ := pyTMap(src)["url"].(string); u != "" {
			s.addIndex(u, "pyproject.toml", pyLineOf(m.pyprojectData, u))
		}
	}
	if s.det.PackageManager == "pipenv" {
		for _, src := range pyTSlice(pyT(m.pipfile, "source")) {
			if u, _ := pyTMap(src)["url"].(string); u != "" {
				s.addIndex(u, "Pipfile", pyLineOf(m.pipfileData, u))
			}
		}
	}
}
