-- fct_trust_peers, re-derived from the raw waiting list and the organisation
-- hierarchy: per Trust the open pathways at the census, the shares within
-- the RTT standard, over 52 weeks and overdue per 100 from counts rounded
-- to the nearest 5 (1 to 7 withheld: null), the nearest-rank median wait in
-- weeks; then competition ranks (RANK), ties and medians (DuckDB's median
-- is the mean of the middle two for an even count) in the ICS and overall.
-- The overdue flag is taken from fct_overdue_cases (checked pathway by
-- pathway by overdue.sql).
WITH org AS (
  SELECT DISTINCT SITE_ID AS site_id, TRUST_CODE AS trust_code, ICS_CODE AS ics_code
  FROM read_csv('${DATA}/org_hierarchy.csv', header = true, all_varchar = true)
), trusts AS (
  SELECT DISTINCT trust_code, ics_code FROM org
), wl AS (
  SELECT PATHWAY_ID AS pathway_id, ORGANIZATION AS site_id,
         CAST(COALESCE(NULLIF(RTT_START_DATE, ''), NULLIF(REFERRAL_DATE, '')) AS DATE) AS clock_start,
         CAST(NULLIF(CLOCK_STOP_DATE, '') AS DATE) AS clock_stop
  FROM read_csv('${DATA}/waiting_list.csv', header = true, all_varchar = true)
), overdue AS (
  SELECT pathway_id, is_overdue = 'true' AS is_overdue
  FROM read_csv('${TARGET}/models/fct_overdue_cases.csv', header = true, all_varchar = true)
), open AS (
  SELECT o.trust_code, DATE '${CENSUS}' - w.clock_start AS wait_days, d.is_overdue
  FROM wl w JOIN org o USING (site_id) JOIN overdue d USING (pathway_id)
  WHERE w.clock_start <= DATE '${CENSUS}' AND (w.clock_stop IS NULL OR w.clock_stop > DATE '${CENSUS}')
), ranked AS (
  SELECT trust_code, wait_days, row_number() OVER (PARTITION BY trust_code ORDER BY wait_days) AS rn,
         count(*) OVER (PARTITION BY trust_code) AS n
  FROM open
), counts AS (
  SELECT t.trust_code, t.ics_code,
         count(p.wait_days) AS n,
         count(*) FILTER (WHERE p.wait_days <= ${RTT}) AS within,
         count(*) FILTER (WHERE p.wait_days > 364) AS over52,
         count(*) FILTER (WHERE p.is_overdue) AS overdue
  FROM trusts t LEFT JOIN open p USING (trust_code)
  GROUP BY 1, 2
), rounded AS (
  SELECT trust_code, ics_code, n,
         CASE WHEN x BETWEEN 1 AND 7 THEN NULL ELSE CAST(round(x / 5.0) * 5 AS BIGINT) END AS rx,
         CASE WHEN n BETWEEN 1 AND 7 THEN NULL ELSE CAST(round(n / 5.0) * 5 AS BIGINT) END AS rn,
         measure
  FROM counts
  CROSS JOIN LATERAL (VALUES ('pct_within_18_weeks', within), ('pct_over_52_weeks', over52),
                             ('overdue_per_100', overdue)) AS m(measure, x)
), vals AS (
  SELECT trust_code, ics_code, measure,
         CASE WHEN n < 8 OR rx IS NULL OR rn IS NULL OR rn = 0 THEN NULL
              ELSE round(100.0 * rx / rn, 1) END AS value
  FROM rounded
  UNION ALL
  SELECT c.trust_code, c.ics_code, 'median_wait_weeks',
         CASE WHEN c.n < 8 THEN NULL ELSE round(r.wait_days / 7.0, 1) END
  FROM counts c LEFT JOIN ranked r ON r.trust_code = c.trust_code AND r.rn = (50 * r.n + 99) // 100
), directed AS (
  SELECT *, CASE WHEN measure = 'pct_within_18_weeks' THEN -value ELSE value END AS key FROM vals
), scored AS (
  SELECT *,
         CASE WHEN value IS NOT NULL THEN rank() OVER (PARTITION BY measure, value IS NULL ORDER BY key) END AS national_rank,
         CASE WHEN value IS NOT NULL THEN count(*) OVER (PARTITION BY measure, value) END AS national_tied,
         CASE WHEN value IS NOT NULL THEN rank() OVER (PARTITION BY measure, ics_code, value IS NULL ORDER BY key) END AS ics_rank,
         CASE WHEN value IS NOT NULL THEN count(*) OVER (PARTITION BY measure, ics_code, value) END AS ics_tied,
         count(value) OVER (PARTITION BY measure) AS national_trusts,
         count(value) OVER (PARTITION BY measure, ics_code) AS ics_trusts,
         median(value) OVER (PARTITION BY measure) AS national_median,
         median(value) OVER (PARTITION BY measure, ics_code) AS ics_median
  FROM directed
)
SELECT trust_code, measure, value, national_rank, national_tied, national_trusts, ics_rank, ics_tied, ics_trusts,
       CASE WHEN value IS NOT NULL THEN round(national_median, 1) END AS national_median,
       CASE WHEN value IS NOT NULL THEN round(ics_median, 1) END AS ics_median
FROM scored
ORDER BY trust_code, measure
