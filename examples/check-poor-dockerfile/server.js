// A tiny HTTP service: / says hello, /healthz answers the health check.
const http = require("node:http");

const port = Number(process.env.PORT) || 3000;

const server = http.createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok\n");
    return;
  }
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("hello\n");
});

server.listen(port, () => console.log(`listening on ${port}`));
