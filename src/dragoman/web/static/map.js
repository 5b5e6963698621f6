/* Map: event locations as circles (area ∝ count) over the server-drawn country outlines. */
"use strict";
(function () {
  var layer = document.getElementById("points");
  var table = document.querySelector("#locations tbody");
  if (!layer) return;

  function draw(rows) {
    dm.clear(layer);
    if (table) dm.clear(table);
    var pts = rows.filter(function (r) {
      return r && typeof r.lat === "number" && typeof r.lon === "number" &&
             Math.abs(r.lat) <= 90 && Math.abs(r.lon) <= 180;
    });
    pts.sort(function (a, b) { return (Number(b.n) || 0) - (Number(a.n) || 0); });
    var max = pts.reduce(function (m, r) { return Math.max(m, Number(r.n) || 0); }, 1);
    /* big circles first so small ones stay clickable on top */
    pts.forEach(function (r) {
      var n = Number(r.n) || 0;
      var rad = 0.8 + 5.5 * Math.sqrt(n / max);
      var a = dm.svg("a", { href: dm.eventsHref({ place: r.name || "" }) });
      var c = dm.svg("circle", { cx: (r.lon + 180).toFixed(3), cy: (90 - r.lat).toFixed(3),
                                 r: rad.toFixed(3), "class": "point", "data-n": n });
      c.appendChild(dm.svg("title", null, (r.name || "?") + " · " + n + " events"));
      a.appendChild(c);
      layer.appendChild(a);
    });
    if (table) {
      pts.slice(0, 100).forEach(function (r) {
        var tr = dm.el("tr");
        var td = dm.el("td");
        td.appendChild(dm.el("a", { href: dm.eventsHref({ place: r.name || "" }) }, r.name || "?"));
        tr.appendChild(td);
        tr.appendChild(dm.el("td", { "class": "num" }, r.lat.toFixed(2)));
        tr.appendChild(dm.el("td", { "class": "num" }, r.lon.toFixed(2)));
        tr.appendChild(dm.el("td", { "class": "num" }, r.n));
        table.appendChild(tr);
      });
    }
    document.body.setAttribute("data-points", String(pts.length));
  }

  dm.getJSON("/api/locations", dm.filterQuery()).then(draw, function (e) {
    dm.showError(layer.ownerSVGElement.parentNode, e);
  });
})();
