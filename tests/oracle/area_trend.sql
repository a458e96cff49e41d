-- int_area_trend at the month ends MediMart reported (${MONTHS}): for
-- England, each ICS, each Trust and each treatment function, the pathways
-- open at each month end, within the RTT standard, over 52 weeks, and
-- overdue with the priority known by then (a priority date after the month
-- end: not yet prioritised; no priority date: the clock start's wait).
WITH wl AS (
  SELECT w.ORGANIZATION AS site_id, w.TREATMENT_FUNCTION AS tf,
         CASE WHEN w.PRIORITY IN ('P1a', 'P1b', 'P2', 'P3', 'P4') THEN w.PRIORITY END AS priority,
         CAST(COALESCE(NULLIF(w.RTT_START_DATE, ''), NULLIF(w.REFERRAL_DATE, '')) AS DATE) AS clock_start,
         CAST(COALESCE(NULLIF(w.PRIORITY_DATE, ''), NULLIF(w.DECISION_TO_ADMIT_DATE, '')) AS DATE) AS priority_date,
         CAST(NULLIF(w.CLOCK_STOP_DATE, '') AS DATE) AS clock_stop
  FROM read_csv('${DATA}/waiting_list.csv', header = true, all_varchar = true) w
), org AS (
  SELECT SITE_ID AS site_id, TRUST_CODE AS trust_code, ICS_CODE AS ics_code
  FROM read_csv('${DATA}/org_hierarchy.csv', header = true, all_varchar = true)
), months AS (
  SELECT CAST(m AS DATE) AS month_end FROM (SELECT unnest([${MONTHS}]) AS m)
), open AS (
  SELECT m.month_end, wl.*, org.trust_code, org.ics_code, m.month_end - wl.clock_start AS wait_days,
         CASE wl.priority WHEN 'P1a' THEN ${T_P1a} WHEN 'P1b' THEN ${T_P1b} WHEN 'P2' THEN ${T_P2}
                          WHEN 'P3' THEN ${T_P3} WHEN 'P4' THEN ${T_P4} END AS target_days
  FROM months m JOIN wl ON wl.clock_start <= m.month_end AND (wl.clock_stop IS NULL OR wl.clock_stop > m.month_end)
  LEFT JOIN org ON org.site_id = wl.site_id
), judged AS (
  SELECT *,
         CASE WHEN priority IS NULL OR (priority_date IS NOT NULL AND priority_date > month_end) THEN NULL
              WHEN priority_date IS NULL THEN wait_days
              ELSE month_end - priority_date END AS priority_wait_days
  FROM open
), flags AS (
  SELECT *, (wait_days > ${RTT} + ${GRACE}
             OR coalesce(priority_wait_days > target_days + ${GRACE}, false)) AS overdue
  FROM judged
), levels AS (
  SELECT 'national' AS level, 'ENG' AS area_code, * FROM flags
  UNION ALL SELECT 'ics', ics_code, * FROM flags WHERE ics_code IS NOT NULL
  UNION ALL SELECT 'trust', trust_code, * FROM flags WHERE trust_code IS NOT NULL
  UNION ALL SELECT 'specialty', tf, * FROM flags WHERE tf IS NOT NULL AND tf <> ''
)
SELECT level, area_code, strftime(month_end, '%Y-%m-%d') AS month_end,
       count(*) AS list_size,
       count(*) FILTER (WHERE wait_days <= ${RTT}) AS within_18_weeks,
       count(*) FILTER (WHERE wait_days > 364) AS over_52_weeks,
       count(*) FILTER (WHERE overdue) AS overdue
FROM levels
GROUP BY ALL
ORDER BY level, area_code, month_end;
