// Link and anchor checks: every internal reference collected from a page's
// DOM must name a file inside the site, and a #fragment must name an id of
// the target page. Runs after the crawl, when the ids of every page are known.
import { statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Runs in the page: the references that navigate or load something, and the
// ids a fragment may point at.
export function collectInPage() {
  const XLINK = 'http://www.w3.org/1999/xlink';
  const refs = [];
  const seen = new Set();
  const add = (el, attr, value) => {
    if (value === null || value === undefined) return;
    const key = el.localName + '\u0000' + attr + '\u0000' + value;
    if (seen.has(key)) return;
    seen.add(key);
    refs.push({ tag: el.localName, attr, value, rel: el.getAttribute('rel') || '' });
  };
  for (const el of document.querySelectorAll('a, area, link')) add(el, 'href', el.getAttribute('href'));
  for (const el of document.querySelectorAll('img, script, iframe, source, video, audio, embed, track'))
    add(el, 'src', el.getAttribute('src'));
  for (const el of document.querySelectorAll('object')) add(el, 'data', el.getAttribute('data'));
  for (const el of document.querySelectorAll('use, image, a, feImage, textPath')) {
    if (el.namespaceURI !== 'http://www.w3.org/2000/svg') continue;
    add(el, 'href', el.getAttribute('href'));
    add(el, 'xlink:href', el.getAttributeNS(XLINK, 'href'));
  }
  const ids = [];
  for (const el of document.querySelectorAll('[id]')) ids.push(el.id);
  for (const el of document.querySelectorAll('a[name]')) ids.push(el.getAttribute('name'));
  return { base: document.baseURI, refs, ids };
}

const LOADS = new Set(['src', 'data']);
const isLoopback = (host) => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

function fragmentOf(url) {
  if (!url.hash || url.hash === '#') return '';
  try {
    return decodeURIComponent(url.hash.slice(1));
  } catch {
    return url.hash.slice(1);
  }
}

function kindOf(path) {
  try {
    const st = statSync(path);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

// pages: Map of site-relative path -> { base, refs, ids } (null when the page
// did not load). Returns { broken: [{page, ref, reason}], external: [{page, url}] }.
export function checkLinks(siteDir, pages) {
  const root = resolve(siteDir);
  const broken = [];
  const external = [];
  const idsOf = new Map();
  for (const [page, info] of pages) if (info) idsOf.set(page, new Set(info.ids));

  for (const [page, info] of pages) {
    if (!info) continue;
    const base = info.base && info.base.startsWith('file:') ? info.base : pathToFileURL(resolve(root, page)).href;
    for (const ref of info.refs) {
      const bad = (reason) => broken.push({ page, ref: `<${ref.tag} ${ref.attr}="${ref.value}">`, reason });
      const raw = ref.value.trim();
      if (raw === '') {
        bad('empty reference');
        continue;
      }
      let url;
      try {
        url = new URL(raw, base);
      } catch {
        bad('not a valid URL');
        continue;
      }
      const proto = url.protocol;
      if (proto === 'mailto:' || proto === 'tel:' || proto === 'data:') continue;
      if (proto === 'javascript:') {
        bad('javascript: URL');
        continue;
      }
      if (proto === 'http:' || proto === 'https:') {
        if (isLoopback(url.hostname)) bad('absolute loopback URL: works on no other machine');
        else if (LOADS.has(ref.attr) || ref.tag === 'link' || ref.tag === 'use')
          bad('loads a resource from outside the machine');
        else external.push({ page, url: url.href });
        continue;
      }
      if (proto !== 'file:') {
        bad(`unexpected scheme ${proto}`);
        continue;
      }
      const path = fileURLToPath(url);
      if (path !== root && !path.startsWith(root + sep)) {
        bad('points outside the site');
        continue;
      }
      const kind = kindOf(path);
      if (kind === 'missing') {
        bad(`target ${relative(root, path) || '.'} does not exist`);
        continue;
      }
      if (kind === 'dir') {
        // An intranet server would serve index.html, but file:// shows a listing.
        bad(`target ${relative(root, path) || '.'}/ is a folder: link to its index.html so it works from file://`);
        continue;
      }
      const frag = fragmentOf(url);
      if (!frag) continue;
      const target = relative(root, path).split(sep).join('/');
      if (!/\.html?$/i.test(target)) {
        bad(`fragment #${frag} on non-HTML target ${target}`);
        continue;
      }
      const ids = idsOf.get(target);
      if (!ids) {
        bad(`target ${target} did not load, cannot check #${frag}`);
        continue;
      }
      if (!ids.has(frag) && frag.toLowerCase() !== 'top') bad(`no element with id "${frag}" in ${target}`);
    }
  }
  return { broken, external };
}
