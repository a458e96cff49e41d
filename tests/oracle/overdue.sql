-- fct_overdue_cases, re-derived from the raw waiting list: one row per
-- pathway open at the census (clock started on or before it, not stopped by it).
WITH wl AS (
  SELECT PATHWAY_ID AS pathway_id,
         NULLIF(PRIORITY, '') AS priority,
         CAST(REFERRAL_DATE AS DATE) AS clock_start,
         CAST(NULLIF(CLOCK_STOP_DATE, '') AS DATE) AS clock_stop,
         CAST(NULLIF(LAST_VALIDATION_DATE, '') AS DATE) AS validated
  FROM read_csv('${DATA}/waiting_list.csv', header = true, all_varchar = true)
), open AS (
  SELECT *, (DATE '${CENSUS}' - clock_start) AS wait_days,
         CASE priority WHEN 'P1a' THEN ${T_P1a} WHEN 'P1b' THEN ${T_P1b} WHEN 'P2' THEN ${T_P2}
                       WHEN 'P3' THEN ${T_P3} WHEN 'P4' THEN ${T_P4} ELSE ${RTT} END AS target_days
  FROM wl
  WHERE clock_start <= DATE '${CENSUS}' AND (clock_stop IS NULL OR clock_stop > DATE '${CENSUS}')
)
SELECT pathway_id,
       wait_days,
       wait_days // 7 AS wait_weeks,
       CASE WHEN wait_days = 0 THEN '0 weeks'
            WHEN wait_days > 728 THEN '>104 weeks'
            ELSE '>' || (CAST(ceil(wait_days / 7.0) AS INTEGER) - 1) || '-' || CAST(ceil(wait_days / 7.0) AS INTEGER) || ' weeks' END AS wait_band,
       wait_days > ${RTT} AS rtt_breach,
       target_days,
       wait_days > target_days AS priority_breach,
       target_days + ${GRACE} AS overdue_threshold_days,
       wait_days > target_days + ${GRACE} AS is_overdue,
       CASE WHEN wait_days > target_days + ${GRACE} THEN CAST(ceil((wait_days - target_days) / 7.0) AS INTEGER) ELSE 0 END AS weeks_overdue,
       wait_days > 364 AS over_52_weeks,
       (validated IS NULL OR DATE '${CENSUS}' - validated > 84) AS not_validated_12_weeks
FROM open
ORDER BY pathway_id;
