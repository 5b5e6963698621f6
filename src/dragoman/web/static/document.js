/* Document page: toggle each annotation kind in the legend. */
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
})();
