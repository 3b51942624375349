import { relativeTime } from "./time.js";

document.querySelectorAll("time[datetime]").forEach((el) => {
  el.title = el.textContent;
  el.textContent = relativeTime(new Date(el.dateTime));
});
