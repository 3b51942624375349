import express from "express";
import { formatPrice } from "@acme/shared";

const products = [
  { id: 1, name: "Notebook", priceCents: 450 },
  { id: 2, name: "Pencil", priceCents: 120 },
];

const app = express();

app.get("/health", (_req, res) => {
  res.json({ status: "ok" });
});

app.get("/products", (_req, res) => {
  res.json(products.map((p) => ({ ...p, price: formatPrice(p.priceCents) })));
});

const port = Number(process.env.PORT ?? 4000);
const server = app.listen(port, () => console.log(`api listening on :${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
