// Sorting and filtering for the site's data tables, as progressive enhancement: without this script a table is
// the same static table. Each column header becomes a button (Enter or Space sorts, again reverses); a table of
// ten rows or more gets a filter box; a live region says what changed. Numbers sort by the value the build
// wrote in data-value, so 2,000余 sorts as 2000. Tables with subtotal rows keep their order: sorting would
// tear the groups apart. No library, nothing loaded from elsewhere.
(function () {
  "use strict";
  var FILTER_MIN_ROWS = 10;

  function text(cell) {
    return (cell.textContent || "").trim();
  }

  // The theme's words for the site's language, which the page's body carries (data-sort-announce and the like),
  // with {name} filled in from `values`.
  function say(name, values) {
    var message = document.body.dataset[name] || "";
    return message.replace(/\{(\w+)\}/g, function (whole, key) { return values && key in values ? String(values[key]) : whole; });
  }

  function announce(region, message) {
    // Cleared first, so that saying the same thing twice is announced twice.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  function enhance(figure, index) {
    var table = figure.querySelector("table");
    if (!table || !table.tHead || !table.tBodies.length) { return; }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    if (rows.length < 2 || body.querySelector("tr.subtotal")) { return; }
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var region = document.createElement("p");
    region.className = "table-status";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    var state = { column: -1, descending: false };

    headers.forEach(function (header, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (header.firstChild) { button.appendChild(header.firstChild); }
      var mark = document.createElement("span");
      mark.className = "sort-mark";
      mark.setAttribute("aria-hidden", "true");
      button.appendChild(mark);
      header.appendChild(button);
      button.addEventListener("click", function () {
        var descending = state.column === column ? !state.descending : header.classList.contains("num");
        sort(column, descending);
        announce(region, say("sortAnnounce", { column: text(button), direction: say(descending ? "sortDescending" : "sortAscending") }));
      });
    });

    function key(row, column) {
      var cell = row.cells[column];
      if (!cell) { return { number: null, text: "" }; }
      var value = cell.getAttribute("data-value");
      return { number: value === null || value === "" ? null : Number(value), text: text(cell) };
    }

    function missing(key) {
      return key.number === null && (key.text === "" || key.text === "—");
    }

    function sort(column, descending) {
      var keyed = rows.map(function (row, position) { return { row: row, key: key(row, column), position: position }; });
      var language = document.documentElement.lang || "zh-CN";
      keyed.sort(function (a, b) {
        var x = a.key, y = b.key;
        // Cells without a value (empty, or "—" still to be reported) go last either way.
        var xMissing = missing(x), yMissing = missing(y);
        if (xMissing || yMissing) { return (xMissing - yMissing) || a.position - b.position; }
        var order = x.number !== null && y.number !== null ? x.number - y.number
          : x.text.localeCompare(y.text, language, { numeric: true });
        return (descending ? -order : order) || a.position - b.position;
      });
      keyed.forEach(function (entry) { body.appendChild(entry.row); });
      headers.forEach(function (header, other) {
        if (other === column) {
          header.setAttribute("aria-sort", descending ? "descending" : "ascending");
        } else {
          header.removeAttribute("aria-sort");
        }
        var mark = header.querySelector(".sort-mark");
        if (mark) { mark.textContent = other === column ? (descending ? " ▼" : " ▲") : ""; }
      });
      state.column = column;
      state.descending = descending;
    }

    if (rows.length >= FILTER_MIN_ROWS) {
      var box = document.createElement("div");
      box.className = "table-filter";
      var input = document.createElement("input");
      input.type = "search";
      input.id = (figure.id || "table-" + index) + "-filter";
      var label = document.createElement("label");
      label.htmlFor = input.id;
      label.textContent = say("filter");
      input.placeholder = say("filterPlaceholder");
      input.setAttribute("aria-controls", table.id || (table.id = (figure.id || "table-" + index) + "-table"));
      box.appendChild(label);
      box.appendChild(input);
      figure.insertBefore(box, figure.firstChild);
      input.addEventListener("input", function () {
        var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        var shown = 0;
        rows.forEach(function (row) {
          var content = text(row).toLowerCase();
          var match = words.every(function (word) { return content.indexOf(word) >= 0; });
          row.hidden = !match;
          if (match) { shown += 1; }
        });
        announce(region, words.length ? say("filterShown", { shown: shown, total: rows.length }) : say("filterAll", { total: rows.length }));
      });
    }
    figure.insertBefore(region, table.parentNode === figure ? table : table.parentNode);
    figure.classList.add("is-interactive");
  }

  function start() {
    var figures = document.querySelectorAll("figure.data-table");
    Array.prototype.forEach.call(figures, function (figure, index) {
      // The data behind a chart stays as it is, under its chart.
      if (!figure.closest(".chart-data")) { enhance(figure, index); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
