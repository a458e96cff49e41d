// Independent oracle: re-computes MediMart marts in SQL with DuckDB over the
// same input CSVs and compares them with MediMart's target/models/*.csv
// (written with --materialize all: int_area_trend is an intermediate model).
// Usage: node oracle.mjs DATA_DIR TARGET_DIR RULES_FILE
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [dataDir, targetDir, rulesFile] = process.argv.slice(2);
if (!dataDir || !targetDir || !rulesFile) {
  console.error('usage: node oracle.mjs DATA_DIR TARGET_DIR RULES_FILE');
  process.exit(2);
}

// RFC 4180 parser for MediMart's own output (quoted fields may hold commas,
// quotes and newlines).
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', i = 0, q = false;
  while (i < text.length) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { q = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"') { q = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
    if (c === '\r') { i++; continue; }
    field += c; i++;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  const header = rows.shift();
  return rows.map(r => Object.fromEntries(header.map((h, k) => [h, r[k]])));
}

function readModel(name) {
  return parseCsv(readFileSync(join(targetDir, 'models', `${name}.csv`), 'utf8'));
}

function parseRules(text) {
  const r = { rtt_days: 126, grace_days: 7, P1a: 1, P1b: 3, P2: 28, P3: 91, P4: 126 };
  for (const raw of text.split('\n')) {
    const w = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (w[0] === 'breach') r[w[1]] = Number(w[2]);
    if (w[0] === 'target') r[w[1]] = Number(w[2]);
  }
  return r;
}

const record = JSON.parse(readFileSync(join(targetDir, 'run_results.json'), 'utf8'));
const rules = parseRules(readFileSync(rulesFile, 'utf8'));
const vars = {
  DATA: dataDir, CENSUS: record.census, RTT: rules.rtt_days, GRACE: rules.grace_days,
  T_P1a: rules.P1a, T_P1b: rules.P1b, T_P2: rules.P2, T_P3: rules.P3, T_P4: rules.P4,
};

const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
async function query(file, extra = {}) {
  const all = { ...vars, ...extra };
  const sql = readFileSync(join(here, file), 'utf8').replace(/\$\{(\w+)\}/g, (_, k) => {
    if (!(k in all)) throw new Error(`${file}: no value for \${${k}}`);
    return String(all[k]);
  });
  const res = await con.runAndReadAll(sql);
  return res.getRowObjectsJson();
}

let checks = 0, bad = 0;
function fail(msg) { if (bad < 25) console.error(`oracle: MISMATCH ${msg}`); bad++; }
const norm = v => (v === null || v === undefined) ? '' : (typeof v === 'boolean' ? String(v) : String(v));
function same(what, mine, theirs, tol) {
  checks++;
  if (tol !== undefined) {
    const a = Number(mine), b = Number(theirs);
    const none = x => x === null || x === undefined || (typeof x === 'number' && isNaN(x)) || x === 'NaN';
    if (mine === '' && none(theirs)) return;
    if (!(Math.abs(a - b) <= tol)) fail(`${what}: medimart ${mine} vs duckdb ${theirs}`);
  } else if (norm(mine) !== norm(theirs)) {
    fail(`${what}: medimart ${JSON.stringify(mine)} vs duckdb ${JSON.stringify(theirs)}`);
  }
}

// 1. fct_overdue_cases, pathway by pathway.
const mineOverdue = new Map(readModel('fct_overdue_cases').map(r => [r.pathway_id, r]));
const theirsOverdue = await query('overdue.sql');
same('fct_overdue_cases row count', String(mineOverdue.size), String(theirsOverdue.length));
const cols = ['wait_days', 'wait_weeks', 'wait_band', 'priority_wait_days', 'rtt_breach', 'target_days',
  'priority_breach', 'overdue_threshold_days', 'is_overdue', 'overdue_reason', 'weeks_overdue', 'over_52_weeks',
  'not_validated_12_weeks', 'rtt_breach_date', 'priority_breach_date', 'rtt_days_to_breach',
  'priority_days_to_breach', 'breach_date', 'breach_rule', 'days_to_breach', 'breach_in', 'is_admitted',
  'is_non_admitted'];
for (const t of theirsOverdue) {
  const m = mineOverdue.get(t.pathway_id);
  if (!m) { fail(`fct_overdue_cases: pathway ${t.pathway_id} missing`); continue; }
  for (const c of cols) same(`fct_overdue_cases ${t.pathway_id}.${c}`, m[c], t[c]);
}

// 2. fct_waitlist_trend, month by month.
const mineTrend = readModel('fct_waitlist_trend');
const months = mineTrend.map(r => `'${r.month_end}'`).join(', ');
const theirsTrend = months ? await query('trend.sql', { MONTHS: months }) : [];
same('fct_waitlist_trend month count', String(mineTrend.length), String(theirsTrend.length));
for (let i = 0; i < Math.min(mineTrend.length, theirsTrend.length); i++) {
  const m = mineTrend[i], t = theirsTrend[i];
  for (const c of ['month_end', 'list_size', 'clock_starts', 'clock_stops', 'within_18_weeks', 'over_52_weeks'])
    same(`fct_waitlist_trend ${m.month_end}.${c}`, m[c], t[c]);
  same(`fct_waitlist_trend ${m.month_end}.pct_within_18_weeks`, m.pct_within_18_weeks,
    Number(t.list_size) ? 100 * Number(t.within_18_weeks) / Number(t.list_size) : null, 0.005);
}

// 3. fct_waitlist_change, site by site (sites with no open pathway have zeros).
const mineChange = new Map(readModel('fct_waitlist_change').map(r => [r.site_id, r]));
const changeCols = ['list_size', 'within_18_weeks', 'over_52_weeks', 'prev_list_size', 'prev_within_18_weeks',
  'prev_over_52_weeks'];
const seen = new Set();
for (const t of await query('change.sql')) {
  const m = mineChange.get(t.site_id);
  if (!m) { fail(`fct_waitlist_change: site ${t.site_id} missing`); continue; }
  seen.add(t.site_id);
  for (const c of changeCols) same(`fct_waitlist_change ${t.site_id}.${c}`, m[c], t[c]);
  same(`fct_waitlist_change ${t.site_id}.list_size_change`, m.list_size_change,
    String(Number(t.list_size) - Number(t.prev_list_size)));
}
for (const [site, m] of mineChange)
  if (!seen.has(site)) for (const c of changeCols) same(`fct_waitlist_change ${site}.${c} (no pathways)`, m[c], '0');

// 4. kpi_summary: counts exactly, measures to 0.005.
const mineKpi = new Map(readModel('kpi_summary').map(r => [r.kpi, r]));
for (const t of await query('kpis.sql')) {
  const m = mineKpi.get(t.kpi);
  if (!m) { fail(`kpi_summary: ${t.kpi} missing`); continue; }
  same(`kpi ${t.kpi}`, m.value, t.value, 0.005);
}

// 5. int_area_trend (the SPC series), area by area and month by month; a
// month with nobody waiting in an area is a row of zeros in MediMart.
{
  const mine = readModel('int_area_trend');
  const key = r => `${r.level} ${r.area_code} ${r.month_end}`;
  const ends = [...new Set(mine.map(r => r.month_end))].map(d => `'${d}'`).join(', ');
  const theirs = new Map((ends ? await query('area_trend.sql', { MONTHS: ends }) : []).map(r => [key(r), r]));
  const measures = ['list_size', 'within_18_weeks', 'over_52_weeks', 'overdue'];
  for (const m of mine) {
    const t = theirs.get(key(m));
    theirs.delete(key(m));
    for (const c of measures) same(`int_area_trend ${key(m)}.${c}`, m[c], t ? t[c] : '0');
  }
  for (const k of theirs.keys()) fail(`int_area_trend: ${k} missing`);
}

// 6. fct_capacity_demand, site and treatment function by site and treatment
// function (empty without a capacity plan: nothing to compare then).
{
  const mine = readModel('fct_capacity_demand');
  if (mine.length) {
    const key = r => `${r.site_id} ${r.treatment_function}`;
    const theirs = new Map((await query('capdem.sql')).map(r => [key(r), r]));
    same('fct_capacity_demand row count', String(mine.length), String(theirs.size));
    const exact = ['clock_starts', 'clock_stops', 'planned_slots', 'attended', 'national_attended_52w',
      'national_clock_stops_52w', 'capacity_pathways', 'demand_gap', 'activity_gap', 'open_pathways', 'clearing'];
    for (const m of mine) {
      const t = theirs.get(key(m));
      if (!t) { fail(`fct_capacity_demand: ${key(m)} not in duckdb`); continue; }
      for (const c of exact) same(`fct_capacity_demand ${key(m)}.${c}`, m[c], t[c]);
      for (const c of ['appointments_per_pathway', 'net_clearance_per_week', 'weeks_to_clear'])
        same(`fct_capacity_demand ${key(m)}.${c}`, m[c], t[c], 1e-5);
    }
  }
}

// 7. fct_trust_peers, Trust by Trust and measure: the figures, ranks, ties
// and medians (the words are unit-tested in tests/test_peers.c).
{
  const key = r => `${r.trust_code} ${r.measure}`;
  const mine = new Map(readModel('fct_trust_peers').map(r => [key(r), r]));
  const theirs = await query('peers.sql', { TARGET: targetDir });
  same('fct_trust_peers row count', String(mine.size), String(theirs.length));
  for (const t of theirs) {
    const m = mine.get(key(t));
    if (!m) { fail(`fct_trust_peers: ${key(t)} missing`); continue; }
    for (const c of ['national_rank', 'national_tied', 'national_trusts', 'ics_rank', 'ics_tied', 'ics_trusts'])
      same(`fct_trust_peers ${key(t)}.${c}`, m[c], t[c]);
    for (const c of ['value', 'national_median', 'ics_median'])
      same(`fct_trust_peers ${key(t)}.${c}`, m[c], t[c], 1e-9);
  }
}

console.log(`oracle: ${checks} checks, ${bad} mismatches (census ${record.census}, data ${dataDir})`);
process.exit(bad ? 1 : 0);
