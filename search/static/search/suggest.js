/* Suggestions as you type, for any search box marked data-search-suggest (or #site-search).
 * Progressive enhancement: without JavaScript the boxes are plain search forms.
 * Follows the ARIA 1.2 combobox pattern: arrow keys move, Enter follows, Escape closes. */
(function () {
  "use strict";
  var DELAY = 200;

  function setUp(input) {
    var list = document.createElement("ul");
    var listId = input.id + "-suggestions";
    var status = document.createElement("div");
    var timer = null, active = -1, items = [], lastQuery = "";

    list.id = listId;
    list.className = "sp-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    status.className = "sp-visually-hidden";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      active = index;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(suggestions) {
      items = suggestions;
      list.innerHTML = "";
      suggestions.forEach(function (suggestion, index) {
        var option = document.createElement("li");
        var link = document.createElement("a");
        option.id = listId + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        link.href = suggestion.url;
        link.className = "sp-link";
        link.tabIndex = -1;
        link.textContent = suggestion.title;
        option.appendChild(link);
        list.appendChild(option);
      });
      list.hidden = suggestions.length === 0;
      input.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
      status.textContent = suggestions.length ? suggestions.length + " suggestions available" : "";
      active = -1;
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < 2) { close(); return; }
      if (query === lastQuery) { return; }
      lastQuery = query;
      var lang = document.documentElement.lang || "en-gb";
      fetch("/api/v1/search/suggest?q=" + encodeURIComponent(query) + "&locale=" + encodeURIComponent(lang),
            { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === query) { show(data.suggestions || []); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, -1)); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); window.location.href = items[active].url; }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  var inputs = document.querySelectorAll("[data-search-suggest], #site-search");
  // Once per box, even if a page includes this script twice: a second list would repeat its id.
  for (var i = 0; i < inputs.length; i++) {
    if (inputs[i].id && !inputs[i].hasAttribute("data-suggest-ready")) {
      inputs[i].setAttribute("data-suggest-ready", "");
      setUp(inputs[i]);
    }
  }
})();
