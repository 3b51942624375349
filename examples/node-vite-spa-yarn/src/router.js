const pages = {
  "/": () => "<h1>Home</h1><p>A single-page app served by nginx.</p>",
  "/about": () => "<h1>About</h1><p>Reload this page: it still works.</p>",
};

export function render(root, path) {
  const page = pages[path] ?? (() => "<h1>Not found</h1>");
  root.innerHTML = page();
}
