-- fct_overdue_cases, re-derived from the raw waiting list: one row per
-- pathway open at the census (clock started on or before it, not stopped by
-- it). The clock starts at the RTT period start, else the referral; the
-- priority's target runs from the priority date, else the decision to admit.
WITH wl AS (
  SELECT PATHWAY_ID AS pathway_id,
         NULLIF(PRIORITY, '') AS priority,
         CAST(COALESCE(NULLIF(RTT_START_DATE, ''), NULLIF(REFERRAL_DATE, '')) AS DATE) AS clock_start,
         CAST(COALESCE(NULLIF(PRIORITY_DATE, ''), NULLIF(DECISION_TO_ADMIT_DATE, '')) AS DATE) AS priority_date,
         CAST(NULLIF(CLOCK_STOP_DATE, '') AS DATE) AS clock_stop,
         CAST(NULLIF(LAST_VALIDATION_DATE, '') AS DATE) AS validated,
         WAITING_LIST_TYPE = 'IRTT' AS is_admitted,
         WAITING_LIST_TYPE = 'ORTT' AS is_non_admitted
  FROM read_csv('${DATA}/waiting_list.csv', header = true, all_varchar = true)
), open AS (
  SELECT *, (DATE '${CENSUS}' - clock_start) AS wait_days,
         CASE priority WHEN 'P1a' THEN ${T_P1a} WHEN 'P1b' THEN ${T_P1b} WHEN 'P2' THEN ${T_P2}
                       WHEN 'P3' THEN ${T_P3} WHEN 'P4' THEN ${T_P4} ELSE ${RTT} END AS target_days
  FROM wl
  WHERE clock_start <= DATE '${CENSUS}' AND (clock_stop IS NULL OR clock_stop > DATE '${CENSUS}')
), clocks AS (
  SELECT *,
         CASE WHEN priority IS NULL THEN NULL
              WHEN priority_date IS NULL THEN wait_days
              WHEN priority_date > DATE '${CENSUS}' THEN 0
              ELSE DATE '${CENSUS}' - priority_date END AS priority_wait_days
  FROM open
), rules AS (
  SELECT *,
         wait_days > ${RTT} + ${GRACE} AS overdue_rtt,
         coalesce(priority_wait_days > target_days + ${GRACE}, false) AS overdue_priority,
         -- The breach forecast if not treated: days until the first day
         -- past the RTT standard, and past the priority's target.
         ${RTT} - wait_days + 1 AS rtt_days_to_breach,
         CASE WHEN priority IS NOT NULL THEN target_days - priority_wait_days + 1 END AS priority_days_to_breach
  FROM clocks
), forecast AS (
  SELECT *,
         least(CASE WHEN rtt_days_to_breach > 0 THEN rtt_days_to_breach END,
               CASE WHEN priority_days_to_breach > 0 THEN priority_days_to_breach END) AS days_to_breach
  FROM rules
)
SELECT pathway_id,
       wait_days,
       wait_days // 7 AS wait_weeks,
       CASE WHEN wait_days > 728 THEN '>104 weeks'
            ELSE '>' || (greatest(CAST(ceil(wait_days / 7.0) AS INTEGER), 1) - 1) || '-' ||
                 greatest(CAST(ceil(wait_days / 7.0) AS INTEGER), 1) || ' weeks' END AS wait_band,
       priority_wait_days,
       wait_days > ${RTT} AS rtt_breach,
       target_days,
       coalesce(priority_wait_days > target_days, false) AS priority_breach,
       target_days + ${GRACE} AS overdue_threshold_days,
       overdue_rtt OR overdue_priority AS is_overdue,
       CASE WHEN overdue_rtt AND overdue_priority THEN 'both' WHEN overdue_rtt THEN 'rtt'
            WHEN overdue_priority THEN 'priority' END AS overdue_reason,
       CAST(ceil(greatest(CASE WHEN overdue_rtt THEN wait_days - ${RTT} ELSE 0 END,
                          CASE WHEN overdue_priority THEN priority_wait_days - target_days ELSE 0 END) / 7.0)
            AS INTEGER) AS weeks_overdue,
       wait_days > 364 AS over_52_weeks,
       is_admitted,
       is_non_admitted,
       (wait_days > 84 AND (validated IS NULL OR DATE '${CENSUS}' - validated > 84)) AS not_validated_12_weeks,
       strftime(clock_start + CAST(${RTT} + 1 AS INTEGER), '%Y-%m-%d') AS rtt_breach_date,
       strftime(DATE '${CENSUS}' + CAST(priority_days_to_breach AS INTEGER), '%Y-%m-%d') AS priority_breach_date,
       rtt_days_to_breach,
       priority_days_to_breach,
       strftime(DATE '${CENSUS}' + CAST(days_to_breach AS INTEGER), '%Y-%m-%d') AS breach_date,
       CASE WHEN days_to_breach IS NULL THEN NULL
            WHEN rtt_days_to_breach = days_to_breach AND priority_days_to_breach = days_to_breach THEN 'both'
            WHEN rtt_days_to_breach = days_to_breach THEN 'rtt' ELSE 'priority' END AS breach_rule,
       days_to_breach,
       CASE WHEN days_to_breach BETWEEN 1 AND 7 THEN '1 week' WHEN days_to_breach BETWEEN 8 AND 14 THEN '2 weeks'
            WHEN days_to_breach BETWEEN 15 AND 28 THEN '4 weeks' END AS breach_in
FROM forecast
ORDER BY pathway_id;
