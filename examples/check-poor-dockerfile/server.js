// A tiny HTTP service on port 3000: / says hello, /healthz answers the
// health check.
const http = require("node:http");

const server = http.createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok\n");
    return;
  }
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("hello\n");
});

server.listen(3000, () => console.log("listening on 3000"));
