/* Verbatim: small improvements shared by every page. Everything works without them. */
(function () {
  "use strict";

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  /* Copy text; resolves to true when it reached the clipboard. */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return fallbackCopy(text); });
    }
    return Promise.resolve(fallbackCopy(text));
  }

  function flash(button, message) {
    if (!button.dataset.label) { button.dataset.label = button.innerHTML; }
    button.textContent = message;
    window.setTimeout(function () { button.innerHTML = button.dataset.label; }, 1800);
  }

  window.Verbatim = { copyText: copyText };

  /* Copy buttons (citations): hidden in the HTML, since they need this script. */
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copy);
      copyText(source.innerText.trim()).then(function (ok) { flash(button, ok ? "Copied" : "Select and copy"); });
    });
  });

  /* j / k move the focus to the next / previous turn of a transcript. */
  var turns = Array.prototype.slice.call(document.querySelectorAll("article.turn"));
  if (turns.length) {
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
      if (event.key !== "j" && event.key !== "k") { return; }
      var target = event.target;
      if (target.closest && target.closest("input, textarea, select, [contenteditable]")) { return; }
      var active = document.activeElement && document.activeElement.closest ? document.activeElement.closest("article.turn") : null;
      var index = active ? turns.indexOf(active) : -1;
      if (index < 0) {
        /* Nothing focused yet: start from the turn at the top of the window. */
        index = turns.findIndex(function (turn) { return turn.getBoundingClientRect().bottom > 1; });
        index = event.key === "j" ? index - 1 : index + 1;
      }
      var next = turns[Math.max(0, Math.min(turns.length - 1, index + (event.key === "j" ? 1 : -1)))];
      event.preventDefault();
      next.focus({ preventScroll: true });
      next.scrollIntoView({ block: "start" });
    });
  }

  /* Folds (participants, contents, chart) start closed, for phones; wide screens have room. */
  if (window.matchMedia && window.matchMedia("(min-width: 64rem)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (fold) { fold.open = true; });
  }

  /* A link to a turn of a long transcript that is on another of its pages (an old
     /events/<slug>/#t-<id> link): the server knows the page, so ask it. */
  var wanted = /^#(t-[a-z0-9]+)(-p\d+)?$/.exec(window.location.hash);
  if (wanted && !document.getElementById(wanted[1]) && document.querySelector(".transcript-pages")) {
    window.location.replace("/t/" + wanted[1].slice(2) + "/" + window.location.search);
  }

  /* A quote page opened without its #quote fragment (or with a text fragment this
     browser does not know): bring the marked passage into view. */
  var quote = document.getElementById("quote");
  if (quote) {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id || !document.getElementById(id)) {
      quote.scrollIntoView({ block: "center" });
    }
  }
})();
