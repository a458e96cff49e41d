// Layout checks of a loaded page, shared by crawl.mjs (the board site) and
// worklist.mjs (the clinical worklists). Each in-page function is passed to
// page.evaluate, so it is self-contained; each returns failure lines that
// name the offending element.

// Sideways overflow at the current window width: the page itself (the
// document wider than the window, with the outermost elements that stick
// out), and any table, chart, figure, image or preformatted block whose box
// reaches past the content box of <main>, or anything in a KPI tile (a
// status badge) past the content box of the tile.
// Elements inside a frame that scrolls sideways on purpose (overflow-x auto
// or scroll) are left out: only the frame itself must fit. Every <details>
// is opened first, so that what a reader can unfold is measured too; the
// ones opened are closed again.
export function overflowInPage() {
  const TOL = 1;
  const out = [];
  const name = (el) => {
    const tag = el.tagName.toLowerCase();
    let s = tag;
    if (el.id) s += `#${el.id}`;
    const cls = typeof el.className === 'string' ? el.className : el.className?.baseVal || '';
    if (cls.trim()) s += '.' + cls.trim().split(/\s+/).join('.');
    let label = '';
    if (tag === 'table') label = el.caption ? el.caption.textContent : '';
    else if (tag === 'svg') label = el.querySelector(':scope > title')?.textContent || el.getAttribute('aria-label') || '';
    else if (tag === 'figure') label = el.querySelector('svg > title, figcaption')?.textContent || '';
    else if (tag === 'img') label = el.getAttribute('alt') || el.getAttribute('src') || '';
    else label = el.getAttribute('aria-label') || (el.textContent || '').trim().slice(0, 40);
    label = label.replace(/\s+/g, ' ').trim();
    if (label.length > 60) label = label.slice(0, 57) + '...';
    return label ? `${s} "${label}"` : s;
  };
  const scrolls = (el) => /^(auto|scroll)$/.test(getComputedStyle(el).overflowX);
  // The nearest ancestor that scrolls sideways, below stop (exclusive).
  const scroller = (el, stop) => {
    for (let p = el.parentElement; p && p !== stop; p = p.parentElement) if (scrolls(p)) return p;
    return null;
  };
  const shown = (el) => el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0;

  const opened = [...document.querySelectorAll('details:not([open])')];
  for (const d of opened) d.open = true;
  try {
    const de = document.documentElement;
    const win = de.clientWidth;
    if (de.scrollWidth > win) {
      // The outermost elements past the window's edge whose parent is not.
      const past = (r) => r.right > win + TOL || r.left < -TOL;
      const culprits = [];
      for (const el of document.body.querySelectorAll('*')) {
        if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
        const r = el.getBoundingClientRect();
        // Off the left edge on purpose (a skip link until focused): no scroll.
        if (r.width === 0 || r.right <= 0 || !past(r) || !shown(el)) continue;
        const p = el.parentElement;
        if (p && p !== document.body && past(p.getBoundingClientRect())) continue;
        if (scroller(el, null)) continue;
        culprits.push(`${name(el)} (${Math.round(r.left)} to ${Math.round(r.right)} px)`);
        if (culprits.length === 3) break;
      }
      out.push(`the page scrolls sideways: ${de.scrollWidth} px wide in a ${win} px window` +
        (culprits.length ? `; past the edge: ${culprits.join(', ')}` : ''));
    }
    const sel = 'table, svg, figure, pre, img, video, canvas, iframe, .table-wrap, li.kpi *';
    for (const el of document.querySelectorAll(sel)) {
      if (el.tagName.toLowerCase() !== 'svg' && el.closest('svg')) continue;
      if (el.parentElement?.closest('svg')) continue;
      const card = el.parentElement?.closest('li.kpi, .card, main');
      if (!card || !shown(el)) continue;
      if (scroller(el, card)) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const cr = card.getBoundingClientRect();
      const cs = getComputedStyle(card);
      const left = cr.left + card.clientLeft + parseFloat(cs.paddingLeft);
      const right = cr.left + card.clientLeft + card.clientWidth - parseFloat(cs.paddingRight);
      const over = Math.max(r.right - right, left - r.left);
      if (over > TOL) out.push(`${name(el)} is ${Math.round(r.width)} px wide and reaches ${Math.round(over)} px past its ${name(card).split(' ')[0]} (${Math.round(right - left)} px)`);
    }
  } finally {
    for (const d of opened) d.open = false;
  }
  return out;
}

// The main navigation: one row of links on a wide window; on a phone
// (narrow = true) folded behind a visible "Menu" summary, the list hidden
// until it is opened, the current section still marked.
export function navInPage(narrow) {
  const nav = document.querySelector('nav.site-nav');
  if (!nav) return ['no nav.site-nav'];
  const out = [];
  const links = [...nav.querySelectorAll('a')];
  const current = links.filter((a) => a.getAttribute('aria-current') === 'page');
  if (current.length > 1) out.push(`${current.length} navigation links are marked as the current page`);
  const summary = nav.querySelector('details > summary');
  const details = summary?.parentElement;
  const visible = (el) => el.checkVisibility();
  if (!narrow) {
    const rows = new Set(links.filter(visible).map((a) => Math.round(a.getBoundingClientRect().top))).size;
    if (links.some((a) => !visible(a))) out.push(`the navigation hides ${links.filter((a) => !visible(a)).length} of its ${links.length} links`);
    else if (rows > 1) out.push(`the navigation takes ${rows} rows of links at ${window.innerWidth} px`);
    return out;
  }
  if (!summary || !visible(summary)) return [`the navigation is not folded behind a Menu button at ${window.innerWidth} px`];
  const wasOpen = details.open;
  details.open = false;
  if (links.some(visible)) out.push('the navigation shows its links with the Menu closed');
  details.open = true;
  if (!links.every(visible)) out.push('the navigation hides links with the Menu open');
  else if (current.length === 1 && getComputedStyle(current[0]).borderLeftStyle === 'none' &&
    getComputedStyle(current[0]).borderBottomStyle === 'none') out.push('the current section is not marked in the open Menu');
  details.open = wasOpen;
  return out;
}

// Every text of a chart or diagram (a top-level <svg> with a viewBox) lies
// inside the viewBox, and a text whose middle lies in a box (the smallest
// <rect> around it: the boxes of the lineage and data-model diagrams, a
// bar, a legend swatch) lies inside that box; 1 unit of the viewBox is
// allowed. A text's extent is its getBBox() across and the ink of its
// glyphs up and down.
export function labelsInPage() {
  const TOL = 1;
  const out = [];
  const r1 = (x) => Math.round(x * 10) / 10;
  const ctx2d = document.createElement('canvas').getContext('2d');
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.parentElement.closest('svg')) continue;
    const vb = svg.viewBox && svg.viewBox.baseVal;
    if (!vb || !vb.width || !vb.height) continue;
    const toSvg = svg.getScreenCTM()?.inverse();
    if (!toSvg) continue; // not rendered
    const box = (el) => {
      const m = el.getScreenCTM();
      if (!m) return null;
      const b = el.getBBox();
      if (el.tagName.toLowerCase() === 'text') {
        // Up and down, the glyphs' ink rather than the font's line box:
        // a "*" whose line box dips below its swatch is still inside it.
        const cs = getComputedStyle(el);
        ctx2d.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const mt = ctx2d.measureText(el.textContent);
        const slackTop = mt.fontBoundingBoxAscent - mt.actualBoundingBoxAscent;
        const slackBottom = mt.fontBoundingBoxDescent - mt.actualBoundingBoxDescent;
        if (slackTop >= 0 && slackBottom >= 0 && slackTop + slackBottom < b.height)
          return corners(new DOMRect(b.x, b.y + slackTop, b.width, b.height - slackTop - slackBottom), toSvg.multiply(m));
      }
      return corners(b, toSvg.multiply(m));
    };
    const corners = (b, t) => {
      const pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]
        .map(([x, y]) => new DOMPoint(x, y).matrixTransform(t));
      const xs = pts.map((p) => p.x), ys = pts.map((p) => p.y);
      return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
    };
    const title = (svg.querySelector(':scope > title')?.textContent || svg.getAttribute('aria-label') || 'svg')
      .replace(/\s+/g, ' ').trim().slice(0, 60);
    const rects = [];
    for (const r of svg.querySelectorAll('rect')) {
      const b = box(r);
      if (!b || b.x1 - b.x0 < 1 || b.y1 - b.y0 < 1) continue;
      if (b.x0 <= vb.x + TOL && b.y0 <= vb.y + TOL && b.x1 >= vb.x + vb.width - TOL && b.y1 >= vb.y + vb.height - TOL) continue;
      rects.push(b);
    }
    let shown = 0;
    for (const t of svg.querySelectorAll('text')) {
      const words = (t.textContent || '').replace(/\s+/g, ' ').trim();
      if (!words) continue;
      const b = box(t);
      if (!b || (b.x1 === b.x0 && b.y1 === b.y0)) continue;
      const say = (what) => {
        if (shown++ < 8) out.push(`svg "${title}": text "${words.slice(0, 50)}" ${what}`);
      };
      const past = {
        left: vb.x - b.x0, right: b.x1 - (vb.x + vb.width), top: vb.y - b.y0, bottom: b.y1 - (vb.y + vb.height),
      };
      const sides = Object.entries(past).filter(([, d]) => d > TOL);
      if (sides.length) {
        say(`runs past the ${sides.map(([s, d]) => `${s} edge by ${r1(d)}`).join(' and the ')} of the viewBox ` +
          `(${r1(vb.x)} ${r1(vb.y)} ${r1(vb.width)} ${r1(vb.height)})`);
        continue;
      }
      const cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
      let home = null;
      for (const r of rects)
        if (cx >= r.x0 && cx <= r.x1 && cy >= r.y0 && cy <= r.y1 &&
          (!home || (r.x1 - r.x0) * (r.y1 - r.y0) < (home.x1 - home.x0) * (home.y1 - home.y0))) home = r;
      if (!home) continue;
      const out4 = { left: home.x0 - b.x0, right: b.x1 - home.x1, top: home.y0 - b.y0, bottom: b.y1 - home.y1 };
      const bad = Object.entries(out4).filter(([, d]) => d > TOL);
      if (bad.length)
        say(`sticks out of its box (${r1(home.x0)},${r1(home.y0)} ${r1(home.x1 - home.x0)}x${r1(home.y1 - home.y0)}) ` +
          `on the ${bad.map(([s, d]) => `${s} by ${r1(d)}`).join(' and the ')}`);
    }
    if (shown > 8) out.push(`svg "${title}": ${shown - 8} more texts out of place`);
  }
  return out;
}
