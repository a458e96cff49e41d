// The Nu HTML checker (vnu.jar from npm vnu-jar) on every page, errors only.
import { spawn } from 'node:child_process';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const VNU_JAR = join(here, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const CHUNK = 300; // files per JVM: keeps the command line short

function runJava(files) {
  return new Promise((ok) => {
    // A bigger thread stack: the parser recurses on deeply nested markup.
    const args = ['-Xss4m', '-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files];
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => ok({ code: -1, out, err: String(e) }));
    child.on('close', (code) => ok({ code, out, err }));
  });
}

function pageOf(root, url) {
  try {
    return relative(root, fileURLToPath(url.replace(/^file:(?!\/\/)/, 'file://'))) || url;
  } catch {
    return url || '(unknown)';
  }
}

// Returns [{ page, line, column, message, extract }]; a checker that cannot
// run or answers garbage is itself an error.
export async function checkHtml(siteDir, pages) {
  const root = resolve(siteDir);
  const errors = [];
  for (let i = 0; i < pages.length; i += CHUNK) {
    const files = pages.slice(i, i + CHUNK).map((p) => join(root, p));
    const { code, out, err } = await runJava(files);
    // vnu writes its JSON report to stderr.
    const text = err.trim() || out.trim();
    let report;
    try {
      report = JSON.parse(text);
    } catch {
      errors.push({ page: '(checker)', line: 0, column: 0, message: `vnu exited ${code} without a JSON report: ${text.slice(0, 500)}`, extract: '' });
      continue;
    }
    for (const m of report.messages || []) {
      if (m.type === 'info') continue;
      errors.push({
        page: pageOf(root, m.url || ''),
        line: m.lastLine || m.firstLine || 0,
        column: m.firstColumn || m.lastColumn || 0,
        message: m.type === 'error' ? m.message : `${m.type}: ${m.message}`,
        extract: (m.extract || '').replace(/\s+/g, ' ').trim(),
      });
    }
  }
  return errors;
}
