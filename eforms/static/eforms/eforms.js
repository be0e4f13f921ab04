// Progressive enhancement only: every form works without this file.
(function () {
  "use strict";
  // The location map: only when Leaflet has loaded (it is left out when not installed). The
  // typed description is always there; the pin goes in two hidden inputs, never shown.
  document.querySelectorAll("[data-location-map]").forEach(function (box) {
    if (!window.L) return;
    locationMap(box);
  });

  function locationMap(box) {
    var name = box.getAttribute("data-location-map");
    var text = function (key) { return box.getAttribute("data-text-" + key) || ""; };
    var latInput = document.getElementById(name + "-latitude");
    var lngInput = document.getElementById(name + "-longitude");
    var status = box.parentNode.querySelector("[data-map-status]");
    var searchInput = box.querySelector("[data-map-search-input]");
    var searchError = box.querySelector("[data-map-search-error]");
    var places = box.querySelector("[data-map-places]");
    var clear = box.querySelector("[data-map-clear]");
    var centre = box.getAttribute("data-centre").split(",").map(Number);
    var bounds = box.getAttribute("data-bounds");
    box.hidden = false;

    var map = L.map(box.querySelector("[data-map]"), {
      center: centre,
      zoom: Number(box.getAttribute("data-zoom")) || 16,
      keyboardPanDelta: 100,
      zoomSnap: 1
    });
    if (bounds) {
      var b = bounds.split(",").map(Number);
      var area = L.latLngBounds([b[0], b[1]], [b[2], b[3]]);
      map.setMaxBounds(area.pad(0.1));
    }
    map.attributionControl.setPrefix(false);
    L.tileLayer(box.getAttribute("data-tiles"), {
      attribution: box.getAttribute("data-attribution"),
      maxZoom: 19,
      minZoom: bounds ? 11 : 5
    }).addTo(map);
    var marker = null;

    function inArea(latlng) {
      if (!bounds) return true;
      var b = bounds.split(",").map(Number);
      return latlng.lat >= b[0] && latlng.lat <= b[2] && latlng.lng >= b[1] && latlng.lng <= b[3];
    }
    function say(message) {
      // Emptied first, so saying the same words twice is still announced.
      status.textContent = "";
      setTimeout(function () { status.textContent = message; }, 50);
    }
    function place(latlng, words) {
      if (!inArea(latlng)) { say(text("outside")); return; }
      latInput.value = latlng.lat.toFixed(6);
      lngInput.value = latlng.lng.toFixed(6);
      if (marker) { marker.setLatLng(latlng); }
      else { marker = L.marker(latlng, { interactive: false, keyboard: false, alt: "" }).addTo(map); }
      clear.hidden = false;
      say(words ? text("placed-near").replace("%(address)s", words) : text("placed"));
    }
    if (latInput.value && lngInput.value) {
      var kept = L.latLng(Number(latInput.value), Number(lngInput.value));
      marker = L.marker(kept, { interactive: false, keyboard: false, alt: "" }).addTo(map);
      map.setView(kept, Math.max(map.getZoom(), 17));
      clear.hidden = false;
    }

    map.on("click", function (event) { place(event.latlng); });
    map.getContainer().addEventListener("keydown", function (event) {
      if (event.target !== map.getContainer()) return;
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();  // neither submit the form nor scroll the page
        place(map.getCenter());
      }
    });
    box.querySelector("[data-map-drop]").addEventListener("click", function () {
      place(map.getCenter());
    });
    clear.addEventListener("click", function () {
      if (marker) { map.removeLayer(marker); marker = null; }
      latInput.value = lngInput.value = "";
      clear.hidden = true;
      say(text("removed"));
    });

    var locate = box.querySelector("[data-map-locate]");
    if ("geolocation" in navigator) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (position) {
          var here = L.latLng(position.coords.latitude, position.coords.longitude);
          map.setView(here, 17);
          place(here);
        }, function () { say(text("no-location")); }, { timeout: 15000 });
      });
    }

    function showError(message) {
      searchError.textContent = message;
      searchError.hidden = !message;
      searchInput.classList.toggle("sp-input--error", !!message);
      if (message) { searchInput.setAttribute("aria-describedby", searchError.id); }
      else { searchInput.removeAttribute("aria-describedby"); }
    }
    function go(found) {
      var here = L.latLng(found.latitude, found.longitude);
      map.setView(here, 18);
      place(here, found.name);
    }
    function search() {
      var query = searchInput.value.trim();
      places.hidden = true;
      places.textContent = "";
      fetch(box.getAttribute("data-search-url") + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" }, credentials: "same-origin"
      }).then(function (response) {
        return response.json();
      }).then(function (answer) {
        if (answer.error || !answer.places || !answer.places.length) {
          showError(answer.error || answer.message);
          searchInput.focus();
          return;
        }
        showError("");
        go(answer.places[0]);
        // More than one: the others are offered as buttons, the first is already on the map.
        answer.places.slice(1).forEach(function (other) {
          var item = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "sp-button sp-button--secondary sp-location-map__place";
          button.textContent = other.name;
          button.addEventListener("click", function () { go(other); });
          item.appendChild(button);
          places.appendChild(item);
        });
        places.hidden = answer.places.length < 2;
      }).catch(function () { showError(text("search-failed")); });
    }
    box.querySelector("[data-map-search]").addEventListener("click", search);
    searchInput.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); search(); }  // not the form's Continue
    });
  }
  // One click sends once: a second click while the page is loading does nothing.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("[data-prevent-double-click]");
      if (button) { setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
})();
