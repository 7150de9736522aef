// Assessment workspace: show, on the indicator being saved, that the save is under way or
// failed (server error, network down). Successful saves and refusals (409, 422) come back
// from the server as a new card that says so itself.
(function () {
  "use strict";

  function stateOf(element) {
    var card = element.closest ? element.closest("[data-indicator], #people") : null;
    return card ? card.querySelector("[data-save-state]") : null;
  }

  function show(element, text, className) {
    var state = stateOf(element);
    if (!state) return;
    state.textContent = "";
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    if (className.indexOf("danger") >= 0) span.setAttribute("data-failed", "");
    state.appendChild(span);
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    show(event.target, document.documentElement.lang === "en" ? "Saving…" : "Menyimpan…",
      "text-body-secondary");
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var english = document.documentElement.lang === "en";
    var text = status === 403
      ? (english ? "✗ Not saved: you may not change this now." : "✗ Gagal: Anda tidak dapat mengubah ini sekarang.")
      : (english ? "✗ Not saved (server error " + status + "). Try again." : "✗ Gagal menyimpan (galat server " + status + "). Coba lagi.");
    show(event.target, text, "text-danger");
  });

  document.addEventListener("htmx:sendError", function (event) {
    var english = document.documentElement.lang === "en";
    show(event.target, english ? "✗ Not saved: no connection. Try again." : "✗ Gagal menyimpan: tidak ada koneksi. Coba lagi.",
      "text-danger");
  });
})();
