// The complaint map: Leaflet (vendored) on the region's tile server, the dots from the page's JSON.
// Without a tile URL, or when the tiles cannot load, the plain SVG map and the list stay in view.
(function () {
  "use strict";
  var box = document.getElementById("complaint-map");
  var data = document.getElementById("complaint-markers");
  if (!box || !data || typeof L === "undefined") { return; }
  var markers = JSON.parse(data.textContent);
  var tiles = box.getAttribute("data-tile-url");
  if (!tiles || !markers.length) { return; }
  box.hidden = false;
  var map = L.map(box, { scrollWheelZoom: false });
  var failed = false;
  var layer = L.tileLayer(tiles, { maxZoom: 19, attribution: box.getAttribute("data-attribution") || "" });
  layer.on("tileerror", function () {
    if (failed) { return; }
    failed = true;
    document.getElementById("map-tiles-failed").hidden = false;
    document.getElementById("plain-map").style.display = "";
  });
  layer.addTo(map);
  var bounds = [];
  markers.forEach(function (m) {
    var dot = L.circleMarker([m.lat, m.lng], { radius: 7, color: m.closed ? "#2e7d32" : "#b3541e", fillOpacity: 0.8 });
    dot.bindTooltip(m.title);
    dot.on("click", function () { window.location.href = m.url; });
    dot.addTo(map);
    bounds.push([m.lat, m.lng]);
  });
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
  document.getElementById("plain-map").style.display = "none";
})();
