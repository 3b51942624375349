// The worker takes note ids off the Redis queue and stores each note's
// word count in PostgreSQL. It waits for Redis and PostgreSQL as long as
// they are away; a job it could not finish goes back on the queue.
import { pool, redis, ensureSchema, QUEUE } from "./db.js";

let stopping = false;
process.on("SIGTERM", () => {
  stopping = true;
  redis.disconnect();
  pool.end().finally(() => process.exit(0));
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function work(id) {
  await ensureSchema();
  const { rows } = await pool.query("SELECT body FROM notes WHERE id = $1", [id]);
  if (rows.length === 0) return;
  const words = rows[0].body.split(/\s+/).filter(Boolean).length;
  await pool.query("UPDATE notes SET words = $1 WHERE id = $2", [words, id]);
  console.log(`note ${id}: ${words} words`);
}

console.log("worker started");
while (!stopping) {
  let id = null;
  try {
    const popped = await redis.brpop(QUEUE, 5);
    if (!popped) continue;
    id = popped[1];
    await work(id);
  } catch (err) {
    console.error("worker:", err.message);
    if (id !== null) await redis.rpush(QUEUE, id).catch(() => {});
    await sleep(1000);
  }
}
