// Technical details (what AWS or its SDK said verbatim) are shown once per page. A failed Test and the
// lookups a person starts afterwards often fail for one reason; each says its own sentence, but the same
// folded details appear only at their first place on the page. Re-checked after every swap, so details
// hidden as a repeat come back when the first copy goes away (a later Test that connects, say).
(function () {
  "use strict";

  function showOnce() {
    var seen = {};
    document.querySelectorAll("details[data-technical-details]").forEach(function (d) {
      var text = d.textContent.trim();
      d.hidden = seen[text] === true;
      seen[text] = true;
    });
  }

  document.addEventListener("htmx:afterSettle", showOnce);
})();
