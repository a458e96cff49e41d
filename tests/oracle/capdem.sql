-- fct_capacity_demand: capacity against demand in pathways, per site and
-- treatment function, over the last 13 complete weeks (weeks starting on a
-- Monday in (census - 97, census - 6]); the conversion is national per
-- treatment function over the last 52 (Mondays in (census - 370, census - 6]).
WITH c AS (
  SELECT CAST('${CENSUS}' AS DATE) AS census
), wl AS (
  SELECT ORGANIZATION AS site_id, TREATMENT_FUNCTION AS tf,
         CAST(COALESCE(NULLIF(RTT_START_DATE, ''), NULLIF(REFERRAL_DATE, '')) AS DATE) AS clock_start,
         CAST(NULLIF(CLOCK_STOP_DATE, '') AS DATE) AS clock_stop
  FROM read_csv('${DATA}/waiting_list.csv', header = true, all_varchar = true)
  WHERE NULLIF(ORGANIZATION, '') IS NOT NULL AND NULLIF(TREATMENT_FUNCTION, '') IS NOT NULL
), ss AS (
  SELECT Id AS session_id, ORGANIZATION AS site_id, TREATMENT_FUNCTION AS tf,
         date_trunc('week', CAST(DATE AS DATE)) AS week, CAST(PLANNED_SLOTS AS BIGINT) AS slots
  FROM read_csv('${DATA}/sessions.csv', header = true, all_varchar = true)
  WHERE STATUS = 'HELD'
), att AS (
  SELECT s.site_id, s.tf, s.week, count(*) AS n
  FROM read_csv('${DATA}/appointments.csv', header = true, all_varchar = true) a
  JOIN ss s ON s.session_id = a.SESSION_ID, c
  WHERE a.ATTENDANCE IN ('5', '6') AND CAST(substr(a.SLOT_START, 1, 10) AS DATE) <= c.census
    AND (NULLIF(a.BOOKED_AT, '') IS NULL OR CAST(substr(a.BOOKED_AT, 1, 10) AS DATE) <= c.census)
  GROUP BY ALL
), events AS (
  SELECT site_id, tf, week, slots, 0 AS att, 0 AS starts, 0 AS stops FROM ss
  UNION ALL SELECT site_id, tf, week, 0, n, 0, 0 FROM att
  UNION ALL SELECT site_id, tf, date_trunc('week', clock_start), 0, 0, 1, 0 FROM wl, c WHERE clock_start <= c.census
  UNION ALL SELECT site_id, tf, date_trunc('week', clock_stop), 0, 0, 0, 1 FROM wl, c WHERE clock_stop <= c.census
), w13 AS (
  SELECT site_id, tf, sum(starts) AS clock_starts, sum(stops) AS clock_stops, sum(slots) AS planned_slots,
         sum(att) AS attended
  FROM events, c
  WHERE week > c.census - 97 AND week <= c.census - 6
  GROUP BY ALL
  HAVING sum(starts) + sum(stops) + sum(slots) + sum(att) > 0
), conv AS (
  SELECT tf, sum(att) AS national_attended_52w, sum(stops) AS national_clock_stops_52w
  FROM events, c
  WHERE week > c.census - 370 AND week <= c.census - 6
  GROUP BY ALL
), open AS (
  SELECT site_id, tf, count(*) AS open_pathways FROM wl, c
  WHERE clock_start <= c.census AND (clock_stop IS NULL OR clock_stop > c.census)
  GROUP BY ALL
), pairs AS (
  SELECT site_id, tf FROM w13 UNION SELECT site_id, tf FROM open
), j AS (
  SELECT p.site_id, p.tf,
         COALESCE(w.clock_starts, 0) AS clock_starts, COALESCE(w.clock_stops, 0) AS clock_stops,
         COALESCE(w.planned_slots, 0) AS planned_slots, COALESCE(w.attended, 0) AS attended,
         COALESCE(v.national_attended_52w, 0) AS national_attended_52w,
         COALESCE(v.national_clock_stops_52w, 0) AS national_clock_stops_52w,
         COALESCE(o.open_pathways, 0) AS open_pathways
  FROM pairs p
  LEFT JOIN w13 w USING (site_id, tf)
  LEFT JOIN conv v USING (tf)
  LEFT JOIN open o USING (site_id, tf)
), k AS (
  SELECT *,
    CASE WHEN national_attended_52w > 0 AND national_clock_stops_52w > 0
         THEN CAST(floor(CAST(planned_slots * national_clock_stops_52w AS DOUBLE) / national_attended_52w + 0.5) AS BIGINT)
    END AS capacity_pathways
  FROM j
)
SELECT site_id, tf AS treatment_function, clock_starts, clock_stops, planned_slots, attended,
  national_attended_52w, national_clock_stops_52w,
  CASE WHEN national_attended_52w > 0 AND national_clock_stops_52w > 0
       THEN CAST(national_attended_52w AS DOUBLE) / national_clock_stops_52w END AS appointments_per_pathway,
  capacity_pathways, clock_starts - capacity_pathways AS demand_gap, clock_starts - clock_stops AS activity_gap,
  open_pathways, (clock_stops - clock_starts) / 13.0 AS net_clearance_per_week,
  CASE WHEN clock_stops > clock_starts
       THEN ceil(CAST(13 * open_pathways AS DOUBLE) / (clock_stops - clock_starts)) END AS weeks_to_clear,
  clock_stops > clock_starts AS clearing
FROM k
ORDER BY site_id, treatment_function;
