// Form and fragment behaviours of the back office. The CSP forbids inline scripts and eval, so
// what hx-on or trigger filters would do lives here. No alert/confirm/prompt.
(function () {
  "use strict";

  var AUTOHIDE_MS = 5000;

  function within(elt, selector) {
    var found = elt.querySelectorAll ? Array.prototype.slice.call(elt.querySelectorAll(selector)) : [];
    if (elt.matches && elt.matches(selector)) found.unshift(elt);
    return found;
  }

  // <textarea data-json-object>: must hold a JSON object (or nothing); the message shows next to it.
  function checkJson(field) {
    var text = field.value.trim();
    var message = "";
    if (text) {
      try {
        var value = JSON.parse(text);
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
          message = "Metadata must be a JSON object, e.g. {\"mock_mode\": true}";
        }
      } catch (error) {
        message = "Invalid JSON: " + error.message;
      }
    }
    field.setCustomValidity(message);
    var output = field.nextElementSibling;
    if (output && output.hasAttribute("data-json-error")) {
      output.textContent = message;
      output.hidden = !message;
    }
  }

  function labelText(field) {
    var label = field.labels && field.labels[0];
    return label ? label.textContent.replace(/\(.*?\)/g, "").trim() : field.name;
  }

  // What keeps a field from being valid, in words: "Select a platform", "Platform Metadata: Invalid JSON: ...".
  function blocker(field) {
    if (field.validity.valueMissing && field.getAttribute("data-missing")) return field.getAttribute("data-missing");
    return labelText(field) + ": " + field.validationMessage;
  }

  // <form data-disable-until-valid>: the submit button stays disabled until every constraint holds
  // (required selects without preselection, pattern="PURGE", JSON fields); a [data-submit-hint]
  // element names what still blocks it.
  function syncSubmit(form) {
    within(form, "[data-json-object]").forEach(checkJson);
    within(form, "[data-invalid]").forEach(function (field) {
      field.setCustomValidity(field.getAttribute("data-invalid"));
    });
    // [data-blocks-submit="reason"]: a fragment from the server that rules the submit out (e.g. nothing to purge)
    var blockers = within(form, "[data-blocks-submit]").map(function (elt) {
      return elt.getAttribute("data-blocks-submit");
    }).concat(within(form, "input, select, textarea").filter(function (field) {
      return field.willValidate && !field.validity.valid;
    }).map(blocker));
    var valid = form.checkValidity() && !within(form, "[data-blocks-submit]").length;
    within(form, "button[type=submit]").forEach(function (button) { button.disabled = !valid; });
    within(form, "[data-submit-hint]").forEach(function (hint) {
      hint.textContent = blockers.length ? "To continue: " + blockers.join(" · ") : "";
    });
  }

  // [data-invalid="message"]: the server's verdict on the form as it was (e.g. Auto-detect found no
  // connection); it holds until the user changes something in the form.
  function clearVerdicts(form) {
    within(form, "[data-invalid]").forEach(function (field) {
      field.removeAttribute("data-invalid");
      field.removeAttribute("aria-invalid");
      field.setCustomValidity("");
    });
  }

  // <input data-warn-zero="<warning id>">: the warning shows while the number is 0 (it never blocks).
  function warnZero(field) {
    var warning = document.getElementById(field.getAttribute("data-warn-zero"));
    if (warning) warning.hidden = !(field.value.trim() !== "" && Number(field.value) === 0);
  }

  function onEdit(event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-warn-zero")) warnZero(event.target);
    var form = event.target.closest && event.target.closest("form[data-disable-until-valid]");
    if (!form) return;
    clearVerdicts(form);
    syncSubmit(form);
  }
  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);

  document.addEventListener("htmx:load", function (event) {
    var elt = event.detail.elt;
    within(elt, "[data-warn-zero]").forEach(warnZero);
    // A form answered with its errors (422): the first invalid field gets the focus.
    var invalid = within(elt, "[aria-invalid=true]")[0];
    if (invalid) invalid.focus();
    within(elt, "form[data-disable-until-valid]").forEach(syncSubmit);
    var outer = elt.parentElement && elt.parentElement.closest("form[data-disable-until-valid]");
    if (outer) syncSubmit(outer);  // a fragment swapped into a form (e.g. the Connection ID field)
    // Result banners hide themselves after a while (they can be dismissed earlier).
    within(elt, "[data-autohide]").forEach(function (banner) {
      setTimeout(function () { banner.remove(); }, AUTOHIDE_MS);
    });
  });

  // A fragment answered with X-Swap-Error is the panel's own error state: show it in place
  // instead of keeping stale content behind an error toast.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.getResponseHeader("X-Swap-Error")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Pollers skip their turn while the tab is hidden (a trigger filter would need eval).
  document.addEventListener("htmx:confirm", function (event) {
    var trigger = event.detail.elt.getAttribute("hx-trigger") || "";
    if (document.hidden && !event.detail.triggeringEvent && /\bevery\b/.test(trigger)) event.preventDefault();
  });
})();
