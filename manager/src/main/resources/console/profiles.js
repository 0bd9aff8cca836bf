// OpenDelegate console: delegate profiles. A code editor for profile scripts (line numbers, Tab indents,
// Esc then Tab leaves, Ctrl+Enter saves, the 64 KiB limit shown as you type), the dialog with a
// delegate's profile output, and the Set Profile dialog of the Delegates page. No inline scripts (CSP).
(function () {
  "use strict";

  var INDENT = "  ";
  var encoder = new TextEncoder();

  // ---- the code editor -------------------------------------------------------------------------------
  function editorOf(el) { return el && el.closest ? el.closest("[data-code-editor]") : null; }

  function kib(bytes) { return (bytes / 1024).toFixed(bytes < 10240 ? 1 : 0) + " KiB"; }

  function refresh(editor) {
    var text = editor.querySelector("textarea");
    var gutter = editor.querySelector(".code-gutter");
    var lines = text.value.split("\n").length;
    if (gutter.childElementCount !== lines) {
      var numbers = [];
      for (var i = 1; i <= lines; i++) { numbers.push(i); }
      gutter.textContent = numbers.join("\n");
    }
    gutter.scrollTop = text.scrollTop;
    var max = parseInt(editor.getAttribute("data-max-bytes"), 10);
    var bytes = encoder.encode(text.value).length;
    var meta = document.getElementById(text.id + "-meta");
    if (meta) {
      meta.textContent = lines + (lines === 1 ? " line · " : " lines · ") + kib(bytes) + " of " + kib(max);
      meta.classList.toggle("is-over", bytes > max);
      text.setAttribute("aria-invalid", bytes > max ? "true" : "false");
    }
  }

  function insert(text, value) {
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    if (!document.execCommand || !document.execCommand("insertText", false, value)) {
      text.setRangeText(value, text.selectionStart, text.selectionEnd, "end");
    }
  }

  function lineStart(value, at) { return value.lastIndexOf("\n", at - 1) + 1; }

  // Indents (or with outdent, un-indents) every line the selection touches.
  function shiftLines(text, outdent) {
    var value = text.value;
    var start = lineStart(value, text.selectionStart);
    var end = text.selectionEnd;
    if (end > start && value.charAt(end - 1) === "\n") { end--; }
    var stop = value.indexOf("\n", end);
    if (stop < 0) { stop = value.length; }
    var block = value.slice(start, stop).split("\n").map(function (line) {
      if (!outdent) { return INDENT + line; }
      return line.indexOf(INDENT) === 0 ? line.slice(INDENT.length) : line.replace(/^[ \t]/, "");
    }).join("\n");
    text.setSelectionRange(start, stop);
    insert(text, block);
    text.setSelectionRange(start, start + block.length);
  }

  document.addEventListener("keydown", function (e) {
    var text = e.target;
    var editor = editorOf(text);
    if (!editor || text.tagName !== "TEXTAREA") { return; }
    if (e.key === "Escape") {
      // Esc lets the next Tab leave the editor; a dialog around it still closes on a second Esc.
      if (editor.getAttribute("data-escaped") !== "1") { e.preventDefault(); }
      editor.setAttribute("data-escaped", "1");
      return;
    }
    if (e.key === "Tab") {
      if (editor.getAttribute("data-escaped") === "1") { editor.removeAttribute("data-escaped"); return; }
      e.preventDefault();
      var multi = text.value.slice(text.selectionStart, text.selectionEnd).indexOf("\n") >= 0;
      if (e.shiftKey || multi) { shiftLines(text, e.shiftKey); } else { insert(text, INDENT); }
    } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (text.form) { text.form.requestSubmit(); }
    } else if (e.key === "Enter" && !e.shiftKey && !e.altKey) {
      e.preventDefault();
      var value = text.value;
      var indent = /^[ \t]*/.exec(value.slice(lineStart(value, text.selectionStart), text.selectionStart))[0];
      insert(text, "\n" + indent);
    } else if ((e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "S")) {
      e.preventDefault();
      if (text.form) { text.form.requestSubmit(); }
    }
    if (e.key !== "Escape") { editor.removeAttribute("data-escaped"); }
    refresh(editor);
  });

  document.addEventListener("input", function (e) {
    var editor = editorOf(e.target);
    if (editor) { refresh(editor); }
  });

  // Scroll events do not bubble; listen in the capture phase to keep the line numbers aligned.
  document.addEventListener("scroll", function (e) {
    var editor = editorOf(e.target);
    if (editor && e.target.tagName === "TEXTAREA") { editor.querySelector(".code-gutter").scrollTop = e.target.scrollTop; }
  }, true);

  function init(root) {
    root.querySelectorAll("[data-code-editor]").forEach(refresh);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (e) { if (e.detail.target) { init(e.detail.target); } });

  // ---- dialogs: a delegate's profile output, a group's profile ---------------------------------------
  var returnTo = {};

  function open(dialog, opener) {
    if (opener && opener.id) { returnTo[dialog.id] = opener.id; }
    dialog.querySelectorAll(".form-errors").forEach(function (el) { el.textContent = ""; });
    dialog.showModal();
  }

  document.addEventListener("close", function (e) {
    var back = e.target && returnTo[e.target.id] && document.getElementById(returnTo[e.target.id]);
    if (back) { back.focus(); }
  }, true);

  function showOutput(button) {
    var dialog = document.getElementById("profile-output-dialog");
    if (!dialog) { return; }
    document.getElementById("profile-output-title").textContent =
      "Profile output of " + button.getAttribute("data-delegate-name");
    var body = document.getElementById("profile-output-body");
    body.textContent = "Loading…";
    open(dialog, button);
    htmx.ajax("GET", "/setup/delegates/profile-output?delegateId="
      + encodeURIComponent(button.getAttribute("data-profile-output")), { target: "#profile-output-body", swap: "innerHTML" });
  }

  function setProfile(button) {
    var dialog = document.getElementById("group-profile-dialog");
    document.getElementById("group-profile-group-id").value = button.getAttribute("data-group-id");
    document.getElementById("group-profile-group-name").textContent = button.getAttribute("data-group-name");
    var select = document.getElementById("group-profile-select");
    select.value = button.getAttribute("data-profile-id") || "";
    open(dialog, button);
    select.focus();
  }

  document.addEventListener("click", function (e) {
    var t = e.target.closest("button");
    if (!t) { return; }
    if (t.hasAttribute("data-profile-output")) { showOutput(t); }
    else if (t.hasAttribute("data-set-profile")) { setProfile(t); }
  });

  // The output opens scrolled to its end, where a failure shows.
  document.addEventListener("htmx:afterSwap", function (e) {
    if (!e.detail.target || e.detail.target.id !== "profile-output-body") { return; }
    var box = document.getElementById("profile-output-text");
    if (box) { box.scrollTop = box.scrollHeight; box.focus({ preventScroll: true }); }
  });
})();
