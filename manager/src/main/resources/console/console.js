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

  function offline(on) {
    if (document.body.classList.contains("is-offline") === on) { return; }
    document.body.classList.toggle("is-offline", on);
    if (on) { toast("Lost contact with the Manager; the list will update again when it answers.", "error"); }
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
    if (target && target.id === "token-table") {
      var created = document.getElementById("created-token");
      if (created) { created.focus(); }
    }
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

  // Focus goes back to what opened the dialog, found again by id since a refresh may have replaced it.
  document.addEventListener("close", function (e) {
    var dialog = e.target;
    if (!(dialog instanceof HTMLDialogElement)) { return; }
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
    } else if (t.hasAttribute("data-confirm-action")) {
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
  function confirmThen(button) {
    var dialog = document.getElementById("confirm-dialog");
    document.getElementById("confirm-title").textContent = button.getAttribute("data-confirm-title");
    document.getElementById("confirm-text").textContent = button.getAttribute("data-confirm-text");
    var ok = document.getElementById("confirm-ok");
    ok.textContent = button.getAttribute("data-confirm-label");
    dialog.returnValue = "";
    dialog.onclose = null;
    openDialog(dialog, button);
    // Cancel first: Enter, Enter must not delete or revoke anything.
    dialog.querySelector("button[value=cancel]").focus();
    dialog.addEventListener("close", function once() {
      dialog.removeEventListener("close", once);
      if (dialog.returnValue !== "ok") { return; }
      var values = {};
      values[button.getAttribute("data-confirm-field")] = button.getAttribute("data-confirm-value");
      htmx.ajax("POST", button.getAttribute("data-confirm-action"),
        { target: button.getAttribute("data-confirm-target"), swap: "innerHTML", values: values });
    });
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
})();
