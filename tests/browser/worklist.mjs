// The clinical worklists in Chromium, from file://: node worklist.mjs SITE_DIR
// For every page with a worklist table (table.worklist) under clinical/:
// no horizontal scroll of the page at 1366 px and none inside the table's
// box either (the columns fit), no page scroll at 390 px (the table may
// scroll inside its own box there), no table or other block wider than its
// card at either width (layout.mjs), the navigation on one row at 1366 px
// (and at 1280 px on the first page: the clinical site has the most items)
// and folded behind its Menu at 390 px, no console or script error, and the
// script works: choosing a value in the first filter leaves exactly the
// rows with that value, the count line says so, and the CSV download holds
// a heading line and one line per row shown, with whole identifiers.
// Exits 1 on any failure.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { navInPage, overflowInPage } from './layout.mjs';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run'];

async function main() {
  const siteDir = resolve(process.argv[2] || '');
  const dir = join(siteDir, 'clinical');
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    console.log(`worklist: FAILED: ${dir} is not a folder (a clinical build?)`);
    return 1;
  }
  const pages = readdirSync(dir).filter((f) => f.endsWith('.html')).sort()
    .filter((f) => readFileSync(join(dir, f), 'utf8').includes('class="data sortable worklist"'));
  if (!pages.length) {
    console.log('worklist: FAILED: no page under clinical/ has a worklist table');
    return 1;
  }
  const bad = [];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  let tables = 0, filtered = 0;
  try {
    for (const width of [1366, 390]) {
      const ctx = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
      for (const f of pages) {
        const page = await ctx.newPage();
        const errors = [];
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(pathToFileURL(join(dir, f)).href);
        const m = await page.evaluate(() => ({
          tables: [...document.querySelectorAll('table.worklist')].map((t) => ({
            caption: t.caption ? t.caption.textContent : '',
            width: Math.ceil(t.getBoundingClientRect().width),
            box: t.parentNode.clientWidth,
          })),
          bars: document.querySelectorAll('.worklist-filters').length,
        }));
        for (const e of errors) bad.push(`${f} at ${width} px: console: ${e}`);
        // The page's own width, then tables and blocks against their card.
        for (const l of await page.evaluate(overflowInPage)) bad.push(`${f} at ${width} px: ${l}`);
        for (const l of await page.evaluate(navInPage, width < 500)) bad.push(`${f} at ${width} px: ${l}`);
        if (width === 1366 && f === pages[0]) {
          await page.setViewportSize({ width: 1280, height: 900 });
          for (const l of await page.evaluate(navInPage, false)) bad.push(`${f} at 1280 px: ${l}`);
          await page.setViewportSize({ width, height: 900 });
        }
        if (m.bars !== m.tables.length) bad.push(`${f}: ${m.tables.length} worklist tables but ${m.bars} filter bars`);
        if (width === 1366) {
          tables += m.tables.length;
          for (const t of m.tables)
            if (t.width > t.box + 1) bad.push(`${f}: "${t.caption}" is ${t.width} px wide in a ${t.box} px box at 1366 px`);
          const r = await checkFilterAndCsv(page, f);
          filtered += r.ok;
          bad.push(...r.bad);
        }
        await page.close();
      }
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
  for (const b of bad) console.log(`WORKLIST ${b}`);
  console.log(`worklist: ${pages.length} pages, ${tables} worklist tables checked at 1366 and 390 px, filter and CSV checked on ${filtered}, ${bad.length} problems`);
  return bad.length ? 1 : 0;
}

// Picks the last value of the first filter of the first non-empty worklist
// table and checks the rows left, the count line and the CSV.
async function checkFilterAndCsv(page, f) {
  const bad = [];
  const info = await page.evaluate(() => {
    const t = [...document.querySelectorAll('table.worklist')].find((x) => x.tBodies[0].rows.length > 1);
    if (!t) return null;
    const bar = t.parentNode.previousElementSibling.previousElementSibling;
    const sel = bar.querySelector('select');
    const th = [...t.tHead.rows[0].cells].findIndex((c) => c.hasAttribute('data-filter'));
    const value = sel.options[sel.options.length - 1].value;
    sel.value = value;
    sel.dispatchEvent(new Event('change'));
    const rows = [...t.tBodies[0].rows];
    const want = rows.filter((r) => r.cells[th].textContent.replace(/\s+/g, ' ').trim() === value).length;
    const shown = rows.filter((r) => !r.hidden);
    const wrong = shown.filter((r) => r.cells[th].textContent.replace(/\s+/g, ' ').trim() !== value).length;
    const ids = [...t.querySelectorAll('tbody tr:not([hidden]) td.id span[title], tbody tr:not([hidden]) th.id span[title]')]
      .map((s) => s.getAttribute('title'));
    return { id: t.caption.id, value, want, shown: shown.length, wrong, count: bar.nextElementSibling.textContent, ids, total: rows.length };
  });
  if (!info) return { ok: 0, bad };
  if (info.wrong || info.shown !== info.want)
    bad.push(`${f}: filter '${info.value}' shows ${info.shown} rows (${info.wrong} without it), ${info.want} have it`);
  if (!info.count.includes(`Showing ${info.shown} of ${info.total} rows`))
    bad.push(`${f}: the count line says '${info.count}' for ${info.shown} of ${info.total} rows`);
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 10000 }),
    page.evaluate((id) => document.getElementById(id).closest('.table-wrap').previousElementSibling.previousElementSibling
      .querySelector('button').click(), info.id),
  ]);
  const path = await download.path();
  const csv = readFileSync(path, 'utf8').split('\r\n').filter((l) => l !== '');
  if (csv.length !== info.shown + 1) bad.push(`${f}: the CSV has ${csv.length} lines for ${info.shown} rows shown`);
  for (const id of info.ids.slice(0, 20))
    if (!csv.some((l) => l.includes(id))) bad.push(`${f}: the CSV lacks the whole identifier ${id}`);
  if (!/\.csv$/.test(download.suggestedFilename())) bad.push(`${f}: the download is named ${download.suggestedFilename()}`);
  return { ok: 1, bad };
}

main().then((c) => process.exit(c), (e) => {
  console.log(`worklist: FAILED: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
