package golang

import "testing"

// TestGoRequiredPortVariableBeatsDataDefault: the server's address field
// starts as ":80" in a struct literal, and an option sets it from
// HTTP_PORT, which the config requires: the variable always decides, so
// the image sets it (8080) rather than planning for port 80.
func TestGoRequiredPortVariableBeatsDataDefault(t *testing.T) {
	files := map[string]string{
		"go.mod": goModFile("example.com/app", "1.26") + "\n\nrequire github.com/caarlos0/env/v11 v11.3.1",
		"go.sum": "",
		"main.go": `package main

import (
	"example.com/app/config"
	"example.com/app/httpserver"
)

func main() {
	cfg := config.New()
	s := httpserver.New(httpserver.Port(cfg.HTTP.Port))
	s.Start()
}
`,
		"config/config.go": `package config

import "github.com/caarlos0/env/v11"

type HTTP struct {
	Port string ` + "`env:\"HTTP_PORT,required\"`" + `
}

type Config struct {
	HTTP HTTP
}

func New() *Config {
	c := &Config{}
	if err := env.Parse(c); err != nil {
		panic(err)
	}
	return c
}
`,
		"httpserver/server.go": `package httpserver

import (
	"net"
	"net/http"
)

const _defaultAddr = ":80"

type Server struct{ address string }

type Option func(*Server)

func Port(p string) Option { return func(s *Server) { s.address = net.JoinHostPort("", p) } }

func New(opts ...Option) *Server {
	s := &Server{
		address: _defaultAddr,
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *Server) Start() { http.ListenAndServe(s.address, nil) }
`,
	}
	det := detectGo(t, files, nil)
	if det.Port != 8080 || det.Go.PortEnv != "HTTP_PORT" {
		t.Errorf("Port = %d, PortEnv = %q; want 8080 set through HTTP_PORT", det.Port, det.Go.PortEnv)
	}
}
