package node

import (
	"slices"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/generator/catalog"
)

// skipDownloads records the development packages whose install scripts
// download a browser or Electron: present in a manifest the install reads
// (the root, the app, any workspace package), but not a production
// dependency of the app. The image build then stops the download; a
// production app that renders with Puppeteer keeps its browser.
func skipDownloads(root, app *packageJSON, ws *workspace, nf *facts.NodeFacts) {
	manifests := []*packageJSON{root, app}
	if ws != nil {
		for _, p := range ws.Packages {
			manifests = append(manifests, ws.manifests[p.Dir])
		}
	}
	for _, d := range catalog.NodeDownloaders() {
		if app.hasProd(d.Package) || slices.Contains(nf.SkipDownloads, d.Package) {
			continue
		}
		for _, m := range manifests {
			if m.has(d.Package) {
				nf.SkipDownloads = append(nf.SkipDownloads, d.Package)
				break
			}
		}
	}
}
