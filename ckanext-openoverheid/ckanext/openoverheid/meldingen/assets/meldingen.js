/* Meldingen maps (Leaflet + markercluster from /vendor/, see config/provision/assets.sh; the shared parts
 * of every map are in openoverheid-maps.js).
 *
 * Progressive enhancement: every page works without this file. The maps are focusable and can be
 * moved with the arrow keys (Leaflet's keyboard support); on the report form, Enter puts the pin in
 * the middle of the map, "use my location" asks the browser (Geolocation API), and the chosen point
 * is written into the latitude/longitude inputs and announced. Nearby open reports of the same
 * category are shown as possible duplicates. On the list, "search in this map area" fills the bbox.
 */
(function () {
  "use strict";

  var maps = window.OpenOverheidMaps;
  var config = maps.config, baseMap = maps.baseMap, escapeHtml = maps.escapeHtml;

  function browseMap(element) {
    var settings = config(element, "data-meldingen-map");
    if (!settings) { return; }
    var map = baseMap(element, settings);
    // A search by map area shows that area again, not the whole set of results.
    var input = document.getElementById(element.getAttribute("data-bbox-input"));
    var area = maps.fitSearchedArea(map, input);
    var cluster = L.markerClusterGroup ? L.markerClusterGroup({ chunkedLoading: true }) : L.layerGroup();
    map.addLayer(cluster);
    maps.showFeatures(map, element.getAttribute("data-geojson-url"), function (p) {
      return '<a href="' + escapeHtml(p.url) + '">' + escapeHtml(p.category) + "</a><br>" +
        escapeHtml(p.status_name) + "<br>" + escapeHtml((p.description || "").slice(0, 120));
    }, { layer: cluster, area: area, maxZoom: 16 });
    function searchHere() {
      input.value = maps.boundsText(map);
      input.form.submit();
    }
    var button = document.getElementById(element.getAttribute("data-bbox-button"));
    if (input && button) {
      button.hidden = false;
      button.addEventListener("click", searchHere);
    }
    var message = document.getElementById("kaart-bericht");
    if (input && message) {
      maps.locateButton(document.getElementById("zoek-bij-mij"), message, function (here) {
        map.setView(here, 15, { animate: false });
        searchHere();
      }, { timeout: 15000, maximumAge: 60000 });
    }
  }

  function pickerMap(element) {
    var settings = config(element, "data-meldingen-picker");
    if (!settings) { return; }
    var form = element.closest("form");
    var lat = document.getElementById("field-lat");
    var lon = document.getElementById("field-lon");
    var category = document.getElementById("field-service_code");
    var announce = document.getElementById("gekozen-locatie");
    var nearby = document.getElementById("in-de-buurt");
    var start = settings.center;
    if (lat.value && lon.value && !isNaN(parseFloat(lat.value))) {
      start = [parseFloat(lat.value), parseFloat(lon.value)];
      settings.zoom = 17;
    }
    var map = baseMap(element, { tileUrl: settings.tileUrl, attribution: settings.attribution, center: start, zoom: settings.zoom });
    var marker = null;

    function showNearby() {
      if (!nearby || !lat.value || !lon.value || !category.value) { return; }
      var url = form.getAttribute("data-nearby-url") + "?lat=" + encodeURIComponent(lat.value) +
        "&lon=" + encodeURIComponent(lon.value) + "&service_code=" + encodeURIComponent(category.value);
      fetch(url).then(function (r) { return r.ok ? r.json() : []; }).then(function (items) {
        if (!items.length) { nearby.innerHTML = ""; return; }
        nearby.innerHTML = "<h2 class=\"h5\">" + escapeHtml(nearby.getAttribute("data-title")) + "</h2><ul>" +
          items.map(function (m) {
            return '<li><a href="' + escapeHtml(m.url) + '">' + escapeHtml(m.category) + ": " +
              escapeHtml((m.description || "").slice(0, 80)) + "</a> (" + escapeHtml(m.status_name) + ", " +
              m.distance_m + " " + escapeHtml(nearby.getAttribute("data-distance")) + ")</li>";
          }).join("") + "</ul>";
      }).catch(function () {});
    }

    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
      element.classList.remove("meldingen-map-invalid");
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (announce) { announce.textContent = lat.value + ", " + lon.value; }
      showNearby();
    }

    if (lat.value && lon.value && !isNaN(parseFloat(lat.value))) { place(L.latLng(start[0], start[1])); }
    maps.pickOnMap(map, element, place);
    [lat, lon].forEach(function (input) {
      input.addEventListener("change", function () {
        var a = parseFloat(lat.value), b = parseFloat(lon.value);
        if (!isNaN(a) && !isNaN(b)) { place(L.latLng(a, b)); map.setView([a, b], 17); }
      });
    });
    if (category) { category.addEventListener("change", showNearby); }

    var locate = document.getElementById("gebruik-locatie");
    if (announce) {
      maps.locateButton(locate, announce, function (here) {
        map.setView(here, 17);
        place(here);
        announce.textContent = locate.getAttribute("data-found") + " (" + lat.value + ", " + lon.value + ")";
      });
    }
    element.closest("fieldset").classList.add("meldingen-map-ready");
  }

  // The dashboard's heat map: the reports counted in squares (by the server), coloured in five classes
  // of the busiest square's count, with a legend. The same counts are in the table below the map.
  var HEAT_COLOURS = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];

  function heatClass(count, max) {
    return Math.min(HEAT_COLOURS.length - 1, Math.floor((count / max) * HEAT_COLOURS.length - 1e-9));
  }

  function heatMap(element) {
    var settings = config(element, "data-meldingen-map");
    var heat = config(element, "data-meldingen-heat");
    if (!settings || !heat) { return; }
    var map = baseMap(element, settings);
    var max = heat.cells.reduce(function (m, cell) { return Math.max(m, cell.count); }, 0);
    if (!max) { return; }
    var layer = L.featureGroup(heat.cells.map(function (cell) {
      var colour = HEAT_COLOURS[heatClass(cell.count, max)];
      return L.rectangle([[cell.south, cell.west], [cell.north, cell.east]],
        { color: colour, weight: 1, fillColor: colour, fillOpacity: 0.7 }).bindTooltip(String(cell.count));
    })).addTo(map);
    map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [20, 20] });
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "meldingen-heat-legend");
      var rows = HEAT_COLOURS.map(function (colour, index) {
        var low = Math.floor((index / HEAT_COLOURS.length) * max) + 1;
        var high = Math.floor(((index + 1) / HEAT_COLOURS.length) * max);
        if (high < low) { return ""; }
        return "<li><span style=\"background:" + colour + "\"></span>" + (low === high ? low : low + "–" + high) + "</li>";
      }).join("");
      box.innerHTML = "<strong>" + escapeHtml(element.getAttribute("data-legend-title") || "") + "</strong><ul>" + rows + "</ul>";
      return box;
    };
    legend.addTo(map);
  }

  function toggleAttributes(code) {
    document.querySelectorAll(".meldingen-attributes").forEach(function (fieldset) {
      var match = fieldset.getAttribute("data-category") === code;
      fieldset.hidden = !match;
      fieldset.disabled = !match;
    });
  }

  // A status that needs an explanation makes the response required (the server checks it too).
  function explanationRule() {
    var status = document.getElementById("field-status");
    var text = document.getElementById("field-text");
    if (!status || !text) { return; }
    function update() {
      var option = status.options[status.selectedIndex];
      var needed = Boolean(option && option.hasAttribute("data-explanation-required"));
      text.required = needed;
      text.setAttribute("aria-required", String(needed));
    }
    status.addEventListener("change", update);
    update();
  }

  function confirmFirst(button) {
    button.form.addEventListener("submit", function (event) {
      if (!window.confirm(button.getAttribute("data-meldingen-confirm"))) { event.preventDefault(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    maps.focusErrors();
    document.querySelectorAll("[data-meldingen-confirm]").forEach(confirmFirst);
    explanationRule();
    var category = document.getElementById("field-service_code");
    if (category && document.querySelector(".meldingen-attributes")) {
      category.addEventListener("change", function () { toggleAttributes(category.value); });
      toggleAttributes(category.value);
    }
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-meldingen-map]:not([data-meldingen-heat])").forEach(browseMap);
    document.querySelectorAll("[data-meldingen-heat]").forEach(heatMap);
    document.querySelectorAll("[data-meldingen-point]").forEach(function (element) {
      maps.pointMap(element, "data-meldingen-point");
    });
    document.querySelectorAll("[data-meldingen-picker]").forEach(pickerMap);
  });
})();
