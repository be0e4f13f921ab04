// The GOV.UK error summary, enhanced: focus moves to it when the page loads, so it is read out
// and scrolled into view on a phone (below the header and back link otherwise). Without this
// file the summary is still the first thing in the main content, linked from the skip link.
// A link in the summary moves to its input and shows that input's label or legend with it.
(function () {
  "use strict";
  var summary = document.querySelector(".sp-error-summary");
  if (!summary) return;
  if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
  summary.focus();
  summary.addEventListener("blur", function () { summary.removeAttribute("tabindex"); });
  summary.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (!link) return;
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) return;
    var details = input.closest ? input.closest("details") : null;
    if (details) details.open = true;
    event.preventDefault();
    var fieldset = input.closest ? input.closest("fieldset") : null;
    var legend = fieldset ? fieldset.querySelector("legend") : null;
    var label = document.querySelector("label[for='" + input.id + "']");
    var target = legend && legend.getBoundingClientRect().top < input.getBoundingClientRect().top &&
      input.getBoundingClientRect().top - legend.getBoundingClientRect().top < window.innerHeight / 2 ? legend : label;
    input.focus({ preventScroll: true });
    (target || input).scrollIntoView();
  });
})();
