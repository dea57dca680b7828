// Small behaviours shared by every page. No alert/confirm/prompt: messages go to
// the banner and toast areas, confirmations are in-page dialogs.
(function () {
  "use strict";

  var FRIENDLY = {
    0: "Network error (API not reachable). Check your connection, VPN, or firewall.",
    401: "Session expired. Please reload and log in again.",
    403: "Not authorized to perform this action.",
    503: "Service temporarily unavailable. Try again shortly."
  };

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function showToast(message, level) {
    var area = document.getElementById("toasts");
    if (!area) return;
    var toast = document.createElement("div");
    toast.className = "toast toast-" + (level || "success");
    toast.setAttribute("role", level === "error" ? "alert" : "status");
    toast.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "banner-close";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    close.addEventListener("click", function () { toast.remove(); });
    toast.appendChild(close);
    area.appendChild(toast);
    // A manual popover sits in the top layer; showing it again lifts it above open modal dialogs.
    if (area.showPopover) {
      if (area.matches(":popover-open")) area.hidePopover();
      area.showPopover();
    }
    setTimeout(function () { toast.remove(); }, 5000);
  }
  window.fewoToast = showToast;

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });

  document.addEventListener("toast", function (event) {
    showToast(event.detail.message, event.detail.level);
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    showToast(FRIENDLY[status] || "Unexpected error occurred", "error");
  });

  document.addEventListener("htmx:sendError", function () {
    showToast(FRIENDLY[0], "error");
  });

  document.addEventListener("click", function (event) {
    var dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) {
      dismiss.parentElement.remove();
      return;
    }
    var copy = event.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      navigator.clipboard.writeText(copy.getAttribute("data-copy")).then(function () {
        showToast("Copied to clipboard", "success");
      });
    }
    var navToggle = event.target.closest("#nav-toggle");
    if (navToggle) {
      var open = navToggle.closest(".topbar").classList.toggle("nav-open");
      navToggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      var dialog = closer.closest("dialog");
      if (dialog) closeDialog(dialog);
    }
    var accountMenu = document.getElementById("account-menu");
    if (accountMenu && accountMenu.open && !accountMenu.contains(event.target)) accountMenu.open = false;
  });

  // The Account menu (<details>) closes like a menu: on a click elsewhere (above) and on Escape.
  document.addEventListener("keydown", function (event) {
    var accountMenu = document.getElementById("account-menu");
    if (event.key !== "Escape" || !accountMenu || !accountMenu.open) return;
    accountMenu.open = false;
    accountMenu.querySelector("summary").focus();
  });

  // Removing a closed dialog from the DOM also stops any poller inside it.
  function closeDialog(dialog) {
    dialog.close();
    if (dialog.hasAttribute("data-remove-on-close")) dialog.remove();
  }

  document.addEventListener("close", function (event) {
    var dialog = event.target;
    if (dialog.tagName === "DIALOG" && dialog.hasAttribute("data-remove-on-close")) dialog.remove();
  }, true);

  // A dialog swapped in by htmx (also out of band, or appended to #modal) opens itself as a modal;
  // Escape closes the top one natively.
  document.addEventListener("htmx:load", function (event) {
    var elt = event.detail.elt;
    var dialogs = elt.querySelectorAll ? Array.prototype.slice.call(elt.querySelectorAll("dialog[data-open]")) : [];
    if (elt.matches && elt.matches("dialog[data-open]")) dialogs.push(elt);
    dialogs.forEach(function (dialog) { if (!dialog.open && dialog.isConnected) dialog.showModal(); });
  });
})();
