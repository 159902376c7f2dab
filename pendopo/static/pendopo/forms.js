/* Forms that must not be sent twice, and buttons that ask first.
 *
 * <form data-once>: the first submit disables the form's submit buttons while it is sent, so a
 * double click sends one request (the server's idempotency token covers what still gets through:
 * a resend, a browser without this script).
 * <form data-confirm="…">, <button data-confirm="…"> or a chosen <input type=radio data-confirm="…">:
 * a confirmation naming the consequence before an irreversible action is sent.
 */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    var button = event.submitter;
    var chosen = form.querySelector("input[data-confirm]:checked");
    var question = (button && button.getAttribute("data-confirm")) || (chosen && chosen.getAttribute("data-confirm")) ||
      form.getAttribute("data-confirm");
    // Capture phase, before htmx's own listener: a "no" stops the request altogether.
    if (question && !window.confirm(question)) { event.preventDefault(); event.stopImmediatePropagation(); return; }
    if (!form.hasAttribute("data-once")) { return; }
    if (form.getAttribute("data-sending") === "1") { event.preventDefault(); return; }
    form.setAttribute("data-sending", "1");
    // After this event: a button disabled now would drop its own name and value from the request.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-busy", "true");
      });
    }, 0);
  }, true);
  // <button data-copy="#a, #b">: copies those elements' text (a code and its key); <button data-print>: prints the page.
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-copy], [data-print]") : null;
    if (!button) { return; }
    if (button.hasAttribute("data-print")) { window.print(); return; }
    var text = Array.prototype.map.call(document.querySelectorAll(button.getAttribute("data-copy")), function (el) {
      return el.textContent.trim();
    }).join("\n");
    if (navigator.clipboard) { navigator.clipboard.writeText(text); }
  });
  // Back to a page from the browser's cache: its form may be sent again (with a new answer, the server decides).
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      form.removeAttribute("data-sending");
      form.querySelectorAll("[aria-busy=true]").forEach(function (b) { b.disabled = false; b.removeAttribute("aria-busy"); });
    });
  });
})();
