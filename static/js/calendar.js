// Calendar and occupancy chart: select a free range (arrival day, then departure day) of one
// property and open the dialog that books or blocks it; tabs inside that dialog; keys that page
// the chart. The month grid is one property's range scope, each chart row another: scopes carry
// data-property-id. The month grid's days carry data-date, free ones data-free. The chart has no
// element per day: a row's day is the column under the pointer, a bar's day its first grid column
// (the chart's .tape carries data-start, data-days and data-today), and the selection is one
// element laid over the row. Everything is server-rendered and replaced by htmx, so every handler
// is delegated to the document.
(function () {
  "use strict";

  var start = null; // the chosen arrival day while a range is being selected
  var scope = null; // the property (month grid or chart row) it belongs to

  function cells(within) { return Array.prototype.slice.call(within.querySelectorAll("[data-date]")); }

  function nextDay(iso) { return addDays(iso, 1); }

  function daysBetween(from, to) { return Math.round((Date.parse(to) - Date.parse(from)) / 86400000); }

  // -- the chart's days, from coordinates --------------------------------------------------
  function chartColumnDate(lane, column) { return addDays(lane.closest(".tape").getAttribute("data-start"), column - 1); }

  function barDays(bar) {
    var lane = bar.closest(".tape-lane");
    var first = parseInt(bar.style.gridColumnStart, 10);
    var span = parseInt(bar.style.gridColumnEnd.replace("span", ""), 10);
    return { from: chartColumnDate(lane, first), to: chartColumnDate(lane, first + span - 1) };
  }

  function bars(lane) { return Array.prototype.slice.call(lane.querySelectorAll(".tape-bar:not(.kind-conflict)")); }

  function occupied(lane, date) {
    return bars(lane).some(function (bar) { var days = barDays(bar); return date >= days.from && date <= days.to; });
  }

  function dayUnderPointer(lane, clientX) {
    var box = lane.getBoundingClientRect();
    var days = Number(lane.closest(".tape").getAttribute("data-days"));
    var column = Math.min(days, Math.max(1, Math.floor((clientX - box.left) / box.width * days) + 1));
    return chartColumnDate(lane, column);
  }

  // What a click or the pointer points at: {date, free, within} (within: the property scope), or null.
  function pointedDay(event) {
    var cell = event.target.closest("[data-calendar] [data-date]");
    if (cell) {
      return { date: cell.getAttribute("data-date"), free: cell.hasAttribute("data-free"), within: cell.closest("[data-property-id]") };
    }
    var lane = event.target.closest("[data-calendar] [data-property-id] > .tape-lane");
    if (!lane) return null;
    var bar = event.target.closest(".tape-bar");
    if (bar) return { date: barDays(bar).from, free: false, within: lane.parentNode };
    var date = dayUnderPointer(lane, event.clientX);
    var today = lane.closest(".tape").getAttribute("data-today");
    return { date: date, free: date >= today && !occupied(lane, date), within: lane.parentNode };
  }

  // One element over a chart row's days [from, to] (none when from is null).
  function overlay(lane, name, from, to) {
    var element = lane.querySelector(":scope > ." + name);
    if (from === null) {
      if (element) element.remove();
      return;
    }
    if (!element) {
      element = document.createElement("i");
      element.className = name;
      lane.prepend(element);
    }
    element.style.gridColumn = (daysBetween(chartColumnDate(lane, 1), from) + 1) + " / span " + (daysBetween(from, to) + 1);
  }

  function mark(from, to) {
    cells(scope).forEach(function (cell) {
      var date = cell.getAttribute("data-date");
      cell.classList.toggle("selected", from !== null && date >= from && date <= (to || from));
    });
    var lane = scope.querySelector(":scope > .tape-lane");
    if (!lane) return;
    overlay(lane, "tape-selection", from, to || from);
    bars(lane).forEach(function (bar) {
      var first = barDays(bar).from;
      bar.classList.toggle("selected", from !== null && first >= from && first <= (to || from));
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

  function choose(day) {
    var date = day.date;
    var within = day.within;
    if (start === null || within !== scope || date < start) {
      if (!day.free) return false; // an arrival must be a free day
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
    var day = pointedDay(event);
    if (day && (start !== null || day.free)) {
      // While selecting, an occupied day may still be the departure day: do not follow its link.
      if (choose(day)) {
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

  var hovered = null; // the chart row whose free day the pointer marks

  document.addEventListener("mousemove", function (event) {
    var day = pointedDay(event);
    var lane = day && day.within && day.within.querySelector(":scope > .tape-lane");
    var free = lane && start === null && day.free ? lane : null;
    if (hovered && hovered !== free) overlay(hovered, "tape-cursor", null);
    hovered = free;
    if (hovered) overlay(hovered, "tape-cursor", day.date, day.date);
    if (day && start !== null && day.within === scope) mark(start, day.date > start ? day.date : start);
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
