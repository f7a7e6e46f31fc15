/* Permits map: the server renders the list and the form (they work without JavaScript); this adds
   the Leaflet map of the same results, "show on map" buttons, search by clicking on the map and
   "use my location". Data comes from the JSON block the page carries, so no second request. */
(function () {
  "use strict";

  function setPoint(form, lat, lon) {
    ["lat", "lon"].forEach(function (name) {
      var input = form.querySelector('input[name="' + name + '"]');
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        form.appendChild(input);
      }
      input.value = (name === "lat" ? lat : lon).toFixed(6);
    });
    var q = form.querySelector('input[name="q"]');
    if (q) { q.value = ""; }
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function init() {
    var element = document.getElementById("vergunningen-kaart");
    var dataElement = document.getElementById("vergunningen-data");
    if (!element || !dataElement || typeof window.L === "undefined") { return; }
    var L = window.L;
    var data = JSON.parse(dataElement.textContent || "{}");
    var form = document.querySelector(".vergunningen-form");
    var map = L.map(element, { keyboard: true }).setView([52.1, 5.3], 8);
    L.tileLayer(element.dataset.tileUrl, {
      attribution: escapeHtml(element.dataset.attribution), maxZoom: 19
    }).addTo(map);

    var markers = [];
    var bounds = [];
    (data.features || []).forEach(function (feature, index) {
      if (!feature.geometry) { markers.push(null); return; }
      var lon = feature.geometry.coordinates[0];
      var lat = feature.geometry.coordinates[1];
      var p = feature.properties || {};
      var title = p.title || p.identifier;
      var marker = L.marker([lat, lon], { title: title, alt: title, keyboard: true }).addTo(map);
      var html = p.url ? '<a href="' + escapeHtml(p.url) + '" rel="external">' + escapeHtml(title) + "</a>"
                       : escapeHtml(title);
      marker.bindPopup(html);
      marker.on("click", function () {
        var item = document.querySelectorAll(".vergunningen-item")[index];
        if (item) {
          document.querySelectorAll(".vergunningen-item.is-active").forEach(function (el) {
            el.classList.remove("is-active");
          });
          item.classList.add("is-active");
          // Beside the list (wide screens) the map stays in view, so bring the permit into view; on a
          // phone the list is below the map and scrolling away would lose the popup just opened.
          if (window.matchMedia("(min-width: 768px)").matches) { item.scrollIntoView({ block: "nearest" }); }
        }
      });
      markers.push(marker);
      bounds.push([lat, lon]);
    });

    if (element.dataset.lat) {
      var centre = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
      L.circle(centre, { radius: parseInt(element.dataset.straal, 10) || 500, fill: false }).addTo(map)
        .bindTooltip(element.dataset.labelHere);
      bounds.push(centre);
    }
    if (bounds.length) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 }); }

    document.querySelectorAll(".vergunningen-show").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var marker = markers[parseInt(button.dataset.index, 10)];
        if (!marker) { return; }
        map.setView(marker.getLatLng(), Math.max(map.getZoom(), 16));
        marker.openPopup();
        element.focus();
      });
    });

    if (form) {
      map.on("click", function (event) {
        setPoint(form, event.latlng.lat, event.latlng.lng);
        form.submit();
      });
      var here = form.querySelector(".vergunningen-here");
      if (here && navigator.geolocation) {
        here.hidden = false;
        here.addEventListener("click", function () {
          navigator.geolocation.getCurrentPosition(function (position) {
            setPoint(form, position.coords.latitude, position.coords.longitude);
            form.submit();
          });
        });
      }
    }
  }

  // On a phone the filters fold away while none is chosen: the results come first.
  function foldFilters() {
    var filters = document.querySelector(".vergunningen-filters");
    if (filters && window.matchMedia("(max-width: 767.98px)").matches
        && !filters.querySelector("input:checked")) {
      filters.open = false;
    }
  }

  foldFilters();
  if (document.readyState === "complete") { init(); } else { window.addEventListener("load", init); }
})();
