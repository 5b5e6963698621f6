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

  var FILTER_KEYS = ["type", "quad", "actor", "country", "sector", "place", "geonameid",
                     "since", "until", "date_match", "text", "doc_id"];

  /* The filters of the current page as a query string for the API (no paging/order). */
  function filterQuery(extra) {
    var src = new URLSearchParams(window.location.search);
    var out = new URLSearchParams();
    FILTER_KEYS.forEach(function (k) {
      src.getAll(k).forEach(function (v) { if (v !== "") out.append(k, v); });
    });
    if (extra) Object.keys(extra).forEach(function (k) {
      if (extra[k] === null) out.delete(k); else out.set(k, extra[k]);
    });
    return out;
  }

  function store(key, value) {
    try { window.sessionStorage.setItem(key, value); } catch (e) { /* storage off */ }
  }
  function recall(key) {
    try { return window.sessionStorage.getItem(key); } catch (e) { return null; }
  }

  /* Navigation: the filter follows the analyst across tabs (pages without the filter form
     get the last one used), and "back to results" returns to the last list seen. */
  function navigation() {
    var page = document.body.getAttribute("data-page");
    if (document.getElementById("filters")) store("dm-filter", filterQuery().toString());
    if (page === "events" || page === "quotes") {
      store("dm-results", window.location.pathname + window.location.search);
    }
    var saved = recall("dm-filter");
    if (!document.getElementById("filters") && saved) {
      document.querySelectorAll("#tabs a[data-tab]").forEach(function (a) {
        if (a.getAttribute("data-tab") === "quotes") return;
        a.setAttribute("href", "/" + a.getAttribute("data-tab") + "?" + saved);
      });
    }
    var back = document.getElementById("back");
    var results = recall("dm-results");
    if (back && results && results.charAt(0) === "/" && results.charAt(1) !== "/") {
      back.setAttribute("href", results);
    }
    var nodes = document.getElementById("nodes"), out = document.getElementById("nodes-out");
    if (nodes && out) nodes.addEventListener("input", function () { out.textContent = nodes.value; });
  }
  navigation();

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
