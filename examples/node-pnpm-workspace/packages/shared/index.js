/** Formats a price in cents as a euro amount. */
export function formatPrice(cents) {
  return new Intl.NumberFormat("en-IE", { style: "currency", currency: "EUR" }).format(cents / 100);
}
