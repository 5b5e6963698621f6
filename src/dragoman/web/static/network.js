/* Actor network: a small force-directed layout on SVG (no library).
   Edge width ∝ log(count); colour: cooperation (quad 1-2) vs conflict (quad 3-4). */
"use strict";
(function () {
  var root = document.getElementById("network");
  var status = document.getElementById("network-status");
  if (!root) return;
  var W = 1000, H = 640;

  function nodeId(n) { return String(n.id !== undefined && n.id !== null ? n.id : n.name); }
  function nodeLabel(n) { return String(n.name || n.label || n.id || "?"); }

  /* Fruchterman-Reingold in unit space (k = 1), then fitted to the viewport. */
  function layout(nodes, edges) {
    var n = nodes.length;
    nodes.forEach(function (node, i) {
      /* deterministic start: a phyllotaxis spiral */
      var r = Math.sqrt(i + 0.5), a = i * 2.39996;
      node.x = r * Math.cos(a); node.y = r * Math.sin(a);
    });
    var temp = 1.0;
    for (var it = 0; it < 400; it++) {
      nodes.forEach(function (p) { p.dx = 0; p.dy = 0; });
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var a = nodes[i], b = nodes[j];
          var dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 1e-4;
          var f = 1 / (d2 * Math.sqrt(d2)); /* Coulomb: 1/d^2 along the unit vector */
          a.dx += dx * f; a.dy += dy * f; b.dx -= dx * f; b.dy -= dy * f;
        }
      }
      edges.forEach(function (e) {
        var dx = e.s.x - e.t.x, dy = e.s.y - e.t.y, d = Math.sqrt(dx * dx + dy * dy) + 1e-4;
        var f = 0.6 * (d - 1) / d; /* Hooke spring with rest length 1 */
        e.s.dx -= dx * f; e.s.dy -= dy * f; e.t.dx += dx * f; e.t.dy += dy * f;
      });
      nodes.forEach(function (p) {
        p.dx -= p.x * 0.04; p.dy -= p.y * 0.04; /* gravity keeps components together */
        var d = Math.sqrt(p.dx * p.dx + p.dy * p.dy) + 1e-9, step = Math.min(d, temp);
        p.x += p.dx / d * step; p.y += p.dy / d * step;
      });
      temp = Math.max(0.01, temp * 0.985);
    }
    /* fit into the viewport, leaving room for labels on the right */
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    nodes.forEach(function (p) {
      x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
    });
    var sx = (W - 220) / Math.max(x1 - x0, 1e-6), sy = (H - 60) / Math.max(y1 - y0, 1e-6);
    var s = Math.min(sx, sy, 200);
    var ox = (W - 160 - (x1 - x0) * s) / 2, oy = (H - (y1 - y0) * s) / 2;
    nodes.forEach(function (p) { p.x = ox + (p.x - x0) * s; p.y = oy + (p.y - y0) * s; });
  }

  function draw(data) {
    dm.clear(root);
    var nodes = (data.nodes || []).map(function (n) {
      return { id: nodeId(n), label: nodeLabel(n), country: n.country || null,
               n: Number(n.n || n.count || 0) };
    });
    var byId = {};
    nodes.forEach(function (n) { byId[n.id] = n; });
    var edges = [];
    (data.edges || []).forEach(function (e) {
      var s = byId[String(e.source)], t = byId[String(e.target)];
      if (!s || !t || s === t) return;
      edges.push({ s: s, t: t, n: Number(e.n) || 0, coop: Number(e.coop) || 0,
                   conflict: Number(e.conflict) || 0 });
    });
    if (!nodes.length) {
      root.appendChild(dm.svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", "class": "empty" },
                              "No actor pairs match these filters."));
      if (status) status.textContent = "0 actors, 0 links";
      return;
    }
    layout(nodes, edges);
    var maxN = edges.reduce(function (m, e) { return Math.max(m, e.n); }, 1);
    var maxV = nodes.reduce(function (m, n) { return Math.max(m, n.n); }, 1);
    var gE = dm.svg("g", { "class": "edges" }), gN = dm.svg("g", { "class": "nodes" });
    edges.forEach(function (e) {
      var cls = e.coop > e.conflict ? "coop" : e.conflict > e.coop ? "conflict" : "mixed";
      e.el = dm.svg("line", { "class": "edge " + cls, "stroke-width": (1 + 5 * Math.log(1 + e.n) / Math.log(1 + maxN)).toFixed(2),
                              "data-n": e.n });
      e.el.appendChild(dm.svg("title", null, e.s.label + " → " + e.t.label + ": " + e.n +
                              " events (" + e.coop + " cooperation, " + e.conflict + " conflict)"));
      gE.appendChild(e.el);
    });
    nodes.forEach(function (n) {
      var g = dm.svg("g", { "class": "node", "data-id": n.id });
      var r = 4 + 10 * Math.sqrt((n.n || 1) / maxV);
      g.appendChild(dm.svg("circle", { r: r.toFixed(2) }));
      g.appendChild(dm.svg("text", { x: (r + 2).toFixed(1), y: 4 }, n.label + (n.country ? " (" + n.country + ")" : "")));
      g.appendChild(dm.svg("title", null, n.label + ": " + n.n + " events"));
      n.el = g;
      var moved = false;
      g.addEventListener("pointerdown", function (ev) {
        moved = false; g.setPointerCapture(ev.pointerId); n.drag = true;
      });
      g.addEventListener("pointermove", function (ev) {
        if (!n.drag) return;
        var pt = root.createSVGPoint(); pt.x = ev.clientX; pt.y = ev.clientY;
        var p = pt.matrixTransform(root.getScreenCTM().inverse());
        n.x = p.x; n.y = p.y; moved = true; place();
      });
      g.addEventListener("pointerup", function () {
        n.drag = false;
        if (!moved) window.location.href = dm.eventsHref({ actor: n.label });
      });
      gN.appendChild(g);
    });
    function place() {
      edges.forEach(function (e) {
        e.el.setAttribute("x1", e.s.x.toFixed(1)); e.el.setAttribute("y1", e.s.y.toFixed(1));
        e.el.setAttribute("x2", e.t.x.toFixed(1)); e.el.setAttribute("y2", e.t.y.toFixed(1));
      });
      nodes.forEach(function (n) {
        n.el.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")");
      });
    }
    place();
    root.appendChild(gE); root.appendChild(gN);
    if (status) status.textContent = nodes.length + " actors, " + edges.length + " links";
  }

  var params = dm.filterQuery();
  dm.getJSON("/api/network", params).then(draw, function (e) {
    if (status) status.textContent = "Could not load the network: " + e.message;
  });
})();
