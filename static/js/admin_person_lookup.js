/* The upload preview's speaker names: as staff type, offer existing people from the
   staff-only lookup (a <datalist> filled server-side already works without this), and
   remember the slug of a person picked from the list so two people with the same name
   cannot be confused. */
(function () {
  "use strict";

  function fill(datalist, people) {
    datalist.replaceChildren();
    people.forEach(function (p) {
      var option = document.createElement("option");
      option.value = p.name;
      option.dataset.slug = p.slug;
      option.textContent = p.name + " (" + p.appearances + " event" + (p.appearances === 1 ? "" : "s") + ", " + p.slug + ")";
      datalist.appendChild(option);
    });
  }

  function slugFor(datalist, name) {
    var options = datalist.querySelectorAll("option");
    for (var i = 0; i < options.length; i++) {
      if (options[i].value === name) { return options[i].dataset.slug || ""; }
    }
    return "";
  }

  function wire(input) {
    var datalist = document.getElementById(input.getAttribute("list"));
    var personInput = document.getElementById(input.dataset.personInput);
    var url = input.dataset.lookupUrl;
    if (!datalist || !personInput || !url || !window.fetch) { return; }
    var timer = null;
    var latest = 0;
    input.addEventListener("input", function () {
      var slug = slugFor(datalist, input.value);
      if (slug) { personInput.value = slug; }
      window.clearTimeout(timer);
      if (input.value.trim().length < 2) { return; }
      timer = window.setTimeout(function () {
        var asked = ++latest;
        fetch(url + "?q=" + encodeURIComponent(input.value.trim()), {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : {results: []}; })
          .then(function (data) { if (asked === latest) { fill(datalist, data.results || []); } })
          .catch(function () { /* the server-side list stays */ });
      }, 200);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-lookup-url]").forEach(wire);
  });
})();
