// Calendar and occupancy chart: select a free range (arrival day, then departure day) of one
// property and open the dialog that books or blocks it; tabs inside that dialog; keys that page
// the chart. The month grid is one property's range scope, each chart row another: scopes carry
// data-property-id, their days (and the chart's bars) data-date, free days data-free. Everything is
// server-rendered and replaced by htmx, so every handler is delegated to the document.
(function () {
  "use strict";

  var start = null; // the chosen arrival day while a range is being selected
  var scope = null; // the property (month grid or chart row) it belongs to

  function cells(within) { return Array.prototype.slice.call(within.querySelectorAll("[data-date]")); }

  function nextDay(iso) { return addDays(iso, 1); }

  function mark(from, to) {
    cells(scope).forEach(function (cell) {
      var date = cell.getAttribute("data-date");
      cell.classList.toggle("selected", from !== null && date >= from && date <= (to || from));
    });
  }

  function reset() {
    if (scope && scope.isConnected) mark(null);
    start = null;
    scope = null;
  }

  function openRange(within, arrival, departure) {
    var url = within.closest("[data-calendar]").getAttribute("data-range-url") + "?property_id=" +
      encodeURIComponent(within.getAttribute("data-property-id")) + "&from_date=" + arrival + "&to_date=" + departure;
    window.htmx.ajax("GET", url, { target: "#modal", swap: "innerHTML" });
  }

  function choose(cell) {
    var date = cell.getAttribute("data-date");
    var within = cell.closest("[data-property-id]");
    if (start === null || within !== scope || date < start) {
      if (!cell.hasAttribute("data-free")) return false; // an arrival must be a free day
      reset();
      start = date;
      scope = within;
      mark(start);
      return true;
    }
    // A click on the arrival again books one night; any later day (or the start of a later bar) is the departure day.
    var departure = date === start ? nextDay(start) : date;
    var arrival = start;
    reset();
    openRange(within, arrival, departure);
    return true;
  }

  document.addEventListener("click", function (event) {
    var cell = event.target.closest("[data-calendar] [data-date]");
    if (cell && (start !== null || cell.hasAttribute("data-free"))) {
      // While selecting, an occupied day may still be the departure day: do not follow its link.
      if (choose(cell)) {
        event.preventDefault();
        event.stopPropagation(); // nor let htmx open what the occupied day opens
      }
      return;
    }
    var tab = event.target.closest("[data-tab]");
    if (tab) {
      tab.closest(".dialog-body").querySelectorAll("[data-tab]").forEach(function (other) {
        var selected = other === tab;
        other.setAttribute("aria-selected", selected ? "true" : "false");
        document.getElementById(other.getAttribute("data-tab")).hidden = !selected;
      });
    }
  }, true);

  document.addEventListener("mouseover", function (event) {
    var cell = event.target.closest("[data-calendar] [data-date]");
    if (cell && start !== null && cell.closest("[data-property-id]") === scope) {
      var date = cell.getAttribute("data-date");
      mark(start, date > start ? date : start);
    }
  });

  function addDays(iso, days) {
    var day = new Date(iso + "T00:00:00Z");
    day.setUTCDate(day.getUTCDate() + days);
    return day.toISOString().slice(0, 10);
  }

  // In the month grid, arrow keys move between days (left/right one day, up/down one week); Enter or
  // Space then choose.
  var ARROWS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

  function moveFocus(cell, days) {
    var target = document.getElementById("day-" + addDays(cell.getAttribute("data-date"), days));
    if (!target || !cell.closest("[data-calendar]").contains(target)) return;
    if (!target.matches("a, button")) target.tabIndex = -1; // past or occupied days can hold the focus too
    target.focus();
  }

  // Keys that click a control marked data-hotkey (the chart's ← → and T), unless the user types or a dialog is open.
  function hotkeyTarget(event) {
    if (event.shiftKey || document.querySelector("dialog[open]")) return null;
    if (event.target.closest && event.target.closest("input, select, textarea, [contenteditable]")) return null;
    return document.querySelector('[data-hotkey="' + event.key + '"]');
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && start !== null && !document.querySelector("dialog[open]")) {
      reset();
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var cell = event.target.closest && event.target.closest("[data-calendar] .day[data-date]");
    if (cell && ARROWS[event.key]) {
      event.preventDefault();
      moveFocus(cell, ARROWS[event.key]);
      return;
    }
    var target = hotkeyTarget(event);
    if (target) {
      event.preventDefault();
      target.click();
    }
  });

  // A new grid or chart starts without a selection.
  document.addEventListener("htmx:afterSwap", function () {
    if (scope && !scope.isConnected) {
      start = null;
      scope = null;
    }
  });
})();
