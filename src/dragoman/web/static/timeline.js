/* Timeline: stacked bars of events by quad class over calendar days, weeks or months.

   Each row of /api/timeline is a date value with the interval it denotes (start, end): a
   day, an ISO week, a month… A row whose interval fits in one bar is drawn in that bar; a
   week or month spread over several bars is shared out by its days (drawn lighter); vaguer
   dates (a year) are counted, not drawn. The default range is the bulk of the data (1st to
   99th percentile of the events); events outside the range are counted and reported. Two
   range sliders choose the range; ticks fall on calendar boundaries. */
"use strict";
(function () {
  var box = document.getElementById("timeline");
  var caption = document.getElementById("timeline-unit");
  var note = document.getElementById("timeline-note");
  var loIn = document.getElementById("range-lo"), hiIn = document.getElementById("range-hi");
  var loOut = document.getElementById("range-lo-out"), hiOut = document.getElementById("range-hi-out");
  if (!box) return;
  var DAY = 86400000;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function dayNum(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso));
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY : NaN;
  }
  function iso(d) { return new Date(d * DAY).toISOString().slice(0, 10); }
  function ymd(d) { var t = new Date(d * DAY); return [t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()]; }
  function fmt(d) { var p = ymd(d); return p[2] + " " + MONTHS[p[1]] + " " + p[0]; }

  /* bucket keys and bounds (in day numbers) per unit; 1970-01-05 (day 4) was a Monday */
  var UNITS = {
    day: { key: function (d) { return d; }, start: function (k) { return k; }, len: 1 },
    week: { key: function (d) { return Math.floor((d - 4) / 7); },
            start: function (k) { return k * 7 + 4; }, len: 7 },
    month: { key: function (d) { var p = ymd(d); return p[0] * 12 + p[1]; },
             start: function (k) { return Date.UTC(Math.floor(k / 12), k % 12, 1) / DAY; }, len: 31 }
  };
  function unitFor(span) { return span <= 180 ? "day" : span <= 1100 ? "week" : "month"; }

  function niceStep(max, ticks) {
    var raw = Math.max(max / ticks, 1), mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var r = raw / mag;
    return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
  }

  /* the days between which `share` of the events lie: (1-share)/2 on each side */
  function bulk(rows, total) {
    var mids = rows.map(function (r) { return { d: (r.s + r.e) / 2, n: r.n }; })
      .sort(function (a, b) { return a.d - b.d; });
    var lo = null, hi = null, acc = 0;
    mids.forEach(function (m) {
      acc += m.n;
      if (lo === null && acc >= total * 0.01) lo = m.d;
      if (hi === null && acc >= total * 0.99) hi = m.d;
    });
    return [Math.floor(lo), Math.ceil(hi)];
  }

  var rows = [], total = 0, full = [0, 0], bulkRange = [0, 0];

  function draw(v0, v1) {
    dm.clear(box);
    var unit = unitFor(v1 - v0 + 1), U = UNITS[unit];
    var k0 = U.key(v0), k1 = U.key(v1);
    var b0 = U.start(k0), b1 = U.start(k1 + 1) - 1; /* drawn days, whole buckets */
    var bins = {}, before = 0, after = 0, vague = 0, drawn = 0;
    rows.forEach(function (r) {
      if (r.e < b0) { before += r.n; return; }
      if (r.s > b1) { after += r.n; return; }
      var len = r.e - r.s + 1;
      if (len > Math.max(31, U.len)) { vague += r.n; return; }
      var spread = U.key(r.s) !== U.key(r.e);
      for (var d = Math.max(r.s, b0); d <= Math.min(r.e, b1); d++) {
        var k = U.key(d), bin = bins[k] || (bins[k] = {});
        var id = (spread ? "s" : "") + r.q;
        bin[id] = (bin[id] || 0) + r.n / len;
      }
      drawn += r.n * (Math.min(r.e, b1) - Math.max(r.s, b0) + 1) / len;
    });
    var max = 0;
    Object.keys(bins).forEach(function (k) {
      var t = 0; Object.keys(bins[k]).forEach(function (id) { t += bins[k][id]; });
      max = Math.max(max, t);
    });
    var W = 1000, H = 320, L = 52, R = 12, T = 12, B = 44;
    var plotW = W - L - R, plotH = H - T - B, days = b1 - b0 + 1;
    function x(d) { return L + plotW * (d - b0) / days; }
    var root = dm.svg("svg", { viewBox: "0 0 " + W + " " + H, id: "timeline-svg", role: "img",
                               "aria-label": "events per " + unit + " by quad class",
                               "data-from": iso(b0), "data-to": iso(b1) });
    var step = niceStep(max, 5), top = Math.ceil(max / step) * step || 1;
    for (var v = 0; v <= top; v += step) {
      var y = T + plotH - plotH * v / top;
      root.appendChild(dm.svg("line", { x1: L, x2: W - R, y1: y, y2: y, "class": "grid" }));
      root.appendChild(dm.svg("text", { x: L - 6, y: y + 4, "class": "tick", "text-anchor": "end" }, v));
    }
    Object.keys(bins).forEach(function (key) {
      var k = Number(key), s = U.start(k), e = U.start(k + 1) - 1, bin = bins[key], acc = 0;
      var x0 = x(s), w = Math.max(x(e + 1) - x0, 0.8);
      var hasSpread = Object.keys(bin).some(function (id) { return id.charAt(0) === "s"; });
      var href = dm.eventsHref(hasSpread ? { since: iso(s), until: iso(e), date_match: "overlap" }
                                         : { since: iso(s), until: iso(e), date_match: null });
      ["1", "2", "3", "4", "0", "s1", "s2", "s3", "s4", "s0"].forEach(function (id) {
        var n = bin[id];
        if (!n) return;
        var q = id.replace("s", ""), h = plotH * n / top, y = T + plotH - plotH * acc / top - h;
        var rect = dm.svg("rect", { x: (x0 + w * 0.06).toFixed(2), y: y.toFixed(2),
                                    width: (w * 0.88).toFixed(2), height: h.toFixed(2),
                                    "class": "bar q" + q + (id.charAt(0) === "s" ? " spread" : ""),
                                    "data-date": iso(s), "data-quad": q, "data-n": n.toFixed(3) });
        rect.appendChild(dm.svg("title", null, (unit === "day" ? fmt(s) : fmt(s) + " – " + fmt(e)) +
                                " · quad " + (q === "0" ? "?" : q) + " · " + (Math.round(n * 10) / 10) +
                                " events" + (id.charAt(0) === "s" ? " (dated by week or month, shared out by day)" : "")));
        var a = dm.svg("a", { href: href });
        a.appendChild(rect);
        root.appendChild(a);
        acc += n;
      });
    });
    /* calendar ticks: month starts (days, weeks) or years (months) */
    var ticks = [], p0 = ymd(b0), yr, mo;
    if (unit === "month") {
      var years = p0[0] - ymd(b1)[0];
      var every = Math.max(1, Math.ceil(-years / 10));
      for (yr = p0[0] + 1; yr <= ymd(b1)[0]; yr++) {
        if (yr % every === 0) ticks.push([Date.UTC(yr, 0, 1) / DAY, String(yr)]);
      }
    } else {
      var months = (ymd(b1)[0] - p0[0]) * 12 + ymd(b1)[1] - p0[1];
      var mstep = months > 24 ? 3 : 1;
      for (yr = p0[0], mo = p0[1] + 1; Date.UTC(yr, mo, 1) / DAY <= b1; mo++) {
        if (mo > 11) { mo = 0; yr++; }
        if (mo % mstep !== 0) continue;
        ticks.push([Date.UTC(yr, mo, 1) / DAY, mo === 0 ? String(yr) : MONTHS[mo] + (months <= 3 ? " " + yr : "")]);
      }
      if (unit === "day" && days <= 45) { /* and every Monday */
        for (var d2 = b0; d2 <= b1; d2++) {
          if ((d2 - 4) % 7 === 0 && ymd(d2)[2] !== 1) ticks.push([d2, String(ymd(d2)[2])]);
        }
      }
    }
    ticks.forEach(function (t) {
      var tx = x(t[0]);
      root.appendChild(dm.svg("line", { x1: tx, x2: tx, y1: T + plotH, y2: T + plotH + 5, "class": "axis" }));
      root.appendChild(dm.svg("text", { x: tx, y: H - B + 20, "class": "tick calendar", "text-anchor": "middle" }, t[1]));
    });
    root.appendChild(dm.svg("text", { x: L, y: H - 4, "class": "tick" }, fmt(b0)));
    root.appendChild(dm.svg("text", { x: W - R, y: H - 4, "class": "tick", "text-anchor": "end" }, fmt(b1)));
    root.appendChild(dm.svg("line", { x1: L, x2: W - R, y1: T + plotH, y2: T + plotH, "class": "axis" }));
    box.appendChild(root);
    if (caption) caption.textContent = "per " + unit;
    box.setAttribute("data-unit", unit);
    box.setAttribute("data-outside", String(before + after));
    box.setAttribute("data-vague", String(vague));
    if (note) {
      var parts = ["Showing " + fmt(b0) + " – " + fmt(b1) + ": " + Math.round(drawn).toLocaleString("en") +
                   " of " + total.toLocaleString("en") + " dated events."];
      if (before + after) {
        parts.push((before + after).toLocaleString("en") + " outside this range, not drawn (" +
                   before + " before, " + after + " after; the data spans " + fmt(full[0]) + " – " +
                   fmt(full[1]) + ").");
      }
      if (vague) parts.push(vague + " dated only by a longer period (a quarter, a year…), not drawn at this scale.");
      note.textContent = parts.join(" ");
    }
    document.body.setAttribute("data-drawn", drawn.toFixed(3));
  }

  function setRange(lo, hi) {
    loIn.value = lo; hiIn.value = hi;
    update();
  }
  var pending = false;
  function update() {
    var lo = Number(loIn.value), hi = Number(hiIn.value);
    if (lo > hi) { var t = lo; lo = hi; hi = t; }
    if (loOut) loOut.textContent = iso(lo);
    if (hiOut) hiOut.textContent = iso(hi);
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; draw(lo, hi); });
  }

  function start(points) {
    rows = [];
    total = 0;
    (points || []).forEach(function (p) {
      var s = dayNum(p.start), e = dayNum(p.end), n = Number(p.n) || 0;
      if (isNaN(s) || isNaN(e) || e < s || !n) return;
      var q = [1, 2, 3, 4].indexOf(Number(p.quad_class)) >= 0 ? Number(p.quad_class) : 0;
      rows.push({ s: s, e: e, n: n, q: q });
      total += n;
    });
    if (!rows.length) {
      dm.clear(box);
      box.appendChild(dm.el("p", { "class": "empty" }, "No dated events match these filters."));
      return;
    }
    full = [Math.min.apply(null, rows.map(function (r) { return r.s; })),
            Math.max.apply(null, rows.map(function (r) { return r.e; }))];
    bulkRange = bulk(rows, total);
    [loIn, hiIn].forEach(function (inp) {
      inp.min = full[0]; inp.max = full[1];
      inp.addEventListener("input", update);
    });
    document.getElementById("range-all").addEventListener("click", function () { setRange(full[0], full[1]); });
    document.getElementById("range-bulk").addEventListener("click", function () { setRange(bulkRange[0], bulkRange[1]); });
    setRange(bulkRange[0], bulkRange[1]);
  }

  dm.getJSON("/api/timeline", dm.filterQuery()).then(start, function (e) { dm.showError(box, e); });
})();
