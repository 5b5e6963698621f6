/* Actor network: a small force-directed layout on SVG (no library).
   Nodes are actors or country+sector pairs (the page's switch); arrows point from actor to
   recipient, a loop is a pair within one node; edge width ∝ log(count); colour:
   cooperation (quad 1-2) vs conflict (quad 3-4). A ranked table lists the pairs. */
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
    var sx = (W - 260) / Math.max(x1 - x0, 1e-6), sy = (H - 150) / Math.max(y1 - y0, 1e-6);
    var s = Math.min(sx, sy, 200);
    var ox = (W - (x1 - x0) * s) / 2, oy = (H + 50 - (y1 - y0) * s) / 2;
    nodes.forEach(function (p) { p.x = ox + (p.x - x0) * s; p.y = oy + (p.y - y0) * s; });
  }

  /* Events of a node: its actor name, or its country and sector. */
  function nodeHref(n) {
    if (by === "sector") {
      var parts = n.id.split(" "), extra = { actor: null };
      if (n.country) extra.country = n.country; else extra.country = null;
      if (n.sector) extra.sector = n.sector; else extra.sector = null;
      if (!n.country && !n.sector && parts.length) extra.country = parts[0];
      return dm.eventsHref(extra);
    }
    return dm.eventsHref({ actor: n.label });
  }

  function edgeClass(e) {
    return e.coop > e.conflict ? "coop" : e.conflict > e.coop ? "conflict" : "mixed";
  }

  function defs() {
    var d = dm.svg("defs");
    ["coop", "conflict", "mixed"].forEach(function (cls) {
      var m = dm.svg("marker", { id: "arrow-" + cls, viewBox: "0 0 10 10", refX: 9, refY: 5,
                                  markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse",
                                  markerUnits: "userSpaceOnUse", "class": "arrow " + cls });
      m.appendChild(dm.svg("path", { d: "M0,0 L10,5 L0,10 z" }));
      d.appendChild(m);
    });
    return d;
  }

  /* Labels right of their node, else left, above or below; hidden when all collide. */
  function placeLabels(nodes) {
    var boxes = [];
    function hit(b) {
      return boxes.some(function (o) {
        return b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h;
      });
    }
    nodes.slice().sort(function (a, b) { return b.n - a.n; }).forEach(function (n) {
      var w = n.text.length * 6.6, h = 13, r = n.r;
      var spots = [[r + 3, 4, "start", n.x + r + 3, n.y - 9], [-r - 3, 4, "end", n.x - r - 3 - w, n.y - 9],
                   [0, -r - 4, "middle", n.x - w / 2, n.y - r - 16], [0, r + 13, "middle", n.x - w / 2, n.y + r + 2]];
      for (var i = 0; i < spots.length; i++) {
        var b = { x: spots[i][3], y: spots[i][4], w: w, h: h };
        if (!hit(b)) {
          boxes.push(b);
          n.labelEl.setAttribute("x", spots[i][0].toFixed(1));
          n.labelEl.setAttribute("y", spots[i][1].toFixed(1));
          n.labelEl.setAttribute("text-anchor", spots[i][2]);
          n.labelEl.removeAttribute("visibility");
          return;
        }
      }
      n.labelEl.setAttribute("visibility", "hidden");
    });
  }

  function pairTable(data, byId) {
    var body = document.querySelector("#pairs tbody");
    if (!body) return;
    dm.clear(body);
    (data.pairs || []).forEach(function (p, i) {
      var tr = dm.el("tr", { "class": edgeClass(p) + (p.source === p.target ? " self" : "") });
      tr.appendChild(dm.el("td", { "class": "num" }, i + 1));
      var td = dm.el("td");
      [p.source, p.target].forEach(function (name, j) {
        var node = byId[name] || { id: name, label: name, country: null, sector: null };
        if (j) td.appendChild(document.createTextNode(" → "));
        td.appendChild(dm.el("a", { href: nodeHref(node) }, name));
      });
      tr.appendChild(td);
      tr.appendChild(dm.el("td", { "class": "num" }, p.n));
      tr.appendChild(dm.el("td", { "class": "num" }, p.coop));
      tr.appendChild(dm.el("td", { "class": "num" }, p.conflict));
      body.appendChild(tr);
    });
  }

  function draw(data) {
    dm.clear(root);
    var nodes = (data.nodes || []).map(function (n) {
      return { id: nodeId(n), label: nodeLabel(n), country: n.country || null,
               sector: n.sector || null, n: Number(n.n || n.count || 0) };
    });
    var byId = {};
    nodes.forEach(function (n) { byId[n.id] = n; });
    var edges = [], loops = [];
    (data.edges || []).forEach(function (e) {
      var s = byId[String(e.source)], t = byId[String(e.target)];
      if (!s || !t) return;
      var edge = { s: s, t: t, n: Number(e.n) || 0, coop: Number(e.coop) || 0,
                   conflict: Number(e.conflict) || 0 };
      (s === t ? loops : edges).push(edge);
    });
    pairTable(data, byId);
    if (!nodes.length) {
      root.appendChild(dm.svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", "class": "empty" },
                              "No actor pairs match these filters."));
      if (status) status.textContent = "0 nodes, 0 links";
      return;
    }
    layout(nodes, edges);
    var all = edges.concat(loops);
    var maxN = all.reduce(function (m, e) { return Math.max(m, e.n); }, 1);
    var maxV = nodes.reduce(function (m, n) { return Math.max(m, n.n); }, 1);
    root.appendChild(defs());
    var gE = dm.svg("g", { "class": "edges" }), gN = dm.svg("g", { "class": "nodes" });
    nodes.forEach(function (n) { n.r = 4 + 12 * Math.sqrt((n.n || 1) / maxV); });
    all.forEach(function (e) {
      var cls = edgeClass(e);
      e.el = dm.svg("path", { "class": "edge " + cls + (e.s === e.t ? " loop" : ""),
                              "stroke-width": (1 + 6 * Math.log(1 + e.n) / Math.log(1 + maxN)).toFixed(2),
                              "marker-end": "url(#arrow-" + cls + ")", "data-n": e.n,
                              "data-source": e.s.id, "data-target": e.t.id });
      e.el.appendChild(dm.svg("title", null, e.s.label + " → " + e.t.label + ": " + e.n +
                              " events (" + e.coop + " cooperation, " + e.conflict + " conflict)"));
      gE.appendChild(e.el);
    });
    nodes.forEach(function (n) {
      var g = dm.svg("g", { "class": "node", "data-id": n.id });
      g.appendChild(dm.svg("circle", { r: n.r.toFixed(2) }));
      n.text = n.label + (by === "actor" && (n.country || n.sector) ?
        " (" + [n.country, n.sector].filter(Boolean).join(" ") + ")" : "");
      n.labelEl = dm.svg("text", { x: (n.r + 3).toFixed(1), y: 4 }, n.text);
      g.appendChild(n.labelEl);
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
        if (!moved) window.location.href = nodeHref(n);
        else placeLabels(nodes);
      });
      gN.appendChild(g);
    });
    function place() {
      edges.forEach(function (e) {
        /* a gentle curve, so A→B and B→A are two lines; the arrow stops at the target's rim */
        var dx = e.t.x - e.s.x, dy = e.t.y - e.s.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
        var mx = (e.s.x + e.t.x) / 2 - dy * 0.12, my = (e.s.y + e.t.y) / 2 + dx * 0.12;
        var ex = e.t.x - (e.t.x - mx) / Math.hypot(e.t.x - mx, e.t.y - my) * (e.t.r + 2);
        var ey = e.t.y - (e.t.y - my) / Math.hypot(e.t.x - mx, e.t.y - my) * (e.t.r + 2);
        e.el.setAttribute("d", "M" + e.s.x.toFixed(1) + "," + e.s.y.toFixed(1) + " Q" + mx.toFixed(1) +
                          "," + my.toFixed(1) + " " + ex.toFixed(1) + "," + ey.toFixed(1));
      });
      loops.forEach(function (e) {
        var n = e.s, r = n.r, x0 = n.x - r * 0.6, y0 = n.y - r * 0.8, x1 = n.x + r * 0.6;
        var h = 18 + r * 1.6;
        e.el.setAttribute("d", "M" + x0.toFixed(1) + "," + y0.toFixed(1) + " C" + (n.x - h).toFixed(1) +
                          "," + (n.y - h * 1.6).toFixed(1) + " " + (n.x + h).toFixed(1) + "," +
                          (n.y - h * 1.6).toFixed(1) + " " + x1.toFixed(1) + "," + y0.toFixed(1));
      });
      nodes.forEach(function (n) {
        n.el.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")");
      });
    }
    place();
    root.appendChild(gE); root.appendChild(gN);
    placeLabels(nodes);
    if (status) {
      status.textContent = nodes.length + " nodes, " + all.length + " links (" + loops.length +
        " within a node) · " + (data.total_nodes || nodes.length) + " nodes in all";
    }
  }

  var by = root.getAttribute("data-by") === "sector" ? "sector" : "actor";
  var params = dm.filterQuery({ by: by, nodes: root.getAttribute("data-nodes") || "25" });
  dm.getJSON("/api/network", params).then(draw, function (e) {
    if (status) status.textContent = "Could not load the network: " + e.message;
  });
})();
