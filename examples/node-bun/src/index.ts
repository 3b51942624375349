import { Hono } from "hono";
import { quotes } from "./quotes";

const app = new Hono();

app.get("/livez", (c) => c.text("ok"));

app.get("/", (c) => c.json({ quote: quotes[Math.floor(Math.random() * quotes.length)] }));

const server = Bun.serve({
  port: Number(Bun.env.PORT ?? 3000),
  fetch: app.fetch,
});

console.log(`listening on ${server.url}`);
