package catalog

// frameworkPorts is the port each framework listens on out of the box,
// keyed by framework name as Detection.Framework spells it (checked
// 2026-11-27 against each framework's documentation). Detectors use it
// when neither the start command nor the code names a port; the generator
// uses it for the default it reports. Static sites are served by nginx on
// 8080 instead.
var frameworkPorts = map[string]int{
	// Python: gunicorn's and uvicorn's own default, manage.py runserver's.
	"django":    8000,
	"fastapi":   8000,
	"starlette": 8000,
	"litestar":  8000, // litestar run's default
	"flask":     5000, // flask run and app.run()
	"streamlit": 8501,
	"gradio":    7860,

	// next start: "-p, --port … (default: 3000)" in the Next.js CLI
	// reference; the standalone server.js reads PORT with the same
	// default.
	"nextjs": 3000,
	// Nuxt's node-server preset (Nitro) listens on NITRO_PORT or PORT,
	// else 3000.
	"nuxt": 3000,
	// @sveltejs/adapter-node: "PORT … defaults to 3000".
	"sveltekit": 3000,
	// Astro's server.port defaults to 4321, which @astrojs/node in
	// standalone mode keeps.
	"astro": 4321,
	// remix-serve (and react-router-serve) listen on PORT, else 3000.
	"remix": 3000,
	// The server.ts that `ng new --ssr` writes for @angular/ssr listens
	// on process.env['PORT'] || 4000.
	"angular": 4000,
}

// languagePorts is the port of an app whose framework has no entry above:
// gunicorn's and uvicorn's default for Python, the Express convention for
// Node, the usual 8080 for Go.
var languagePorts = map[string]int{"go": 8080, "python": 8000, "node": 3000}

// FrameworkPort returns the port framework listens on by default.
func FrameworkPort(framework string) (int, bool) {
	p, ok := frameworkPorts[framework]
	return p, ok
}

// DefaultPort is the port dgen assumes for an app that names none: its
// framework's, else its language's, else 8080.
func DefaultPort(framework, language string) int {
	if p, ok := frameworkPorts[framework]; ok {
		return p
	}
	if p, ok := languagePorts[language]; ok {
		return p
	}
	return 8080
}
