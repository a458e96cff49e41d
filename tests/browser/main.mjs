// Browser test suite of the static site: node main.mjs SITE_DIR SCREENSHOT_DIR
// Prints every problem, the screenshot paths and one summary line; exits 1
// on any failure. Run through run.sh, which checks the tools first.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { crawl, phoneShot, requestPolicy } from './crawl.mjs';
import { checkLinks } from './links.mjs';
import { checkIndexLinks, checkSearch, loadIndex } from './search.mjs';
import { startServer } from './server.mjs';
import { checkHtml } from './vnu.mjs';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const JOBS = Math.max(1, Number(process.env.BROWSER_JOBS) || 4);
const MAX_TARGETS = 3; // selectors shown per axe rule and page

// Every .html file under dir, as '/'-separated relative paths in byte order.
function htmlPages(dir, prefix = '') {
  const out = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...htmlPages(dir, rel));
    else if (e.isFile() && /\.html?$/i.test(e.name)) out.push(rel);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// The Trust page to photograph: the first page in trust/ that is not its index.
function trustPage(pages) {
  const inTrust = pages.filter((p) => p.startsWith('trust/'));
  const direct = inTrust.filter((p) => !p.slice(6).includes('/'));
  return direct.find((p) => !/^trust\/index\.html?$/i.test(p)) || inTrust.find((p) => !/\/index\.html?$/i.test(p)) || inTrust[0];
}

const shotName = (rel) => rel.replace(/\.html?$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '-') + '.png';

function report(label, lines) {
  for (const l of lines) console.log(`${label.padEnd(8)} ${l}`);
}

async function main() {
  const [siteArg, shotArg] = process.argv.slice(2);
  if (!siteArg) {
    console.error('usage: node main.mjs SITE_DIR SCREENSHOT_DIR');
    return 2;
  }
  const siteDir = resolve(siteArg);
  if (!statSync(siteDir, { throwIfNoEntry: false })?.isDirectory()) {
    console.log(`browser: FAILED: ${siteDir} is not a folder`);
    return 1;
  }
  const pages = htmlPages(siteDir);
  if (pages.length === 0) {
    console.log(`browser: FAILED: no .html page in ${siteDir}`);
    return 1;
  }
  const shotDir = resolve(shotArg || join(siteDir, '..', 'screenshots'));
  const shots = new Map();
  const missing = [];
  if (pages.includes('index.html')) shots.set('index.html', join(shotDir, 'index.png'));
  else missing.push('no index.html: the site has no home page');
  // Pages the site must have besides the home page.
  for (const need of ['tests.html', 'models/index.html'])
    if (!pages.includes(need)) missing.push(`no ${need}`);
  const trust = trustPage(pages);
  if (trust) shots.set(trust, join(shotDir, shotName(trust)));
  else console.log('note     no page under trust/: no Trust screenshot');
  // Also laid out at 390 px (a phone), with a screenshot there.
  const narrow = new Set(['index.html', trust].filter((p) => p && pages.includes(p)));

  const started = Date.now();
  const html = checkHtml(siteDir, pages); // the JVM runs while the browser works
  const server = await startServer(siteDir);
  const profile = mkdtempSync(join(tmpdir(), 'medimart-chromium-'));
  let ctx;
  let results;
  let search = { problems: [], axe: [] };
  const searchShot = join(shotDir, 'search.png');
  const searchPage = pages.includes('models/index.html') ? 'models/index.html' : 'index.html';
  try {
    console.log(`browser: ${pages.length} pages of ${siteDir}, from file:// and ${server.origin}, ${JOBS} at a time`);
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1366, height: 800 },
      bypassCSP: true, // axe is injected as an inline script
      serviceWorkers: 'block',
    });
    let done = 0;
    results = await crawl(ctx, {
      siteDir, origin: server.origin, pages, shots, narrow, jobs: JOBS,
      onPage: () => {
        done++;
        if (process.stdout.isTTY && done % 10 === 0) process.stderr.write(`  ${done}/${pages.length} pages\r`);
      },
    });
    mkdirSync(shotDir, { recursive: true });
    search = await checkSearch(ctx, {
      siteDir, origin: server.origin, policy: requestPolicy(siteDir, server.origin), rel: searchPage, shot: searchShot,
    });
  } finally {
    if (ctx) await ctx.close().catch(() => {});
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  const htmlErrors = await html;

  const count = { console: 0, request: 0, external: 0, load: 0 };
  const label = { console: 'CONSOLE', request: 'REQUEST', external: 'OFFLINE', load: 'LOAD' };
  for (const r of results)
    for (const p of r.problems) {
      count[p.kind]++;
      report(label[p.kind], [`${r.page} [${p.how}]: ${p.detail}`]);
    }

  const links = checkLinks(siteDir, new Map(results.map((r) => [r.page, r.links])));
  report('LINK', links.broken.map((b) => `${b.page}: ${b.ref}: ${b.reason}`));

  const index = loadIndex(siteDir);
  const idsByPage = new Map(results.map((r) => [r.page, new Set(r.links ? r.links.ids : [])]));
  const searchBad = [...search.problems, ...(index.error ? [index.error] : checkIndexLinks(index.entries, idsByPage))];
  report('SEARCH', searchBad);

  let axeBad = 0;
  const axeMinor = new Map();
  for (const r of [...results, { page: `${searchPage} (search results open)`, axe: search.axe }])
    for (const v of r.axe) {
      if (v.impact === 'serious' || v.impact === 'critical') {
        axeBad += v.nodes.length;
        const shown = v.nodes.slice(0, MAX_TARGETS).map((n) => n.target);
        const more = v.nodes.length > MAX_TARGETS ? ` (+${v.nodes.length - MAX_TARGETS} more)` : '';
        report('AXE', [`${v.id} (${v.impact}) ${r.page}: ${shown.join(' | ')}${more}: ${v.help}`]);
      } else {
        const k = `${v.id} (${v.impact})`;
        const seen = axeMinor.get(k) || { pages: 0, example: `${r.page}: ${v.nodes[0]?.target || ''}` };
        seen.pages++;
        axeMinor.set(k, seen);
      }
    }
  for (const [k, m] of axeMinor) console.log(`note     axe ${k} on ${m.pages} page(s), not a failure; e.g. ${m.example}`);

  let layoutBad = 0;
  let labelBad = 0;
  for (const r of results) {
    layoutBad += r.layout.length;
    labelBad += r.labels.length;
    report('LAYOUT', r.layout.map((l) => `${r.page} ${l}`));
  }
  for (const r of results) report('LABEL', r.labels.map((l) => `${r.page}: ${l}`));

  report('HTML', htmlErrors.map((e) => `${e.page}:${e.line}:${e.column}: ${e.message}${e.extract ? ` «${e.extract.slice(0, 120)}»` : ''}`));
  if (links.external.length) console.log(`note     ${links.external.length} link(s) to other web sites (not requested)`);
  if (statSync(searchShot, { throwIfNoEntry: false })) console.log(`screenshot search: ${searchShot}`);
  else missing.push('no screenshot of the search results');
  for (const [page, path] of shots) {
    if (statSync(path, { throwIfNoEntry: false })) console.log(`screenshot ${page}: ${path}`);
    else missing.push(`no screenshot of ${page}`);
    if (!narrow.has(page)) continue;
    if (statSync(phoneShot(path), { throwIfNoEntry: false })) console.log(`screenshot ${page} at 390 px: ${phoneShot(path)}`);
    else missing.push(`no screenshot of ${page} at 390 px`);
  }
  report('SITE', missing);

  const consoleErrors = count.console;
  const failures = consoleErrors + count.request + count.external + count.load + links.broken.length + axeBad +
    htmlErrors.length + missing.length + searchBad.length + layoutBad + labelBad;
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  console.log(
    `browser: ${pages.length} pages, ${consoleErrors} console errors, ${count.request} failed requests, ` +
      `${count.external} off-machine requests, ${count.load} load failures, ${links.broken.length} broken links, ` +
      `${axeBad} axe serious/critical, ${htmlErrors.length} HTML errors, ${searchBad.length} search problems, ` +
      `${layoutBad} layout problems, ${labelBad} chart label problems` +
      `${index.entries ? ` (index of ${index.entries.length} entries)` : ''} (${secs}s)`,
  );
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.log(`browser: FAILED: ${e && e.stack ? e.stack : e}`);
    process.exit(1);
  },
);
