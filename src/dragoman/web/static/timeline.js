/* Timeline: stacked bars of events per day by quad class, drawn as inline SVG. */
"use strict";
(function () {
  var box = document.getElementById("timeline");
  if (!box) return;
  var DAY = 86400000;

  function parse(d) { return Date.parse(String(d).slice(0, 10) + "T00:00:00Z"); }
  function fmt(t) { return new Date(t).toISOString().slice(0, 10); }

  function draw(points) {
    dm.clear(box);
    var rows = points.filter(function (p) { return p && p.date && !isNaN(parse(p.date)); });
    if (!rows.length) { box.appendChild(dm.el("p", { "class": "empty" }, "No dated events match these filters.")); return; }
    var byDay = {}, t0 = Infinity, t1 = -Infinity;
    rows.forEach(function (p) {
      var t = parse(p.date);
      t0 = Math.min(t0, t); t1 = Math.max(t1, t);
      var day = byDay[t] || (byDay[t] = { 1: 0, 2: 0, 3: 0, 4: 0, 0: 0 });
      var c = [1, 2, 3, 4].indexOf(Number(p.quad_class)) >= 0 ? Number(p.quad_class) : 0;
      day[c] += Number(p.n) || 0;
    });
    var days = Math.round((t1 - t0) / DAY) + 1;
    var max = 0;
    Object.keys(byDay).forEach(function (k) {
      var d = byDay[k]; max = Math.max(max, d[0] + d[1] + d[2] + d[3] + d[4]);
    });
    var W = 1000, H = 320, L = 48, R = 12, T = 12, B = 40;
    var plotW = W - L - R, plotH = H - T - B;
    var bw = plotW / days;
    var root = dm.svg("svg", { viewBox: "0 0 " + W + " " + H, id: "timeline-svg", role: "img",
                               "aria-label": "events per day" });
    /* y axis */
    var ticks = 4;
    for (var i = 0; i <= ticks; i++) {
      var v = Math.round(max * i / ticks), y = T + plotH - plotH * (max ? v / max : 0);
      root.appendChild(dm.svg("line", { x1: L, x2: W - R, y1: y, y2: y, "class": "grid" }));
      root.appendChild(dm.svg("text", { x: L - 6, y: y + 4, "class": "tick", "text-anchor": "end" }, v));
    }
    /* bars */
    Object.keys(byDay).forEach(function (k) {
      var t = Number(k), d = byDay[t];
      var x = L + Math.round((t - t0) / DAY) * bw;
      var acc = 0;
      [1, 2, 3, 4, 0].forEach(function (c) {
        if (!d[c]) return;
        var h = plotH * d[c] / max, y = T + plotH - plotH * acc / max - h;
        var rect = dm.svg("rect", { x: x + bw * 0.08, y: y, width: Math.max(bw * 0.84, 0.6), height: h,
                                    "class": "bar q" + c, "data-date": fmt(t), "data-quad": c });
        rect.appendChild(dm.svg("title", null, fmt(t) + " · quad " + (c || "?") + " · " + d[c] + " events"));
        var a = dm.svg("a", { href: dm.eventsHref({ since: fmt(t), until: fmt(t) }) });
        a.appendChild(rect);
        root.appendChild(a);
        acc += d[c];
      });
    });
    /* x axis labels: about 8 */
    var step = Math.max(1, Math.ceil(days / 8));
    for (var j = 0; j < days; j += step) {
      var tx = L + j * bw + bw / 2;
      root.appendChild(dm.svg("text", { x: tx, y: H - B + 18, "class": "tick", "text-anchor": "middle" },
                              fmt(t0 + j * DAY)));
    }
    root.appendChild(dm.svg("line", { x1: L, x2: W - R, y1: T + plotH, y2: T + plotH, "class": "axis" }));
    box.appendChild(root);
  }

  dm.getJSON("/api/timeline", dm.filterQuery()).then(draw, function (e) { dm.showError(box, e); });
})();
