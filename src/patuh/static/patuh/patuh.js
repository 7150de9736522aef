// Behaviour shared by every page. Kept out of the HTML so the Content-Security-Policy can
// forbid inline scripts and handler attributes.
"use strict";

document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLElement && field.hasAttribute("data-submit-on-change") && field.form) {
    field.form.requestSubmit();
  }
});
