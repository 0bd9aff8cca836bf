// OpenDelegate console: the Tasks pages. The list's filters go into the address; a row opens its task;
// a task's log is followed from a cursor and keeps to the bottom unless the reader scrolled up.
(function () {
  "use strict";

  // A task's log is followed by polling for the lines after the last one shown. The box stays at the
  // bottom while new lines come, unless the reader scrolled up; the server answers 286 once the task
  // has ended and every line is shown, which stops the polling.
  var logAtBottom = true;

  function logBox() { return document.getElementById("task-log-box"); }

  function isAtBottom(box) { return box.scrollHeight - box.scrollTop - box.clientHeight < 24; }

  document.addEventListener("htmx:configRequest", function (e) {
    var elt = e.detail.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-log")) { return; }
    var lines = elt.querySelectorAll(".log-line");
    var last = lines.length ? lines[lines.length - 1] : null;
    e.detail.parameters.after = last ? last.getAttribute("data-id") : "0";
    e.detail.parameters.token = last ? last.getAttribute("data-token") : "0";
  });

  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.target && e.detail.target.id === "task-log" && logBox()) { logAtBottom = isAtBottom(logBox()); }
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    var box = logBox();
    if (box && e.detail.target && e.detail.target.id === "task-log" && logAtBottom) { box.scrollTop = box.scrollHeight; }
  });

  document.addEventListener("htmx:afterRequest", function (e) {
    var elt = e.detail.elt;
    if (!elt || !e.detail.xhr) { return; }
    if (elt.id === "task-log" && e.detail.xhr.status === 286) {
      var card = document.getElementById("log-card");
      if (card) { card.classList.remove("is-following"); card.classList.add("is-ended"); }
    }
    // The filters of the list go into the address, so a reload or a shared link keeps them.
    if (elt.id === "task-filters" && e.detail.successful) {
      var params = new URLSearchParams();
      new FormData(elt).forEach(function (v, k) { if (v) { params.append(k, v); } });
      var query = params.toString();
      history.replaceState(null, "", "/tasks" + (query ? "?" + query : ""));
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var box = logBox();
    if (box) { box.scrollTop = box.scrollHeight; }
  });

  // A whole row of the list opens its task; the id in it is the link for keyboards.
  document.addEventListener("click", function (e) {
    var row = e.target.closest("tr[data-href]");
    if (!row || e.target.closest("a, button, input, select, label")) { return; }
    if (window.getSelection && String(window.getSelection()).length > 0) { return; }
    var href = row.getAttribute("data-href");
    if (href && href.charAt(0) === "/" && href.charAt(1) !== "/") { window.location.href = href; }
  });
  // Run script: "Add" puts the picked stored secret on a new line of the secrets box, under a variable name
  // made from the secret's name (DB_PASSWORD=secret:db-password), for the person to change if they like.
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("[data-add-secret]") : null;
    if (!button) { return; }
    var box = document.getElementById(button.getAttribute("data-add-secret"));
    var pick = document.getElementById(button.getAttribute("data-from"));
    var ref = pick.value.trim();
    if (!box || !ref) { pick.focus(); return; }
    var name = ref.replace(/^secret:/, "").replace(/[^A-Za-z0-9_]/g, "_").toUpperCase().replace(/^([0-9])/, "_$1");
    box.value = box.value.replace(/\s*$/, "") + (box.value.trim() ? "\n" : "") + name + "=" + ref;
    pick.value = "";
    box.focus();
  });
})();
