package node

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// prismaRuntimeTarget is the query engine build for the runtime images
// dgen writes: Debian bookworm and trixie ship OpenSSL 3.
const prismaRuntimeTarget = "debian-openssl-3.0.x"

// prismaHolder is a package that may hold the Prisma schema.
type prismaHolder struct {
	dir  string // relative to the build root, "" for it
	name string // workspace package name, "" for the root
	pkg  *packageJSON
}

// detectPrisma records that the app uses Prisma (the app, the build root
// or a workspace package the app uses depends on it) and finds the
// package whose schema `prisma generate` reads.
func detectPrisma(fsys fs.FS, root *packageJSON, a *nodeApp, det *facts.Detection) {
	nf := det.Node
	holders := []prismaHolder{{dir: a.dir, pkg: a.pkg}}
	if a.dir != "" && a.ws != nil {
		holders[0].name = a.ws.AppName
	}
	if a.ws != nil {
		for _, d := range a.ws.AppDeps {
			holders = append(holders, prismaHolder{dir: d.Dir, name: d.Name, pkg: a.ws.manifests[d.Dir]})
		}
	}
	if root != a.pkg {
		holders = append(holders, prismaHolder{pkg: root})
	}
	for _, h := range holders {
		for _, dep := range []string{"@prisma/client", "prisma"} {
			if h.pkg.has(dep) && !nf.Prisma {
				nf.Prisma = true
				det.Cite("prisma", h.pkg.file, h.pkg.depLine(dep), dep+": prisma generate at build time; OpenSSL in the runtime image")
			}
		}
	}
	if !nf.Prisma {
		return
	}
	for _, h := range holders {
		schema, arg, why := prismaSchema(fsys, h, a.ws == nil || h.dir != "")
		if schema == "" {
			continue
		}
		nf.PrismaSchemaPath, nf.PrismaDir, nf.PrismaPackage, nf.PrismaSchemaArg = schema, h.dir, h.name, arg
		det.Cite("prismaSchema", schema, 0, why)
		prismaTargets(fsys, schema, det)
		return
	}
	det.Notef("Prisma is a dependency but no schema.prisma was found: prisma generate runs in %s with the CLI's defaults", orRoot(a.dir))
}

// orRoot names a folder for a message.
func orRoot(dir string) string {
	if dir == "" {
		return "the build root"
	}
	return dir
}

// prismaConfigSchemaRe reads schema: "…" from prisma.config.ts.
// A path.join(__dirname, "a", "b") call gives its quoted parts.
var (
	prismaConfigSchemaRe = regexp.MustCompile(`\bschema\s*:\s*(?:path\.(?:join|resolve)\(([^)]*)\)|['"\x60]([^'"\x60]+)['"\x60])`)
	quotedPartRe         = regexp.MustCompile(`['"\x60]([^'"\x60]+)['"\x60]`)
)

// configSchema returns the schema path a prisma.config file names,
// relative to the file's folder, or "".
func configSchema(data []byte) string {
	m := prismaConfigSchemaRe.FindSubmatch(data)
	switch {
	case m == nil:
		return ""
	case m[2] != nil:
		return string(m[2])
	}
	var parts []string
	for _, q := range quotedPartRe.FindAllSubmatch(m[1], -1) {
		parts = append(parts, string(q[1]))
	}
	return path.Join(parts...)
}

// prismaSchema finds the schema of package h as the Prisma CLI does, run
// in h's folder: package.json's "prisma.schema", prisma.config.*'s
// schema, then prisma/schema.prisma and schema.prisma. When none is
// there and search is true, the first .prisma file of the package is the
// schema, passed with --schema (its folder when it holds several). It
// returns the schema relative to the build root, the --schema argument
// ("" when the CLI finds it alone) and why.
func prismaSchema(fsys fs.FS, h prismaHolder, search bool) (schema, arg, why string) {
	at := func(p string) string { return path.Join(h.dir, p) }
	exists := func(p string) bool { return repo.IsFile(fsys, at(p)) || repo.IsDir(fsys, at(p)) }
	if s := cleanRel(h.pkg.PrismaSchema); s != "" && exists(s) {
		return at(s), "", `package.json "prisma": {"schema": "` + h.pkg.PrismaSchema + `"}`
	}
	for _, c := range []string{"prisma.config.ts", "prisma.config.mts", "prisma.config.js", "prisma.config.mjs", ".config/prisma.ts"} {
		data, err := repo.ReadPrefix(fsys, at(c), 64<<10)
		if err != nil {
			continue
		}
		if named := configSchema(data); named != "" {
			if s := cleanRel(path.Join(path.Dir(c), named)); s != "" && exists(s) {
				return at(s), "", at(c) + " names the schema " + named
			}
		}
	}
	for _, d := range []string{"prisma/schema.prisma", "schema.prisma"} {
		if repo.IsFile(fsys, at(d)) {
			return at(d), "", "Prisma's default schema location"
		}
	}
	if !search {
		return "", "", ""
	}
	var found []string
	base := h.dir
	if base == "" {
		base = "."
	}
	_ = repo.Walk(fsys, base, func(p string, d fs.DirEntry) error {
		if strings.HasSuffix(p, ".prisma") && !strings.Contains(p, "/migrations/") {
			found = append(found, p)
		}
		if len(found) >= 50 {
			return fs.SkipAll
		}
		return nil
	})
	if len(found) == 0 {
		return "", "", ""
	}
	slices.Sort(found)
	schema = found[0]
	n := 0
	for _, f := range found {
		if path.Dir(f) == path.Dir(schema) {
			n++
		}
	}
	if n > 1 {
		// A multi-file schema: the CLI takes the folder.
		schema = path.Dir(schema)
	}
	arg = strings.TrimPrefix(strings.TrimPrefix(schema, h.dir), "/")
	if !safePath(arg) {
		return "", "", ""
	}
	return schema, arg, "not where the Prisma CLI looks by default: passed with --schema " + arg
}

// cleanRel cleans a relative path from a config file; "" when it leaves
// the package or is not safe to write into a command.
func cleanRel(p string) string {
	if p == "" || path.IsAbs(p) {
		return ""
	}
	p = path.Clean(p)
	if p == ".." || strings.HasPrefix(p, "../") || !safePath(p) {
		return ""
	}
	return p
}

var (
	prismaGeneratorRe = regexp.MustCompile(`(?s)generator\s+\w+\s*\{(.*?)\}`)
	prismaTargetsRe   = regexp.MustCompile(`(?s)binaryTargets\s*=\s*\[(.*?)\]`)
	prismaQuotedRe    = regexp.MustCompile(`"([^"]*)"`)
)

// prismaTargets notes when the schema's binaryTargets leave out the
// engine the runtime image needs: prisma generate fetches the engines it
// lists in the build stage, and the app would find none that loads.
func prismaTargets(fsys fs.FS, schema string, det *facts.Detection) {
	files := []string{schema}
	if repo.IsDir(fsys, schema) {
		files = nil
		ents, _ := fs.ReadDir(fsys, schema)
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".prisma") {
				files = append(files, path.Join(schema, e.Name()))
			}
		}
	}
	for _, f := range files {
		data, err := repo.ReadPrefix(fsys, f, repo.MaxSourceSize)
		if err != nil {
			continue
		}
		for _, g := range prismaGeneratorRe.FindAllSubmatchIndex(data, -1) {
			block := data[g[2]:g[3]]
			m := prismaTargetsRe.FindSubmatchIndex(block)
			if m == nil {
				continue
			}
			var targets []string
			for _, q := range prismaQuotedRe.FindAllSubmatch(block[m[2]:m[3]], -1) {
				targets = append(targets, string(q[1]))
			}
			line := repo.LineAt(data, g[2]+m[0])
			det.Cite("prismaBinaryTargets", f, line, "binaryTargets = ["+strings.Join(targets, ", ")+"]")
			if !slices.Contains(targets, "native") && !slices.Contains(targets, prismaRuntimeTarget) {
				det.Notef("%s line %d: binaryTargets [%s] has no engine for the image (Debian with OpenSSL 3): add \"%s\" (or \"native\", which prisma generate resolves to it in the build stage), or the app finds no query engine at start", f, line, strings.Join(targets, ", "), prismaRuntimeTarget)
			}
		}
	}
}
