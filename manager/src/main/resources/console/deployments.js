// OpenDelegate console: the Deployments pages. The Deploy form shows the fields of what is deployed (an image or
// a task definition) and marks a preview stale once the form changes after it; a deployment's page keeps the
// step logs a reader opened open while the timeline refreshes itself.
(function () {
  "use strict";

  function showChosen(form) {
    form.querySelectorAll("input[type=radio][data-toggles]").forEach(function (radio) {
      var part = document.getElementById(radio.getAttribute("data-toggles"));
      if (part) { part.hidden = !radio.checked; }
    });
  }

  document.addEventListener("change", function (e) {
    var form = e.target.closest ? e.target.closest("form[data-deploy-form]") : null;
    if (!form) { return; }
    if (e.target.matches("input[type=radio][data-toggles]")) { showChosen(form); }
  });

  // Deploy submits what the form holds now: after a change, the preview no longer shows it.
  document.addEventListener("input", function (e) {
    var form = e.target.closest ? e.target.closest("form[data-deploy-form]") : null;
    var deploy = document.getElementById("deploy-submit");
    if (!form || !deploy) { return; }
    deploy.disabled = true;
    var stale = document.getElementById("preview-stale");
    if (stale) { stale.hidden = false; }
  });

  var openLogs = [];
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (!e.detail.target || e.detail.target.id !== "deployment-live") { return; }
    openLogs = [];
    e.detail.target.querySelectorAll("details[data-keep-open][open]").forEach(function (d) { openLogs.push(d.id); });
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    if (!e.detail.target || e.detail.target.id !== "deployment-live") { return; }
    openLogs.forEach(function (id) {
      var d = document.getElementById(id);
      if (d) { d.open = true; }
    });
  });
})();
