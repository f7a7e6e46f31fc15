/* Verzoeken: maps (Leaflet from /vendor/, see config/provision/assets.sh) and the look-alike requests.
 *
 * Progressive enhancement: every page works without this file. On the form, requests whose title looks
 * like the one typed are offered (the Action API's verzoek_similar) so that residents support what
 * exists; the place of an idea is chosen on a map (click, Enter for the middle, or "use my location")
 * and written into hidden inputs. On the list, the ideas with a place are on a map; "search in this map
 * area" filters the list to the area shown. The maps can be moved with the arrow keys.
 */
(function () {
  "use strict";

  function config(element, attribute) {
    try { return JSON.parse(element.getAttribute(attribute)); } catch (e) { return null; }
  }

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

  function browseMap(element) {
    var settings = config(element, "data-verzoeken-map");
    if (!settings) { return; }
    var map = baseMap(element, settings);
    var bboxInput = document.getElementById("filter-bbox");
    var area = bboxInput && bboxInput.value.split(",").map(parseFloat);
    if (area && area.length === 4 && area.every(function (v) { return !isNaN(v); })) {
      map.fitBounds([[area[1], area[0]], [area[3], area[2]]]);
    } else {
      area = null;
    }
    fetch(element.getAttribute("data-geojson-url"), { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          onEachFeature: function (feature, marker) {
            var p = feature.properties;
            marker.bindPopup('<a href="' + escapeHtml(p.url) + '">' + escapeHtml(p.titel) + "</a><br>" +
              escapeHtml(p.status_name) + " · " + escapeHtml(p.support_count));
          }
        }).addTo(map);
        if (!area && collection.features && collection.features.length) {
          map.fitBounds(layer.getBounds(), { maxZoom: 15, padding: [20, 20] });
        }
      })
      .catch(function () { /* the list shows the same ideas */ });
    var button = document.getElementById("zoek-in-kaartgebied");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var bounds = map.getBounds();
        var url = new URL(element.getAttribute("data-search-url"), window.location.href);
        url.searchParams.set("bbox", [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
          .map(function (v) { return v.toFixed(5); }).join(","));
        url.searchParams.set("soort", "idee");
        url.searchParams.delete("pagina");
        window.location.href = url.toString();
      });
    }
  }

  function pointMap(element) {
    var settings = config(element, "data-verzoeken-point");
    if (!settings) { return; }
    var map = baseMap(element, settings);
    L.marker(settings.center, { keyboard: false }).addTo(map);
  }

  function pickerMap(element) {
    var settings = config(element, "data-verzoeken-picker");
    if (!settings) { return; }
    var lat = document.getElementById("input-lat");
    var lon = document.getElementById("input-lon");
    var announce = document.getElementById("gekozen-plek");
    var clear = document.getElementById("plek-wissen");
    var start = settings.center;
    var chosen = lat.value && lon.value && !isNaN(parseFloat(lat.value)) && !isNaN(parseFloat(lon.value));
    if (chosen) { start = [parseFloat(lat.value), parseFloat(lon.value)]; settings.zoom = 16; }
    var map = baseMap(element, { tileUrl: settings.tileUrl, attribution: settings.attribution, center: start, zoom: settings.zoom });
    var marker = null;

    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      announce.textContent = lat.value + ", " + lon.value;
      clear.hidden = false;
    }

    if (chosen) { place(L.latLng(start[0], start[1])); }
    map.on("click", function (event) { place(event.latlng); });
    element.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); place(map.getCenter()); }
    });
    clear.addEventListener("click", function () {
      if (marker) { map.removeLayer(marker); marker = null; }
      lat.value = ""; lon.value = "";
      announce.textContent = clear.getAttribute("data-cleared");
      clear.hidden = true;
    });
    var locate = document.getElementById("gebruik-locatie");
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        announce.textContent = locate.getAttribute("data-busy");
        navigator.geolocation.getCurrentPosition(function (position) {
          var here = L.latLng(position.coords.latitude, position.coords.longitude);
          map.setView(here, 16);
          place(here);
          announce.textContent = locate.getAttribute("data-found") + " (" + lat.value + ", " + lon.value + ")";
        }, function (error) {
          announce.textContent = locate.getAttribute(error.code === 1 ? "data-denied" : "data-unavailable");
        }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    }
    var fieldset = element.closest("fieldset");
    fieldset.classList.add("verzoeken-map-ready");
    // Only an idea has a place: the map is shown when "share an idea" is chosen.
    function showForKind() {
      var idea = document.getElementById("field-soort-idee");
      fieldset.hidden = !(idea && idea.checked);
      fieldset.disabled = fieldset.hidden; // a data request is sent without a place
      if (!fieldset.hidden) { map.invalidateSize(); }
    }
    document.querySelectorAll('input[name="soort"]').forEach(function (radio) {
      radio.addEventListener("change", showForKind);
    });
    showForKind();
  }

  // Requests that look like the title typed: "does this exist already? then support that request".
  function similarRequests(form) {
    var title = document.getElementById("field-titel");
    var organisation = document.getElementById("field-organisatie");
    var box = document.getElementById("lijkt-op");
    if (!title || !box || !window.fetch) { return; }
    var timer = null;
    var asked = "";
    function ask() {
      var kind = form.querySelector('input[name="soort"]:checked');
      var params = new URLSearchParams({ titel: title.value.trim() });
      if (organisation && organisation.value) { params.set("organisatie", organisation.value); }
      if (kind) { params.set("soort", kind.value); }
      var query = params.toString();
      if (query === asked) { return; }
      asked = query;
      if (title.value.trim().length < 5) { box.innerHTML = ""; return; }
      fetch(form.getAttribute("data-similar-url") + "?" + query, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { result: [] }; })
        .then(function (answer) {
          var items = answer.result || [];
          if (!items.length) { box.innerHTML = ""; return; }
          box.innerHTML = '<h2 class="h5">' + escapeHtml(box.getAttribute("data-title")) + "</h2><ul>" +
            items.map(function (v) {
              return '<li><a href="' + escapeHtml(v.url) + '">' + escapeHtml(v.titel) + "</a> (" +
                escapeHtml(v.status_name) + ", " + escapeHtml(v.support_count) + " " +
                escapeHtml(box.getAttribute("data-supporters")) + ")</li>";
            }).join("") + "</ul>";
        })
        .catch(function () {});
    }
    function later() { clearTimeout(timer); timer = setTimeout(ask, 400); }
    title.addEventListener("input", later);
    if (organisation) { organisation.addEventListener("change", later); }
    form.querySelectorAll('input[name="soort"]').forEach(function (radio) { radio.addEventListener("change", later); });
  }

  function focusErrors() {
    var summary = document.getElementById("foutmeldingen") || document.getElementById("dubbel");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrors();
    var form = document.querySelector("form[data-similar-url]");
    if (form) { similarRequests(form); }
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-verzoeken-map]").forEach(browseMap);
    document.querySelectorAll("[data-verzoeken-point]").forEach(pointMap);
    document.querySelectorAll("[data-verzoeken-picker]").forEach(pickerMap);
  });
})();
