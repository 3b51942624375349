import { formatPrice } from "@acme/shared";

const list = document.querySelector("#products");
const res = await fetch("/api/products");
for (const p of await res.json()) {
  const li = document.createElement("li");
  li.textContent = `${p.name}: ${formatPrice(p.priceCents)}`;
  list.append(li);
}
