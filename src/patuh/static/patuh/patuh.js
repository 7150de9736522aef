// Behaviour shared by every page. Kept out of the HTML so the Content-Security-Policy can
// forbid inline scripts and handler attributes.
"use strict";

document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLElement && field.hasAttribute("data-submit-on-change") && field.form) {
    field.form.requestSubmit();
  }
});

// A box with data-check-group ticks or clears the boxes with the same data-check-member; a
// member follows suit by ticking its group box when any member is ticked.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") {
    return;
  }
  const group = box.dataset.checkGroup;
  if (group) {
    for (const member of document.querySelectorAll(`[data-check-member="${group}"]`)) {
      member.checked = box.checked;
    }
    return;
  }
  const member = box.dataset.checkMember;
  if (member) {
    const head = document.querySelector(`[data-check-group="${member}"]`);
    const members = document.querySelectorAll(`[data-check-member="${member}"]`);
    if (head instanceof HTMLInputElement) {
      head.checked = Array.from(members).some((other) => other.checked);
    }
  }
});

// The open-cycle form picks the instrument whose cycles contain the year typed.
document.addEventListener("input", (event) => {
  const year = event.target;
  if (!(year instanceof HTMLInputElement) || !year.hasAttribute("data-instrument-for-year")) {
    return;
  }
  const select = document.getElementById(year.dataset.instrumentForYear);
  if (!(select instanceof HTMLSelectElement)) {
    return;
  }
  const option = Array.from(select.options).find((candidate) =>
    (candidate.dataset.preferredFor || "").split(" ").includes(year.value),
  );
  if (option) {
    select.value = option.value;
  }
});
