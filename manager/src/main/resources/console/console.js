// OpenDelegate console behaviour. No inline scripts anywhere (the Content-Security-Policy forbids
// them): everything interactive is wired here by data attributes, with event delegation so that parts
// htmx swaps in work too. Text from the server is only ever set with textContent.
(function () {
  "use strict";

  var SELECTOR = /^[a-z0-9][a-z0-9._-]{0,63}$/;
  var SELECTOR_RULE = "a selector has 1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.";
  var openers = {};

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Every htmx request carries the session's CSRF token; the server refuses changes without it.
  document.addEventListener("htmx:configRequest", function (e) {
    e.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  // ---- notices ---------------------------------------------------------------------------------
  function toast(message, kind) {
    var box = document.getElementById("toasts");
    if (!box || !message) { return; }
    var item = document.createElement("div");
    item.className = "toast" + (kind ? " toast-" + kind : "");
    item.setAttribute("role", kind === "error" ? "alert" : "status");
    item.textContent = message;
    box.appendChild(item);
    setTimeout(function () { item.classList.add("is-leaving"); }, kind === "error" ? 7000 : 4000);
    setTimeout(function () { item.remove(); }, kind === "error" ? 7400 : 4400);
  }

  document.addEventListener("od:toast", function (e) { toast(e.detail.value); });
  document.addEventListener("od:close", function (e) { closeDialog(document.getElementById(e.detail.value)); });

  // Parts of a page that refresh themselves carry data-live; their failures only mark the page offline.
  function isLive(e) {
    var elt = e.detail && e.detail.elt;
    return elt && elt.hasAttribute && elt.hasAttribute("data-live") && e.detail.requestConfig
      && e.detail.requestConfig.verb === "get";
  }

  document.addEventListener("htmx:responseError", function (e) {
    if (isLive(e)) { offline(true); return; }
    var text = e.detail.xhr && e.detail.xhr.responseText;
    toast(text && text.length < 600 ? text : "The Manager refused this (HTTP " + e.detail.xhr.status + ").", "error");
  });
  document.addEventListener("htmx:sendError", function (e) {
    if (isLive(e)) { offline(true); return; }
    toast("The Manager cannot be reached. Check your connection and try again.", "error");
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    if (isLive(e) && e.detail.successful) { offline(false); }
  });

  // While the Manager does not answer, a banner says since when, and what the page shows is dimmed as stale;
  // the "Live" marks say "Offline". The first answer again removes both and says so (politely, as a toast).
  function offline(on) {
    if (document.body.classList.contains("is-offline") === on) { return; }
    document.body.classList.toggle("is-offline", on);
    var main = document.getElementById("main");
    if (main) { main.classList.toggle("is-stale", on); }
    document.querySelectorAll(".summary-live").forEach(function (el) {
      var label = el.lastChild;
      if (label && label.nodeType === Node.TEXT_NODE) { label.textContent = on ? "Offline" : "Live"; }
    });
    var banner = document.getElementById("offline-banner");
    if (on) {
      var since = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
      if (banner) {
        document.getElementById("offline-text").textContent =
          "Offline since " + since + " \u2014 what you see may be stale. The page updates again when the Manager answers.";
        banner.hidden = false;
      }
    } else {
      if (banner) { banner.hidden = true; }
      toast("Back online.");
    }
  }

  // ---- live parts keep focus and open folds across refreshes ----------------------------------------
  var kept = null;
  document.addEventListener("htmx:beforeSwap", function (e) {
    var target = e.detail.target;
    if (!target || !target.hasAttribute("data-live")) { return; }
    var active = document.activeElement;
    kept = {
      focus: active && active.id && target.contains(active) ? active.id : null,
      open: Array.prototype.map.call(target.querySelectorAll("details[open]"), function (d) { return d.id; })
    };
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    var target = e.detail.target;
    label(target);
    // A one-time secret that just appeared (new token, rotated token, locked group) is where focus goes.
    var secret = target && !target.hasAttribute("data-live") && target.querySelector(".callout[tabindex='-1']");
    if (secret) { secret.focus(); }
    if (!target || !target.hasAttribute("data-live") || !kept) { return; }
    kept.open.forEach(function (id) {
      var d = document.getElementById(id);
      if (d) { d.open = true; }
    });
    if (kept.focus) {
      var el = document.getElementById(kept.focus);
      if (el) { el.focus({ preventScroll: true }); }
    }
    kept = null;
  });

  // ---- dialogs -------------------------------------------------------------------------------------
  // A dialog that keeps its forms' state between openings (data-keeps-forms) prepares itself on od:open.
  function openDialog(dialog, opener) {
    if (!dialog) { return; }
    if (opener && opener.id) { openers[dialog.id] = opener.id; }
    if (!dialog.hasAttribute("data-keeps-forms")) {
      dialog.querySelectorAll(".form-errors").forEach(function (el) { el.textContent = ""; });
    }
    dialog.showModal();
    dialog.dispatchEvent(new CustomEvent("od:open", { bubbles: true }));
  }

  function closeDialog(dialog) {
    if (dialog && dialog.open) { dialog.close(); }
  }

  // Focus goes back to what opened the dialog, found again by id since a refresh may have replaced it;
  // unless the answer that closed the dialog already put focus somewhere (the close event comes later).
  document.addEventListener("close", function (e) {
    var dialog = e.target;
    if (!(dialog instanceof HTMLDialogElement)) { return; }
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected && !dialog.contains(active)) { return; }
    var back = openers[dialog.id] && document.getElementById(openers[dialog.id]);
    if (back) { back.focus(); }
  }, true);

  document.addEventListener("click", function (e) {
    var t = e.target.closest("button, a");
    if (!t) { return; }
    if (t.hasAttribute("data-open-dialog")) {
      var dialog = document.getElementById(t.getAttribute("data-open-dialog"));
      var form = dialog && !dialog.hasAttribute("data-keeps-forms") && dialog.querySelector("form[hx-post]");
      if (form) { form.reset(); }
      openDialog(dialog, t);
    } else if (t.hasAttribute("data-close-dialog")) {
      closeDialog(t.closest("dialog"));
    } else if (t.hasAttribute("data-confirm-action") || t.hasAttribute("data-confirm-value")) {
      confirmThen(t);
    } else if (t.hasAttribute("data-edit-selectors")) {
      editSelectors(t);
    } else if (t.hasAttribute("data-reset-password")) {
      resetPassword(t);
    } else if (t.hasAttribute("data-copy")) {
      copy(document.getElementById(t.getAttribute("data-copy")));
    } else if (t.hasAttribute("data-generate-password")) {
      document.getElementById(t.getAttribute("data-generate-password")).value = randomPassword();
    } else if (t.hasAttribute("data-refresh-browse")) {
      // Cloud provider browser: ask the delegates again, past the Manager's lookup cache.
      var region = document.getElementById("browse-region").value;
      ["browse-clusters", "browse-vpcs"].forEach(function (id) {
        var el = document.getElementById(id);
        htmx.ajax("GET", el.getAttribute("hx-get") + "?refresh=true&region=" + encodeURIComponent(region),
          { target: el, swap: "innerHTML" });
      });
    } else if (t.hasAttribute("data-pick")) {
      // Cloud provider browser: the cluster or VPC whose details show stays marked.
      t.closest("ul").querySelectorAll(".is-picked").forEach(function (p) { p.classList.remove("is-picked"); });
      t.classList.add("is-picked");
    } else if (t.hasAttribute("data-remove-chip")) {
      var input = t.closest("[data-chip-input]").querySelector("input[type=text]");
      t.closest(".chip").remove();
      input.focus();
    }
  });

  // ---- confirm, then POST --------------------------------------------------------------------------
  // A button's own data-confirm-* attributes, else those its list shares (the list's rows differ only in the
  // value; "{name}" becomes the name of the button's row).
  function confirmAttr(button, name) {
    var from = button.hasAttribute(name) ? button : button.closest("[" + name + "]");
    var value = from ? from.getAttribute(name) : null;
    var row = button.closest("[data-delegate-name]");
    return value && row ? value.split("{name}").join(row.getAttribute("data-delegate-name")) : value;
  }

  function confirmThen(button) {
    var dialog = document.getElementById("confirm-dialog");
    document.getElementById("confirm-title").textContent = confirmAttr(button, "data-confirm-title");
    document.getElementById("confirm-text").textContent = confirmAttr(button, "data-confirm-text");
    var ok = document.getElementById("confirm-ok");
    ok.textContent = confirmAttr(button, "data-confirm-label");
    dialog.returnValue = "";
    dialog.onclose = null;
    openDialog(dialog, button);
    // Cancel has focus: Enter twice must not destroy anything.
    document.getElementById("confirm-cancel").focus();
    var row = button.closest("tr[id], [role=row][id]");
    var next = row && row.nextElementSibling;
    var rowId = row ? row.id : null;
    var nextId = next && next.id ? next.id : null;
    dialog.addEventListener("close", function once() {
      dialog.removeEventListener("close", once);
      if (dialog.returnValue !== "ok") { return; }
      var values = {};
      values[confirmAttr(button, "data-confirm-field")] = button.getAttribute("data-confirm-value");
      var target = confirmAttr(button, "data-confirm-target");
      htmx.ajax("POST", confirmAttr(button, "data-confirm-action"),
        { target: target, swap: "innerHTML", values: values }).then(function () {
          focusAfter(rowId, nextId, document.querySelector(target));
        });
    });
  }

  // After a row action, focus goes to the row (found again by id), else the row after it, else the
  // table's heading, unless the answer put focus somewhere itself (a callout with a new secret).
  function focusAfter(rowId, nextId, target) {
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected && !active.closest("dialog")) { return; }
    var el = (rowId && document.getElementById(rowId)) || (nextId && document.getElementById(nextId))
      || (target && target.querySelector("thead th, [role=columnheader], h2")) || document.querySelector("h1");
    if (!el) { return; }
    if (!el.hasAttribute("tabindex") && !el.matches("a[href], button, input, select, textarea")) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus();
  }

  // ---- tables name their cells, so that at phone width each cell can show its column's heading ------------
  function label(root) {
    if (!root || !root.querySelectorAll) { return; }
    root.querySelectorAll("table.table").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), headText);
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          if (heads[i] !== undefined && !td.hasAttribute("colspan")) { td.setAttribute("data-label", heads[i]); }
        });
      });
    });
    root.querySelectorAll("[role=table]").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("[role=columnheader]"), headText);
      table.querySelectorAll("[role=row]:not(.row-head)").forEach(function (row) {
        Array.prototype.forEach.call(row.querySelectorAll(":scope > [role=cell]"), function (cell, i) {
          if (heads[i] !== undefined) { cell.setAttribute("data-label", heads[i]); }
        });
      });
    });
  }
  // A heading only screen readers get (such as "Actions") labels nothing on screen either.
  function headText(head) {
    return head.querySelector(".sr-only") && head.textContent.trim() === head.querySelector(".sr-only").textContent.trim()
      ? "" : head.textContent.trim();
  }
  document.addEventListener("DOMContentLoaded", function () { label(document); });
  document.addEventListener("htmx:load", function (e) { label(e.detail.elt); });

  // ---- navigation drawer below 768 px: a menu button opens it; Escape, the backdrop or a link close it --------
  function menu(open) {
    var app = document.body;
    var button = document.getElementById("menu-button");
    var sidebar = document.getElementById("sidebar");
    var main = document.getElementById("main");
    if (!button || !sidebar || app.classList.contains("menu-open") === open) { return; }
    app.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    // While the drawer is open, the page behind it takes no focus and no clicks.
    if (main) { main.inert = open; }
    if (open) {
      var first = sidebar.querySelector(".nav-item.is-current") || sidebar.querySelector("a, button");
      if (first) { first.focus(); }
    } else if (sidebar.contains(document.activeElement) || document.activeElement === document.body) {
      button.focus();
    }
  }
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-menu]")) {
      menu(!document.body.classList.contains("menu-open"));
    } else if (document.body.classList.contains("menu-open") && !e.target.closest("#sidebar")) {
      menu(false);
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && document.body.classList.contains("menu-open")) {
      e.preventDefault();
      menu(false);
    }
  });
  // Growing past phone width closes the drawer, so the sidebar never stays inert or half-open.
  if (window.matchMedia) {
    window.matchMedia("(min-width: 768px)").addEventListener("change", function (m) { if (m.matches) { menu(false); } });
  }

  // ---- Edit Selectors: type, Enter to add a chip, Backspace or x to remove, Enter again to submit ----
  function editSelectors(button) {
    var dialog = document.getElementById("selectors-dialog");
    document.getElementById("selectors-group-id").value = button.getAttribute("data-group-id");
    document.getElementById("selectors-group-name").textContent = button.getAttribute("data-group-name");
    var box = document.getElementById("selector-chips");
    box.querySelectorAll(".chip").forEach(function (c) { c.remove(); });
    JSON.parse(button.getAttribute("data-selectors") || "[]").forEach(function (s) { addChip(box, s); });
    var input = document.getElementById("selector-input");
    input.value = "";
    hint("");
    openDialog(dialog, button);
    input.focus();
  }

  function addChip(box, value) {
    var input = box.querySelector("input[type=text]");
    var exists = Array.prototype.some.call(box.querySelectorAll("input[name=selector]"),
      function (i) { return i.value === value; });
    if (exists) { hint("“" + value + "” is already there."); return; }
    var chip = document.createElement("span");
    chip.className = "chip chip-edit";
    var label = document.createElement("span");
    label.textContent = value;
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "selector";
    hidden.value = value;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "chip-remove";
    remove.setAttribute("data-remove-chip", "");
    remove.setAttribute("aria-label", "Remove " + value);
    remove.textContent = "×";
    chip.append(label, hidden, remove);
    box.insertBefore(chip, input);
  }

  function hint(text) {
    var el = document.getElementById("selector-hint");
    if (el) { el.textContent = text; }
  }

  // Adds what was typed; returns false (and says why) when it is not a valid selector.
  function commit(input) {
    var value = input.value.trim().toLowerCase();
    if (!value) { return true; }
    if (!SELECTOR.test(value)) {
      hint(value.length > 64 ? "“" + value.slice(0, 20) + "…” is " + value.length + " characters long; " + SELECTOR_RULE
        : "“" + value + "” cannot be a selector: " + SELECTOR_RULE);
      return false;
    }
    addChip(input.closest("[data-chip-input]"), value);
    input.value = "";
    return true;
  }

  document.addEventListener("keydown", function (e) {
    var input = e.target;
    if (!(input instanceof HTMLInputElement) || !input.closest("[data-chip-input]")) { return; }
    hint("");
    if (e.key === "Enter" || e.key === ",") {
      e.preventDefault();
      if (input.value.trim() === "" && e.key === "Enter") {
        input.form.requestSubmit();
      } else {
        commit(input);
      }
    } else if (e.key === "Backspace" && input.value === "") {
      var chips = input.closest("[data-chip-input]").querySelectorAll(".chip");
      if (chips.length) { chips[chips.length - 1].remove(); }
    }
  });

  // Text still in the field when the form is sent counts as one more selector; the server checks it.
  document.addEventListener("submit", function (e) {
    var input = e.target.querySelector("[data-chip-input] input[type=text]");
    if (input && input.value.trim() !== "") {
      var value = input.value.trim().toLowerCase();
      input.value = "";
      addChip(input.closest("[data-chip-input]"), value);
    }
  }, true);

  // ---- users ---------------------------------------------------------------------------------------
  function resetPassword(button) {
    var dialog = document.getElementById("password-dialog");
    dialog.querySelector("form").reset();
    document.getElementById("password-user-id").value = button.getAttribute("data-user-id");
    document.getElementById("password-user-name").textContent = button.getAttribute("data-username");
    openDialog(dialog, button);
    document.getElementById("new-password").focus();
  }

  function randomPassword() {
    var alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    var bytes = new Uint32Array(20);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return alphabet[b % alphabet.length]; }).join("");
  }

  // ---- copy ----------------------------------------------------------------------------------------
  function copy(el) {
    if (!el) { return; }
    var text = "value" in el && el.tagName === "INPUT" ? el.value : el.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { toast("Copied to the clipboard."); },
        function () { selectText(el); });
    } else {
      selectText(el);
    }
  }

  function selectText(el) {
    if (el.select) { el.select(); } else { window.getSelection().selectAllChildren(el); }
    toast("Selected: press Ctrl+C (⌘C) to copy.");
  }
  // ---- live task log -------------------------------------------------------------------------------
  // Follows a running task's log with EventSource (the server's events carry line ids, so a reconnect
  // resumes where it stopped). Lines are queued and added once per animation frame; at most MAX_LOG_LINES
  // stay in the page. Log text is untrusted: it only ever goes into textContent, never innerHTML.
  var MAX_LOG_LINES = 5000;
  var ANSI_SGR = /\x1b\[([0-9;]*)m/g;
  var OTHER_CONTROL = /\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f]/g;

  function ansiSpans(text) {
    var frag = document.createDocumentFragment();
    var style = { fg: null, bg: null, bold: false };
    var last = 0;
    var m;
    ANSI_SGR.lastIndex = 0;
    while ((m = ANSI_SGR.exec(text)) !== null) {
      addSpan(frag, text.slice(last, m.index), style);
      applySgr(style, m[1]);
      last = ANSI_SGR.lastIndex;
    }
    addSpan(frag, text.slice(last), style);
    return frag;
  }

  function addSpan(frag, part, style) {
    var clean = part.replace(OTHER_CONTROL, "");
    if (!clean) { return; }
    if (!style.fg && !style.bg && !style.bold) { frag.appendChild(document.createTextNode(clean)); return; }
    var span = document.createElement("span");
    if (style.fg) { span.classList.add("ansi-fg-" + style.fg); }
    if (style.bg) { span.classList.add("ansi-bg-" + style.bg); }
    if (style.bold) { span.classList.add("ansi-bold"); }
    span.textContent = clean;
    frag.appendChild(span);
  }

  // Basic and bright colours (30-37, 90-97, 40-47, 100-107), bold, and resets; other codes are ignored.
  function applySgr(style, codes) {
    (codes === "" ? ["0"] : codes.split(";")).forEach(function (raw) {
      var c = parseInt(raw, 10);
      if (c === 0 || isNaN(c)) { style.fg = null; style.bg = null; style.bold = false; }
      else if (c === 1) { style.bold = true; }
      else if (c === 22) { style.bold = false; }
      else if (c >= 30 && c <= 37) { style.fg = String(c - 30); }
      else if (c >= 90 && c <= 97) { style.fg = String(c - 90 + 8); }
      else if (c === 39) { style.fg = null; }
      else if (c >= 40 && c <= 47) { style.bg = String(c - 40); }
      else if (c >= 100 && c <= 107) { style.bg = String(c - 100 + 8); }
      else if (c === 49) { style.bg = null; }
    });
  }

  function logLine(data) {
    var line = document.createElement("div");
    line.className = "log-line" + (data.stream === "stderr" ? " is-stderr" : "");
    line.setAttribute("data-id", data.id);
    var time = document.createElement("span");
    time.className = "log-time";
    var at = data.at ? new Date(data.at) : null;
    time.textContent = at && !isNaN(at) ? at.toTimeString().slice(0, 8) : "";
    if (at && !isNaN(at)) { time.title = at.toISOString(); }
    var text = document.createElement("span");
    text.className = "log-text";
    text.appendChild(ansiSpans(String(data.text)));
    line.appendChild(time);
    line.appendChild(text);
    return line;
  }

  function liveLog() {
    var lines = document.getElementById("task-log");
    var box = document.getElementById("task-log-box");
    if (!lines || !box) { return; }
    lines.querySelectorAll(".log-text[data-ansi]").forEach(function (el) {
      var text = el.textContent;
      el.textContent = "";
      el.appendChild(ansiSpans(text));
    });
    var search = document.getElementById("log-search");
    var only = document.getElementById("log-only-matches");
    var note = document.getElementById("log-note");
    var follow = true;
    var queue = [];
    var scheduled = false;
    var dropped = 0;

    function matches(line, term) { return term && line.textContent.toLowerCase().indexOf(term) >= 0; }
    function mark(line, term) {
      var hit = matches(line, term);
      line.classList.toggle("is-match", !!hit);
      line.hidden = !!(term && only && only.checked && !hit);
    }
    function term() { return search && search.value ? search.value.toLowerCase() : ""; }
    function refilter() { var t = term(); lines.querySelectorAll(".log-line").forEach(function (l) { mark(l, t); }); }
    if (search) { search.addEventListener("input", refilter); }
    if (only) { only.addEventListener("change", refilter); }
    box.addEventListener("scroll", function () {
      follow = box.scrollTop + box.clientHeight >= box.scrollHeight - 24;
    });

    var url = lines.getAttribute("data-log-stream");
    if (!url || typeof EventSource === "undefined") { return; }
    var lastLine = lines.querySelector(".log-line:last-of-type");
    var after = lastLine ? lastLine.getAttribute("data-id") : "0";
    var source = new EventSource(url + "?after=" + encodeURIComponent(after));

    function flush() {
      scheduled = false;
      var frag = document.createDocumentFragment();
      var t = term();
      queue.splice(0).forEach(function (data) { var l = logLine(data); mark(l, t); frag.appendChild(l); });
      lines.appendChild(frag);
      var extra = lines.children.length - MAX_LOG_LINES;
      for (; extra > 0; extra--) { lines.removeChild(lines.firstElementChild); dropped++; }
      if (dropped > 0 && note) {
        note.hidden = false;
        note.textContent = "Showing the last " + MAX_LOG_LINES + " lines; download the full log to see all of it.";
      }
      if (follow) { box.scrollTop = box.scrollHeight; }
    }
    source.onmessage = function (e) {
      queue.push(JSON.parse(e.data));
      if (!scheduled) { scheduled = true; window.requestAnimationFrame(flush); }
    };
    source.addEventListener("end", function () {
      source.close();
      flush();
      var card = document.getElementById("log-card");
      if (card) { card.classList.remove("is-following"); card.classList.add("is-ended"); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", liveLog);
  } else {
    liveLog();
  }
})();
