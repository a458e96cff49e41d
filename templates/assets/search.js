/* Site search: a search box in the header that lists, as one types, the
 * pages, models, columns and input files whose name or description
 * matches, as links. The index (search-index.js, beside this file) is
 * loaded on first use as a script, so it works from disk (file://) as
 * well as from a server; it holds names and descriptions from the model
 * registry, never a value from the data. Without this script the site
 * shows no search box and works as before.
 * Keys: Down from the box goes to the results, Up and Down move between
 * them, Escape closes them, Enter in the box opens the first result. */
(function () {
	"use strict";
	var me = document.currentScript;
	var brand = document.querySelector(".site-brand .wrap");
	if (!me || !brand || !window.addEventListener) {
		return;
	}
	var base = me.src.replace(/assets\/search\.js([?#].*)?$/, "");
	var MAX = 12;
	var KINDS = {page: "Page", model: "Model", column: "Column", source: "Input file"};
	var ORDER = {page: 0, model: 1, source: 2, column: 3};
	var index = null;
	var loading = false;

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls) {
			e.className = cls;
		}
		if (text) {
			e.textContent = text;
		}
		return e;
	}

	var form = el("form", "site-search");
	form.setAttribute("role", "search");
	form.setAttribute("aria-label", "Site");
	var label = el("label", "visually-hidden", "Search models, columns and pages");
	label.htmlFor = "site-search-input";
	var input = el("input", "site-search-input");
	input.id = "site-search-input";
	input.type = "search";
	input.autocomplete = "off";
	input.spellcheck = false;
	input.placeholder = "Search models and columns";
	input.setAttribute("aria-describedby", "site-search-hint");
	input.setAttribute("aria-controls", "site-search-results");
	var hint = el("span", "visually-hidden", "Results appear below as you type; press the down arrow to reach them.");
	hint.id = "site-search-hint";
	var live = el("p", "visually-hidden");
	live.setAttribute("role", "status");
	var panel = el("div", "site-search-results");
	panel.id = "site-search-results";
	panel.hidden = true;
	form.appendChild(label);
	form.appendChild(input);
	form.appendChild(hint);
	form.appendChild(live);
	form.appendChild(panel);
	brand.appendChild(form);

	function norm(s) {
		return String(s).toLowerCase().replace(/[_\-.\/]+/g, " ").replace(/\s+/g, " ").trim();
	}

	/* How well entry e matches, lower is better: 0-3 its name is, starts
	 * with, has a word starting with, or contains the query; 4 its model
	 * or file name has the words; 5 its description. -1: no match. */
	function score(e, words, phrase) {
		var name = norm(e[1]);
		var head = name + " " + norm(e[2]);
		var all = head + " " + norm(e[3]);
		for (var i = 0; i < words.length; i++) {
			if (all.indexOf(words[i]) < 0) {
				return -1;
			}
		}
		if (name === phrase) {
			return 0;
		}
		var at = name.indexOf(phrase);
		if (at === 0) {
			return 1;
		}
		if (at > 0) {
			return name.indexOf(" " + phrase) >= 0 ? 2 : 3;
		}
		return words.every(function (w) { return head.indexOf(w) >= 0; }) ? 4 : 5;
	}

	function search(q) {
		var phrase = norm(q);
		var words = phrase ? phrase.split(" ") : [];
		var hits = [];
		if (!words.length) {
			return hits;
		}
		index.forEach(function (e, i) {
			var s = score(e, words, phrase);
			if (s >= 0) {
				hits.push({e: e, s: s, i: i});
			}
		});
		/* Exact names first, then names that match (pages and models
		 * before columns), then matches in context or description. */
		function group(h) {
			return h.s === 0 ? 0 : h.s <= 3 ? 1 : 2;
		}
		hits.sort(function (a, b) {
			return group(a) - group(b) || ORDER[a.e[0]] - ORDER[b.e[0]] || a.s - b.s || a.i - b.i;
		});
		return hits;
	}

	/* The description cut to about 120 characters: from its start when
	 * the name matched, else around the first word of the query in it. */
	function snippet(text, words, fromStart) {
		if (text.length <= 120) {
			return text;
		}
		var low = text.toLowerCase(), at = -1;
		for (var i = 0; !fromStart && i < words.length && at < 0; i++) {
			at = low.indexOf(words[i]);
		}
		var from = at > 100 ? text.lastIndexOf(" ", at - 30) + 1 : 0;
		var end = Math.min(from + 120, text.length);
		if (end < text.length && text.lastIndexOf(" ", end) > from + 60) {
			end = text.lastIndexOf(" ", end); /* a whole word last */
		}
		return (from ? "\u2026" : "") + text.slice(from, end) + (end < text.length ? "\u2026" : "");
	}

	function links() {
		return Array.prototype.slice.call(panel.querySelectorAll("a"));
	}

	function close() {
		panel.hidden = true;
	}

	function render() {
		var q = input.value;
		while (panel.firstChild) {
			panel.removeChild(panel.firstChild);
		}
		if (!norm(q)) {
			live.textContent = "";
			close();
			return;
		}
		if (!index) {
			live.textContent = "Loading the search index.";
			return;
		}
		var words = norm(q).split(" ");
		var hits = search(q);
		var said = hits.length === 0 ? "No results" : hits.length === 1 ? "1 result"
			: hits.length + " results";
		if (hits.length > MAX) {
			said += ", the first " + MAX + " shown";
		}
		live.textContent = said + ".";
		panel.appendChild(el("p", "site-search-count", said));
		if (hits.length) {
			var ul = el("ul");
			hits.slice(0, MAX).forEach(function (h) {
				var e = h.e, a = el("a");
				a.href = base + e[4];
				/* Spaces between the parts, so that they read as words. */
				a.appendChild(el("span", "site-search-kind", KINDS[e[0]] || e[0]));
				a.appendChild(document.createTextNode(" "));
				a.appendChild(el(e[0] === "page" ? "span" : "code", "site-search-name", e[1]));
				if (e[2]) {
					a.appendChild(document.createTextNode(" "));
					a.appendChild(el("span", "site-search-context", (e[0] === "column" ? "in " : "") + e[2]));
				}
				if (e[3]) {
					a.appendChild(document.createTextNode(" "));
					a.appendChild(el("span", "site-search-desc", snippet(e[3], words, h.s <= 3)));
				}
				var li = el("li");
				li.appendChild(a);
				ul.appendChild(li);
			});
			panel.appendChild(ul);
		}
		panel.hidden = false;
	}

	function load() {
		if (index || loading) {
			return;
		}
		loading = true;
		var s = document.createElement("script");
		s.src = base + "assets/search-index.js";
		s.onload = function () {
			index = Array.isArray(window.MEDIMART_SEARCH) ? window.MEDIMART_SEARCH : [];
			render();
		};
		s.onerror = function () {
			loading = false;
			live.textContent = "The search index could not be loaded.";
		};
		document.head.appendChild(s);
	}

	input.addEventListener("focus", load);
	input.addEventListener("input", function () {
		load();
		render();
	});
	form.addEventListener("submit", function (ev) {
		ev.preventDefault();
		var first = links()[0];
		if (first) {
			window.location.href = first.href;
		}
	});
	form.addEventListener("keydown", function (ev) {
		var all = links(), at = all.indexOf(document.activeElement);
		if (ev.key === "Escape") {
			if (!panel.hidden) {
				close();
				input.focus();
				ev.preventDefault();
			}
		} else if (ev.key === "ArrowDown" && all.length) {
			if (panel.hidden) {
				panel.hidden = false;
			}
			all[Math.min(at + 1, all.length - 1)].focus();
			ev.preventDefault();
		} else if (ev.key === "ArrowUp" && at >= 0) {
			(at === 0 ? input : all[at - 1]).focus();
			ev.preventDefault();
		}
	});
	form.addEventListener("focusout", function (ev) {
		if (!ev.relatedTarget || !form.contains(ev.relatedTarget)) {
			close();
		}
	});
	/* A click on the panel outside a link keeps the focus in the box. */
	panel.addEventListener("mousedown", function (ev) {
		if (!(ev.target.closest && ev.target.closest("a"))) {
			ev.preventDefault();
		}
	});
	input.addEventListener("click", function () {
		if (norm(input.value) && index) {
			render();
		}
	});
}());
