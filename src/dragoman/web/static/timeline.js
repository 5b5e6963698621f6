/* Timeline: stacked bars of events per day by quad class, drawn as inline SVG.
   Long ranges are grouped by week (> 400 days) or by month (> 8 years). */
"use strict";
(function () {
  var box = document.getElementById("timeline");
  var caption = document.getElementById("timeline-unit");
  if (!box) return;
  var DAY = 86400000;

  function parse(d) { return Date.parse(String(d).slice(0, 10) + "T00:00:00Z"); }
  function iso(t) { return new Date(t).toISOString().slice(0, 10); }

  function niceStep(max, ticks) {
    var raw = Math.max(max / ticks, 1), mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var r = raw / mag;
    return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
  }

  function draw(points) {
    dm.clear(box);
    var rows = points.filter(function (p) { return p && p.date && !isNaN(parse(p.date)); });
    if (!rows.length) {
      box.appendChild(dm.el("p", { "class": "empty" }, "No dated events match these filters."));
      return;
    }
    var t0 = Infinity, t1 = -Infinity;
    rows.forEach(function (p) { var t = parse(p.date); t0 = Math.min(t0, t); t1 = Math.max(t1, t); });
    var span = Math.round((t1 - t0) / DAY) + 1;
    var d0 = new Date(t0);
    var unit = span <= 400 ? "day" : span <= 2920 ? "week" : "month";
    function bucket(t) {
      if (unit === "day") return Math.round((t - t0) / DAY);
      if (unit === "week") return Math.floor(Math.round((t - t0) / DAY) / 7);
      var d = new Date(t);
      return (d.getUTCFullYear() - d0.getUTCFullYear()) * 12 + d.getUTCMonth() - d0.getUTCMonth();
    }
    function bucketStart(i) {
      if (unit === "day") return t0 + i * DAY;
      if (unit === "week") return t0 + i * 7 * DAY;
      return Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth() + i, 1);
    }
    function bucketEnd(i) {
      if (unit === "month") return Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth() + i + 1, 0);
      return bucketStart(i) + ((unit === "day" ? 1 : 7) - 1) * DAY;
    }
    var n = bucket(t1) + 1;
    var counts = [];
    rows.forEach(function (p) {
      var i = bucket(parse(p.date));
      var c = [1, 2, 3, 4].indexOf(Number(p.quad_class)) >= 0 ? Number(p.quad_class) : 0;
      var b = counts[i] || (counts[i] = { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0 });
      b[c] += Number(p.n) || 0;
    });
    var max = 0;
    counts.forEach(function (b) { if (b) max = Math.max(max, b[0] + b[1] + b[2] + b[3] + b[4]); });
    var step = niceStep(max, 5), top = Math.ceil(max / step) * step || 1;
    var W = 1000, H = 320, L = 52, R = 12, T = 12, B = 40;
    var plotW = W - L - R, plotH = H - T - B, bw = plotW / n;
    var root = dm.svg("svg", { viewBox: "0 0 " + W + " " + H, id: "timeline-svg", role: "img",
                               "aria-label": "events per " + unit + " by quad class" });
    for (var v = 0; v <= top; v += step) {
      var y = T + plotH - plotH * v / top;
      root.appendChild(dm.svg("line", { x1: L, x2: W - R, y1: y, y2: y, "class": "grid" }));
      root.appendChild(dm.svg("text", { x: L - 6, y: y + 4, "class": "tick", "text-anchor": "end" }, v));
    }
    counts.forEach(function (b, i) {
      if (!b) return;
      var x = L + i * bw, acc = 0, from = iso(bucketStart(i)), to = iso(bucketEnd(i));
      [1, 2, 3, 4, 0].forEach(function (c) {
        if (!b[c]) return;
        var h = plotH * b[c] / top, y = T + plotH - plotH * acc / top - h;
        var rect = dm.svg("rect", { x: (x + bw * 0.08).toFixed(2), y: y.toFixed(2),
                                    width: Math.max(bw * 0.84, 0.6).toFixed(2), height: h.toFixed(2),
                                    "class": "bar q" + c, "data-date": from, "data-quad": c,
                                    "data-n": b[c] });
        rect.appendChild(dm.svg("title", null, (unit === "day" ? from : from + " – " + to) +
                                " · quad " + (c || "?") + " · " + b[c] + " events"));
        var a = dm.svg("a", { href: dm.eventsHref({ since: from, until: to }) });
        a.appendChild(rect);
        root.appendChild(a);
        acc += b[c];
      });
    });
    var every = Math.max(1, Math.ceil(n / 8));
    for (var j = 0; j < n; j += every) {
      root.appendChild(dm.svg("text", { x: L + j * bw + bw / 2, y: H - B + 18, "class": "tick",
                                        "text-anchor": "middle" }, iso(bucketStart(j))));
    }
    root.appendChild(dm.svg("line", { x1: L, x2: W - R, y1: T + plotH, y2: T + plotH, "class": "axis" }));
    box.appendChild(root);
    if (caption) caption.textContent = "per " + unit;
    box.setAttribute("data-unit", unit);
  }

  dm.getJSON("/api/timeline", dm.filterQuery()).then(draw, function (e) { dm.showError(box, e); });
})();
