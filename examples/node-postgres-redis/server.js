// A notes API: POST /notes stores a note in PostgreSQL and queues it in
// Redis for the worker, which counts its words; GET /notes lists them.
// /healthz answers as long as the process serves, without the database,
// so the container is healthy while PostgreSQL is still starting.
import http from "node:http";
import { pool, redis, ensureSchema, QUEUE } from "./db.js";

const port = Number(process.env.PORT ?? 3000);

function send(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body) + "\n");
}

async function readBody(req) {
  let data = "";
  for await (const chunk of req) {
    data += chunk;
    if (data.length > 10000) throw new Error("note too long");
  }
  return data;
}

async function notes(req, res) {
  try {
    await ensureSchema();
    if (req.method === "POST") {
      const body = (await readBody(req)).trim();
      if (!body) return send(res, 400, { error: "empty note" });
      const { rows } = await pool.query("INSERT INTO notes (body) VALUES ($1) RETURNING id", [body]);
      await redis.lpush(QUEUE, rows[0].id);
      return send(res, 201, { id: rows[0].id });
    }
    const { rows } = await pool.query("SELECT id, body, words FROM notes ORDER BY id");
    return send(res, 200, rows);
  } catch (err) {
    console.error("notes:", err.message);
    return send(res, 503, { error: "database or queue unavailable: " + err.message });
  }
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (url.pathname === "/healthz") return send(res, 200, { ok: true });
  if (url.pathname === "/notes" && (req.method === "GET" || req.method === "POST")) return notes(req, res);
  send(res, 404, { error: "not found" });
});

server.listen(port, () => console.log(`listening on :${port}`));

// PID 1 gets no default signal handling: stop on SIGTERM ourselves.
process.on("SIGTERM", () => {
  server.close();
  redis.disconnect();
  pool.end().finally(() => process.exit(0));
});
