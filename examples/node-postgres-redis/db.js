// Connections shared by the server and the worker. Neither waits for
// PostgreSQL or Redis at start: both may come up after the app (compose
// starts them side by side), so every use retries or fails with a clear
// error, and the process itself stays up.
import pg from "pg";
import Redis from "ioredis";

export const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  connectionTimeoutMillis: 3000,
  max: 4,
});
// An idle client that loses its server must not crash the process.
pool.on("error", (err) => console.error("postgres:", err.message));

export const redis = new Redis(process.env.REDIS_URL ?? "redis://localhost:6379/0", {
  // Commands wait for a reconnect a few times, then fail: a request gets
  // an error instead of hanging while Redis is away.
  maxRetriesPerRequest: 3,
  retryStrategy: (times) => Math.min(times * 200, 2000),
});
let lastRedisError = "";
redis.on("error", (err) => {
  if (err.message !== lastRedisError) console.error("redis:", err.message);
  lastRedisError = err.message;
});
redis.on("ready", () => (lastRedisError = ""));

let schemaReady = null;

// ensureSchema creates the table once per process; a failure (database not
// up yet) is retried by the next call.
export function ensureSchema() {
  schemaReady ??= pool
    .query(
      `CREATE TABLE IF NOT EXISTS notes (
         id serial PRIMARY KEY,
         body text NOT NULL,
         words integer,
         created timestamptz NOT NULL DEFAULT now()
       )`,
    )
    .catch((err) => {
      schemaReady = null;
      throw err;
    });
  return schemaReady;
}

// QUEUE is the Redis list the server pushes note ids to and the worker
// pops them from.
export const QUEUE = "notes:count-words";
