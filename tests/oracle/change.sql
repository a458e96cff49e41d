-- fct_waitlist_change: each site's open pathways at the census and at the
-- month end before it (${CENSUS}).
WITH wl AS (
  SELECT ORGANIZATION AS site_id, CAST(COALESCE(NULLIF(RTT_START_DATE, ''), NULLIF(REFERRAL_DATE, '')) AS DATE) AS clock_start,
         CAST(NULLIF(CLOCK_STOP_DATE, '') AS DATE) AS clock_stop
  FROM read_csv('${DATA}/waiting_list.csv', header = true, all_varchar = true)
), ends AS (
  SELECT CAST('${CENSUS}' AS DATE) AS now_end,
         last_day(CAST('${CENSUS}' AS DATE) - INTERVAL 1 MONTH) AS prev_end
), open_at AS (
  SELECT wl.site_id, e.now_end AS d, 0 AS which, wl.clock_start FROM wl, ends e
    WHERE wl.clock_start <= e.now_end AND (wl.clock_stop IS NULL OR wl.clock_stop > e.now_end)
  UNION ALL
  SELECT wl.site_id, e.prev_end AS d, 1 AS which, wl.clock_start FROM wl, ends e
    WHERE wl.clock_start <= e.prev_end AND (wl.clock_stop IS NULL OR wl.clock_stop > e.prev_end)
)
SELECT site_id,
  count(*) FILTER (WHERE which = 0) AS list_size,
  count(*) FILTER (WHERE which = 0 AND d - clock_start <= 126) AS within_18_weeks,
  count(*) FILTER (WHERE which = 0 AND d - clock_start > 364) AS over_52_weeks,
  count(*) FILTER (WHERE which = 1) AS prev_list_size,
  count(*) FILTER (WHERE which = 1 AND d - clock_start <= 126) AS prev_within_18_weeks,
  count(*) FILTER (WHERE which = 1 AND d - clock_start > 364) AS prev_over_52_weeks
FROM open_at
GROUP BY site_id
ORDER BY site_id;
