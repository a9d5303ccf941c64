/* The upload form: say at once when a chosen file or the pasted text is over the size
   limit, instead of sending megabytes to be refused. The server checks again (and is
   all there is without JavaScript). */
(function () {
  "use strict";

  function sizeLabel(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.ceil(bytes / 1024) + " KB";
  }

  function wire(form) {
    var limit = parseInt(form.dataset.maxBytes, 10);
    var file = form.querySelector("input[type=file]");
    var text = form.querySelector("textarea[name=text]");
    var note = document.createElement("p");
    note.className = "errornote";
    note.setAttribute("role", "alert");
    note.hidden = true;
    form.insertBefore(note, form.firstChild);

    function tooBig() {
      if (file && file.files.length && file.files[0].size > limit) {
        return "The file is " + sizeLabel(file.files[0].size) + "; the limit is " + sizeLabel(limit) + ".";
      }
      if (text && window.TextEncoder && new TextEncoder().encode(text.value).length > limit) {
        return "The pasted text is over the limit of " + sizeLabel(limit) + ".";
      }
      return "";
    }

    function check(event) {
      var problem = tooBig();
      note.textContent = problem;
      note.hidden = !problem;
      if (problem && event.type === "submit") { event.preventDefault(); note.scrollIntoView(); }
    }

    if (!limit) { return; }
    form.addEventListener("submit", check);
    if (file) { file.addEventListener("change", check); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-max-bytes]").forEach(wire);
  });
})();
