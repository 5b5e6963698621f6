/* Map: event locations on an offline Leaflet map (no tiles: country outlines from
   /api/world), fitted to the data, nearby points clustered (Leaflet.markercluster), each
   point coloured by the quad class of most of its events. A point's popup links to the
   events of that place (by GeoNames id, with the page's filters). A layer switch shows the
   incidents instead (/api/incidents/locations: one circle per place, sized by the people
   killed there, linked to the incidents page); ?layer=incidents opens on them. */
"use strict";
(function () {
  var box = document.getElementById("map");
  var table = document.querySelector("#locations tbody");
  var status = document.getElementById("map-status");
  if (!box || !window.L) return;
  var QUAD = ["verbal cooperation", "material cooperation", "verbal conflict", "material conflict"];

  function major(quads) {
    var best = 0, n = -1;
    (quads || []).forEach(function (v, i) { if (v > n) { n = v; best = i + 1; } });
    return n > 0 ? best : 0;
  }

  function placeHref(r) {
    return dm.eventsHref(r.geonameid !== null && r.geonameid !== undefined
      ? { geonameid: r.geonameid, place: null } : { place: r.name || "" });
  }

  function dot(cls, size, label) {
    var d = dm.el("div", { "class": cls }, label);
    d.style.width = size + "px"; d.style.height = size + "px"; d.style.lineHeight = size + "px";
    return d;
  }

  var map = L.map(box, { worldCopyJump: false, minZoom: 1, maxZoom: 14, zoomSnap: 0.5,
                         attributionControl: false, preferCanvas: false });
  map.setView([20, 20], 2);
  var world = L.geoJSON(null, { style: { className: "country", weight: 0.6 }, interactive: false });
  world.addTo(map);
  dm.getJSON("/api/world").then(function (geo) { world.addData(geo); }, function () { /* outlines are optional */ });

  function draw(rows) {
    var pts = rows.filter(function (r) {
      return r && typeof r.lat === "number" && typeof r.lon === "number" &&
             Math.abs(r.lat) <= 90 && Math.abs(r.lon) <= 180;
    });
    var max = pts.reduce(function (m, r) { return Math.max(m, Number(r.n) || 0); }, 1);
    var cluster = L.markerClusterGroup({
      maxClusterRadius: 40, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
      iconCreateFunction: function (c) {
        var quads = [0, 0, 0, 0], n = 0;
        c.getAllChildMarkers().forEach(function (m) {
          n += m.options.n;
          m.options.quads.forEach(function (v, i) { quads[i] += v; });
        });
        var size = Math.round(26 + 18 * Math.sqrt(n / Math.max(max, 1)));
        return L.divIcon({ html: dot("cluster-dot q" + major(quads), size, n),
                           className: "dm-cluster", iconSize: [size, size] });
      }
    });
    var bounds = [];
    pts.forEach(function (r) {
      var n = Number(r.n) || 0, q = major(r.quads);
      var size = Math.round(12 + 22 * Math.sqrt(n / max));
      var marker = L.marker([r.lat, r.lon], {
        icon: L.divIcon({ html: dot("point-dot q" + q, size, ""), className: "dm-point",
                          iconSize: [size, size] }),
        title: (r.name || "?") + " · " + n + " events", n: n, quads: r.quads || [0, 0, 0, 0],
        keyboard: true
      });
      var pop = dm.el("div", { "class": "popup" });
      pop.appendChild(dm.el("b", null, r.name || "?"));
      pop.appendChild(dm.el("span", null, (r.country ? " · " + r.country : "") + " · " + n + " events"));
      var ul = dm.el("ul");
      (r.quads || []).forEach(function (v, i) {
        if (v) ul.appendChild(dm.el("li", { "class": "q" + (i + 1) }, v + " " + QUAD[i]));
      });
      pop.appendChild(ul);
      pop.appendChild(dm.el("a", { href: placeHref(r), "class": "place-events",
                                   "data-geonameid": r.geonameid }, "open these " + n + " events →"));
      marker.bindPopup(pop);
      cluster.addLayer(marker);
      bounds.push([r.lat, r.lon]);
    });
    var startOn = new URLSearchParams(window.location.search).get("layer") === "incidents";
    map.addLayer(startOn ? incidents : cluster);
    L.control.layers({ "Events": cluster, "Incidents (sized by killed)": incidents }, null,
                     { collapsed: false }).addTo(map);
    if (bounds.length === 1) map.setView(bounds[0], 7);
    else if (bounds.length) map.fitBounds(L.latLngBounds(bounds).pad(0.15), { maxZoom: 9 });
    window.dmMap = { map: map, cluster: cluster, incidents: incidents }; /* tests, console */
    if (status) status.textContent = "(" + pts.length + " places)";
    if (table) {
      dm.clear(table);
      pts.slice(0, 100).forEach(function (r) {
        var tr = dm.el("tr");
        var td = dm.el("td");
        td.appendChild(dm.el("a", { href: placeHref(r) }, r.name || "?"));
        tr.appendChild(td);
        tr.appendChild(dm.el("td", null, r.country || ""));
        tr.appendChild(dm.el("td", { "class": "num" }, r.lat.toFixed(2)));
        tr.appendChild(dm.el("td", { "class": "num" }, r.lon.toFixed(2)));
        tr.appendChild(dm.el("td", { "class": "num" }, r.n));
        table.appendChild(tr);
      });
    }
    document.body.setAttribute("data-points", String(pts.length));
  }

  var incidents = L.layerGroup();

  function drawIncidents(rows) {
    var pts = rows.filter(function (r) {
      return r && typeof r.lat === "number" && typeof r.lon === "number" &&
             Math.abs(r.lat) <= 90 && Math.abs(r.lon) <= 180;
    });
    var max = pts.reduce(function (m, r) { return Math.max(m, Number(r.killed) || 0); }, 1);
    pts.forEach(function (r) {
      var killed = Number(r.killed) || 0, n = Number(r.n) || 0;
      var size = Math.round(12 + 42 * Math.sqrt(killed / max));
      var marker = L.marker([r.lat, r.lon], {
        icon: L.divIcon({ html: dot("incident-point", size, killed ? killed : ""),
                          className: "dm-incident", iconSize: [size, size] }),
        title: (r.name || "?") + " · " + n + " incidents · " + killed + " killed",
        keyboard: true
      });
      var pop = dm.el("div", { "class": "popup" });
      pop.appendChild(dm.el("b", null, r.name || "?"));
      pop.appendChild(dm.el("span", null, (r.admin1 && r.admin1 !== r.name ? " · " + r.admin1 : "") +
        (r.country ? " · " + r.country : "")));
      pop.appendChild(dm.el("p", null, n + " incidents · " + killed + " killed · " +
        (Number(r.injured) || 0) + " injured"));
      var q = dm.filterQuery({ place: r.name || "", geonameid: null });
      pop.appendChild(dm.el("a", { href: "/incidents?" + q.toString(), "class": "place-incidents" },
        "open these incidents →"));
      marker.bindPopup(pop);
      incidents.addLayer(marker);
    });
    document.body.setAttribute("data-incident-points", String(pts.length));
  }

  dm.getJSON("/api/incidents/locations", dm.filterQuery()).then(drawIncidents, function () {
    document.body.setAttribute("data-incident-points", "0"); /* a store without incidents */
  });

  dm.getJSON("/api/locations", dm.filterQuery()).then(draw, function (e) {
    dm.showError(box, e);
  });
})();
