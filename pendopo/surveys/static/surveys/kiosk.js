/* Kiosk mode of the satisfaction survey (a tablet at the counter).
 *
 * - A form left half-answered is cleared after a quiet spell (data-idle-seconds), so the next
 *   respondent never sees the previous one's answers; every touch, key or scroll restarts the
 *   count, so a slow respondent is never interrupted.
 * - The thank-you note goes away after a few seconds (data-note-seconds) without reloading the
 *   page, so a respondent who has already started is not wiped out by it.
 * Without JavaScript, a <noscript> refresh in the page does the clearing instead.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-kiosk]");
  if (!form) { return; }
  var idle = Number(form.dataset.idleSeconds || 180) * 1000;
  var fresh = form.dataset.kiosk;
  var timer = null;

  function clear() {
    // A new page load: no answers, no history entry to go back to.
    window.location.replace(fresh);
  }
  function touched() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(clear, idle);
    hideNote();
  }
  function hideNote() {
    var note = document.querySelector(".skm-done");
    if (note) { note.remove(); }
    if (window.location.search) { window.history.replaceState(null, "", fresh); }
  }

  ["input", "change", "pointerdown", "keydown", "touchstart", "scroll"].forEach(function (name) {
    window.addEventListener(name, touched, { passive: true, capture: true });
  });
  if (document.querySelector(".skm-done")) {
    window.setTimeout(hideNote, Number(form.dataset.noteSeconds || 8) * 1000);
  }
  // An untouched form that was already filled (a respondent gave up after an error) is cleared too.
  timer = window.setTimeout(clear, idle);
})();
