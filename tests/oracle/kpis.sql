-- kpi_summary values that have an unambiguous definition in docs/kpis.md.
WITH wl AS (
  SELECT CAST(COALESCE(NULLIF(RTT_START_DATE, ''), NULLIF(REFERRAL_DATE, '')) AS DATE) AS clock_start,
         NULLIF(PRIORITY, '') AS priority,
         CAST(NULLIF(CLOCK_STOP_DATE, '') AS DATE) AS clock_stop,
         CAST(NULLIF(LAST_VALIDATION_DATE, '') AS DATE) AS validated
  FROM read_csv('${DATA}/waiting_list.csv', header = true, all_varchar = true)
), open AS (
  SELECT DATE '${CENSUS}' - clock_start AS wait_days, validated FROM wl
  WHERE clock_start <= DATE '${CENSUS}' AND (clock_stop IS NULL OR clock_stop > DATE '${CENSUS}')
), ranked AS (
  SELECT wait_days, row_number() OVER (ORDER BY wait_days) AS rn, count(*) OVER () AS n FROM open
), bands AS (
  SELECT least(greatest(CAST(ceil(wait_days / 7.0) AS INTEGER), 1), 105) AS band, count(*) AS c FROM open GROUP BY 1
), cum AS (
  SELECT band, c, sum(c) OVER (ORDER BY band) AS upto, (SELECT count(*) FROM open) AS n FROM bands
), ap AS (
  SELECT ATTENDANCE AS att, TYPE AS kind,
         CAST(substr(SLOT_START, 1, 10) AS DATE) AS slot_day,
         CAST(substr(NULLIF(CANCELLED_AT, ''), 1, 10) AS DATE) AS cancel_day
  FROM read_csv('${DATA}/appointments.csv', header = true, all_varchar = true)
), past AS (
  SELECT * FROM ap WHERE slot_day <= DATE '${CENSUS}' AND att <> '0'
), due AS (
  SELECT * FROM past WHERE att IN ('3', '5', '6', '7')
)
SELECT 'list_size' AS kpi, CAST(count(*) AS DOUBLE) AS value FROM open
UNION ALL SELECT 'pct_within_18_weeks', 100.0 * count(*) FILTER (WHERE wait_days <= 126) / count(*) FROM open
UNION ALL SELECT 'breaching_rtt', count(*) FILTER (WHERE wait_days > 126) FROM open
UNION ALL SELECT 'over_52_weeks', count(*) FILTER (WHERE wait_days > 364) FROM open
UNION ALL SELECT 'over_65_weeks', count(*) FILTER (WHERE wait_days > 455) FROM open
UNION ALL SELECT 'over_78_weeks', count(*) FILTER (WHERE wait_days > 546) FROM open
UNION ALL SELECT 'over_104_weeks', count(*) FILTER (WHERE wait_days > 728) FROM open
UNION ALL SELECT 'median_wait_weeks', max(wait_days) FILTER (WHERE rn = CAST(ceil(0.5 * n) AS BIGINT)) / 7.0 FROM ranked
UNION ALL SELECT 'p92_wait_weeks', max(wait_days) FILTER (WHERE rn = CAST(ceil(0.92 * n) AS BIGINT)) / 7.0 FROM ranked
UNION ALL SELECT 'median_wait_weeks_banded', (SELECT band - 1 + (0.5 * n - (upto - c)) / c FROM cum WHERE upto >= 0.5 * n ORDER BY band LIMIT 1)
UNION ALL SELECT 'p92_wait_weeks_banded', (SELECT band - 1 + (0.92 * n - (upto - c)) / c FROM cum WHERE upto >= 0.92 * n ORDER BY band LIMIT 1)
UNION ALL SELECT 'not_validated_12_weeks', count(*) FILTER (WHERE wait_days > 84 AND (validated IS NULL OR DATE '${CENSUS}' - validated > 84)) FROM open
UNION ALL SELECT 'unknown_clock_start', count(*) FILTER (WHERE clock_start IS NULL AND (clock_stop IS NULL OR clock_stop > DATE '${CENSUS}')) FROM wl
UNION ALL SELECT 'dna_rate', 100.0 * count(*) FILTER (WHERE att = '3' AND kind IN ('FIRST', 'FOLLOWUP')) / count(*) FILTER (WHERE kind IN ('FIRST', 'FOLLOWUP')) FROM due
UNION ALL SELECT 'dna_rate_theatre', 100.0 * count(*) FILTER (WHERE att = '3' AND kind = 'SURGERY') / count(*) FILTER (WHERE kind = 'SURGERY') FROM due
UNION ALL SELECT 'dna_rate_preop_diagnostic', 100.0 * count(*) FILTER (WHERE att = '3' AND kind IN ('PREOP', 'DIAGNOSTIC')) / count(*) FILTER (WHERE kind IN ('PREOP', 'DIAGNOSTIC')) FROM due
UNION ALL SELECT 'hospital_cancellation_rate', 100.0 * count(*) FILTER (WHERE att = '4') / count(*) FROM past
UNION ALL SELECT 'last_minute_cancellation_rate', 100.0 * count(*) FILTER (WHERE att = '4' AND cancel_day >= slot_day - 1) / count(*) FROM past;
