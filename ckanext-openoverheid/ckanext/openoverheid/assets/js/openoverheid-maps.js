/* The portal's maps (Leaflet from /vendor/, see config/provision/assets.sh), shared by meldingen and
 * verzoeken: window.OpenOverheidMaps. Each feature keeps only what is its own (which markers, which
 * popups, which inputs); the way a map is made, moved by keyboard, fitted to a searched area, searched
 * "in this map area" and placed by "use my location" is written once, here.
 */
(function () {
  "use strict";

  function config(element, attribute) {
    try { return JSON.parse(element.getAttribute(attribute)); } catch (e) { return null; }
  }

  // A focusable map the arrow keys move (Leaflet's keyboard support); the wheel scrolls the page.
  function baseMap(element, settings) {
    var map = L.map(element, { keyboard: true, scrollWheelZoom: false }).setView(settings.center, settings.zoom);
    L.tileLayer(settings.tileUrl, { attribution: settings.attribution, maxZoom: 19 }).addTo(map);
    return map;
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  // The area "west,south,east,north" of a search input, fitted on the map; null when there is none,
  // so that the caller fits the markers instead.
  function fitSearchedArea(map, input) {
    var area = input && input.value.split(",").map(parseFloat);
    if (area && area.length === 4 && area.every(function (v) { return !isNaN(v); })) {
      map.fitBounds([[area[1], area[0]], [area[3], area[2]]]);
      return area;
    }
    return null;
  }

  function boundsText(map) {
    var bounds = map.getBounds();
    return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map(function (v) { return v.toFixed(5); }).join(",");
  }

  // The markers of a GeoJSON URL, with a popup each, into ``layer`` (or straight onto the map); the
  // map is fitted to them unless it shows a searched area. A failed fetch leaves the list beside it.
  function showFeatures(map, url, popup, options) {
    var into = options.layer || map;
    return fetch(url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          onEachFeature: function (feature, marker) { marker.bindPopup(popup(feature.properties)); }
        });
        into.addLayer(layer);
        if (!options.area && collection.features && collection.features.length) {
          map.fitBounds(layer.getBounds(), { maxZoom: options.maxZoom || 16, padding: [20, 20] });
        }
      })
      .catch(function () { /* the list beside the map shows the same items */ });
  }

  // A map of one point, not to be changed.
  function pointMap(element, attribute) {
    var settings = config(element, attribute);
    if (!settings) { return; }
    var map = baseMap(element, settings);
    L.marker(settings.center, { keyboard: false }).addTo(map);
  }

  // A button that asks the browser where the user is (Geolocation API): its data-busy, data-denied and
  // data-unavailable say what happens in ``announce``; ``found`` gets the place. Hidden without support.
  function locateButton(button, announce, found, options) {
    if (!button || !navigator.geolocation) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      announce.textContent = button.getAttribute("data-busy");
      navigator.geolocation.getCurrentPosition(function (position) {
        found(L.latLng(position.coords.latitude, position.coords.longitude));
      }, function (error) {
        announce.textContent = button.getAttribute(error.code === 1 ? "data-denied" : "data-unavailable");
      }, options || { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  // A map to choose a point on: a click, or Enter/Space for the middle, puts the pin; ``place`` gets it.
  function pickOnMap(map, element, place) {
    map.on("click", function (event) { place(event.latlng); });
    element.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); place(map.getCenter()); }
    });
  }

  // After a refused submit the error summary gets the focus, so a screen reader reads it first.
  function focusErrors() {
    var summary = document.getElementById("foutmeldingen") || document.getElementById("dubbel");
    if (summary) { summary.focus(); }
  }

  window.OpenOverheidMaps = {
    config: config, baseMap: baseMap, escapeHtml: escapeHtml, fitSearchedArea: fitSearchedArea,
    boundsText: boundsText, showFeatures: showFeatures, pointMap: pointMap, locateButton: locateButton,
    pickOnMap: pickOnMap, focusErrors: focusErrors
  };
})();
