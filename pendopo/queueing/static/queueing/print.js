// The ticket slip: printed at once when it comes from the kiosk, then the kiosk starts again.
(function () {
  "use strict";
  var body = document.body;
  var button = document.querySelector("[data-print-now]");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
  if (body.dataset.print === "1") {
    window.addEventListener("load", function () {
      window.print();
      window.setTimeout(function () { window.location.assign(body.dataset.back); }, 8000);
    });
  }
})();
