// Progressive enhancement only: every form works without this file.
(function () {
  "use strict";
  // "Use my current location" fills the latitude and longitude inputs of a location question.
  document.querySelectorAll("[data-use-my-location]").forEach(function (button) {
    if (!("geolocation" in navigator)) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var name = button.getAttribute("data-use-my-location");
      navigator.geolocation.getCurrentPosition(function (position) {
        document.getElementById(name + "-latitude").value = position.coords.latitude.toFixed(6);
        document.getElementById(name + "-longitude").value = position.coords.longitude.toFixed(6);
      });
    });
  });
  // One click sends once: a second click while the page is loading does nothing.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("[data-prevent-double-click]");
      if (button) { setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
})();
