/* Worklists: tables written with filters= get a list box per filter
 * column (every value found in the column), a count of the rows shown and
 * a button that downloads those rows as CSV. It runs from disk (file://):
 * nothing is fetched, the CSV is made in the page. Without JavaScript the
 * table shows every row. */
(function () {
	"use strict";
	function text(cell) {
		return cell.textContent.replace(/\s+/g, " ").trim();
	}
	/* What a cell is in the CSV: the whole identifier (its tooltip), the
	 * date as YYYY-MM-DD, else the text shown. */
	function csvValue(cell) {
		var full = cell.querySelector("span[title]");
		if (full && cell.classList.contains("id")) {
			return full.getAttribute("title");
		}
		var iso = cell.getAttribute("data-csv");
		return iso !== null ? iso : text(cell);
	}
	/* RFC 4180 quoting; text that a spreadsheet would run as a formula
	 * gets a leading apostrophe, as in the site's downloads. */
	function csvField(v, isNumber) {
		if (!isNumber && /^[=+\-@\t\r]/.test(v)) {
			v = "'" + v;
		}
		return /[",\r\n]/.test(v) ? "\"" + v.replace(/"/g, "\"\"") + "\"" : v;
	}
	function headerText(th) {
		return text(th).replace(/\s*[\u2191\u2193\u2195]$/, "");
	}
	function enhance(table, n) {
		var head = table.tHead && table.tHead.rows[0];
		var body = table.tBodies[0];
		if (!head || !body) {
			return;
		}
		var wrap = table.parentNode;
		var bar = document.createElement("div");
		bar.className = "worklist-filters";
		var selects = [];
		Array.prototype.forEach.call(head.cells, function (th, col) {
			var name = th.getAttribute("data-filter");
			if (!name) {
				return;
			}
			var seen = {}, values = [];
			Array.prototype.forEach.call(body.rows, function (tr) {
				var v = text(tr.cells[col]);
				if (!Object.prototype.hasOwnProperty.call(seen, v)) {
					seen[v] = true;
					values.push(v);
				}
			});
			values.sort(function (a, b) { return a.localeCompare(b); });
			var label = document.createElement("label");
			var id = "wl" + n + "-" + name;
			label.setAttribute("for", id);
			label.textContent = headerText(th) + " ";
			var sel = document.createElement("select");
			sel.id = id;
			var all = document.createElement("option");
			all.value = "";
			all.textContent = "All";
			sel.appendChild(all);
			values.forEach(function (v) {
				var o = document.createElement("option");
				o.value = v;
				o.textContent = v === "" ? "(none)" : v;
				sel.appendChild(o);
			});
			label.appendChild(sel);
			bar.appendChild(label);
			selects.push({ col: col, sel: sel });
		});
		var count = document.createElement("p");
		count.className = "worklist-count";
		count.setAttribute("aria-live", "polite");
		var button = document.createElement("button");
		button.type = "button";
		button.textContent = "Download the rows shown (CSV)";
		bar.appendChild(button);
		wrap.parentNode.insertBefore(bar, wrap);
		wrap.parentNode.insertBefore(count, wrap);
		function apply() {
			var shown = 0;
			Array.prototype.forEach.call(body.rows, function (tr) {
				var ok = selects.every(function (f) {
					return f.sel.selectedIndex === 0 || text(tr.cells[f.col]) === f.sel.value;
				});
				tr.hidden = !ok;
				shown += ok ? 1 : 0;
			});
			count.textContent = "Showing " + shown + " of " + body.rows.length + " rows.";
		}
		selects.forEach(function (f) { f.sel.addEventListener("change", apply); });
		button.addEventListener("click", function () {
			var cols = Array.prototype.map.call(head.cells, function (th) {
				return { name: headerText(th), num: th.classList.contains("num") };
			});
			var lines = [cols.map(function (c) { return csvField(c.name, false); }).join(",")];
			Array.prototype.forEach.call(body.rows, function (tr) {
				if (tr.hidden) {
					return;
				}
				lines.push(Array.prototype.map.call(tr.cells, function (td, i) {
					return csvField(csvValue(td), cols[i] && cols[i].num);
				}).join(","));
			});
			var blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
			var a = document.createElement("a");
			var page = (location.pathname.split("/").pop() || "page").replace(/\.html?$/i, "");
			var cap = table.caption ? table.caption.id : "rows";
			a.href = URL.createObjectURL(blob);
			a.download = page + "-" + cap + ".csv";
			document.body.appendChild(a);
			a.click();
			document.body.removeChild(a);
			setTimeout(function () { URL.revokeObjectURL(a.href); }, 0);
		});
		apply();
	}
	Array.prototype.forEach.call(document.querySelectorAll("table.worklist"), enhance);
}());
