import express from "express";
import { greeting } from "./greeting.js";

// Each deployment says which site it greets for; there is no default.
const site = process.env.SITE_NAME;
if (!site) {
  console.error("SITE_NAME is not set");
  process.exit(1);
}

const app = express();
const port = Number(process.env.PORT) || 3000;

app.get("/healthz", (_req, res) => {
  res.type("text/plain").send("ok");
});

app.get("/", (req, res) => {
  res.json({ site, message: greeting(req.query.name) });
});

const server = app.listen(port, () => {
  console.log(`listening on :${port}`);
});

// Stop accepting connections on SIGTERM so `docker stop` is quick.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
