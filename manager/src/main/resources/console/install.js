// OpenDelegate console: the Download Delegate dialog. Two forms (ECS, shell) picked by radio buttons;
// each shows only the fields of the chosen mode, and the others sit in disabled fieldsets, which neither
// browsers nor htmx send. A successful answer carries the archive, which is saved from here, and the
// steps that follow. Text from the server is only ever set with textContent.
(function () {
  "use strict";

  var archiveUrl = null;
  // Each form as the page first drew it. A refused attempt comes back as a new form whose fields hold the
  // refused values as their defaults, so form.reset() would bring them back: "Download another" starts from
  // these copies instead.
  var pristine = {};
  document.querySelectorAll("#install-dialog form[data-install-form]").forEach(function (form) {
    pristine[form.id] = form.cloneNode(true);
  });

  function freshForm(form) {
    var copy = pristine[form.id];
    if (!copy) { form.reset(); return form; }
    var fresh = copy.cloneNode(true);
    form.replaceWith(fresh);
    if (window.htmx) { htmx.process(fresh); }
    return fresh;
  }

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
    var iam = radioValue(form, "tokenDelivery", "env") === "iam";
    var on = { awsvpc: awsvpc, bridge: !awsvpc, fargate: fargate, "not-fargate": !fargate, arn: arn,
      "exec-role": awsvpc || arn, existing: existing, "new-token": !existing && !iam };
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
      document.querySelectorAll("#install-dialog form[data-install-form]").forEach(function (old) {
        var form = freshForm(old);
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

  // Opened again after a download, the dialog starts afresh; otherwise it keeps what was typed.
  document.addEventListener("od:open", function (e) {
    var dialog = e.target;
    if (dialog.id !== "install-dialog") { return; }
    var result = document.getElementById("install-result");
    var afterDownload = result && !result.hidden;
    if (archiveUrl) { URL.revokeObjectURL(archiveUrl); archiveUrl = null; }
    dialog.querySelectorAll("form[data-install-form]").forEach(syncInstallForm);
    showInstallForms(afterDownload);
  });

  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-install-again]")) { showInstallForms(true); }
  });

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
    (field.getAttribute("aria-describedby") || "").split(" ").forEach(function (id) {
      var message = id && document.getElementById(id);
      if (message && message.classList.contains("field-error")) { message.remove(); }
    });
    if (!field.form.querySelector("[aria-invalid=true]")) {
      field.form.querySelectorAll(".actions-note").forEach(function (el) { el.remove(); });
    }
  });

  // While the Manager prepares the archive (seconds for the shell tarball), the form is busy and says so.
  function markBusy(e, busy) {
    var form = e.detail.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-install-form")) { return; }
    if (busy) { form.setAttribute("aria-busy", "true"); } else { form.removeAttribute("aria-busy"); }
  }
  document.addEventListener("htmx:beforeRequest", function (e) { markBusy(e, true); });
  document.addEventListener("htmx:afterRequest", function (e) { markBusy(e, false); });

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
})();
