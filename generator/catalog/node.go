package catalog

// NodeFrameworkPorts is the port a Node framework's production server
// listens on when PORT is not set, by dgen's framework name (checked
// 2026-11-27 against each framework's documentation). The detector uses it
// when neither the start script nor the source code names a port; static
// sites are served by nginx on 8080 instead.
var NodeFrameworkPorts = map[string]int{
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
