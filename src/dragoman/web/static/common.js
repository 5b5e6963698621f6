/* dragoman dashboard: shared helpers. Data is never parsed as HTML: only textContent,
   createElement / createElementNS and setAttribute with values built here. */
"use strict";
window.dm = (function () {
  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    setAttrs(node, attrs);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      if (/^on/i.test(k)) return; /* never event-handler attributes */
      node.setAttribute(k, String(attrs[k]));
    });
  }

  /* The filters of the current page as a query string for the API (no paging/order). */
  function filterQuery(extra) {
    var src = new URLSearchParams(window.location.search);
    var out = new URLSearchParams();
    ["type", "quad", "actor", "country", "place", "since", "until", "text", "doc_id"].forEach(
      function (k) {
        src.getAll(k).forEach(function (v) { if (v !== "") out.append(k, v); });
      });
    if (extra) Object.keys(extra).forEach(function (k) { out.set(k, extra[k]); });
    return out;
  }

  /* A same-origin link to the events page for some filters. */
  function eventsHref(extra) {
    var q = filterQuery(extra);
    return "/events?" + q.toString();
  }

  function getJSON(path, params) {
    var url = path + (params && params.toString() ? "?" + params.toString() : "");
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) throw new Error((body && body.error) || ("HTTP " + r.status));
          return body;
        });
      });
  }

  function showError(box, err) {
    while (box.firstChild) box.removeChild(box.firstChild);
    box.appendChild(el("p", { "class": "error" }, "Could not load the data: " + err.message));
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  return { el: el, svg: svg, filterQuery: filterQuery, eventsHref: eventsHref,
           getJSON: getJSON, showError: showError, clear: clear };
})();
