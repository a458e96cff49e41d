-- fct_waitlist_trend at the month ends MediMart reported (${MONTHS}).
WITH wl AS (
  SELECT CAST(COALESCE(NULLIF(RTT_START_DATE, ''), NULLIF(REFERRAL_DATE, '')) AS DATE) AS clock_start,
         CAST(NULLIF(CLOCK_STOP_DATE, '') AS DATE) AS clock_stop
  FROM read_csv('${DATA}/waiting_list.csv', header = true, all_varchar = true)
), months AS (
  SELECT CAST(m AS DATE) AS month_end FROM (SELECT unnest([${MONTHS}]) AS m)
)
SELECT strftime(month_end, '%Y-%m-%d') AS month_end,
  (SELECT count(*) FROM wl WHERE clock_start <= month_end AND (clock_stop IS NULL OR clock_stop > month_end)) AS list_size,
  (SELECT count(*) FROM wl WHERE clock_start <= month_end AND clock_start > last_day(month_end - INTERVAL 1 MONTH)) AS clock_starts,
  (SELECT count(*) FROM wl WHERE clock_stop <= month_end AND clock_stop > last_day(month_end - INTERVAL 1 MONTH)) AS clock_stops,
  (SELECT count(*) FROM wl WHERE clock_start <= month_end AND (clock_stop IS NULL OR clock_stop > month_end)
      AND month_end - clock_start <= 126) AS within_18_weeks,
  (SELECT count(*) FROM wl WHERE clock_start <= month_end AND (clock_stop IS NULL OR clock_stop > month_end)
      AND month_end - clock_start > 364) AS over_52_weeks
FROM months
ORDER BY month_end;
