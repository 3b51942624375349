package facts

import "testing"

// TestRequireEnv: a required variable is kept once, with its first
// evidence; names no Dockerfile can hold, and the variables every
// container has (HOSTNAME, HOME, PATH), are not required of the image.
func TestRequireEnv(t *testing.T) {
	var d Detection
	d.RequireEnv("API_TOKEN", "main.go", 3, "first")
	d.RequireEnv("API_TOKEN", "main.go", 9, "second")
	d.RequireEnv("HOSTNAME", "config.go", 110, "Hostname string `env:\"HOSTNAME,required\"`")
	d.RequireEnv("HOME", "main.go", 4, "os.environ['HOME']")
	d.RequireEnv("PATH", "main.go", 5, "process.env.PATH")
	d.RequireEnv("bad name", "main.go", 6, "")
	if len(d.Env) != 1 || d.Env[0].Name != "API_TOKEN" || d.Env[0].Evidence.Detail != "first" {
		t.Errorf("Env = %+v, want API_TOKEN with its first evidence only", d.Env)
	}
}
