// The search box in the header (assets/search.js with its index
// assets/search-index.js): typing a model name or a column name shows a
// result that links to the model's page; the keyboard reaches and leaves
// the results; the open list passes axe; every link of the index resolves.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { classify, runAxe, watch } from './crawl.mjs';

const TIMEOUT = 10000;

// The entries of assets/search-index.js, run in a sandbox as a browser would.
export function loadIndex(siteDir) {
  const path = join(siteDir, 'assets', 'search-index.js');
  if (!statSync(path, { throwIfNoEntry: false })) return { error: 'assets/search-index.js is missing' };
  const sandbox = { window: {} };
  try {
    vm.runInNewContext(readFileSync(path, 'utf8'), sandbox, { filename: path, timeout: 5000 });
  } catch (e) {
    return { error: `assets/search-index.js does not run: ${e.message}` };
  }
  const entries = sandbox.window.MEDIMART_SEARCH;
  if (!Array.isArray(entries)) return { error: 'assets/search-index.js defines no window.MEDIMART_SEARCH array' };
  return { entries };
}

// Every href of the index must name a crawled page and, with #id, an id on it.
// idsByPage: Map page -> Set of ids.
export function checkIndexLinks(entries, idsByPage) {
  const broken = [];
  for (const e of entries) {
    if (!Array.isArray(e) || e.length !== 5 || !e.every((x) => typeof x === 'string')) {
      broken.push(`malformed entry ${JSON.stringify(e)}`);
      continue;
    }
    const [page, id] = e[4].split('#');
    const ids = idsByPage.get(page);
    if (!ids) broken.push(`${e[0]} ${e[1]}: ${e[4]}: no such page`);
    else if (id !== undefined && !ids.has(id)) broken.push(`${e[0]} ${e[1]}: ${e[4]}: no id "${id}" on the page`);
  }
  return broken;
}

async function results(page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('#site-search-results a')).map((a) => ({
      href: a.getAttribute('href'),
      text: a.textContent,
    })),
  );
}

async function typeQuery(page, q) {
  const box = page.locator('#site-search-input');
  await box.fill('');
  await box.pressSequentially(q);
  // Results appear once the index has loaded; the live region says how many.
  await page.waitForFunction(
    () => /result/.test(document.querySelector('.site-search [role="status"]')?.textContent || ''),
    null,
    { timeout: TIMEOUT },
  );
  return results(page);
}

// Runs the scenarios on rel (a page one folder down, so that the root of
// the links is exercised), from file:// and over HTTP. Returns problems
// (strings), axe violations and whether the screenshot was taken.
export async function checkSearch(ctx, { siteDir, origin, policy, rel, shot }) {
  const problems = [];
  let axe = [];
  const fail = (how, msg) => problems.push(`${rel} [${how}]: ${msg}`);
  for (const how of ['file', 'http']) {
    const page = await ctx.newPage();
    const ev = watch(page, policy);
    try {
      const url = how === 'file' ? pathToFileURL(join(siteDir, rel)).href : `${origin}/${rel}`;
      await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT * 3 });
      const box = page.locator('#site-search-input');
      if ((await box.count()) !== 1) throw new Error('no search box (#site-search-input) in the header');
      const label = await page.evaluate(() => document.getElementById('site-search-input').labels[0]?.textContent || '');
      if (!label.trim()) fail(how, 'the search box has no label');
      await box.focus();

      let hits = await typeQuery(page, 'overdue');
      const model = hits.findIndex((h) => /(^|\/)models\/fct_overdue_cases\.html$/.test(h.href));
      if (model < 0) fail(how, `"overdue" shows no link to models/fct_overdue_cases.html (got ${hits.map((h) => h.href).join(', ')})`);

      // Down reaches the results, Up goes back, Escape closes them.
      await page.keyboard.press('ArrowDown');
      const focused = await page.evaluate(() => document.activeElement?.closest('#site-search-results') !== null && document.activeElement.tagName);
      if (focused !== 'A') fail(how, 'the down arrow does not move to the first result');
      if (shot && how === 'file') {
        await page.keyboard.press('ArrowDown');
        await page.screenshot({ path: shot, clip: { x: 0, y: 0, width: 1280, height: 800 } });
        await page.keyboard.press('ArrowUp');
      }
      await page.keyboard.press('ArrowUp');
      if (!(await page.evaluate(() => document.activeElement?.id === 'site-search-input')))
        fail(how, 'the up arrow from the first result does not return to the search box');
      if (how === 'http') axe = await runAxe(page); // with the list open
      await page.keyboard.press('Escape');
      if (await page.locator('#site-search-results').isVisible()) fail(how, 'Escape does not close the results');

      hits = await typeQuery(page, 'risk_tier');
      const col = hits.find((h) => /(^|\/)models\/[a-z0-9_]+\.html#col-risk_tier$/.test(h.href));
      if (!col) fail(how, `"risk_tier" shows no column result linking to a model page (got ${hits.map((h) => h.href).join(', ')})`);
      else if (!/in fct_overdue_cases|in dim_risk_cohort/.test(hits.map((h) => h.text).join('\n')))
        fail(how, '"risk_tier" does not name the model of the column');

      hits = await typeQuery(page, 'no such thing at all xyzzy');
      if (hits.length) fail(how, `a query that matches nothing shows ${hits.length} result(s)`);

      // Enter opens the first result: for an exact model name, its page.
      hits = await typeQuery(page, 'fct_overdue_cases');
      await Promise.all([page.waitForURL(/models\/fct_overdue_cases\.html$/, { timeout: TIMEOUT }), box.press('Enter')]);
    } catch (e) {
      fail(how, String(e.message || e).split('\n')[0]);
    }
    for (const p of classify(ev, how)) fail(how, `${p.kind}: ${p.detail}`);
    await page.close({ runBeforeUnload: false }).catch(() => {});
  }
  return { problems, axe };
}
