import "./style.css";
import { render } from "./router.js";

// Client-side routing: links change the URL without a page load, and the
// server answers every unknown path with index.html so a reload still works.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-link]");
  if (!link) return;
  event.preventDefault();
  history.pushState(null, "", link.getAttribute("href"));
  render(document.querySelector("#app"), location.pathname);
});

window.addEventListener("popstate", () => render(document.querySelector("#app"), location.pathname));

render(document.querySelector("#app"), location.pathname);
