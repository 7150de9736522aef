// The recovery codes page's "print" button (kept out of the page: no inline scripts).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print-codes]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
