// build.js writes dist/ from src/: the page with its stylesheet inlined and
// a build stamp, with nothing but Node's standard library.
const fs = require("fs");
const path = require("path");

const src = path.join(__dirname, "src");
const out = path.join(__dirname, "dist");
const css = fs.readFileSync(path.join(src, "style.css"), "utf8");
const html = fs
  .readFileSync(path.join(src, "index.html"), "utf8")
  .replace("/* style */", css.trim())
  .replace("{{built}}", "built by npm run build");

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out);
fs.writeFileSync(path.join(out, "index.html"), html);
console.log("wrote dist/index.html");
