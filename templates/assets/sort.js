/* Sortable tables: a button in each column heading sorts the rows. The
 * page works without it; numbers sort by their data-sort value. */
(function () {
	"use strict";
	function key(cell) {
		var v = cell.getAttribute("data-sort");
		if (v !== null) {
			return v === "" ? null : parseFloat(v);
		}
		return cell.textContent.trim().toLowerCase();
	}
	function sortBy(table, col, th) {
		var body = table.tBodies[0];
		var asc = th.getAttribute("aria-sort") !== "ascending";
		var rows = Array.prototype.slice.call(body.rows);
		rows.sort(function (a, b) {
			var x = key(a.cells[col]), y = key(b.cells[col]);
			if (x === null || y === null) {
				return (x === null) - (y === null);
			}
			var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
			return asc ? c : -c;
		});
		rows.forEach(function (r) { body.appendChild(r); });
		Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute("aria-sort"); });
		th.setAttribute("aria-sort", asc ? "ascending" : "descending");
	}
	function enhance(table) {
		if (!table.tHead || !table.tBodies.length) {
			return;
		}
		Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
			var b = document.createElement("button");
			b.type = "button";
			while (th.firstChild) {
				b.appendChild(th.firstChild);
			}
			th.appendChild(b);
			b.addEventListener("click", function () { sortBy(table, col, th); });
		});
	}
	Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), enhance);
}());
