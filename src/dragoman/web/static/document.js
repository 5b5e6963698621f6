/* Document page: toggle each annotation kind in the legend; bring the highlighted sentence
   or quote (a link from an event or the quotes page) into view. */
"use strict";
(function () {
  var legend = document.getElementById("legend");
  var text = document.getElementById("doctext");
  if (!legend || !text) return;
  legend.addEventListener("change", function (ev) {
    var box = ev.target;
    if (!box || !box.dataset || !box.dataset.kind) return;
    text.classList.toggle("hide-" + box.dataset.kind, !box.checked);
  });
  /* centre the highlight; again after the browser's own jump to the #s anchor (on load) */
  var focus = text.querySelector("mark.a-focus");
  function show() { focus.scrollIntoView({ block: "center" }); }
  if (focus) {
    show();
    if (document.readyState !== "complete") window.addEventListener("load", show);
  }
})();
