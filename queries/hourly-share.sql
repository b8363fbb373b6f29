-- description: Share (%) of approved transactions per hour of day over a year, with the hour's time slot.
-- param: year integer required min=1970 max=2999 "calendar year"
SELECT txn_hour AS `hour`,
       CASE WHEN txn_hour BETWEEN 6 AND 11 THEN 'morning'
            WHEN txn_hour BETWEEN 12 AND 17 THEN 'afternoon'
            WHEN txn_hour BETWEEN 18 AND 23 THEN 'evening'
            ELSE 'late_night' END AS time_slot,
       count(*) AS transaction_count,
       sum(amount) AS total_amount,
       100 * count(*) / sum(count(*)) OVER () AS share_pct
FROM card_analytics.partitioned_transactions
WHERE txn_year = :year AND approval_status = 'approved'
GROUP BY txn_hour
ORDER BY txn_hour
