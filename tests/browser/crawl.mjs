// Loads every page in Chromium, from file:// and from the loopback server,
// and records what a reader would hit: console errors, script errors, failed
// or off-machine requests, accessibility violations, a layout that spills
// sideways or chart labels out of their boxes (layout.mjs). One browser, a
// few pages at a time.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { labelsInPage, navInPage, overflowInPage } from './layout.mjs';
import { collectInPage } from './links.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const AXE = join(here, 'node_modules', 'axe-core', 'axe.min.js');
const NAV_TIMEOUT = 30000;
const STEP_TIMEOUT = 60000; // a script that never yields must not hang the run

function within(ms, what, promise) {
  let timer;
  const late = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} did not finish in ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// Only the site itself (file:// under its folder) and our own loopback
// server may be requested; data: and blob: never leave the page.
export function requestPolicy(siteDir, origin) {
  const root = resolve(siteDir);
  return (url) => {
    if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:')) return 'ok';
    if (url.startsWith('file:')) {
      let path;
      try {
        path = fileURLToPath(url);
      } catch {
        return 'outside';
      }
      return path === root || path.startsWith(root + sep) ? 'ok' : 'outside';
    }
    if (url === origin || url.startsWith(origin + '/')) return 'ok';
    return 'external';
  };
}

// Records the events of one page load; classify() turns them into problems.
export function watch(page, policy) {
  const ev = { console: [], pageErrors: [], failed: [], badStatus: [], external: [], outside: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') ev.console.push({ text: m.text(), url: m.location()?.url || '' });
  });
  page.on('pageerror', (e) => ev.pageErrors.push(String(e && e.stack ? e.stack.split('\n')[0] : e)));
  page.on('request', (r) => {
    const verdict = policy(r.url());
    if (verdict === 'external') ev.external.push(r.url());
    else if (verdict === 'outside') ev.outside.push(r.url());
  });
  page.on('requestfailed', (r) => ev.failed.push({ url: r.url(), error: r.failure()?.errorText || 'failed' }));
  page.on('response', (r) => {
    if (r.status() >= 400) ev.badStatus.push({ url: r.url(), status: r.status() });
  });
  return ev;
}

export function classify(ev, how) {
  const p = [];
  const blocked = new Set([...ev.external, ...ev.outside]);
  const failedUrls = new Set([...ev.failed.map((f) => f.url), ...ev.badStatus.map((b) => b.url)]);
  for (const u of ev.external) p.push({ kind: 'external', how, detail: `request leaves the machine: ${u}` });
  for (const u of ev.outside) p.push({ kind: 'external', how, detail: `request outside the site folder: ${u}` });
  // One line per URL: a 404 is often also reported as an aborted request.
  const shown = new Set(blocked);
  const failedOnce = (url, detail) => {
    if (shown.has(url)) return;
    shown.add(url);
    p.push({ kind: 'request', how, detail: `${detail}: ${url}` });
  };
  for (const b of ev.badStatus) failedOnce(b.url, `HTTP ${b.status}`);
  for (const f of ev.failed) failedOnce(f.url, f.error);
  for (const c of ev.console) {
    // A failed load is reported once, as a request, not again as its echo.
    if (/^Failed to load resource/.test(c.text) && (failedUrls.has(c.url) || blocked.has(c.url))) continue;
    p.push({ kind: 'console', how, detail: c.text + (c.url ? ` (${c.url})` : '') });
  }
  for (const e of ev.pageErrors) p.push({ kind: 'console', how, detail: `uncaught: ${e}` });
  return p;
}

async function settle(page) {
  const frame = page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
  await within(STEP_TIMEOUT, 'the page', frame);
}

// Clicks the first sort control of the first sortable table twice, so the
// optional script runs at least once on every page that has one.
async function exerciseSort(page) {
  const th = page.locator('table.sortable thead th').first();
  if ((await th.count()) === 0) return;
  const button = th.locator('button').first();
  const target = (await button.count()) > 0 ? button : th;
  for (let i = 0; i < 2; i++) await target.click({ timeout: 5000 });
}

export async function runAxe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), impact: n.impact })),
    }));
  });
}

export const PHONE = { width: 390, height: 844 };
export const LAPTOP = { width: 1280, height: 800 };

// The layout at the window's width (1366 px in main.mjs): the navigation on
// one row, nothing wider than the page or its card, every chart label inside
// its chart and box. On a narrow page (the home page, a Trust page) also
// the navigation on one row at 1280 px, and at 390 px the navigation folded
// behind its Menu, nothing wider than the page or its card and every label
// of the charts drawn for a phone inside its chart and box, with a
// screenshot there. Returns { layout, labels }: failure lines.
async function checkLayout(page, { narrow, shot }) {
  const size = page.viewportSize();
  const layout = [];
  const at = (px, lines) => layout.push(...lines.map((l) => `at ${px} px: ${l}`));
  at(size.width, await page.evaluate(navInPage, false));
  at(size.width, await page.evaluate(overflowInPage));
  const labels = await page.evaluate(labelsInPage);
  if (narrow) {
    await page.setViewportSize({ ...LAPTOP });
    await settle(page);
    at(LAPTOP.width, await page.evaluate(navInPage, false));
    await page.setViewportSize({ ...PHONE });
    await settle(page);
    at(PHONE.width, await page.evaluate(navInPage, true));
    at(PHONE.width, await page.evaluate(overflowInPage));
    // The charts drawn for a phone show only here.
    labels.push(...(await page.evaluate(labelsInPage)).map((l) => `at ${PHONE.width} px: ${l}`));
    if (shot) await page.screenshot({ path: phoneShot(shot), fullPage: true, timeout: STEP_TIMEOUT });
    await page.setViewportSize(size);
    await settle(page);
  }
  return { layout, labels };
}

export const phoneShot = (path) => path.replace(/\.png$/, `-${PHONE.width}.png`);

// One page, both ways. Returns { page, problems, links, axe, layout, labels }.
async function checkPage(ctx, { root, origin, policy, rel, shot, narrow }) {
  const out = { page: rel, problems: [], links: null, axe: [], layout: [], labels: [] };

  const viaFile = await ctx.newPage();
  const evFile = watch(viaFile, policy);
  try {
    await viaFile.goto(pathToFileURL(join(root, rel)).href, { waitUntil: 'load', timeout: NAV_TIMEOUT });
    await settle(viaFile);
    out.links = await within(STEP_TIMEOUT, 'collecting links', viaFile.evaluate(collectInPage));
    if (shot) {
      mkdirSync(dirname(shot), { recursive: true });
      await viaFile.screenshot({ path: shot, fullPage: true, timeout: STEP_TIMEOUT });
    }
    Object.assign(out, await within(STEP_TIMEOUT, 'the layout checks', checkLayout(viaFile, { narrow, shot })));
    await exerciseSort(viaFile);
    await settle(viaFile);
  } catch (e) {
    out.problems.push({ kind: 'load', how: 'file', detail: String(e.message || e).split('\n')[0] });
  }
  out.problems.push(...classify(evFile, 'file'));
  await within(STEP_TIMEOUT, 'closing the page', viaFile.close({ runBeforeUnload: false })).catch(() => {});

  const viaHttp = await ctx.newPage();
  const evHttp = watch(viaHttp, policy);
  try {
    const url = origin + '/' + rel.split('/').map(encodeURIComponent).join('/');
    const res = await viaHttp.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT });
    if (!res || !res.ok()) throw new Error(`HTTP ${res ? res.status() : 'no response'}`);
    await settle(viaHttp);
    out.axe = await within(STEP_TIMEOUT, 'axe', runAxe(viaHttp));
  } catch (e) {
    out.problems.push({ kind: 'load', how: 'http', detail: String(e.message || e).split('\n')[0] });
  }
  out.problems.push(...classify(evHttp, 'http'));
  await within(STEP_TIMEOUT, 'closing the page', viaHttp.close({ runBeforeUnload: false })).catch(() => {});
  return out;
}

// pages: site-relative paths; shots: Map rel -> screenshot path; narrow:
// Set of the pages also checked at 390 px.
export async function crawl(ctx, { siteDir, origin, pages, shots, narrow = new Set(), jobs, onPage }) {
  const root = resolve(siteDir);
  const policy = requestPolicy(root, origin);
  await ctx.route('**/*', (route) => {
    const verdict = policy(route.request().url());
    return verdict === 'ok' ? route.continue() : route.abort('blockedbyclient');
  });
  const results = new Array(pages.length);
  let next = 0;
  const worker = async () => {
    while (next < pages.length) {
      const i = next++;
      results[i] = await checkPage(ctx, {
        root, origin, policy, rel: pages[i], shot: shots.get(pages[i]), narrow: narrow.has(pages[i]),
      });
      if (onPage) onPage(results[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, pages.length) }, worker));
  return results;
}
