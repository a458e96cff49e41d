// DuckDB computing MediMart's marts, for `make bench`: loads every input CSV
// of a data set into tables (all columns as text, as the oracle reads them),
// computes the marts of the oracle's SQL (tests/oracle/*.sql, unchanged: the
// same definitions `make test` checks against MediMart row by row) from
// those tables, and writes each to OUT_DIR/<mart>.csv with COPY ... TO.
// Usage: node duckdb.mjs DATA_DIR OUT_DIR RULES_FILE CENSUS [THREADS]
// Prints one line per step with its seconds and rows, and a last line
// "duckdb: total S s" (the whole process is timed from outside as well).
import { readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const t0 = performance.now();
const oracle = join(dirname(fileURLToPath(import.meta.url)), '..', 'oracle');
// The oracle's pinned DuckDB (tests/npm-ci.sh installs it there): one copy,
// one version, for the oracle and the benchmark.
const { DuckDBInstance } = createRequire(join(oracle, 'package.json'))('@duckdb/node-api');
const [dataDir, outDir, rulesFile, census, threads = '2'] = process.argv.slice(2);
if (!dataDir || !outDir || !rulesFile || !/^\d{4}-\d{2}-\d{2}$/.test(census ?? '')) {
  console.error('usage: node duckdb.mjs DATA_DIR OUT_DIR RULES_FILE CENSUS(YYYY-MM-DD) [THREADS]');
  process.exit(2);
}

// The risk rules' thresholds, read as tests/oracle/oracle.mjs reads them.
function parseRules(text) {
  const r = { rtt_days: 126, grace_days: 7, P1a: 1, P1b: 3, P2: 28, P3: 91, P4: 126 };
  for (const raw of text.split('\n')) {
    const w = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (w[0] === 'breach') r[w[1]] = Number(w[2]);
    if (w[0] === 'target') r[w[1]] = Number(w[2]);
  }
  return r;
}

// The 24 month ends MediMart's trend marts report (docs/spc.md): the
// census itself and the last days of the 23 months before it.
function monthEnds(day) {
  const [y, m] = day.split('-').map(Number);
  const ends = [day];
  for (let k = 1; k < 24; k++)
    ends.unshift(new Date(Date.UTC(y, m - k, 0)).toISOString().slice(0, 10));
  return ends.map(d => `'${d}'`).join(', ');
}

const rules = parseRules(readFileSync(rulesFile, 'utf8'));
const vars = {
  CENSUS: census, RTT: rules.rtt_days, GRACE: rules.grace_days, MONTHS: monthEnds(census),
  T_P1a: rules.P1a, T_P1b: rules.P1b, T_P2: rules.P2, T_P3: rules.P3, T_P4: rules.P4,
};

const quote = s => `'${s.replace(/'/g, "''")}'`;
const ident = s => `"${s.replace(/"/g, '""')}"`;
const seconds = t => ((performance.now() - t) / 1000).toFixed(2);

const inst = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await inst.connect();
async function scalar(sql) {
  const rows = (await con.runAndReadAll(sql)).getRows();
  return Number(rows[0][0]);
}

// 1. Load: one table per input CSV, named after the file.
const tables = new Set();
const tLoad = performance.now();
for (const file of readdirSync(dataDir).filter(f => f.endsWith('.csv')).sort()) {
  const t = performance.now();
  const name = basename(file, '.csv');
  await con.run(`CREATE TABLE ${ident(name)} AS SELECT * FROM read_csv(${quote(join(dataDir, file))}, header = true, all_varchar = true)`);
  tables.add(name);
  const rows = await scalar(`SELECT count(*) FROM ${ident(name)}`);
  console.log(`duckdb: load ${name.padEnd(22)} ${String(rows).padStart(10)} rows ${seconds(t).padStart(8)} s`);
}
console.log(`duckdb: load total ${seconds(tLoad)} s`);

// The oracle's SQL with its reads of the data set's CSVs (and of MediMart's
// fct_overdue_cases) turned into reads of the loaded tables.
function sqlOf(file) {
  let sql = readFileSync(join(oracle, file), 'utf8')
    .replace(/read_csv\('\$\{DATA\}\/(\w+)\.csv', header = true, all_varchar = true\)/g, (_, t) => {
      if (!tables.has(t)) throw new Error(`${file}: no ${t}.csv in ${dataDir}`);
      return ident(t);
    })
    .replace(/read_csv\('\$\{TARGET\}\/models\/fct_overdue_cases\.csv', header = true, all_varchar = true\)/g,
      'fct_overdue_cases')
    .replace(/\$\{(\w+)\}/g, (_, k) => {
      if (!(k in vars)) throw new Error(`${file}: no value for \${${k}}`);
      return String(vars[k]);
    });
  // A read this script does not know would time file reading, not the mart.
  if (/read_csv/.test(sql)) throw new Error(`${file}: reads a file the benchmark does not load`);
  return sql.replace(/;\s*$/, '');
}

// 2. Marts, in the oracle's order; fct_overdue_cases is kept as a table
// because fct_trust_peers reads its overdue flags.
const marts = [
  ['fct_overdue_cases', 'overdue.sql'],
  ['fct_waitlist_trend', 'trend.sql'],
  ['fct_waitlist_change', 'change.sql'],
  ['kpi_summary', 'kpis.sql'],
  ['int_area_trend', 'area_trend.sql'],
  ['fct_capacity_demand', 'capdem.sql'],
  ['fct_trust_peers', 'peers.sql'],
];
mkdirSync(outDir, { recursive: true });
const tMarts = performance.now();
for (const [mart, file] of marts) {
  if (mart === 'fct_capacity_demand' && !tables.has('sessions')) {
    console.log(`duckdb: mart ${mart.padEnd(22)} skipped: no sessions.csv`);
    continue;
  }
  const t = performance.now();
  let source = `(${sqlOf(file)})`;
  if (mart === 'fct_overdue_cases') {
    await con.run(`CREATE TABLE fct_overdue_cases AS ${sqlOf(file)}`);
    source = 'fct_overdue_cases';
  }
  const rows = await scalar(`COPY ${source} TO ${quote(join(outDir, `${mart}.csv`))} (HEADER, DELIMITER ',')`);
  console.log(`duckdb: mart ${mart.padEnd(22)} ${String(rows).padStart(10)} rows ${seconds(t).padStart(8)} s`);
}
console.log(`duckdb: marts total ${seconds(tMarts)} s`);
console.log(`duckdb: total ${seconds(t0)} s (threads=${threads})`);
