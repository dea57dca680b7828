// Website page editor: the preview frame reloads when the server reports a change (HX-Trigger).
(function () {
  "use strict";
  document.body.addEventListener("page-changed", function () {
    var frame = document.getElementById("page-preview");
    if (frame) frame.src = frame.src.split("#")[0];
  });
})();
