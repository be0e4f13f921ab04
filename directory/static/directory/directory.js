// The directory's two enhancements. Without this file both still work: the server renders the
// step holding the results open and the browser scrolls to them, and the filters open with a tap.
(function () {
  "use strict";
  // "Show nearest" brings the page back at its listing's results (#step-3-listing-1-results).
  // Focus moves there, so a screen reader reads "Showing places nearest NB2" and the keyboard
  // carries on from the results; if the postcode was refused, to the postcode box and its error.
  function focusResults() {
    var id = window.location.hash.slice(1);
    var target = id ? document.getElementById(id) : null;
    if (!target || !target.classList.contains("sp-directory-listing__results")) return;
    var details = target.closest("details");
    if (details) details.open = true;
    var listing = target.closest(".sp-directory-listing");
    var refused = listing ? listing.querySelector(".sp-input--error") : null;
    var wanted = refused || target;
    if (document.activeElement !== wanted) wanted.focus();
  }
  focusResults();
  // Chrome scrolls to the fragment once the page has loaded, and that takes focus away from
  // anything but the fragment's own target (here, the refused postcode box): so again then.
  window.addEventListener("load", function () { window.setTimeout(focusResults, 0); });
  // The directory's filters start closed, so that on a phone the results come first; on a
  // wider screen they sit beside the results and start open.
  var filters = document.querySelector("[data-directory-filters]");
  if (filters && window.matchMedia("(min-width: 641px)").matches) filters.open = true;
})();
