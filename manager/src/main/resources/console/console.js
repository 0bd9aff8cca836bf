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
  function openDialog(dialog, opener) {
    if (!dialog) { return; }
    if (opener && opener.id) { openers[dialog.id] = opener.id; }
    dialog.querySelectorAll(".form-errors").forEach(function (el) { el.textContent = ""; });
    dialog.showModal();
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
      if (dialog && dialog.id === "install-dialog") {
        openInstall(dialog, t);
        return;
      }
      var form = dialog && dialog.querySelector("form[hx-post]");
      if (form) { form.reset(); }
      openDialog(dialog, t);
    } else if (t.hasAttribute("data-install-again")) {
      showInstallForms(true);
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
    ok.focus();
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

  // ---- Download Delegate ---------------------------------------------------------------------------
  // Two forms (ECS, shell) picked by radio buttons. Each form shows only the fields of the chosen mode;
  // the others sit in disabled fieldsets, which browsers and htmx do not send. A successful answer
  // carries the archive, which is saved from here, and the steps that follow.
  var archiveUrl = null;

  function installKind() {
    var checked = document.querySelector("[data-install-kind]:checked");
    return checked ? checked.value : "ecs";
  }

  function syncInstallPanels() {
    document.querySelectorAll("[data-kind-panel]").forEach(function (panel) {
      panel.hidden = panel.getAttribute("data-kind-panel") !== installKind();
    });
  }

  function radioValue(form, name, fallback) {
    var checked = form.querySelector("input[name=" + name + "]:checked");
    return checked ? checked.value : fallback;
  }

  function syncInstallForm(form) {
    if (!form || !form.hasAttribute("data-install-form")) { return; }
    var awsvpcBox = form.querySelector("input[name=awsVpcMode]");
    var awsvpc = !!(awsvpcBox && awsvpcBox.checked);
    var fargate = awsvpc && radioValue(form, "launchType", "FARGATE") === "FARGATE";
    var arn = radioValue(form, "tokenDelivery", "env") === "arn";
    var existing = arn && radioValue(form, "tokenChoice", "new") === "existing";
    var on = { awsvpc: awsvpc, bridge: !awsvpc, fargate: fargate, "not-fargate": !fargate, arn: arn,
      "exec-role": awsvpc || arn, existing: existing, "new-token": !existing };
    form.querySelectorAll("[data-show]").forEach(function (el) {
      var show = el.getAttribute("data-show").split(" ").every(function (k) { return on[k]; });
      el.hidden = !show;
      el.disabled = !show;
    });
    syncFargateMemory(form);
  }

  // Fargate takes only some memory sizes per CPU size: the memory list shows those of the chosen CPU.
  function syncFargateMemory(form) {
    var cpu = form.querySelector("[data-fargate-cpu]");
    var memory = form.querySelector("[data-fargate-memory]");
    if (!cpu || !memory) { return; }
    var first = null;
    Array.prototype.forEach.call(memory.options, function (o) {
      var fits = o.getAttribute("data-cpu") === cpu.value;
      o.hidden = !fits;
      o.disabled = !fits;
      if (fits && !first) { first = o; }
    });
    var selected = memory.options[memory.selectedIndex];
    if ((!selected || selected.disabled) && first) { first.selected = true; }
  }

  function showInstallForms(fresh) {
    var choose = document.getElementById("install-choose");
    var result = document.getElementById("install-result");
    if (!choose || !result) { return; }
    if (fresh) {
      document.querySelectorAll("#install-dialog form[data-install-form]").forEach(function (form) {
        form.reset();
        form.querySelectorAll(".field-error, .actions-note, .form-errors").forEach(function (el) { el.remove(); });
        form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
        syncInstallForm(form);
      });
    }
    result.hidden = true;
    result.replaceChildren();
    choose.hidden = false;
    syncInstallPanels();
    focusInstallForm();
  }

  function focusInstallForm() {
    var panel = document.querySelector("[data-kind-panel='" + installKind() + "']");
    var field = panel && (panel.querySelector("[aria-invalid=true]") || panel.querySelector("input[name=delegateGroupName]"));
    if (field) { field.focus(); }
  }

  function openInstall(dialog, opener) {
    var result = document.getElementById("install-result");
    var afterDownload = result && !result.hidden;
    if (archiveUrl) { URL.revokeObjectURL(archiveUrl); archiveUrl = null; }
    if (opener && opener.id) { openers[dialog.id] = opener.id; }
    dialog.showModal();
    dialog.querySelectorAll("form[data-install-form]").forEach(syncInstallForm);
    showInstallForms(afterDownload);
  }

  function saveArchive(holder) {
    var base64 = holder.getAttribute("data-archive");
    var name = holder.getAttribute("data-file-name");
    holder.removeAttribute("data-archive");
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    if (archiveUrl) { URL.revokeObjectURL(archiveUrl); }
    archiveUrl = URL.createObjectURL(new Blob([bytes], { type: "application/gzip" }));
    var again = holder.querySelector("[data-save-again]");
    if (again) { again.href = archiveUrl; }
    var link = document.createElement("a");
    link.href = archiveUrl;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.hasAttribute && t.hasAttribute("data-install-kind")) {
      syncInstallPanels();
    } else if (t.form && t.form.hasAttribute("data-install-form")) {
      syncInstallForm(t.form);
    }
  });

  // Editing a field marked wrong takes the mark away; the server checks it again on the next try.
  document.addEventListener("input", function (e) {
    var field = e.target;
    if (!field.form || !field.form.hasAttribute("data-install-form") || field.getAttribute("aria-invalid") !== "true") {
      return;
    }
    field.removeAttribute("aria-invalid");
    var message = document.getElementById(field.form.id.replace("-form", "") + "-" + field.name + "-error");
    if (message) { message.remove(); }
    if (!field.form.querySelector("[aria-invalid=true]")) {
      field.form.querySelectorAll(".actions-note").forEach(function (el) { el.remove(); });
    }
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    var target = e.detail.target;
    if (!target) { return; }
    if (target.id === "install-result") {
      var holder = target.querySelector("[data-archive]");
      if (!holder) { return; }
      saveArchive(holder);
      document.getElementById("install-choose").hidden = true;
      target.hidden = false;
      var title = document.getElementById("downloaded-title");
      if (title) { title.focus(); }
    } else if (e.detail.elt && e.detail.elt.hasAttribute && e.detail.elt.hasAttribute("data-install-form")) {
      // A refused form comes back whole (outerHTML): find it again by id, show its mode, go to the first problem.
      var form = document.getElementById(e.detail.elt.id);
      syncInstallForm(form);
      var invalid = form && form.querySelector("[aria-invalid=true]");
      if (invalid) {
        var fold = invalid.closest("details");
        if (fold) { fold.open = true; }
        invalid.focus();
      }
    }
  });

  // ---- tasks ---------------------------------------------------------------------------------------
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
