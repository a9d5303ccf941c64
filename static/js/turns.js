/* A transcript by keyboard: one Tab stop per turn. A turn's own links (speaker, time,
   permalinks, previous/next by the speaker, Cite) leave the Tab order and are reached
   with the arrow keys once the turn has focus: → and ← move through them, Esc goes back
   to the turn. Without this script every link is in the Tab order, as on any page. */
(function () {
  "use strict";
  var turns = Array.prototype.slice.call(document.querySelectorAll("article.turn"));
  if (!turns.length) { return; }

  function controlsOf(turn) {
    return Array.prototype.filter.call(turn.querySelectorAll("a[href], button"), function (control) {
      return !control.closest(".quote-toolbar");
    });
  }

  turns.forEach(function (turn) {
    turn.setAttribute("tabindex", "0");
    controlsOf(turn).forEach(function (control) { control.setAttribute("tabindex", "-1"); });
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var active = document.activeElement;
    var turn = active && active.closest ? active.closest("article.turn") : null;
    if (!turn || active.closest(".quote-toolbar")) { return; }
    var controls = controlsOf(turn);
    var index = controls.indexOf(active); /* -1: the turn itself */
    var next = null;
    if (event.key === "ArrowRight") {
      next = controls[Math.min(controls.length - 1, index + 1)];
    } else if (event.key === "ArrowLeft") {
      next = index <= 0 ? turn : controls[index - 1];
    } else if (event.key === "Escape" && index >= 0) {
      next = turn;
    }
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
})();
