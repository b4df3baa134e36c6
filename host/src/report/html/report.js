// Sortable tables: click or press Enter on a header to sort by that column, again to reverse.
// Cells sort by their data-value attribute when present, else by their text.
(function () {
  "use strict";

  function cellValue(cell, numeric) {
    var raw = cell.getAttribute("data-value");
    if (raw === null) {
      raw = cell.textContent.trim();
    }
    if (!numeric) {
      return raw.toLowerCase();
    }
    var number = parseFloat(raw);
    return isNaN(number) ? -Infinity : number;
  }

  function sortTable(table, header, column) {
    var numeric = header.getAttribute("data-type") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
      other.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a.cells[column], numeric);
      var y = cellValue(b.cells[column], numeric);
      var order = 0;
      if (x < y) {
        order = -1;
      } else if (x > y) {
        order = 1;
      }
      return ascending ? order : -order;
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
      header.tabIndex = 0;
      header.addEventListener("click", function () {
        sortTable(table, header, column);
      });
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sortTable(table, header, column);
        }
      });
    });
  });

  // Filter inputs hide the rows of their table that do not contain the typed text.
  Array.prototype.forEach.call(document.querySelectorAll("input.filter"), function (input) {
    var table = document.getElementById(input.getAttribute("data-table"));
    input.addEventListener("input", function () {
      var needle = input.value.toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) < 0;
      });
    });
  });

  document.body.setAttribute("data-ready", "true");
})();
