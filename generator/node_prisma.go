package generator

import (
	"path"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// prismaGenerate is `prisma generate` run with the package manager in the
// package that holds the schema (the app when no schema was found), with
// --schema when the CLI would not find it alone.
func prismaGenerate(det *facts.Detection) string {
	nf := det.Node
	ws := nf.Workspace
	dir, name := nf.PrismaDir, nf.PrismaPackage
	if nf.PrismaSchemaPath == "" && ws != nil {
		dir, name = ws.App, ws.AppName
	}
	args := ""
	if nf.PrismaSchemaArg != "" {
		args = " --schema " + nf.PrismaSchemaArg
	}
	inPackage := ws != nil && dir != "" && name != ""
	switch det.PackageManager {
	case facts.NodePNPM:
		if inPackage {
			return "pnpm --filter " + name + " exec prisma generate" + args
		}
		return "pnpm exec prisma generate" + args
	case facts.NodeYarn, facts.NodeYarnBerry:
		if inPackage {
			return "yarn workspace " + name + " run prisma generate" + args
		}
		return "yarn run prisma generate" + args
	case facts.NodeBun:
		if dir != "" {
			return "cd " + dir + " && bunx prisma generate" + args
		}
		return "bunx prisma generate" + args
	}
	if inPackage {
		return "npm exec -w " + dir + " -- prisma generate" + args
	}
	if dir != "" {
		return "cd " + dir + " && npx --no-install prisma generate" + args
	}
	return "npx --no-install prisma generate" + args
}

// prismaSaveRestore wraps an in-place prune so that the client prisma
// generate wrote into node_modules/.prisma (with the query engine it
// fetched for this platform) survives it: a prune or a fresh production
// install may drop folders no package owns, and nothing fetches the
// engine again at start.
const (
	prismaSave    = "find . -path '*/node_modules/.prisma' -prune -print0 > /tmp/prisma-client.list && tar --null -cf /tmp/prisma-client.tar -T /tmp/prisma-client.list"
	prismaRestore = "tar -xf /tmp/prisma-client.tar && rm /tmp/prisma-client.tar /tmp/prisma-client.list"
)

// planNodePrismaKeep makes the generated Prisma client and its engine
// part of what the runtime stage copies: around an in-place prune they
// are saved and put back; after pnpm deploy, which installs afresh, they
// are copied next to the deployed @prisma/client.
func planNodePrismaKeep(det *facts.Detection, nf *facts.NodeFacts, np *NodePlan) {
	if !nf.Prisma || np.Prune == "" {
		return
	}
	why := "; the Prisma client that prisma generate wrote into node_modules/.prisma, with the query engine it fetched in this stage, is kept: nothing downloads it at start"
	if ws := nf.Workspace; ws != nil && det.PackageManager == facts.NodePNPM {
		np.Prune += " && " + prismaDeployCopy(nf, ws)
		np.PruneWhy += why
		return
	}
	np.Prune = prismaSave + " && " + np.Prune + " && " + prismaRestore
	np.PruneWhy += why
}

// prismaDeployCopy copies node_modules/.prisma from beside the
// @prisma/client that the schema's package resolves in the workspace to
// beside the one the deployed package resolves in /prod/app.
func prismaDeployCopy(nf *facts.NodeFacts, ws *facts.NodeWorkspace) string {
	holder := nf.PrismaDir
	if nf.PrismaSchemaPath == "" {
		holder = ws.App
	}
	dest := "'/prod/app'"
	if holder != ws.App && holder != "" && nf.PrismaPackage != "" {
		// A workspace package the app uses: deploy put it under the
		// app's node_modules, as a link or a copy.
		dest = "fs.realpathSync('/prod/app/node_modules/" + nf.PrismaPackage + "')"
	}
	src := "'" + path.Join("/app", holder) + "'"
	js := strings.Join([]string{
		"const fs = require('fs'), p = require('path');",
		"const at = (d) => p.join(require.resolve('@prisma/client/package.json', { paths: [d] }), '../../../.prisma');",
		"fs.cpSync(at(" + src + "), at(" + dest + "), { recursive: true });",
	}, " ")
	return "node -e \"" + js + "\""
}
