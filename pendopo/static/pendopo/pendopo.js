// Pendopo's small page behaviours, in one static file so that the Content-Security-Policy needs no
// inline script (docs/security.md). Each works from data- attributes in the page.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }
  ready(function () {
    // On a phone the menus scroll sideways: bring the current page's entry into view.
    document.querySelectorAll(".site-nav ul, .staff-nav ul").forEach(function (list) {
      var current = list.querySelector("[aria-current=page]");
      if (current && list.scrollWidth > list.clientWidth) list.scrollLeft = current.offsetLeft - 16;
    });
    // A box that ticks every box of its group (data-agency-toggle="X" ticks each [data-agency="X"]).
    document.querySelectorAll("[data-agency-toggle]").forEach(function (box) {
      box.addEventListener("change", function () {
        document.querySelectorAll('[data-agency="' + box.dataset.agencyToggle + '"]').forEach(function (pick) {
          pick.checked = box.checked;
        });
      });
    });
    // A button that puts its data-body into the field named by data-fill-target (answer templates).
    document.querySelectorAll("[data-fill-target]").forEach(function (button) {
      button.addEventListener("click", function () {
        var field = document.getElementById(button.dataset.fillTarget);
        if (field) field.value = button.dataset.body;
      });
    });
    // A print button.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    // A form shown for preview only: it never submits.
    document.querySelectorAll("form[data-preview]").forEach(function (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); });
    });
  });
})();
