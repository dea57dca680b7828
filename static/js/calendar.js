// Calendar: select a free range (arrival day, then departure day) and open the dialog that
// books or blocks it; tabs inside that dialog. The grid itself is server-rendered; htmx
// replaces it, so every handler is delegated to the document.
(function () {
  "use strict";

  var start = null; // the chosen arrival cell while a range is being selected

  function grid() { return document.querySelector("[data-calendar]"); }

  function cells() { return Array.prototype.slice.call(grid().querySelectorAll(".day[data-date]")); }

  function nextDay(iso) { return addDays(iso, 1); }

  function mark(from, to) {
    cells().forEach(function (cell) {
      var date = cell.getAttribute("data-date");
      cell.classList.toggle("selected", from !== null && date >= from && date <= (to || from));
    });
  }

  function reset() {
    start = null;
    if (grid()) mark(null);
  }

  function openRange(arrival, departure) {
    var calendar = grid();
    var url = calendar.getAttribute("data-range-url") + "?property_id=" +
      encodeURIComponent(calendar.getAttribute("data-property-id")) + "&from_date=" + arrival + "&to_date=" + departure;
    window.htmx.ajax("GET", url, { target: "#modal", swap: "innerHTML" });
  }

  function choose(cell) {
    var date = cell.getAttribute("data-date");
    if (start === null || date < start) {
      if (!cell.hasAttribute("data-free")) return false; // an arrival must be a free day
      start = date;
      mark(start);
      return true;
    }
    // A click on the arrival again books one night; any later day is the departure day.
    var departure = date === start ? nextDay(start) : date;
    var arrival = start;
    reset();
    openRange(arrival, departure);
    return true;
  }

  document.addEventListener("click", function (event) {
    var cell = event.target.closest("[data-calendar] .day[data-date]");
    if (cell && (start !== null || cell.hasAttribute("data-free"))) {
      // While selecting, an occupied day may still be the departure day: do not follow its link.
      if (choose(cell)) event.preventDefault();
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
  });

  document.addEventListener("mouseover", function (event) {
    var cell = event.target.closest("[data-calendar] .day[data-date]");
    if (cell && start !== null) {
      var date = cell.getAttribute("data-date");
      mark(start, date > start ? date : start);
    }
  });

  function addDays(iso, days) {
    var day = new Date(iso + "T00:00:00Z");
    day.setUTCDate(day.getUTCDate() + days);
    return day.toISOString().slice(0, 10);
  }

  // Arrow keys move between days (left/right one day, up/down one week); Enter or Space then choose.
  var ARROWS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

  function moveFocus(cell, days) {
    var target = document.getElementById("day-" + addDays(cell.getAttribute("data-date"), days));
    if (!target || !grid().contains(target)) return;
    if (!target.matches("a, button")) target.tabIndex = -1; // past or occupied days can hold the focus too
    target.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && start !== null && !document.querySelector("dialog[open]")) reset();
    var cell = event.target.closest && event.target.closest("[data-calendar] .day[data-date]");
    if (cell && ARROWS[event.key] && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      moveFocus(cell, ARROWS[event.key]);
    }
  });

  // A new grid (other month or property) starts without a selection.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "calendar-grid") start = null;
  });
})();
