/* Verzoeken: maps (Leaflet from /vendor/, see config/provision/assets.sh; the shared parts of every map
 * are in openoverheid-maps.js) and the look-alike requests.
 *
 * Progressive enhancement: every page works without this file. On the form, requests whose title looks
 * like the one typed are offered (the Action API's verzoek_similar) so that residents support what
 * exists; the place of an idea is chosen on a map (click, Enter for the middle, or "use my location")
 * and written into hidden inputs. On the list, the ideas with a place are on a map; "search in this map
 * area" filters the list to the area shown. The maps can be moved with the arrow keys.
 */
(function () {
  "use strict";

  var maps = window.OpenOverheidMaps;
  var config = maps.config, baseMap = maps.baseMap, escapeHtml = maps.escapeHtml;

  function browseMap(element) {
    var settings = config(element, "data-verzoeken-map");
    if (!settings) { return; }
    var map = baseMap(element, settings);
    var area = maps.fitSearchedArea(map, document.getElementById("filter-bbox"));
    maps.showFeatures(map, element.getAttribute("data-geojson-url"), function (p) {
      return '<a href="' + escapeHtml(p.url) + '">' + escapeHtml(p.titel) + "</a><br>" +
        escapeHtml(p.status_name) + " · " + escapeHtml(p.support_count);
    }, { area: area, maxZoom: 15 });
    var button = document.getElementById("zoek-in-kaartgebied");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var url = new URL(element.getAttribute("data-search-url"), window.location.href);
        url.searchParams.set("bbox", maps.boundsText(map));
        url.searchParams.set("soort", "idee");
        url.searchParams.delete("pagina");
        window.location.href = url.toString();
      });
    }
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
    maps.pickOnMap(map, element, place);
    clear.addEventListener("click", function () {
      if (marker) { map.removeLayer(marker); marker = null; }
      lat.value = ""; lon.value = "";
      announce.textContent = clear.getAttribute("data-cleared");
      clear.hidden = true;
    });
    var locate = document.getElementById("gebruik-locatie");
    maps.locateButton(locate, announce, function (here) {
      map.setView(here, 16);
      place(here);
      announce.textContent = locate.getAttribute("data-found") + " (" + lat.value + ", " + lon.value + ")";
    });
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

  document.addEventListener("DOMContentLoaded", function () {
    maps.focusErrors();
    var form = document.querySelector("form[data-similar-url]");
    if (form) { similarRequests(form); }
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-verzoeken-map]").forEach(browseMap);
    document.querySelectorAll("[data-verzoeken-point]").forEach(function (element) {
      maps.pointMap(element, "data-verzoeken-point");
    });
    document.querySelectorAll("[data-verzoeken-picker]").forEach(pickerMap);
  });
})();
